"""Faults: the mock's fault knobs driven mid-run. Each case: the exit code, one line naming the step, nothing
assigned twice nor changed besides the account, and a rerun that completes.

Faults are triggered by what the run has done (a QR image written, a code scanned), never by a sleep.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from runbook.steps import run as run_module
from tests.support.cli import run_cli
from tests.support.faults import (
    assert_one_line,
    completes,
    connect,
    quick,  # noqa: F401  (an autouse fixture: imported, it applies to this module)
    scanning_owner,
    when,
)
from tests.support.runs import events


def others(state: dict, handle: str) -> dict:
    return {name: account for name, account in state["accounts"].items() if name != handle}


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


def test_a_page_that_never_loads_fails_within_the_timeout(mock, tmp_path, capsys, monkeypatch) -> None:
    """Business Center's page itself does not load: the load is given up after --timeout, as the message says,
    not after Playwright's own 30 s."""
    mock.fault("/", "slow", seconds=5, after=1)  # the run's probe of the site answers; its page does not
    result = connect(mock, tmp_path / "run", capsys, monkeypatch, "-a", "@linked.only", "--timeout", "3")
    last = assert_one_line(result, 1, 'Step 1 "', "--timeout 3 s")
    assert "Timeout 3000ms exceeded" in last, last
    mock.clear_faults()
    completes(mock, tmp_path / "rerun", capsys, monkeypatch, "@linked.only")


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
