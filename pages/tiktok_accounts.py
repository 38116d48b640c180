"""TikTok accounts: the list of linked TikTok profiles, and the way to request access to another."""

from __future__ import annotations

import re

from pages.controls import Walk, follow
from pages.request_access import RequestAccessDialog, name_account
from runbook.account import Handle
from runbook.errors import PageNotReady

# Any TikTok handle in a text: a row that holds another one is more than one account's row.
ANY_HANDLE = r"@[A-Za-z0-9_.]*[A-Za-z0-9_]"


def handle_pattern(handle: Handle) -> str:
    """The handle as a JavaScript pattern (candidates.js), not matching a longer handle that starts with it."""
    return handle.pattern.pattern


class TikTokAccountsPage:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        # Arrival: the menu click's effect is confirmed; the list loads after a request. Settled means loaded.
        # A list still loading at the timeout is not read: an account missing from a half-loaded list would be
        # taken for one that is not linked, and access requested again for an account that has it.
        if not walk.eyes.settle(walk.timeout_ms):
            raise PageNotReady(
                walk.step(3).number, "the TikTok accounts list to finish loading", walk.visible_names(), timed_out=True
            )

    def rows(self, handle: Handle) -> list[str]:
        """The text of each list row (table row, list item or repeated card) that names the handle."""
        _, rows = self.walk.eyes.rows(handle_pattern(handle), ANY_HANDLE, in_layer=False)
        return [row["text"] for row in rows]

    def is_linked(self, handle: Handle) -> bool:
        pending = re.compile("|".join(re.escape(t) for t in self.walk.step(6).texts("pending_texts")), re.IGNORECASE)
        return any(not pending.search(text) for text in self.rows(handle))

    def reload(self) -> TikTokAccountsPage:
        """For apps that do not update the list by themselves: load the page again."""
        self.walk.page.reload()
        return TikTokAccountsPage(self.walk)

    def request_access(self, handle: Handle | None = None) -> RequestAccessDialog:
        """Step 4: Request Access (or today's Add a TikTok Account wizard, naming the account on its way)."""
        follow(self.walk, self.walk.step(4), "page", prepare=lambda: name_account(self.walk, handle))
        return RequestAccessDialog(self.walk)
