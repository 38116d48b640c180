"""Shared fixtures: the mock Business Center in-process on a free port, and pytest-playwright pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
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
