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
from runbook import tutorial
from runbook.errors import RunbookError, StepFailed
from runbook.events import Reporter
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

    def record_match(self, step: Step, match: Match) -> None:
        self.matched[step.number] = match

    def screenshot(self, name: str) -> Path | None:
        path = self.folder / f"{name}.png"
        try:
            self.walk.page.screenshot(path=path, full_page=True)
        except PlaywrightError:
            return None
        return path

    def skip(self, number: int | Step, note: str) -> None:
        self.reporter.step(number if isinstance(number, Step) else self.walk.step(number), "skipped", note=note)

    @contextmanager
    def step(self, number: int | Step) -> Iterator[StepRecord]:
        """Reports the step's start and end; turns whatever stops it into a StepFailed that explains itself.

        `number` is one of the ten steps, or a Step of another part of the tutorial (the FAQ's disconnect)."""
        step = number if isinstance(number, Step) else self.walk.step(number)
        number = step.number
        self.matched.pop(number, None)  # a match left by another part's step of the same number is not this one's
        record = StepRecord(step)
        self.reporter.step(step, "start")
        try:
            try:
                yield record
            except ControlNotFound as missing:
                raise self.failure(step, missing.expected, missing.nearest) from None
            except PlaywrightError as error:
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
    with browser_page(settings, folder) as page:
        walk = Walk(page, tutorial.load(), timeout_ms=settings.timeout * 1000)
        run = Run(settings, reporter, folder, walk)
        walk.on_match = run.record_match
        Announcements(walk).watch()
        yield run
