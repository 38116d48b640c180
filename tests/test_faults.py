"""Faults: the mock's fault knobs driven mid-run. Each case: the exit code, one line naming the step, nothing
assigned twice nor changed besides the account, and a rerun that completes.

Faults are triggered by what the run has done (a QR image written, a code scanned), never by a sleep.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from runbook import qr as codes
from runbook.browser import session
from runbook.browser.settings import Settings
from runbook.core.errors import RunbookError
from runbook.fixtures.server import MockBusinessCenter
from runbook.steps import run as run_module
from tests.cli import Result, run_cli


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


def events(result: Result) -> list[dict]:
    return [json.loads(line) for line in result.out.splitlines()]


def assert_one_line(result: Result, code: int, *words: str) -> str:
    """The run ends with one error line (after its progress lines), no traceback, and the given exit code."""
    assert result.code == code, result.err
    assert "Traceback" not in result.err, result.err
    last = result.err.strip().splitlines()[-1]
    assert last.startswith("tiktok-runbook: "), result.err
    for word in words:
        assert word in last, last
    return last


def others(state: dict, handle: str) -> dict:
    return {name: account for name, account in state["accounts"].items() if name != handle}


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


@pytest.mark.parametrize("probe", [True, False], ids=["probed", "page-only"])
def test_server_dies_during_step_6_and_comes_back(probe, mock_server, mock, tmp_path, capsys, monkeypatch) -> None:
    """page-only: the probe from Python cannot reach the site (as behind a proxy only the browser knows of), so
    the page's own failing requests tell."""
    before = mock.state()
    port = urlsplit(mock.url).port
    try:
        with monkeypatch.context() as patch, when((tmp_path / "run" / "qr.png").exists, mock_server.stop):
            if not probe:
                patch.setattr(run_module, "answers", lambda base_url: False)
            result = connect(mock, tmp_path / "run", capsys, monkeypatch, "-a", "@x")
    finally:
        mock_server.stop()
        mock_server.start(port=port)
    assert_one_line(result, 1, f"{mock.url} stopped answering during step 6", "run the same command again")
    assert [e["status"] for e in events(result) if e["event"] == "step" and e["step"] == 6] == ["start", "failed"]
    state = mock.state()
    assert state["accounts"] == before["accounts"] and state["mutations"] == 0
    if probe:  # the same state either way: one rerun is enough
        with scanning_owner(tmp_path / "rerun" / "qr.png"):
            completes(mock, tmp_path / "rerun", capsys, monkeypatch, "@x")
        assert mock.state()["mutations"] == 2  # linked once, assigned once


def test_network_drops_during_step_6(mock, tmp_path, capsys, monkeypatch) -> None:
    """Every connection closes without an answer (refused is the case above): said within seconds."""
    drop_all = lambda: mock.fault("*", "drop", times=0)  # noqa: E731
    with when((tmp_path / "run" / "qr.png").exists, drop_all):
        result = connect(mock, tmp_path / "run", capsys, monkeypatch, "-a", "@x")
    mock.clear_faults()
    assert_one_line(result, 1, "stopped answering during step 6")
    assert mock.state()["mutations"] == 0
    with scanning_owner(tmp_path / "rerun" / "qr.png"):
        completes(mock, tmp_path / "rerun", capsys, monkeypatch, "@x")


def test_answer_lost_after_save_is_not_assigned_twice(mock, tmp_path, capsys, monkeypatch) -> None:
    """Save goes through but its answer is lost (the connection drops): step 10 fails; the rerun skips it."""
    before = mock.state()
    mock.fault("/api/assign", "drop")
    result = connect(mock, tmp_path / "run", capsys, monkeypatch, "-a", "@linked.only")
    assert_one_line(result, 1, 'Step 10 "')
    state = mock.state()
    assert state["mutations"] == 1 and others(state, "@linked.only") == others(before, "@linked.only")
    rerun = completes(mock, tmp_path / "rerun", capsys, monkeypatch, "@linked.only")
    assert "already linked and assigned: nothing to do" in rerun.err
    assert mock.state()["mutations"] == 1


