"""The mock's markup dialects (MockConfig.markup): the same pages and texts drawn as "bare" (no roles, aria-* or
landmarks anywhere) and as "mui" (Material UI's DOM conventions), and the rerender fault knob.

These check the mock's markup, not the runbook: they reach controls by their text, or by the dialect's own
classes where the markup is the very thing under test, and drive each flow to its effect on the mock's state.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request

import pytest
from playwright.sync_api import ElementHandle, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from runbook import qr as codes
from runbook.fixtures.server import MockBusinessCenter, MockConfig
from tests.cli import run_cli

ORG = "7623379731659948049"
PAGES = (
    "/manage/overview",
    "/manage/accounts/adv",
    "/manage/accounts/tiktok-accounts",
    "/manage/users/members",
    "/manage/business-settings",
)

# Every element with a role or aria-* attribute, and every element whose tag carries a role or landmark.
_ROLES_AND_LANDMARKS = """() => {
  const semantic = new Set(["NAV", "MAIN", "HEADER", "FOOTER", "ASIDE", "SECTION", "ARTICLE", "H1", "H2", "H3", "H4",
    "H5", "H6", "BUTTON", "A", "TABLE", "TR", "TD", "TH", "UL", "OL", "LI", "P", "DIALOG", "DL", "DT", "DD", "SELECT"]);
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    if (semantic.has(el.tagName)) found.push(`<${el.tagName.toLowerCase()}>`);
    for (const attribute of el.attributes) {
      const named = attribute.name === "role" || attribute.name.startsWith("aria-");
      if (named) found.push(`${el.tagName.toLowerCase()}[${attribute.name}]`);
    }
  }
  return found;
}"""
# What Playwright's accessibility snapshot may still show on a bare page: text, pictures and native inputs.
_BARE_ROLES = {"text", "img", "textbox", "radio", "checkbox", "generic"}


def go(page: Page, path: str) -> None:
    page.goto(f"{path}?org_id={ORG}")


def assert_bare(page: Page) -> None:
    """No role or aria-* attribute, no landmark or other semantic tag, and so no such role in Playwright's eyes."""
    assert page.evaluate(_ROLES_AND_LANDMARKS) == []
    snapshot = page.locator("body").aria_snapshot()
    roles = {line.strip().removeprefix("- ").split(" ")[0].rstrip(":") for line in snapshot.splitlines()}
    assert roles <= _BARE_ROLES, snapshot


def scan(mock: MockBusinessCenter, payload: str) -> int:
    """The owner opens the QR's URL on their phone (accepting); returns the HTTP status."""
    with urllib.request.urlopen(payload, timeout=10) as answer:
        return answer.status


def decoded(picture: Locator) -> str:
    """The payload of the QR picture on screen, once an <img> has its pixels."""
    picture.evaluate("async e => { if (e.decode) await e.decode(); }")
    return codes.decode(picture.screenshot())


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


# Every edition the okee front end draws, with the control its TikTok accounts page starts linking with.
ENTRY_POINTS = {
    "tutorial": "Request Access",
    "wizard": "Add a TikTok Account",
    "renamed-menu": "Request Access",
    "add-menu": "Add",
    "no-add-assets": "Request Access",
    "announcement": "Request Access",
    "canvas-qr": "Request Access",
}


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


def mock_state(mock: MockBusinessCenter) -> dict[str, dict[str, bool]]:
    return mock.state()["accounts"]


# -- mui ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def mui(mock: MockBusinessCenter) -> MockBusinessCenter:
    mock.reset(markup="mui", delay=0.02)
    return mock


def test_mui_frame_grid_and_headings(mui: MockBusinessCenter, page: Page) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    expect(page.get_by_role("heading", level=5)).to_have_text("TikTok accounts")
    expect(page.get_by_role("heading", level=1)).to_have_count(0)
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("button", name="TikTok accounts")).to_have_class(re_class("Mui-selected"))
    expect(nav.get_by_role("link")).to_have_count(0)  # ListItemButtons are role=button divs, not links
    grid = page.get_by_role("grid")
    expect(grid.get_by_role("columnheader", name="Status")).to_be_visible()
    row = grid.get_by_role("row").filter(has_text="@acme.official")
    expect(row.get_by_role("gridcell").nth(1)).to_have_text("Linked")
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_role("button", name="Request Access")).to_have_class(re_class("MuiButton-contained"))


def test_mui_in_every_edition(mock: MockBusinessCenter, page: Page) -> None:
    for edition, entry in ENTRY_POINTS.items():
        mock.reset(markup="mui", edition=edition, delay=0.0)
        go(page, "/manage/accounts/tiktok-accounts")
        if edition == "announcement":  # its Dialog hides the page from the accessibility tree until dismissed
            page.get_by_role("dialog").get_by_role("button", name="Got it").click()
        expect(page.get_by_role("button", name=entry, exact=True)).to_be_visible()
        expect(page.get_by_role("grid").get_by_role("row").filter(has_text="@acme.official")).to_be_visible()
        expect(page.get_by_role("navigation").get_by_role("link")).to_have_count(0)
        page.get_by_role("navigation").get_by_role("button", name="Ad accounts").click()
        expect(page.get_by_role("heading", level=5)).to_have_text("Ad accounts")
        expect(page.get_by_role("button", name="Add Assets")).to_have_count(0 if edition == "no-add-assets" else 1)


