"""TikTok accounts: the list of linked TikTok profiles, and the way to request access to another."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from runbook.core.errors import ControlNotFound, PageNotReady, StepProblem
from runbook.core.handle import Handle
from runbook.core.tutorial import Route, Step
from runbook.eyes.controls import (
    Guess,
    Match,
    Walk,
    again_if_undone,
    choose,
    click_label,
    follow,
    guess,
    leading,
    nearest,
    press,
    wait_for_any,
)
from runbook.pages.disconnect_dialog import DisconnectDialog
from runbook.pages.request_access import RequestAccessDialog, name_account

# Any TikTok handle in a text: a row that holds another one is more than one account's row.
ANY_HANDLE = r"@[A-Za-z0-9_.]*[A-Za-z0-9_]"


# The list's answer is drawn within a frame or two of arriving: no request for this long, and what it shows
# is the whole list.
LIST_IDLE_MS = 50
# After a change, how long the list may take to show it by itself before it is loaded again.
LIST_CATCH_UP_MS = 3_000


@dataclass(frozen=True)
class Row:
    """One account in the list, as a person reads it."""

    handle: Handle
    pending: bool


def _route_match(step: Step, route: Route, names: list[str]) -> Match:
    """How a route was taken: an alternative's nearest names lead with its first label the documented path lacks
    ("Remove", not the "More actions" both share), then the visible names most like the documented ones."""
    if route.documented:
        return Match(route, [])
    lead = next((label for label in route.labels if label not in step.documented.labels), route.labels[0])
    return Match(route, leading(lead, names))


def handle_pattern(handle: Handle) -> str:
    """The handle as a JavaScript pattern (candidates.js), not matching a longer handle that starts with it."""
    return handle.pattern.pattern


class TikTokAccountsPage:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        # Arrival: the menu click's effect is confirmed; the list loads after a request. It has loaded once it
        # shows accounts and the page's requests are done, or once the page has settled (an empty list). A list
        # still loading at the timeout is not read: an account missing from a half-loaded list would be taken
        # for one that is not linked, and access requested again for an account that has it.
        deadline = time.monotonic() + walk.timeout_ms / 1000
        listed = {"listed": self._listed}
        if wait_for_any(walk, listed, walk.timeout_ms, until_settled=True, poll_ms=LIST_IDLE_MS) == "listed":
            return
        if not walk.eyes.settle(max(0.0, (deadline - time.monotonic()) * 1000)):
            raise PageNotReady(
                walk.step(3).number, "the TikTok accounts list to finish loading", walk.visible_names(), timed_out=True
            )

    def _listed(self) -> bool:
        """Accounts are listed and no request is still on its way (one could bring the rest of the list)."""
        eyes = self.walk.eyes
        return eyes.network.idle(LIST_IDLE_MS) and bool(eyes.rows(ANY_HANDLE, ANY_HANDLE, in_layer=False)[1])

    def rows(self, handle: Handle) -> list[str]:
        """The text of each list row (table row, list item or repeated card) that names the handle."""
        _, rows = self.walk.eyes.rows(handle_pattern(handle), ANY_HANDLE, in_layer=False)
        return [row["text"] for row in rows]

    def _pending(self) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(t) for t in self.walk.step(6).texts("pending_texts")), re.IGNORECASE)

    def is_linked(self, handle: Handle) -> bool:
        pending = self._pending()
        return any(not pending.search(text) for text in self.rows(handle))

    def accounts(self) -> list[Row]:
        """Every account the list shows: its handle, and whether its row says it is pending (not linked yet)."""
        pending = self._pending()
        _, rows = self.walk.eyes.rows(ANY_HANDLE, ANY_HANDLE, in_layer=False)
        found: dict[Handle, Row] = {}
        for row in rows:
            handle = Handle.in_text(row["text"])
            if handle is not None and handle not in found:
                found[handle] = Row(handle, bool(pending.search(row["text"])))
        return list(found.values())

    def _linked_row(self, handle: Handle) -> str | None:
        """A selector of our own mark on the account's linked row (for looking inside that row only)."""
        pending = self._pending()
        token, rows = self.walk.eyes.rows(handle_pattern(handle), ANY_HANDLE, in_layer=False)
        linked = [index for index, row in enumerate(rows) if not pending.search(row["text"])]
        return f'[data-runbook-row="{token}-{linked[0]}"]' if linked else None

    def linked(self) -> list[Handle]:
        """The accounts the list shows as linked (not pending), in the list's order."""
        return [row.handle for row in self.accounts() if not row.pending]

    def linked_row(self, handle: Handle) -> Locator | None:
        """The account's linked row, as a person sees it in the list (verify outlines it)."""
        within = self._linked_row(handle)
        return self.walk.page.locator(within) if within else None

    def disconnect(self, handle: Handle) -> DisconnectDialog:
        """Disconnect step 2: in the account's row, the options menu › Disconnect (or the row's own button);
        opens the confirmation."""
        again_if_undone(lambda: self._open_disconnect(handle, guessing=False))
        return DisconnectDialog(self.walk)

    def check_disconnect(self, handle: Handle) -> DisconnectDialog | Guess:
        """verify's disconnect step 2: as disconnect() by the data's labels (which open the confirmation and do
        nothing more); wording the data does not know is found, reported as drift and left unclicked (a Guess)."""
        guessed = again_if_undone(lambda: self._open_disconnect(handle, guessing=True))
        return guessed if guessed is not None else DisconnectDialog(self.walk)

    def _open_disconnect(self, handle: Handle, *, guessing: bool) -> Guess | None:
        walk = self.walk
        step = walk.tutorial.disconnect_step(2)
        within = self._linked_row(handle)
        if within is None:
            raise ControlNotFound(step.number, f"the row of {handle} in the list", walk.visible_names())
        routes = [route for route in step.paths if route.labels]
        firsts = [route.labels[0] for route in routes]
        found = walk.eyes.find(firsts, ["content"], walk.timeout_ms, within=within)
        chosen = choose(step, found.candidates, firsts)
        names = nearest(step.documented.labels, found.scan.names)
        if chosen is None:
            return self._behind_row_menu(step, within, names, guessing)
        route = next(route for route in routes if route.labels[0] == chosen.label)
        press(walk, step, found.scan, chosen, lambda: None)
        for index, label in enumerate(route.labels[1:], start=1):
            if click_label(walk, step, [label], "dialog"):
                continue
            guessed = guess(walk, step, [label], in_layer=True) if guessing else None
            if guessed is None:
                raise ControlNotFound(step.number, f'"{label}" (on the path {route.name})', walk.nearest_names([label]))
            taken = Route(f'nearest visible control "{guessed.name}"', (*route.labels[:index], guessed.name))
            walk.on_match(step, Match(taken, [guessed.name, *walk.nearest_names([label])]))
            return guessed
        walk.on_match(step, _route_match(step, route, names))
        return None

    def _behind_row_menu(self, step: Step, within: str, names: list[str], guessing: bool) -> Guess | None:
        """An options button with no name (or one the data does not know): open each of the row's menu buttons
        and take the item worded like a disconnect; Escape closes whatever opened otherwise. Guessing (verify), a
        control worded like none of them but like a disconnect is found in the row itself or in one of its menus."""
        walk = self.walk
        items = list(step.texts("item_labels"))
        in_row = guess(walk, step, items, within=within) if guessing else None
        if in_row is not None:
            return self._guessed(step, in_row, (in_row.name,), names)
        token, triggers = walk.eyes.triggers(["content"], within=within)
        for trigger in triggers:
            opener = walk.page.locator(f'[data-runbook-trigger="{token}-{trigger["index"]}"]')
            opened_by = trigger["name"] or "(options menu)"
            try:
                opener.click(timeout=walk.timeout_ms)
                found = walk.eyes.find(items, ["content"], walk.timeout_ms, names=False)
                in_layer = [c for c in found.candidates if c.region.startswith("layer")]
                chosen = choose(step, in_layer, items)
                if chosen is not None:
                    press(walk, step, found.scan, chosen, lambda: None)
                    route = Route(f'behind the "{opened_by}" menu of the row', (opened_by, chosen.label))
                    walk.on_match(step, Match(route, [opened_by, *names]))
                    return None
                in_menu = guess(walk, step, items, in_layer=True) if guessing else None
                if in_menu is not None:
                    return self._guessed(step, in_menu, (opened_by, in_menu.name), names)
            except (StepProblem, PlaywrightError):
                pass
            walk.page.keyboard.press("Escape")
        raise ControlNotFound(step.number, step.expected, nearest(step.documented.labels, walk.visible_names()))

    def _guessed(self, step: Step, guessed: Guess, labels: tuple[str, ...], names: list[str]) -> Guess:
        route = Route(f'nearest visible control "{guessed.name}"', labels)
        self.walk.on_match(step, Match(route, leading(guessed.name, names)))
        return guessed

    def wait_until_gone(self, handle: Handle) -> TikTokAccountsPage:
        """The effect of a disconnect: the account's row leaves the list (loaded again if it does not update)."""
        gone = {"gone": lambda: not self.is_linked(handle)}
        if wait_for_any(self.walk, gone, LIST_CATCH_UP_MS) is not None:
            return self
        page = self.reload()
        if page.is_linked(handle):
            step = self.walk.tutorial.disconnect_step(3)
            raise ControlNotFound(step.number, f"{handle} gone from the list", [f"{handle} is still listed"])
        return page

    def reload(self) -> TikTokAccountsPage:
        """For apps that do not update the list by themselves: load the page again."""
        self.walk.page.reload()
        return TikTokAccountsPage(self.walk)

    def request_access(self, handle: Handle | None = None) -> RequestAccessDialog:
        """Step 4: Request Access (or today's Add a TikTok Account wizard, naming the account on its way)."""
        follow(self.walk, self.walk.step(4), "page", prepare=lambda: name_account(self.walk, handle))
        return RequestAccessDialog(self.walk)
