"""A QR code drawn again from its payload: a clean PNG, an SVG for a web page, or Unicode half blocks for a terminal."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M

from runbook.core.outputs import atomic_write
from runbook.qr.out import mark


def _code(payload: str, *, correction: int = ERROR_CORRECT_M, border: int = 4) -> qrcode.QRCode:
    """The payload as a QR code: by default error correction M (15 %) and the standard 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=correction, box_size=10, border=border)
    code.add_data(payload)
    code.make(fit=True)
    return code


def write_png(payload: str, path: Path) -> Path:
    """A clean QR code for the payload, re-rendered rather than cropped from a screenshot, saved as PNG."""
    code = _code(payload)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = io.BytesIO()
    # The tag lets a later run replace this file without --force (and nobody else's file).
    code.make_image().save(image, format="PNG", pnginfo=mark())
    return atomic_write(path, image.getvalue())  # a half-written PNG would block the rerun (not ours, no tag)


def svg_data_url(payload: str) -> str:
    """The payload as a clean SVG (the share page's <img>), as a data: URL: one path of unit squares, small, and
    crisp at any size a phone scales it to."""
    matrix = _code(payload).get_matrix()  # quiet zone included
    size = len(matrix)
    cells = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{cells}" fill="#000"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")


TERMINAL_QUIET_ZONE = 2  # modules; decoders read 2 reliably on a screen (ISO 18004 asks 4 of print)
# Half blocks keyed by (upper module drawn, lower module drawn).
_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def terminal(payload: str, *, invert: bool = False) -> str:
    """The QR code in Unicode half blocks, two module rows per line (a terminal's cell is twice as tall as wide, so
    modules stay square), with a quiet zone of TERMINAL_QUIET_ZONE.

    A glyph is drawn in the terminal's foreground colour. By default the light modules are drawn, which reads
    on the usual light-on-dark terminal; invert=True draws the dark modules: for a dark-on-light terminal, or
    for a drawing given explicit black-on-white colours, which reads on any (the Reporter's show_code).

    Error correction L and a quiet zone of 2, not the PNG's M and 4: a screen draws every module crisp, and a
    code of an 80-character payload then fits, with its header, in a 24-row terminal.
    """
    rows = _code(payload, correction=ERROR_CORRECT_L, border=TERMINAL_QUIET_ZONE).get_matrix()
    drawn = [[dark == invert for dark in row] for row in rows]
    if len(drawn) % 2:  # the last line's lower half is more quiet zone
        drawn.append([not invert] * len(drawn[0]))
    lines = [
        "".join(_HALF_BLOCKS[pair] for pair in zip(upper, lower, strict=True))
        for upper, lower in zip(drawn[::2], drawn[1::2], strict=True)
    ]
    return "\n".join(lines)
