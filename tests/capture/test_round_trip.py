"""capture → replay: verify --capture on the live mock, then verify against `mock --replay` of what it wrote, with
the mock stopped answering: the same step results, and nothing the replay could not answer but what the
capture says it never saw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runbook.capture.replay import ReplayServer
from runbook.fixtures.config import EDITIONS, LIBRARY_EDITIONS, MARKUPS
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli
from tests.support.matrix import cells

# Every edition in every markup that draws it (the lookalike edition has its own markup: aria only).
CELLS = [(e, m) for m in MARKUPS for e in EDITIONS if m == "aria" or e in LIBRARY_EDITIONS]
# All in `make test-matrix`: every day, the kept captures are replayed (test_captures.py) and a capture is made
# and scanned (test_capture.py).
EVERYDAY: list[tuple[str, str]] = []
MAX_BYTES = 5 * 2**20  # a capture of a full verify on the mock (issue 18)


def verify(url: str, folder: Path, capsys, monkeypatch, *extra: str) -> Result:
    args = ["verify", "--base-url", url, "--report", str(folder), "--timeout", "5", *extra]
    return run_cli(args, capsys, monkeypatch)


def results(steps: list[dict]) -> list[tuple]:
    """What a replay must give again: each step's outcome, its kind of drift and the way it was taken."""
    return [(s["ref"], s["status"], s["kind"], s["path"]) for s in steps]


@pytest.mark.parametrize(("edition", "markup"), cells(CELLS, everyday=EVERYDAY))
def test_a_capture_replays_to_the_same_step_results(
    edition: str, markup: str, mock: MockBusinessCenter, tmp_path: Path, capsys, monkeypatch
) -> None:
    mock.reset(edition=edition, markup=markup, delay=0.03)
    capture = tmp_path / "capture"
    live = verify(mock.url, tmp_path / "live", capsys, monkeypatch, "--capture", str(capture))
    assert live.code in (0, 1), live.err
    assert sum(p.stat().st_size for p in capture.rglob("*") if p.is_file()) < MAX_BYTES
    info = json.loads((capture / "capture.json").read_text())
    live_report = json.loads((tmp_path / "live" / "report.json").read_text())
    assert results(info["steps"]) == results(live_report["steps"])
    mock.fault("*", "error", times=0)  # offline: the live mock answers nothing but 503 from here on
    with ReplayServer(capture) as replay:
        replayed = verify(replay.url, tmp_path / "replayed", capsys, monkeypatch)
        missed = list(replay.replay.unmatched)
    mock.clear_faults()
    assert replayed.code == live.code, replayed.err
    report = json.loads((tmp_path / "replayed" / "report.json").read_text())
    assert results(report["steps"]) == results(info["steps"])
    assert report["status"] == info["verdict"]
    assert [line for line in missed if "favicon" not in line] == []
