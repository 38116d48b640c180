"""Step 6 without a page: an account whose code is out waits for its owner while its page does other work.

The tutorial's own advice is to screenshot the code and send it by a messaging app, the owner scanning it later
within its time limit: the code stays valid after its dialog is closed (assumed; `--keep-pages` keeps each
account's dialog open while it waits instead). So once the code is handed off, the dialog is closed and the flow
yields a `Park`: the run's watcher (runbook/connect/watcher.py) reads the TikTok accounts list for every parked
account at once, and the run wakes the flow on a page that is free when the list shows the account linked, when
the code's own countdown ends or its pending row leaves the list (expired), or when the run's --wait is over.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from enum import Enum

from runbook.connect.handoff import HandedOff
from runbook.connect.owner import timed_out, used_up
from runbook.core.handle import Handle
from runbook.pages.request_access import RequestAccessDialog
from runbook.pages.tiktok_accounts import TikTokAccountsPage
from runbook.steps.run import Run


class Wake(Enum):
    """Why a parked account's flow is taken up again."""

    LINKED = "linked"  # the list shows the account linked: the owner accepted
    EXPIRED = "expired"  # the code's time ran out (its countdown, or its pending row left the list)
    TIMED_OUT = "timed out"  # the run's --wait for this owner is over


@dataclass
class Park:
    """A parked account: what the watcher looks for and when the run must take it up again by itself."""

    handle: Handle
    codes: int  # codes handed out so far
    deadline: float  # time.monotonic() when --wait ends
    expires: float  # time.monotonic() when the code on the owner's screen can no longer be scanned
    pending_seen: bool = False  # the list showed the request as pending (then its leaving says it expired)

    def due(self, now: float) -> Wake | None:
        """What the clock alone says: the wait is over, or the code ran out."""
        if now >= self.deadline:
            return Wake.TIMED_OUT
        if now >= self.expires:
            return Wake.EXPIRED
        return None


# What a parked wait yields (a Park), is sent back (why it wakes) and returns (the codes it took).
ParkedWait = Generator[Park, Wake, int]


def wait_parked(
    run: Run,
    dialog: RequestAccessDialog,
    handle: Handle,
    lifetime: float,
    *,
    wait: float,
    max_qr: int,
    listing: TikTokAccountsPage,
    relist: Callable[[], TikTokAccountsPage],
    hand_off_again: Callable[[RequestAccessDialog, int], HandedOff],
) -> ParkedWait:
    """Closes the dialog and parks until the owner accepts; a fresh code, on whatever page the account is woken
    on, when one runs out. `lifetime` is what the dialog's countdown said when the code was handed off; `listing`
    is the list the dialog opened over, `relist` opens it again on the page woken on. Returns how many codes it
    took; raises OwnerTimedOut when time or codes run out."""
    step = run.driver.tutorial.step(6)
    deadline = time.monotonic() + wait
    codes = 1
    while True:
        expires = time.monotonic() + lifetime
        dialog.close()
        # The list behind the dialog may show the request as pending: then its leaving the list means it expired.
        pending = any(row.handle == handle and row.pending for row in listing.shown())
        wake = yield Park(handle, codes, deadline, expires, pending_seen=pending)
        while True:
            run.driver.begin(step)  # woken on another page, maybe: its driver is told which step is under way
            if wake is Wake.LINKED:
                return codes
            if wake is Wake.TIMED_OUT:
                raise timed_out(step, handle, wait)
            listing = relist()
            row = listing.listed(handle)  # its linked row if it has one, else its pending one
            if row is not None and not row.pending:  # scanned in its last moments: nothing to renew
                return codes
            if row is None or time.monotonic() >= expires:
                break
            # The watcher missed its row (a list that reloads on another page of it, say), but the list shows the
            # request waiting and its code has time left: the owner may be scanning it now. Parked again.
            wake = yield Park(handle, codes, deadline, expires, pending_seen=True)
        run.reporter.emit("expired", account=str(handle), attempt=codes)
        if codes >= max_qr:
            raise used_up(step, codes, max_qr)
        codes += 1
        run.reporter.say(f"The QR code for {handle} expired; generating a new one.")
        tutorial = run.driver.tutorial
        with run.driver.taking(tutorial.step(4)):  # a new request, as steps 4 and 5 made the first
            dialog = listing.request_access(handle)
        with run.driver.taking(tutorial.step(5)):
            dialog.generate_qr(handle)
            lifetime = hand_off_again(dialog, codes).lifetime or lifetime
