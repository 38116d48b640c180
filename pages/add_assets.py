"""The Add Assets dialog: asset type, the accounts' checkboxes, Save."""

from __future__ import annotations

import re

from playwright.sync_api import Locator

from runbook.core.errors import ControlNotFound, NoEffect
from runbook.core.handle import Handle
from runbook.core.tutorial import label_pattern
from runbook.eyes.answers import RowSeen
from runbook.eyes.clicks import NO_EFFECT_MS, checked_within
from runbook.eyes.driver import Driver
from runbook.eyes.routes import follow, locate
from runbook.eyes.waits import wait_for_any
from runbook.pages.assignment import Assignment, AssignmentWords
from runbook.pages.dialogs import Dialog
from runbook.pages.listing import Listing
from runbook.pages.tiktok_accounts import ANY_HANDLE

_WORDS = re.compile(r"\w")


class SaveRefused(Exception):
    """The dialog answered Save with an error message."""


class AddAssetsDialog:
    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self.dialog = Dialog(driver, driver.step.texts("dialog_titles"))
        self.words = AssignmentWords(driver.tutorial)
        self.listing = Listing(driver, in_dialog=True)
        saved = label_pattern(driver.tutorial.words("saved_texts"), whole=False)
        self.saved_message = driver.page.get_by_text(saved).filter(visible=True)
        # An alert that says something other than the confirmation (some libraries give every toast role=alert,
        # and draw its text a moment after the box).
        self.error_message = (
            driver.page.get_by_role("alert").filter(visible=True).filter(has_not_text=saved).filter(has_text=_WORDS)
        )

    def choose_tiktok_accounts(self) -> AddAssetsDialog:
        """The asset type: TikTok Accounts."""
        follow(self.driver, "dialog")
        return self

    def _row(self, handle: Handle) -> RowSeen | None:
        """The account's row in the dialog (its own checkbox, or a table row's), with its box marked."""
        rows = self.driver.eyes.rows(handle.pattern.pattern, ANY_HANDLE, in_layer=True)
        return next((row for row in rows if row.has_box), None)

    def has_account(self, handle: Handle) -> bool:
        """The account's checkbox shows once the list has loaded (waits until then, or until the page settles);
        among many, a person types the account into the dialog's search box first."""
        found = wait_for_any(
            self.driver, {"row": lambda: self._row(handle) is not None}, self.driver.timeout_ms, until_settled=True
        )
        if found == "row" or self._row(handle) is not None:
            return True
        return self.listing.search(str(handle), self._answers) and self._row(handle) is not None

    def _answers(self, text: str) -> bool:
        """The dialog shows what a search for `text` found: every account it offers is about it, or none is."""
        needle = text.casefold().lstrip("@")
        rows = self.driver.eyes.rows(ANY_HANDLE, ANY_HANDLE, in_layer=True)
        return all(needle in row.words.casefold() for row in rows if row.has_box)

    def assignment(self, handle: Handle) -> Assignment | None:
        """Whether the account is assigned already (an earlier run), read as a person reads it: the words of its row
        ("Assigned"), else a locked box, ticked or not. None when the dialog has no row for it."""
        row = self._row(handle)
        return self.words.read(row) if row is not None else None

    def assignments(self, handles: list[Handle]) -> dict[Handle, Assignment]:
        """How the dialog shows each of `handles` that it offers (read in one look once its list has loaded; one
        it does not show among many is looked for with its search box)."""
        if handles:
            self.has_account(handles[0])  # once the list has loaded
        rows = {Handle.in_text(row.words): row for row in self.driver.eyes.rows(ANY_HANDLE, ANY_HANDLE, in_layer=True)}
        found = {handle: self.words.read(rows[handle]) for handle in handles if handle in rows and rows[handle].has_box}
        for handle in handles:
            if handle not in found and self.has_account(handle):
                reading = self.assignment(handle)
                if reading is not None:
                    found[handle] = reading
        return found

    def is_assigned(self, handle: Handle) -> bool:
        reading = self.assignment(handle)
        return bool(reading and reading.assigned)

    def boxes_shown(self) -> bool:
        """Any account checkbox in the dialog (verify, which names no account)."""
        return any(row.has_box for row in self.driver.eyes.rows(ANY_HANDLE, ANY_HANDLE, in_layer=True))

    def tick(self, handle: Handle) -> AddAssetsDialog:
        """Click the account's box where a person does (its label, or the box drawn for it), then see that it is
        ticked. Never a forced click on a hidden input."""
        for _attempt in range(2):
            row = self._row(handle)
            if row is None or not row.clickable:
                raise ControlNotFound(f"a checkbox for {handle}", self.driver.visible_names())
            if row.checked:
                return self
            self.driver.page.locator(row.box).click(timeout=self.driver.timeout_ms)
            if checked_within(self.driver, row.token, True, NO_EFFECT_MS):
                return self
        raise NoEffect(f"the checkbox of {handle} to be ticked", [], "clicked twice; it stayed clear")

    def locate_save(self) -> Locator:
        """verify: the Save button (or a known other name), found without clicking it."""
        return locate(self.driver, "dialog")

    def save(self) -> None:
        """Save, then wait for the confirmation or the error it answers with."""
        follow(self.driver, "dialog")
        probes = {"saved": self.saved_message, "error": self.error_message}
        outcome = wait_for_any(self.driver, probes, self.driver.timeout_ms)
        if outcome != "saved":
            shown = self.error_message.all_inner_texts() if outcome == "error" else []
            raise SaveRefused(" ".join(shown) or "no confirmation appeared")

    def close(self) -> None:
        self.dialog.close()
