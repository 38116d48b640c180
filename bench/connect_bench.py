"""Benchmark: connect's wall time against a bare Playwright script doing the same clicks on the mock, and verify
on the tutorial edition against verify on its drifted twins.

Runs alternate (baseline, connect, baseline, …; tutorial, twin, tutorial, …) so that machine noise hits both
alike; prints the medians and the ratios. Also measures how long after the owner's acceptance the run notices it.
Not a test: nothing asserts.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from runbook import qr
from runbook.browser.launch import launch
from runbook.browser.settings import Settings
from runbook.connect.command import connect
from runbook.connect.options import ConnectOptions
from runbook.core.errors import TutorialDrifted
from runbook.core.events import Reporter
from runbook.core.handle import Handle
from runbook.fixtures.server import MockBusinessCenter
from runbook.verify.command import VerifyOptions, verify

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
HANDLE = "@bench.brand"
# The drifted twins verify is timed on (each against the tutorial edition).
TWINS = ("renamed-menu", "add-menu", "wizard", "no-add-assets")


def scan(payload: str) -> float:
    with urllib.request.urlopen(payload, timeout=10) as answer:
        answer.read()
    return time.perf_counter()


def baseline(url: str) -> float:
    """The same clicks as connect on the tutorial edition, written as plainly as Playwright allows."""
    start = time.perf_counter()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.goto(url)
        nav = page.get_by_role("navigation")
        nav.get_by_role("link", name="Accounts", exact=True).click()
        nav.get_by_role("link", name="TikTok accounts", exact=True).click()
        page.get_by_role("button", name="Request Access").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("textbox", name="TikTok username").fill(HANDLE)
        dialog.get_by_role("button", name="Generate QR code").click()
        payload = qr.decode(dialog.get_by_role("img", name="QR code").screenshot())
        scan(payload)
        page.get_by_role("row").filter(has_text=HANDLE).filter(has_text="Linked").wait_for()
        dialog.get_by_role("button", name="Done").click()
        nav.get_by_role("link", name="Accounts", exact=True).click()
        page.get_by_role("button", name="Add Assets").click()
        assets = page.get_by_role("dialog")
        assets.get_by_role("radio", name="TikTok Accounts").check(force=True)
        assets.get_by_role("checkbox", name=HANDLE).check(force=True)
        assets.get_by_role("button", name="Save").click()
        page.get_by_text("Added successfully").wait_for()
        browser.close()
    return time.perf_counter() - start


def runbook(url: str, scratch: Path) -> tuple[float, float]:
    """connect with the owner scanning at once; returns wall time and how late the acceptance was noticed."""
    scanned: list[float] = []
    noticed: list[float] = []
    reporter = Reporter(console=None)
    reporter.console.quiet = True

    def owner(event: dict) -> None:
        if event["event"] == "qr":
            scanned.append(scan(event["payload"]))
        if event["event"] == "step" and event["step"] == 6 and event["status"] == "ok":
            noticed.append(time.perf_counter())

    reporter.listeners.append(owner)
    settings = Settings(base_url=url, storage_state=scratch / "none.json", run_dir=scratch / "run")
    start = time.perf_counter()
    connect(settings, ConnectOptions(accounts=(Handle.parse(HANDLE),)), reporter)
    return time.perf_counter() - start, noticed[0] - scanned[0]


def quiet_reporter() -> Reporter:
    reporter = Reporter(console=None)
    reporter.console.quiet = True
    return reporter


def verify_time(url: str, scratch: Path) -> float:
    """verify's wall time (the browser's start included, as for connect)."""
    settings = Settings(base_url=url, storage_state=scratch / "none.json", run_dir=scratch / "run")
    start = time.perf_counter()
    with contextlib.suppress(TutorialDrifted):  # the twins drift: that is what is measured
        verify(settings, VerifyOptions(report=scratch / "report"), quiet_reporter())
    return time.perf_counter() - start


def main() -> None:
    mock = MockBusinessCenter()
    url = mock.start()
    plain, ours, lags = [], [], []
    tutorial: list[float] = []
    twins: dict[str, list[float]] = {twin: [] for twin in TWINS}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for _ in range(RUNS):
                mock.reset()
                plain.append(baseline(url))
                mock.reset()
                wall, lag = runbook(url, Path(scratch))
                ours.append(wall)
                lags.append(lag)
            for _ in range(RUNS):
                for twin in TWINS:
                    mock.reset()
                    tutorial.append(verify_time(url, Path(scratch)))
                    mock.reset(edition=twin)
                    twins[twin].append(verify_time(url, Path(scratch)))
    finally:
        mock.stop()
    base, mine = statistics.median(plain), statistics.median(ours)
    print(f"bare Playwright script: median {base:.2f} s over {RUNS} runs {[round(t, 2) for t in plain]}")
    print(f"tiktok-runbook connect: median {mine:.2f} s over {RUNS} runs {[round(t, 2) for t in ours]}")
    print(f"ratio connect/baseline: {mine / base:.3f} (target: at most 1.10)")
    print(f"acceptance noticed after: median {statistics.median(lags):.2f} s, max {max(lags):.2f} s (target: < 2 s)")
    plain_verify = statistics.median(tutorial)
    print(f"verify on the tutorial edition: median {plain_verify:.2f} s over {len(tutorial)} runs")
    for twin, times in twins.items():
        median = statistics.median(times)
        print(f"verify on {twin}: median {median:.2f} s, ratio {median / plain_verify:.2f} (target: at most 1.5)")


if __name__ == "__main__":
    main()
