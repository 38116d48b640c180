"""The mock's "mui" markup (MockConfig.markup): the same pages and texts drawn with Material UI's DOM conventions.

These check the mock's markup, not the runbook: they reach controls by their roles and names, or by MUI's own
classes where the markup is the very thing under test, and drive each flow to its effect on the mock's state.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from runbook.fixtures.server import MockBusinessCenter
from tests.support.markup import ENTRY_POINTS, ORG, decoded, go, mock_state, re_class, scan
from tests.support.matrix import matrix

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


@matrix  # every edition in this dialect; aria's run every day
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
