"""Reading QR codes from screenshots and photos, checking where they lead, and drawing them again.

Loading within limits is runbook/qr_picture.py, the two decoders runbook/qr_engines.py, the order of engines
and preprocessing runbook/qr_retries.py (measured with bench/qr_bench.py on the corpus of tests/qr_corpus.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from runbook.errors import QrUnreadable
from runbook.qr_engines import engines
from runbook.qr_out import mark
from runbook.qr_picture import Source, load
from runbook.qr_retries import Attempt, attempts


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


_UNPRINTABLE = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")  # controls, bidi and other formatting, unassigned


def _unprintable(char: str) -> bool:
    return unicodedata.category(char) in _UNPRINTABLE


def printable(payload: str) -> str:
    """The payload with control and formatting characters escaped (ESC, NUL, newlines, bidi overrides), and
    backslashes doubled so that an escape cannot be forged: safe to print on a terminal, on one line."""
    out = []
    for char in payload:
        point = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif not _unprintable(char):
            out.append(char)
        elif point < 0x100:
            out.append(f"\\x{point:02x}")
        elif point < 0x10000:
            out.append(f"\\u{point:04x}")
        else:
            out.append(f"\\U{point:08x}")
    return "".join(out)


def suspicious(payload: str, expected_origin: str | None = None) -> str | None:
    """Why a payload should not be handed to the account owner, or None when it looks like a Business Center link.

    Business Center's codes are https URLs (research: the authorization URL of /bc/asset/account/authorization/);
    the mock's are http URLs on its own origin, which `expected_origin` (the --base-url) allows.
    """
    if any(_unprintable(char) or char.isspace() for char in payload):
        return "it holds control characters or spaces"
    if "\\" in payload:  # browsers read a backslash as a slash, Python's urlsplit does not: hosts would differ
        return "it holds a backslash"
    try:
        parts = urlsplit(payload)
        port = parts.port
    except ValueError:
        return "it is not a valid address"
    if parts.scheme == "https" and parts.hostname and not parts.username and not parts.password:
        return None
    if expected_origin:
        base = urlsplit(expected_origin)
        default = {"http": 80, "https": 443}
        same = (
            parts.scheme == base.scheme
            and parts.hostname == base.hostname
            and (port or default.get(parts.scheme)) == (base.port or default.get(base.scheme))
            and not parts.username
            and not parts.password
        )
        if same:
            return None
    if parts.scheme == "https":
        return "it is an https address with a user name or no host"
    if parts.scheme:
        return f"it is a {parts.scheme}: address, not https"
    return "it is not an https address"


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
