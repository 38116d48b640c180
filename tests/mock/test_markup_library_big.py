"""The big edition in the library markups (arco, semi): 152 linked accounts fetched a page at a time and shown 10 a
page with the library's own Table pagination, the list's search box, and Add Assets' search box over the library's
checkbox group in a box about eight options high, as the okee front end has them (tests/mock/test_big.py).

These check the mock, not the runbook: controls are reached by what the library renders (its pagination's names,
roles and aria-current), and every flow is driven to its effect on the mock's state.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from runbook.fixtures.roster import client_handle
from runbook.fixtures.server import MockBusinessCenter
from tests.support.library import LIBRARY_CELLS, assert_drawn_by_library, button, dialog, row
from tests.support.markup import ORG, go, mock_state

FIRST_PAGE = ["@acme.official", "@linked.only", *map(client_handle, range(1, 9))]


@pytest.fixture(params=LIBRARY_CELLS)
def library(request: pytest.FixtureRequest, mock: MockBusinessCenter) -> str:
    """The test once per library markup, the mock reset to the big edition in it (fast API answers)."""
    markup = str(request.param)
    mock.reset(markup=markup, edition="big", delay=0.02)
    return markup


class Pager:
    """The Table's pagination as each library renders it. Arco: list items named by its locale's words ("Go to next
    page", "page 2"), the current one aria-current, a disabled arrow only by its class (and tabindex -1). Semi:
    arrows that are role=button ("Previous", "Next", aria-disabled), page items "Page 2" with aria-current=page, and
    "Showing 1 to 10 of 152" beside them."""

    def __init__(self, page: Page, library: str) -> None:
        self.page = page
        self.library = library
        if library == "arco":
            self.previous = page.get_by_role("listitem", name="Go to previous page", exact=True)
            self.next = page.get_by_role("listitem", name="Go to next page", exact=True)
        else:
            self.previous = page.get_by_role("button", name="Previous", exact=True)
            self.next = page.get_by_role("button", name="Next", exact=True)

    def number(self, n: int) -> Locator:
        return self.page.get_by_role("listitem", name=f"{'page' if self.library == 'arco' else 'Page'} {n}", exact=True)

    def expect_at(self, number: int, total: int = 152) -> None:
        current = self.page.locator("[aria-current=true]" if self.library == "arco" else "li[aria-current=page]")
        expect(current).to_have_text(str(number))
        if self.library == "semi":
            first, last = (number - 1) * 10 + 1, min(total, number * 10)
            expect(self.page.get_by_text(f"Showing {first} to {last} of {total}", exact=True)).to_be_visible()

    def expect_disabled(self, control: Locator) -> None:
        if self.library == "arco":
            expect(control).to_have_class(re.compile(r"\barco-pagination-item-disabled\b"))
            expect(control).to_have_attribute("tabindex", "-1")
        else:
            expect(control).to_be_disabled()

    def expect_none(self) -> None:
        expect(self.next).to_have_count(0)
        expect(self.page.get_by_role("listitem", name=re.compile(r"^[pP]age \d+$"))).to_have_count(0)


def accounts(page: Page) -> Locator:
    """The list's rows (the header row says no handle)."""
    return page.get_by_role("row").filter(has_text="@")


def expect_listed(page: Page, handles: list[str]) -> None:
    expect(accounts(page)).to_have_text([re.compile(re.escape(handle) + r"(?!\d)") for handle in handles])


def test_the_list_shows_ten_rows_and_the_librarys_pagination_moves_through_them(library: str, page: Page) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    pager = Pager(page, library)
    expect_listed(page, FIRST_PAGE)
    pager.expect_at(1)
    pager.expect_disabled(pager.previous)
    expect(pager.number(2)).to_be_visible()
    expect(pager.number(16)).to_be_visible()
    expect(pager.number(10)).to_have_count(0)  # far pages are behind the library's "more" item
    assert_drawn_by_library(page, library)
    pager.next.click()
    pager.expect_at(2)
    expect_listed(page, [client_handle(n) for n in range(9, 19)])
    pager.previous.click()
    pager.expect_at(1)
    expect_listed(page, FIRST_PAGE)
    pager.number(16).click()  # the last page: 152 accounts are 15 full pages and 2 rows
    pager.expect_at(16)
    expect_listed(page, ["@client.149", "@client.150"])
    pager.expect_disabled(pager.next)
    pager.number(15).click()
    pager.expect_at(15)
    expect_listed(page, [client_handle(n) for n in range(139, 149)])


def test_the_search_box_asks_the_server_and_starts_on_page_one(library: str, page: Page) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    pager = Pager(page, library)
    pager.next.click()
    pager.next.click()
    pager.expect_at(3)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/api/tiktok-accounts" in request.url else None)
    search = page.get_by_placeholder("Search by name or ID")
    search.fill("client.1")  # 51 accounts: @client.100 ... @client.150, six pages
    pager.expect_at(1, total=51)
    expect_listed(page, [client_handle(n) for n in range(100, 110)])
    assert any("q=client.1" in url and "page=1&" in url for url in asked), asked  # the server filters
    pager.number(6).click()
    pager.expect_at(6, total=51)
    expect_listed(page, ["@client.150"])
    search.fill("@client.077")
    expect_listed(page, ["@client.077"])
    expect(row(page, "@client.077")).to_contain_text("Client 077")
    pager.expect_none()  # one row: no pagination, as a short list never had one
    search.fill("")
    expect_listed(page, FIRST_PAGE)
    pager.expect_at(1)


def test_states_and_row_actions_work_on_every_page(library: str, mock: MockBusinessCenter, page: Page) -> None:
    """Assigned, linked and pending rows on later pages; View and Disconnect from a row on page 2; a disconnect that
    empties the last page shows the page the server answered (the new last one)."""
    assert mock.state()["accounts"]["@client.148"]["assigned"]
    page.request.post(f"/api/qr?org_id={ORG}", data={"username": "@new.brand"})  # pending: listed last
    go(page, "/manage/accounts/tiktok-accounts")
    pager = Pager(page, library)
    pager.number(16).click()
    pager.expect_at(16, total=153)
    expect_listed(page, ["@client.149", "@client.150", "@new.brand"])
    expect(row(page, "@new.brand")).to_contain_text("Pending")
    expect(row(page, "@new.brand").get_by_role("button")).to_have_count(0)  # nothing to disconnect yet
    pager.previous.click()
    pager.expect_at(15, total=153)
    expect(row(page, "@client.148")).to_contain_text("Northwind Ads 01")  # assigned
    expect(row(page, "@client.147")).to_contain_text("Linked")

    pager.number(1).click()
    pager.next.click()
    pager.expect_at(2, total=153)
    row(page, "@client.010").get_by_role("button").click()
    page.get_by_role("menuitem", name="View", exact=True).click()
    details = dialog(page, "Client 010")
    expect(details).to_contain_text("@client.010")
    expect(details).to_contain_text("Northwind Ads 01")
    page.keyboard.press("Escape")
    expect(details).to_be_hidden()
    disconnect(page, "@client.011")
    pager.expect_at(2, total=152)  # the same page, a row shorter: the next account moves up
    expect_listed(page, [*(client_handle(n) for n in (9, 10, *range(12, 19))), "@client.019"])
    assert mock_state(mock)["@client.011"] == {"linked": False, "assigned": False}

    mock.reset(markup=library, edition="big", delay=0.02)  # 152 again: the last page holds two rows
    go(page, "/manage/accounts/tiktok-accounts")
    pager.number(16).click()
    pager.expect_at(16)
    disconnect(page, "@client.150")
    expect_listed(page, ["@client.149"])
    disconnect(page, "@client.149")
    pager.expect_at(15, total=150)  # page 16 is gone: the server's answer is its new last page
    expect_listed(page, [client_handle(n) for n in range(139, 149)])
    pager.expect_disabled(pager.next)


def disconnect(page: Page, handle: str) -> None:
    row(page, handle).get_by_role("button").click()
    page.get_by_role("menuitem", name="Disconnect").click()
    confirm = dialog(page, "Disconnect this TikTok account?")
    confirm.get_by_role("button", name="Disconnect").click()
    expect(confirm).to_be_hidden()
    expect(row(page, handle)).to_have_count(0)


# -- Add Assets ----------------------------------------------------------------------------------------------------


def open_tiktok_assets(page: Page) -> Locator:
    go(page, "/manage/accounts/adv")
    button(page, "Add Assets").click()
    assets = dialog(page, "Add Assets")
    assets.get_by_text("TikTok Accounts", exact=True).click()
    expect(assets.get_by_placeholder("Search accounts")).to_be_visible()
    return assets


def test_add_assets_search_filters_the_options_and_the_assignment_saves(
    library: str, mock: MockBusinessCenter, page: Page
) -> None:
    assets = open_tiktok_assets(page)
    options = assets.get_by_role("checkbox")
    expect(options).to_have_count(152)
    assert_drawn_by_library(page, library)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/api/" in request.url else None)
    search = assets.get_by_placeholder("Search accounts")
    search.press_sequentially("077")  # as you type, in the page
    expect(options).to_have_count(1)
    expect(options).to_have_accessible_name("Client 077 @client.077")
    assets.get_by_text("Client 077 @client.077", exact=True).click()  # where a person clicks: the label
    expect(options).to_be_checked()
    expect(assets.get_by_role("button", name="Save")).to_be_enabled()
    search.fill("Client 01")  # by display name: Client 010 ... Client 019
    expect(options).to_have_count(10)
    assigned = assets.get_by_role("checkbox", name="Client 010 @client.010")  # 010 = 3*3+1: assigned
    expect(assigned).to_be_disabled()
    expect(assigned).not_to_be_checked()
    the_box = page.get_by_role("checkbox", name="Client 010 @client.010")
    expect(assets.locator("div", has=the_box, has_text="Assigned").last.get_by_text("Assigned")).to_be_visible()
    search.fill("nobody.here")
    expect(options).to_have_count(0)
    expect(assets.get_by_text("No accounts found", exact=True)).to_be_visible()
    search.fill("")
    expect(options).to_have_count(152)
    expect(assets.get_by_role("checkbox", name="Client 077 @client.077")).to_be_checked()  # kept while hidden
    assert asked == []  # no request: the options are filtered where they are
    assets.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Added successfully")).to_be_visible()
    expect(assets).to_be_hidden()
    assert mock_state(mock)["@client.077"] == {"linked": True, "assigned": True}
    assert mock_state(mock)["@client.078"]["assigned"] is False


# The scrolling box around the options (the nearest ancestor that scrolls) and one option's row (the child of the
# group that holds the first checkbox), measured from the first checkbox.
_MEASURE = """first => {
  let box = first.parentElement;
  while (getComputedStyle(box).overflowY !== "auto") box = box.parentElement;
  let option = first;
  while (option.parentElement.querySelectorAll("input[type=checkbox]").length < 2) option = option.parentElement;
  return { client: box.clientHeight, scroll: box.scrollHeight, top: box.scrollTop,
    option: option.getBoundingClientRect().height, box: box.getBoundingClientRect().toJSON() };
}"""


def test_add_assets_options_scroll_in_a_box_about_eight_high(
    library: str, mock: MockBusinessCenter, page: Page
) -> None:
    assets = open_tiktok_assets(page)
    first = assets.get_by_role("checkbox").first  # Arco's input is drawn over by its box: measured, not seen
    expect(assets.get_by_text("Acme Official @acme.official", exact=True)).to_be_visible()
    sizes = first.evaluate(_MEASURE)
    assert sizes["scroll"] > 10 * sizes["client"], sizes
    assert 7.5 <= sizes["client"] / (sizes["option"] + 8) <= 8.5, sizes  # options 8 px apart
    last = assets.get_by_text("Client 150 @client.150", exact=True)
    assert not inside(sizes["box"], last)
    assets.get_by_text("Acme Official @acme.official", exact=True).hover()
    page.mouse.wheel(0, 600)
    page.wait_for_function(f"first => ({_MEASURE})(first).top > 0", arg=first.element_handle())
    last.scroll_into_view_if_needed()
    assert inside(sizes["box"], last)

    mock.reset(markup=library, delay=0.02)  # two accounts: the box is simply short
    assets = open_tiktok_assets(page)
    sizes = assets.get_by_role("checkbox").first.evaluate(_MEASURE)
    assert sizes["scroll"] == sizes["client"] < 3 * (sizes["option"] + 8), sizes


def inside(box: dict[str, float], item: Locator) -> bool:
    """The item lies within the box's visible area."""
    inner = item.bounding_box()
    assert inner
    return inner["y"] >= box["y"] - 0.5 and inner["y"] + inner["height"] <= box["y"] + box["height"] + 0.5
