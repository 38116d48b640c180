"""Interrupts and concurrent runs: real processes in their own process group, as a terminal runs them (Ctrl-C to
the group, a signal to one process, two connects at once), and the interrupt guard around a finalizer or a log.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from runbook.browser import session
from runbook.browser.settings import Settings
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli
from tests.support.faults import (
    assert_one_line,
    completes,
    quick,  # noqa: F401  (an autouse fixture: imported, it applies to this module)
    scanning_owner,
)
from tests.support.matrix import cells
from tests.support.runs import events


def start(mock: MockBusinessCenter, events: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "runbook", "connect", "--base-url", mock.url, "--events", str(events), *args]
    return subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=events.parent
    )


def read_events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def wait_for_event(path: Path, process: subprocess.Popen[str], **fields: Any) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        for event in read_events(path):
            if fields.items() <= event.items():
                return event
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"no event {fields}; stderr: {process.communicate()[1]}")


def finish(process: subprocess.Popen[str]) -> Result:
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its driver and browser too: a leftover Chromium slows every test
        raise
    return Result(process.returncode, out, err)


@contextmanager
def owner_of(*events: Path) -> Iterator[list[str]]:
    """The owners of the runs writing these events: each scans the codes its run shares (its qr events)."""
    scanned: list[str] = []
    stop = threading.Event()

    def scan() -> None:
        while not stop.is_set():
            for path in events:
                for event in read_events(path):
                    if event["event"] == "qr" and event["payload"] not in scanned:
                        with urllib.request.urlopen(event["payload"], timeout=10) as answer:
                            answer.read()
                        scanned.append(event["payload"])
            stop.wait(0.1)

    thread = threading.Thread(target=scan, daemon=True)
    thread.start()
    try:
        yield scanned
    finally:
        stop.set()
        thread.join(timeout=10)


# SIGINT to the one process in the matrix: the same handler as SIGTERM's, and the in-process tests below send it.
@pytest.mark.parametrize(
    ("whom", "signum"),
    cells(
        [("group", signal.SIGINT), ("process", signal.SIGINT), ("process", signal.SIGTERM)],
        everyday=[("group", signal.SIGINT), ("process", signal.SIGTERM)],
    ),
)
def test_interrupt_during_step_6(whom, signum, mock, tmp_path, capsys, monkeypatch) -> None:
    """Ctrl-C in a terminal signals the whole group (the driver and Chromium die too); kill signals one process."""
    events = tmp_path / "events.jsonl"
    process = start(mock, events, "-a", "@x", "--wait", "60", "--trace")
    wait_for_event(events, process, event="waiting")
    (os.killpg if whom == "group" else os.kill)(process.pid, signum)
    result = finish(process)
    last = assert_one_line(result, 130)
    assert last == "tiktok-runbook: interrupted at step 6; run the same command again to resume", result.err
    interrupted = read_events(events)[-1]
    assert interrupted | {"at": None} == {"event": "interrupted", "step": 6, "signal": signum.name, "at": None}
    [folder] = (tmp_path / "state" / "tiktok-runbook" / "runs").iterdir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    readable = [p for p in folder.rglob("*") if stat.S_IMODE(p.stat().st_mode) & 0o077 and "trace" in p.name]
    assert readable == []
    assert mock.state()["mutations"] == 0
    if whom == "group":  # the same state either way: one rerun is enough
        with scanning_owner(tmp_path / "rerun" / "qr.png"):
            completes(mock, tmp_path / "rerun", capsys, monkeypatch, "@x")


def test_what_the_driver_writes_for_a_trace_is_private_from_its_first_byte(mock, tmp_path) -> None:
    """After Ctrl-C the driver can write its last trace events after the runbook has removed their private folder
    (making it again): the raw trace holds the session's cookies, so no file of it may be readable by others."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)

    def trace() -> list[Path]:
        with session.launched(Settings(), private) as browser:
            context = browser.new_context()
            context.tracing.start(screenshots=True, snapshots=True)
            context.new_page().goto(mock.url)
            written = list(private.rglob("*"))
            context.close()
        return written

    # A thread of its own: this worker's thread may already run the suite's Playwright, and a second sync
    # Playwright cannot start inside its event loop.
    with ThreadPoolExecutor(1) as thread:
        written = thread.submit(trace).result(timeout=60)
    assert written
    assert [path for path in written if stat.S_IMODE(path.stat().st_mode) & 0o077] == []


def test_interrupt_after_the_owner_accepted(mock, tmp_path, capsys, monkeypatch) -> None:
    """The account is linked but not yet assigned: the interruption still says so, and the rerun assigns it."""
    log = tmp_path / "events.jsonl"
    with owner_of(log):
        process = start(mock, log, "-a", "@x", "--wait", "60")
        wait_for_event(log, process, event="step", step=8, status="start")
        os.killpg(process.pid, signal.SIGINT)
        result = finish(process)
    last = assert_one_line(result, 130, "run the same command again to resume")
    started = [e["step"] for e in read_events(log) if e["event"] == "step" and e["status"] == "start"]
    assert last == f"tiktok-runbook: interrupted at step {started[-1]}; run the same command again to resume"
    assert read_events(log)[-1]["event"] == "interrupted" and started[-1] >= 8
    assert mock.state()["accounts"]["@x"]["linked"] is True
    rerun = completes(mock, tmp_path / "rerun", capsys, monkeypatch, "@x")
    assert [e["step"] for e in events(rerun) if e["event"] == "step" and e["status"] == "skipped"][:3] == [4, 5, 6]
    assert mock.state()["mutations"] == 2


