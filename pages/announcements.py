"""Announcement and tour dialogs that cover the page on arrival: dismissed whenever they get in the way."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.controls import Walk, clickable


class Announcements:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        page = walk.page
        # A dialog with a dismiss button ("Got it"): none of the runbook's own dialogs has one. (`has` looks
        # inside each dialog, so the button's locator starts from the page, not from a dialog.)
        self.dialog: Locator = page.get_by_role("dialog").filter(has=clickable(page, walk.tutorial.dismiss))
        self.dismissed = 0

    def watch(self) -> Announcements:
        """Playwright runs the handler before any action or wait that the dialog would block."""
        self.walk.page.add_locator_handler(self.dialog, self._dismiss)
        return self

    def _dismiss(self, dialog: Locator) -> None:
        clickable(dialog, self.walk.tutorial.dismiss).click()
        self.dismissed += 1
