"""The big edition: an agency's Business Center with 152 linked accounts, the TikTok accounts list in pages of 10
(each markup with its own pagination control) and Add Assets' options behind a search box in a scrolling box.

Mock tests: Playwright drives the mock directly, reaching controls the way each markup lets a person see them
(aria by role and name, bare by text, title and class, mui by MUI's names), not through the runbook.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from runbook.fixtures.config import MockConfig
from runbook.fixtures.roster import client_assigned, client_handle
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import run_cli
from tests.support.markup import ORG, assert_bare, go
from tests.support.matrix import cells

MARKUPS = ("aria", "bare", "mui")
# aria every day; bare and mui draw the same lists in their own markup (make test-matrix).
MARKUP_CELLS = cells(MARKUPS, everyday=["aria"])
# The handles the list shows, in order, whatever the markup (every dialect draws the account cell alike).
_LISTED = "() => [...document.querySelectorAll('#bc-main .tt-account-cell .bc-muted')].map(e => e.textContent)"


def api(mock: MockBusinessCenter, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{mock.url}{path}", data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def listing(mock: MockBusinessCenter, **query: Any) -> tuple[int, Any]:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return api(mock, f"/api/tiktok-accounts?org_id={ORG}&pending=1&{params}")


@pytest.fixture
def big(mock: MockBusinessCenter) -> MockBusinessCenter:
    mock.reset(edition="big", delay=0.0)
    return mock


# -- the store and the API ------------------------------------------------------------------------------------


def test_big_seeds_150_clients_every_third_one_assigned(big: MockBusinessCenter) -> None:
    accounts = big.state()["accounts"]
    assert list(accounts)[:4] == ["@acme.official", "@linked.only", "@client.001", "@client.002"]
    assert len(accounts) == 152 and list(accounts)[-1] == "@client.150"
    assert all(account["linked"] for account in accounts.values())
    assigned = [handle for handle, account in accounts.items() if account["assigned"]]
    assert assigned[:4] == ["@acme.official", "@client.001", "@client.004", "@client.007"]
    assert len(assigned) == 51 and assigned[-1] == "@client.148"  # 50 clients: 001, 004, ..., 148
    assert [client_assigned(n) for n in (1, 2, 3, 4, 148, 150)] == [True, False, False, True, True, False]
    assert client_handle(77) == "@client.077"
    status, everything = api(big, f"/api/tiktok-accounts?org_id={ORG}")  # no page: the whole list
    assert status == 200 and len(everything["accounts"]) == 152
    assert everything["accounts"][78]["display_name"] == "Client 077"

    big.reset(edition="tutorial", delay=0.0)  # the other editions keep their two accounts
    assert list(big.state()["accounts"]) == ["@acme.official", "@linked.only"]
    big.reset(edition="big", delay=0.0, linked={"@client.005": True})  # a configured client keeps its state
    accounts = big.state()["accounts"]
    assert len(accounts) == 150 and accounts["@client.005"]["assigned"] is True


def test_the_list_comes_a_page_at_a_time_with_pending_accounts_last(big: MockBusinessCenter) -> None:
    status, first = listing(big, page=1)
    assert status == 200
    assert (first["total"], first["page"], first["page_size"], len(first["accounts"])) == (152, 1, 10, 10)
    status, last = listing(big, page=16, page_size=10)
    assert [row["handle"] for row in last["accounts"]] == ["@client.149", "@client.150"]
    assert api(big, f"/api/qr?org_id={ORG}", {"username": "@new.brand"})[0] == 200
    _, last = listing(big, page=16)
    assert [(row["handle"], row["status"]) for row in last["accounts"]][-1] == ("@new.brand", "Pending")
    assert last["total"] == 153
    _, beyond = listing(big, page=99)  # a page past the end is the last page, and the answer says so
    assert beyond["page"] == 16 and len(beyond["accounts"]) == 3
    _, searched = listing(big, page=1, q="client.1")
    assert searched["total"] == 51 and searched["accounts"][0]["handle"] == "@client.100"
    _, larger = listing(big, page=2, page_size=100)
    assert len(larger["accounts"]) == 53
    for bad in ({"page": 0}, {"page": "two"}, {"page": 1, "page_size": 0}, {"page": 1, "page_size": 101}):
        assert listing(big, **bad)[0] == 400
    _, overview = api(big, f"/api/overview?org_id={ORG}")
    assert overview["counts"]["tiktok_accounts"] == 152


def test_new_editions_are_configured_and_served_by_the_mock_command(
    mock: MockBusinessCenter, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert MockConfig(edition="big").edition == "big"
    assert MockConfig(edition="frame-qr", markup="mui", qr_render="svg").edition == "frame-qr"
    with pytest.raises(ValueError, match="unknown edition"):
        MockConfig(edition="huge")
    served: list[MockConfig] = []
    monkeypatch.setattr("runbook.fixtures.server.serve", lambda config, **_: served.append(config))
    for edition in ("big", "frame-qr"):
        result = run_cli(["mock", "--port", "0", "--edition", edition, "--markup", "bare"], capsys, monkeypatch)
        assert result.code == 0, result
    assert [(config.edition, config.markup) for config in served] == [("big", "bare"), ("frame-qr", "bare")]
    assert "big" in run_cli(["mock", "--help"], capsys, monkeypatch).out


# -- pagination in each markup --------------------------------------------------------------------------------


class Pager:
    """The list's pagination control as each markup draws it."""

    def __init__(self, page: Page, markup: str) -> None:
        self.page = page
        self.markup = markup
        main = page.locator("#bc-main")
        if markup == "aria":
            self.previous = main.get_by_role("button", name="Previous")
            self.next = main.get_by_role("button", name="Next")
        elif markup == "bare":  # icons whose only name is a tooltip
            self.previous = main.locator(".bc-okee-pager [title=Previous]")
            self.next = main.locator(".bc-okee-pager [title=Next]")
        else:
            self.previous = main.get_by_role("button", name="Go to previous page")
            self.next = main.get_by_role("button", name="Go to next page")

    def number(self, n: int) -> Locator:
        """Page n's button (aria, bare); MUI's TablePagination has none."""
        main = self.page.locator("#bc-main")
        if self.markup == "aria":
            return main.get_by_role("listitem").get_by_role("button", name=str(n), exact=True)
        return main.locator(".bc-okee-pager").get_by_text(str(n), exact=True)

    def expect_at(self, number: int, total: int = 152) -> None:
        """Page `number` is the one marked current (aria-current, a class, or MUI's '11–20 of 152')."""
        if self.markup == "mui":
            first, last = (number - 1) * 10 + 1, min(total, number * 10)
            expect(self.page.locator(".MuiTablePagination-displayedRows")).to_have_text(f"{first}–{last} of {total}")
        elif self.markup == "aria":
            current = self.page.locator("#bc-main [aria-current=page]")
            expect(current).to_have_text(str(number))
            expect(self.page.locator("li.bc-okee-pager-item-checked")).to_have_text(str(number))
        else:
            expect(self.page.locator(".bc-okee-pager-item-checked")).to_have_text(str(number))

    def expect_disabled(self, control: Locator) -> None:
        if self.markup == "bare":  # a class, not an attribute: the click would go through and be ignored
            expect(control).to_have_class(re.compile(r"\bbc-okee-pager-item-disabled\b"))
        else:
            expect(control).to_be_disabled()


