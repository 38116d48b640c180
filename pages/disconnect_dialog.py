"""The confirmation that asks whether to disconnect a TikTok account (the FAQ's last answer).

Confirmations come in more shapes than the runbook's other dialogs: a modal (role dialog), an alert dialog
(role alertdialog, what many libraries use for "are you sure?"), or a pop-over anchored to the row (Ant Design's
Popconfirm, role tooltip). The one named like the question is preferred, then any of them.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.controls import Walk, follow, wait_for_any
from runbook.tutorial import label_pattern


def _confirmations(page: Page) -> Locator:
    return page.get_by_role("alertdialog").or_(page.get_by_role("dialog")).or_(page.get_by_role("tooltip"))


class DisconnectDialog:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.step = walk.tutorial.disconnect_step(3)
        page = walk.page
        titles = label_pattern(self.step.texts("dialog_titles"), whole=False)
        named = (
            page.get_by_role("alertdialog", name=titles)
            .or_(page.get_by_role("dialog", name=titles))
            .filter(visible=True)
        )
        anyone = _confirmations(page).filter(visible=True)
        self.dialog: Locator = named if wait_for_any([named, anyone], walk.timeout_ms) == 0 else anyone

    def confirm(self) -> None:
        """Disconnect step 3: the confirming button; done when the confirmation has gone (an error keeps it)."""
        follow(self.walk, self.dialog, self.step)
        # `.first` only to wait until none is left: "detached" of the first match means no match at all.
        self.dialog.first.wait_for(state="detached", timeout=self.walk.timeout_ms)
