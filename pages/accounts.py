"""Accounts (ad accounts): where Add Assets starts."""

from __future__ import annotations

from runbook.eyes.driver import Driver
from runbook.eyes.routes import follow
from runbook.pages.add_assets import AddAssetsDialog


class AccountsPage:
    """Arrival is the menu click's effect (runbook/eyes/clicks.py confirms it); no heading is required."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver

    def add_assets(self) -> AddAssetsDialog:
        """Add Assets, which opens the dialog of that name."""
        follow(self.driver, "page")
        return AddAssetsDialog(self.driver)
