"""One run of the tutorial in a browser: steps reported as they start and end, failures explained."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from pages.announcements import Announcements
from pages.controls import ControlNotFound, Match, Walk, nearest, visible_names
from pages.sign_in import SignInCheck
from runbook import interrupt, tutorial
from runbook.errors import NotSignedIn, RunbookError, SiteUnreachable, StepFailed
from runbook.events import Reporter
from runbook.reachability import answers
from runbook.session import browser_page
from runbook.settings import Settings
from runbook.tutorial import Step


@dataclass
class StepRecord:
    """How a step went; the block inside `Run.step()` may mark it skipped."""

    step: Step
    status: str = "ok"
    note: str = ""

    def skip(self, note: str) -> None:
        self.status, self.note = "skipped", note


@dataclass
class Run:
    settings: Settings
    reporter: Reporter
    folder: Path
    walk: Walk
    matched: dict[int, Match] = field(default_factory=dict)
    probe_site: bool = True  # the site answered a probe from Python when the run began (runbook/reachability.py)

    def record_match(self, step: Step, match: Match) -> None:
        self.matched[step.number] = match

    def screenshot(self, name: str) -> Path | None:
        path = self.folder / f"{name}.png"
        try:
            self.walk.page.screenshot(path=path, full_page=True)
        except PlaywrightError:
            return None
        return path

    def skip(self, number: int, note: str) -> None:
        self.reporter.step(self.walk.step(number), "skipped", note=note)

    @contextmanager
    def step(self, number: int) -> Iterator[StepRecord]:
        """Reports the step's start and end; turns whatever stops it into a StepFailed that explains itself."""
        step = self.walk.step(number)
        record = StepRecord(step)
        self.reporter.step(step, "start")
        try:
            try:
                yield record
                self.check_session(step)  # a login page can pass for the step's effect (it has a heading too)
            except (ControlNotFound, PlaywrightError) as error:
                if interrupt.received():
                    raise  # the browser died with the Ctrl-C: reported as the interruption (runbook/interrupt.py)
                if self.probe_site and not answers(self.settings.base_url):
                    raise SiteUnreachable(self.settings.base_url, step.number, step.title) from None
                self.check_session(step)
                if isinstance(error, ControlNotFound):
                    raise self.failure(step, error.expected, error.nearest) from None
                names = nearest(step.documented.labels, visible_names(self.walk.page))
                raise self.failure(step, step.expected, names, f"the browser said: {first_line(str(error))}") from None
        except StepFailed as failed:
            self.reporter.step(
                step, "failed", note=failed.message, screenshot=failed.screenshot, nearest=failed.visible
            )
            raise
        except RunbookError:
            self.reporter.step(step, "failed")
            raise
        match = self.matched.get(number)
        path = match.path if match else None
        self.reporter.step(step, record.status, path=path, note=record.note)

    def check_session(self, step: Step) -> None:
        """Raises NotSignedIn when Business Center shows its login wall: the session ended mid-run."""
        if SignInCheck(self.walk).login_url.search(self.walk.page.url):
            raise NotSignedIn(
                f'the session ended during step {step.number} "{step.title}": Business Center asks to '
                "sign in again; run 'tiktok-runbook login', then the same command again to resume"
            )

    def failure(self, step: Step, expected: str, visible: list[str], hint: str = "") -> StepFailed:
        """The error for a step that cannot be done, with its screenshot (and trace); `step()` reports it."""
        shot = self.screenshot(f"step-{step.number:02d}-failed")
        if self.settings.trace:  # written when the browser closes, which this failure is about to make happen
            hint = "; ".join(filter(None, [hint, f"trace: {self.folder / 'trace.zip'}"]))
        return StepFailed(step.number, step.title, expected, visible, shot, hint)


def first_line(message: str) -> str:
    """Playwright's messages carry a call log; the first line says what it waited for."""
    line = message.strip().splitlines()[0] if message.strip() else "the page to respond"
    return re.sub(r"^(Locator\.|Page\.)?\w+: ", "", line)


@contextmanager
def open_run(settings: Settings, command: str, reporter: Reporter) -> Iterator[Run]:
    folder = settings.run_folder(command)
    probe_site = answers(settings.base_url)  # if not, the browser may still reach it (a proxy): it will tell
    with browser_page(settings, folder) as page:
        walk = Walk(page, tutorial.load(), timeout_ms=settings.timeout * 1000)
        run = Run(settings, reporter, folder, walk, probe_site=probe_site)
        walk.on_match = run.record_match
        Announcements(walk).watch()
        yield run
