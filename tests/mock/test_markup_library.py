"""The mock's library markups (MockConfig.markup "arco" and "semi"): the same pages, texts and behaviour as the
okee front end, drawn by React with Arco Design's or Semi Design's own components (fixtures/static/react/).

These check the mock, not the runbook: they reach controls by what the library renders (roles, names, texts) and
drive each flow to its effect on the mock's state. Each test loads the library once (its files are cached for the
test's browser context), whatever it navigates.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from runbook.fixtures.server import MockBusinessCenter
from tests.support.library import EDITIONS, LIBRARY_CELLS, assert_drawn_by_library, button, dialog, row
from tests.support.markup import decoded, go, mock_state, scan


@pytest.fixture(params=LIBRARY_CELLS)
def library(request: pytest.FixtureRequest, mock: MockBusinessCenter) -> str:
    """The test once per library markup, the mock reset to it (fast API answers)."""
    markup = str(request.param)
    mock.reset(markup=markup, delay=0.02)
    return markup


def test_every_edition_draws_its_entry_point_and_side_menu(library: str, mock: MockBusinessCenter, page: Page) -> None:
    for edition, entry in EDITIONS.items():
        mock.reset(markup=library, edition=edition, delay=0.0)
        go(page, "/manage/accounts/tiktok-accounts")
        if edition == "announcement":  # 300 ms after the page draws, once per document
            dialog(page, "What's new in Business Center").get_by_role("button", name="Got it").click()
        expect(button(page, entry)).to_be_visible()
        expect(row(page, "@acme.official")).to_contain_text("Linked")
        menu = page.get_by_role("complementary").get_by_role("menu")
        expect(menu.get_by_text("Assets" if edition == "renamed-menu" else "Accounts", exact=True)).to_be_visible()
        menu.get_by_text("Ad accounts", exact=True).click()
        expect(page.get_by_role("heading", level=4)).to_have_text("Ad accounts")
        expect(button(page, "Add Assets")).to_have_count(0 if edition == "no-add-assets" else 1)
        assert page.url.endswith("/manage/accounts/adv?org_id=7623379731659948049")
    assert_drawn_by_library(page, library)


def test_boot_spins_then_routes_and_a_full_load_of_any_page_works(
    library: str, mock: MockBusinessCenter, page: Page
) -> None:
    mock.fault("/api/context", "slow", seconds=1.5)
    go(page, "/manage/users/members")
    expect(page.get_by_text("Loading Business Center")).to_be_visible()  # the library's Spin, while /api/context loads
    expect(page.get_by_role("heading", level=4)).to_have_text("Members")
    expect(row(page, "jordan@northwind.example")).to_contain_text("Admin")
    page.get_by_role("menuitem", name="Business settings").click()
    expect(page.get_by_text("Coordinated Universal Time", exact=False)).to_be_visible()
    assert page.title() == "Business settings | TikTok Business Center"
    page.go_back()
    expect(page.get_by_role("heading", level=4)).to_have_text("Members")
    go(page, "/manage/nowhere")
    expect(page.get_by_role("heading", level=4)).to_have_text("Page not found")
    go(page, "/manage/overview")
    expect(page.get_by_text("Welcome back, Jordan Lee.")).to_be_visible()
    expect(page.get_by_text("TikTok accounts", exact=True).last).to_be_visible()


def test_request_access_qr_decodes_and_a_scan_shows_the_accepted_view(
    library: str, mock: MockBusinessCenter, page: Page
) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_role("button", name="Request Access").click()
    request = dialog(page, "Request Access")
    request.get_by_role("textbox", name="TikTok username").fill("@new.brand")
    request.get_by_role("button", name="Generate QR code").click()
    picture = request.get_by_role("img", name="QR code")
    expect(picture).to_be_visible()
    expect(request.get_by_text("Expires in 1:", exact=False)).to_be_visible()
    expect(request.get_by_text("Only @new.brand can accept this request.")).to_be_visible()
    expect(row(page, "@new.brand")).to_contain_text("Pending")  # behind the dialog
    assert_drawn_by_library(page, library)
    payload = mock.state()["qr_codes"][0]["payload"]
    assert decoded(picture) == payload
    assert scan(mock, payload) == 200
    expect(request).to_contain_text("@new.brand accepted your request")
    request.get_by_role("button", name="Close", exact=True).filter(has_text="Close").click()
    expect(request).to_be_hidden()
    expect(row(page, "@new.brand")).to_contain_text("Linked")


@pytest.mark.parametrize("qr_render", ["canvas", "svg"])
def test_expiry_covers_the_code_and_refresh_gives_a_new_one(
    library: str, mock: MockBusinessCenter, page: Page, qr_render: str
) -> None:
    mock.reset(markup=library, qr_render=qr_render, delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_role("button", name="Request Access").click()
    request = dialog(page, "Request Access")
    request.get_by_role("button", name="Generate QR code").click()
    picture = request.locator(f"{qr_render}[width='180']")  # not the libraries' svg icons
    expect(picture).to_be_visible()
    first = mock.state()["qr_codes"][0]["payload"]
    assert decoded(picture) == first
    assert mock.expire() == 1
    expect(request.get_by_text("QR code has expired")).to_be_visible()
    expect(request.get_by_text("Expires in", exact=False)).to_have_count(0)
    request.get_by_role("button", name="Refresh").click()
    expect(request.get_by_text("Expires in", exact=False)).to_be_visible()
    codes = mock.state()["qr_codes"]
    assert len(codes) == 2 and decoded(picture) == codes[1]["payload"] != first


def test_add_assets_shows_an_assigned_account_disabled_and_unticked(
    library: str, mock: MockBusinessCenter, page: Page
) -> None:
    go(page, "/manage/accounts/adv")
    button(page, "Add Assets").click()
    assets = dialog(page, "Add Assets")
    expect(assets.get_by_text("Add assets to the ad account Northwind Ads 01.")).to_be_visible()
    for label in ("Ad accounts", "TikTok Accounts", "Pixels", "Catalogs"):
        expect(assets.get_by_role("radio", name=label)).to_have_count(1)
    assets.get_by_text("TikTok Accounts", exact=True).click()
    assigned = assets.get_by_role("checkbox", name="Acme Official @acme.official")
    expect(assigned).to_be_disabled()
    expect(assigned).not_to_be_checked()
    the_box = page.get_by_role("checkbox", name="Acme Official @acme.official")  # relative to each div
    option = assets.locator("div", has=the_box, has_text="Assigned").last  # the innermost: the option's row
    expect(option.get_by_text("Assigned", exact=True)).to_be_visible()
    save = assets.get_by_role("button", name="Save")
    expect(save).to_be_disabled()
    assert_drawn_by_library(page, library)
    assets.get_by_text("Linked Only @linked.only").click()
    expect(assets.get_by_role("checkbox", name="Linked Only @linked.only")).to_be_checked()
    save.click()
    expect(page.get_by_text("Added successfully")).to_be_visible()  # the library's success message
    expect(assets).to_be_hidden()
    assert mock_state(mock)["@linked.only"] == {"linked": True, "assigned": True}
    expect(row(page, "Northwind Ads 01")).to_contain_text("@linked.only")


def test_a_failed_save_keeps_the_dialog_open_with_the_error(library: str, mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(markup=library, fail_save=True, delay=0.02)
    go(page, "/manage/accounts/adv")
    button(page, "Add Assets").click()
    assets = dialog(page, "Add Assets")
    assets.get_by_text("TikTok Accounts", exact=True).click()
    assets.get_by_text("Linked Only @linked.only").click()
    assets.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Something went wrong. Try again later.")).to_be_visible()
    expect(assets).to_be_visible()
    expect(assets.get_by_role("button", name="Save")).to_be_enabled()
    assert mock_state(mock)["@linked.only"]["assigned"] is False


@pytest.mark.parametrize("edition", ["tutorial", "renamed-confirm"])
def test_disconnect_through_the_row_icon_menu(library: str, mock: MockBusinessCenter, page: Page, edition: str) -> None:
    mock.reset(markup=library, edition=edition, delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    options = row(page, "@linked.only").get_by_role("button")  # the row's only button: an icon, no text
    expect(options).to_have_text("")
    # Arco's icon has no name; Semi names its icons (role=img, aria-label "more"), and so the button.
    expect(options).to_have_accessible_name("more" if library == "semi" else "")
    options.click()
    page.get_by_role("menuitem", name="Disconnect").click()
    confirm = dialog(page, "Disconnect this TikTok account?")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_visible()
    confirm.get_by_role("button", name="Yes, disconnect" if edition == "renamed-confirm" else "Disconnect").click()
    expect(page.get_by_text("Disconnected", exact=True)).to_be_visible()
    expect(row(page, "@linked.only")).to_have_count(0)
    assert mock_state(mock)["@linked.only"] == {"linked": False, "assigned": False}


def test_view_opens_the_account_details(library: str, page: Page) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    row(page, "@acme.official").get_by_role("button").click()
    page.get_by_role("menuitem", name="View", exact=True).click()
    details = dialog(page, "Acme Official")
    expect(details).to_contain_text("@acme.official")
    expect(details).to_contain_text("Northwind Ads 01")
    assert_drawn_by_library(page, library)
    page.keyboard.press("Escape")
    expect(details).to_be_hidden()


def test_wizard_steps_radios_and_checkboxes(library: str, mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(markup=library, edition="wizard", delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    button(page, "Add a TikTok Account").click()
    wizard = dialog(page, "Add a TikTok Account")
    for step in ("Choose a method", "Set permissions", "Share the QR code"):
        expect(wizard.get_by_text(step, exact=True)).to_be_visible()
    expect(wizard.get_by_role("button", name="Next")).to_be_disabled()
    wizard.get_by_text("Create a new TikTok account", exact=True).click()
    wizard.get_by_text("Send a QR code", exact=True).click()
    wizard.get_by_role("button", name="Next").click()
    expect(wizard.get_by_text("This option isn't available", exact=False)).to_be_visible()
    wizard.get_by_role("button", name="Back").click()
    expect(wizard.get_by_role("radio", name="Create a new TikTok account")).to_be_checked()  # kept across Back
    wizard.get_by_text("Link an existing TikTok account", exact=True).click()
    wizard.get_by_role("button", name="Next").click()
    expect(wizard.get_by_role("button", name="Next")).to_be_disabled()
    for label in ("Manage account", "Show through ads only (Recommended)", "Show on TikTok profile and in ads"):
        expect(wizard.get_by_role("radio", name=label)).to_have_count(1)
    wizard.get_by_text("Deliver ads", exact=True).click()
    wizard.get_by_text("Existing posts", exact=True).click()
    expect(wizard.get_by_role("checkbox", name="Existing posts")).to_be_checked()
    expect(wizard.get_by_role("checkbox", name="Publish and manage new videos")).not_to_be_checked()
    assert_drawn_by_library(page, library)
    wizard.get_by_role("button", name="Next").click()
    picture = wizard.get_by_role("img", name="QR code")
    expect(picture).to_be_visible()
    assert decoded(picture) == mock.state()["qr_codes"][0]["payload"]


def test_add_menu_holds_request_access_and_create(library: str, mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(markup=library, edition="add-menu", delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    button(page, "Add").click()
    expect(page.get_by_role("menuitem", name="Create a TikTok account")).to_be_visible()
    assert_drawn_by_library(page, library)
    page.get_by_role("menuitem", name="Request Access").click()
    expect(dialog(page, "Request Access")).to_be_visible()


def test_a_bad_username_shows_on_the_field(library: str, page: Page) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_role("button", name="Request Access").click()
    request = dialog(page, "Request Access")
    request.get_by_role("textbox", name="TikTok username").fill("not a handle!")
    request.get_by_role("button", name="Generate QR code").click()
    expect(request.get_by_text("Enter a valid TikTok username, such as @brand.account.")).to_be_visible()
    expect(request.get_by_role("button", name="Generate QR code")).to_be_enabled()
