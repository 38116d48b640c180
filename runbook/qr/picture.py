"""The image a QR code is read from: loaded within limits, flattened onto white, in greyscale.

A screenshot or photo is input from anywhere, so it is read defensively: at most MAX_BYTES from a regular file
(runbook/core/input_files.py, the reader every file a person names goes through), only the common raster formats
(Pillow's rarer plugins call out to other programs or are seldom exercised), and the pixel count is checked from
the header before anything is decoded (a 37 KB PNG can declare 13000x13000 pixels and take gigabytes to decode).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from runbook.core.errors import BadInput
from runbook.core.input_files import read_capped

MAX_BYTES = 64 * 1024 * 1024  # a 4K screenshot is a few MB; a phone photo 5-15 MB
MAX_PIXELS = 50_000_000  # an 8K screenshot at scale 1.5, a 48 MP phone photo; Pillow itself warns at 89 MP
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")

Source = bytes | str | Path | Image.Image


def read_bounded(path: Path) -> bytes:
    """The file's bytes, refusing anything that is not a regular file or is larger than MAX_BYTES."""
    return read_capped(path, str(path), MAX_BYTES)


def _open(data: bytes, label: str) -> Image.Image:
    """Decoded pixels, after checking the size the header declares."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (and past twice its limit, raises) about decompression bombs; our limit is lower.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=FORMATS)
    except UnidentifiedImageError:
        raise BadInput(f"not an image (PNG, JPEG, WebP, GIF or BMP): {label}") from None
    except Image.DecompressionBombError:
        raise BadInput(f"too many pixels to be a screenshot: {label} (more than {MAX_PIXELS // 10**6} MP)") from None
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow's plugins raise all three on a broken header
        raise BadInput(f"not a readable image: {label} ({exc})") from None
    width, height = picture.size
    if width * height > MAX_PIXELS:
        raise BadInput(
            f"too many pixels to be a screenshot: {label} is {width}x{height} (at most {MAX_PIXELS // 10**6} MP)"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            picture.load()  # open() is lazy; a truncated file only fails here
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise BadInput(f"not a readable image: {label} ({exc})") from None
    return picture


def load(image: Source) -> tuple[Image.Image, str]:
    """The image, flattened onto white and in greyscale, and how to name it in a message."""
    if isinstance(image, Image.Image):
        picture, label = image, f"the image ({image.width}x{image.height})"
        if picture.width * picture.height > MAX_PIXELS:
            raise BadInput(f"too many pixels to be a screenshot: {label}")
    elif isinstance(image, bytes):
        label = f"the image data ({len(image)} bytes)"
        if len(image) > MAX_BYTES:
            raise BadInput(f"too large to be a screenshot: {label}")
        picture = _open(image, label)
    else:
        path = Path(image)
        picture = _open(read_bounded(path), str(path))
        label = str(path)
    # A transparent screenshot (omit_background) would turn black in convert("L"); put it on a white page.
    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        picture = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    return picture.convert("L"), label
