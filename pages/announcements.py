"""Announcement and tour dialogs that cover the page on arrival: dismissed whenever they get in the way."""

from __future__ import annotations

import time

from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from runbook.core.tutorial import label_pattern
from runbook.eyes.choice import in_layers
from runbook.eyes.clicks import DETACH_MS
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
        """Click the dismiss button of the layer over the page. A library that re-renders the dialog while it
        animates in detaches the button found a moment ago: it is found again (within the step's time) rather
        than waited for until the time-out, which would fail the action the dialog was blocking."""
        labels = list(self.driver.tutorial.dismiss)
        deadline = time.monotonic() + self.driver.timeout_ms / 1000
        tried = False
        while True:
            found = self.driver.eyes.find(labels, [], 0, names=False)
            over = in_layers(found.candidates)
            if not over:  # gone (dismissed by a click that timed out only after it was made, or by the app)
                break
            tried = True
            try:
                found.scan.locator(over[0].index).click(timeout=DETACH_MS)
                break
            except PlaywrightTimeoutError:
                if time.monotonic() >= deadline:
                    raise
        if tried:
            self.driver.interruptions += 1
