"""One run of the tutorial in a browser, and the one step engine every command takes its steps with.

A step is taken inside `Run.step(n)` (or by `Run.take(n, action)`): the driver learns which step is under way, so
page objects read their labels from it; the start and the outcome are reported; and whatever stops the step (a
page object's StepProblem, a browser error) becomes one outcome with the nearest visible names. The run's `Policy`
says what a failure does: connect stops at the first (StepFailed), verify and guide record the step as broken and
go on (`Run.take` skips the steps that needed it). A `Watcher` (verify's camera) hears of each step's control,
problem and end.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from runbook.browser.reachability import answers
from runbook.browser.session import browser_page
from runbook.browser.settings import Settings
from runbook.core import interrupt
from runbook.core.errors import NotSignedIn, QrUnreadable, RunbookError, SiteUnreachable, StepFailed, StepProblem
from runbook.core.events import Reporter
from runbook.core.status import StepStatus
from runbook.core.tutorial import Step, StepKey
from runbook.eyes.driver import Driver, Match
from runbook.pages.announcements import Announcements
from runbook.pages.sign_in import SignInCheck
from runbook.steps.drift import Drift, classify

if TYPE_CHECKING:  # only named: a run without --capture never loads the scrubber
    from runbook.capture.recorder import Recorder

# After a step's error: how long a navigation under way may take to land (a redirect to the login page).
NAVIGATION_MS = 3_000


class Policy(Enum):
    STOP = "stop at the first failure"  # connect
    GO_ON = "record and go on"  # verify, guide


class Watcher(Protocol):
    """Who hears of each step as it is taken (verify and guide: a screenshot of each)."""

    def target(self, step: Step, control: Locator) -> None:
        """The control the step is about to click first."""

    def problem(self, step: Step, page: Page) -> None:
        """The step could not be taken (the page as it is then)."""

    def taken(self, step: Step, page: Page, result: Any) -> None:
        """The step's action is done; `result` is what it returned (an element to outline, or anything else)."""

    def shot(self, step: Step) -> Path | None:
        """The screenshot taken of the step, if one was."""


class _Deaf:
    def target(self, step: Step, control: Locator) -> None:
        return None

    def problem(self, step: Step, page: Page) -> None:
        return None

    def taken(self, step: Step, page: Page, result: Any) -> None:
        return None

    def shot(self, step: Step) -> Path | None:
        return None


class Watchers:
    """Several watchers hear of each step, in order (verify's camera, then --capture's DOM snapshots)."""

    def __init__(self, *watchers: Watcher) -> None:
        self.watchers = watchers

    def target(self, step: Step, control: Locator) -> None:
        for watcher in self.watchers:
            watcher.target(step, control)

    def problem(self, step: Step, page: Page) -> None:
        for watcher in self.watchers:
            watcher.problem(step, page)

    def taken(self, step: Step, page: Page, result: Any) -> None:
        for watcher in self.watchers:
            watcher.taken(step, page, result)

    def shot(self, step: Step) -> Path | None:
        return next((shot for watcher in self.watchers if (shot := watcher.shot(step)) is not None), None)


@dataclass
class StepRecord:
    """How a step went; the block inside `Run.step()` may mark it skipped."""

    step: Step
    status: StepStatus = StepStatus.OK
    note: str = ""
    expected: str = ""
    nearest: list[str] = field(default_factory=list)
    route: str = ""  # the name of the route the step was taken by
    labels: tuple[str, ...] = ()  # that route's labels
    url: str = ""
    result: Any = None  # what the step's action returned (verify: the element to outline)
    drift: Drift | None = None  # verify: how it differs from the tutorial (runbook/steps/drift.py)
    seconds: float = 0.0  # how long the step took

    def skip(self, note: str) -> None:
        self.status, self.note = StepStatus.SKIPPED, note


