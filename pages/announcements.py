"""Announcement and tour dialogs that cover the page on arrival: dismissed whenever they get in the way."""

from __future__ import annotations

from playwright.sync_api import Locator

from runbook.core.tutorial import label_pattern
from runbook.eyes.choice import in_layers
from runbook.eyes.driver import Driver


class Announcements:
    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        # A dismiss button's text ("Got it") anywhere: the handler then checks that it sits in a dialog or popup
        # over the page (none of the runbook's own dialogs has one), with or without role=dialog.
        dismiss = label_pattern(driver.tutorial.dismiss)
        self.dismiss_text: Locator = driver.page.get_by_text(dismiss).filter(visible=True)

    def watch(self) -> Announcements:
        """Playwright runs the handler before any action or wait that the dialog would block."""
        self.driver.page.add_locator_handler(self.dismiss_text, self._dismiss, no_wait_after=True)
        return self

    def _dismiss(self, text: Locator) -> None:
        labels = list(self.driver.tutorial.dismiss)
        found = self.driver.eyes.find(labels, [], 0, names=False)
        over = in_layers(found.candidates)
        if over:
            found.scan.locator(over[0].index).click()
            self.driver.interruptions += 1
