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
from pathlib import Path

from bare_scripts import HANDLE, SCRIPTS, scan  # beside this script (python bench/connect_bench.py)
from playwright.sync_api import sync_playwright

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
# The markups connect is timed on, each against its own bare script: okee's own, and two real component libraries.
MARKUPS = ("aria", "arco", "semi")
# The drifted twins verify is timed on (each against the tutorial edition).
TWINS = ("renamed-menu", "add-menu", "wizard", "no-add-assets")


def baseline(url: str, markup: str) -> float:
    """The bare script for `markup` (bare_scripts.py), its browser's start included as for connect."""
    start = time.perf_counter()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.goto(url)
        SCRIPTS[markup](page)
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
            scan(event["payload"])
            scanned.append(time.perf_counter())
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
    plain: dict[str, list[float]] = {markup: [] for markup in MARKUPS}
    ours: dict[str, list[float]] = {markup: [] for markup in MARKUPS}
    lags: list[float] = []
    tutorial: list[float] = []
    twins: dict[str, list[float]] = {twin: [] for twin in TWINS}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for markup in MARKUPS:
                for _ in range(RUNS):
                    mock.reset(markup=markup)
                    plain[markup].append(baseline(url, markup))
                    mock.reset(markup=markup)
                    wall, lag = runbook(url, Path(scratch))
                    ours[markup].append(wall)
                    lags.append(lag)
            for _ in range(RUNS):
                for twin in TWINS:
                    mock.reset()
                    tutorial.append(verify_time(url, Path(scratch)))
                    mock.reset(edition=twin)
                    twins[twin].append(verify_time(url, Path(scratch)))
    finally:
        mock.stop()
    for markup in MARKUPS:
        base, mine = statistics.median(plain[markup]), statistics.median(ours[markup])
        print(f"[{markup}] bare Playwright script: median {base:.2f} s over {RUNS} runs {rounded(plain[markup])}")
        print(f"[{markup}] tiktok-runbook connect: median {mine:.2f} s over {RUNS} runs {rounded(ours[markup])}")
        print(f"[{markup}] ratio connect/baseline: {mine / base:.3f} (target: at most 1.10)")
    print(f"acceptance noticed after: median {statistics.median(lags):.2f} s, max {max(lags):.2f} s (target: < 2 s)")
    plain_verify = statistics.median(tutorial)
    print(f"verify on the tutorial edition: median {plain_verify:.2f} s over {len(tutorial)} runs")
    for twin, times in twins.items():
        median = statistics.median(times)
        print(f"verify on {twin}: median {median:.2f} s, ratio {median / plain_verify:.2f} (target: at most 1.5)")


def rounded(times: list[float]) -> list[float]:
    return [round(t, 2) for t in times]


if __name__ == "__main__":
    main()
