"""TikTok accounts: the list of linked TikTok profiles, and the way to request access to another."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from playwright.sync_api import Locator

from runbook.core.errors import ControlNotFound, PageNotReady
from runbook.core.handle import Handle
from runbook.eyes.answers import RowSeen
from runbook.eyes.driver import Driver
from runbook.eyes.routes import Guess, again_if_undone, follow, follow_in_row
from runbook.eyes.waits import wait_for_any
from runbook.pages.assignment import AssignmentWords
from runbook.pages.disconnect_dialog import DisconnectDialog
from runbook.pages.listing import Listing
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
        self.listing = Listing(driver)
        self._looked_for: set[Handle] = set()  # searched or paged for once: where the list now stands
        self._wait_loaded()

    def _wait_loaded(self) -> None:
        """Arrival: the menu click's effect is confirmed; the list loads after a request. It has loaded once it
        shows accounts and the page's requests are done, or once the page has settled (an empty list). A list
        still loading at the timeout is not read: an account missing from a half-loaded list would be taken for
        one that is not linked, and access requested again for an account that has it."""
        driver = self.driver
        deadline = time.monotonic() + driver.timeout_ms / 1000
        listed = {"listed": self._listed}
        if wait_for_any(driver, listed, driver.timeout_ms, until_settled=True, poll_ms=LIST_IDLE_MS) == "listed":
            return
        if not driver.eyes.settle(max(0.0, (deadline - time.monotonic()) * 1000)):
            raise PageNotReady("the TikTok accounts list to finish loading", driver.visible_names(), timed_out=True)

    def _listed(self) -> bool:
        """Accounts are listed and no request is still on its way (one could bring the rest of the list)."""
        eyes = self.driver.eyes
        return eyes.network.idle(LIST_IDLE_MS) and bool(self._shown())

    def _shown(self) -> list[RowSeen]:
        """Every account row the list shows now (one page of it, maybe)."""
        return self.driver.eyes.rows(ANY_HANDLE, ANY_HANDLE, in_layer=False)

    def _rows_of(self, handle: Handle) -> list[RowSeen]:
        """The rows of `handle` (table rows, list items or repeated cards) the list shows now."""
        return self.driver.eyes.rows(handle.pattern.pattern, ANY_HANDLE, in_layer=False)

    def _find(self, handle: Handle) -> list[RowSeen]:
        """The rows of `handle` as a person finds them: on the list as it shows (all of it, on a list of one page),
        else by its search box, else page by page; looked for once, after which the list stays where it found it
        (or on its last page)."""
        rows = self._rows_of(handle)
        if rows or handle in self._looked_for:
            return rows
        self._looked_for.add(handle)
        if self.listing.whole([row.selector for row in self._shown()]):
            return []
        if self.listing.search(str(handle), self._answers):
            return self._rows_of(handle)
        while self.listing.next_page():
            rows = self._rows_of(handle)
            if rows:
                return rows
        return []

    def _answers(self, text: str) -> bool:
        """The list shows what a search for `text` found: every row is about it, or there is none."""
        needle = text.casefold().lstrip("@")
        return all(needle in row.words.casefold() for row in self._shown())

    def rows(self, handle: Handle) -> list[str]:
        """The words of each list row that names the handle."""
        return [row.words for row in self._find(handle)]

    def _pending(self) -> re.Pattern[str]:
        words = self.driver.tutorial.words("pending_texts")
        return re.compile("|".join(re.escape(t) for t in words), re.IGNORECASE)

    def is_linked(self, handle: Handle) -> bool:
        pending = self._pending()
        return any(not pending.search(text) for text in self.rows(handle))

    def _read(self, rows: list[RowSeen]) -> list[Row]:
        """Accounts as a person reads their rows: the handle, pending or not, assigned where the row says."""
        pending = self._pending()
        words = AssignmentWords(self.driver.tutorial)
        found: dict[Handle, Row] = {}
        for row in rows:
            handle = Handle.in_text(row.words)
            if handle is not None and handle not in found:
                said = words.said(row.words)
                found[handle] = Row(handle, bool(pending.search(row.words)), said.assigned if said else None)
        return list(found.values())

    def accounts(self) -> list[Row]:
        """Every account of the list, page after page (from the first, unsearched)."""
        if self._looked_for:
            self.driver.page.reload()
            self._looked_for.clear()
            self._wait_loaded()
        seen = self._read(self._shown())
        while self.listing.next_page():
            seen += [row for row in self._read(self._shown()) if row.handle not in {each.handle for each in seen}]
        return seen

    def listed(self, handle: Handle) -> Row | None:
        """The account's row as the list shows it (its linked row, if it has one)."""
        rows = [row for row in self._read(self._find(handle)) if row.handle == handle]
        return next((row for row in rows if not row.pending), rows[0] if rows else None)

    def _linked_row(self, handle: Handle) -> str | None:
        """A selector of our own mark on the account's linked row (for looking inside that row only)."""
        pending = self._pending()
        return next((row.selector for row in self._find(handle) if not pending.search(row.words)), None)

    def shown(self) -> list[Row]:
        """The accounts the list shows where it stands (one page of it, maybe), as a person reads their rows."""
        return self._read(self._shown())

    def next_page(self) -> bool:
        """Turns the list to its next page (or shows its next rows); False on its last, or on a list of one page."""
        return self.listing.next_page()

    def linked(self) -> list[Handle]:
        """The accounts the list shows as linked (not pending) where it stands, in the list's order."""
        return [row.handle for row in self.shown() if not row.pending]

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
