"""connect run in-process as a person runs it, and what its events say."""

from __future__ import annotations

import json
from pathlib import Path

from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli


def connect(mock: MockBusinessCenter, tmp_path: Path, capsys, monkeypatch, *extra: str) -> Result:
    args = [
        "connect",
        "--base-url",
        mock.url,
        "--events",
        "-",
        "--run-dir",
        str(tmp_path / "run"),
        "--wait",
        "30",
        *extra,
    ]
    return run_cli(args, capsys, monkeypatch)


def events(result: Result) -> list[dict]:
    """stdout carries only events: every line must be JSON."""
    return [json.loads(line) for line in result.out.splitlines()]


def step_status(evs: list[dict]) -> dict[int, str]:
    """The last status each step reported."""
    return {e["step"]: e["status"] for e in evs if e["event"] == "step" and e["status"] != "start"}


def connect_one_code(
    mock: MockBusinessCenter, owner, tmp_path: Path, capsys, monkeypatch
) -> tuple[Result, list[dict], dict]:
    """connect --account @x with an owner who scans the one code shown: it succeeded, every step is ok, and the
    owner scanned the code the one qr event shared. Returns the result, its events and that qr event."""
    with owner(delay=0.3, shared=tmp_path / "run") as scanner:
        result = connect(mock, tmp_path, capsys, monkeypatch, "--account", "@x")
    assert result.code == 0, result.err
    evs = events(result)
    assert step_status(evs) == dict.fromkeys(range(1, 11), "ok")
    [qr] = [e for e in evs if e["event"] == "qr"]
    assert qr["payload"].startswith(f"{mock.url}/authorize/")
    assert scanner.scanned == [qr["payload"]]
    return result, evs, qr
