"""What verify finds, step by step: the data its reports (JSON, HTML, JUnit) are written from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from runbook.core.status import StepStatus
from runbook.core.tutorial import PART_PREFIX

OK, DRIFT, BROKEN, SKIPPED = StepStatus.OK, StepStatus.DRIFT, StepStatus.BROKEN, StepStatus.SKIPPED
# The run's status is its worst step's; skipped steps (the owner's scan) do not count against it.
_SEVERITY = {OK: 0, SKIPPED: 0, DRIFT: 1, BROKEN: 2}


@dataclass
class StepVerdict:
    number: int
    title: str
    status: StepStatus  # ok | drift | broken | skipped
    expected: str  # the documented labels, e.g. '"Request Access"'
    nearest: list[str] = field(default_factory=list)  # closest visible names, most similar first
    screenshot: str | None = None  # file name inside the report folder
    url: str = ""
    path: str = ""  # which path matched: "documented", an alternative's name, or the nearest control
    note: str = ""
    part: str = "connect"  # "connect" (the ten steps) or "disconnect" (the FAQ's D1-D3), as in the events

    @property
    def ref(self) -> str:
        """How a person names the step: "4" for the ten, "D2" for the disconnect steps."""
        return str(self.number) if self.part == "connect" else f"{PART_PREFIX.get(self.part, '')}{self.number}"


@dataclass
class Verdict:
    base_url: str
    started_at: str
    seconds: float
    steps: list[StepVerdict]

    @property
    def status(self) -> StepStatus:
        worst = max((_SEVERITY[step.status] for step in self.steps), default=0)
        return {0: OK, 1: DRIFT, 2: BROKEN}[worst]

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "base_url": self.base_url,
            "started_at": self.started_at,
            "seconds": round(self.seconds, 2),
            "steps": [{**asdict(step), "ref": step.ref} for step in self.steps],
        }
