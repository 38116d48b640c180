"""Who asks, as the owner is told: the Business Center's name read off the page's header as a person reads it,
next to the product's name, in every markup (never the "Switch" link or the signed-in person's initial)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from runbook.core import tutorial
from runbook.eyes.driver import Driver
from runbook.fixtures.server import MockBusinessCenter
from runbook.pages.shell import Shell
from tests.support.markup import go
from tests.support.matrix import cells

NAME = "Southwind & Co. Média"
CENTERS = [("7623379731659948049", NAME), ("7623379731659948050", "Other Center")]


@pytest.mark.parametrize(
    ("markup", "edition"),
    cells(
        [
            ("aria", "tutorial"),
            ("mui", "tutorial"),
            ("bare", "tutorial"),
            ("aria", "lookalike"),
            ("arco", "tutorial"),
            ("semi", "tutorial"),
        ],
        everyday=[("aria", "tutorial"), ("arco", "tutorial")],
    ),
)
def test_the_business_centers_name_is_read_from_the_header(mock: MockBusinessCenter, page: Page, markup, edition):
    mock.reset(markup=markup, edition=edition, business_centers=CENTERS)
    go(page, "/manage/accounts/tiktok-accounts")
    expect(page.get_by_text(NAME).first).to_be_visible()
    assert Shell(Driver(page, tutorial.load(), timeout_ms=5_000)).business_center_name() == NAME


def test_a_page_without_the_products_name_has_no_business_center_name(page: Page) -> None:
    page.set_content("<main><h1>Something else</h1><p>Northwind</p></main>")
    assert Shell(Driver(page, tutorial.load(), timeout_ms=1_000)).business_center_name() is None


def test_without_the_products_name_the_pickers_card_says_who_asks(page: Page) -> None:
    page.set_content("<main><h1>Accounts</h1></main>")
    driver = Driver(page, tutorial.load(), timeout_ms=1_000)
    assert Shell(driver, picked="Northwind Agency").business_center_name() == "Northwind Agency"
