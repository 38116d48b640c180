"""The one set of words a step's outcome is told in: events, the console, verify's verdicts and reports."""

from __future__ import annotations

from enum import Enum


class _Word(str, Enum):
    """A status that is its word: events (JSON) and reports carry the plain word, and "ok" and StepStatus.OK are
    one key (equal, and hashed alike)."""

    def __str__(self) -> str:
        return self.value

    __hash__ = str.__hash__


class StepStatus(_Word):
    """How a step went."""

    START = "start"
    OK = "ok"  # taken as documented (connect: by any known route)
    DRIFT = "drift"  # verify: taken, but not as documented (a known alternative or the nearest control)
    BROKEN = "broken"  # verify: could not be taken
    SKIPPED = "skipped"  # nothing to do (already done), or not reached
    KNOWN = "known"  # verify: drift that a baseline accepts (verify --baseline)
    FAILED = "failed"  # connect: could not be taken; the run stops

    @property
    def passed(self) -> bool:
        """The run can go on past a step with this outcome."""
        return self in (StepStatus.OK, StepStatus.DRIFT)

    @property
    def mark(self) -> str:
        return _MARKS[self]


_MARKS = {
    StepStatus.START: "…",
    StepStatus.OK: "✓",
    StepStatus.DRIFT: "~",
    StepStatus.BROKEN: "✗",
    StepStatus.SKIPPED: "–",
    StepStatus.KNOWN: "≈",
    StepStatus.FAILED: "✗",
}


class AccountState(_Word):
    """Where one account of a connect run stands; the summary, the events and the share page say these words."""

    STARTING = "starting"  # its page is not set up yet
    REQUESTING = "requesting"  # asking Business Center for a code
    WAITING = "waiting"  # the code is out; the owner has not accepted yet
    EXPIRED = "expired"  # the code ran out; a new one is on its way
    ACCEPTED = "accepted"  # the owner accepted; not assigned yet
    ASSIGNING = "assigning"
    ASSIGNED = "assigned"  # done in this run
    ALREADY = "already"  # linked and assigned before this run: nothing to do
    LINKED_NOT_ASSIGNED = "linked-not-assigned"  # the owner accepted, but assigning failed
    TIMED_OUT = "timed out"  # the owner did not accept in time, or every code expired
    FAILED = "failed"  # a step could not be taken

    @property
    def ok(self) -> bool:
        """Connected and assigned, now or before."""
        return self in (AccountState.ASSIGNED, AccountState.ALREADY)

    @property
    def setting_up(self) -> bool:
        """Its code is not out yet."""
        return self in (AccountState.STARTING, AccountState.REQUESTING)

    def label(self, step: int | None = None) -> str:
        """How the summary and the events word it: a failure names its step ("failed at step 4")."""
        return f"failed at step {step}" if self is AccountState.FAILED and step is not None else self.value

    @classmethod
    def of_label(cls, label: str) -> AccountState:
        """The state a label words (see label()); an unknown word is a failure."""
        try:
            return cls(label)
        except ValueError:
            return cls.FAILED
