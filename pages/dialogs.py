"""Any open dialog: found among the page's portals (with or without role=dialog), and closed again."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from runbook.core.errors import NoEffect, PageNotReady
from runbook.eyes.answers import Candidate, Scan
from runbook.eyes.choice import choose, in_layers
from runbook.eyes.clicks import NO_EFFECT_MS, press
from runbook.eyes.driver import Driver
from runbook.eyes.waits import wait_for_any


class Dialog:
    """The dialog titled with one of `titles`, else the top-most modal one (titles drift too), marked so that
    `box`, a Locator, addresses it. Raises PageNotReady when no dialog opens within the driver's time-out."""

    def __init__(self, driver: Driver, titles: Sequence[str]) -> None:
        self.driver = driver
        marked: list[str] = []

        def opened() -> bool:
            found = driver.eyes.mark_dialog(list(titles))
            if found:
                marked.append(found[0])
            return found is not None

        if wait_for_any(driver, {"dialog": opened}, driver.timeout_ms, until_settled=True) is None:
            wanted = " or ".join(repr(title) for title in titles)
            raise PageNotReady(f"a dialog titled {wanted}", driver.visible_names())
        self.box: Locator = driver.page.locator(f'[data-runbook-dialog="{marked[-1]}"]')

    def is_open(self) -> bool:
        try:
            return self.box.count() > 0 and self.box.is_visible()
        except PlaywrightError:
            return False

    def _closed_within(self, timeout_ms: float) -> bool:
        return wait_for_any(self.driver, {"closed": lambda: not self.is_open()}, timeout_ms) is not None

    def close(self) -> None:
        """With the first of the tutorial's close buttons the top-most dialog has, else with Escape."""
        if not self.is_open():
            return
        driver = self.driver
        labels = list(driver.tutorial.close)

        def closer() -> tuple[Scan, Candidate] | None:
            found = driver.eyes.find(labels, [], 0, names=False)
            chosen = choose(in_layers(found.candidates), labels)
            return None if chosen is None else (found.scan, chosen)

        button = closer()
        if button is None:
            driver.page.keyboard.press("Escape")
        else:
            # A dialog that re-renders as it counts down replaces its button under the click: found again.
            with suppress(NoEffect):  # the button went away: the dialog closed, or Escape below closes it
                press(driver, *button, closer, outline=False)
        if self._closed_within(NO_EFFECT_MS):
            return
        driver.page.keyboard.press("Escape")
        if self._closed_within(NO_EFFECT_MS):
            return
        # A dialog deaf to Escape, its close icon nameless: the icon in its corner, judged by the dialog closing.
        corner = driver.eyes.closer()
        if corner is not None:
            driver.page.locator(corner).click(timeout=driver.timeout_ms)
        if not self._closed_within(driver.timeout_ms):
            raise NoEffect("the dialog to close", driver.visible_names(), "it stayed open")
