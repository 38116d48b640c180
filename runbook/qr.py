"""Reading the Business Center's QR code from a screenshot, and drawing it again for the account owner.

Plain pyzbar reads only about 60 % of element screenshots taken in Chromium: dark mode, small dense codes
(1-1.5 px per module), smoothed scaling and centre logos defeat it. decode() follows it with cheap retries
(invert, add a quiet zone, Otsu threshold, upscale), which read most of the rest in a few milliseconds.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import qrcode
from PIL import Image, ImageOps, ImageStat, UnidentifiedImageError
from qrcode.constants import ERROR_CORRECT_M

from runbook.errors import BadInput, MissingDependency, QrUnreadable
from runbook.qr_out import mark

ZBAR_HINT = "libzbar is not installed: sudo apt-get install -y libzbar0 (macOS: brew install zbar)"


def _zbar() -> ModuleType:
    """pyzbar, imported on first use: its import fails when the libzbar system library is absent."""
    try:
        return importlib.import_module("pyzbar.pyzbar")
    except (ImportError, OSError) as exc:  # OSError: a libzbar that is found but cannot be loaded
        raise MissingDependency(ZBAR_HINT) from exc


def _scan(image: Image.Image) -> str | None:
    """The payload of the first QR symbol pyzbar finds in a greyscale image, or None."""
    zbar = _zbar()
    for symbol in zbar.decode(image, symbols=[zbar.ZBarSymbol.QRCODE]):
        try:
            return symbol.data.decode("utf-8")
        except UnicodeDecodeError:
            return symbol.data.decode("latin-1")
    return None


def _load(image: bytes | str | Path | Image.Image) -> tuple[Image.Image, str]:
    """The image, flattened onto white and in greyscale, and how to name it in a message."""
    if isinstance(image, Image.Image):
        picture, label = image, f"the image ({image.width}x{image.height})"
    else:
        if isinstance(image, bytes):
            data, label = image, f"the image data ({len(image)} bytes)"
        else:
            path = Path(image)
            label = str(path)
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                raise BadInput(f"no such file: {label}") from None
            except OSError as exc:
                raise BadInput(f"cannot read {label}: {exc.strerror or exc}") from None
        try:
            picture = Image.open(io.BytesIO(data))
            picture.load()  # open() is lazy; a truncated file only fails here
        except UnidentifiedImageError:
            raise QrUnreadable(f"not an image: {label}") from None
        except OSError as exc:
            raise QrUnreadable(f"not a readable image: {label} ({exc})") from None
    # A transparent screenshot (omit_background) would turn black in convert("L"); put it on a white page.
    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        picture = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    return picture.convert("L"), label


def _ring(image: Image.Image) -> tuple[float, int]:
    """Mean brightness of the outermost pixels, and their spread (max - min)."""
    w, h = image.size
    edges = [image.crop(box) for box in ((0, 0, w, 1), (0, h - 1, w, h), (0, 0, 1, h), (w - 1, 0, w, h))]
    stats = [ImageStat.Stat(edge) for edge in edges]
    count = sum(s.count[0] for s in stats)
    mean = sum(s.sum[0] for s in stats) / count
    spread = max(s.extrema[0][1] for s in stats) - min(s.extrema[0][0] for s in stats)
    return mean, spread


def _otsu(image: Image.Image) -> Image.Image:
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


def _upscale(image: Image.Image, factor: int) -> Image.Image:
    # Bicubic, because it read more small smoothed codes than bilinear in our measurements.
    return image.resize((image.width * factor, image.height * factor), Image.Resampling.BICUBIC)


def _attempts(grey: Image.Image) -> Iterator[tuple[str, Callable[[], Image.Image]]]:
    """The retries, cheapest and likeliest first; each is built only when the ones before it failed."""
    ring_mean, ring_spread = _ring(grey)
    low, high = grey.getextrema()
    mean = ImageStat.Stat(grey).mean[0]
    # A uniform border is a quiet zone; a tightly cropped code's border cuts through modules.
    has_quiet_zone = ring_spread <= (high - low) / 4
    if has_quiet_zone:  # dark mode: the quiet zone is darker than the code on average
        dark_mode = ring_mean < mean
    else:  # three corners of a cropped code are the outer rings of finder patterns, normally dark
        w, h = grey.size
        corners = (grey.getpixel((0, 0)), grey.getpixel((w - 1, 0)), grey.getpixel((0, h - 1)))
        dark_mode = sum(corners) / 3 > mean

    def normalised(invert: bool) -> Image.Image:
        image = ImageOps.invert(grey) if invert else grey
        if has_quiet_zone:
            return image
        # zbar wants a light margin; 1/8 of the side is 3 modules for the smallest code, more for larger ones.
        # It takes the image's light level, not white: white would make a low-contrast code's light modules
        # a second grey, which defeats the Otsu threshold.
        return ImageOps.expand(image, max(image.size) // 8, fill=image.getextrema()[1])

    yield "plain", lambda: grey
    # The guessed polarity first; the other one in case the guess was wrong (a light card on a dark page).
    for invert, prefix in ((dark_mode, ""), (not dark_mode, "other polarity: ")):
        if invert or not has_quiet_zone:  # otherwise normalised() is the plain image
            yield f"{prefix}normalised", lambda invert=invert: normalised(invert)
        yield f"{prefix}otsu", lambda invert=invert: _otsu(ImageOps.autocontrast(normalised(invert)))
        yield f"{prefix}upscaled", lambda invert=invert: _upscale(normalised(invert), 2)
        yield (
            f"{prefix}otsu upscaled",
            lambda invert=invert: _otsu(_upscale(ImageOps.autocontrast(normalised(invert)), 3)),
        )


def _decode(image: bytes | str | Path | Image.Image) -> tuple[str, str]:
    """The payload and the name of the attempt that read it."""
    _zbar()  # a missing libzbar is the first thing to report: nothing can be decoded without it
    grey, label = _load(image)
    for name, build in _attempts(grey):
        payload = _scan(build())
        if payload is not None:
            return payload, name
    raise QrUnreadable(f"no QR code found in {label}")


def decode(image: bytes | str | Path | Image.Image) -> str:
    """The payload of the QR code in a screenshot (PNG bytes, a file, or a PIL image)."""
    return _decode(image)[0]


def _code(payload: str) -> qrcode.QRCode:
    """The payload as a QR code: error correction M (15 %), the standard 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(payload)
    code.make(fit=True)
    return code


def write_png(payload: str, path: Path) -> Path:
    """A clean QR code for the payload, re-rendered rather than cropped from a screenshot, saved as PNG."""
    code = _code(payload)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The tag lets a later run replace this file without --force (and nobody else's file).
    code.make_image().save(path, format="PNG", pnginfo=mark())
    return path


# Half blocks keyed by (upper module drawn, lower module drawn).
_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def terminal(payload: str, *, invert: bool = False) -> str:
    """The QR code in Unicode half blocks, two module rows per line, quiet zone included.

    A glyph is drawn in the terminal's foreground colour. By default the light modules are drawn, which reads
    on the usual light-on-dark terminal; invert=True draws the dark modules, for a dark-on-light terminal.
    """
    rows = _code(payload).get_matrix()
    drawn = [[dark == invert for dark in row] for row in rows]
    if len(drawn) % 2:  # the last line's lower half is more quiet zone
        drawn.append([not invert] * len(drawn[0]))
    lines = [
        "".join(_HALF_BLOCKS[pair] for pair in zip(upper, lower, strict=True))
        for upper, lower in zip(drawn[::2], drawn[1::2], strict=True)
    ]
    return "\n".join(lines)
