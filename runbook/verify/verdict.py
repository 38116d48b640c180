"""What verify finds, step by step: the data its reports (JSON, HTML, JUnit) are written from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from runbook.core.status import StepStatus
from runbook.core.tutorial import PART_PREFIX

OK, DRIFT, BROKEN, SKIPPED, KNOWN = (
    StepStatus.OK,
    StepStatus.DRIFT,
    StepStatus.BROKEN,
    StepStatus.SKIPPED,
    StepStatus.KNOWN,
)
# The run's status is its worst step's; skipped steps (the owner's scan) and known drift do not count against it.
_SEVERITY = {OK: 0, SKIPPED: 0, KNOWN: 0, DRIFT: 1, BROKEN: 2}


class FailOn(str, Enum):
    """verify --fail-on: the least a step must be for the run to fail (exit 1)."""

    DRIFT = "drift"
    BROKEN = "broken"


@dataclass
class StepVerdict:
    number: int
    title: str
    status: StepStatus  # ok | drift | broken | skipped | known
    expected: str  # the documented labels, e.g. '"Request Access"'
    nearest: list[str] = field(default_factory=list)  # closest visible names, most similar first
    screenshot: str | None = None  # file name inside the report folder
    url: str = ""
    path: str = ""  # which path matched: "documented", an alternative's name, or the nearest control
    note: str = ""
    part: str = "connect"  # "connect" (the ten steps) or "disconnect" (the FAQ's D1-D3), as in the events
    kind: str = ""  # how it drifted (runbook/steps/drift.py): renamed, moved, added, changed-kind, removed
    seen: list[str] = field(default_factory=list)  # the words the UI shows instead of the documented ones
    seconds: float = 0.0
    line: int = 0  # the line of the tutorial data file where the step's table begins

    @property
    def ref(self) -> str:
        """How a person names the step: "4" for the ten, "D2" for the disconnect steps."""
        return str(self.number) if self.part == "connect" else f"{PART_PREFIX.get(self.part, '')}{self.number}"

    @property
    def shown(self) -> str:
        """What was seen instead of the documented words, as the terminal and the reports say it."""
        if self.seen:
            return " › ".join(f'"{label}"' for label in self.seen)
        return f'nearest "{self.nearest[0]}"' if self.nearest else "nothing like it"

    @property
    def expected_seen(self) -> str:
        """'"Accounts" → "Assets"' for a step that drifted or broke; the expected words alone otherwise."""
        return f"{self.expected} → {self.shown}" if self.kind else self.expected


@dataclass
class Verdict:
    base_url: str
    started_at: str
    seconds: float
    steps: list[StepVerdict]
    version: str = ""
    tutorial: str = "tutorial.toml"  # the data file's name
    tutorial_hash: str = ""
    baseline: str = ""  # the baseline file applied, if any

    @property
    def status(self) -> StepStatus:
        worst = max((_SEVERITY[step.status] for step in self.steps), default=0)
        return {0: OK, 1: DRIFT, 2: BROKEN}[worst]

    def failing(self, fail_on: FailOn = FailOn.DRIFT) -> list[StepVerdict]:
        """The steps that fail the run: drift and broken, or (--fail-on broken) broken only."""
        statuses = (BROKEN,) if fail_on is FailOn.BROKEN else (DRIFT, BROKEN)
        return [step for step in self.steps if step.status in statuses]

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "base_url": self.base_url,
            "started_at": self.started_at,
            "seconds": round(self.seconds, 2),
            "version": self.version,
            "tutorial": self.tutorial,
            "tutorial_hash": self.tutorial_hash,
            "baseline": self.baseline,
            "steps": [{**asdict(step), "ref": step.ref, "seconds": round(step.seconds, 3)} for step in self.steps],
        }
