"""Benchmark: connect with many accounts whose owners accept at random times, against one account alone.

The mock runs in a process of its own (the real Business Center is not in the runbook's process either); the
runbook and its Chromium are this process and its children, whose memory is sampled: the sum of RSS (what the
issue asks for; it counts pages shared between Chromium's processes once per process) and the sum of PSS (shared
pages split between their users: the machine's real cost). Owners scan their first code a seeded random time
within 30 s after it is shown. Not a test: nothing asserts.

    python bench/agency_bench.py [N ...] [MARKUP ...]   # default: 20 100 aria

Sizes up to 20 run three times and give the median run.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext
from rich.console import Console

from runbook.browser.settings import Settings
from runbook.connect.command import connect
from runbook.connect.options import ConnectOptions
from runbook.core.errors import RunbookError
from runbook.core.events import Reporter

OWNER_WITHIN_SECONDS = 30.0
SEED = 7
SAMPLE_SECONDS = 0.25
# Runs of each size up to 20 accounts (the median is given); larger sizes run once.
RUNS = 3


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _kib(path: str, field: str) -> int:
    try:
        match = re.search(rf"^{field}:\s+(\d+) kB", Path(path).read_text(), re.MULTILINE)
    except OSError:
        return 0
    return int(match[1]) if match else 0


class MemorySampler:
    """Peak of the summed RSS and PSS of this process and its descendants, except the mock's process.

    It samples from a process of its own: reading /proc for some forty processes four times a second is CPU
    work that, in a thread of this process, would hold the GIL the runbook's own calls need (a first version
    that did so cost the 20-account run a fifth of its Python time)."""

    def __init__(self, exclude: int) -> None:
        self.exclude = exclude
        self.peak_rss = self.peak_pss = 0
        self.peak_processes = 0
        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        self._peaks: multiprocessing.Queue[tuple[int, int, int]] = context.Queue()
        self._process = context.Process(
            target=_sample, args=(os.getpid(), exclude, self._stop, self._peaks), daemon=True
        )

    def __enter__(self) -> MemorySampler:
        self._process.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.peak_rss, self.peak_pss, self.peak_processes = self._peaks.get(timeout=60)
        self._process.join(timeout=10)


def _sample(root: int, exclude: int, stop: Any, peaks: Any) -> None:
    """The sampler's process: until `stop`, then puts (peak RSS KiB, peak PSS KiB, most processes)."""
    rss_peak = pss_peak = most = 0
    while not stop.is_set():
        pids = [pid for pid in descendants(root) if pid not in (exclude, os.getpid())]
        rss = sum(_kib(f"/proc/{pid}/status", "VmRSS") for pid in pids)
        pss = sum(_kib(f"/proc/{pid}/smaps_rollup", "Pss") for pid in pids)
        rss_peak, pss_peak, most = max(rss_peak, rss), max(pss_peak, pss), max(most, len(pids))
        stop.wait(SAMPLE_SECONDS)
    peaks.put((rss_peak, pss_peak, most))


class Owners:
    """Each account's owner scans its first code `delays[account]` seconds after the runbook shows it."""

    def __init__(self, delays: dict[str, float]) -> None:
        self.delays = delays
        self.timers: list[threading.Timer] = []
        self.shown: dict[str, float] = {}  # first code out, by account
        self.scanned: dict[str, float] = {}
        self.noticed: dict[str, float] = {}  # the run's accepted event

    def __call__(self, event: dict) -> None:
        account = event.get("account", "")
        if event["event"] == "qr" and event["attempt"] == 1:
            self.shown[account] = time.perf_counter()
            timer = threading.Timer(self.delays[account], self._scan, args=(account, event["payload"]))
            timer.daemon = True
            self.timers.append(timer)
            timer.start()
        if event["event"] == "accepted":
            self.noticed[account] = time.perf_counter()

    def _scan(self, account: str, payload: str) -> None:
        with urllib.request.urlopen(payload, timeout=30) as answer:
            answer.read()
        self.scanned[account] = time.perf_counter()


def start_mock() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "runbook.fixtures.server", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        text=True,
    )
    first = process.stdout.readline() if process.stdout else ""
    match = re.search(r"at (http://\S+)", first)
    if not match:
        process.kill()
        raise SystemExit(f"the mock did not start: {first!r}")
    return process, match[1]


