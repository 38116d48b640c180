"""What the fault and interrupt tests share: the quick mock, actions run once the run has done something, and
connect's one error line and rerun."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from runbook import qr as codes
from runbook.core.errors import RunbookError
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli


@pytest.fixture(autouse=True)
def quick(mock: MockBusinessCenter) -> MockBusinessCenter:
    """Faults need no realistic API delay: a short one keeps each case to a few seconds."""
    mock.reset(delay=0.02)
    return mock


@contextmanager
def when(condition: Callable[[], bool], action: Callable[[], Any], timeout: float = 60.0) -> Iterator[None]:
    """Runs `action` once, from a background thread, as soon as `condition` holds (polled, bounded)."""
    stop = threading.Event()

    def watch() -> None:
        deadline = time.monotonic() + timeout
        while not stop.is_set() and time.monotonic() < deadline:
            if condition():
                action()
                return
            stop.wait(0.05)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def connect(mock: MockBusinessCenter, run: Path, capsys, monkeypatch, *extra: str) -> Result:
    args = ["connect", "--base-url", mock.url, "--events", "-", "--run-dir", str(run), "--wait", "30"]
    return run_cli([*args, "--timeout", "5", *extra], capsys, monkeypatch)


def assert_one_line(result: Result, code: int, *words: str) -> str:
    """The run ends with one error line (after its progress lines), no traceback, and the given exit code."""
    assert result.code == code, result.err
    assert "Traceback" not in result.err, result.err
    last = result.err.strip().splitlines()[-1]
    assert last.startswith("tiktok-runbook: "), result.err
    for word in words:
        assert word in last, last
    return last


def completes(mock: MockBusinessCenter, run: Path, capsys, monkeypatch, handle: str, *extra: str) -> Result:
    """The rerun: exit 0, the account linked and assigned."""
    result = connect(mock, run, capsys, monkeypatch, "-a", handle, *extra)
    assert result.code == 0, result.err
    assert mock.state()["accounts"][handle] == {"linked": True, "assigned": True}
    return result


def scan(png: Path) -> str:
    """The owner: reads the code off the image the run shared and accepts it (retried while it is written)."""
    deadline = time.monotonic() + 10
    while True:
        try:
            payload = codes.decode(png)
            break
        except RunbookError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    with urllib.request.urlopen(payload, timeout=10) as answer:
        answer.read()
    return payload


@contextmanager
def scanning_owner(shared: Path, before_scan: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Scans the code the run shares in `shared` (its qr.png) once it is there, after `before_scan`.

    The image, not the mock's list of codes: an earlier, interrupted run may have left a code pending.
    """

    def accept() -> None:
        before_scan()
        scan(shared)

    with when(shared.exists, accept):
        yield
