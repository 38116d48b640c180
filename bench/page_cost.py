"""Benchmark: CPU a page costs in each Chromium on this machine (the headless shell against the full browser's
headless mode), from a new context to the mock's first screen drawn and settled.

The CPU is the whole machine's (/proc/stat), because a closed page's renderer takes its own count with it: run it
on an otherwise quiet machine. Not a test: nothing asserts.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from runbook.browser.launch import HEADLESS_SHELLS, LAUNCH_ARGS, SYSTEM_BROWSERS
from runbook.fixtures.config import MockConfig
from runbook.fixtures.server import MockBusinessCenter

PAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 8
SETTLE_S = 1.0  # a page's late work (the full browser's popup renderer) lands within this


def busy_seconds() -> float:
    """CPU seconds the machine has spent on anything but idling and waiting for the disk, since boot."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def per_page(executable: Path, url: str) -> float:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=list(LAUNCH_ARGS))
        costs = []
        for _ in range(PAGES):
            before = busy_seconds()
            context = browser.new_context()
            page = context.new_page()
            page.goto(url)
            page.get_by_text("Accounts", exact=True).first.wait_for()  # the side menu is drawn
            time.sleep(SETTLE_S)
            context.close()
            costs.append(busy_seconds() - before)
        browser.close()
    return statistics.median(costs)


def main() -> None:
    mock = MockBusinessCenter(MockConfig(delay=0.03))
    url = mock.start(host="127.0.0.1", port=0)
    try:
        for name in (*HEADLESS_SHELLS, *SYSTEM_BROWSERS):
            found = shutil.which(name)
            if found:
                print(f"page cost, {name}: {per_page(Path(found), url):.2f} CPU-s (median of {PAGES})")
    finally:
        mock.stop()


if __name__ == "__main__":
    main()
