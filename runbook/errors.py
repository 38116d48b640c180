"""One family of errors, each meant to be read by a person; the CLI turns them into one line and an exit code."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    OK = 0
    STEP_FAILED = 1  # a tutorial step could not be done (or, for verify, drifted)
    BAD_INPUT = 2  # bad option, missing file, not signed in, missing browser or library


class RunbookError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code: ExitCode = ExitCode.STEP_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadInput(RunbookError):
    exit_code = ExitCode.BAD_INPUT


class NotSignedIn(RunbookError):
    exit_code = ExitCode.BAD_INPUT


class MissingDependency(RunbookError):
    """No browser, no libzbar: says which package to install."""

    exit_code = ExitCode.BAD_INPUT


class QrUnreadable(BadInput):
    """An image holds no QR code that could be decoded."""


class StepFailed(RunbookError):
    """A tutorial step could not be done: names the step, what was expected and what was visible instead."""

    exit_code = ExitCode.STEP_FAILED

    def __init__(
        self,
        step: int,
        title: str,
        expected: str,
        visible: list[str] | None = None,
        screenshot: Path | None = None,
        hint: str = "",
    ) -> None:
        self.step = step
        self.title = title
        self.expected = expected
        self.visible = list(visible or [])
        self.screenshot = screenshot
        self.hint = hint
        seen = ", ".join(f'"{name}"' for name in self.visible[:3]) or "nothing close"
        parts = [f'Step {step} "{title}" failed: expected {expected}; visible instead: {seen}']
        if hint:
            parts.append(hint)
        if screenshot:
            parts.append(f"screenshot: {screenshot}")
        super().__init__(". ".join(parts))


class OwnerDidNotAccept(RunbookError):
    """Step 6 ran out of time or of QR codes; a rerun picks up from where the account stands."""

    exit_code = ExitCode.STEP_FAILED


class TutorialDrifted(RunbookError):
    """verify found steps that no longer work as documented; the reports say which."""

    exit_code = ExitCode.STEP_FAILED


class StepProblem(RunbookError):
    """What a page object could not do in a tutorial step, in the step's terms; Run turns it into StepFailed
    (with the screenshot) and verify into a broken step. `timed_out`: the page was still busy at --timeout."""

    def __init__(
        self, step: int, expected: str, nearest: list[str] | None = None, hint: str = "", *, timed_out: bool = False
    ) -> None:
        self.step = step
        self.expected = expected
        self.nearest = list(nearest or [])
        self.hint = hint
        self.timed_out = timed_out
        super().__init__(f"step {step}: {expected} " + (hint or "not found"))


class ControlNotFound(StepProblem):
    """No path of the step could be followed: none of its labels is on the page."""


class AmbiguousControl(StepProblem):
    """Two controls say the label equally well: the runbook names both rather than guess."""


class NoEffect(StepProblem):
    """A click changed nothing, twice."""


class PageNotReady(StepProblem):
    """A page or dialog the step needs never showed."""


class NotConfirmed(RunbookError):
    """A person was asked to confirm a change and said no: nothing changed."""

    exit_code = ExitCode.STEP_FAILED
