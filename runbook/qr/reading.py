"""Reading QR codes from screenshots and photos: every engine and retry in order, codes in reading order.

Loading within limits is runbook/qr/picture.py, the two decoders runbook/qr/engines.py, the order of engines and
preprocessing runbook/qr/retries.py (measured with bench/qr_bench.py on the corpus of tests/support/qr_corpus.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from runbook.core.errors import QrUnreadable
from runbook.qr.engines import engines
from runbook.qr.picture import Source, load
from runbook.qr.retries import Attempt, attempts


@dataclass(frozen=True)
class Code:
    """A QR code found in an image: its payload and its box in the image's pixels."""

    payload: str
    x: int
    y: int
    width: int
    height: int
    read_by: str = ""  # the engine and attempt that read it, for the bench

    def position(self) -> dict[str, int]:
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}

    def overlaps(self, other: Code) -> bool:
        """The same symbol read twice: the same payload, and either box holds the other's centre."""

        def holds(box: Code, point: tuple[float, float]) -> bool:
            return box.x <= point[0] <= box.x + box.width and box.y <= point[1] <= box.y + box.height

        return self.payload == other.payload and (holds(self, other._centre()) or holds(other, self._centre()))

    def _centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)


def _read(attempt: Attempt, size: tuple[int, int]) -> list[Code]:
    prepared = attempt.prepare()
    if prepared is None:  # the same image an earlier attempt gave this engine
        return []
    codes = []
    for found in attempt.engine.read(prepared.image):
        f, m = prepared.factor, prepared.margin
        left = max(0, min(size[0], round(found.left / f - m)))
        top = max(0, min(size[1], round(found.top / f - m)))
        right = max(0, min(size[0], round(found.right / f - m)))
        bottom = max(0, min(size[1], round(found.bottom / f - m)))
        codes.append(
            Code(found.payload, left, top, right - left, bottom - top, f"{attempt.engine.name}: {attempt.name}")
        )
    return codes


def decode_all(image: Source, *, every: bool = True) -> list[Code]:
    """The QR codes in an image (PNG/JPEG bytes, a file, or a PIL image), top to bottom, left to right.

    every=True runs every attempt and keeps what any of them read (for `qr decode`, where one image may hold
    several codes, each needing a different retry); every=False stops at the first attempt that reads a code.
    Raises QrUnreadable when there is none, BadInput when the file is not an image or too large.
    """
    available = engines()  # a missing decoder is the first thing to report
    grey, label = load(image)
    codes: list[Code] = []
    for attempt in attempts(grey, available):
        for code in _read(attempt, grey.size):
            if not any(code.overlaps(known) for known in codes):
                codes.append(code)
        if codes and not every:
            break
    if not codes:
        raise QrUnreadable(f"no QR code found in {label}")
    return _reading_order(codes)


def _reading_order(codes: list[Code]) -> list[Code]:
    """Rows top to bottom, each left to right; a code whose centre is level with a row's first code joins it
    (two engines may place the same row's codes a pixel apart)."""
    rows: list[list[Code]] = []
    for code in sorted(codes, key=lambda code: code.y):
        if rows and rows[-1][0].y <= code._centre()[1] <= rows[-1][0].y + rows[-1][0].height:
            rows[-1].append(code)
        else:
            rows.append([code])
    return [code for row in rows for code in sorted(row, key=lambda code: code.x)]


def decode(image: Source) -> str:
    """The payload of the first QR code read in a screenshot (PNG bytes, a file, or a PIL image)."""
    return decode_all(image, every=False)[0].payload
