"""Where each account of a connect run stands, what stopped it, and the table the run ends with."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from playwright.sync_api import Error as PlaywrightError

from runbook.connect.owner import OwnerTimedOut
from runbook.core.errors import RunbookError, StepFailed
from runbook.core.events import AccountReporter, Reporter
from runbook.core.handle import Handle
from runbook.core.status import AccountState
from runbook.core.text import printable
from runbook.steps.run import first_line


class AccountsNotConnected(RunbookError):
    """Some accounts of a run with several did not get connected; the summary says which and why."""


@dataclass
class Outcome:
    """Where one account stands: its summary row once its flow has ended."""

    handle: Handle
    started: float = field(default_factory=time.monotonic)
    state: AccountState = AccountState.STARTING
    codes: int = 0
    linked: bool = False
    accepted: bool = False  # the owner's acceptance was announced (said, and its event emitted)
    seconds: float = 0.0
    step: int | None = None  # the step it failed at
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.state.ok

    @property
    def label(self) -> str:
        """The state as the summary and the events word it ("failed at step 4")."""
        return self.state.label(self.step)

    def row(self) -> dict[str, object]:
        return {"account": str(self.handle), "status": self.label, "codes": self.codes, "seconds": self.seconds}

    def ended(self) -> None:
        self.seconds = round(time.monotonic() - self.started, 1)


def fail(outcome: Outcome, error: Exception, reporter: AccountReporter) -> None:
    """Classify what stopped an account for its summary row, and emit the `failed` event."""
    step = error.step if isinstance(error, StepFailed) else reporter.last_step
    if isinstance(error, OwnerTimedOut):
        state = AccountState.TIMED_OUT
    elif outcome.linked and step is not None and step >= 7:
        state = AccountState.LINKED_NOT_ASSIGNED
    else:
        state = AccountState.FAILED
    message = printable(first_line(str(error)) if isinstance(error, PlaywrightError) else str(error))
    outcome.state, outcome.step, outcome.message = state, step, message
    fields: dict[str, object] = {"status": outcome.label, "message": message}
    if step is not None:
        fields["step"] = step
    reporter.emit("failed", **fields)


def summarize(reporter: Reporter, outcomes: list[Outcome], notes: Mapping[Handle, str]) -> None:
    """The table a person reads at the end (stderr), and the summary event."""
    width = max(len("account"), *(len(str(outcome.handle)) for outcome in outcomes))
    status_width = max(len("status"), *(len(outcome.label) for outcome in outcomes))
    lines = [f"{'account':<{width}}  {'status':<{status_width}}  codes  time"]
    for outcome in outcomes:
        note = printable(notes.get(outcome.handle, ""))  # the accounts file's words, on a terminal
        lines.append(
            f"{outcome.handle!s:<{width}}  {outcome.label:<{status_width}}  {outcome.codes:>5}  "
            f"{outcome.seconds:>4.0f} s" + (f"  {note}" if note else "")
        )
    reporter.say("\n" + "\n".join(lines))
    reporter.emit("summary", accounts=[outcome.row() for outcome in outcomes])


def not_connected(outcomes: list[Outcome]) -> AccountsNotConnected | None:
    """The run's error when any account is not done, naming them."""
    failed = [outcome for outcome in outcomes if not outcome.ok]
    if not failed:
        return None
    listing = ", ".join(f"{outcome.handle} ({outcome.label})" for outcome in failed)
    return AccountsNotConnected(
        f"{len(failed)} of {len(outcomes)} accounts not connected: {listing}; "
        "run the same command again to resume (what is done is skipped)"
    )
