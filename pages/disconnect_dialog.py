"""The confirmation that asks whether to disconnect a TikTok account (the FAQ's last answer).

Confirmations come in more shapes than the runbook's other dialogs: a modal, an alert dialog, or a pop-over
anchored to the row (Ant Design's Popconfirm). The candidate engine sees each as the top-most layer; the one
titled like the question is preferred.
"""

from __future__ import annotations

from playwright.sync_api import Locator
from runbook.pages.controls import Walk, follow, wait_for_any
from runbook.pages.dialogs import find_dialog, is_open

from runbook.errors import NoEffect


class DisconnectDialog:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.step = walk.tutorial.disconnect_step(3)
        self.dialog: Locator = find_dialog(walk, self.step, self.step.texts("dialog_titles"))

    def confirm(self) -> None:
        """Disconnect step 3: the confirming button; done when the confirmation has gone (an error keeps it)."""
        follow(self.walk, self.step, "dialog")
        closed = {"closed": lambda: not is_open(self.dialog)}
        if wait_for_any(self.walk, closed, self.walk.timeout_ms) is None:
            raise NoEffect(self.step.number, "the confirmation to close", self.walk.visible_names(), "it stayed open")
