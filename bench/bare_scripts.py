"""connect's clicks on the tutorial edition written as plainly as Playwright allows, one script per markup: what
someone who knows the page would write by hand, the yardstick connect's wall time is measured against.

Each takes the page at the Business Center's overview and returns once Add Assets has saved. They know the
markup (what each library names, where it draws text instead of a role): the runbook does not.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable

from playwright.sync_api import Locator, Page

from runbook import qr

HANDLE = "@bench.brand"


def scan(payload: str) -> None:
    """The owner's scan and acceptance: the mock approves when the code's URL is requested."""
    with urllib.request.urlopen(payload, timeout=10) as answer:
        answer.read()


def _link_and_assign(page: Page, menu: Locator, group: Locator, close: Callable[[Locator], Locator]) -> None:
    group.click()
    menu.get_by_role("menuitem", name="TikTok accounts").click()
    page.get_by_role("button", name="Request Access").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name="TikTok username").fill(HANDLE)
    dialog.get_by_role("button", name="Generate QR code").click()
    scan(qr.decode(dialog.get_by_role("img", name="QR code").screenshot()))
    page.get_by_role("row").filter(has_text=HANDLE).filter(has_text="Linked").wait_for()
    close(dialog).click()
    menu.get_by_role("menuitem", name="Ad accounts").click()
    page.get_by_role("button", name="Add Assets").click()
    assets = page.get_by_role("dialog")
    assets.get_by_text("TikTok Accounts", exact=True).click()
    assets.get_by_text(HANDLE).click()
    assets.get_by_role("button", name="Save").click()
    page.get_by_text("Added successfully").wait_for()


def aria(page: Page) -> None:
    """okee's own markup: links in a navigation landmark, named controls everywhere."""
    nav = page.get_by_role("navigation")
    nav.get_by_role("link", name="Accounts", exact=True).click()
    nav.get_by_role("link", name="TikTok accounts", exact=True).click()
    page.get_by_role("button", name="Request Access").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name="TikTok username").fill(HANDLE)
    dialog.get_by_role("button", name="Generate QR code").click()
    scan(qr.decode(dialog.get_by_role("img", name="QR code").screenshot()))
    page.get_by_role("row").filter(has_text=HANDLE).filter(has_text="Linked").wait_for()
    dialog.get_by_role("button", name="Done").click()
    nav.get_by_role("link", name="Accounts", exact=True).click()
    page.get_by_role("button", name="Add Assets").click()
    assets = page.get_by_role("dialog")
    assets.get_by_role("radio", name="TikTok Accounts").check(force=True)
    assets.get_by_role("checkbox", name=HANDLE).check(force=True)
    assets.get_by_role("button", name="Save").click()
    page.get_by_text("Added successfully").wait_for()


def arco(page: Page) -> None:
    """Arco Design: a submenu's title is a text with no role; the dialog's corner icon and its footer button are
    both named "Close" (the footer's is the last)."""
    menu = page.get_by_role("menu")
    _link_and_assign(
        page, menu, menu.get_by_text("Accounts", exact=True), lambda d: d.get_by_role("button", name="Close").last
    )


def semi(page: Page) -> None:
    """Semi Design: a submenu's title is a menuitem; the corner icon is named "close", the footer's "Close"."""
    menu = page.get_by_role("menu")
    _link_and_assign(
        page,
        menu,
        menu.get_by_role("menuitem", name="Accounts"),
        lambda d: d.get_by_role("button", name="Close", exact=True),
    )


SCRIPTS: dict[str, Callable[[Page], None]] = {"aria": aria, "arco": arco, "semi": semi}
