"""Step 6: wait, bounded, for the owner to scan and accept; a fresh QR code whenever one expires.

The wait is a generator that looks at its page for at most one tick at a time and then yields, so that one loop
can watch many accounts' pages at once (runbook/connect/agency.py); `drive` runs one alone (a single account).
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Generator
from typing import TypeVar

from runbook.browser.reachability import SiteWatch
from runbook.core.errors import OwnerDidNotAccept
from runbook.core.handle import Handle
from runbook.core.tutorial import Step
from runbook.eyes.waits import Probe, wait_for_any
from runbook.pages.request_access import RequestAccessDialog
from runbook.pages.tiktok_accounts import TikTokAccountsPage
from runbook.steps.run import Run

# How often the countdown moves; the wait itself returns as soon as the account shows as linked.
TICK_SECONDS = 1.0
WAITING_EVENT_EVERY = 30.0
# After the dialog says the owner accepted: how long the list may take to show it by itself.
LIST_CATCH_UP_SECONDS = 3.0

T = TypeVar("T")
# What a watch yields to whoever drives it, and what it is sent back: the seconds its next look may take.
Watch = Generator[None, float, int]


class OwnerTimedOut(OwnerDidNotAccept):
    """Time or QR codes ran out while the owner did not accept (as opposed to an app that lost the request)."""


def timed_out(step: Step, handle: Handle, wait: float) -> OwnerTimedOut:
    """The owner did not accept within --wait."""
    return OwnerTimedOut(
        f'Step {step.number} "{step.title}": {handle} did not accept within {wait:g} s. '
        "Nothing was assigned; run the same command again for a new QR code "
        "(steps already done are skipped)."
    )


def used_up(step: Step, codes: int, max_qr: int) -> OwnerTimedOut:
    """Every QR code --max-qr allows has expired."""
    return OwnerTimedOut(
        f'Step {step.number} "{step.title}": the QR code expired {codes} times '
        f"(--max-qr {max_qr}); run the same command again when the owner is ready to scan."
    )


def drive(watch: Generator[object, float, T], tick: float = TICK_SECONDS, pause: Callable[[], None] | None = None) -> T:
    """Runs a watch (or a flow that contains one) to its end, a look of at most `tick` seconds at a time, with
    `pause` between looks if given; returns its result."""
    try:
        next(watch)
        while True:
            if pause:
                pause()
            watch.send(tick)
    except StopIteration as done:
        return done.value


def watch_owner(
    run: Run,
    accounts: TikTokAccountsPage,
    dialog: RequestAccessDialog,
    handle: Handle,
    *,
    wait: float,
    max_qr: int,
    hand_off_again: Callable[[int], object],
    live: bool = False,
) -> Watch:
    """Returns how many QR codes it took. Raises OwnerDidNotAccept when time or QR codes run out.

    Acceptance shows as the account's row in the list; in apps that do not update the list by themselves, as a
    message in the dialog or a toast, or as the dialog closing: then the list is loaded again to make sure.
    Yields after every look that found nothing; whoever runs it sends how long the next look may wait.
    """
    step = run.driver.tutorial.step(6)
    deadline = time.monotonic() + wait
    codes = 1
    last_event = -WAITING_EVENT_EVERY
    site = SiteWatch(run.driver.page, run.settings.base_url, probe=run.probe_site)
    tick = TICK_SECONDS
    closed_looks = 0
    while True:
        site.check(step.number, step.title)  # a dead site is said within seconds, not after the whole --wait
        left = deadline - time.monotonic()
        if left <= 0:
            _clear(live)
            raise timed_out(step, handle, wait)
        if wait - left - last_event >= WAITING_EVENT_EVERY or last_event < 0:
            last_event = wait - left
            run.reporter.emit("waiting", account=str(handle), seconds_left=round(left), qr=codes)
            if not live:
                run.reporter.say(f"waiting for {handle} to scan and accept: {left:.0f} s left")
        if live:
            print(f"\rwaiting for {handle} to accept: {left:4.0f} s left ", end="", file=sys.stderr, flush=True)
        listed = functools.partial(accounts.is_linked, handle)
        probes: dict[str, Probe] = {"linked": listed, "expired": dialog.is_expired, "acceptance": dialog.is_accepted}
        found = wait_for_any(run.driver, probes, min(left, tick) * 1000)
        if found == "linked":
            _clear(live)
            return codes
        # A dialog that looks closed is believed on a second look only: a look can miss it while it re-renders.
        closed_looks = closed_looks + 1 if found is None and not dialog.is_open() else 0
        if found == "acceptance" or closed_looks >= 2:
            _clear(live)
            # Most apps update the list a moment after they say so; only one that does not is loaded again.
            if wait_for_any(run.driver, {"linked": listed}, LIST_CATCH_UP_SECONDS * 1000):
                return codes
            dialog.close()
            accounts = accounts.reload()
            if accounts.is_linked(handle):
                return codes
            raise OwnerDidNotAccept(
                f'Step {step.number} "{step.title}": the dialog closed, but {handle} is not in the list; '
                "run the same command again for a new QR code."
            )
        if found == "expired":
            _clear(live)
            run.reporter.emit("expired", account=str(handle), attempt=codes)
            if codes >= max_qr:
                raise used_up(step, codes, max_qr)
            codes += 1
            run.reporter.say(f"The QR code for {handle} expired; generating a new one.")
            with run.driver.taking(run.driver.tutorial.step(5)):  # a new code is step 5 once more
                dialog.refresh()
            hand_off_again(codes)
            continue
        tick = yield


def _clear(live: bool) -> None:
    if live:
        print("\r" + " " * 60 + "\r", end="", file=sys.stderr, flush=True)
