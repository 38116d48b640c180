"""verify --notify URL: a drift summary POSTed to a webhook, only when the verdict changed since the last run
(or, on the first run, since the baseline), so a chat hears of a drift once, not every night.

The post goes through connect's webhook code (runbook/share/webhooks.py: its URL checks, retries and bounded
close), as a "failed" event: the one kind of that module's that carries a free status and message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from runbook.core.paths import default_runs_dir
from runbook.share.webhooks import Notifier
from runbook.verify.verdict import FailOn, Verdict

ACCOUNT = "Tutorial check"


def fingerprint(verdict: Verdict, fail_on: FailOn) -> list[list[str]]:
    """What the verdict says, as a chat would care: each failing step, its kind and the words seen."""
    return [[step.ref, str(step.status), step.kind, *step.seen] for step in verdict.failing(fail_on)]


def state_file(verdict: Verdict) -> Path:
    """Where the last verdict is kept, one file per Business Center and tutorial file."""
    key = hashlib.sha256(f"{verdict.base_url}\n{verdict.tutorial}".encode()).hexdigest()[:16]
    return default_runs_dir().parent / "verify" / f"last-{key}.json"


def changed(verdict: Verdict, fail_on: FailOn, state: Path) -> bool:
    """Whether the verdict differs from the one kept in `state` (no state: from a passing run, which a baseline
    makes of its accepted drift); the new one is kept either way."""
    now = fingerprint(verdict, fail_on)
    try:
        before = json.loads(state.read_text(encoding="utf-8")).get("failing", [])
    except (OSError, ValueError, AttributeError):
        before = []
    try:
        state.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        state.write_text(json.dumps({"failing": now}) + "\n", encoding="utf-8")
    except OSError:
        pass  # the notification still goes; the next run may send it again
    return bool(before != now)


def message(verdict: Verdict, fail_on: FailOn, report: str) -> str:
    failing = verdict.failing(fail_on)
    if not failing:
        return f"the tutorial matches Business Center again ({verdict.base_url}); report: {report}"
    steps = "; ".join(f"step {step.ref} {step.kind or step.status}: {step.expected_seen}" for step in failing)
    return f"{steps} ({verdict.base_url}); report: {report}"


def notify(
    urls: Sequence[str], verdict: Verdict, fail_on: FailOn, report: str, on_problem: Callable[[str], None]
) -> bool:
    """Posts the summary when the verdict changed; returns whether it did."""
    if not urls or not changed(verdict, fail_on, state_file(verdict)):
        return False
    status = "now fails" if verdict.failing(fail_on) else "passes again"
    event = {
        "event": "failed",
        "account": ACCOUNT,
        "status": status,
        "message": message(verdict, fail_on, report),
        "verdict": str(verdict.status),
        "steps": fingerprint(verdict, fail_on),
    }
    with Notifier(urls, on_problem) as notifier:
        notifier(event)
    return True
