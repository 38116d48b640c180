"""The order and the counts every summary of a verdict uses (the report's table, the job summary, the terminal):
failures and drift first, then known drift, then the rest; connect's ten and the FAQ's steps counted apart."""

from __future__ import annotations

from collections import Counter

from runbook.verify.verdict import BROKEN, DRIFT, KNOWN, OK, SKIPPED, StepVerdict, Verdict

_ORDER = {BROKEN: 0, DRIFT: 1, KNOWN: 2, SKIPPED: 3, OK: 4}
_COUNTED = (OK, KNOWN, DRIFT, BROKEN, SKIPPED)


def summary_rows(verdict: Verdict) -> list[StepVerdict]:
    """The steps, broken first, then drift, known, skipped and ok (each group in the tutorial's order)."""
    return sorted(verdict.steps, key=lambda step: _ORDER.get(step.status, 5))


def part_counts(verdict: Verdict) -> str:
    """'connect 10: 8 ok, 2 drift · disconnect 3: 3 ok': each part of the tutorial counted on its own."""
    parts: dict[str, list[StepVerdict]] = {}
    for step in verdict.steps:
        parts.setdefault(step.part, []).append(step)
    said = []
    for part, steps in parts.items():
        counts = Counter(step.status for step in steps)
        tally = ", ".join(f"{counts[status]} {status}" for status in _COUNTED if counts[status])
        said.append(f"{part} {len(steps)}: {tally}")
    return " · ".join(said) or "no steps"