def listed(page: Page) -> list[str]:
    return page.evaluate(_LISTED)


def expect_listed(page: Page, handles: list[str]) -> None:
    expect(page.locator("#bc-main .tt-account-cell .bc-muted")).to_have_text(handles)


@pytest.mark.parametrize("markup", MARKUP_CELLS)
def test_big_list_pages_through_152_accounts(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    mock.reset(edition="big", markup=markup, delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    pager = Pager(page, markup)
    expect_listed(page, ["@acme.official", "@linked.only", *map(client_handle, range(1, 9))])
    pager.expect_at(1)
    pager.expect_disabled(pager.previous)
    pager.next.click()
    pager.expect_at(2)
    expect_listed(page, [client_handle(n) for n in range(9, 19)])
    pager.previous.click()
    pager.expect_at(1)
    expect(page.locator("#bc-main").get_by_text("@acme.official")).to_be_visible()
    if markup == "mui":  # no page numbers: next to the end, then a larger page
        for number in range(2, 17):
            pager.next.click()
            pager.expect_at(number)
        pager.expect_disabled(pager.next)  # 152 accounts: 15 full pages of 10 and a 16th of 2
        expect_listed(page, ["@client.149", "@client.150"])
        page.get_by_role("combobox", name=re.compile("Rows per page")).click()
        page.get_by_role("listbox").get_by_role("option", name="25").click()
        expect(page.locator(".MuiTablePagination-displayedRows")).to_have_text("1–25 of 152")
        assert len(listed(page)) == 25
    else:
        expect(pager.number(2)).to_be_visible()
        expect(pager.number(16)).to_be_visible()
        expect(pager.number(10)).to_have_count(0)  # far pages are behind a gap
        expect(page.locator("#bc-main .bc-okee-pager-item-ellipsis")).to_have_count(1)
        pager.number(16).click()
        pager.expect_at(16)
        expect_listed(page, ["@client.149", "@client.150"])
        pager.number(13).click()
        pager.expect_at(13)
        expect_listed(page, [client_handle(n) for n in range(119, 129)])
        pager.number(16).click()
        pager.expect_at(16)
        pager.expect_disabled(pager.next)
    if markup == "bare":
        assert_bare(page)


@pytest.mark.parametrize("markup", MARKUP_CELLS)
def test_big_list_search_finds_an_account_and_starts_on_page_one(
    mock: MockBusinessCenter, page: Page, markup: str
) -> None:
    mock.reset(edition="big", markup=markup, delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    pager = Pager(page, markup)
    pager.next.click()
    pager.expect_at(2)  # a click while the list is still loading its page is not a second page turn
    pager.next.click()
    pager.expect_at(3)
    search = page.get_by_placeholder("Search by name or ID")
    search.fill("client.1")  # 51 accounts: @client.100 ... @client.150, six pages
    pager.expect_at(1, total=51)
    expect_listed(page, [client_handle(n) for n in range(100, 110)])
    search.fill("@client.077")
    expect_listed(page, ["@client.077"])
    expect(page.locator("#bc-main").get_by_text("Client 077", exact=True)).to_be_visible()
    # One row: a short list has no pagination control, as the small editions' lists never had.
    expect(page.locator("#bc-main .bc-okee-pagination, #bc-main .MuiTablePagination-root")).to_have_count(0)
    search.fill("")
    expect_listed(page, ["@acme.official", "@linked.only", *map(client_handle, range(1, 9))])


@pytest.mark.parametrize("markup", MARKUP_CELLS)
def test_small_lists_have_no_pagination(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    mock.reset(markup=markup, delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    expect_listed(page, ["@acme.official", "@linked.only"])
    expect(page.locator(".bc-okee-pagination, .MuiTablePagination-root, .MuiDataGrid-footerContainer")).to_have_count(0)


# -- Add Assets: search and the scrolling box -----------------------------------------------------------------


def open_tiktok_assets(page: Page) -> Locator:
    go(page, "/manage/accounts/adv")
    page.locator("#bc-main").get_by_text("Add Assets", exact=True).click()
    page.get_by_text("TikTok Accounts", exact=True).click()  # the radio's label text, in every markup
    search = page.get_by_placeholder("Search accounts")
    expect(search).to_be_visible()
    return search


def shown_options(page: Page) -> Locator:
    return page.locator(".add-assets-option").filter(visible=True)


@pytest.mark.parametrize("markup", MARKUP_CELLS)
def test_big_add_assets_search_filters_the_options(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    mock.reset(edition="big", markup=markup, delay=0.02)
    search = open_tiktok_assets(page)
    expect(shown_options(page)).to_have_count(152)
    search.press_sequentially("077")  # as you type, with no request
    expect(shown_options(page)).to_have_count(1)
    expect(shown_options(page)).to_contain_text("@client.077")
    option = shown_options(page)
    option.locator("label").click()  # where a person clicks: the option's label
    expect(option.locator("input[type=checkbox]")).to_be_checked()
    search.fill("Client 01")  # by display name: Client 010 ... Client 019
    expect(shown_options(page)).to_have_count(10)
    assigned = shown_options(page).filter(has_text="@client.010")  # 010 = 3*3+1: assigned, drawn as before
    expect(assigned).to_contain_text("Assigned")
    expect(assigned.locator("input[type=checkbox]")).to_be_disabled()
    search.fill("nobody.here")
    expect(shown_options(page)).to_have_count(0)
    expect(page.get_by_text("No accounts found")).to_be_visible()
    if markup == "bare":
        assert_bare(page)
    search.fill("")
    expect(shown_options(page)).to_have_count(152)
    expect(page.locator(".add-assets-option", has_text="@client.077").locator("input")).to_be_checked()  # kept
    page.get_by_text("Save", exact=True).click()
    expect(page.get_by_text("Added successfully")).to_be_visible()
    assert mock.state()["accounts"]["@client.077"] == {"linked": True, "assigned": True}


@pytest.mark.parametrize("markup", MARKUP_CELLS)
def test_add_assets_options_scroll_in_a_box_about_eight_high(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    mock.reset(edition="big", markup=markup, delay=0.02)
    open_tiktok_assets(page)
    box = page.locator(".add-assets-scroll")
    measure = """e => ({overflow: getComputedStyle(e).overflowY, client: e.clientHeight, scroll: e.scrollHeight,
        top: e.scrollTop, option: e.querySelector('.add-assets-option').getBoundingClientRect().height})"""
    sizes = box.evaluate(measure)
    assert sizes["overflow"] == "auto" and sizes["scroll"] > 10 * sizes["client"]
    assert 7.5 <= sizes["client"] / (sizes["option"] + 8) <= 8.5, sizes  # options are 8 px apart
    last = page.locator(".add-assets-option", has_text="@client.150")
    assert not _inside(box, last)
    box.hover()
    page.mouse.wheel(0, 600)
    page.wait_for_function("e => e.scrollTop > 0", arg=box.element_handle())
    last.scroll_into_view_if_needed()
    assert _inside(box, last)

    mock.reset(markup=markup, delay=0.02)  # two accounts: the box is simply short
    open_tiktok_assets(page)
    sizes = page.locator(".add-assets-scroll").evaluate(measure)
    assert sizes["scroll"] == sizes["client"] < 3 * (sizes["option"] + 8)


def _inside(box: Locator, item: Locator) -> bool:
    """The item lies within the box's visible area."""
    outer, inner = box.bounding_box(), item.bounding_box()
    assert outer and inner
    return inner["y"] >= outer["y"] - 0.5 and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
