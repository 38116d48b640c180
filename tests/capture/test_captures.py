"""Every capture in tests/captures/ is a test: replayed offline (mock --replay), verify gives again the verdict and
the step results its capture.json recorded. A capture of the live Business Center attached to a bug report goes
there once its fix is in (README: QA); the two there now are the mock's (a drifted twin without ARIA, and the
look-alike in Ant Design's markup), made with `verify --capture`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runbook.capture.replay import ReplayServer
from tests.support.cli import run_cli
from tests.support.matrix import matrix

CAPTURES = sorted(p.parent for p in (Path(__file__).parents[1] / "captures").glob("*/capture.json"))
# What the mock's captures must not hold: its Business Center's id, its member's e-mail, its accounts' handles.
ORIGINALS = ("7623379731659948049", "jordan@northwind.example", "@acme.official", "acme.official", "@linked.only")


# One every day (the drifted twin without ARIA), the others in `make test-matrix`.
@pytest.mark.parametrize(
    "capture",
    [pytest.param(p, marks=() if p.name == "mock-renamed-menu-bare" else matrix, id=p.name) for p in CAPTURES],
)
def test_a_capture_replays_to_its_recorded_verdict(capture: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    info = json.loads((capture / "capture.json").read_text())
    with ReplayServer(capture) as replay:
        args = ["verify", "--base-url", replay.url, "--report", str(tmp_path / "out"), "--timeout", "5"]
        result = run_cli(args, capsys, monkeypatch)
        missed = [line for line in replay.replay.unmatched if "favicon" not in line]
    assert result.code == (0 if info["verdict"] == "ok" else 1), result.err
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["status"] == info["verdict"]
    recorded = [(s["ref"], s["status"], s["kind"], s["path"]) for s in info["steps"]]
    assert [(s["ref"], s["status"], s["kind"], s["path"]) for s in report["steps"]] == recorded
    assert missed == []


def test_the_captures_kept_hold_nothing_of_the_mock_they_were_made_on() -> None:
    assert len(CAPTURES) >= 2
    for capture in CAPTURES:
        text = "\n".join(
            p.read_text(errors="replace") for p in capture.rglob("*") if p.suffix in (".har", ".json", ".html")
        )
        assert not [original for original in ORIGINALS if original in text], capture.name
