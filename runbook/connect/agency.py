"""Several accounts at once: every account's code goes out before anyone has to wait, all owners are waited for
together, and each account is assigned once its owner accepts.

A few pages do the work (at most --concurrency): each takes the next job, an account to start (steps 2-5) or one
to take up again (a code to renew, an account to assign), and goes on with the next on the same page, so the app
boots once per page, not once per account. Once its code is out, an account waits without a page
(runbook/connect/parking.py): one watcher page reads the TikTok accounts list for all of them at once
(runbook/connect/watcher.py), and the run's clock knows when a code runs out or the wait is over. `--keep-pages`
keeps the old way for a UI whose codes die with their dialog: each waiting account holds its page and watches its
dialog, and --concurrency counts those pages.

Playwright's sync API runs each event listener in a greenlet of its own that may block in a sync call while the
event loop goes on with the others; so each work page runs its jobs in the listener of its page's "page" event,
and the pages' waits (for a page to load, for Save) overlap in one thread, without threads or a second browser.
The run's own loop opens pages, wakes parked accounts and drives the watcher. The headless shell draws every page;
the full browser's headless mode draws only the front tab, so there a click on a background tab is checked by the
runbook and forced (pages/controls.py, _click_without_frames).
"""

from __future__ import annotations

import inspect
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from runbook.connect.flow import Flow, account_flow, announce_accepted
from runbook.connect.options import ConnectOptions
from runbook.connect.outcome import Outcome, fail, not_connected, summarize
from runbook.connect.parking import Park, Wake
from runbook.connect.watcher import ListWatcher
from runbook.core.errors import RunbookError
from runbook.core.events import AccountReporter
from runbook.core.handle import Handle
from runbook.core.outputs import writing
from runbook.eyes.driver import Driver
from runbook.pages.announcements import Announcements
from runbook.pages.shell import Shell
from runbook.steps.run import Run
from runbook.steps.sequences import to_tiktok_accounts

# A waiting account that keeps its page (--keep-pages): one quick look for acceptance or expiry once a second
# (each look is a few calls into the page; twenty pages looking twice a second took CPU from the others).
LOOK_SECONDS = 0.001
LOOK_EVERY_SECONDS = 1.0
# How often the run's loop and an idle work page look whether there is something to do.
POLL_SECONDS = 0.1
# Pages setting up at once (their app loading, their code requested): their loads and the Business Center's
# answers overlap, without a burst of page loads that would outlast the per-control time-outs.
SETTING_UP_AT_ONCE = 6
# Why a woken account is taken up before others: a timed-out one needs no page and ends at once, a new code
# matters to an owner now; assigning can wait for the codes still to go out.
_URGENCY = {Wake.TIMED_OUT: 0, Wake.EXPIRED: 1, Wake.LINKED: 3}
_NEW_ACCOUNT = 2


@dataclass
class Slot:
    """One account in progress: its flow and the driver it takes its steps with, how it stands, and why it
    waits if it does (parked) or wakes."""

    outcome: Outcome
    run: Run
    reporter: AccountReporter
    flow: Flow
    park: Park | None = None
    wake: Wake | None = None
    busy: bool = False  # a work page is taking its steps
    done: bool = False


@dataclass
class _Desk:
    """What the run's loop and the work pages share: the accounts not started, the woken ones, and the pages."""

    queue: deque[Handle]
    slots: dict[Handle, Slot] = field(default_factory=dict)
    pages_open: int = 0
    pages_idle: int = 0
    opening: deque[str] = field(default_factory=deque)  # pages asked for ("work", "watch"), their event to come
    stopping: bool = False  # the run is ending early (Ctrl-C, a bug): flows still suspended die quietly
    error: BaseException | None = None

    def parked(self) -> list[Park]:
        return [slot.park for slot in self.slots.values() if slot.park is not None and slot.wake is None]

    def woken(self) -> list[Slot]:
        return [slot for slot in self.slots.values() if slot.wake is not None and not slot.busy]

    def setting_up(self) -> int:
        return sum(slot.outcome.state.setting_up for slot in self.slots.values() if not slot.done)

    def work(self) -> int:
        """Jobs waiting for a page."""
        return len(self.queue) + len(self.woken())

    def finished(self) -> bool:
        return not self.queue and all(slot.done for slot in self.slots.values())


