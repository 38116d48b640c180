"""Accounts (ad accounts): where Add Assets starts."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pages.add_assets import AddAssetsDialog
from pages.content import main_area
from pages.controls import Walk, follow, wait_for_any


class AccountsPage:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.heading = walk.page.get_by_role("heading").filter(visible=True)
        # Arrival: the page's content has rendered (it loads after an async request, like an app).
        if wait_for_any([self.heading], walk.timeout_ms) is None:
            raise PlaywrightTimeoutError("the Accounts page showed no heading")

    def add_assets(self) -> AddAssetsDialog:
        """Step 8."""
        follow(self.walk, main_area(self.walk.page), self.walk.step(8))
        return AddAssetsDialog(self.walk)
