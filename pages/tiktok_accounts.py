"""TikTok accounts: the list of linked TikTok profiles, and the way to request access to another."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pages.content import main_area
from pages.controls import (
    MENU_WAIT_MS,
    ControlNotFound,
    Match,
    Walk,
    by_text,
    clickable,
    follow,
    visible_names,
    wait_for_any,
)
from pages.disconnect_dialog import DisconnectDialog
from pages.request_access import RequestAccessDialog, name_account
from runbook.account import Handle
from runbook.tutorial import Path, label_pattern

_NOT_BUSY = "() => !document.querySelector(\"[aria-busy='true']\")"
# After a change, how long the list may take to show it by itself before it is loaded again.
LIST_CATCH_UP_MS = 3_000


@dataclass(frozen=True)
class Row:
    """One account in the list, as a person reads it."""

    handle: Handle
    pending: bool


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

    def rows(self) -> list[Row]:
        """Every account the list shows: its handle, and whether its row says it is pending (not linked yet)."""
        pending = label_pattern(self.walk.step(6).texts("pending_texts"), whole=False)
        texts = main_area(self.walk.page).get_by_role("row").filter(visible=True).all_inner_texts()
        found: dict[Handle, Row] = {}
        for text in texts:
            handle = Handle.in_text(text)  # header and "No data" rows name no account
            if handle is not None and handle not in found:
                found[handle] = Row(handle, bool(pending.search(text)))
        return list(found.values())

    def disconnect(self, handle: Handle) -> DisconnectDialog:
        """Disconnect step 2: the row's options menu › Disconnect (or the row's own button), opening the dialog."""
        step = self.walk.tutorial.disconnect_step(2)
        row = self.linked_row(handle)
        try:
            follow(self.walk, row, step)
        except ControlNotFound:
            # An options button with no name at all ("…"): open the row's menus and look for the item.
            if not self._from_unnamed_menu(row, step.texts("item_labels")):
                raise
        return DisconnectDialog(self.walk)

    def _from_unnamed_menu(self, row: Locator, items: tuple[str, ...]) -> bool:
        """Open each of the row's buttons that says it opens something (collapsed, or with a pop-up) and take
        the item named like a disconnect; Escape closes whatever opened otherwise."""
        step = self.walk.tutorial.disconnect_step(2)
        page = self.walk.page
        # aria-haspopup is the standard ARIA way a button says it opens a menu; not styling, not our markup.
        triggers = row.get_by_role("button", expanded=False).or_(row.locator("[aria-haspopup]")).filter(visible=True)
        for trigger in triggers.all():
            try:
                trigger.click(timeout=MENU_WAIT_MS)
                menu = page.get_by_role("menu").filter(visible=True)
                item = menu.get_by_role("menuitem", name=label_pattern(list(items))).filter(visible=True)
                # A drop-down drawn without menu roles: the item's own text, anywhere but in the row.
                loose = clickable(page, items).or_(by_text(page, items))
                found = wait_for_any([item, loose], MENU_WAIT_MS)
                if found is not None:
                    chosen = [item, loose][found]
                    label = chosen.inner_text().strip()
                    chosen.click(timeout=self.walk.timeout_ms)
                    path = Path("behind the row's unnamed options menu", ("(options menu)", label))
                    self.walk.on_match(step, Match(path, visible_names(row)))
                    return True
            except PlaywrightError:
                pass
            page.keyboard.press("Escape")
        return False

    def wait_until_gone(self, handle: Handle) -> TikTokAccountsPage:
        """The effect of a disconnect: the account's row leaves the list (loaded again if it does not update)."""
        # `.first` only to wait until nothing matches: "detached" of the first match is "no match left".
        try:
            self.row(handle).filter(visible=True).first.wait_for(state="detached", timeout=LIST_CATCH_UP_MS)
            return self
        except PlaywrightTimeoutError:
            pass
        page = self.reload()
        if page.is_linked(handle):
            raise ControlNotFound(
                self.walk.tutorial.disconnect_step(3), f"{handle} gone from the list", [f"{handle} is still listed"]
            )
        return page

    def request_access(self, handle: Handle | None = None) -> RequestAccessDialog:
        """Step 4: Request Access (or today's Add a TikTok Account wizard, naming the account on its way)."""
        follow(self.walk, main_area(self.walk.page), self.walk.step(4), prepare=lambda: name_account(self.walk, handle))
        return RequestAccessDialog(self.walk)