def connect_all(run: Run, options: ConnectOptions) -> list[Outcome]:
    """Takes every account through, at most `options.concurrency` pages at work at a time; raises
    AccountsNotConnected at the end if any account failed or timed out, after the summary."""
    home = run.driver.page.url  # where step 1 arrived: inside the chosen Business Center
    context = run.driver.page.context
    listing = to_tiktok_accounts(run.aside(), Shell(run.driver))  # steps 2-3 aside, unreported: only orders them
    # Linked ones first: they only need assigning (each flow checks again on its own page; this only orders them,
    # so the list is read as it shows, in one look: a search for each account would hold every page back).
    linked = set(listing.linked()) if listing is not None else set(options.accounts)
    desk = _Desk(deque(sorted(options.accounts, key=lambda handle: handle not in linked)))
    parking = not options.keep_pages
    pages = options.pages_at_work()
    watcher = ListWatcher(run, listing, home, lambda: _open_page(context, desk)) if parking else None

    def on_page(page: Page) -> None:
        """A page the run opened: a work page goes to work (the watcher's pages are its own; a popup is
        nobody's). The run's loop asks for one page at a time, so the first asked for is this one."""
        if desk.opening and desk.opening.popleft() == "work":
            _work(page, run, home, options, desk, parking)

    context.on("page", on_page)
    try:
        while not desk.finished():
            if desk.error is not None:
                raise desk.error
            if context.browser is not None and not context.browser.is_connected():
                # The browser (or the browser service) is gone: parked accounts would only wait out their codes.
                raise PlaywrightError("the browser closed the connection while accounts were waiting")
            now = time.monotonic()
            for slot in desk.slots.values():
                if slot.park is not None and slot.wake is None:
                    slot.wake = slot.park.due(now)
            if watcher is not None and desk.parked() and watcher.due(now):
                for handle, wake in watcher.look(desk.parked()).items():
                    slot = desk.slots[handle]
                    if wake is Wake.LINKED and slot.park is not None:  # told now, not once a page is free
                        announce_accepted(slot.run, slot.outcome, slot.park.codes)
                    slot.wake = wake
            wanted = min(pages, desk.pages_open + desk.work() - desk.pages_idle)
            if desk.pages_open < wanted and desk.setting_up() < SETTING_UP_AT_ONCE:
                desk.opening.append("work")
                desk.pages_open += 1
                context.new_page()
                continue
            _nap(context, POLL_SECONDS)
        if desk.error is not None:
            raise desk.error
    except BaseException:
        desk.stopping = True
        raise
    finally:
        context.remove_listener("page", on_page)
    outcomes = [desk.slots[handle].outcome for handle in options.accounts]
    summarize(run.reporter, outcomes, options.notes)
    error = not_connected(outcomes)
    if error is not None:
        raise error
    return outcomes


def _open_page(context: BrowserContext, desk: _Desk) -> Page:
    """A page for the watcher (asked for from the run's loop too): the "page" listener lets it be."""
    desk.opening.append("watch")
    return context.new_page()


def _work(page: Page, run: Run, home: str, options: ConnectOptions, desk: _Desk, parking: bool) -> None:
    """A work page: takes jobs, most urgent first, until none is left."""
    driver = Driver(page, run.driver.tutorial, timeout_ms=run.driver.timeout_ms)
    Announcements(driver).watch()
    on_list = False  # the last job here parked its account: the page shows the list, its dialog closed
    try:
        while not desk.stopping:
            slot = _next_job(desk, run, options, page, parking, on_list)
            if slot is None:
                if desk.finished() or page.is_closed():
                    return
                desk.pages_idle += 1
                try:
                    _nap_on(page, POLL_SECONDS)
                finally:
                    desk.pages_idle -= 1
                continue
            # Every job starts where a person starts: the Business Center's home. The page may be where the last
            # job left it (Accounts, after a Save: a click on Accounts there changes nothing, and its effect
            # would be waited for in vain) or anywhere a failure left it. A new account after one that parked
            # starts on the list that account's code was requested from, as a person sending codes one after
            # another does: the app is not loaded again, steps 2-3 need no click.
            fresh = inspect.getgeneratorstate(slot.flow) == inspect.GEN_CREATED  # created with on_list just now
            if slot.wake is not Wake.TIMED_OUT and not (fresh and on_list):
                with suppress(PlaywrightError):  # an unreachable site: the job's first step says so
                    page.goto(home)
            _take(slot, page, desk)
            on_list = parking and slot.park is not None
    except BaseException as error:  # Ctrl-C or a bug: the run's loop raises it
        if not desk.stopping:
            desk.error = error
    finally:
        desk.pages_open -= 1
        if not desk.stopping:
            with suppress(PlaywrightError):  # already gone with a crashed page
                page.close()