@pytest.mark.parametrize("edition", ["tutorial", "renamed-menu"])
def test_mui_submenu_button_opens_its_collapse(mock: MockBusinessCenter, page: Page, edition: str) -> None:
    mock.reset(markup="mui", edition=edition, delay=0.02)
    go(page, "/manage/overview")
    nav = page.get_by_role("navigation")
    child = nav.get_by_role("button", name="TikTok accounts")
    expect(page.get_by_role("heading", level=5)).to_have_text("Overview")
    expect(child).to_have_count(0)  # visibility: hidden inside a closed Collapse, but in the DOM
    expect(nav.get_by_role("button", name="TikTok accounts", include_hidden=True)).to_have_count(1)
    nav.get_by_role("button", name="Assets" if edition == "renamed-menu" else "Accounts").click()
    expect(page).to_have_url(f"/manage/overview?org_id={ORG}")  # a group title only opens its group
    child.click()
    expect(page.get_by_role("heading", level=5)).to_have_text("TikTok accounts")


def test_mui_request_access_dialog_qr_and_approval(mui: MockBusinessCenter, page: Page) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_role("button", name="Request Access").click()
    dialog = page.get_by_role("dialog", name="Request Access")
    expect(dialog).to_be_visible()
    expect(page.locator("#root")).to_have_attribute("aria-hidden", "true")  # MUI's ModalManager
    expect(dialog.get_by_role("button", name="close")).to_be_visible()
    field = dialog.get_by_role("textbox", name="TikTok username")
    expect(field).to_have_attribute("aria-describedby", re_class("helper-text"))
    # The outlined field's notch repeats the label invisibly: two elements carry the text.
    expect(dialog.get_by_text("TikTok username", exact=True)).to_have_count(2)
    field.fill("@new.brand")
    dialog.get_by_role("button", name="Generate QR code").click()
    picture = dialog.get_by_role("img", name="QR code")
    expect(picture).to_be_visible()
    # Behind the dialog (hidden from the accessibility tree while it is open), the request waits as "Pending".
    expect(page.locator(".MuiDataGrid-row", has_text="@new.brand")).to_contain_text("Pending")
    payload = mui.state()["qr_codes"][0]["payload"]
    assert decoded(picture) == payload
    assert scan(mui, payload) == 200
    expect(dialog).to_contain_text("@new.brand accepted your request")
    dialog.get_by_role("button", name="Done").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#root")).not_to_have_attribute("aria-hidden", "true")
    expect(page.get_by_role("row").filter(has_text="@new.brand")).to_contain_text("Linked")


def test_mui_add_assets_radio_group_and_covering_inputs(mui: MockBusinessCenter, page: Page) -> None:
    go(page, "/manage/accounts/adv")
    page.get_by_role("button", name="Add Assets").click()
    dialog = page.get_by_role("dialog", name="Add Assets")
    radio = dialog.get_by_role("radiogroup", name="Asset type").get_by_role("radio", name="TikTok Accounts")
    # The native input covers its drawn icon (transparent, full size): a plain check() reaches it.
    box = radio.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 20
    assert radio.evaluate("e => getComputedStyle(e).opacity") == "0"
    radio.check()
    expect(radio).to_be_checked()
    assigned = dialog.get_by_role("checkbox", name="Acme Official @acme.official")
    expect(assigned).to_be_checked()
    expect(assigned).to_be_disabled()
    save = dialog.get_by_role("button", name="Save")
    expect(save).to_be_disabled()
    dialog.get_by_text("Linked Only @linked.only").click()  # the FormControlLabel's text
    expect(dialog.get_by_role("checkbox", name="Linked Only @linked.only")).to_be_checked()
    save.click()
    expect(page.get_by_role("alert").filter(has_text="Added successfully")).to_be_visible()
    expect(dialog).to_be_hidden()
    assert mock_state(mui)["@linked.only"] == {"linked": True, "assigned": True}


def test_mui_disconnect_through_the_row_menu(mui: MockBusinessCenter, page: Page) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    row = page.get_by_role("row").filter(has_text="@linked.only")
    more = row.get_by_role("button", name="More actions")
    expect(more).to_have_attribute("aria-haspopup", "true")
    trigger = more.element_handle()
    more.click()
    assert trigger.get_attribute("aria-expanded") == "true"
    # The open Menu is a modal: MUI hides the rest of the page (the row included) from the accessibility tree.
    expect(more).to_have_count(0)
    page.get_by_role("menu").get_by_role("menuitem", name="Disconnect").click()
    confirm = page.get_by_role("dialog", name="Disconnect this TikTok account?")
    confirm.get_by_role("button", name="Disconnect").click()
    expect(page.get_by_role("alert").filter(has_text="Disconnected")).to_be_visible()
    expect(row).to_have_count(0)
    assert mock_state(mui)["@linked.only"] == {"linked": False, "assigned": False}


