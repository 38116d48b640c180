"""Test images: made on the spot (a PNG that declares more pixels than it holds), and read (verify's outline)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PIL import Image, ImageChops


def declared_png(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header declares width x height pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1), 9))
        + chunk(b"IEND", b"")
    )


def outline_box(path: Path, colour: tuple[int, int, int] = (0xE0, 0x00, 0xE0)) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom) of the pixels drawn in verify's outline colour in a screenshot, or None.
    A little tolerance: the outline's edges are anti-aliased."""
    with Image.open(path) as image:
        bands = image.convert("RGB").split()
    masks = [band.point(lambda v, c=c: 255 if abs(v - c) < 24 else 0) for band, c in zip(bands, colour, strict=True)]
    return ImageChops.multiply(ImageChops.multiply(masks[0], masks[1]), masks[2]).getbbox()


def assert_outlined(shot: Path) -> None:
    """The whole outline is in the picture: its four sides, none cut by the picture's edge."""
    box = outline_box(shot)
    assert box is not None, f"no outline in {shot.name}"
    with Image.open(shot) as image:
        width, height = image.size
    left, top, right, bottom = box
    assert 0 < left < right < width and 0 < top < bottom < height, (shot.name, box, (width, height))
    assert right - left > 10 and bottom - top > 10, (shot.name, box)
