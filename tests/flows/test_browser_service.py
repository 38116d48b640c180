"""--browser-endpoint for real: `playwright run-server` as a subprocess on a free loopback port, the in-process mock
reached through it (expose_network <loopback>), and the service's failures: a wrong endpoint, a refused handshake,
a mismatched version, a server killed mid-run, each one line and its exit code, and the rerun completes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from runbook.browser import remote
from runbook.browser.launch import find_browser
from tests.support.browser_server import BrowserServer, browser_server
from tests.support.cli import Result, run_cli
from tests.support.matrix import matrix
from tests.support.net import unused_port

TOKEN = "s3cr3t-t0ken"


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Path:
    found = find_browser(playwright)
    return found or Path(playwright.chromium.executable_path)


@pytest.fixture(scope="module")
def server(chromium: Path) -> Iterator[BrowserServer]:
    with browser_server(chromium) as running:
        yield running


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[remote.Endpoint]:
    """Every connection the runbook makes to a browser service (and it is a real one: the service's browser)."""
    made: list[remote.Endpoint] = []
    real = remote.connect

    def spy(playwright: Playwright, endpoint: remote.Endpoint):  # type: ignore[no-untyped-def]
        made.append(endpoint)
        return real(playwright, endpoint)

    monkeypatch.setattr(remote, "connect", spy)
    return made


def command(name: str, mock, tmp_path: Path, capsys, monkeypatch, *extra: str) -> Result:
    args = [name, "--base-url", mock.url, "--run-dir", str(tmp_path / name), "--timeout", "20", *extra]
    return run_cli(args, capsys, monkeypatch)


def error_line(result: Result) -> str:
    """The run's one error line: the last on stderr, and the only one of its kind."""
    lines = [line for line in result.err.strip().splitlines() if line.startswith("tiktok-runbook: ")]
    assert len(lines) == 1, result.err
    assert result.err.strip().splitlines()[-1] == lines[0], result.err
    return lines[0]


class ShareReader(threading.Thread):
    """An owner's view of the share page during the run: waits for the run's `share` event in its events file,
    then reads the page's state until every account shows a code to scan."""

    def __init__(self, events: Path, accounts: set[str]) -> None:
        super().__init__(daemon=True)
        self.events, self.accounts = events, accounts
        self.seen: dict[str, str] = {}  # account → the status the page showed with its code

    def run(self, until: float = 60.0) -> None:
        deadline = time.monotonic() + until
        url = None
        while time.monotonic() < deadline and set(self.seen) != self.accounts:
            if url is None and self.events.is_file():
                shared = [json.loads(line) for line in self.events.read_text().splitlines() if '"share"' in line]
                url = next((e["url"] for e in shared if e["event"] == "share"), None)
            if url is not None:
                with urllib.request.urlopen(url + "state", timeout=10) as answer:
                    for entry in json.loads(answer.read())["accounts"]:
                        if entry.get("qr"):
                            self.seen.setdefault(entry["account"], entry["status"])
            time.sleep(0.2)


@pytest.mark.matrix  # slow: make test-matrix (CI) runs it
def test_a_shard_of_an_accounts_file_with_share_and_status_through_a_browser_server(
    server, connections, mock, owner, tmp_path, capsys, monkeypatch
) -> None:
    """Shard 2 of 2 of four accounts is @r.one and @r.seven (sha256 of the handle: tests/unit/test_shards.py):
    connected together with --share through the service, then status through it."""
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account,note\n@r.one,first\n@r.two\n@r.seven\n@r.three\n")
    run = tmp_path / "connect"
    events = tmp_path / "events.jsonl"
    reader = ShareReader(events, {"@r.one", "@r.seven"})
    reader.start()
    via = [*server.options(), "--browser-header", f"Authorization=Bearer {TOKEN}"]
    with owner(account="@r.one", shared=run / "r.one"), owner(account="@r.seven", shared=run / "r.seven"):
        result = command(
            "connect", mock, tmp_path, capsys, monkeypatch, "--accounts-file", str(accounts), "--shard", "2/2",
            "--share", "--wait", "60", "--events", str(events), "--no-qr-terminal", *via,
        )  # fmt: skip
    reader.join(timeout=30)
    assert result.code == 0, result.err
    assert "Shard 2/2: 2 of the 4 accounts named" in result.err
    linked = mock.state()["accounts"]
    assert linked["@r.one"] == linked["@r.seven"] == {"linked": True, "assigned": True}
    assert "@r.two" not in linked and "@r.three" not in linked  # the other shard's, untouched
    assert set(reader.seen) == {"@r.one", "@r.seven"}, reader.seen  # the owners saw their codes on the share page
    # The browser was the service's, reaching the mock on this machine's loopback through the connection.
    [made] = connections
    assert made.url == server.url and made.expose_network == "<loopback>"
    assert made.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in result.err + result.out + events.read_text()

    listed = command("status", mock, tmp_path, capsys, monkeypatch, "--json", *server.options())
    assert listed.code == 0, listed.err
    rows = {row["account"]: row for row in json.loads(listed.out)["accounts"]}
    assert rows["@r.one"]["assigned"] and rows["@r.seven"]["assigned"]
    assert len(connections) == 2


def test_a_wrong_endpoint_a_refused_handshake_and_a_version_mismatch(
    server, mock, tmp_path, capsys, monkeypatch
) -> None:
    """Each ends in one line naming the endpoint without its token (the query, the headers), before any step."""
    closed = f"ws://127.0.0.1:{unused_port()}/?token={TOKEN}"
    result = command("status", mock, tmp_path, capsys, monkeypatch, "--browser-endpoint", closed)
    line = error_line(result)
    assert result.code == 1, result.err
    assert re.search(r"browser service at ws://127\.0\.0\.1:\d+/\?… did not answer \(connection refused\)", line)
    assert TOKEN not in result.err

    wrong_path = server.url + "elsewhere"
    result = command("status", mock, tmp_path, capsys, monkeypatch, "--browser-endpoint", wrong_path)
    assert result.code == 2 and "refused the connection (400 Bad Request)" in error_line(result), result.err

    # The server checks the client's version from its User-Agent: this client says it is an older Playwright.
    older = ["--browser-header", "User-Agent=Playwright/1.40.0 (x64; debian 12) python/3.11"]
    result = command("status", mock, tmp_path, capsys, monkeypatch, "--browser-endpoint", server.url, *older)
    line = error_line(result)
    assert result.code == 2, result.err
    assert f"at {server.url} runs Playwright 1.65, this runbook 1.40: they must match in major.minor" in line

    # And the same service, asked properly, serves: nothing of the failed attempts stays in the way.
    result = command("status", mock, tmp_path, capsys, monkeypatch, "--json", *server.options())
    assert result.code == 0, result.err


@matrix
def test_connect_one_account_and_verify_through_a_browser_server(
    server, connections, mock, owner, tmp_path, capsys, monkeypatch
) -> None:
    with owner(shared=tmp_path / "connect"):
        result = command("connect", mock, tmp_path, capsys, monkeypatch, "-a", "@v.one", *server.options())
    assert result.code == 0, result.err
    assert mock.state()["accounts"]["@v.one"] == {"linked": True, "assigned": True}
    report = tmp_path / "report"
    result = command("verify", mock, tmp_path, capsys, monkeypatch, "--report", str(report), *server.options())
    assert result.code == 0, result.err
    assert len(connections) == 2


def codes_out(folder: Path, accounts: list[str]) -> list[Path]:
    """Where the run writes each account's first code: the run folder, or with several an account's own."""
    return [folder / "qr.png"] if len(accounts) == 1 else [folder / a.lstrip("@") / "qr.png" for a in accounts]


def wait_for(paths: list[Path], until: float = 60.0) -> None:
    deadline = time.monotonic() + until
    while not all(path.exists() for path in paths) and time.monotonic() < deadline:
        time.sleep(0.05)


def scan_once_shown(mock, pngs: list[Path]) -> None:
    """The owners scan the codes the rerun shows (the pending ones) once their PNGs are written."""
    wait_for(pngs)
    time.sleep(0.5)  # a person takes a moment to scan
    for code in mock.state()["qr_codes"]:
        if code["status"] == "pending":
            with urllib.request.urlopen(code["payload"], timeout=10) as answer:
                answer.read()


@matrix
@pytest.mark.parametrize("accounts", [["@k.one"], ["@k.one", "@k.two"]], ids=["one", "several"])
def test_a_server_killed_mid_run_ends_in_one_line_and_the_rerun_completes(
    accounts, chromium, mock, tmp_path, capsys, monkeypatch
) -> None:
    """The service dies while the run waits for the owners (step 6): one line, exit 1; the rerun, through a
    service that is back, completes."""
    named = [arg for account in accounts for arg in ("-a", account)]
    with browser_server(chromium) as dying:
        killer = threading.Thread(target=lambda: (wait_for(codes_out(tmp_path / "first", accounts)), dying.kill()))
        killer.start()
        args = ["connect", "--base-url", mock.url, "--run-dir", str(tmp_path / "first"), *named]
        result = run_cli([*args, "--wait", "60", "--no-qr-terminal", *dying.options()], capsys, monkeypatch)
        killer.join(timeout=10)
    line = error_line(result)
    assert result.code == 1, result.err
    assert f"the browser service at {dying.url} closed the connection" in line
    if len(accounts) == 1:  # with several, each account was at a step of its own
        assert 'during step 6 "TikTok account owner scans the QR code and accepts"' in line
    assert "run the same command again when it is back" in line
    assert not set(accounts) & set(mock.state()["accounts"])
    # The first run's codes, never scanned, run out meanwhile (the owners scan the next).
    assert mock.expire() == len(accounts)

    again = tmp_path / "again"
    scanner = threading.Thread(target=scan_once_shown, args=(mock, codes_out(again, accounts)), daemon=True)
    scanner.start()
    with browser_server(chromium) as back:
        args = ["connect", "--base-url", mock.url, "--run-dir", str(again), *named, "--wait", "60"]
        result = run_cli([*args, "--no-qr-terminal", *back.options()], capsys, monkeypatch)
    assert result.code == 0, result.err
    for account in accounts:
        assert mock.state()["accounts"][account] == {"linked": True, "assigned": True}


@matrix
def test_status_through_a_cdp_endpoint(chromium, mock, tmp_path, capsys, monkeypatch) -> None:
    """http:// is a Chromium's DevTools endpoint (connect_over_cdp); the browser reaches the mock itself."""
    mock.reset(linked={"@cdp.one": True})
    browser = subprocess.Popen(
        [str(chromium), "--headless", "--no-sandbox", "--remote-debugging-port=0", f"--user-data-dir={tmp_path / 'p'}"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the command may be a wrapper script: the whole group is killed after
    )
    try:
        assert browser.stderr is not None
        found = None
        for line in browser.stderr:  # bounded: Chromium prints this line at start, or exits
            found = re.search(r"DevTools listening on ws://([\d.]+:\d+)/", line)
            if found:
                break
        assert found, "Chromium printed no DevTools address"
        endpoint = f"http://{found.group(1)}/"
        result = command("status", mock, tmp_path, capsys, monkeypatch, "--json", "--browser-endpoint", endpoint)
    finally:
        os.killpg(browser.pid, signal.SIGKILL)
        browser.wait(timeout=10)
    assert result.code == 0, result.err
    assert json.loads(result.out)["accounts"] == [
        {"account": "@cdp.one", "linked": True, "pending": False, "assigned": True}
    ]
