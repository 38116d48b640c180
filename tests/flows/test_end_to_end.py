"""The issue's acceptance run, as separate processes: `tiktok-runbook mock` and `tiktok-runbook connect`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "runbook"]


@pytest.fixture
def mock_process() -> Iterator[str]:
    """`tiktok-runbook mock --port 0` (wizard edition); yields its URL once it says it is listening."""
    process = subprocess.Popen(
        [*CLI, "mock", "--port", "0", "--edition", "wizard"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        first = process.stdout.readline() if process.stdout else ""
        match = re.search(r"at (http://\S+)", first)
        assert match, first
        yield match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_connect_process_against_mock_process(mock_process: str, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    run = subprocess.Popen(
        [*CLI, "connect", "--base-url", mock_process, "--account", "@x", "--events", "-", "--wait", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    events = []
    assert run.stdout is not None
    for line in run.stdout:  # ends when the run exits; bounded by --wait
        event = json.loads(line)
        events.append(event)
        if event["event"] == "qr":
            assert event["payload"].startswith(f"{mock_process}/authorize/")
            with urllib.request.urlopen(event["payload"], timeout=10) as scan:  # the owner scans and accepts
                assert scan.status == 200
    assert run.wait(timeout=60) == 0, run.stderr.read() if run.stderr else ""
    assert events[-1]["event"] == "done" and events[-1]["account"] == "@x"
    with urllib.request.urlopen(f"{mock_process}/__mock__/state", timeout=10) as answer:
        state = json.load(answer)
    assert state["accounts"]["@x"] == {"linked": True, "assigned": True}
