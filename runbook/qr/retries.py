"""The order in which decode() tries engines and preprocessed images, cheapest and likeliest first.

Measured on the corpus of tests/support/qr_corpus.py (bench/qr_bench.py prints the figures): zxing-cpp on the plain
image reads about 98 % of on-screen captures in a fraction of a millisecond, so it goes first. Then zxing-cpp with a
global threshold, then pyzbar (it reads some seamed canvases and blurred photos zxing misses), then upscaled and
thresholded images: zxing-cpp on a 2x upscale rescues small dense codes and logos; pyzbar needs the light margin,
the polarity and the threshold fixed for it, since it handles neither dark mode nor a missing quiet zone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

from PIL import Image, ImageOps, ImageStat

from runbook.qr.engines import Engine, Engines

UPSCALE_MAX_PIXELS = 4_000_000  # upscaling is for small captures; a photo this large has pixels enough


@dataclass(frozen=True)
class Prepared:
    """A preprocessed image, and how to map its pixels back: original = pixel / factor - margin."""

    image: Image.Image
    margin: int = 0
    factor: int = 1


@dataclass(frozen=True)
class Attempt:
    name: str
    engine: Engine
    prepare: Callable[[], Prepared]


def _ring(image: Image.Image) -> tuple[float, int]:
    """Mean brightness of the outermost pixels, and their spread (max - min)."""
    w, h = image.size
    edges = [image.crop(box) for box in ((0, 0, w, 1), (0, h - 1, w, h), (0, 0, 1, h), (w - 1, 0, w, h))]
    stats = [ImageStat.Stat(edge) for edge in edges]
    count = sum(s.count[0] for s in stats)
    mean = sum(s.sum[0] for s in stats) / count
    spread = max(s.extrema[0][1] for s in stats) - min(s.extrema[0][0] for s in stats)
    return mean, spread


def otsu(image: Image.Image) -> Image.Image:
    """Black and white at the threshold that best separates the histogram's two classes (Otsu, 1979)."""
    histogram = image.histogram()
    total = sum(histogram)
    weighted_total = sum(level * count for level, count in enumerate(histogram))
    below = weighted_below = 0
    best_level, best_spread = 127, -1.0
    for level, count in enumerate(histogram):
        below += count
        weighted_below += level * count
        above = total - below
        if below == 0 or above == 0:
            continue
        mean_gap = weighted_below / below - (weighted_total - weighted_below) / above
        spread = below * above * mean_gap * mean_gap  # between-class variance, up to a constant
        if spread > best_spread:
            best_level, best_spread = level, spread
    return image.point([0] * (best_level + 1) + [255] * (255 - best_level))


def _upscale(prepared: Prepared, factor: int, resample: Image.Resampling = Image.Resampling.BICUBIC) -> Prepared:
    image = prepared.image
    # Bicubic, because it read more small smoothed codes than bilinear in our measurements.
    bigger = image.resize((image.width * factor, image.height * factor), resample)
    return Prepared(bigger, prepared.margin, prepared.factor * factor)


def _upscaled(base: Callable[[], Prepared], factor: int) -> Prepared:
    return _upscale(base(), factor)


def _thresholded_upscaled(base: Callable[[], Prepared], factor: int) -> Prepared:
    # Upscaled before the threshold: the smooth upscale places module edges between the original pixels.
    built = base()
    bigger = _upscale(Prepared(ImageOps.autocontrast(built.image), built.margin, built.factor), factor)
    return Prepared(otsu(bigger.image), bigger.margin, bigger.factor)


def _memo(build: Callable[[], Prepared]) -> Callable[[], Prepared]:
    """Each preprocessed image is built once, and only when an attempt needs it."""
    kept: list[Prepared] = []

    def prepared() -> Prepared:
        if not kept:
            kept.append(build())
        return kept[0]

    return prepared


def attempts(grey: Image.Image, engines: Engines) -> Iterator[Attempt]:
    """Every attempt in order; an image is built only when the attempts before it have failed."""
    zxing, zxing_global, zbar = engines.zxing, engines.zxing_global, engines.zbar
    plain = _memo(lambda: Prepared(grey))
    if zxing:
        yield Attempt("plain", zxing, plain)
    if zxing_global:
        yield Attempt("plain", zxing_global, plain)
    if zbar:
        yield Attempt("plain", zbar, plain)
    # Only the retries need to know the polarity and the margin: measured after the plain attempts failed.
    ring_mean, ring_spread = _ring(grey)
    low, high = cast("tuple[int, int]", grey.getextrema())  # one band: (min, max)
    mean = ImageStat.Stat(grey).mean[0]
    # A uniform border is a quiet zone; a tightly cropped code's border cuts through modules.
    has_quiet_zone = ring_spread <= (high - low) / 4
    if has_quiet_zone:  # dark mode: the quiet zone is darker than the code on average
        dark_mode = ring_mean < mean
    else:  # three corners of a cropped code are the outer rings of finder patterns, normally dark
        w, h = grey.size
        corners = [cast(int, grey.getpixel(at)) for at in ((0, 0), (w - 1, 0), (0, h - 1))]
        dark_mode = sum(corners) / 3 > mean
    can_upscale = grey.width * grey.height * 4 <= UPSCALE_MAX_PIXELS

    def normalised(invert: bool) -> Prepared:
        image = ImageOps.invert(grey) if invert else grey
        if has_quiet_zone:
            return Prepared(image)
        # zbar wants a light margin; 1/8 of the side is 3 modules for the smallest code, more for larger ones.
        # It takes the image's light level, not white: white would make a low-contrast code's light modules
        # a second grey, which defeats the Otsu threshold.
        margin = max(image.size) // 8
        light = cast("tuple[int, int]", image.getextrema())[1]
        return Prepared(ImageOps.expand(image, margin, fill=light), margin)

    def thresholded(invert: bool) -> Prepared:
        base = normalised(invert)
        return Prepared(otsu(ImageOps.autocontrast(base.image)), base.margin)

    for invert, prefix in ((dark_mode, ""), (not dark_mode, "other polarity: ")):
        # The guessed polarity first; the other one in case the guess was wrong (a light card on a dark page).
        # zxing-cpp tries both polarities itself, so it runs on the guessed one only.
        first = prefix == ""
        normal = _memo(functools.partial(normalised, invert))
        otsu_image = _memo(functools.partial(thresholded, invert))
        upscaled = _memo(functools.partial(_upscaled, normal, 2))
        otsu_upscaled = _memo(functools.partial(_thresholded_upscaled, normal, 3))
        if first and zxing and can_upscale:
            yield Attempt("upscaled", zxing, upscaled)
        if zbar and (invert or not has_quiet_zone):  # otherwise normalised() is the plain image
            yield Attempt(f"{prefix}normalised", zbar, normal)
        if first and zxing:
            yield Attempt("otsu", zxing, otsu_image)
        if zbar:
            yield Attempt(f"{prefix}otsu", zbar, otsu_image)
        if can_upscale:
            if zbar:
                yield Attempt(f"{prefix}upscaled", zbar, upscaled)
            if first and zxing:
                yield Attempt("otsu upscaled", zxing, otsu_upscaled)
                # Codes of about 1.5 px per module under a logo: Lanczos keeps module edges sharper (measured).
                yield Attempt(
                    "upscaled 3x", zxing, _memo(lambda: _upscale(Prepared(grey), 3, Image.Resampling.LANCZOS))
                )
            if zbar:
                yield Attempt(f"{prefix}otsu upscaled", zbar, otsu_upscaled)
