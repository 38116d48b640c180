"""Shared fixtures: the mock Business Center in-process on a free port, and pytest-playwright pointed at it."""

from __future__ import annotations

import tempfile
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
from tests.support.hooks import local_hooks  # noqa: F401  (a fixture: the webhooks a test starts)
from tests.support.owners import Expirer, Owner


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
    """Commands run in-process (tests/support/cli.py) open their fresh context in the suite's Chromium instead of
    starting Playwright's driver and a Chromium each (about a CPU-second every time). A command that asks for a
    browser of its own (--headed, --browser-path, or a trace, which goes to a private folder given at launch) still
    gets one launched by the runbook's own code, through the suite's Playwright (a --browser-endpoint one, the
    service's browser, connected to by that code); so does every command of a test
    marked own_browser (one about finding or launching a browser). Requested only when a command opens a browser,
    so tests without one start nothing."""

    own = request.node.get_closest_marker("own_browser") is not None

    def opener(settings: Settings, traces_dir: Path | None) -> AbstractContextManager[Browser]:
        if own or settings.headed or settings.browser_path or traces_dir is not None or settings.browser_endpoint:
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
