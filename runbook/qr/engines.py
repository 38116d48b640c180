"""The two QR decoders: zxing-cpp (a wheel, no system library) and pyzbar (needs the libzbar system library).

zxing-cpp reads more of what we measured and is 3-5x faster (bench/qr_bench.py), so it goes first; pyzbar reads
some blurred or seamed captures that zxing-cpp misses. Either may be missing on a machine: with one left, decoding
goes on with it after a one-line note on stderr (once per process); with none, MissingDependency names both
install commands.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from PIL import Image

from runbook.core.errors import MissingDependency

ZBAR_HINT = "libzbar is not installed: sudo apt-get install -y libzbar0 (macOS: brew install zbar)"
ZXING_HINT = "zxing-cpp is not installed: pip install zxing-cpp"


@dataclass(frozen=True)
class Found:
    """A code one engine read: its payload and its box in the pixels it was given."""

    payload: str
    left: float
    top: float
    right: float
    bottom: float


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except (ImportError, OSError):  # OSError: a libzbar that is found but cannot be loaded
        return None


def _zbar_text(data: bytes) -> str:
    """zbar guesses a character set and hands back UTF-8 of its guess; undo a wrong guess of Shift-JIS or Latin-1
    when the original bytes were UTF-8 (what a URL with an accent, or any modern generator, carries)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
    if text.isascii():
        return text
    for guessed in ("shift_jis", "latin-1"):
        try:
            return text.encode(guessed).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


@dataclass(frozen=True)
class Engine:
    name: str
    hint: str
    read: Callable[[Image.Image], list[Found]]


def _zxing_reader(module: ModuleType, **options: Any) -> Callable[[Image.Image], list[Found]]:
    # zxing-cpp's full search, said explicitly so a change of its defaults cannot narrow it: codes turned by 90° or
    # 270°, downscaled copies of a large photo, light-on-dark codes, and no assumption that the image holds nothing
    # but an aligned code (is_pure: true of a generated image, never of a screenshot or a photo).
    search = {"try_rotate": True, "try_downscale": True, "try_invert": True, "is_pure": False, **options}

    def read(image: Image.Image) -> list[Found]:
        codes = module.read_barcodes(
            image, formats=module.BarcodeFormat.QRCode, text_mode=module.TextMode.Plain, **search
        )
        found = []
        for code in codes:
            corners = (code.position.top_left, code.position.top_right, code.position.bottom_right)
            points = [*corners, code.position.bottom_left]
            xs, ys = [p.x for p in points], [p.y for p in points]
            found.append(Found(code.text, min(xs), min(ys), max(xs) + 1, max(ys) + 1))
        return found

    return read


def _zbar_reader(module: ModuleType) -> Callable[[Image.Image], list[Found]]:
    def read(image: Image.Image) -> list[Found]:
        found = []
        for symbol in module.decode(image, symbols=[module.ZBarSymbol.QRCODE]):
            left, top, width, height = symbol.rect
            found.append(Found(_zbar_text(symbol.data), left, top, left + width, top + height))
        return found

    return read


@dataclass(frozen=True)
class Engines:
    """What this machine can decode with: zxing with each of its binarizers (local average, global histogram, fixed
    threshold) and zbar; zxing's or zbar's may be None."""

    zxing: Engine | None
    zxing_global: Engine | None
    zbar: Engine | None
    zxing_fixed: Engine | None = None

    def all(self) -> list[Engine]:
        return [engine for engine in (self.zxing, self.zxing_global, self.zxing_fixed, self.zbar) if engine]


_noted: set[str] = set()


def _note_once(message: str) -> None:
    if message not in _noted:
        _noted.add(message)
        print(f"tiktok-runbook: note: {message}", file=sys.stderr)


def engines() -> Engines:
    """The decoders importable here; MissingDependency when there are none."""
    zxing = _module("zxingcpp")
    zbar = _module("pyzbar.pyzbar")
    if zxing is None and zbar is None:
        raise MissingDependency(f"no QR decoder: {ZXING_HINT}; {ZBAR_HINT}")
    if zxing is None:
        _note_once(f"{ZXING_HINT}; reading QR codes with pyzbar alone, which misses more")
    if zbar is None:
        _note_once(f"{ZBAR_HINT}; reading QR codes with zxing-cpp alone")
    return Engines(
        zxing=Engine("zxing-cpp", ZXING_HINT, _zxing_reader(zxing)) if zxing else None,
        # The global-histogram binarizer reads noisy photos and seamed canvases the local one misses (measured).
        zxing_global=(
            Engine("zxing-cpp global", ZXING_HINT, _zxing_reader(zxing, binarizer=zxing.Binarizer.GlobalHistogram))
            if zxing
            else None
        ),
        zbar=Engine("pyzbar", ZBAR_HINT, _zbar_reader(zbar)) if zbar else None,
        # A fixed threshold at the middle grey: reads some evenly lit photos both adaptive ones break up.
        zxing_fixed=(
            Engine("zxing-cpp fixed", ZXING_HINT, _zxing_reader(zxing, binarizer=zxing.Binarizer.FixedThreshold))
            if zxing
            else None
        ),
    )
