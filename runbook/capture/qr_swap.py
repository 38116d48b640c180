"""QR codes inside captured answers: found in images, in data: URIs and in module matrices, and replaced by codes of
another payload that stay decodable (the scrubber swaps originals for stand-ins; the replay server re-points
stand-ins at its own origin).

`mapping` is always payload → the payload to draw instead; what decodes to no payload of it is left as it is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
from collections.abc import Mapping
from typing import Any

import qrcode
from PIL import Image, ImageDraw
from qrcode import constants, util
from qrcode.exceptions import DataOverflowError

from runbook.core.errors import BadInput, QrUnreadable
from runbook.qr import decode_all

MAX_IMAGE_BYTES = 2 * 1024 * 1024  # decoding costs milliseconds an image: larger files are photos, not codes
DATA_URI = re.compile(r"data:image/(?:png|jpeg|jpg|webp|gif);base64,([A-Za-z0-9+/]+={0,2})")
QUIET_ZONE = 4  # modules of white around a matrix drawn to be read, as the spec asks
_FORMATS: dict[str, dict[str, Any]] = {"JPEG": {"quality": 95}, "WEBP": {"lossless": True}, "GIF": {}, "PNG": {}}
# Error correction levels as a QR's format bits say them (and as qrcode numbers them): L=1, M=0, Q=3, H=2.
_LEVELS = (constants.ERROR_CORRECT_L, constants.ERROR_CORRECT_M, constants.ERROR_CORRECT_Q, constants.ERROR_CORRECT_H)
_read: dict[bytes, tuple[str, ...]] = {}  # digest of an image or matrix → its payloads: each is read once per run
_READ_CACHE = 512


def payloads_in_image(data: bytes) -> list[str]:
    """The payloads of the QR codes in an image's bytes (PNG, JPEG, WebP, GIF); none when it is no image, has no
    code or is larger than MAX_IMAGE_BYTES. A machine without any decoder raises MissingDependency: a capture
    whose codes cannot be read cannot be scrubbed."""
    if len(data) > MAX_IMAGE_BYTES:
        return []
    key = hashlib.sha256(data).digest()
    if key not in _read:
        try:
            found: tuple[str, ...] = tuple(dict.fromkeys(code.payload for code in decode_all(data, every=False)))
        except (BadInput, QrUnreadable):
            found = ()
        if len(_read) >= _READ_CACHE:
            _read.clear()
        _read[key] = found
    return list(_read[key])


def payloads_in_text(text: str) -> list[str]:
    """The payloads of the QR codes drawn in the text's data:image URIs."""
    found: list[str] = []
    for match in DATA_URI.finditer(text):
        found += payloads_in_image(_b64(match.group(1)))
    return found


def payloads_in_json(value: Any) -> list[str]:
    """The payloads of the QR codes in parsed JSON: its module matrices and its data:image strings."""
    if isinstance(value, dict):
        return [p for item in value.values() for p in payloads_in_json(item)]
    if isinstance(value, list):
        if is_matrix(value):
            return payloads_in_image(_png(_draw(value, 4)))
        return [p for item in value for p in payloads_in_json(item)]
    return payloads_in_text(value) if isinstance(value, str) and "data:image" in value else []


def is_matrix(value: Any) -> bool:
    """A square list of rows of 0/1 (or booleans) the size of a QR symbol: versions 1 to 40, 21 to 177 modules."""
    if not isinstance(value, list) or not 21 <= len(value) <= 177 or (len(value) - 21) % 4:
        return False
    return all(
        isinstance(row, list) and len(row) == len(value) and all(type(c) in (int, bool) and c in (0, 1) for c in row)
        for row in value
    )