def reset(url: str, markup: str) -> None:
    body = json.dumps({"markup": markup}).encode()
    request = urllib.request.Request(f"{url}/__mock__/reset", data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


class PageCount:
    """The most pages the run's browser had open at once: counted each time one opens (when the count grows)."""

    def __init__(self) -> None:
        self.peak = 0
        self._new_page = BrowserContext.new_page

    def __enter__(self) -> PageCount:
        counter, new_page = self, self._new_page

        def counted(context: BrowserContext, *args: Any, **kwargs: Any) -> Any:
            page = new_page(context, *args, **kwargs)
            counter.peak = max(counter.peak, sum(not each.is_closed() for each in context.pages))
            return page

        BrowserContext.new_page = counted  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        BrowserContext.new_page = self._new_page  # type: ignore[method-assign]


def run_once(
    url: str,
    markup: str,
    mock_pid: int,
    delays: dict[str, float],
    concurrency: int | None,
    scratch: Path,
    *,
    fresh: bool = True,
    **settings: Any,
) -> dict:
    """`fresh`: reset the mock first (not when runs share it at once); `settings`: more Settings fields (a
    browser endpoint: bench/remote_bench.py)."""
    if fresh:
        reset(url, markup)
    reporter = Reporter(console=Console(file=open(os.devnull, "w"), stderr=False))  # noqa: SIM115
    owners = Owners(delays)
    reporter.listeners.append(owners)
    summary: list[dict] = []
    reporter.listeners.append(lambda e: summary.extend(e["accounts"]) if e["event"] == "summary" else None)
    failures: list[str] = []  # why, for each account that did not get connected
    reporter.listeners.append(
        lambda e: failures.append(f"{e['account']}: {e['message']}") if e["event"] == "failed" else None
    )
    folder = Path(tempfile.mkdtemp(dir=scratch))
    run_settings = Settings(base_url=url, storage_state=folder / "none.json", run_dir=folder / "run", **settings)
    options = ConnectOptions.build(list(delays), wait=300, concurrency=concurrency)
    start = time.perf_counter()
    failed = ""
    with MemorySampler(exclude=mock_pid) as memory, PageCount() as pages:
        try:
            connect(run_settings, options, reporter)
        except RunbookError as error:
            failed = str(error)
    wall = time.perf_counter() - start
    lags = [owners.noticed[a] - owners.scanned[a] for a in owners.noticed if a in owners.scanned]
    return {
        "wall": wall,
        "codes_out": max(owners.shown.values(), default=start) - start,
        "lag": sum(lags) / len(lags) if lags else 0.0,
        "rss": memory.peak_rss,
        "pss": memory.peak_pss,
        "procs": memory.peak_processes,
        "pages": pages.peak,
        "failed": failed,
        "summary": summary,
        "failures": failures,
    }


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time (its own other figures with it)."""
    return sorted(runs, key=lambda run: run["wall"])[len(runs) // 2]


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:] if arg.isdigit()] or [20, 100]
    markups = [arg for arg in sys.argv[1:] if not arg.isdigit()] or ["aria"]
    mock, url = start_mock()
    try:
        with tempfile.TemporaryDirectory(prefix="agency-bench-") as scratch:
            for markup in markups:
                measure(url, markup, mock.pid, sizes, Path(scratch))
    finally:
        mock.terminate()
        mock.wait(timeout=10)


def measure(url: str, markup: str, mock_pid: int, sizes: list[int], scratch: Path) -> None:
    """One account, then each size, on `markup`: the owners' delays are the same seeded draw for every markup."""
    rng = random.Random(SEED)
    results = {}
    plans = {n: {f"@bench.{n}.{i:03d}": rng.uniform(0, OWNER_WITHIN_SECONDS) for i in range(n)} for n in sizes}
    slowest = max(max(plan.values()) for plan in plans.values())
    pages = ConnectOptions().pages_at_work()  # the default: pages at work at once, waiting accounts hold none
    single = run_once(url, markup, mock_pid, {"@bench.single": slowest}, 1, scratch)
    print(
        f"[{markup}] load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"one account, owner after {slowest:.1f} s: {single['wall']:.1f} s wall, "
        f"peak RSS sum {single['rss'] / 1024:.0f} MiB, PSS sum {single['pss'] / 1024:.0f} MiB",
        flush=True,
    )
    for n, plan in plans.items():
        runs = [run_once(url, markup, mock_pid, plan, None, scratch) for _ in range(RUNS if n <= 20 else 1)]
        results[n] = r = median_run(runs)
        statuses = {row["status"] for each in runs for row in each["summary"]}
        walls = ", ".join(f"{each['wall']:.1f}" for each in runs)
        print(
            f"[{markup}] {n} accounts, {pages} pages at work: {r['wall']:.1f} s wall"
            + (f" (median of {len(runs)}: {walls})" if len(runs) > 1 else "")
            + f", ratio to the slowest single account {r['wall'] / single['wall']:.2f} "
            "(goals <= 1.3 for 20, 2 for 100), "
            f"overhead per extra account {(r['wall'] - single['wall']) / (n - 1):.2f} s, "
            f"peak RSS sum {r['rss'] / 1024:.0f} MiB, PSS sum {r['pss'] / 1024:.0f} MiB "
            f"(goal <= 2048), {r['procs']} processes, {r['pages']} pages open at the peak, statuses {sorted(statuses)}"
            + "".join(f", FAILED: {each['failed']}" for each in runs if each["failed"]),
            flush=True,
        )
        for failure in [failure for each in runs for failure in each["failures"]]:
            print(f"    {failure[:300]}", flush=True)
        print(
            f"    last first code out after {r['codes_out']:.1f} s "
            f"(goal <= 6 for 20; single: {single['codes_out']:.1f} s); "
            f"acceptance noticed {r['lag']:.2f} s after the scan on average (single: {single['lag']:.2f} s); "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            flush=True,
        )
    if len(results) > 1:
        (a, ra), (b, rb) = next(iter(results.items())), list(results.items())[-1]
        print(
            f"[{markup}] growth {a} -> {b} accounts ({b / a:.0f}x): wall {rb['wall'] / ra['wall']:.2f}x, "
            f"peak RSS {rb['rss'] / max(1, ra['rss']):.2f}x, peak PSS {rb['pss'] / max(1, ra['pss']):.2f}x"
        )
        for n, r in results.items():
            print(
                f"  {n:>4} accounts: {r['wall'] / n:.2f} s wall per account, "
                f"{(r['pss'] - single['pss']) / 1024 / n:.1f} MiB PSS per account"
            )


if __name__ == "__main__":
    main()
