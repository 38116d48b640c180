"""verify --baseline FILE: drift a team has accepted. A step whose drift matches an entry (same step, same kind,
same new words) is reported `known` and does not fail the run; any other drift does. `--update-baseline FILE`
writes the file from the current run, as `--update-snapshots` does for a screenshot test.

The file is JSON a person can read and review in a pull request:
    {"version": 1, "accepted": [{"step": "4", "kind": "added", "seen": ["Add a TikTok Account", …]}]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runbook.core.errors import BadInput
from runbook.core.input_files import read_json_capped
from runbook.steps.drift import DriftKind
from runbook.verify.verdict import BROKEN, DRIFT, KNOWN, StepVerdict, Verdict

FORMAT = 1
MAX_BYTES = 1_000_000  # a baseline lists at most every step: anything near this is not one
_KINDS = {kind.value for kind in DriftKind}


@dataclass(frozen=True)
class Accepted:
    step: str  # the step's ref: "4", "D3"
    kind: str
    seen: tuple[str, ...]

    def matches(self, step: StepVerdict) -> bool:
        return self.step == step.ref and self.kind == step.kind and self.seen == tuple(step.seen)


def entry(step: StepVerdict) -> Accepted:
    return Accepted(step.ref, step.kind, tuple(step.seen))


def read(path: Path) -> list[Accepted]:
    """The accepted drift of a baseline file, checked entry by entry: a typo must not accept everything."""
    where = f"--baseline {path}"
    if not path.exists() and not path.is_symlink():
        raise BadInput(f"{where}: no such file (write one with: verify --update-baseline {path})")
    raw: Any = read_json_capped(path, where, MAX_BYTES, "not a baseline file")
    if not isinstance(raw, dict) or raw.get("version") != FORMAT or not isinstance(raw.get("accepted"), list):
        raise BadInput(f'{where}: expected {{"version": {FORMAT}, "accepted": [...]}}')
    accepted = []
    for index, item in enumerate(raw["accepted"]):
        ok = isinstance(item, dict) and set(item) == {"step", "kind", "seen"}
        ok = ok and isinstance(item["step"], str) and item["kind"] in _KINDS and isinstance(item["seen"], list)
        if not ok or not all(isinstance(word, str) for word in item["seen"]):
            raise BadInput(f"{where}: accepted[{index}] must be {{step, kind, seen}} with kind one of {sorted(_KINDS)}")
        accepted.append(Accepted(item["step"], item["kind"], tuple(item["seen"])))
    return accepted


def apply(verdict: Verdict, accepted: list[Accepted], name: str) -> list[Accepted]:
    """Marks the drift the baseline accepts as `known`; returns the entries no step matched (stale: fixed, or
    drifted further). A broken step is never known: a removed control is not something to live with."""
    used: set[Accepted] = set()
    for step in verdict.steps:
        if step.status is not DRIFT:
            continue
        match = next((each for each in accepted if each.matches(step)), None)
        if match is not None:
            step.status = KNOWN
            step.note = "; ".join(filter(None, [f"accepted in {name}", step.note]))
            used.add(match)
    verdict.baseline = name
    return [each for each in accepted if each not in used]


def write(verdict: Verdict, path: Path) -> Path:
    """The run's drift as a baseline (its broken steps are left out: they still fail)."""
    accepted = [entry(step) for step in verdict.steps if step.kind and step.status not in (BROKEN,)]
    body = {"version": FORMAT, "accepted": [{"step": a.step, "kind": a.kind, "seen": list(a.seen)} for a in accepted]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as error:
        raise BadInput(f"--update-baseline {path}: cannot write it ({error.strerror or error})") from None
    return path
