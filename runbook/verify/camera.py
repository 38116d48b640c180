"""verify's and guide's screenshots: one of each step, with the control it clicks outlined (a Watcher of the
run's steps, runbook/steps/run.py)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from playwright.sync_api import ElementHandle, Locator, Page
from playwright.sync_api import Error as PlaywrightError

from runbook.core.tutorial import Step, StepKey

# Drawn around the control a step clicks, in the screenshot taken just before the click.
_OUTLINE = """(element, on) => {
  const box = element.closest('label') || element;  // a styled radio's input hides under its label
  box.style.outline = on ? '3px solid #e000e0' : '';  // magenta: in no Business Center palette (its red is TikTok's)
  box.style.outlineOffset = on ? '-4px' : '';  // drawn inside its box: a control at the window's edge keeps it whole
}"""
# The dialog a control is in (a person's eye is on it, and it may be taller than the window), if any: by its role,
# which is what assistive technology reads too.
_DIALOG = "element => element.closest('[role=dialog], [role=alertdialog], dialog')"
# The page is asked to settle before a picture at most this long: a busy page is still worth a picture, and a
# page that never stills (a countdown, a poll every half second) would otherwise cost each picture the whole wait.
SETTLE_MS = 1_000
# A picture needs what is drawn to hold still for a few frames, not the quiet that tells a page's content is all
# there before a label is judged absent (QUIET_MS, runbook/eyes/network.py): the step found its control already.
STILL_FOR_MS = 120


class Camera:
    """Writes `<step slug>.png` into `folder` for each step: before its first click (the control outlined), else
    once its action is done (the element it returned outlined), else when it broke."""

    def __init__(self, folder: Path, timeout_ms: float) -> None:
        self.folder = folder
        self.timeout_ms = timeout_ms
        self.shots: dict[StepKey, Path] = {}
        self.settle: Callable[[float, float], bool] = lambda timeout_ms, quiet_ms: True

    def settle_with(self, settle: Callable[[float, float], bool]) -> None:
        """How to wait for the page to settle before a picture (the driver's eyes: runbook/eyes/engine.py)."""
        self.settle = settle

    def shoot(self, step: Step, page: Page, control: Locator | None) -> None:
        """A picture for this step, taken once the page settled, with `control` outlined and in the frame: the
        dialog it is in (whole, however tall), else the window scrolled to it."""
        path = self.folder / f"{step.slug}.png"
        with suppress(PlaywrightError):
            self.settle(min(SETTLE_MS, self.timeout_ms), STILL_FOR_MS)
        outlined = control is not None and self._outline(control, True)
        try:
            dialog = self._frame(control) if outlined and control is not None else None
            if dialog is not None:
                dialog.screenshot(path=path, timeout=self.timeout_ms)
            else:
                page.screenshot(path=path, timeout=self.timeout_ms, full_page=self._taller(page, control))
        except PlaywrightError:
            return
        finally:
            if outlined and control is not None:
                self._outline(control, False)
        self.shots[step.key] = path

    @staticmethod
    def _taller(page: Page, control: Locator | None) -> bool:
        """The control is taller than the window (a whole side menu): only the whole page shows all of it."""
        if control is None or page.viewport_size is None:
            return False
        try:
            box = control.bounding_box(timeout=1_000)
        except PlaywrightError:
            return False
        return box is not None and box["height"] > page.viewport_size["height"]

    @staticmethod
    def _frame(control: Locator) -> ElementHandle | None:
        """Scrolls `control` into view; returns the dialog it is in, if any."""
        try:
            control.scroll_into_view_if_needed(timeout=1_000)
            return control.evaluate_handle(_DIALOG, timeout=1_000).as_element()
        except PlaywrightError:
            return None

    @staticmethod
    def _outline(control: Locator, on: bool) -> bool:
        try:
            control.evaluate(_OUTLINE, on, timeout=1_000)
        except PlaywrightError:  # gone, or more than one: the screenshot is still worth having
            return False
        return True

    # -- as the run's Watcher ---------------------------------------------------------------------------------

    def target(self, step: Step, control: Locator) -> None:
        self.shoot(step, control.page, control)

    def problem(self, step: Step, page: Page) -> None:
        self.shoot(step, page, None)

    def taken(self, step: Step, page: Page, result: Any) -> None:
        outline = result if isinstance(result, Locator) else None
        if outline is not None or step.key not in self.shots:
            self.shoot(step, page, outline)

    def shot(self, step: Step) -> Path | None:
        return self.shots.get(step.key)