@dataclass
class Run:
    settings: Settings
    reporter: Reporter
    folder: Path
    driver: Driver
    policy: Policy = Policy.STOP
    probe_site: bool = (
        True  # the site answered a probe from Python when the run began (runbook/browser/reachability.py)
    )
    watcher: Watcher = field(default_factory=_Deaf)
    # Keyed by Step.key: a connect step's number, a disconnect step's "D2" (the two parts number their own steps).
    records: dict[StepKey, StepRecord] = field(default_factory=dict)
    recorder: Recorder | None = None  # --capture: what the run saw, scrubbed (runbook/capture/recorder.py)

    def saw_qr(self, payload: str) -> None:
        """A QR payload the run read: a capture replaces it wherever it is, its pictures included."""
        if self.recorder is not None:
            self.recorder.saw_qr(payload)

    @property
    def matched(self) -> dict[StepKey, Match]:
        """How each step was taken (which route), as the driver recorded it."""
        return self.driver.matched

    def aside(self) -> Run:
        """The same page, for steps nobody hears of (a look before the real ones): failures are recorded, not
        raised, and nothing is reported. It knows the steps taken so far (a step needing step 1 is reached), and
        what it takes stays its own."""
        return replace(
            self, reporter=Reporter.silent(), policy=Policy.GO_ON, watcher=_Deaf(), records=dict(self.records)
        )

    def screenshot(self, name: str) -> Path | None:
        path = self.folder / f"{name}.png"
        try:
            self.driver.page.screenshot(path=path, full_page=True, timeout=self.driver.timeout_ms)
        except PlaywrightError:
            return None
        return path

    def _step(self, number: int | Step) -> Step:
        """One of the ten steps by number, or a Step of another part of the tutorial (the FAQ's disconnect)."""
        return number if isinstance(number, Step) else self.driver.tutorial.step(number)

    def skip(self, number: int | Step, note: str) -> StepRecord:
        step = self._step(number)
        record = StepRecord(step, StepStatus.SKIPPED, note, expected=step.expected, url=self._url())
        self.records[step.key] = record
        self.reporter.step(step, StepStatus.SKIPPED, note=note)
        return record

    def blocked_by(self, needs: tuple[StepKey, ...]) -> StepKey | None:
        """The first earlier step this one needs that did not pass (verify: it is then not reached). Under
        Policy.STOP a step that failed has ended the run already, so whatever is still running has what it needs."""
        if self.policy is Policy.STOP:
            return None
        return next((n for n in needs if n not in self.records or not self.records[n].status.passed), None)

    def take(self, number: int | Step, action: Callable[[], Any], needs: tuple[StepKey, ...] = ()) -> StepRecord:
        """Take a step with `action` unless a step it needs did not pass; with Policy.GO_ON a problem is recorded."""
        step = self._step(number)
        blocker = self.blocked_by(needs)
        if blocker is not None:
            self.reporter.step(step, StepStatus.START)
            return self.skip(step, f"not reached: step {blocker} could not be taken")
        with self.step(step) as record:
            record.result = action()
        return self.records[step.key]

    @contextmanager
    def step(self, number: int | Step) -> Iterator[StepRecord]:
        """Reports the step's start and end; whatever stops it becomes one outcome (see Policy)."""
        step = self._step(number)
        record = StepRecord(step, expected=step.expected)
        self.records[step.key] = record
        self.driver.begin(step)
        self.reporter.step(step, StepStatus.START)
        clock = time.monotonic()
        try:
            try:
                yield record
                self.watcher.taken(step, self.driver.page, record.result)
                self.check_session(step)  # a login page can pass for the step's effect (it has a heading too)
            except (StepProblem, PlaywrightError, QrUnreadable) as error:
                if interrupt.received():
                    raise  # the browser died with the Ctrl-C: reported as the interruption (runbook/core/interrupt.py)
                if self.probe_site and not answers(self.settings.base_url):
                    raise SiteUnreachable(self.settings.base_url, step.number, step.title) from None
                # A navigation under way (the app sending the browser to its login page) is seen through first.
                with suppress(PlaywrightError):
                    self.driver.page.wait_for_load_state("domcontentloaded", timeout=NAVIGATION_MS)
                self.check_session(step)
                problem = self.problem(step, error)
                self.check_session(step)  # the login page may have come while the visible names were read
                if self.policy is Policy.STOP:
                    raise self.failure(step, problem.expected, problem.nearest, problem.hint) from None
                record.seconds = time.monotonic() - clock
                self._broken(record, problem)
                return
        except StepFailed as failed:  # explained already: by the block above, or by the step itself (step 10)
            self._failed(record, failed)
            raise
        except RunbookError:
            self.reporter.step(step, StepStatus.FAILED)
            raise
        record.seconds = time.monotonic() - clock
        self._finished(record)

    def problem(self, step: Step, error: Exception) -> StepProblem:
        """The one place a step's error is explained: what was expected, the nearest visible names, and a hint
        (a timeout names the option that raises it)."""
        if isinstance(error, StepProblem):
            problem = error
        else:
            labels = step.documented.labels or (step.title,)
            problem = StepProblem(
                step.expected,
                self.driver.nearest_names(labels),
                f"the browser said: {first_line(str(error))}",
                timed_out=isinstance(error, PlaywrightTimeoutError),
            )
        if problem.timed_out:
            waited = f"it timed out: the page was still busy after --timeout {self.settings.timeout:g} s"
            problem.hint = "; ".join(
                filter(None, [problem.hint, f"{waited} (a slower site needs a larger --timeout N)"])
            )
        return problem

    def check_session(self, step: Step) -> None:
        """Raises NotSignedIn when Business Center shows its login wall: the session ended mid-run."""
        if SignInCheck(self.driver).login_url.search(self.driver.page.url):
            raise NotSignedIn(
                f'the session ended during step {step.number} "{step.title}": Business Center asks to '
                "sign in again; run 'tiktok-runbook login', then the same command again to resume"
            )

    def failure(self, step: Step, expected: str, visible: list[str], hint: str = "") -> StepFailed:
        """The error for a step that cannot be done, with its screenshot (and trace); `step()` reports it."""
        shot = self.screenshot(f"{step.slug}-failed")
        if self.settings.trace:  # written when the browser closes, which this failure is about to make happen
            hint = "; ".join(filter(None, [hint, f"trace: {self.folder / 'trace.zip'}"]))
        return StepFailed(step.number, step.title, expected, visible, shot, hint)

    # -- outcomes ----------------------------------------------------------------------------------------------

    def _url(self) -> str:
        try:
            return self.driver.page.url
        except PlaywrightError:
            return ""

    def _failed(self, record: StepRecord, failed: StepFailed) -> None:
        record.status, record.note, record.nearest = StepStatus.FAILED, failed.message, failed.visible
        self.reporter.step(
            record.step, StepStatus.FAILED, note=failed.message, screenshot=failed.screenshot, nearest=failed.visible
        )

    def _broken(self, record: StepRecord, problem: StepProblem) -> None:
        self.watcher.problem(record.step, self.driver.page)
        record.status, record.expected, record.nearest = StepStatus.BROKEN, problem.expected, problem.nearest
        record.note, record.url = problem.hint, self._url()
        record.drift = classify(record.step, record.status, "", ())
        self._report(record)

    def _finished(self, record: StepRecord) -> None:
        match = self.matched.get(record.step.key)
        record.url = self._url()
        if match is not None:
            record.route, record.labels = match.route.name, match.route.labels
        if record.status is StepStatus.SKIPPED:
            self.reporter.step(record.step, record.status, route=match.route if match else None, note=record.note)
            return
        if match is not None and not faithful(record.step, match) and self.policy is Policy.GO_ON:
            record.status, record.nearest = StepStatus.DRIFT, list(match.nearest)
            record.drift = classify(record.step, record.status, match.route.name, match.route.labels)
        self._report(record, match)

    def _report(self, record: StepRecord, match: Match | None = None) -> None:
        shot = self.watcher.shot(record.step)
        note = record.note
        if record.drift is not None:
            note = expected_seen(record)
        elif record.status in (StepStatus.DRIFT, StepStatus.BROKEN) and record.nearest:
            note = f"nearest: {', '.join(record.nearest[:3])}"
        extra: dict[str, Any] = {}
        if self.policy is Policy.GO_ON:
            extra = {"nearest": record.nearest, "screenshot": shot.name if shot else None}
            if record.drift is not None:
                extra.update(kind=record.drift.kind.value, seen=list(record.drift.seen))
        self.reporter.step(record.step, record.status, route=match.route if match else None, note=note, **extra)


