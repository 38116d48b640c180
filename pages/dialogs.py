"""What every dialog of ours shares: finding it among portals, and closing it."""

from __future__ import annotations

from collections.abc import Sequence

from playwright.sync_api import Locator

from pages.controls import Walk, clickable, wait_for_any
from runbook.tutorial import label_pattern


def find_dialog(walk: Walk, titles: Sequence[str]) -> Locator:
    """The dialog titled with one of `titles`, else the one dialog that is open (titles drift too)."""
    named = walk.page.get_by_role("dialog", name=label_pattern(titles, whole=False)).filter(visible=True)
    anyone = walk.page.get_by_role("dialog").filter(visible=True)
    return named if wait_for_any([named, anyone], walk.timeout_ms) == 0 else anyone


def close_dialog(walk: Walk, dialog: Locator) -> None:
    """Close with the first of the tutorial's close buttons that the dialog has, else with Escape."""
    for label in walk.tutorial.close:
        button = clickable(dialog, [label])
        if button.count() == 1:
            button.click(timeout=walk.timeout_ms)
            break
    else:
        walk.page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=walk.timeout_ms)
