"""Benchmark: a capture of a full verify on the mock (verify --capture) and its replay (mock --replay): the
capture's size, and verify against the replay against verify on the live mock, per markup.

Runs alternate (live, replay, live, …) so that machine noise hits both alike; prints medians and the ratio (the
goal: a replay takes no longer than verify on the live mock) and the size (goal: under 5 MB). Not a test.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from runbook.browser.settings import Settings
from runbook.capture.options import CaptureOptions
from runbook.capture.replay import ReplayServer
from runbook.core.events import Reporter
from runbook.fixtures.server import MockBusinessCenter
from runbook.verify.command import VerifyOptions, verify

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
MARKUPS = tuple(sys.argv[2:]) or ("aria", "arco", "semi")


def quiet() -> Reporter:
    reporter = Reporter(console=None)
    reporter.console.quiet = True
    return reporter


def timed_verify(url: str, scratch: Path, capture: Path | None = None) -> float:
    settings = Settings(base_url=url, storage_state=scratch / "none.json", run_dir=scratch / "run")
    options = VerifyOptions(report=scratch / "report", capture=CaptureOptions(capture) if capture else None)
    start = time.perf_counter()
    verify(settings, options, quiet())
    return time.perf_counter() - start


def size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> None:
    mock = MockBusinessCenter()
    url = mock.start()
    try:
        with tempfile.TemporaryDirectory() as scratch_name:
            scratch = Path(scratch_name)
            for markup in MARKUPS:
                mock.reset(markup=markup)
                capture = scratch / f"capture-{markup}"
                recording = timed_verify(url, scratch, capture)
                live: list[float] = []
                replayed: list[float] = []
                with ReplayServer(capture) as replay:
                    for _ in range(RUNS):
                        mock.reset(markup=markup)
                        live.append(timed_verify(url, scratch))
                        replayed.append(timed_verify(replay.url, scratch))
                    missed = len(replay.replay.unmatched)
                a, b = statistics.median(live), statistics.median(replayed)
                load = os.getloadavg()[0]
                print(
                    f"[{markup}] capture of a full verify: {size(capture) / 2**20:.2f} MB (goal: under 5 MB), "
                    f"recorded in {recording:.2f} s"
                )
                print(
                    f"[{markup}] verify live: median {a:.2f} s; against the replay: median {b:.2f} s over {RUNS} "
                    f"runs; ratio replay/live {b / a:.3f} (goal: at most 1.0); {missed} requests not in the "
                    f"capture; load {load:.1f}"
                )
    finally:
        mock.stop()


if __name__ == "__main__":
    main()
