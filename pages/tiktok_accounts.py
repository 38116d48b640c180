"""TikTok accounts: the list of linked TikTok profiles, and the way to request access to another."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from playwright.sync_api import Locator

from runbook.core.errors import ControlNotFound, PageNotReady
from runbook.core.handle import Handle
from runbook.eyes.driver import Driver
from runbook.eyes.routes import Guess, again_if_undone, follow, follow_in_row
from runbook.eyes.waits import wait_for_any
from runbook.pages.assignment import AssignmentWords
from runbook.pages.disconnect_dialog import DisconnectDialog
from runbook.pages.request_access import AccountField, RequestAccessDialog

# Any TikTok handle in a text: a row that holds another one is more than one account's row.
ANY_HANDLE = r"@[A-Za-z0-9_.]*[A-Za-z0-9_]"


# The list's answer is drawn within a frame or two of arriving: no request for this long, and what it shows
# is the whole list.
LIST_IDLE_MS = 50
# After a change, how long the list may take to show it by itself before it is loaded again.
LIST_CATCH_UP_MS = 3_000


@dataclass(frozen=True)
class Row:
    """One account in the list, as a person reads it: pending or linked, and assigned or not where the list says
    so (a column or a tag; None where it does not)."""

    handle: Handle
    pending: bool
    assigned: bool | None = None


class TikTokAccountsPage:
    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        # Arrival: the menu click's effect is confirmed; the list loads after a request. It has loaded once it
        # shows accounts and the page's requests are done, or once the page has settled (an empty list). A list
        # still loading at the timeout is not read: an account missing from a half-loaded list would be taken
        # for one that is not linked, and access requested again for an account that has it.
        deadline = time.monotonic() + driver.timeout_ms / 1000
        listed = {"listed": self._listed}
        if wait_for_any(driver, listed, driver.timeout_ms, until_settled=True, poll_ms=LIST_IDLE_MS) == "listed":
            return
        if not driver.eyes.settle(max(0.0, (deadline - time.monotonic()) * 1000)):
            raise PageNotReady("the TikTok accounts list to finish loading", driver.visible_names(), timed_out=True)

    def _listed(self) -> bool:
        """Accounts are listed and no request is still on its way (one could bring the rest of the list)."""
        eyes = self.driver.eyes
        return eyes.network.idle(LIST_IDLE_MS) and bool(eyes.rows(ANY_HANDLE, ANY_HANDLE, in_layer=False))

    def rows(self, handle: Handle) -> list[str]:
        """The text of each list row (table row, list item or repeated card) that names the handle."""
        return [row.words for row in self.driver.eyes.rows(handle.pattern.pattern, ANY_HANDLE, in_layer=False)]

    def _pending(self) -> re.Pattern[str]:
        words = self.driver.tutorial.words("pending_texts")
        return re.compile("|".join(re.escape(t) for t in words), re.IGNORECASE)

    def is_linked(self, handle: Handle) -> bool:
        pending = self._pending()
        return any(not pending.search(text) for text in self.rows(handle))

    def accounts(self) -> list[Row]:
        """Every account the list shows: its handle, and whether its row says it is pending (not linked yet)."""
        pending = self._pending()
        words = AssignmentWords(self.driver.tutorial)
        found: dict[Handle, Row] = {}
        for row in self.driver.eyes.rows(ANY_HANDLE, ANY_HANDLE, in_layer=False):
            handle = Handle.in_text(row.words)
            if handle is not None and handle not in found:
                said = words.said(row.words)
                found[handle] = Row(handle, bool(pending.search(row.words)), said.assigned if said else None)
        return list(found.values())

    def listed(self, handle: Handle) -> Row | None:
        """The account's row as the list shows it (its linked row, if it has one)."""
        rows = [row for row in self.accounts() if row.handle == handle]
        return next((row for row in rows if not row.pending), rows[0] if rows else None)

    def _linked_row(self, handle: Handle) -> str | None:
        """A selector of our own mark on the account's linked row (for looking inside that row only)."""
        pending = self._pending()
        rows = self.driver.eyes.rows(handle.pattern.pattern, ANY_HANDLE, in_layer=False)
        return next((row.selector for row in rows if not pending.search(row.words)), None)

    def linked(self) -> list[Handle]:
        """The accounts the list shows as linked (not pending), in the list's order."""
        return [row.handle for row in self.accounts() if not row.pending]

    def linked_row(self, handle: Handle) -> Locator | None:
        """The account's linked row, as a person sees it in the list (verify outlines it)."""
        within = self._linked_row(handle)
        return self.driver.page.locator(within) if within else None

    def disconnect(self, handle: Handle) -> DisconnectDialog:
        """In the account's row, the options menu › Disconnect (or the row's own button); opens the
        confirmation."""
        again_if_undone(lambda: self._open_disconnect(handle, guessing=False))
        return DisconnectDialog(self.driver)

    def check_disconnect(self, handle: Handle) -> DisconnectDialog | Guess:
        """verify: as disconnect() by the data's labels (which open the confirmation and do nothing more);
        wording the data does not know is found, reported as drift and left unclicked (a Guess)."""
        guessed = again_if_undone(lambda: self._open_disconnect(handle, guessing=True))
        return guessed if guessed is not None else DisconnectDialog(self.driver)

    def _open_disconnect(self, handle: Handle, *, guessing: bool) -> Guess | None:
        within = self._linked_row(handle)
        if within is None:
            raise ControlNotFound(f"the row of {handle} in the list", self.driver.visible_names())
        return follow_in_row(self.driver, within, guessing=guessing)

    def wait_until_gone(self, handle: Handle) -> TikTokAccountsPage:
        """The effect of a disconnect: the account's row leaves the list (loaded again if it does not update)."""
        gone = {"gone": lambda: not self.is_linked(handle)}
        if wait_for_any(self.driver, gone, LIST_CATCH_UP_MS) is not None:
            return self
        page = self.reload()
        if page.is_linked(handle):
            raise ControlNotFound(f"{handle} gone from the list", [f"{handle} is still listed"])
        return page

    def reload(self) -> TikTokAccountsPage:
        """For apps that do not update the list by themselves: load the page again."""
        self.driver.page.reload()
        return TikTokAccountsPage(self.driver)

    def request_access(self, handle: Handle | None = None) -> RequestAccessDialog:
        """Request Access (or today's Add a TikTok Account wizard, naming the account on its way)."""
        follow(self.driver, "page", prepare=lambda: AccountField(self.driver).fill(handle))
        return RequestAccessDialog(self.driver)
