"""Shared fixtures: the mock Business Center in-process on a free port, and pytest-playwright pointed at it."""

from __future__ import annotations

import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright

from runbook.browser import session
from runbook.browser.launch import LAUNCH_ARGS, find_browser
from runbook.browser.settings import Settings
from runbook.fixtures.config import MockConfig
from runbook.fixtures.server import MockBusinessCenter


@pytest.fixture(scope="session")
def mock_server() -> Iterator[MockBusinessCenter]:
    # Its API answers after 30 ms rather than the 150 ms a person sees with `make mock`: the runbook waits for
    # answers, not for a time, so a test loses nothing but waiting. Tests that need slow answers say so.
    server = MockBusinessCenter(MockConfig(delay=0.03))
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
    """pytest-playwright's launch options, plus the system Chromium when Playwright has none of its own, and the
    runbook's own arguments: its `browser` fixture is also the one Chromium of every command run in-process."""
    executable = find_browser(playwright, headed=not browser_type_launch_args.get("headless", True))
    return {
        **browser_type_launch_args,
        "args": [*browser_type_launch_args.get("args", []), *LAUNCH_ARGS],
        **({"executable_path": str(executable)} if executable else {}),
    }


@pytest.fixture(autouse=True)
def one_browser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in-process (tests/cli.py) open their fresh context in the suite's Chromium instead of starting
    Playwright's driver and a Chromium each (about a CPU-second every time). A command that asks for a browser of
    its own (--headed, --browser-path, or a trace, which goes to a private folder given at launch) still gets one
    launched by the runbook's own code, through the suite's Playwright; so does every command of a test marked
    own_browser (one about finding or launching a browser). Requested only when a command opens a browser, so
    tests without one start nothing."""

    own = request.node.get_closest_marker("own_browser") is not None

    def opener(settings: Settings, traces_dir: Path | None) -> AbstractContextManager[Browser]:
        if own or settings.headed or settings.browser_path or traces_dir is not None:
            return session.launched_by(request.getfixturevalue("playwright"), settings, traces_dir)
        return _borrowed(request.getfixturevalue("browser"))

    monkeypatch.setattr(session, "open_browser", opener)


@contextmanager
def _borrowed(browser: Browser) -> Iterator[Browser]:
    yield browser  # the suite closes it at the end, not the command


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Sessions and run folders default to the user's config and state dirs: point those into tmp_path."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path


def expire_code(mock: MockBusinessCenter, token: str) -> None:
    """Let one QR code's lifetime end now (tests drive expiry instead of waiting out a short lifetime)."""
    with mock.store._lock:  # the mock has no control endpoint for one code; this is its own store
        mock.store._state.qr_codes[token].expires_at = time.time()


class Owner:
    """The TikTok account owner: scans (requests) QR payloads the mock has issued, from a background thread.

    `scan_nth` picks which code to scan (1 = the first shown); None never scans. Polling is bounded by `until`.
    The owner takes `delay` seconds to scan: an owner faster than the runbook's own screenshot of the code
    would replace the code on screen before the runbook could read it, which no real owner can do.

    For runs with several accounts: `account` makes this the owner of that account only (the mock records the
    username the dialog named for each code); `shared` is the folder where the runbook writes that account's
    PNGs, and the owner acts on a code only once its PNG is there (then the runbook has read it off the screen);
    `expire_others` lets each code before the nth (every code, with `scan_nth` None) expire once shared; and
    `after_codes` holds the owner back until the mock has issued that many codes in all.
    """

    def __init__(
        self,
        mock: MockBusinessCenter,
        scan_nth: int | None = 1,
        delay: float = 1.0,
        *,
        account: str | None = None,
        shared: Path | None = None,
        expire_others: bool = False,
        after_codes: int = 0,
    ) -> None:
        self.mock = mock
        self.scan_nth = scan_nth
        self.delay = delay
        self.account = account
        self.shared = shared
        self.expire_others = expire_others
        self.after_codes = after_codes
        self.scanned: list[str] = []
        self.expired: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Owner:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _is_shared(self, nth: int) -> bool:
        """The run wrote the nth code it shared (qr.png, qr-2.png, ...) somewhere under `shared`: the run folder
        may be a subfolder of a unique name, or an account's own."""
        return self.shared is None or any(self.shared.rglob("qr.png" if nth == 1 else f"qr-{nth}.png"))

    def _run(self, until: float = 60.0) -> None:
        deadline = time.monotonic() + until
        while not self._stop.is_set() and time.monotonic() < deadline:
            issued = self.mock.state()["qr_codes"]
            codes = [code for code in issued if self.account is None or code["account"] == self.account]
            if len(issued) >= self.after_codes:
                for nth, code in enumerate(codes, start=1):
                    if code["status"] != "pending" or not self._is_shared(nth):
                        continue
                    if nth == self.scan_nth:
                        self._stop.wait(self.delay)  # a person takes a moment to scan
                        with urllib.request.urlopen(code["payload"], timeout=10) as answer:
                            answer.read()
                        self.scanned.append(code["payload"])
                        return
                    if self.expire_others and (self.scan_nth is None or nth < self.scan_nth):
                        expire_code(self.mock, code["token"])
                        self.expired.append(code["payload"])
            self._stop.wait(0.1)


class Expirer:
    """Expires each QR code as soon as the run has shared it (written qr.png, qr-2.png, ...): the test drives
    expiry, so a busy machine cannot make a short lifetime run out before the runbook has read the code."""

    def __init__(self, mock: MockBusinessCenter, first_png: Path, count: int) -> None:
        self.mock = mock
        self.pngs = [first_png] + [first_png.with_name(f"{first_png.stem}-{n}.png") for n in range(2, count + 1)]
        self.expired = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Expirer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self, until: float = 60.0) -> None:
        deadline = time.monotonic() + until
        for png in self.pngs:
            while not png.exists():
                if self._stop.wait(0.05) or time.monotonic() > deadline:
                    return
            self.expired += self.mock.expire()


@pytest.fixture
def expirer(mock: MockBusinessCenter) -> Callable[..., Expirer]:
    return lambda first_png, count=1: Expirer(mock, first_png, count)


@pytest.fixture
def owner(mock: MockBusinessCenter) -> Callable[..., Owner]:
    def make(scan_nth: int | None = 1, delay: float | None = None, **more: Any) -> Owner:
        # An owner who acts only once the run wrote the code's PNG (it has read the code) needs no head start.
        return Owner(mock, scan_nth, delay if delay is not None else (0.2 if more.get("shared") else 1.0), **more)

    return make


def pytest_configure(config: pytest.Config) -> None:
    """Traces of failed browser tests go to the temp dir, not the working directory (unless --output says)."""
    if config.getoption("--output", default="test-results") == "test-results":
        config.option.output = str(Path(tempfile.gettempdir()) / "tiktok-runbook-test-results")
