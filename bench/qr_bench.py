"""How fast and how often runbook.qr.decode() reads on-screen captures (a script, not a test).

Generates about 200 varied captures in memory (payload, size, smoothing, dark mode, low contrast, centre logo,
missing quiet zone), times decode() on each PNG with time.perf_counter, and prints the success rate, the
median and p95 time, the retry stage that read each capture, and the captures that could not be read.
Target: a median under 20 ms per capture.

    python bench/qr_bench.py [--count 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageOps
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from runbook import qr
from runbook.errors import QrUnreadable

PAYLOADS = (
    "http://127.0.0.1:8765/authorize/{token}",
    "https://business.tiktok.com/manage/account/authorize?bc_id=73{digits}&token={token}&ads_only=1",
)
SIZES = (80, 100, 120, 160, 200, 240, 300, 400)  # 240-400: 120-200 CSS px at device scale factor 2
SMOOTHING = (Image.Resampling.LANCZOS, Image.Resampling.BILINEAR, Image.Resampling.BICUBIC)


@dataclass
class Capture:
    payload: str
    size: int
    smoothing: Image.Resampling
    dark_mode: bool
    low_contrast: bool
    logo: bool
    quiet_zone: bool

    def describe(self) -> str:
        flags = [
            name
            for name, on in (
                ("dark", self.dark_mode),
                ("low-contrast", self.low_contrast),
                ("logo", self.logo),
                ("no-quiet-zone", not self.quiet_zone),
            )
            if on
        ]
        return f"{len(self.payload)} chars, {self.size} px, {self.smoothing.name} {' '.join(flags)}".rstrip()

    def png(self) -> bytes:
        code = qrcode.QRCode(
            error_correction=ERROR_CORRECT_H if self.logo else ERROR_CORRECT_M,
            border=4 if self.quiet_zone else 0,
            box_size=10,
        )
        code.add_data(self.payload)
        code.make(fit=True)
        dark, light = ("#8a8a8a", "#c8c8c8") if self.low_contrast else ("#000000", "#ffffff")
        image = code.make_image(fill_color=dark, back_color=light).get_image().convert("RGB")
        if self.logo:  # a filled square, 18 % of the width, in the centre
            side = image.width
            low, high = side // 2 - int(side * 0.09), side // 2 + int(side * 0.09)
            ImageDraw.Draw(image).rectangle((low, low, high, high), fill="#fe2c55")
        image = image.resize((self.size, self.size), self.smoothing)
        if self.dark_mode:
            image = ImageOps.invert(image)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()


def captures(count: int, seed: int) -> list[Capture]:
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        template = rng.choice(PAYLOADS)
        payload = template.format(token=f"{rng.getrandbits(128):032x}", digits=rng.randrange(10**17))
        result.append(
            Capture(
                payload=payload,
                size=rng.choice(SIZES),
                smoothing=rng.choice(SMOOTHING),
                dark_mode=rng.random() < 0.3,
                low_contrast=rng.random() < 0.2,
                logo=rng.random() < 0.3,
                quiet_zone=rng.random() < 0.8,
            )
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    cases = [(case, case.png()) for case in captures(args.count, args.seed)]
    qr.decode(cases[0][1])  # load libzbar before timing
    timings_ms: list[float] = []
    failures: list[str] = []
    stages: Counter[str] = Counter()
    for case, data in cases:
        start = time.perf_counter()
        try:
            payload = qr.decode(data)
        except QrUnreadable:
            payload = None
        timings_ms.append((time.perf_counter() - start) * 1000)
        if payload != case.payload:
            failures.append(case.describe() + ("" if payload is None else f" (read {payload!r})"))
            stages["unread" if payload is None else "wrong payload"] += 1
        else:  # which retry read it (untimed second pass)
            stages[qr._decode(data)[1]] += 1

    timings_ms.sort()
    p95 = timings_ms[min(len(timings_ms) - 1, round(0.95 * len(timings_ms)) - 1)]
    read = len(cases) - len(failures)
    print(f"captures: {len(cases)}  read: {read} ({100 * read / len(cases):.1f} %)")
    median = statistics.median(timings_ms)
    print(f"decode(): median {median:.2f} ms  p95 {p95:.2f} ms  max {timings_ms[-1]:.2f} ms")
    print("read by:", ", ".join(f"{name} {count}" for name, count in stages.most_common()))
    for failure in failures:
        print("  not read:", failure)


if __name__ == "__main__":
    main()
