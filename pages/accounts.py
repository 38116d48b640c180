"""Accounts (ad accounts): where Add Assets starts."""

from __future__ import annotations

from runbook.eyes.controls import Walk, follow
from runbook.pages.add_assets import AddAssetsDialog


class AccountsPage:
    """Arrival is the menu click's effect (pages/controls.py confirms it); no heading is required."""

    def __init__(self, walk: Walk) -> None:
        self.walk = walk

    def add_assets(self) -> AddAssetsDialog:
        """Step 8."""
        follow(self.walk, self.walk.step(8), "page")
        return AddAssetsDialog(self.walk)
