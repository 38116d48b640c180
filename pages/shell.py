"""The frame around every Business Center page: the left-hand menu."""

from __future__ import annotations

from playwright.sync_api import Locator

from runbook.eyes.driver import Driver
from runbook.eyes.routes import follow
from runbook.pages.accounts import AccountsPage
from runbook.pages.tiktok_accounts import TikTokAccountsPage


class Shell:
    def __init__(self, driver: Driver) -> None:
        self.driver = driver

    def menu(self) -> Locator:
        """The left-hand menu as the candidate engine sees it: a navigation landmark, a menu role, an aside, or a
        tall narrow column of controls at the left; marked so that a Locator addresses it."""
        self.driver.eyes.menu()
        return self.driver.page.locator("[data-runbook-menu]")

    def open_accounts(self) -> AccountsPage:
        """Accounts in the left-hand menu (on the way there, and on the way back)."""
        follow(self.driver, "navigation")
        return AccountsPage(self.driver)

    def open_tiktok_accounts(self) -> TikTokAccountsPage:
        """TikTok Accounts, under Accounts."""
        follow(self.driver, "navigation")
        return TikTokAccountsPage(self.driver)
