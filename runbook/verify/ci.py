"""verify in GitHub Actions (GITHUB_ACTIONS=true): an annotation per drifted or broken step, pointing at the
tutorial data file's line for it, and a Markdown summary appended to $GITHUB_STEP_SUMMARY.

Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from runbook.verify.summary import part_counts, summary_rows
from runbook.verify.verdict import BROKEN, DRIFT, KNOWN, StepVerdict, Verdict

_MARK = {"ok": "✅", "drift": "⚠️", "broken": "❌", "skipped": "⏭️", "known": "☑️"}


def in_github(env: Mapping[str, str] | None = None) -> bool:
    return (env if env is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def _escape(text: str, *, prop: bool = False) -> str:
    """A workflow command's value: %, CR and LF escaped (and, in a property, ':' and ',')."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def annotation(step: StepVerdict, tutorial_file: str) -> str:
    """`::warning file=…,line=…,title=…::message` for drift, `::error` for a broken step."""
    level = "error" if step.status is BROKEN else "warning"
    title = f"tutorial step {step.ref} {step.kind or step.status}"
    where = f"file={_escape(tutorial_file, prop=True)},line={max(step.line, 1)},title={_escape(title, prop=True)}"
    message = f"step {step.ref} {step.title}: {step.kind or step.status}: {step.expected_seen}"
    return f"::{level} {where}::{_escape(message)}"


def annotation_lines(verdict: Verdict) -> list[str]:
    return [annotation(step, verdict.tutorial) for step in verdict.steps if step.status in (DRIFT, BROKEN)]


def markdown(verdict: Verdict, report: Path | None = None) -> str:
    """The job summary: the verdict, the parts' counts, and one table row per step, failures first."""
    lines = [
        f"## Tutorial check: {verdict.status}",
        "",
        f"{part_counts(verdict)} · {verdict.base_url} · tutorial `{verdict.tutorial}` ({verdict.tutorial_hash})",
        "",
        "| | Step | Status | Kind | Expected → seen |",
        "|---|---|---|---|---|",
    ]
    for step in summary_rows(verdict):
        cells = [_MARK.get(step.status, ""), f"{step.ref} {step.title}", str(step.status), step.kind or "", _cell(step)]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    if report is not None:
        lines += ["", f"Report: `{report}`"]
    return "\n".join(lines) + "\n"


def _cell(step: StepVerdict) -> str:
    return step.expected_seen if step.kind or step.status is KNOWN else step.expected


def publish(verdict: Verdict, report: Path | None, env: Mapping[str, str] | None = None) -> list[str]:
    """The annotation lines (printed by the caller on stdout, where the runner reads them) and, when
    $GITHUB_STEP_SUMMARY names a file, the summary appended to it."""
    env = env if env is not None else os.environ
    target = env.get("GITHUB_STEP_SUMMARY")
    if target:
        with Path(target).open("a", encoding="utf-8") as summary:
            summary.write(markdown(verdict, report))
    return annotation_lines(verdict)
