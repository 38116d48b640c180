"""verify's proposed fix: the tutorial data file with today's words as each drifted step's documented path (the
old words kept as a known alternative), and the unified diff from the file it ran with.

The text is edited line by line rather than re-serialised, so the file's comments and order stay as they were
and the diff shows only what changed. The result is parsed as strictly as any data file before it is written.
"""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from runbook.core.tutorial import Step, Tutorial, parse

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib
from runbook.verify.verdict import StepVerdict

PROPOSED_NAME = "tutorial.proposed.toml"
DIFF_NAME = "tutorial.diff"
# The kinds a new path can be written for; a removed step has nothing to write.
FIXABLE = ("renamed", "moved", "added", "changed-kind")


def _array(labels: Sequence[str]) -> str:
    # A JSON string is a TOML basic string (the escapes are the same), so json.dumps quotes a label safely.
    return "[" + ", ".join(json.dumps(label, ensure_ascii=False) for label in labels) + "]"


def _blocks(lines: list[str]) -> list[tuple[str, int]]:
    """Every table header's kind ("[[step]]", "[[step.alternative]]", "[interruptions]"…) and its line index."""
    return [(line.strip(), index) for index, line in enumerate(lines) if line.strip().startswith("[")]


def _section(step: Step) -> str:
    """The data file's table name for the step's part: [[step]] for connect's ten, [[disconnect]] for the FAQ's."""
    return "step" if step.part == "connect" else step.part


def _step_span(lines: list[str], step: Step) -> tuple[int, int]:
    """The lines of the step's table and its alternatives: from its header to the next step's (or other) table."""
    section = _section(step)
    heads = _blocks(lines)
    starts = [index for kind, index in heads if kind == f"[[{section}]]"]
    start = starts[step.number - 1]
    after = [index for kind, index in heads if index > start and kind != f"[[{section}.alternative]]"]
    end = after[0] if after else len(lines)
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1  # the comments above the next table belong to it
    return start, end


def _path_span(block: list[str], start: int) -> tuple[int, int]:
    """The `path = [...]` of the table whose header is block[start] (it may span lines): first and past-last."""
    for index in range(start + 1, len(block)):
        if block[index].strip().startswith("["):
            break
        if block[index].startswith("path"):
            last = index
            while "]" not in block[last].split("#")[0]:
                last += 1
            return index, last + 1
    raise ValueError(f"no path in the table {block[start].strip()}")


def _labels_of(lines: list[str]) -> tuple[str, ...]:
    return tuple(tomllib.loads("\n".join(lines))["path"])


def _propose_step(lines: list[str], step: Step, new: tuple[str, ...], when: str) -> list[str]:
    start, end = _step_span(lines, step)
    block = lines[start:end]
    first, last = _path_span(block, 0)
    kept = [*block[:first], f"path = {_array(new)}"]
    heads = [index for index, line in enumerate(block) if index >= last and line.strip().startswith("[")]
    kept += block[last : heads[0] if heads else len(block)]
    for position, head in enumerate(heads):
        stop = heads[position + 1] if position + 1 < len(heads) else len(block)
        alt_first, alt_last = _path_span(block, head)
        # The route it matched may be an alternative already: that is now the documented path, so it goes.
        if _labels_of(block[alt_first:alt_last]) != new:
            kept += block[head:stop]
    while kept and not kept[-1].strip():
        kept.pop()
    section = _section(step)
    old = step.documented.labels
    alternative = [
        "",
        f"[[{section}.alternative]]",
        f'name = "The tutorial\'s words until {when}"',
        f"path = {_array(old)}",
    ]
    return [*lines[:start], *kept, *alternative, *lines[end:]]


def propose(tutorial: Tutorial, steps: Sequence[StepVerdict], when: str) -> str | None:
    """The data file with today's words for each fixable drifted step; None when there is none."""
    lines = tutorial.text.splitlines()
    changed = False
    for verdict in steps:
        if verdict.kind not in FIXABLE or not verdict.seen:
            continue
        part = tutorial.steps if verdict.part == "connect" else tutorial.disconnect
        step = part[verdict.number - 1]
        new = tuple(verdict.seen)
        if new == step.documented.labels:
            continue
        lines = _propose_step(lines, step, new, when)
        changed = True
    if not changed:
        return None
    text = "\n".join(lines) + "\n"
    parse(text, PROPOSED_NAME)  # as strict as any data file: a proposal that would not load is a bug here
    return text


def write_proposal(tutorial: Tutorial, steps: Sequence[StepVerdict], folder: Path, when: str) -> dict[str, Path]:
    """tutorial.proposed.toml and tutorial.diff in `folder`, when a step can be fixed; old ones are removed."""
    proposed, diff = folder / PROPOSED_NAME, folder / DIFF_NAME
    text = propose(tutorial, steps, when)
    if text is None:
        proposed.unlink(missing_ok=True)
        diff.unlink(missing_ok=True)
        return {}
    proposed.write_text(text, encoding="utf-8")
    lines = difflib.unified_diff(
        tutorial.text.splitlines(keepends=True), text.splitlines(keepends=True), tutorial.name, PROPOSED_NAME
    )
    diff.write_text("".join(lines), encoding="utf-8")
    return {"proposed": proposed, "diff": diff}
