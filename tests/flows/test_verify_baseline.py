"""verify a team can live with: known drift (a baseline), a proposed fix of the data file that connect and verify
then follow, and what CI is told (annotations, a job summary)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from runbook.core import tutorial
from tests.flows.test_verify import verify
from tests.support.cli import run_cli
from tests.support.images import assert_outlined
from tests.support.matrix import matrix
from tests.support.runs import connect, events, step_status


def _steps(folder) -> dict[str, dict]:
    return {step["ref"]: step for step in json.loads((folder / "report.json").read_text())["steps"]}


@pytest.mark.matrix  # slow: make test-matrix (CI) runs it
def test_a_baseline_accepts_known_drift_and_fails_new_drift(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(edition="wizard", delay=0.03)
    base = tmp_path / "b.json"
    first = verify(mock, tmp_path / "one", capsys, monkeypatch, "--update-baseline", str(base))
    assert first.code == 0, first.err
    [accepted] = json.loads(base.read_text())["accepted"]
    assert (accepted["step"], accepted["kind"], accepted["seen"][0]) == ("4", "added", "Add a TikTok Account")

    again = verify(mock, tmp_path / "two", capsys, monkeypatch, "--baseline", str(base))
    assert again.code == 0, again.err
    steps = _steps(tmp_path / "two")
    assert steps["4"]["status"] == "known" and steps["4"]["kind"] == "added"
    assert "≈ step  4" in again.err and "PASSED: connect 10: 8 ok, 1 known, 1 skipped" in again.err, again.err

    mock.reset(edition="renamed-menu", delay=0.03)
    moved_on = verify(mock, tmp_path / "three", capsys, monkeypatch, "--baseline", str(base))
    assert moved_on.code == 1
    steps = _steps(tmp_path / "three")
    for ref in ("2", "7"):
        assert (steps[ref]["status"], steps[ref]["kind"], steps[ref]["seen"]) == ("drift", "renamed", ["Assets"])
    assert "step 2 renamed, 7 renamed" in moved_on.err
    assert 'renamed: "Accounts" → "Assets"' in moved_on.err  # expected → seen on the step's line
    assert "baseline" in moved_on.err and "step 4 added is no longer seen" in moved_on.err


@pytest.mark.matrix  # slow: make test-matrix (CI) runs it
def test_the_proposed_tutorial_is_followed_by_connect_and_verify(mock, owner, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(edition="renamed-menu", delay=0.03)
    out = tmp_path / "out"
    drifted = verify(mock, out, capsys, monkeypatch)
    assert drifted.code == 1
    proposed = out / "tutorial.proposed.toml"
    diff = (out / "tutorial.diff").read_text()
    assert '+path = ["Assets"]' in diff and "The tutorial's words until" in proposed.read_text()
    assert f"Proposed tutorial: {proposed}" in drifted.err

    fixed = verify(mock, tmp_path / "again", capsys, monkeypatch, "--tutorial", str(proposed))
    assert fixed.code == 0, fixed.err
    assert not (tmp_path / "again" / "tutorial.proposed.toml").exists()
    report = json.loads((tmp_path / "again" / "report.json").read_text())
    assert report["tutorial"] == str(proposed) and len(report["tutorial_hash"]) == 12

    mock.reset(edition="renamed-menu", delay=0.03)  # the codes verify showed are not the owner's to scan
    monkeypatch.setenv("TIKTOK_RUNBOOK_TUTORIAL", str(proposed))  # the environment's way to say --tutorial
    with owner(delay=0.3, shared=tmp_path / "run") as scanner:
        result = connect(mock, tmp_path, capsys, monkeypatch, "--account", "@x")
    assert result.code == 0, result.err
    assert step_status(events(result)) == dict.fromkeys(range(1, 11), "ok") and scanner.scanned
    assert mock.state()["accounts"]["@x"] == {"linked": True, "assigned": True}


@pytest.mark.matrix  # slow: make test-matrix (CI) runs it
def test_github_actions_gets_annotations_and_a_summary(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(edition="no-add-assets", delay=0.03)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step's summary\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = verify(mock, tmp_path / "out", capsys, monkeypatch)
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if line.startswith("::")]
    text = (tmp_path / "out" / "report.json").read_text()
    assert lines == [line for line in lines if line.startswith("::error file=runbook/tutorial.toml,line=")]
    assert len(lines) == 1 and "step 8" in lines[0] and "removed" in lines[0]
    # The annotation's line is where step 8's table starts in the data file.
    line = int(lines[0].split("line=")[1].split(",")[0])
    assert tutorial.load().text.splitlines()[line - 1] == "[[step]]" and json.loads(text)["steps"][7]["line"] == line
    written = summary.read_text()
    assert written.startswith("earlier step's summary\n## Tutorial check: broken")
    assert "connect 10: 6 ok, 1 broken, 3 skipped · disconnect 3: 3 ok" in written
    junit = ET.parse(tmp_path / "out" / "junit.xml").getroot()
    cases = junit.iter("testcase")
    first = next(cases)
    assert float(first.get("time") or "-1") > 0
    attached = {p.get("name"): p.get("value") for p in first.iter("property")}
    assert attached["attachment"] == "step-01.png"
    # Every picture of a step that found its control shows it outlined, whole (tests/outputs/test_camera.py).
    for step in json.loads(text)["steps"]:
        if step["status"] == "ok":
            assert_outlined(tmp_path / "out" / step["screenshot"])


@matrix
def test_fail_on_broken_lets_drift_pass(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(edition="renamed-menu", delay=0.03)
    lenient = verify(mock, tmp_path / "out", capsys, monkeypatch, "--fail-on", "broken")
    assert lenient.code == 0, lenient.err
    assert "PASSED: connect 10: 7 ok, 2 drift, 1 skipped" in lenient.err


# In the matrix: the guide writer's marking of a changed step runs every day (tests/outputs/test_guide_writer.py).
@matrix
def test_guide_on_a_drifted_ui_writes_todays_words(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(edition="renamed-menu", delay=0.03)
    out = tmp_path / "guide"
    result = run_cli(["guide", "--base-url", mock.url, "--out", str(out), "--timeout", "2"], capsys, monkeypatch)
    assert result.code == 0, result.err
    markdown = (out / "guide.md").read_text()
    assert markdown.count("Click **Assets** in the left-hand menu.") == 2  # steps 2 and 7
    assert markdown.count("(changed)") == 2 and "Click **Accounts**" not in markdown
    assert 'guide: step 2 written with today\'s words "Assets" (renamed' in result.err
    assert "guide: step 7 written" in result.err
