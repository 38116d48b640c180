"""TikTok accounts: the list of linked TikTok profiles, and the way to request access to another."""

from __future__ import annotations

from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pages.content import main_area
from pages.controls import Walk, follow, wait_for_any
from pages.request_access import RequestAccessDialog, name_account
from runbook.account import Handle
from runbook.tutorial import label_pattern

_NOT_BUSY = "() => !document.querySelector(\"[aria-busy='true']\")"


class TikTokAccountsPage:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        # The page's heading reads like the menu item ("TikTok accounts", perhaps with a count after it).
        title = label_pattern(walk.step(3).documented.labels, whole=False)
        self.heading = walk.page.get_by_role("heading").filter(has_text=title).filter(visible=True)
        # Arrival: this page's heading, then table cells (not header cells), which show once the list has
        # loaded, even when it is empty ("No data"). The heading first, so the previous page's table does not count.
        self.cells = walk.page.get_by_role("cell")
        if wait_for_any([self.heading], walk.timeout_ms) is None:
            raise PlaywrightTimeoutError("the TikTok accounts page showed no heading")
        # aria-busy is how an app says a region is still loading (standard ARIA, not our markup). Polled on
        # every frame: expect() would back off to half a second between looks.
        walk.page.wait_for_function(_NOT_BUSY, polling="raf", timeout=walk.timeout_ms)
        if wait_for_any([self.cells.filter(visible=True)], walk.timeout_ms) is None:
            raise PlaywrightTimeoutError("the TikTok accounts list did not load")

    def row(self, handle: Handle) -> Locator:
        # The row's accessible name keeps the spaces between cells that its text content loses.
        return self.walk.page.get_by_role("row", name=handle.pattern)

    def linked_row(self, handle: Handle) -> Locator:
        pending = label_pattern(self.walk.step(6).texts("pending_texts"), whole=False)
        return self.row(handle).filter(has_not_text=pending).filter(visible=True)

    def reload(self) -> TikTokAccountsPage:
        """For apps that do not update the list by themselves: load the page again."""
        self.walk.page.reload()
        return TikTokAccountsPage(self.walk)

    def is_linked(self, handle: Handle) -> bool:
        return self.linked_row(handle).count() > 0

    def request_access(self, handle: Handle | None = None) -> RequestAccessDialog:
        """Step 4: Request Access (or today's Add a TikTok Account wizard, naming the account on its way)."""
        follow(self.walk, main_area(self.walk.page), self.walk.step(4), prepare=lambda: name_account(self.walk, handle))
        return RequestAccessDialog(self.walk)
