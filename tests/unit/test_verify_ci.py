"""verify for a team, without a browser: drift kinds, the baseline file, the proposed data file, GitHub's
annotations, the notification sent only when the verdict changed, and show-report's server."""

from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path

import pytest

from runbook.core import tutorial
from runbook.core.errors import BadInput
from runbook.core.status import StepStatus
from runbook.steps.drift import DriftKind, classify
from runbook.verify import baseline, ci
from runbook.verify.notify import notify
from runbook.verify.proposal import propose
from runbook.verify.show import report_server, report_url, serve
from runbook.verify.verdict import DRIFT, OK, FailOn, StepVerdict, Verdict
from tests.unit.test_notify import Receiver

DATA = tutorial.load()


def verdict(*steps: StepVerdict) -> Verdict:
    return Verdict("https://business.tiktok.com", "2026-12-02T00:00:00+00:00", 1.0, list(steps), tutorial=DATA.name)


def renamed(number: int, seen: str = "Assets") -> StepVerdict:
    step = DATA.step(number)
    return StepVerdict(number, step.title, DRIFT, step.expected, kind="renamed", seen=[seen], line=DATA.line_of(step))


@pytest.mark.parametrize(
    ("number", "status", "route", "labels", "kind"),
    [
        (2, StepStatus.DRIFT, 'nearest visible control "Assets"', ("Assets",), DriftKind.RENAMED),
        (4, StepStatus.DRIFT, DATA.step(4).alternatives[0].name, DATA.step(4).alternatives[0].labels, DriftKind.ADDED),
        (4, StepStatus.DRIFT, DATA.step(4).alternatives[1].name, ("Link accounts",), DriftKind.RENAMED),
        (4, StepStatus.DRIFT, 'behind the "Add" menu', ("Add", "Request Access"), DriftKind.CHANGED_KIND),
        (8, StepStatus.BROKEN, "", (), DriftKind.REMOVED),
    ],
)
def test_each_drift_has_its_kind(number, status, route, labels, kind) -> None:
    drift = classify(DATA.step(number), status, route, labels)
    assert drift is not None and drift.kind is kind and drift.seen == labels
    assert classify(DATA.step(number), StepStatus.OK, "documented", ()) is None


def test_a_baseline_round_trips_and_matches_step_kind_and_words(tmp_path: Path) -> None:
    path = baseline.write(verdict(renamed(2)), tmp_path / "b.json")
    accepted = baseline.read(path)
    run = verdict(renamed(2), renamed(7), renamed(2, "Asset"))
    run.steps[2].number = 3  # the same words at another step are not the accepted drift
    stale = baseline.apply(run, accepted, str(path))
    assert [step.status for step in run.steps] == ["known", "drift", "drift"] and stale == []
    assert run.failing(FailOn.DRIFT) == run.steps[1:] and run.failing(FailOn.BROKEN) == []
    assert baseline.apply(verdict(), accepted, str(path)) == accepted  # nothing drifted: the entry is stale


