"""demo: the whole connect flow against the bundled mock, with the owner's scan simulated."""

from __future__ import annotations

import tempfile
import threading
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

from runbook.browser.settings import Settings
from runbook.connect.command import connect
from runbook.connect.options import ConnectOptions
from runbook.core.events import Reporter
from runbook.fixtures.server import MockBusinessCenter

# A person needs a moment to pick up the phone; the pause makes the waiting step visible in the demo.
OWNER_DELAY_SECONDS = 2.0


class SimulatedOwner:
    """Scans (requests) the payload of every QR code the run shares, a little after it is shown."""

    def __init__(self) -> None:
        self.scanned: list[str] = []

    def __call__(self, event: dict[str, Any]) -> None:
        if event["event"] == "qr":
            threading.Timer(OWNER_DELAY_SECONDS, self._scan, args=(event["payload"],)).start()

    def _scan(self, payload: str) -> None:
        with urllib.request.urlopen(payload, timeout=10) as answer:
            answer.read()
        self.scanned.append(payload)


def run_demo(settings: Settings, options: ConnectOptions, reporter: Reporter) -> dict[str, Any]:
    mock = MockBusinessCenter()
    url = mock.start(host="127.0.0.1", port=0)
    try:
        with tempfile.TemporaryDirectory(prefix="tiktok-runbook-demo-") as scratch:
            # A session file that does not exist: the demo never sends a real sign-in to the mock.
            demo = replace(settings, base_url=url, storage_state=Path(scratch) / "no-session.json")
            reporter.say(f"Mock Business Center at {url}")
            with reporter.heard_by(SimulatedOwner()):
                connect(demo, options, reporter)
        state = mock.state()
    finally:
        mock.stop()
    for handle in options.accounts:
        account = state["accounts"].get(str(handle), {})
        reporter.say(f"The mock now shows {handle}: linked={account.get('linked')}, assigned={account.get('assigned')}")
    return state
