"""Several accounts at once: every account's code goes out before anyone has to wait, and all owners are waited
for together; each account is assigned as soon as its owner accepts.

Each account's flow (runbook/connect/flow.py) runs on a page of its own in the run's browser context. The headless shell
(what headless runs use where it is installed, runbook/browser.py) draws every page. The full browser's headless
mode makes them tabs of one window and draws only the front tab (the newest page); the others get an animation
frame about once a second, and Playwright's check before a click waits for two (2 s a click), so there a click on a
background tab is checked by the runbook and forced (pages/controls.py, _click_without_frames). Measured with 20
accounts on the full browser, the other ways around it cost more than they saved: a window of its own for each page
(every headless window draws continuously: ten cost a core while they waited; ratio 2.01 against 1.74 for plain
tabs) and bringing each page to the front for its clicks (each switch draws the page anew; 1.91). Playwright's sync
API runs each event listener in a greenlet of its own that may block in a sync call while the event loop goes on
with the others; so each account's flow runs in the listener of its page's "page" event, and the accounts' waits
(for the owner, for a page to load, for Save) overlap in one thread, without threads or a second browser. The run's
own loop only opens pages: at most --concurrency at a time, a few accounts setting up at once; accounts that are
linked already (nothing to request, only to assign) go first, one after another.
"""

from __future__ import annotations

import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from runbook.connect.flow import Flow, account_flow
from runbook.connect.options import ConnectOptions
from runbook.connect.outcome import Outcome, fail, not_connected, summarize
from runbook.connect.owner import drive
from runbook.core.errors import RunbookError
from runbook.core.events import AccountReporter
from runbook.core.handle import Handle
from runbook.core.status import AccountState
from runbook.eyes.driver import Driver
from runbook.pages.announcements import Announcements
from runbook.pages.shell import Shell
from runbook.steps.run import Run
from runbook.steps.sequences import to_tiktok_accounts

# A waiting account's page: one quick look for acceptance or expiry once a second (each look is a few calls
# into the page; twenty pages looking twice a second took CPU from the accounts still setting up).
LOOK_SECONDS = 0.001
LOOK_EVERY_SECONDS = 1.0
# How often the run looks whether a page is free for the next account in the queue.
WAKE_SECONDS = 0.5
# How often it looks whether the next account in the queue may start.
START_POLL_SECONDS = 0.1
# An accepted account waits at most this long for the others' codes to be out before it is assigned.
HOLD_SECONDS = 60.0
# Accounts opening their page and requesting a code at the same time: their page loads and the Business
# Center's answers overlap, without a burst of page loads that would outlast the per-control time-outs.
SETTING_UP_AT_ONCE = 6


@dataclass
class Slot:
    """One account in progress: its flow, its page, how it stands."""

    outcome: Outcome
    page: Page
    flow: Flow | None = None
    reporter: AccountReporter | None = None
    done: bool = False
    error: BaseException | None = None


