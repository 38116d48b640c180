"""The main content area, apart from the menu: where a page's own buttons are looked for."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def main_area(page: Page) -> Page | Locator:
    """The `main` landmark when the page has one, so the menu's links are not taken for the page's buttons."""
    main = page.get_by_role("main")
    return main if main.count() == 1 else page
