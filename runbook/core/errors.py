"""One family of errors, each meant to be read by a person; the CLI turns them into one line and an exit code."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

from runbook.core.text import clipped, printable


class ExitCode(IntEnum):
    OK = 0
    STEP_FAILED = 1  # a tutorial step could not be done (or, for verify, drifted)
    BAD_INPUT = 2  # bad option, missing file, not signed in, missing browser or library, account busy
    INTERRUPTED = 130  # Ctrl-C or SIGTERM, as shells report a death by SIGINT (128 + 2)


class RunbookError(Exception):
    """Base of every error the CLI reports without a traceback. By default it says a step could not be done (exit
    1); the errors of SetupError's branch say that something must change before a rerun can help (exit 2)."""

    exit_code: ExitCode = ExitCode.STEP_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def line(self) -> str:
        """The one line on stderr that reports it (the CLI's, and an interruption's that cannot wait for the CLI).
        What it quotes from outside (a page's labels, a file's cell) cannot move the cursor, colour the terminal,
        reorder the line or break it in two: control and formatting characters are escaped."""
        return f"tiktok-runbook: {printable(self.message)}"


class SetupError(RunbookError):
    """Exit 2: the input or the setup must change first (an option, a file, the sign-in, a program)."""

    exit_code = ExitCode.BAD_INPUT


class BadInput(SetupError):
    """An option or a file the person gave cannot be used as it is."""


class NotSignedIn(SetupError):
    """Business Center shows its login wall: `tiktok-runbook login`, then the same command again."""


class MissingDependency(SetupError):
    """No browser, no libzbar: says which package to install."""


class QrUnreadable(RunbookError):
    """An image holds no QR code that could be decoded: not bad input (the file is an image), so exit 1."""


class StepFailed(RunbookError):
    """A tutorial step could not be done: names the step, what was expected and what was visible instead."""

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
        seen = ", ".join(f'"{clipped(name)}"' for name in self.visible[:3]) or "nothing close"
        parts = [f'Step {step} "{title}" failed: expected {expected}; visible instead: {seen}']
        if hint:
            parts.append(hint)
        if screenshot:
            parts.append(f"screenshot: {screenshot}")
        super().__init__(". ".join(parts))


class OwnerDidNotAccept(RunbookError):
    """Step 6 ran out of time or of QR codes; a rerun picks up from where the account stands."""


class TutorialDrifted(RunbookError):
    """verify found steps that no longer work as documented; the reports say which."""


class SiteUnreachable(RunbookError):
    """The Business Center did not answer at all (refused, reset, timed out): not a step that drifted."""

    def __init__(self, base_url: str, step: int, title: str, detail: str = "") -> None:
        self.step = step
        if step <= 1:
            why = f" ({detail})" if detail else ""
            message = (
                f'Step {step} "{title}": the site did not answer at {base_url}{why}; '
                "check --base-url and the network, then run the same command again"
            )
        else:
            message = (
                f'Business Center at {base_url} stopped answering during step {step} "{title}"; '
                "run the same command again when it answers (steps already done are skipped)"
            )
        super().__init__(message)


class WriteFailed(SetupError):
    """A file the run writes could not be written (a full disk, a read-only one, a closed pipe): exit 2, as the
    disk must change first; what was done stays done, and the rerun resumes."""


class BrowserServiceRefused(SetupError):
    """--browser-endpoint answered but will not serve this run (a Playwright version mismatch, a refused
    handshake, no browser installed there): the endpoint, its token or the service must change first."""


class BrowserServiceGone(RunbookError):
    """The browser service did not answer, or closed the connection mid-run: a rerun resumes once it is back."""


class AccountBusy(SetupError):
    """Another run holds the account's lock: two runs would both request codes and both click Save."""


class Interrupted(RunbookError):
    """Ctrl-C or SIGTERM: what was done stays done, and the same command resumes."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, step: int | str | None) -> None:
        self.step = step  # a connect step's number, or a disconnect step's "D2"
        where = f"at step {step}" if step else "before the first step"
        super().__init__(f"interrupted {where}; run the same command again to resume")


class StepProblem(RunbookError):
    """What a page object could not do, said in the page's terms: what was expected and what was nearest. It
    names no step: the step engine (runbook/steps/run.py) knows which step was under way, and turns the problem
    into StepFailed (with the screenshot) or, for verify, a broken step. `timed_out`: the page was still busy at
    --timeout."""

    def __init__(
        self, expected: str, nearest: list[str] | None = None, hint: str = "", *, timed_out: bool = False
    ) -> None:
        self.expected = expected
        self.nearest = list(nearest or [])
        self.hint = hint
        self.timed_out = timed_out
        super().__init__(f"{expected} " + (hint or "not found"))


class ControlNotFound(StepProblem):
    """No path of the step could be followed: none of its labels is on the page."""


class AmbiguousControl(StepProblem):
    """Two controls say the label equally well: the runbook names both rather than guess."""


class NoEffect(StepProblem):
    """A click changed nothing, twice."""


class PathUndone(StepProblem):
    """A dialog dismissed on the runbook's behalf (an announcement) took the control away mid-click: the click
    outside it closed the menu the control sat in. The step's route is taken again from its first control."""


class PageNotReady(StepProblem):
    """A page or dialog the step needs never showed."""


class NotConfirmed(RunbookError):
    """A person was asked to confirm a change and said no: nothing changed."""
