"""The one page that watches for every parked account at once: the TikTok accounts list, loaded again about once
a second, read as a person reads it (an account's linked row: its owner accepted; its pending row gone without a
linked one: its code ran out).

A list that shows every account on one screen is read in one look, a paginated one page after page until every
parked account is seen; those it shows on none of its pages (a list that only searches) are looked up by its
search box, a few a round, in turn. A page that is lost
(closed, crashed, sent elsewhere) is replaced by a new one on the next round: nothing a parked account needs is
kept in the page, so none is lost with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from runbook.connect.parking import Park, Wake
from runbook.core.errors import RunbookError
from runbook.core.handle import Handle
from runbook.eyes.driver import Driver
from runbook.pages.announcements import Announcements
from runbook.pages.shell import Shell
from runbook.pages.tiktok_accounts import Row, TikTokAccountsPage
from runbook.steps.run import Run
from runbook.steps.sequences import to_tiktok_accounts

# How often the list is read again while any account is parked: acceptance is noticed within about this long
# plus the list's own loading.
WATCH_EVERY_SECONDS = 1.0
# Parked accounts the list does not show where it stands, looked up by its search box or pages, per round.
LOOKUPS_PER_ROUND = 2


class ListWatcher:
    """Reads the list for the parked accounts; `open_page` gives it a new page when its own is lost."""

    def __init__(self, run: Run, listing: TikTokAccountsPage | None, home: str, open_page: Callable[[], Page]) -> None:
        self.run = run.aside()  # its steps are nobody's: failures are recorded, never raised or reported
        self.listing = listing
        self.home = home
        self._open_page = open_page
        self.looked = 0.0
        self.reopened = 0  # pages it had to open again
        # This list shows requests that wait for their owner ("Pending"): then an account that is neither linked nor
        # pending there has no request left (its code ran out), even one whose pending row it never saw.
        self.lists_pending = False
        self._turn = 0

    def due(self, now: float) -> bool:
        return now - self.looked >= WATCH_EVERY_SECONDS

    def page(self) -> Page | None:
        """Its page, while it has one open."""
        page = self.listing.driver.page if self.listing is not None else None
        return page if page is not None and not page.is_closed() else None

    def look(self, parked: list[Park]) -> dict[Handle, Wake]:
        """Why each parked account the list speaks for should wake (linked, expired); the others stay parked."""
        self.looked = time.monotonic()
        try:
            listing = self._fresh()
            if listing is None:
                return {}
            return self._read(listing, parked)
        except (RunbookError, PlaywrightError):
            self._lose()  # a new page next round
            return {}

    def _fresh(self) -> TikTokAccountsPage | None:
        if self.listing is not None and self.page() is not None:
            self.listing = self.listing.reload()
            return self.listing
        self._lose()
        self.reopened += 1
        page = self._open_page()
        driver = Driver(page, self.run.driver.tutorial, timeout_ms=self.run.driver.timeout_ms)
        Announcements(driver).watch()
        page.goto(self.home)
        self.listing = to_tiktok_accounts(replace(self.run, driver=driver), Shell(driver))
        return self.listing

    def _lose(self) -> None:
        if self.listing is not None:
            with suppress(PlaywrightError):  # crashed pages close too; closed ones say so
                self.listing.driver.page.close()
        self.listing = None

    def _read(self, listing: TikTokAccountsPage, parked: list[Park]) -> dict[Handle, Wake]:
        rows = {row.handle: row for row in listing.shown()}
        wanted = {park.handle for park in parked}
        while not wanted <= rows.keys() and listing.next_page():  # as a person reads a long list: page by page
            for row in listing.shown():
                rows.setdefault(row.handle, row)
        self.lists_pending |= any(row.pending for row in rows.values()) or any(park.pending_seen for park in parked)
        wakes: dict[Handle, Wake] = {}
        unseen = []
        for park in parked:
            if park.handle in rows:
                self._judge(park, rows[park.handle], wakes)
            else:
                unseen.append(park)
        if unseen:
            start = self._turn % len(unseen)
            for park in (unseen[start:] + unseen[:start])[:LOOKUPS_PER_ROUND]:
                self._judge(park, listing.listed(park.handle), wakes)
            self._turn += LOOKUPS_PER_ROUND
        return wakes

    def _judge(self, park: Park, row: Row | None, wakes: dict[Handle, Wake]) -> None:
        if row is not None and not row.pending:
            wakes[park.handle] = Wake.LINKED
        elif row is not None:
            park.pending_seen = self.lists_pending = True
        elif park.pending_seen or self.lists_pending:  # no request left unaccepted: its code ran out (or declined)
            wakes[park.handle] = Wake.EXPIRED