def swap_image(data: bytes, mapping: Mapping[str, str]) -> bytes | None:
    """The image redrawn as a code of the mapped payload, at about its pixel size and in its format; None when it
    holds no code of a payload in the mapping."""
    target = next((mapping[p] for p in payloads_in_image(data) if p in mapping), None)
    if target is None:
        return None
    with Image.open(io.BytesIO(data)) as original:
        size, image_format = original.size, original.format or "PNG"
    matrix = _matrix(target, None, constants.ERROR_CORRECT_M)
    side = len(matrix) + 2 * QUIET_ZONE
    drawn = _draw(matrix, max(1, min(size) // side))
    if drawn.width <= size[0] and drawn.height <= size[1]:  # centred on a white page of the original's size
        page = Image.new("L", size, 255)
        page.paste(drawn, ((size[0] - drawn.width) // 2, (size[1] - drawn.height) // 2))
        drawn = page
    return _encode(drawn, image_format if image_format in _FORMATS else "PNG")


def swap_data_uris(text: str, mapping: Mapping[str, str]) -> str:
    """The text with each data:image URI that holds a code of a mapped payload redrawn for its mapped payload."""

    def swapped(match: re.Match[str]) -> str:
        new = swap_image(_b64(match.group(1)), mapping)
        if new is None:
            return match.group(0)
        return match.group(0)[: match.start(1) - match.start(0)] + base64.b64encode(new).decode("ascii")

    return DATA_URI.sub(swapped, text) if "data:image" in text and mapping else text


def swap_matrices(value: Any, mapping: Mapping[str, str]) -> Any:
    """Parsed JSON with every module matrix of a mapped payload replaced by the mapped payload's matrix, at the same
    size and error correction where it fits (so a page that draws it keeps its layout), in the same cell type."""
    if not mapping:
        return value
    if isinstance(value, dict):
        return {key: swap_matrices(item, mapping) for key, item in value.items()}
    if not isinstance(value, list):
        return value
    if not is_matrix(value):
        return [swap_matrices(item, mapping) for item in value]
    target = next((mapping[p] for p in payloads_in_image(_png(_draw(value, 4))) if p in mapping), None)
    if target is None:
        return value
    matrix = _matrix(target, (len(value) - 17) // 4, error_correction(value))
    as_bool = any(type(c) is bool for row in value for c in row)
    return [[bool(c) if as_bool else int(c) for c in row] for row in matrix]


def error_correction(matrix: list[list[Any]]) -> int:
    """The error correction level a matrix's format bits say (the copy beside the top-left finder, read as
    qrcode writes it), as the valid format word nearest to what is there."""
    n = len(matrix)
    rows = [*range(6), 7, 8, *range(n - 7, n)]
    bits = sum(1 << i for i, row in enumerate(rows) if matrix[row][8])

    def distance(level: int, mask: int) -> int:
        return bin(util.BCH_type_info((level << 3) | mask) ^ bits).count("1")

    return min(((level, mask) for level in _LEVELS for mask in range(8)), key=lambda lm: distance(*lm))[0]


def _matrix(payload: str, version: int | None, level: int) -> list[list[bool]]:
    """The payload's modules without quiet zone: at `version` with `level` or, when it does not fit there, the
    nearest weaker level that does; at the smallest version that fits otherwise."""
    levels = [level, *(lv for lv in _LEVELS if lv != level)] if version else [level]
    for candidate in levels:
        code = qrcode.QRCode(version=version, error_correction=candidate, border=0)
        code.add_data(payload)
        try:
            code.make(fit=version is None)
        except (DataOverflowError, ValueError):
            continue
        if version is None or code.version == version:
            return [[bool(c) for c in row] for row in code.get_matrix()]
    return _matrix(payload, None, level)


def _draw(matrix: list[list[Any]], px: int) -> Image.Image:
    """Dark modules on white, px pixels a module, with the quiet zone."""
    side = (len(matrix) + 2 * QUIET_ZONE) * px
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                left, top = (x + QUIET_ZONE) * px, (y + QUIET_ZONE) * px
                draw.rectangle((left, top, left + px - 1, top + px - 1), fill=0)
    return image


def _png(image: Image.Image) -> bytes:
    return _encode(image, "PNG")


def _encode(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    (image.convert("RGB") if image_format == "JPEG" else image).save(out, format=image_format, **_FORMATS[image_format])
    return out.getvalue()


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return b""
