"""The Add Assets dialog: asset type, the accounts' checkboxes, Save."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.controls import Walk, follow, wait_for_any
from pages.dialogs import close_dialog, find_dialog
from runbook.account import Handle
from runbook.tutorial import label_pattern


class SaveRefused(Exception):
    """The dialog answered Save with an error message."""


class AddAssetsDialog:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.dialog: Locator = find_dialog(walk, walk.step(9).texts("dialog_titles"))
        save = walk.step(10)
        self.saved_message = walk.page.get_by_text(label_pattern(save.texts("saved_texts"), whole=False))
        self.error_message = walk.page.get_by_role("alert").filter(visible=True)

    def choose_tiktok_accounts(self) -> AddAssetsDialog:
        """Step 9: the asset type."""
        follow(self.walk, self.dialog, self.walk.step(9))
        return self

    def checkbox(self, handle: Handle) -> Locator:
        """The account's checkbox: named after it, or (a table's selection column) the one in its row."""
        named = self.dialog.get_by_role("checkbox", name=handle.pattern)
        in_row = self.dialog.get_by_role("row", name=handle.pattern).get_by_role("checkbox")
        in_item = self.dialog.get_by_role("listitem", name=handle.pattern).get_by_role("checkbox")
        return named.or_(in_row).or_(in_item)

    def has_account(self, handle: Handle) -> bool:
        return wait_for_any([self.checkbox(handle)], self.walk.timeout_ms) is not None

    def is_assigned(self, handle: Handle) -> bool:
        """Ticked already and locked: the account is assigned from an earlier run."""
        box = self.checkbox(handle)
        return box.is_checked() and box.is_disabled()

    def tick(self, handle: Handle) -> AddAssetsDialog:
        """Step 10, first half. force: the native input hides under a styled label that takes the click."""
        self.checkbox(handle).check(force=True, timeout=self.walk.timeout_ms)
        return self

    def save(self) -> None:
        """Step 10, second half: Save, then wait for the confirmation or the error it answers with."""
        follow(self.walk, self.dialog, self.walk.step(10))
        outcome = wait_for_any([self.saved_message, self.error_message], self.walk.timeout_ms)
        if outcome != 0:
            shown = self.error_message.all_inner_texts() if outcome == 1 else []
            raise SaveRefused(" ".join(shown) or "no confirmation appeared")

    def close(self) -> None:
        close_dialog(self.walk, self.dialog)