def expected_seen(record: StepRecord) -> str:
    """The terminal's and the reports' one line on a drifted step: 'renamed: "Accounts" → "Assets"'."""
    drift = record.drift
    if drift is None:
        return ""
    seen = drift.words if drift.seen else (f'nearest "{record.nearest[0]}"' if record.nearest else "nothing like it")
    return f"{drift.kind}: {record.expected or record.step.expected} → {seen}"


def faithful(step: Step, match: Match) -> bool:
    """Connect steps follow the tutorial's own words: any other route is drift. The FAQ names no labels for
    disconnecting ("click the options menu to disconnect it"), so a route that ends on a word the data knows for
    the step fits it as well as the first one does; only wording the data does not know is drift."""
    if match.route.documented:
        return True
    if step.part != "disconnect" or not match.route.labels:
        return False
    known = {label for route in step.routes for label in route.labels} | set(step.texts("item_labels"))
    return match.route.labels[-1] in known


def first_line(message: str) -> str:
    """Playwright's messages carry a call log; the first line says what it waited for."""
    line = message.strip().splitlines()[0] if message.strip() else "the page to respond"
    return re.sub(r"^(Locator\.|Page\.)?\w+: ", "", line)


@contextmanager
def open_run(
    settings: Settings,
    folder: Path,
    reporter: Reporter,
    policy: Policy = Policy.STOP,
    *,
    explore: bool = False,
    watcher: Watcher | None = None,
    recorder: Recorder | None = None,
) -> Iterator[Run]:
    """A browser page with the saved session, a Driver on it, and the Run that takes its steps.

    `explore` (verify): a step no known route matches goes on with the nearest visible control. `recorder`
    (--capture) records the context and a DOM snapshot of each step.
    """
    probe_site = answers(settings.base_url)  # if not, the browser may still reach it (a proxy): it will tell
    heard: Watcher = Watchers(*[w for w in (watcher, recorder) if w is not None]) if recorder else watcher or _Deaf()
    with browser_page(settings, folder, recorder) as page:
        driver = Driver(
            page, settings.tutorial_data(), timeout_ms=settings.timeout * 1000, explore=explore, on_target=heard.target
        )
        Announcements(driver).watch()
        yield Run(settings, reporter, folder, driver, policy, probe_site=probe_site, watcher=heard, recorder=recorder)
