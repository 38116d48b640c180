"""The dialog that asks whether to disconnect a TikTok account (the FAQ's last answer)."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.controls import Walk, follow
from pages.dialogs import find_dialog


class DisconnectDialog:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.step = walk.tutorial.disconnect_step(3)
        self.dialog: Locator = find_dialog(walk, self.step.texts("dialog_titles"))

    def confirm(self) -> None:
        """Disconnect step 3: the confirming button; done when the dialog has gone (an error keeps it open)."""
        follow(self.walk, self.dialog, self.step)
        self.dialog.wait_for(state="hidden", timeout=self.walk.timeout_ms)
