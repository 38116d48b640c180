"""The frame around every Business Center page: the left-hand menu."""

from __future__ import annotations

from playwright.sync_api import Locator

from runbook.eyes.controls import Walk, follow
from runbook.pages.accounts import AccountsPage
from runbook.pages.tiktok_accounts import TikTokAccountsPage


def side_menu(walk: Walk) -> Locator:
    """The left-hand menu as the candidate engine sees it: a navigation landmark, a menu role, an aside, or a
    tall narrow column of controls at the left; marked so that a Locator addresses it."""
    walk.eyes.run("menu")
    return walk.page.locator("[data-runbook-menu]")


class Shell:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.menu: Locator = side_menu(walk)

    def open_accounts(self, step: int = 2) -> AccountsPage:
        """Step 2 (and 7, on the way back): Accounts in the left-hand menu."""
        follow(self.walk, self.walk.step(step), "navigation")
        return AccountsPage(self.walk)

    def open_tiktok_accounts(self) -> TikTokAccountsPage:
        """Step 3: TikTok Accounts, under Accounts."""
        follow(self.walk, self.walk.step(3), "navigation")
        return TikTokAccountsPage(self.walk)
