"""How a step drifted, in the words docs-as-tests tools use for UI drift: the kind, and the words seen instead.

renamed       the control is there under other words (a known alternative of one label, or the nearest control)
moved         reached only by another route (a known alternative with other labels around the documented one)
added         a new step or dialog in the way: a known route with more clicks than the documented one (a wizard)
changed-kind  the documented words are there, on another kind of control (a button became a menu's item)
removed       not there at all: the step is broken, not drifted
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from runbook.core.status import StepStatus
from runbook.core.tutorial import Step

_NEAREST = re.compile(r'^nearest visible control "(?P<name>.*)"$')
_BEHIND = re.compile(r'^behind the "(?P<name>.*)" menu')


class DriftKind(str, Enum):
    RENAMED = "renamed"
    MOVED = "moved"
    ADDED = "added"
    CHANGED_KIND = "changed-kind"
    REMOVED = "removed"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Drift:
    kind: DriftKind
    seen: tuple[str, ...] = ()  # the words the UI shows instead, in click order (empty: nothing seen)

    @property
    def words(self) -> str:
        """What was seen, as a person reads a path: '"Assets"' or '"A" › "B"'."""
        return " › ".join(f'"{label}"' for label in self.seen) or "nothing like it"

    @property
    def fixable(self) -> bool:
        """A new path can be written into the data file (a removed step has none)."""
        return self.kind is not DriftKind.REMOVED and bool(self.seen)


def classify(step: Step, status: StepStatus, route_name: str, route_labels: tuple[str, ...]) -> Drift | None:
    """The drift of a step that was taken by `route_name` (its labels `route_labels`); None when it did not drift."""
    if status is StepStatus.BROKEN:
        return Drift(DriftKind.REMOVED)
    if status is not StepStatus.DRIFT:
        return None
    documented = step.documented.labels
    if _NEAREST.match(route_name):
        return Drift(DriftKind.RENAMED if len(route_labels) == len(documented) else DriftKind.MOVED, route_labels)
    if _BEHIND.match(route_name):
        return Drift(DriftKind.CHANGED_KIND, route_labels)
    if len(route_labels) > len(documented):
        return Drift(DriftKind.ADDED, route_labels)
    if len(route_labels) == len(documented) and not set(route_labels) & set(documented):
        return Drift(DriftKind.RENAMED, route_labels)
    return Drift(DriftKind.MOVED, route_labels)