def connect_all(run: Run, options: ConnectOptions) -> list[Outcome]:
    """Takes every account through, at most `options.concurrency` at a time; raises AccountsNotConnected at the
    end if any account failed or timed out, after the summary."""
    home = run.driver.page.url  # where step 1 arrived: inside the chosen Business Center
    context = run.driver.page.context
    linked = _linked_already(run, options.accounts)
    # Linked ones first: they only need assigning, one after another, before the others start (which keeps each
    # one's steps in order, and costs a few seconds each).
    queue = deque(sorted(options.accounts, key=lambda handle: handle not in linked))
    starting: deque[Handle] = deque()
    slots: list[Slot] = []

    stopping = False  # the run is ending early (Ctrl-C, a bug): flows still suspended die quietly

    def run_account(page: Page) -> None:
        """Playwright runs each listener in a greenlet of its own that may block: while this account waits,
        the others go on."""
        if not starting:
            return  # a page this run did not open (a popup)
        # Counted as running before anything here blocks (a sync call lets the run's loop go on meanwhile).
        slot = Slot(Outcome(starting.popleft()), page)
        slots.append(slot)
        try:
            slot.flow, slot.reporter = _open(run, page, home, slot.outcome, options)
            # Many pages wait at once: each looks once per LOOK_EVERY_SECONDS rather than at every change of its
            # page (a countdown changes it four times a second), which would cost the others their share of CPU.
            slot.outcome.state = drive(slot.flow, LOOK_SECONDS, lambda: pause(slot))
        except (RunbookError, PlaywrightError) as error:
            if stopping:
                return
            reporter = slot.reporter or AccountReporter(run.reporter, str(slot.outcome.handle), prefix=True)
            fail(slot.outcome, error, reporter)
            reporter.warn(slot.outcome.message)  # shown above the live table, too
        except BaseException as error:  # Ctrl-C or a bug: the run's loop raises it
            slot.error = error
        finally:
            slot.outcome.ended()
            slot.done = True
            if not stopping:
                with suppress(PlaywrightError):  # already gone with a crashed page
                    page.close()

    def others_setting_up(besides: Slot) -> bool:
        """The last codes going out: pages requesting theirs now, and nobody left in the queue (a queued account
        needs the place this page would free by being assigned)."""
        if queue:
            return False
        return bool(starting) or any(
            slot.outcome.state.setting_up for slot in slots if slot is not besides and not slot.done
        )

    def pause(slot: Slot) -> None:
        """Between two looks of a waiting account. An account whose owner accepted is assigned once the others'
        codes are out (or after HOLD_SECONDS): the run ends when the last owner has had their code as long as
        they need, so codes go out first, and assigning, which can wait, takes the CPU afterwards."""
        if slot.outcome.state is not AccountState.ACCEPTED:
            _nap(slot.page, LOOK_EVERY_SECONDS)
            return
        deadline = time.monotonic() + HOLD_SECONDS
        while others_setting_up(slot) and time.monotonic() < deadline:
            _nap(slot.page, START_POLL_SECONDS)

    context.on("page", run_account)
    try:
        while queue or starting or any(not slot.done for slot in slots):
            for slot in slots:
                if slot.error is not None:
                    raise slot.error
            active = [slot for slot in slots if not slot.done]
            setting_up = len(starting) + sum(slot.outcome.state.setting_up for slot in active)
            if queue and len(starting) + len(active) < options.concurrency:
                assigning = any(handle in linked for handle in starting) or any(
                    slot.outcome.handle in linked and slot.outcome.state is AccountState.STARTING for slot in active
                )
                if not assigning and (queue[0] in linked or setting_up < SETTING_UP_AT_ONCE):
                    starting.append(queue.popleft())
                    context.new_page()
                    continue
            if active:
                _nap(active[0].page, START_POLL_SECONDS if queue else WAKE_SECONDS)
            elif starting:
                _nap(run.driver.page, START_POLL_SECONDS)
        for slot in slots:
            if slot.error is not None:
                raise slot.error
    except BaseException:
        stopping = True
        raise
    finally:
        context.remove_listener("page", run_account)
    outcomes = {slot.outcome.handle: slot.outcome for slot in slots}
    done = [outcomes[handle] for handle in options.accounts]
    summarize(run.reporter, done, options.notes)
    error = not_connected(done)
    if error is not None:
        raise error
    return done


def _linked_already(run: Run, accounts: tuple[Handle, ...]) -> set[Handle]:
    """Which accounts the TikTok accounts list shows as linked, read once on the run's page (steps 2-3 taken
    aside, unreported) before the flows start: each flow checks again on its own page; this only orders them.
    Unreadable: all, to be safe."""
    seen = to_tiktok_accounts(run.aside(), Shell(run.driver), lambda listing: set(filter(listing.is_linked, accounts)))
    return seen if seen is not None else set(accounts)


def _nap(page: Page, seconds: float) -> None:
    """Give the accounts' flows the browser for a moment; back at once if this page closes (its flow ended)."""
    with suppress(PlaywrightError):
        page.wait_for_event("close", timeout=seconds * 1000)


def _open(run: Run, page: Page, home: str, outcome: Outcome, options: ConnectOptions) -> tuple[Flow, AccountReporter]:
    """The flow for one account's page, with a Run of its own (its folder, its events)."""
    handle = outcome.handle
    driver = Driver(page, run.driver.tutorial, timeout_ms=run.driver.timeout_ms)
    reporter = AccountReporter(run.reporter, str(handle), prefix=True)
    folder = run.folder / handle.username
    folder.mkdir(parents=True, exist_ok=True)
    own = Run(run.settings, reporter, folder, driver)

    def arrive() -> None:
        Announcements(driver).watch()
        page.goto(home)

    return account_flow(own, Shell(driver), handle, options, outcome, arrive=arrive), reporter
