"""examples/nightly-verify.yml: a scheduled verify that always uploads its reports, never the session."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / "examples" / "nightly-verify.yml"
SECRET = "TIKTOK_STORAGE_STATE"
# A field of a cron line: *, a number, a range, a list or a step ("*/15").
CRON_FIELD = r"[\d*,/-]+"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    return job["steps"]


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def step_running(steps: list[dict[str, Any]], command: str) -> tuple[int, dict[str, Any]]:
    found = [(index, step) for index, step in enumerate(steps) if command in step.get("run", "")]
    assert len(found) == 1, f"expected one step running {command!r}"
    return found[0]


def runs_always(step: dict[str, Any]) -> bool:
    return re.fullmatch(r"\s*(\$\{\{\s*)?always\(\)(\s*\}\})?\s*", str(step.get("if", ""))) is not None


def test_runs_nightly_and_on_demand(workflow: dict[Any, Any]) -> None:
    on = triggers(workflow)
    (schedule,) = on["schedule"]
    assert re.fullmatch(rf"{CRON_FIELD}( {CRON_FIELD}){{4}}", schedule["cron"])
    assert "workflow_dispatch" in on


def test_verify_writes_the_reports_and_junit(steps: list[dict[str, Any]]) -> None:
    _, verify = step_running(steps, "tiktok-runbook verify")
    command = verify["run"]
    assert '--storage-state "$SESSION"' in command
    assert "--report out/" in command
    assert "--junit out/junit.xml" in command
    assert "--baseline .github/tutorial-baseline.json" in command  # known drift keeps the night green


def test_installs_what_verify_needs_before_running_it(steps: list[dict[str, Any]]) -> None:
    verify, _ = step_running(steps, "tiktok-runbook verify")
    apt, install = step_running(steps, "apt-get install")
    pip, _ = step_running(steps, "pip install .")
    assert {"chromium", "libzbar0"} <= set(install["run"].split())
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert apt < verify and pip < verify


def test_reports_are_uploaded_whatever_verify_found(steps: list[dict[str, Any]]) -> None:
    verify, _ = step_running(steps, "tiktok-runbook verify")
    (upload,) = [step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert runs_always(upload)
    assert steps.index(upload) > verify
    assert "out/" in upload["with"]["path"].split()


def test_the_session_is_written_privately_and_deleted_last(steps: list[dict[str, Any]]) -> None:
    verify, _ = step_running(steps, "tiktok-runbook verify")
    write, writer = step_running(steps, f'"${SECRET}" > "$session"')
    script = writer["run"]
    written_at = script.index(f'"${SECRET}" >')
    # umask before the write makes the file private from its first byte; chmod afterwards closes it at least.
    umask = script.find("umask 077")
    assert 0 <= umask < written_at or re.search(r"chmod (0?600|go?-rwx)", script)
    assert writer["env"][SECRET] == f"${{{{ secrets.{SECRET} }}}}"
    assert write < verify

    cleanup = steps[-1]
    assert runs_always(cleanup)
    assert re.search(r"\brm\b.*\$\{?SESSION", cleanup["run"])


def test_the_secret_is_never_echoed(steps: list[dict[str, Any]]) -> None:
    for step in steps:
        script = step.get("run", "")
        # Only `env:` may name the secret; spliced into a script it is on disk and in the shell's hands.
        assert "secrets." not in script, step.get("name")
        assert not re.search(r"^\s*set -[a-z]*x", script, flags=re.MULTILINE), "xtrace would print the value"
        for line in script.splitlines():
            if re.search(rf"\b(echo|printf|cat)\b.*\${{?{SECRET}\b", line):
                # Printing it is allowed only into a file of ours, never stdout or GitHub's own files.
                assert re.search(r'>\s*"?\$session"?\s*$', line), line
    assert "echo ${{ secrets" not in WORKFLOW.read_text(encoding="utf-8")