def test_mui_wizard_and_add_menu(mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(markup="mui", edition="wizard", delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_role("button", name="Add a TikTok Account").click()
    dialog = page.get_by_role("dialog", name="Add a TikTok Account")
    for name in ("Link an existing TikTok account", "Send a QR code"):
        dialog.get_by_role("radio", name=name).check()
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_role("radio", name="Deliver ads").check()
    dialog.get_by_role("checkbox", name="Existing posts").check()
    dialog.get_by_role("button", name="Next").click()
    picture = dialog.get_by_role("img", name="QR code")
    expect(picture).to_be_visible()
    assert decoded(picture) == mock.state()["qr_codes"][0]["payload"]

    mock.reset(markup="mui", edition="add-menu", delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("menuitem", name="Request Access").click()
    expect(page.get_by_role("dialog", name="Request Access")).to_be_visible()


def test_mui_picker_cards_are_buttons(mock: MockBusinessCenter, page: Page) -> None:
    centers = [("7623379731659948049", "Northwind Agency"), ("7623379731659948050", "Southwind Studio")]
    mock.reset(markup="mui", delay=0.02, require_login=True, business_centers=centers)
    page.goto("/")
    page.get_by_role("textbox", name="Email").fill("jordan@northwind.example")
    page.get_by_role("textbox", name="Password").fill("secret")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=5)).to_have_text("Select a Business Center")
    expect(page.get_by_role("link")).to_have_count(0)
    page.get_by_role("button", name="Southwind Studio").click()
    expect(page).to_have_url("/manage/overview?org_id=7623379731659948050")


def re_class(fragment: str) -> re.Pattern[str]:
    return re.compile(re.escape(fragment))


# -- the rerender fault knob ---------------------------------------------------------------------------------------


# Keeps the first node ever shown with one of these texts (the innermost element holding all of it), so a test
# can hold the very node the page drew first, whenever it looks, instead of racing the swap.
_FIRST_SHOWN = """(texts) => {
  window.__first = {};
  const keep = (el) => {
    const text = el.textContent.trim();
    if (!texts.includes(text) || window.__first[text]) return;
    if ([...el.children].some((child) => child.textContent.trim() === text)) return;
    window.__first[text] = el;
  };
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      keep(node);
      node.querySelectorAll("*").forEach(keep);
    }
  }).observe(document, { childList: true, subtree: true });
}"""


def first_shown(page: Page, text: str) -> ElementHandle:
    handle = page.wait_for_function("text => window.__first && window.__first[text]", arg=text)
    element = handle.as_element()
    assert element is not None
    return element


@pytest.mark.parametrize("markup", ["aria", "mui"])  # bare: test_rerender_keeps_state_on_the_fresh_node
def test_rerender_detaches_a_found_button(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    mock.reset(markup=markup, rerender=0.2, delay=0.02)
    page.add_init_script(f"({_FIRST_SHOWN})({json.dumps(['Request Access', 'Generate QR code'])})")
    go(page, "/manage/accounts/tiktok-accounts")
    found = first_shown(page, "Request Access")
    page.wait_for_function("e => !e.isConnected", arg=found)
    with pytest.raises(PlaywrightError, match=r"not attached|detached"):
        found.click(timeout=2000)
    # Found anew, the fresh node works as the old one did; so do a dialog's controls.
    page.get_by_text("Request Access", exact=True).click()
    page.wait_for_function("e => !e.isConnected", arg=first_shown(page, "Generate QR code"))
    page.get_by_text("Generate QR code", exact=True).click()
    expect(page.get_by_text("Expires in", exact=False)).to_be_visible()
    assert len(mock.state()["qr_codes"]) == 1


def test_rerender_keeps_state_on_the_fresh_node(mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(markup="bare", rerender=0.2, delay=0.02)
    page.add_init_script(f"({_FIRST_SHOWN})({json.dumps(['Save'])})")
    go(page, "/manage/accounts/adv")
    page.get_by_text("Add Assets", exact=True).click()
    page.get_by_text("TikTok Accounts", exact=True).click()
    page.wait_for_function("e => !e.isConnected", arg=first_shown(page, "Save"))
    page.get_by_text("Linked Only @linked.only").click()
    # The app enabled its own (detached) Save node; the node on screen follows, and its click is the app's.
    expect(page.get_by_text("Save", exact=True)).not_to_have_class(re_class("bc-okee-btn-disabled"))
    page.get_by_text("Save", exact=True).click()
    expect(page.get_by_text("Added successfully")).to_be_visible()
    assert mock_state(mock)["@linked.only"]["assigned"] is True
