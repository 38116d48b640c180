"""The library markups' setup and outer pages: the packages they need (installed by `make vendor`, served from a
whitelist, refused in one line when missing), the source that must add nothing of its own, the login wall, the
Business Center picker, the message pages and each library's dark mode."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from runbook.fixtures import vendor
from runbook.fixtures.config import EDITIONS as MOCK_EDITIONS
from runbook.fixtures.config import LIBRARY_EDITIONS, MockConfig, VendorMissing
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import run_cli
from tests.support.library import DARK_ATTRIBUTE, EDITIONS, LIBRARIES, LIBRARY_CELLS, assert_drawn_by_library, button
from tests.support.markup import ORG, go

ROOT = Path(__file__).resolve().parents[2]
# What the React front end's own source may never write: ARIA attributes, roles and CSS classes are the library's.
# "role" counts as an attribute or a prop's name (role= / role: / "role"), so the member's role in the Members
# table (m.role, data from the API) is not one.
_OWN_MARKUP = re.compile(r"(?i:aria-)|className|\brole\s*[=:]|[\"']role[\"']|\bclass\s*[=:]|[\"']class[\"']")


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# -- the packages ------------------------------------------------------------------------------------------------


def test_the_packages_are_pinned_and_installed_where_vendor_py_says() -> None:
    lock = (ROOT / "fixtures" / "vendor" / "package-lock.json").read_text()
    for name, version in [("@arco-design/web-react", "2.66.16"), ("@douyinfe/semi-ui", "2.90.1"), ("react", "18.3.1")]:
        assert re.search(rf'"node_modules/{re.escape(name)}": \{{\s*"version": "{version}"', lock), name
    # make vendor ran (make setup runs it): a missing library fails here, never skips.
    for markup in LIBRARIES:
        assert vendor.missing(markup) is None
    # make asks vendor.py (run by the system's python3, before the virtualenv) where to install: the same folder.
    assert "python3 fixtures/vendor.py" in (ROOT / "Makefile").read_text()
    printed = subprocess.run([sys.executable, str(ROOT / "fixtures" / "vendor.py")], capture_output=True, text=True)
    assert printed.stdout.strip() == str(vendor.install_dir())
    if vendor.ENV not in os.environ:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        assert vendor.install_dir() == cache / "tiktok-runbook" / "mock-vendor" / vendor.lock_hash()
    assert not (ROOT / "fixtures" / "vendor" / "node_modules").exists()  # outside the work tree


def test_only_the_whitelisted_files_are_served_and_cached(mock: MockBusinessCenter) -> None:
    status, headers, body = _get(f"{mock.url}/vendor/arco.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert "max-age=" in headers["Cache-Control"] and "no-store" not in headers["Cache-Control"]
    assert b"ArcoDesign v2.66.16" in body[:200]
    assert _get(f"{mock.url}/vendor/semi.css")[0] == 200
    unlisted = ("package.json", "react/package.json", "../vendor/package-lock.json", "react/umd/react.development.js")
    for name in unlisted:
        assert _get(f"{mock.url}/vendor/{name}")[0] == 404, name
    assert _get(f"{mock.url}/static/app.js")[1]["Cache-Control"] == "no-store"  # the rest stays uncached


def test_without_the_packages_each_way_in_says_what_to_run(
    mock: MockBusinessCenter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(vendor.ENV, str(tmp_path / "nothing"))
    with pytest.raises(VendorMissing, match="make vendor") as refused:
        MockConfig(markup="semi")
    assert "\n" not in str(refused.value)
    request = urllib.request.Request(
        f"{mock.url}/__mock__/reset", data=b'{"markup": "arco"}', headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=5)
    assert answer.value.code == 400 and b"make vendor" in answer.value.read()
    result = run_cli(["mock", "--port", "0", "--markup", "arco"], capsys, monkeypatch)
    assert result.code == 2, result
    [line] = result.err.strip().splitlines()
    assert "make vendor" in line and "arco" in line
    MockConfig(markup="bare")  # the other markups need nothing installed


def test_the_library_markups_draw_every_edition_but_lookalike() -> None:
    """A new edition of the okee front end is refused with arco and semi until static/react/ draws it too: this
    fails first, so that adding one is a decision (LIBRARY_EDITIONS, and EDITIONS in tests/support/library.py)."""
    assert set(LIBRARY_EDITIONS) == set(EDITIONS) == set(MOCK_EDITIONS) - {"lookalike"}
    with pytest.raises(ValueError, match="lookalike"):
        MockConfig(edition="lookalike", markup="semi")


def test_the_react_source_writes_no_aria_role_or_class_of_its_own() -> None:
    sources = [*sorted((ROOT / "fixtures" / "static" / "react").glob("*.js")), ROOT / "fixtures" / "react_html.py"]
    assert len(sources) > 10
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if _OWN_MARKUP.search(line)
    ]
    assert found == []


# -- the outer pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("markup", LIBRARY_CELLS)
def test_login_wall_then_the_picker(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    centers = [(ORG, "Northwind Agency"), ("7623379731659948050", "Southwind Studio")]
    mock.reset(markup=markup, delay=0.02, require_login=True, business_centers=centers)
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in to TikTok for Business")).to_be_visible()
    password = page.get_by_role("textbox", name="Password")
    expect(password).to_have_attribute("type", "password")
    expect(password).to_have_id("TikTok_Ads_SSO_Login_Pwd_Input")  # TikTok's SSO ids, which scripts address
    page.get_by_role("textbox", name="Email").fill("jordan@northwind.example")
    button(page, "Log in").click()  # no password: the server says so, in the library's alert
    expect(page.get_by_text("Enter your email and password.")).to_be_visible()
    assert_drawn_by_library(page, markup)
    page.get_by_role("textbox", name="Email").fill("jordan@northwind.example")
    password.fill("secret")
    password.press("Enter")
    expect(page.get_by_role("heading", name="Select a Business Center")).to_be_visible()
    expect(page.get_by_text(f"ID: {centers[1][0]}")).to_be_visible()
    expect(page.get_by_role("link")).to_have_count(0)  # the cards are the library's Cards, no links
    assert_drawn_by_library(page, markup)
    page.get_by_text("Southwind Studio", exact=True).click()
    expect(page).to_have_url(f"/manage/overview?org_id={centers[1][0]}")
    expect(page.get_by_text("Welcome back, Jordan Lee.")).to_be_visible()
    page.get_by_role("link", name="Switch").click()
    expect(page.get_by_role("heading", name="Select a Business Center")).to_be_visible()


@pytest.mark.parametrize("markup", LIBRARY_CELLS)
def test_dark_mode_is_the_librarys_own(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    mock.reset(markup=markup, dark=True, delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    expect(page.locator("body")).to_have_attribute(DARK_ATTRIBUTE[markup], "dark")
    expect(page.get_by_role("heading", level=4)).to_have_text("TikTok accounts")
    background = page.evaluate("getComputedStyle(document.querySelector('main') || document.body).backgroundColor")
    assert sum(int(part) for part in re.findall(r"\d+", background)[:3]) < 3 * 80, background  # drawn dark
    page.goto("/manage/overview?org_id=123")  # the server's pages too, set before React runs
    expect(page.get_by_role("heading", name="Business Center not found")).to_be_visible()
    expect(page.locator("body")).to_have_attribute(DARK_ATTRIBUTE[markup], "dark")


@pytest.mark.parametrize("markup", LIBRARY_CELLS)
def test_an_unknown_business_center_is_a_library_page(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    mock.reset(markup=markup, delay=0.02)
    page.goto("/manage/overview?org_id=123")
    expect(page.get_by_role("heading", name="Business Center not found")).to_be_visible()
    expect(page.get_by_text("No Business Center with ID 123 exists", exact=False)).to_be_visible()
    page.get_by_role("link", name="Select a Business Center").click()
    expect(page.get_by_role("heading", name="Select a Business Center")).to_be_visible()
    assert_drawn_by_library(page, markup)
