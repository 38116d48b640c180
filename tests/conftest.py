"""Shared fixtures: the mock Business Center in-process on a free port, and pytest-playwright pointed at it."""

from __future__ import annotations

import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Playwright

from fixtures.server import MockBusinessCenter
from runbook.browser import find_browser


@pytest.fixture(scope="session")
def mock_server() -> Iterator[MockBusinessCenter]:
    server = MockBusinessCenter()
    server.start(host="127.0.0.1", port=0)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def mock(mock_server: MockBusinessCenter) -> MockBusinessCenter:
    """The mock, reset to its defaults before every test; tests reconfigure it with mock.reset(...)."""
    mock_server.reset()
    return mock_server


@pytest.fixture(scope="session")
def base_url(mock_server: MockBusinessCenter) -> str:
    return mock_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], playwright: Playwright) -> dict[str, Any]:
    """pytest-playwright's launch options, plus the system Chromium when Playwright has none of its own."""
    executable = find_browser(playwright)
    return {**browser_type_launch_args, **({"executable_path": str(executable)} if executable else {})}


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Sessions and run folders default to the user's config and state dirs: point those into tmp_path."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path


class Owner:
    """The TikTok account owner: scans (requests) QR payloads the mock has issued, from a background thread.

    `scan_nth` picks which code to scan (1 = the first shown); None never scans. Polling is bounded by `until`.
    The owner takes `delay` seconds to scan: an owner faster than the runbook's own screenshot of the code
    would replace the code on screen before the runbook could read it, which no real owner can do.
    """

    def __init__(
        self, mock: MockBusinessCenter, scan_nth: int | None = 1, delay: float = 1.0, shared: Path | None = None
    ) -> None:
        self.mock = mock
        self.scan_nth = scan_nth
        self.delay = delay
        # The run folder the runbook writes each code it shares to (qr.png, qr-2.png, …): given, the owner
        # scans a code only once it was shared, however slow the machine (not after a guessed delay).
        self.shared = shared
        self.scanned: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Owner:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self, until: float = 60.0) -> None:
        deadline = time.monotonic() + until
        while not self._stop.is_set() and time.monotonic() < deadline:
            codes = self.mock.state()["qr_codes"]
            if self.scan_nth is not None and len(codes) >= self.scan_nth:
                code = codes[self.scan_nth - 1]
                if code["status"] == "pending" and not self._was_shared():
                    self._stop.wait(0.05)
                    continue
                if code["status"] == "pending":
                    self._stop.wait(self.delay)  # a person takes a moment to scan
                    with urllib.request.urlopen(code["payload"], timeout=10) as answer:
                        answer.read()
                    self.scanned.append(code["payload"])
                    return
            self._stop.wait(0.1)

    def _was_shared(self) -> bool:
        if self.shared is None or self.scan_nth is None:
            return True
        name = "qr.png" if self.scan_nth == 1 else f"qr-{self.scan_nth}.png"
        return any(self.shared.rglob(name))  # the run folder may be a subfolder of a unique name


@pytest.fixture
def owner(mock: MockBusinessCenter) -> Callable[..., Owner]:
    return lambda scan_nth=1, delay=1.0, shared=None: Owner(mock, scan_nth, delay, shared)


def pytest_configure(config: pytest.Config) -> None:
    """Traces of failed browser tests go to the temp dir, not the working directory (unless --output says)."""
    if config.getoption("--output", default="test-results") == "test-results":
        config.option.output = str(Path(tempfile.gettempdir()) / "tiktok-runbook-test-results")
