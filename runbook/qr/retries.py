"""The order in which decode() tries engines and preprocessed images: the attempt that rescues most first (ORDER).

Every attempt is an engine (zxing-cpp with each of its binarizers, its full search on; pyzbar) on an image prepared
for it (plain, blurred, halved, upscaled, thresholded, given a margin or inverted), built only when the attempts
before it have failed. zxing-cpp on the plain image reads most captures and photos in a millisecond or so, so it goes
first; the rest are ordered by what they rescued on the corpus of tests/support/qr_corpus.py and zxing-cpp's sample
photos (bench/qr_bench.py --rescues prints the figures). pyzbar needs the light margin, the polarity and the threshold
fixed for it, since it handles neither dark mode nor a missing quiet zone: its stages are the ladder on a machine
without zxing-cpp.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar, cast

from PIL import Image, ImageFilter, ImageOps, ImageStat

from runbook.qr.engines import Engine, Engines

UPSCALE_MAX_PIXELS = 4_000_000  # an upscaled image at most this large: upscaling is for small captures, not photos
ZBAR_RETRY_MAX_PIXELS = 300_000  # an element screenshot of up to about 540 px square; a 640x480 photo is larger
T = TypeVar("T")

# The ladder, by how often each attempt rescued a code the attempts before it missed, measured by
# `bench/qr_bench.py --rescues` on 240 on-screen captures, 80 synthetic photos and zxing-cpp's 137 sample photos
# (2026-12-02): zxing-cpp plain read 431 of the 457; the rescues are in the comments. decode() stops at the first
# attempt that reads. Those that rescued nothing there come last, in the order they had (cheapest first): each
# still reads something on its own, and pyzbar's stages are the whole ladder on a machine without zxing-cpp.
ORDER = (
    "zxing-cpp: plain",
    "zxing-cpp global: plain",  # 6: 1 on-screen, 3 sample photos, 2 synthetic photos
    "zxing-cpp: upscaled",  # 4: 1 on-screen (small and dense), 3 synthetic photos
    "pyzbar: plain",  # 2: 1 on-screen, 1 sample photo
    "zxing-cpp global: blurred",  # 2 sample photos (a fine print's dots)
    "zxing-cpp: upscaled 3x",  # 1 synthetic photo
    "zxing-cpp fixed: plain",
    "zxing-cpp global: halved",
    "pyzbar: normalised",
    "zxing-cpp: otsu",
    "pyzbar: otsu",
    "pyzbar: upscaled",
    "zxing-cpp: otsu upscaled",
    "pyzbar: otsu upscaled",
    "pyzbar: other polarity: normalised",
    "pyzbar: other polarity: otsu",
    "pyzbar: other polarity: upscaled",
    "pyzbar: other polarity: otsu upscaled",
)


@dataclass(frozen=True)
class Prepared:
    """A preprocessed image, and how to map its pixels back: original = pixel / factor - margin."""

    image: Image.Image
    margin: int = 0
    factor: float = 1


@dataclass(frozen=True)
class Attempt:
    name: str
    engine: Engine
    prepare: Callable[[], Prepared | None]  # None: this attempt's image is one an earlier attempt read


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


def _memo(build: Callable[[], T]) -> Callable[[], T]:
    """Each preprocessed image (and the image's shape) is built once, and only when an attempt needs it."""
    kept: list[T] = []

    def prepared() -> T:
        if not kept:
            kept.append(build())
        return kept[0]

    return prepared


def _halved(grey: Image.Image) -> Prepared:
    """Half the size (a box filter: each pixel the mean of four). Its boxes map back at a factor of 1/2."""
    return Prepared(grey.reduce(2), 0, 0.5)


@dataclass(frozen=True)
class Shape:
    """What the retries need to know of an image, measured once a plain attempt is not enough."""

    has_quiet_zone: bool  # a uniform border; a tightly cropped code's border cuts through modules
    dark_mode: bool  # light modules on a dark ground


def shape_of(grey: Image.Image) -> Shape:
    ring_mean, ring_spread = _ring(grey)
    low, high = cast("tuple[int, int]", grey.getextrema())  # one band: (min, max)
    mean = ImageStat.Stat(grey).mean[0]
    has_quiet_zone = ring_spread <= (high - low) / 4
    if has_quiet_zone:  # dark mode: the quiet zone is darker than the code on average
        return Shape(True, ring_mean < mean)
    # Three corners of a cropped code are the outer rings of finder patterns, normally dark.
    w, h = grey.size
    corners = [cast(int, grey.getpixel(at)) for at in ((0, 0), (w - 1, 0), (0, h - 1))]
    return Shape(False, sum(corners) / 3 > mean)


def pool(grey: Image.Image, engines: Engines) -> dict[str, Attempt]:
    """Every attempt that may apply to this image, by its name ("engine: stage"); nothing is prepared yet. An
    attempt whose image turns out to be one an earlier attempt read already prepares None and is skipped."""
    zxing, zxing_global, zxing_fixed, zbar = engines.zxing, engines.zxing_global, engines.zxing_fixed, engines.zbar
    found: dict[str, Attempt] = {}

    def add(stage: str, engine: Engine | None, prepare: Callable[[], Prepared | None]) -> None:
        if engine:
            found[f"{engine.name}: {stage}"] = Attempt(stage, engine, prepare)

    plain = _memo(lambda: Prepared(grey))
    for engine in (zxing, zxing_global, zxing_fixed, zbar):
        add("plain", engine, plain)
    # pyzbar's retries rescued no photo the zxing-cpp attempts missed (bench --rescues) and cost up to a second on
    # one: with zxing-cpp here they are for captures only; without it they are the whole ladder.
    retry_zbar = zbar if zxing is None or grey.width * grey.height <= ZBAR_RETRY_MAX_PIXELS else None
    # Photos: a blur joins a print's dots and drowns sensor noise; a halved photo has sharper module edges.
    add("blurred", zxing_global, _memo(lambda: Prepared(grey.filter(ImageFilter.GaussianBlur(1)))))
    if min(grey.size) >= 400:
        add("halved", zxing_global, _memo(lambda: _halved(grey)))
    shape = _memo(lambda: shape_of(grey))

    def fits(factor: int) -> bool:
        return grey.width * grey.height * factor * factor <= UPSCALE_MAX_PIXELS

    def normalised(guessed: bool) -> Prepared:
        invert = shape().dark_mode == guessed
        image = ImageOps.invert(grey) if invert else grey
        if shape().has_quiet_zone:
            return Prepared(image)
        # zbar wants a light margin; 1/8 of the side is 3 modules for the smallest code, more for larger ones.
        # It takes the image's light level, not white: white would make a low-contrast code's light modules
        # a second grey, which defeats the Otsu threshold.
        margin = max(image.size) // 8
        light = cast("tuple[int, int]", image.getextrema())[1]
        return Prepared(ImageOps.expand(image, margin, fill=light), margin)

    def for_zbar(guessed: bool) -> Prepared | None:
        """normalised(), unless it is the plain image zbar has read already (upright, with its quiet zone)."""
        changed = shape().dark_mode == guessed or not shape().has_quiet_zone
        return normalised(guessed) if changed else None

    def thresholded(guessed: bool) -> Prepared:
        base = normalised(guessed)
        return Prepared(otsu(ImageOps.autocontrast(base.image)), base.margin)

    for guessed in (True, False):
        # The guessed polarity first; the other one in case the guess was wrong (a light card on a dark page).
        # zxing-cpp tries both polarities itself, so it runs on the guessed one only.
        prefix = "" if guessed else "other polarity: "
        normal = _memo(functools.partial(normalised, guessed))
        otsu_image = _memo(functools.partial(thresholded, guessed))
        upscaled = _memo(functools.partial(_upscaled, normal, 2))
        otsu_upscaled = _memo(functools.partial(_thresholded_upscaled, normal, 3))
        if guessed and fits(2):
            add("upscaled", zxing, upscaled)
        add(f"{prefix}normalised", retry_zbar, _memo(functools.partial(for_zbar, guessed)))
        if guessed:
            add("otsu", zxing, otsu_image)
        add(f"{prefix}otsu", retry_zbar, otsu_image)
        if fits(2):
            add(f"{prefix}upscaled", retry_zbar, upscaled)
        if fits(3):
            if guessed:
                add("otsu upscaled", zxing, otsu_upscaled)
                # Codes of about 1.5 px per module under a logo: Lanczos keeps module edges sharper (measured).
                add("upscaled 3x", zxing, _memo(lambda: _upscale(Prepared(grey), 3, Image.Resampling.LANCZOS)))
            add(f"{prefix}otsu upscaled", retry_zbar, otsu_upscaled)
    return found


def attempts(grey: Image.Image, engines: Engines) -> Iterator[Attempt]:
    """Every attempt that may apply, in ORDER; an image is prepared only when the attempts before it have failed."""
    found = pool(grey, engines)
    for name in ORDER:
        if name in found:
            yield found.pop(name)
    yield from found.values()  # one ORDER does not name yet: last, so it is never lost
