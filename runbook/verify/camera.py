"""verify's and guide's screenshots: one of each step, with the control it clicks outlined (a Watcher of the
run's steps, runbook/steps/run.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from runbook.core.tutorial import Step, StepKey

# Drawn around the control a step clicks, in the screenshot taken just before the click.
_OUTLINE = """(element, on) => {
  const box = element.closest('label') || element;  // a styled radio's input hides under its label
  box.style.outline = on ? '3px solid #fe2c55' : '';
  box.style.outlineOffset = on ? '2px' : '';
}"""


class Camera:
    """Writes `<step slug>.png` into `folder` for each step: before its first click (the control outlined), else
    once its action is done (the element it returned outlined), else when it broke."""

    def __init__(self, folder: Path, timeout_ms: float) -> None:
        self.folder = folder
        self.timeout_ms = timeout_ms
        self.shots: dict[StepKey, Path] = {}

    def shoot(self, step: Step, page: Page, control: Locator | None) -> None:
        """A screenshot of the page for this step, with `control` outlined when it can be."""
        path = self.folder / f"{step.slug}.png"
        outlined = control is not None and self._outline(control, True)
        try:
            page.screenshot(path=path, timeout=self.timeout_ms)
        except PlaywrightError:
            return
        finally:
            if outlined and control is not None:
                self._outline(control, False)
        self.shots[step.key] = path

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