def test_two_connects_at_once_get_their_own_folders(mock, tmp_path) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    with owner_of(first, second) as scanned:
        runs = [start(mock, first, "-a", "@one"), start(mock, second, "-a", "@two")]
        results = [finish(run) for run in runs]
    assert len(scanned) == 2
    assert [r.code for r in results] == [0, 0], [r.err for r in results]
    pngs = [Path(e["png"]) for path in (first, second) for e in read_events(path) if e["event"] == "qr"]
    assert len(pngs) == 2 and pngs[0].parent != pngs[1].parent
    assert all(stat.S_IMODE(png.parent.stat().st_mode) == 0o700 for png in pngs)
    accounts = mock.state()["accounts"]
    assert accounts["@one"] == accounts["@two"] == {"linked": True, "assigned": True}
    assert mock.state()["mutations"] == 4


def test_second_connect_for_the_same_account_is_refused(mock, tmp_path, capsys, monkeypatch) -> None:
    events = tmp_path / "first.jsonl"
    first = start(mock, events, "-a", "@x")
    wait_for_event(events, first, event="waiting")
    second = run_cli(["connect", "--base-url", mock.url, "-a", "@X"], capsys, monkeypatch)
    assert_one_line(second, 2, f"(pid {first.pid}) is connecting @X", "wait for it to finish")
    with owner_of(events):
        assert finish(first).code == 0
    assert mock.state()["accounts"]["@x"] == {"linked": True, "assigned": True}
    assert len(mock.state()["qr_codes"]) == 1 and mock.state()["mutations"] == 2


def test_an_interrupt_caught_in_a_finalizer_still_ends_the_run(capsys) -> None:
    """Ctrl-C can arrive while Python runs a finalizer (a weakref callback, a __del__), which only prints what it
    raises: the interruption must still end the run with its one line, and print no traceback."""
    from runbook.core.errors import Interrupted
    from runbook.core.events import Reporter
    from runbook.core.interrupt import guarded

    class Finalized:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGINT)  # the handler runs here, inside the finalizer

    reporter = Reporter(console=None)
    reporter.console.quiet = True
    with pytest.raises(Interrupted), guarded(reporter):
        Finalized()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(0.01)
    assert "Traceback" not in capsys.readouterr().err


def test_what_playwright_logs_once_the_signal_came_is_not_printed(caplog: pytest.LogCaptureFixture) -> None:
    """Ctrl-C can land inside the driver connection's dispatch; the next message then finds no command to answer,
    and Playwright logs "Error occurred in event listener" with a traceback while the run is ending."""
    import logging

    from runbook.core.errors import Interrupted
    from runbook.core.events import Reporter
    from runbook.core.interrupt import guarded

    reporter = Reporter(console=None)
    reporter.console.quiet = True
    log = logging.getLogger("playwright")
    with pytest.raises(Interrupted), guarded(reporter):
        log.error("before the signal")
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # the handler raises here
        finally:
            log.error("Error occurred in event listener")
    assert [record.getMessage() for record in caplog.records if record.name == "playwright"] == ["before the signal"]


# A command whose close-down never ends once interrupted, as one does when the signal cut a Playwright call off
# from the answer it waits for.
_STUCK_CLOSE_DOWN = """
import sys, threading
from runbook.core import interrupt
from runbook.core.events import Reporter
interrupt.GRACE_SECONDS = float(sys.argv[2])
with Reporter(sys.argv[1]) as reporter, interrupt.guarded(reporter):
    try:
        print("ready", flush=True)
        threading.Event().wait(60)
    finally:
        threading.Event().wait(60)
"""


@pytest.mark.parametrize(("signals", "grace"), [(1, 0.5), (2, 60.0)], ids=["grace-over", "second-signal"])
def test_a_close_down_that_hangs_still_ends_the_run(tmp_path: Path, signals: int, grace: float) -> None:
    """After a signal the run has GRACE_SECONDS to close down; a second signal ends it at once. Either way it ends
    as an interrupted run does: exit 130, its one line, and the `interrupted` event a rerun and a reader rely on."""
    events = tmp_path / "events.jsonl"
    command = [sys.executable, "-c", _STUCK_CLOSE_DOWN, str(events), str(grace)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    for _ in range(signals):
        os.kill(process.pid, signal.SIGTERM)
        time.sleep(0.2)  # the first signal's KeyboardInterrupt has reached the stuck close-down
    try:
        _, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert (
        err.splitlines()[-1]
        == "tiktok-runbook: interrupted before the first step; run the same command again to resume"
    )
    assert [e["event"] for e in read_events(events)] == ["interrupted"]
    assert read_events(events)[0]["signal"] == "SIGTERM"
