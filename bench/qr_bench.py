"""How often and how fast QR codes are read: pyzbar alone, zxing-cpp alone, and runbook.qr.decode() (a script,
not a test: nothing here asserts).

The corpus comes from tests/support/qr_corpus.py: element screenshots of codes drawn by Chromium (img, canvas, svg;
plain, dark, low contrast; centre logos of 10-20 %; with and without quiet zone; 80-300 CSS px; DPR 1 and 2; payloads up
to 250 characters) and synthetic photos (perspective, blur, noise, uneven light, JPEG q40). It is generated into a
temporary folder on each run and read back from there; nothing is downloaded or kept.

Each row times the whole job on the image file's bytes (loading included): the engine alone on the image as it
is, or decode() with its retries; each image is timed --repeat times and the fastest kept, since the machine is
shared and other processes only ever add time. decode()'s CPU time is printed as well: on a busy machine the
wall-clock p95 measures the scheduler more than the decoder.

Real photos: zxing-cpp's own sample photos (test/samples/qrcode-1 ... -6, 137 images, Apache-2.0) when a copy of
that folder is at --samples (default: ~/.cache/tiktok-runbook/zxing-cpp-samples, outside the work tree). They are
not on PyPI: the zxing-cpp sdist holds no test/ folder (checked for 3.1.1), and this machine reaches nothing but
package registries, so the bench cannot fetch them; copy them from a zxing-cpp checkout
(`cp -r zxing-cpp/test/samples/qrcode-[1-6] ~/.cache/tiktok-runbook/zxing-cpp-samples/`). Their .txt files have
LF line endings where most codes carry CRLF, so texts are compared with line endings made alike.

--rescues prints, for every attempt of the retry ladder (runbook/qr/retries.py), how many images it reads on its
own, how many it is the first to read in ORDER, and the order a greedy pick of the most rescues gives: ORDER is
kept in that order.

Goals (issues 8 and 21): on-screen >= 99.5 %, centre logo >= 98 %, photos >= 90 %; decode() on a capture: median
<= 2 ms, p95 <= 15 ms; on a photo p95 <= 150 ms.

    python bench/qr_bench.py [--screen 480] [--photos 150] [--seed 8] [--samples DIR] [--corpus DIR] [--rescues]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from playwright.sync_api import sync_playwright

from runbook import qr
from runbook.browser.launch import launch
from runbook.core.errors import QrUnreadable
from runbook.qr import retries
from runbook.qr.engines import Engines, engines
from runbook.qr.picture import load
from tests.support import qr_corpus as corpus
from tests.support import qr_samples as real_photos

GOALS = {  # slice: (minimum rate %, median ms, p95 ms) for decode()
    "on-screen, all": (99.5, 2.0, 15.0),
    corpus.SCREEN_LOGO: (98.0, None, None),
    corpus.PHOTO: (90.0, None, 150.0),
    real_photos.SAMPLE_PHOTO: (90.0, None, 150.0),
}
SAMPLES = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tiktok-runbook" / "zxing-cpp-samples"


def generate(folder: Path, screen: int, photos: int, seed: int) -> list[tuple[corpus.Sample, Path]]:
    """The corpus, written to `folder` as files (what `qr decode` and connect read); read back from there when
    `folder` holds one of the same size and seed already (--corpus)."""
    manifest = folder / "manifest.json"
    wanted = {"screen": screen, "photos": photos, "seed": seed}
    if manifest.is_file() and json.loads(manifest.read_text())["wanted"] == wanted:
        listed = json.loads(manifest.read_text())["samples"]
        kept = [
            (corpus.Sample(e["name"], e["slice"], tuple(e["payloads"]), b"", e["note"]), folder / e["file"])
            for e in listed
        ]
        print(f"corpus: {len(kept)} images read back from {folder}")
        return kept
    samples: list[corpus.Sample] = []
    start = time.perf_counter()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            samples += corpus.capture_screen(browser, corpus.screen_cases(screen, seed))
        finally:
            browser.close()
    samples += corpus.photo_samples(photos, seed + 1)
    written = []
    for sample in samples:
        path = folder / f"{sample.name}.{'jpg' if sample.slice == corpus.PHOTO else 'png'}"
        path.write_bytes(sample.data)
        written.append((sample, path))
    listed = [
        {"name": s.name, "slice": s.slice, "payloads": s.payloads, "note": s.note, "file": p.name} for s, p in written
    ]
    manifest.write_text(json.dumps({"wanted": wanted, "samples": listed}))
    print(f"corpus: {len(samples)} images generated in {time.perf_counter() - start:.0f} s into {folder}")
    return written


def sample_photos(folder: Path) -> list[corpus.Sample]:
    """zxing-cpp's sample photos at `folder`, or none (and why) when it holds no copy of them."""
    found = real_photos.sample_photos(folder) if folder.is_dir() else []
    if not found:
        print(
            f"zxing-cpp's sample photos: none at {folder}. The zxing-cpp sdist on PyPI has no test/samples, so they "
            "cannot be fetched here; copy test/samples/qrcode-1 ... -6 of a zxing-cpp checkout there (or pass "
            "--samples DIR) to measure real photos."
        )
    else:
        print(f"zxing-cpp's sample photos: {len(found)} images from {folder}")
    return found


