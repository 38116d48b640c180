"""login saves the session as a private file; connect then uses it; nothing prints the credential."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.support.cli import run_cli


def sign_in_by_hand(page, base_url: str, seed: Path) -> str:
    """What a person does in the login window: the mock's form, then the session saved. Returns the cookie."""
    page.goto(base_url)
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation").wait_for()
    page.context.storage_state(path=seed)
    return next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")


def test_login_saves_the_session_private_and_connect_uses_it(mock, page, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(require_login=True)
    session = tmp_path / "session.json"
    cookie = sign_in_by_hand(page, mock.url, session)
    session.chmod(0o644)  # as a careless copy would leave it
    result = run_cli(
        ["login", "--headless", "--base-url", mock.url, "--storage-state", str(session), "--wait", "10"],
        capsys,
        monkeypatch,
    )
    assert result.code == 0, result.err
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert cookie in session.read_text()
    assert cookie not in result.out + result.err
    assert json.loads(session.read_text())["cookies"]

    connected = run_cli(
        ["connect", "-a", "@acme.official", "--base-url", mock.url, "--storage-state", str(session)],
        capsys,
        monkeypatch,
    )
    assert connected.code == 0, connected.err
    assert cookie not in connected.out + connected.err


def test_login_that_never_completes_saves_nothing(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(require_login=True)
    session = tmp_path / "config" / "tiktok-runbook" / "storage-state.json"
    result = run_cli(["login", "--headless", "--base-url", mock.url, "--wait", "1"], capsys, monkeypatch)
    assert result.code == 2
    assert "nothing was saved" in result.err
    assert not session.exists()


def test_default_session_file_is_private(mock, tmp_path, capsys, monkeypatch) -> None:
    """No --storage-state: saved under the user's config dir (XDG_CONFIG_HOME points into tmp_path here)."""
    result = run_cli(["login", "--headless", "--base-url", mock.url, "--wait", "10"], capsys, monkeypatch)
    assert result.code == 0, result.err
    session = tmp_path / "config" / "tiktok-runbook" / "storage-state.json"
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert stat.S_IMODE(session.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("display", [None, ":97"], ids=["unset", "no-server-there"])
def test_login_without_a_display_says_what_to_do(display, mock, capsys, monkeypatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    if display:  # set, but no X server answers there: Chromium itself fails to start
        monkeypatch.setenv("DISPLAY", display)
    result = run_cli(["login", "--base-url", mock.url, "--wait", "5"], capsys, monkeypatch)
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert "no display" in line and "xvfb-run" in line and "login --import FILE" in line


def extension_export(cookie: str, domain: str, host_only: bool = True) -> list[dict]:
    """What Cookie-Editor / EditThisCookie export: chrome.cookies fields, with a neighbour site's cookie too."""
    return [
        {
            "domain": domain,
            "expirationDate": 4102444800.5,
            "hostOnly": host_only,
            "httpOnly": True,
            "name": "sessionid",
            "path": "/",
            "sameSite": "lax",
            "secure": False,
            "session": False,
            "storeId": "0",
            "value": cookie,
            "id": 1,
        },
        {"domain": ".example.org", "name": "other", "value": "not-for-bc", "path": "/", "sameSite": "no_restriction"},
    ]


def test_login_import_of_a_cookie_export(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(require_login=True)
    cookie = mock.store.new_session()
    export = tmp_path / "cookies.json"
    export.write_text(json.dumps(extension_export(cookie, "127.0.0.1")))
    export.chmod(0o644)
    session = tmp_path / "session.json"
    args = ["login", "--import", str(export), "--base-url", mock.url, "--storage-state", str(session)]
    result = run_cli(args, capsys, monkeypatch)
    assert result.code == 0, result.err
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    saved = json.loads(session.read_text())
    assert [(c["name"], c["value"], c["sameSite"]) for c in saved["cookies"]] == [("sessionid", cookie, "Lax")]
    assert cookie not in result.out + result.err

    connected = run_cli(
        ["connect", "-a", "@acme.official", "--base-url", mock.url, "--storage-state", str(session)],
        capsys,
        monkeypatch,
    )
    assert connected.code == 0, connected.err


def test_login_import_of_a_storage_state_for_another_site_is_refused(mock, tmp_path, capsys, monkeypatch) -> None:
    export = tmp_path / "state.json"
    export.write_text(json.dumps({"cookies": extension_export("abc", ".tiktok.com")[:1], "origins": []}))
    session = tmp_path / "session.json"
    args = ["login", "--import", str(export), "--base-url", mock.url, "--storage-state", str(session)]
    result = run_cli(args, capsys, monkeypatch)
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert "no cookies for 127.0.0.1" in line and "abc" not in line
    assert not session.exists()


def test_login_import_keeps_business_center_cookies_of_the_parent_domain(tmp_path, capsys, monkeypatch) -> None:
    """business.tiktok.com receives .tiktok.com cookies; a neighbour's are left out."""
    from runbook.browser.cookies import read_export
    from runbook.core.errors import BadInput

    export = tmp_path / "cookies.json"
    export.write_text(json.dumps(extension_export("abc", ".tiktok.com", host_only=False)))
    state = read_export(export, "https://business.tiktok.com")
    assert [(c["domain"], c["name"]) for c in state["cookies"]] == [(".tiktok.com", "sessionid")]
    host_only = extension_export("abc", "tiktok.com", host_only=True)  # sent to tiktok.com alone
    export.write_text(json.dumps(host_only))
    with pytest.raises(BadInput, match=r"no cookies for business\.tiktok\.com"):
        read_export(export, "https://business.tiktok.com")


@pytest.mark.parametrize("content", ["", "{}", "[1, 2]", '[{"name": "x"}]'])
def test_login_import_of_something_else(content, mock, tmp_path, capsys, monkeypatch) -> None:
    export = tmp_path / "export.json"
    export.write_text(content)
    result = run_cli(["login", "--import", str(export), "--base-url", mock.url], capsys, monkeypatch)
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert f"--import {export}" in line
