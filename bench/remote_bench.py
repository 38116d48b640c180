"""Benchmark: the 20-account agency run (bench/agency_bench.py) through a browser server beside the local launch,
and two shards of the same accounts run at the same time beside one run of all of them.

The browser server is `playwright run-server` from the Python package, on this machine's loopback, launching this
machine's Chromium (with --unsafe, as the suite runs it: tests/support/browser_server.py); the runbook reaches the
mock through it (expose_network <loopback>). The owners' delays are the same seeded draw for every run. Each shard
is a process of its own, like a CI job: `connect --shard K/2`'s part of the accounts (runbook/connect/shard.py).
Not a test: nothing asserts. The issue's goals: remote <= 1.2x local; two shards at once <= 1.2x one run.

    python bench/remote_bench.py [N] [MARKUP] [--within SECONDS]   # default: 20 aria, owners within 30 s
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from agency_bench import OWNER_WITHIN_SECONDS, SEED, reset, run_once, start_mock  # beside this script
from playwright.sync_api import sync_playwright

from runbook.browser.launch import find_browser
from runbook.connect.shard import Shard
from runbook.core.handle import Handle

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the suite's helper that starts the server
from tests.support.browser_server import browser_server

SHARDS = 2


def plan(n: int, within: float) -> dict[str, float]:
    rng = random.Random(SEED)
    return {f"@bench.{n}.{i:03d}": rng.uniform(0, within) for i in range(n)}


def line(label: str, result: dict) -> str:
    statuses = sorted({row["status"] for row in result["summary"]})
    failed = f", FAILED: {result['failed']}" if result["failed"] else ""
    return (
        f"{label}: {result['wall']:.1f} s wall, peak RSS sum {result['rss'] / 1024:.0f} MiB, "
        f"PSS sum {result['pss'] / 1024:.0f} MiB, statuses {statuses}{failed}"
    )


def shard_run(spec: str, url: str, markup: str, n: int, within: float) -> None:
    """A child: one shard's part of the plan, as `connect --shard` takes it; prints its result as JSON."""
    shard = Shard.parse(spec)
    mine = {account: delay for account, delay in plan(n, within).items() if shard.holds(Handle.parse(account))}
    with tempfile.TemporaryDirectory(prefix=f"remote-bench-shard-{shard.index}-") as scratch:
        result = run_once(url, markup, -1, mine, None, Path(scratch), fresh=False)
    print(json.dumps({"accounts": len(mine), "wall": result["wall"], "failed": result["failed"]}), flush=True)


def shards_at_once(url: str, markup: str, n: int, within: float) -> tuple[float, list[dict]]:
    reset(url, markup)
    start = time.perf_counter()
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "--shard-run", f"{k}/{SHARDS}", url, markup, str(n), str(within)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for k in range(1, SHARDS + 1)
    ]
    outputs = [child.communicate(timeout=600)[0] for child in children]
    wall = time.perf_counter() - start
    return wall, [json.loads(output.strip().splitlines()[-1]) for output in outputs]


def main(args: list[str]) -> None:
    within = OWNER_WITHIN_SECONDS
    if "--within" in args:
        at = args.index("--within")
        within = float(args[at + 1])
        del args[at : at + 2]
    n = next((int(arg) for arg in args if arg.isdigit()), 20)
    markup = next((arg for arg in args if not arg.isdigit()), "aria")
    owners = plan(n, within)
    with sync_playwright() as playwright:
        chromium = find_browser(playwright) or Path(playwright.chromium.executable_path)
    mock, url = start_mock()
    try:
        with tempfile.TemporaryDirectory(prefix="remote-bench-") as scratch, browser_server(chromium) as server:
            local = run_once(url, markup, mock.pid, owners, None, Path(scratch))
            print(f"[{markup}] load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
            print(line(f"[{markup}] {n} accounts, local launch", local), flush=True)
            remote = run_once(
                url,
                markup,
                mock.pid,
                owners,
                None,
                Path(scratch),
                browser_endpoint=server.url,
                browser_headers=(server.header,),
            )
            print(line(f"[{markup}] {n} accounts, through {server.url} (run-server)", remote), flush=True)
            print(f"[{markup}] remote / local: {remote['wall'] / local['wall']:.2f} (goal <= 1.2)", flush=True)
        wall, parts = shards_at_once(url, markup, n, within)
        sizes = "+".join(str(part["accounts"]) for part in parts)
        failed = [part["failed"] for part in parts if part["failed"]]
        print(
            f"[{markup}] {SHARDS} shards ({sizes} accounts) at once, local launches: {wall:.1f} s wall; "
            f"ratio to one run of {n}: {wall / local['wall']:.2f} (goal <= 1.2)"
            + (f", FAILED: {failed}" if failed else ""),
            flush=True,
        )
    finally:
        mock.terminate()
        mock.wait(timeout=10)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--shard-run"]:
        spec, url, markup, n, within = sys.argv[2:7]
        shard_run(spec, url, markup, int(n), float(within))
    else:
        main(sys.argv[1:])