def one_engine(read: Callable) -> Callable[[bytes], list[str]]:
    def run(data: bytes) -> list[str]:
        return [found.payload for found in read(load(data)[0])]

    return run


def with_decode(data: bytes) -> list[str]:
    """What decode() reads: the codes of the first attempt that reads any (decode() returns the first of them)."""
    try:
        return [code.payload for code in qr.decode_all(data, every=False)]
    except QrUnreadable:
        return []


def read(sample: corpus.Sample, payloads: list[str]) -> bool:
    return any(real_photos.same_text(payload, sample.payloads[0]) for payload in payloads)


def rescues(cases: list[tuple[corpus.Sample, bytes]], available: Engines) -> None:
    """Each attempt of the ladder on every image on its own: what it reads, what it is first to read in ORDER, its
    median time, and the order a greedy pick of the most rescues (the cheaper on a tie) gives."""
    reads: dict[str, set[int]] = defaultdict(set)
    costs: dict[str, list[float]] = defaultdict(list)
    first: Counter[str] = Counter()
    for index, (sample, data) in enumerate(cases):
        grey = load(data)[0]
        found = False
        for attempt in retries.attempts(grey, available):
            name = f"{attempt.engine.name}: {attempt.name}"
            start = time.perf_counter()
            prepared = attempt.prepare()
            payloads = [f.payload for f in attempt.engine.read(prepared.image)] if prepared else []
            costs[name].append((time.perf_counter() - start) * 1000)
            if read(sample, payloads):
                reads[name].add(index)
                if not found:
                    first[name] += 1
                found = True
    # The first attempt reads what it reads; each next one is the attempt that reads most of what is still unread.
    left = set().union(*reads.values()) - reads[retries.ORDER[0]] if reads else set()
    greedy = [(retries.ORDER[0], len(reads[retries.ORDER[0]]))]
    pending = {name: found for name, found in reads.items() if name != retries.ORDER[0]}
    while left and pending:
        name = max(pending, key=lambda n: (len(pending[n] & left), -statistics.median(costs[n])))
        if not pending[name] & left:
            break
        greedy.append((name, len(pending[name] & left)))
        left -= pending.pop(name)
    print(f"\nrescues on {len(cases)} images ({', '.join(sorted({s.slice for s, _ in cases}))}):")
    print(f"  {'attempt (in ORDER)':42} {'reads':>6} {'first':>6} {'median ms':>10}")
    for name in [n for n in retries.ORDER if n in costs] + [n for n in costs if n not in retries.ORDER]:
        print(f"  {name:42} {len(reads[name]):6} {first[name]:6} {statistics.median(costs[name]):10.2f}")
    print("  greedy order (rescues): " + ", ".join(f"{name} ({count})" for name, count in greedy))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--screen", type=int, default=480, help="on-screen captures (a quarter with a logo)")
    parser.add_argument("--photos", type=int, default=150, help="synthetic photos")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3, help="time each image this often, keep the fastest")
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="a copy of zxing-cpp's test/samples")
    parser.add_argument("--corpus", type=Path, help="keep the generated corpus here (and reuse it) instead of a temp")
    parser.add_argument("--rescues", action="store_true", help="what each retry attempt rescues, and its cost")
    args = parser.parse_args()

    available = engines()
    methods: dict[str, Callable[[bytes], list[str]]] = {}
    if available.zbar:
        methods["pyzbar alone"] = one_engine(available.zbar.read)
    if available.zxing:
        methods["zxing-cpp alone"] = one_engine(available.zxing.read)
    methods["decode()"] = with_decode

    with tempfile.TemporaryDirectory(prefix="qr-corpus-") as scratch:
        folder = args.corpus or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        files = generate(folder, args.screen, args.photos, args.seed)
        cases = [(sample, path.read_bytes()) for sample, path in files]
    cases += [(sample, sample.data) for sample in sample_photos(args.samples)]
    if args.rescues:
        rescues(cases, available)
    for method in methods.values():  # load the libraries before timing
        method(cases[0][1])

    # slice -> method -> (reads, times)
    reads: dict[str, dict[str, int]] = defaultdict(Counter)
    times: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    cpu_times: dict[str, list[float]] = defaultdict(list)  # decode() only: this thread's CPU time
    counts: Counter[str] = Counter()
    read_by: Counter[str] = Counter()
    misses: list[str] = []
    for sample, data in cases:
        slices = [sample.slice] + (["on-screen, all"] if sample.slice in (corpus.SCREEN, corpus.SCREEN_LOGO) else [])
        for name in slices:
            counts[name] += 1
        for method, run in methods.items():
            elapsed = cpu = float("inf")
            for _ in range(args.repeat):  # the fastest of a few: other processes on the machine only add time
                start, start_cpu = time.perf_counter(), time.thread_time()
                payloads = run(data)
                elapsed = min(elapsed, (time.perf_counter() - start) * 1000)
                cpu = min(cpu, (time.thread_time() - start_cpu) * 1000)
            if method == "decode()":
                for name in slices:
                    cpu_times[name].append(cpu)
            for name in slices:
                reads[name][method] += read(sample, payloads)
                times[name][method].append(elapsed)
            if method == "decode()":
                if read(sample, payloads):
                    read_by[qr.decode_all(data, every=False)[0].read_by] += 1  # untimed second pass
                else:
                    misses.append(f"{sample.name} ({sample.slice}): {sample.note}")

    order = ["on-screen, all", corpus.SCREEN, corpus.SCREEN_LOGO, corpus.PHOTO, real_photos.SAMPLE_PHOTO]
    print(f"\n{'slice':24} {'n':>4}  " + "  ".join(f"{m:>26}" for m in methods))
    print(f"{'':24} {'':>4}  " + "  ".join(f"{'read %  median  p95 ms':>26}" for _ in methods))
    for name in order:
        if not counts[name]:
            continue
        cells = []
        for method in methods:
            rate = 100 * reads[name][method] / counts[name]
            ms = times[name][method]
            cells.append(f"{rate:6.1f} % {statistics.median(ms):6.2f} {percentile(ms, 0.95):6.2f}")
        print(f"{name:24} {counts[name]:>4}  " + "  ".join(f"{cell:>26}" for cell in cells))

    print("\ngoals for decode():")
    for name, (rate_goal, median_goal, p95_goal) in GOALS.items():
        if not counts[name]:
            continue
        rate = 100 * reads[name]["decode()"] / counts[name]
        ms = times[name]["decode()"]
        checks = [f"read {rate:.1f} % (goal >= {rate_goal} %) {'met' if rate >= rate_goal else 'MISSED'}"]
        median, p95 = statistics.median(ms), percentile(ms, 0.95)
        if median_goal is not None and p95_goal is not None:
            ok = median <= median_goal and p95 <= p95_goal
            verdict = "met" if ok else "MISSED"
            checks.append(f"median {median:.2f} ms, p95 {p95:.2f} ms (goal <= {median_goal}/{p95_goal}) {verdict}")
        elif p95_goal is not None:
            checks.append(f"p95 {p95:.2f} ms (goal <= {p95_goal}) {'met' if p95 <= p95_goal else 'MISSED'}")
        print(f"  {name}: " + "; ".join(checks))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\ndecode() CPU time (unaffected by other processes; load average now {load:.1f}):")
    for name in order:
        if cpu_times[name]:
            ms = cpu_times[name]
            print(f"  {name}: median {statistics.median(ms):.2f} ms, p95 {percentile(ms, 0.95):.2f} ms")
    print("\ndecode() read by:", ", ".join(f"{name} {count}" for name, count in read_by.most_common()))
    for miss in misses:
        print("  not read:", miss)


if __name__ == "__main__":
    main()