def test_server_error_from_the_api(mock, tmp_path, capsys, monkeypatch) -> None:
    """A 503 when the QR code is requested: step 5 fails, nothing is linked; the rerun gets a code."""
    before = mock.state()
    mock.fault("/api/qr", "error")
    result = connect(mock, tmp_path / "run", capsys, monkeypatch, "-a", "@x")
    assert_one_line(result, 1, 'Step 5 "')
    assert mock.state()["accounts"] == before["accounts"] and mock.state()["mutations"] == 0
    with scanning_owner(tmp_path / "rerun" / "qr.png"):
        completes(mock, tmp_path / "rerun", capsys, monkeypatch, "@x")
    assert mock.state()["mutations"] == 2


def test_answer_slower_than_the_timeout(mock, tmp_path, capsys, monkeypatch) -> None:
    """The accounts list takes longer than --timeout at step 3, each time it is asked for (a click without effect
    is tried twice): that step fails, naming the option that waits longer; the rerun completes."""
    before = mock.state()
    mock.fault("/api/tiktok-accounts", "slow", seconds=12, times=3)
    result = connect(mock, tmp_path / "run", capsys, monkeypatch, "-a", "@linked.only", "--timeout", "4")
    assert_one_line(result, 1, 'Step 3 "', "--timeout")
    mock.clear_faults()
    assert mock.state() == before
    completes(mock, tmp_path / "rerun", capsys, monkeypatch, "@linked.only")
    assert mock.state()["mutations"] == 1


def test_session_expires_and_the_login_wall_shows_at_step_7(mock, tmp_path, capsys, monkeypatch) -> None:
    """The owner accepts; step 7's Accounts page finds the session gone. Signing in again resumes.

    The page draws its frame (heading included) before its data, and only the data's 401 sends it to the login
    page: the runbook meets the wall at step 7 or, when the redirect lands after step 7's check, at the next one.
    """
    logout_next = lambda: mock.fault("/api/ad-accounts", "logout")  # noqa: E731
    with scanning_owner(tmp_path / "run" / "qr.png", before_scan=logout_next):
        result = connect(mock, tmp_path / "run", capsys, monkeypatch, "-a", "@x")
    last = assert_one_line(result, 2, "the session ended during step ", "tiktok-runbook login")
    assert re.search(r"during step [789] ", last), last
    state = mock.state()
    assert state["accounts"]["@x"] == {"linked": True, "assigned": False} and state["mutations"] == 1

    # Signing in again, as a cookie export imported on a machine without a screen.
    export = tmp_path / "cookies.json"
    cookie = mock.store.new_session()
    export.write_text(json.dumps([{"name": "sessionid", "value": cookie, "domain": "127.0.0.1", "path": "/"}]))
    session = tmp_path / "session.json"
    imported = run_cli(
        ["login", "--import", str(export), "--base-url", mock.url, "--storage-state", str(session)],
        capsys,
        monkeypatch,
    )
    assert imported.code == 0, imported.err
    rerun = completes(mock, tmp_path / "rerun", capsys, monkeypatch, "@x", "--storage-state", str(session))
    assert [e["step"] for e in events(rerun) if e["event"] == "step" and e["status"] == "skipped"] == [4, 5, 6]
    assert mock.state()["mutations"] == 2


@pytest.mark.parametrize("command", ["connect", "verify"])
def test_nothing_listening_at_the_base_url(command, tmp_path, capsys, monkeypatch) -> None:
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = [command, "--base-url", f"http://127.0.0.1:{port}", "--run-dir", str(tmp_path / "run"), "--timeout", "3"]
    result = run_cli([*args, *(["-a", "@x"] if command == "connect" else [])], capsys, monkeypatch)
    assert_one_line(result, 1, "the site did not answer at", "Step 1", "net::ERR_CONNECTION_REFUSED")
    assert "Reload" not in result.err and "Details" not in result.err


def test_unknown_host(tmp_path, capsys, monkeypatch) -> None:
    args = ["connect", "-a", "@x", "--base-url", "https://no-such-host.invalid", "--run-dir", str(tmp_path / "r")]
    assert_one_line(run_cli(args, capsys, monkeypatch), 1, "the site did not answer at https://no-such-host.invalid")


# -- interrupts and concurrent runs: real processes in their own process group, as a terminal runs them ----------


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
    out, err = process.communicate(timeout=60)
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


@pytest.mark.parametrize(
    ("whom", "signum"), [("group", signal.SIGINT), ("process", signal.SIGINT), ("process", signal.SIGTERM)]
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
