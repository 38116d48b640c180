"""Several accounts at once: every account's code is out before anyone has to wait, and all owners are waited
for together.

Playwright's sync API runs one call at a time, so this is one loop, not threads: each account's walk
(connect.account_flow) runs on a page of its own until it has to wait for its owner, then yields. The loop looks
at each waiting page for a short tick in turn, so that every page is looked at about twice a second, and a walk
whose owner accepted goes on to assignment at once. At most --concurrency pages are open; the rest queue.
"""

from __future__ import annotations

import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from pages.announcements import Announcements
from pages.controls import Walk
from pages.shell import Shell
from runbook.account import Handle
from runbook.connect import Flow, Outcome, account_flow, fail
from runbook.connect_options import ConnectOptions
from runbook.errors import RunbookError
from runbook.events import AccountReporter, Reporter
from runbook.run import Run

# One look at every waiting page per round; acceptance is noticed within about a round.
ROUND_SECONDS = 0.5
# A look shorter than this costs more in round trips to the browser than it saves.
MIN_TICK_SECONDS = 0.05


class AccountsNotConnected(RunbookError):
    """Some accounts of a run with several did not get connected; the summary says which and why."""


@dataclass
class Slot:
    """One account in progress: its walk, its page, how it stands."""

    outcome: Outcome
    flow: Flow
    page: Page
    reporter: AccountReporter
    primed: bool = False


def connect_all(run: Run, options: ConnectOptions) -> list[Outcome]:
    """Walks every account, at most `options.concurrency` at a time; raises AccountsNotConnected at the end if
    any account failed or timed out, after the summary."""
    home = run.walk.page.url  # where step 1 arrived: inside the chosen Business Center
    queue = deque(options.accounts)
    active: list[Slot] = []
    outcomes: dict[Handle, Outcome] = {}
    while queue or active:
        while queue and len(active) < options.concurrency:
            slot = _open(run, home, queue.popleft(), options)
            outcomes[slot.outcome.handle] = slot.outcome
            active.append(slot)
            if not _advance(slot, 0.0):  # up to its first wait: its code is out before the next account starts
                active.remove(slot)
        tick = max(MIN_TICK_SECONDS, ROUND_SECONDS / max(1, len(active)))
        for slot in list(active):
            if not _advance(slot, tick):
                active.remove(slot)
    done = [outcomes[handle] for handle in options.accounts]
    summarize(run.reporter, done, options)
    failed = [outcome for outcome in done if not outcome.ok]
    if failed:
        listing = ", ".join(f"{outcome.handle} ({outcome.status})" for outcome in failed)
        raise AccountsNotConnected(
            f"{len(failed)} of {len(done)} accounts not connected: {listing}; "
            "run the same command again to resume (what is done is skipped)"
        )
    return done


def _open(run: Run, home: str, handle: Handle, options: ConnectOptions) -> Slot:
    """A page of the run's browser context for one account, with a Run of its own (its folder, its events)."""
    page = run.walk.page.context.new_page()
    walk = Walk(page, run.walk.tutorial, timeout_ms=run.walk.timeout_ms)
    reporter = AccountReporter(run.reporter, str(handle), prefix=True)
    folder = run.folder / handle.username
    folder.mkdir(parents=True, exist_ok=True)
    own = Run(run.settings, reporter, folder, walk)
    walk.on_match = own.record_match
    Announcements(walk).watch()
    outcome = Outcome(handle)
    flow = account_flow(own, Shell(walk), handle, options, outcome, arrive=lambda: page.goto(home))
    return Slot(outcome, flow, page, reporter)


def _advance(slot: Slot, tick: float) -> bool:
    """Runs the account's walk up to its next wait; False once it has ended (done or failed), page closed."""
    try:
        if slot.primed:
            slot.flow.send(tick)
        else:
            slot.primed = True
            next(slot.flow)
        return True
    except StopIteration as done:
        slot.outcome.status = done.value
    except (RunbookError, PlaywrightError) as error:
        fail(slot.outcome, error, slot.reporter)
        slot.reporter.say(slot.outcome.message)
    slot.outcome.seconds = round(time.monotonic() - slot.outcome.started, 1)
    with suppress(PlaywrightError):  # already gone with a crashed page
        slot.page.close()
    return False


def summarize(reporter: Reporter, outcomes: list[Outcome], options: ConnectOptions) -> None:
    """The table a person reads at the end (stderr), and the summary event."""
    width = max(len("account"), *(len(str(outcome.handle)) for outcome in outcomes))
    status_width = max(len("status"), *(len(outcome.status) for outcome in outcomes))
    lines = [f"{'account':<{width}}  {'status':<{status_width}}  codes  time"]
    for outcome in outcomes:
        note = options.notes.get(outcome.handle, "")
        lines.append(
            f"{outcome.handle!s:<{width}}  {outcome.status:<{status_width}}  {outcome.codes:>5}  "
            f"{outcome.seconds:>4.0f} s" + (f"  {note}" if note else "")
        )
    reporter.say("\n" + "\n".join(lines))
    reporter.emit("summary", accounts=[outcome.row() for outcome in outcomes])