def _next_job(desk: _Desk, run: Run, options: ConnectOptions, page: Page, parking: bool, on_list: bool) -> Slot | None:
    """The most urgent job, taken (busy) before anything here blocks: another page must not take it too.
    `on_list`: the page shows the TikTok accounts list, where a new account can start."""
    woken = sorted(desk.woken(), key=lambda slot: _URGENCY[slot.wake] if slot.wake else 0)
    slot: Slot | None = None
    if woken and (not desk.queue or _URGENCY[woken[0].wake or Wake.LINKED] < _NEW_ACCOUNT):
        slot = woken[0]
    elif desk.queue:
        handle = desk.queue.popleft()
        slot = desk.slots[handle] = _slot(run, page, handle, options, parking, on_list)
    elif woken:
        slot = woken[0]
    if slot is not None:
        slot.busy = True
    return slot


def _slot(run: Run, page: Page, handle: Handle, options: ConnectOptions, parking: bool, on_list: bool) -> Slot:
    """A new account's flow, with a Run of its own (its folder, its events, its driver); `on_list`: it starts on
    the TikTok accounts list the page shows."""
    driver = Driver(page, run.driver.tutorial, timeout_ms=run.driver.timeout_ms)
    reporter = AccountReporter(run.reporter, str(handle), prefix=True)
    folder = run.folder / handle.username
    with writing(f"the run folder {run.folder}", f"for {handle}"):
        folder.mkdir(parents=True, exist_ok=True)
    own = Run(run.settings, reporter, folder, driver, recorder=run.recorder)
    outcome = Outcome(handle)
    flow = account_flow(own, Shell(driver), handle, options, outcome, park=parking, on_list=on_list)
    return Slot(outcome, own, reporter, flow)


def _take(slot: Slot, page: Page, desk: _Desk) -> None:
    """Takes the account's steps on this page until it parks or ends."""
    wake, slot.wake, slot.park = slot.wake, None, None
    slot.run.driver.move_to(page)
    try:
        value = slot.flow.send(wake) if wake is not None else next(slot.flow)
        while value is None:  # an account that keeps its page: a look found nothing yet
            _nap_on(page, LOOK_EVERY_SECONDS)
            value = slot.flow.send(LOOK_SECONDS)
        slot.park = value
    except StopIteration as done:
        slot.outcome.state = done.value
        _end(slot)
    except (RunbookError, PlaywrightError) as error:
        if desk.stopping:
            return
        fail(slot.outcome, error, slot.reporter)
        slot.reporter.warn(slot.outcome.message)  # shown above the live table, too
        _end(slot)
    finally:
        slot.busy = False


def _end(slot: Slot) -> None:
    slot.outcome.ended()
    slot.done = True


def _nap_on(page: Page, seconds: float) -> None:
    """Give the other pages the browser for a moment; back at once if this page closes."""
    with suppress(PlaywrightError):
        page.wait_for_event("close", timeout=seconds * 1000)


def _nap(context: BrowserContext, seconds: float) -> None:
    """The run's loop waits on any page still open (a wait lets the pages' listeners go on meanwhile)."""
    open_pages = [page for page in context.pages if not page.is_closed()]
    if open_pages:
        _nap_on(open_pages[0], seconds)
        return
    # No page left (the browser gone, say): wait on the context, so that Playwright's loop still hears of it.
    with suppress(PlaywrightError):
        context.wait_for_event("close", timeout=seconds * 1000)
