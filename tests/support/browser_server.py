"""Playwright's own browser server (`playwright run-server`, shipped with the Python package) as a subprocess on a
free loopback port: the browser service the remote-browser tests connect to.

It runs with --unsafe so that the client may name the browser it launches: Playwright's bundled browsers are not
installed here (no internet), and without --unsafe the server accepts no executablePath and looks only for them.
The runbook's client sends that path the way any header for a service goes, with --browser-header (the server
reads launch options from `x-playwright-launch-options`).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from runbook.browser.launch import LAUNCH_ARGS

LISTENING = re.compile(r"Listening on (ws://\S+)")


@dataclass
class BrowserServer:
    url: str
    process: subprocess.Popen[str]
    browser: Path

    @property
    def header(self) -> str:
        """--browser-header's value: the server launches this machine's Chromium with the runbook's arguments."""
        options = {"executablePath": str(self.browser), "args": list(LAUNCH_ARGS)}
        return f"x-playwright-launch-options={json.dumps(options)}"

    def options(self) -> list[str]:
        return ["--browser-endpoint", self.url, "--browser-header", self.header]

    def kill(self) -> None:
        """The service dies at once, its browsers with it (they are in its process group)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@contextmanager
def browser_server(browser: Path, *, path: str = "/") -> Iterator[BrowserServer]:
    """`playwright run-server` on a free port of 127.0.0.1, killed (with its browsers) at the end."""
    serve = ["run-server", "--port", "0", "--host", "127.0.0.1", "--path", path, "--unsafe"]
    process = subprocess.Popen(
        [sys.executable, "-m", "playwright", *serve],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a process group of its own: killing it ends its browsers too
    )
    server = BrowserServer("", process, browser)
    try:
        first = process.stdout.readline() if process.stdout else ""  # bounded: it prints this line or exits
        found = LISTENING.search(first)
        assert found, f"playwright run-server did not start: {first!r}"
        server.url = found.group(1)
        yield server
    finally:
        server.kill()
