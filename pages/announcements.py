"""Announcement and tour dialogs that cover the page on arrival: dismissed whenever they get in the way."""

from __future__ import annotations

from playwright.sync_api import Locator

from runbook.core.tutorial import label_pattern
from runbook.eyes.controls import Walk


class Announcements:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        # A dismiss button's text ("Got it") anywhere: the handler then checks that it sits in a dialog or popup
        # over the page (none of the runbook's own dialogs has one), with or without role=dialog.
        self.dismiss_text: Locator = walk.page.get_by_text(label_pattern(walk.tutorial.dismiss)).filter(visible=True)

    def watch(self) -> Announcements:
        """Playwright runs the handler before any action or wait that the dialog would block."""
        self.walk.page.add_locator_handler(self.dismiss_text, self._dismiss, no_wait_after=True)
        return self

    def _dismiss(self, text: Locator) -> None:
        labels = list(self.walk.tutorial.dismiss)
        found = self.walk.eyes.find(labels, [], 0, names=False)
        over = [c for c in found.candidates if c.region.startswith("layer")]
        if over:
            self.walk.page.locator(found.scan.target(over[0].index)).click()
            self.walk.interruptions += 1
