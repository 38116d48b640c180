"""The frame around every Business Center page: the left-hand menu."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.accounts import AccountsPage
from pages.controls import Walk, follow
from pages.tiktok_accounts import TikTokAccountsPage


def side_menu(page: Page) -> Locator:
    """The left-hand menu: a navigation landmark, or a menu drawn as role menu / menubar / tree without one."""
    return (
        page.get_by_role("navigation")
        .or_(page.get_by_role("menu"))
        .or_(page.get_by_role("menubar"))
        .or_(page.get_by_role("tree"))
    )


class Shell:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.menu: Locator = side_menu(walk.page)

    def open_accounts(self, step: int = 2) -> AccountsPage:
        """Step 2 (and 7, on the way back): Accounts in the left-hand menu."""
        follow(self.walk, self.menu, self.walk.step(step))
        return AccountsPage(self.walk)

    def open_tiktok_accounts(self) -> TikTokAccountsPage:
        """Step 3: TikTok Accounts, under Accounts."""
        follow(self.walk, self.menu, self.walk.step(3))
        return TikTokAccountsPage(self.walk)
