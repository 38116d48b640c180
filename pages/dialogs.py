"""What every dialog shares: finding it among portals (with or without role=dialog), and closing it."""

from __future__ import annotations

from collections.abc import Sequence

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from runbook.core.errors import NoEffect, PageNotReady
from runbook.core.tutorial import Step
from runbook.eyes.controls import NO_EFFECT_MS, Walk, choose, press, wait_for_any


def find_dialog(walk: Walk, step: Step, titles: Sequence[str]) -> Locator:
    """The open dialog titled with one of `titles`, else the top-most modal one (titles drift too), marked so
    that a Locator addresses it. Raises PageNotReady when no dialog opens."""
    marked: list[str] = []

    def opened() -> bool:
        found = walk.eyes.mark_dialog(list(titles))
        if found:
            marked.append(found[0])
        return found is not None

    if wait_for_any(walk, {"dialog": opened}, walk.timeout_ms, until_settled=True) is None:
        raise PageNotReady(step.number, f"a dialog titled {' or '.join(repr(t) for t in titles)}", walk.visible_names())
    return walk.page.locator(f'[data-runbook-dialog="{marked[-1]}"]')


def is_open(dialog: Locator) -> bool:
    try:
        return dialog.count() > 0 and dialog.is_visible()
    except PlaywrightError:
        return False


def _closed(walk: Walk, dialog: Locator, timeout_ms: float) -> bool:
    return wait_for_any(walk, {"closed": lambda: not is_open(dialog)}, timeout_ms) is not None


def close_dialog(walk: Walk, dialog: Locator, step: Step) -> None:
    """Close with the first of the tutorial's close buttons the top-most dialog has, else with Escape."""
    if not is_open(dialog):
        return
    labels = list(walk.tutorial.close)
    found = walk.eyes.find(labels, [], 0, names=False)
    layer_only = [c for c in found.candidates if c.region.startswith("layer")]
    chosen = choose(step, layer_only, labels)
    if chosen is not None:
        press(walk, step, found.scan, chosen, lambda: None, outline=False)
    else:
        walk.page.keyboard.press("Escape")
    if not _closed(walk, dialog, NO_EFFECT_MS):
        walk.page.keyboard.press("Escape")
        if not _closed(walk, dialog, walk.timeout_ms):
            raise NoEffect(step.number, "the dialog to close", walk.visible_names(), "it stayed open")
