"""The one set of words a step's outcome is told in: events, the console, verify's verdicts and reports."""

from __future__ import annotations

from enum import Enum


class StepStatus(str, Enum):
    """A str, so that events (JSON) and reports carry the plain word."""

    START = "start"
    OK = "ok"  # taken as documented (connect: by any known route)
    DRIFT = "drift"  # verify: taken, but not as documented (a known alternative or the nearest control)
    BROKEN = "broken"  # verify: could not be taken
    SKIPPED = "skipped"  # nothing to do (already done), or not reached
    FAILED = "failed"  # connect: could not be taken; the run stops

    def __str__(self) -> str:
        return self.value

    # Equal to its word and hashed like it, so that "ok" and StepStatus.OK are one key.
    __hash__ = str.__hash__

    @property
    def passed(self) -> bool:
        """The walk can go on past a step with this outcome."""
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
    StepStatus.FAILED: "✗",
}
