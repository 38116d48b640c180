"""The mock's markup dialects (MockConfig.markup), configured and checked; and "bare": the same pages and texts
drawn with no roles, aria-* or landmarks anywhere.

These check the mock's markup, not the runbook: they reach controls by their text, or by the dialect's own
classes where the markup is the very thing under test, and drive each flow to its effect on the mock's state.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from runbook.fixtures.server import MockBusinessCenter, MockConfig
from tests.support.cli import run_cli
from tests.support.markup import ENTRY_POINTS, ORG, assert_bare, decoded, go, mock_state, scan
from tests.support.matrix import matrix

PAGES = (
    "/manage/overview",
    "/manage/accounts/adv",
    "/manage/accounts/tiktok-accounts",
    "/manage/users/members",
    "/manage/business-settings",
)


@pytest.fixture
def bare(mock: MockBusinessCenter) -> MockBusinessCenter:
    mock.reset(markup="bare", delay=0.02)
    return mock


# -- configuration -----------------------------------------------------------------------------------------------


def test_markup_is_checked_and_sent_to_the_front_end(mock: MockBusinessCenter) -> None:
    with pytest.raises(ValueError, match="unknown markup"):
        MockConfig(markup="semantic")
    with pytest.raises(ValueError, match="lookalike"):
        MockConfig(edition="lookalike", markup="bare")
    with pytest.raises(ValueError, match="rerender"):
        MockConfig(rerender=-1)
    request = urllib.request.Request(
        f"{mock.url}/__mock__/reset",
        data=json.dumps({"markup": "mui", "rerender": 0.2}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200
    assert (mock.config.markup, mock.config.rerender) == ("mui", 0.2)
    with urllib.request.urlopen(f"{mock.url}/api/context?org_id={ORG}", timeout=5) as answer:
        ui = json.load(answer)["ui"]
    assert (ui["markup"], ui["rerender"]) == ("mui", 0.2)


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["--markup", "semantic"], "--markup"),
        (["--edition", "lookalike", "--markup", "bare"], "lookalike"),
        (["--rerender", "nan"], "--rerender"),
    ],
)
def test_mock_command_refuses_a_bad_markup_or_rerender(args, word, capsys, monkeypatch) -> None:
    result = run_cli(["mock", "--port", "0", *args], capsys, monkeypatch)
    assert result.code == 2, result
    [line] = result.err.strip().splitlines()
    assert word in line


def test_aria_markup_keeps_its_roles(mock: MockBusinessCenter, page: Page) -> None:
    """The default markup is today's: the bare check below fails on it."""
    mock.reset(delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    expect(
        page.get_by_role("navigation", name="Business Center").get_by_role("link", name="Accounts", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="@acme.official")).to_be_visible()
    with pytest.raises(AssertionError):
        assert_bare(page)


# -- bare --------------------------------------------------------------------------------------------------------


def test_bare_pages_have_no_roles_landmarks_or_aria(bare: MockBusinessCenter, page: Page) -> None:
    for path in PAGES:
        go(page, path)
        expect(page.locator(".bc-page-title")).to_be_visible()
        expect(page.locator(".bc-okee-spin")).to_have_count(0)
        assert_bare(page)


@matrix  # every edition in this dialect; aria's run every day
def test_bare_in_every_edition(mock: MockBusinessCenter, page: Page) -> None:
    for edition, entry in ENTRY_POINTS.items():
        mock.reset(markup="bare", edition=edition, delay=0.0)
        go(page, "/manage/accounts/tiktok-accounts")
        expect(page.locator("#bc-main").get_by_text(entry, exact=True)).to_be_visible()
        expect(page.get_by_text("@acme.official")).to_be_visible()
        assert_bare(page)
    # The ad accounts page differs only where Add Assets is missing (test_bare_pages_… covers the rest).
    mock.reset(markup="bare", edition="no-add-assets", delay=0.0)
    go(page, "/manage/accounts/adv")
    expect(page.get_by_text("Northwind Ads 01")).to_be_visible()
    expect(page.get_by_text("Add Assets", exact=True)).to_have_count(0)
    assert_bare(page)


@pytest.mark.parametrize("edition", ["tutorial", "renamed-menu"])
def test_bare_submenu_title_expands_its_group(mock: MockBusinessCenter, page: Page, edition: str) -> None:
    mock.reset(markup="bare", edition=edition, delay=0.02)
    go(page, "/manage/overview")
    menu = page.locator(".bc-side-nav")
    title = menu.get_by_text("Assets" if edition == "renamed-menu" else "Accounts", exact=True)
    child = menu.get_by_text("TikTok accounts", exact=True)
    expect(page.locator(".bc-page-title")).to_have_text("Overview")
    expect(child).to_be_hidden()
    title.click()
    expect(child).to_be_visible()
    assert title.evaluate("e => getComputedStyle(e.parentElement).cursor") == "pointer"
    child.click()
    expect(page).to_have_url(f"/manage/accounts/tiktok-accounts?org_id={ORG}")
    expect(page.locator(".bc-page-title")).to_have_text("TikTok accounts")
    title.click()  # a title folds its group again
    expect(child).to_be_hidden()


def test_bare_request_access_qr_and_approval(bare: MockBusinessCenter, page: Page) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_text("Request Access", exact=True).click()
    dialog = page.locator(".bc-okee-portal")
    close = dialog.locator(".bc-okee-modal-close")  # a span holding an svg: no text, no name
    assert close.evaluate("e => [e.tagName, e.textContent, e.getAttribute('title')]") == ["SPAN", "", None]
    close.click()
    expect(dialog).to_have_count(0)
    page.get_by_text("Request Access", exact=True).click()
    expect(dialog.get_by_text("Request Access", exact=True)).to_be_visible()
    # The label text is a div above the field, tied to nothing.
    expect(page.get_by_label("TikTok username")).to_have_count(0)
    dialog.get_by_placeholder("@username").fill("@new.brand")
    dialog.get_by_text("Generate QR code", exact=True).click()
    picture = dialog.locator("img")
    expect(picture).to_be_visible()
    # Behind the dialog, the list shows the request that waits for its owner.
    expect(page.locator(".bui-table-row", has_text="@new.brand")).to_contain_text("Pending")
    assert_bare(page)
    payload = bare.state()["qr_codes"][0]["payload"]
    assert decoded(picture) == payload
    assert scan(bare, payload) == 200
    expect(dialog.get_by_text("@new.brand accepted your request")).to_be_visible()
    dialog.get_by_text("Done", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(page.locator(".bui-table-row", has_text="@new.brand")).to_contain_text("Linked")


def wait_for_codes(mock: MockBusinessCenter, count: int) -> None:
    """Until the mock has issued `count` QR codes (however soon they expire again)."""
    deadline = time.monotonic() + 10
    while len(mock.state()["qr_codes"]) < count:
        assert time.monotonic() < deadline, f"fewer than {count} QR codes"
        time.sleep(0.05)


@pytest.mark.parametrize("markup", ["bare", "mui"])
def test_expired_qr_is_covered_and_refreshed(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    mock.reset(markup=markup, delay=0.02, qr_lifetime=1.0)
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_text("Request Access", exact=True).click()
    page.get_by_text("Generate QR code", exact=True).click()
    expect(page.get_by_text("QR code has expired")).to_be_visible(timeout=10_000)
    if markup == "bare":
        assert_bare(page)
    else:
        expect(page.get_by_role("dialog").get_by_role("button", name="Refresh")).to_be_visible()
    page.get_by_text("Refresh", exact=True).click()
    wait_for_codes(mock, 2)


@pytest.mark.parametrize("qr_render", ["canvas", "svg"])
def test_bare_qr_pictures_are_unnamed_and_scannable(mock: MockBusinessCenter, page: Page, qr_render: str) -> None:
    mock.reset(markup="bare", delay=0.02, qr_render=qr_render)
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_text("Request Access", exact=True).click()
    page.get_by_text("Generate QR code", exact=True).click()
    picture = page.locator(f".qr-code-box > {qr_render}")
    expect(picture).to_be_visible()
    assert_bare(page)
    assert decoded(picture) == mock.state()["qr_codes"][0]["payload"]


def test_bare_add_assets_radios_and_checkboxes_are_clicked_on_their_text(bare: MockBusinessCenter, page: Page) -> None:
    go(page, "/manage/accounts/adv")
    page.get_by_text("Add Assets", exact=True).click()
    dialog = page.locator(".bc-okee-portal")
    expect(dialog.get_by_text("Add Assets", exact=True)).to_be_visible()
    dialog.get_by_text("TikTok Accounts", exact=True).click()
    expect(dialog.locator("input[type=radio][value=tiktok]")).to_be_checked()
    box = dialog.locator("label", has_text="@linked.only").locator("input")
    expect(box).not_to_be_checked()
    assert box.evaluate("e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height]") == [0, 0]
    assert box.evaluate("e => getComputedStyle(e).opacity") == "0"
    assert_bare(page)
    dialog.get_by_text("Linked Only @linked.only").click()
    expect(box).to_be_checked()
    dialog.get_by_text("Save", exact=True).click()
    expect(page.get_by_text("Added successfully")).to_be_visible()
    expect(dialog).to_have_count(0)
    assert mock_state(bare)["@linked.only"] == {"linked": True, "assigned": True}


def test_bare_save_is_a_div_that_ignores_clicks_while_disabled(bare: MockBusinessCenter, page: Page) -> None:
    saves: list[str] = []
    page.on("request", lambda request: saves.append(request.url) if "/api/assign" in request.url else None)
    go(page, "/manage/accounts/adv")
    page.get_by_text("Add Assets", exact=True).click()
    page.get_by_text("TikTok Accounts", exact=True).click()
    expect(page.get_by_text("Linked Only @linked.only")).to_be_visible()
    page.get_by_text("Save", exact=True).click()  # nothing ticked: the div takes the click and does nothing
    page.get_by_text("Linked Only @linked.only").click()
    page.get_by_text("Save", exact=True).click()
    expect(page.get_by_text("Added successfully")).to_be_visible()
    assert len(saves) == 1


def test_bare_disconnect_through_the_row_menu(bare: MockBusinessCenter, page: Page) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    row = page.locator(".bui-table-row", has_text="@linked.only")
    row.locator(".tt-more-actions").click()  # an icon in a span: no text, no name
    page.get_by_text("Disconnect", exact=True).click()
    confirm = page.locator(".bc-okee-portal")
    expect(confirm.get_by_text("Disconnect this TikTok account?")).to_be_visible()
    assert_bare(page)
    confirm.get_by_text("Disconnect", exact=True).click()
    expect(page.get_by_text("Disconnected", exact=True)).to_be_visible()
    expect(row).to_have_count(0)
    assert mock_state(bare)["@linked.only"] == {"linked": False, "assigned": False}


def test_renamed_confirm_words_the_confirmation_otherwise(mock: MockBusinessCenter, page: Page) -> None:
    """The renamed-confirm edition (here in bare markup): the row menu as always, the confirming button "Yes,
    disconnect"; it disconnects as the tutorial edition's "Disconnect" does."""
    mock.reset(markup="bare", edition="renamed-confirm", delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    row = page.locator(".bui-table-row", has_text="@linked.only")
    row.locator(".tt-more-actions").click()
    page.get_by_text("Disconnect", exact=True).click()
    confirm = page.locator(".bc-okee-portal")
    expect(confirm.get_by_text("Disconnect this TikTok account?")).to_be_visible()
    expect(confirm.get_by_text("Disconnect", exact=True)).to_have_count(0)
    confirm.get_by_text("Yes, disconnect", exact=True).click()
    expect(row).to_have_count(0)
    assert mock_state(mock)["@linked.only"] == {"linked": False, "assigned": False}


def test_bare_wizard_radios_by_their_text(mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(markup="bare", edition="wizard", delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_text("Add a TikTok Account", exact=True).click()
    for text in ("Link an existing TikTok account", "Send a QR code"):
        page.get_by_text(text, exact=True).click()
    page.get_by_text("Next", exact=True).click()
    for text in ("Deliver ads", "Existing posts", "Show through ads only (Recommended)"):
        page.get_by_text(text, exact=True).click()
    expect(page.locator("label", has_text="Existing posts").locator("input")).to_be_checked()
    assert_bare(page)
    page.get_by_text("Next", exact=True).click()
    picture = page.locator(".bc-okee-portal img")
    expect(picture).to_be_visible()
    assert decoded(picture) == mock.state()["qr_codes"][0]["payload"]


def test_bare_add_menu_and_announcement(mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(markup="bare", edition="add-menu", delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_text("Add", exact=True).click()
    expect(page.get_by_text("Create a TikTok account")).to_be_visible()
    assert_bare(page)
    page.get_by_text("Request Access", exact=True).click()
    expect(page.get_by_text("Generate QR code", exact=True)).to_be_visible()

    mock.reset(markup="bare", edition="announcement", delay=0.02)
    go(page, "/manage/overview")
    expect(page.get_by_text("What's new in Business Center")).to_be_visible()
    assert_bare(page)
    page.get_by_text("Got it", exact=True).click()
    expect(page.get_by_text("What's new in Business Center")).to_be_hidden()


def test_bare_picker_and_login_are_divs(mock: MockBusinessCenter, page: Page) -> None:
    centers = [("7623379731659948049", "Northwind Agency"), ("7623379731659948050", "Southwind Studio")]
    mock.reset(markup="bare", delay=0.02, require_login=True, business_centers=centers)
    page.goto("/")
    expect(page.get_by_placeholder("Enter email address")).to_be_visible()
    assert_bare(page)
    page.get_by_placeholder("Enter email address").fill("jordan@northwind.example")
    page.get_by_placeholder("Enter password").fill("secret")
    page.get_by_text("Log in", exact=True).click()
    expect(page).to_have_url("/select")
    assert_bare(page)
    page.get_by_text("Southwind Studio").click()
    expect(page).to_have_url("/manage/overview?org_id=7623379731659948050")
    expect(page.locator(".bc-page-title")).to_have_text("Overview")