@pytest.mark.parametrize(
    "body",
    ["[]", '{"version": 2, "accepted": []}', '{"version": 1, "accepted": [{"step": "2", "kind": "typo", "seen": []}]}'],
)
def test_a_bad_baseline_is_refused_in_one_line(tmp_path: Path, body: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(body)
    with pytest.raises(BadInput, match="--baseline"):
        baseline.read(path)


def test_the_proposal_loads_and_keeps_the_old_words() -> None:
    text = propose(DATA, [renamed(2), renamed(7)], "2026-12-02")
    assert text is not None
    proposed = tutorial.parse(text)
    for number in (2, 7):
        assert proposed.step(number).documented.labels == ("Assets",)
        assert proposed.step(number).alternatives[-1].labels == ("Accounts",)
    assert proposed.step(4) == DATA.step(4) and text.count("\n#") == DATA.text.count("\n#")  # comments kept
    assert propose(DATA, [StepVerdict(8, "x", StepStatus.BROKEN, "", kind="removed")], "2026-12-02") is None


def test_a_tutorial_file_is_read_as_strictly_as_the_packaged_one(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(DATA.text.replace('area = "page"', 'aera = "page"', 1))
    with pytest.raises(tutorial.TutorialError, match="unknown key 'aera'"):
        tutorial.load(path)
    with pytest.raises(tutorial.TutorialError, match="no such file"):
        tutorial.load(tmp_path / "missing.toml")
    # Bounded, and regular files only: /dev/zero reports a size of 0 and never ends.
    with pytest.raises(tutorial.TutorialError, match="/dev/zero: not a regular file"):
        tutorial.load(Path("/dev/zero"))
    path.write_bytes(b"#" * (tutorial.MAX_BYTES + 1))
    with pytest.raises(tutorial.TutorialError, match="too large"):
        tutorial.load(path)


def test_github_annotations_point_at_the_steps_line(tmp_path: Path) -> None:
    step = renamed(2)
    [line] = ci.annotation_lines(verdict(step))
    assert line.startswith(f"::warning file=runbook/tutorial.toml,line={step.line},title=tutorial step 2 renamed::")
    assert DATA.text.splitlines()[step.line - 1] == "[[step]]" and 'renamed: "Accounts" → "Assets"' in line
    summary = tmp_path / "summary.md"
    ci.publish(verdict(step), None, {"GITHUB_STEP_SUMMARY": str(summary)})
    assert "| ⚠️ | 2 Navigate to Accounts (left-hand menu) | drift | renamed |" in summary.read_text()


def test_notify_posts_only_when_the_verdict_changed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    receiver = Receiver()
    try:
        problems: list[str] = []
        drifted = verdict(renamed(2))
        sent = [notify([receiver.url], run, FailOn.DRIFT, "r.html", problems.append) for run in (drifted, drifted)]
        fixed = verdict(StepVerdict(2, "x", OK, ""))
        sent.append(notify([receiver.url], fixed, FailOn.DRIFT, "r.html", problems.append))
        assert sent == [True, False, True] and problems == []
        first, last = receiver.bodies
        assert first["status"] == "now fails" and "step 2 renamed" in first["text"]
        assert last["status"] == "passes again" and "matches Business Center again" in last["text"]
    finally:
        receiver.shutdown()
        receiver.server_close()


def test_show_report_serves_the_folder_on_this_machine(tmp_path: Path) -> None:
    (tmp_path / "report.html").write_text("<h1>report</h1>")
    server = report_server(tmp_path)
    stop = threading.Event()
    worker = threading.Thread(target=serve, args=(server, stop))
    worker.start()
    try:
        with urllib.request.urlopen(report_url(server), timeout=5) as answer:
            assert answer.read() == b"<h1>report</h1>"
    finally:
        stop.set()
        worker.join(5)
    with pytest.raises(BadInput, match=r"no report\.html"):
        report_server(tmp_path / "elsewhere")
    assert json.dumps(report_url(server)).startswith('"http://127.0.0.1:')


@pytest.mark.parametrize("command", ["connect", "verify", "guide", "status", "disconnect", "login"])
def test_every_command_refuses_a_bad_tutorial_file_before_a_browser(command, tmp_path, capsys, monkeypatch) -> None:
    from tests.support.cli import run_cli

    bad = tmp_path / "t.toml"
    bad.write_text(DATA.text.replace("[[step]]", "[[stepp]]", 1))
    monkeypatch.setenv("TIKTOK_RUNBOOK_TUTORIAL", str(bad))
    extra = ["--account", "@x"] if command in ("connect", "disconnect") else []
    result = run_cli([command, "--base-url", "http://127.0.0.1:9", *extra], capsys, monkeypatch)
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1 and f"--tutorial {bad}" in result.err
    assert "unknown key 'stepp'" in result.err
