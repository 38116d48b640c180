"""runbook.qr: decoding on-screen captures of the Business Center's QR code, and drawing it again.

Every image is generated here: rendered with smoothing at the sizes a page shows, or drawn by Chromium as
<img>, <canvas> and <svg> and captured with locator.screenshot().
"""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import qrcode
from PIL import Image, ImageDraw, ImageOps
from playwright.sync_api import Browser, Page
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M

from runbook import qr
from runbook.errors import BadInput, ExitCode, MissingDependency, QrUnreadable

LOCAL = "http://127.0.0.1:8765/authorize/3f2a9c4e7b1d4e8fa0c35b6d92e1f7a4"
TIKTOK = (
    "https://business.tiktok.com/manage/account/authorize"
    "?bc_id=7300000000000000001&token=9f3c2b1a7e6d5c4b3a2918f7e6d5c4b3&ads_only=1"
)
LANCZOS = Image.Resampling.LANCZOS
BILINEAR = Image.Resampling.BILINEAR
LOW_CONTRAST = {"dark": "#8a8a8a", "light": "#c8c8c8"}  # grey on lighter grey


def modules(payload: str, *, error_correction: int = ERROR_CORRECT_M, border: int = 4) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=error_correction, border=border)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def render(
    payload: str,
    size: int,
    *,
    resample: Image.Resampling = LANCZOS,
    border: int = 4,
    logo: bool = False,
    dark: str = "#000000",
    light: str = "#ffffff",
    invert: bool = False,
    frame: int = 0,
) -> Image.Image:
    """The code drawn at 10 px per module, then scaled to `size` px with smoothing, the way a page shows it.

    logo: a filled square of 18 % of the width in the centre (and error correction H, as a logo needs);
    invert: dark mode; frame: a dark page of `frame` px around a light card holding the code.
    """
    matrix = modules(payload, error_correction=ERROR_CORRECT_H if logo else ERROR_CORRECT_M, border=border)
    side = len(matrix) * 10
    image = Image.new("RGB", (side, side), light)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(matrix):
        for x, is_dark in enumerate(row):
            if is_dark:
                draw.rectangle((x * 10, y * 10, x * 10 + 9, y * 10 + 9), fill=dark)
    if logo:
        low, high = side // 2 - int(side * 0.09), side // 2 + int(side * 0.09)
        draw.rectangle((low, low, high, high), fill="#fe2c55")
    image = image.resize((size, size), resample)
    if frame:
        image = ImageOps.expand(image, frame, fill="#121212")
    return ImageOps.invert(image) if invert else image


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- captures rendered in memory

CAPTURES = [
    *(
        pytest.param(payload, {"size": size, "resample": resample}, id=f"{name}-{size}px-{resample.name}")
        for name, payload in (("local", LOCAL), ("tiktok", TIKTOK))
        for size in (80, 120, 200, 300)
        for resample in (LANCZOS, BILINEAR)
    ),
    pytest.param(LOCAL, {"size": 240, "resample": BILINEAR}, id="device-scale-2"),  # 120 CSS px at DSF 2
    pytest.param(LOCAL, {"size": 80, "logo": True}, id="logo-80px"),
    pytest.param(LOCAL, {"size": 200, "logo": True, "resample": BILINEAR}, id="logo-200px"),
    pytest.param(TIKTOK, {"size": 120, "logo": True}, id="tiktok-logo-120px"),
    pytest.param(TIKTOK, {"size": 300, "logo": True}, id="tiktok-logo-300px"),
    pytest.param(LOCAL, {"size": 120, "invert": True}, id="dark-mode-120px"),
    pytest.param(TIKTOK, {"size": 80, "invert": True}, id="tiktok-dark-mode-80px"),
    pytest.param(TIKTOK, {"size": 200, "invert": True, "logo": True}, id="tiktok-dark-mode-logo"),
    pytest.param(LOCAL, {"size": 120, **LOW_CONTRAST}, id="low-contrast"),
    pytest.param(TIKTOK, {"size": 120, "logo": True, **LOW_CONTRAST}, id="tiktok-low-contrast-logo"),
    pytest.param(LOCAL, {"size": 120, "invert": True, **LOW_CONTRAST}, id="dark-low-contrast"),
    pytest.param(LOCAL, {"size": 120, "border": 0}, id="no-quiet-zone"),
    pytest.param(TIKTOK, {"size": 120, "border": 0, "logo": True}, id="tiktok-no-quiet-zone-logo"),
    pytest.param(LOCAL, {"size": 120, "border": 0, "invert": True}, id="dark-no-quiet-zone"),
    pytest.param(LOCAL, {"size": 120, "frame": 12}, id="light-card-on-dark-page"),
]


@pytest.mark.parametrize(("payload", "options"), CAPTURES)
def test_decodes_rendered_capture(payload: str, options: dict[str, Any]) -> None:
    assert qr.decode(png(render(payload, **options))) == payload


def test_decodes_path_str_and_pil_image(tmp_path: Path) -> None:
    image = render(LOCAL, 160)
    path = tmp_path / "screenshot.png"
    image.save(path)
    assert qr.decode(path) == qr.decode(str(path)) == qr.decode(image) == LOCAL


def test_decodes_transparent_screenshot() -> None:
    """omit_background captures: the light modules are transparent black, which convert("L") makes dark."""
    matrix = modules(LOCAL)
    image = Image.new("RGBA", (len(matrix) * 4,) * 2, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(matrix):
        for x, is_dark in enumerate(row):
            if is_dark:
                draw.rectangle((x * 4, y * 4, x * 4 + 3, y * 4 + 3), fill=(0, 0, 0, 255))
    assert qr.decode(png(image)) == LOCAL


# --- each retry is needed: plain pyzbar fails on these, and that exact stage is the first to read them

STAGE_CASES = {
    "normalised": [
        (LOCAL, {"size": 200, "invert": True}),  # dark mode: inverted
        (LOCAL, {"size": 80, "border": 0, "logo": True}),  # no quiet zone: one added
    ],
    "otsu": [(TIKTOK, {"size": 300, "logo": True})],
    "upscaled": [(TIKTOK, {"size": 80})],  # 1.4 px per module
    "otsu upscaled": [(TIKTOK, {"size": 80, "logo": True, **LOW_CONTRAST})],
    # The polarity guessed from the border is wrong when a light card sits on a dark page (or the reverse).
    "other polarity: normalised": [(LOCAL, {"size": 80, "frame": 4, "invert": True})],
    "other polarity: otsu": [(LOCAL, {"size": 100, "frame": 4, "logo": True})],
    "other polarity: upscaled": [(LOCAL, {"size": 80, "frame": 4, "logo": True, **LOW_CONTRAST})],
    "other polarity: otsu upscaled": [(TIKTOK, {"size": 80, "frame": 4, "logo": True})],
}


@pytest.mark.parametrize(
    ("stage", "payload", "options"),
    [
        pytest.param(stage, payload, options, id=f"{stage}-{i}")
        for stage, cases in STAGE_CASES.items()
        for i, (payload, options) in enumerate(cases)
    ],
)
def test_retry_stage_is_needed(stage: str, payload: str, options: dict[str, Any]) -> None:
    image = render(payload, **options)
    assert qr._scan(image) is None  # plain pyzbar
    assert qr._decode(image) == (payload, stage)


def test_every_retry_stage_has_a_case() -> None:
    """A new stage must come with a capture that only it reads, so no stage is dead code."""
    with_quiet_zone = qr._load(render(LOCAL, 120))[0]
    without = qr._load(render(LOCAL, 120, border=0))[0]
    stages = {name for grey in (with_quiet_zone, without) for name, _ in qr._attempts(grey)}
    assert stages - {"plain"} == set(STAGE_CASES)


# --- captures taken in Chromium


def qr_page(kind: str, payload: str, *, css_px: int = 120, module_px: float = 4.37, dark: bool = False) -> str:
    """A page showing the code as an <img> (PNG scaled to css_px), a <canvas> drawn module by module at a
    fractional module size, or an inline <svg> (css_px wide); dark: light modules on a dark page."""
    matrix = modules(payload)
    ink, paper = ("#e8e8e8", "#161823") if dark else ("#000000", "#ffffff")
    style = f"<style>body {{ margin: 13px; background: {paper} }}</style>"
    if kind == "img":
        # 10 px per module, then scaled down by the browser with smoothing
        image = render(payload, len(matrix) * 10, dark=ink, light=paper)
        uri = "data:image/png;base64," + base64.b64encode(png(image)).decode()
        return f'{style}<img id="qr" alt="QR code" src="{uri}" style="width:{css_px}px;height:{css_px}px">'
    if kind == "canvas":
        side = round(len(matrix) * module_px)
        # A block scope: set_content() keeps the page's globals, so a second top-level const would throw.
        return f"""{style}<canvas id="qr" width="{side}" height="{side}"></canvas><script>{{
            const matrix = {json.dumps(matrix)}, size = {module_px};
            const context = document.getElementById("qr").getContext("2d");
            context.fillStyle = "{paper}"; context.fillRect(0, 0, {side}, {side});
            context.fillStyle = "{ink}";
            matrix.forEach((row, y) => row.forEach((dark, x) => {{
                if (dark) context.fillRect(x * size, y * size, size, size);
            }}));
        }}</script>"""
    assert kind == "svg"
    path = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, is_dark in enumerate(row) if is_dark)
    n = len(matrix)
    return (
        f'{style}<svg id="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" '
        f'width="{css_px}" height="{css_px}"><rect width="{n}" height="{n}" fill="{paper}"/>'
        f'<path d="{path}" fill="{ink}"/></svg>'
    )


def capture(page: Page, html: str) -> bytes:
    page.set_content(html)
    return page.locator("#qr").screenshot()


@pytest.mark.parametrize("kind", ["img", "canvas", "svg"])
@pytest.mark.parametrize(
    ("payload", "dark"),
    [
        pytest.param(LOCAL, False, id="local"),
        pytest.param(TIKTOK, False, id="tiktok"),
        pytest.param(LOCAL, True, id="dark"),
    ],
)
def test_decodes_browser_capture(page: Page, kind: str, payload: str, dark: bool) -> None:
    assert qr.decode(capture(page, qr_page(kind, payload, dark=dark))) == payload


@pytest.mark.parametrize("kind", ["img", "canvas", "svg"])
def test_decodes_browser_capture_at_device_scale_2(browser: Browser, kind: str) -> None:
    context = browser.new_context(device_scale_factor=2)
    try:
        shot = capture(context.new_page(), qr_page(kind, TIKTOK))
    finally:
        context.close()
    assert Image.open(io.BytesIO(shot)).width >= 2 * 120  # really captured at twice the CSS size
    assert qr.decode(shot) == TIKTOK


# --- failures a person has to read


def test_blank_image_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "screenshot.png"
    Image.new("RGB", (200, 200), "white").save(path)
    with pytest.raises(QrUnreadable, match=r"no QR code found in .*screenshot\.png"):
        qr.decode(path)


def test_text_file_is_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("not a picture\n")
    with pytest.raises(QrUnreadable, match=r"not an image: .*x\.txt"):
        qr.decode(path)
    with pytest.raises(QrUnreadable, match="not an image"):
        qr.decode(b"not a picture")


def test_truncated_png_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cut.png"
    path.write_bytes(png(render(LOCAL, 200))[:300])
    with pytest.raises(QrUnreadable, match=r"cut\.png"):
        qr.decode(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"no such file: .*x\.png"):
        qr.decode(tmp_path / "x.png")


def test_missing_libzbar_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)  # the import now raises ImportError
    with pytest.raises(MissingDependency, match="apt-get install -y libzbar0") as raised:
        qr.decode(png(render(LOCAL, 120)))
    assert raised.value.exit_code == ExitCode.BAD_INPUT


# --- drawing the code again


def test_write_png_renders_a_clean_code(tmp_path: Path) -> None:
    path = qr.write_png(TIKTOK, tmp_path / "run" / "qr" / "code.png")
    assert path == tmp_path / "run" / "qr" / "code.png"
    image = Image.open(path)
    assert image.format == "PNG"
    assert image.width == (len(modules(TIKTOK)) * 10)  # 10 px per module, quiet zone of 4 included
    assert qr.decode(path) == TIKTOK


def parse_terminal(text: str, *, invert: bool, px: int = 4) -> Image.Image:
    """The half-block drawing back to a bitmap, px per module (a glyph is the terminal's foreground)."""
    halves = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}
    rows: list[list[bool]] = []
    for line in text.split("\n"):
        pairs = [halves[char] for char in line]
        rows += [[upper for upper, _ in pairs], [lower for _, lower in pairs]]
    # Foreground is light on a dark terminal (invert=False), dark on a light one (invert=True).
    pixels = [0 if drawn == invert else 255 for row in rows for drawn in row]
    bitmap = Image.new("L", (len(rows[0]), len(rows)))
    bitmap.putdata(pixels)
    return bitmap.resize((bitmap.width * px, bitmap.height * px), Image.Resampling.NEAREST)


@pytest.mark.parametrize("invert", [False, True])
@pytest.mark.parametrize("payload", [LOCAL, TIKTOK])
def test_terminal_drawing_scans(payload: str, invert: bool) -> None:
    text = qr.terminal(payload, invert=invert)
    lines = text.split("\n")
    assert set(text) <= set(" ▀▄█\n")
    assert len({len(line) for line in lines}) == 1
    assert len(lines) == (len(modules(payload)) + 1) // 2  # two module rows per line
    # The quiet zone is light: drawn on a dark terminal, blank on a light one.
    assert lines[0] == ("█" if not invert else " ") * len(lines[0])
    assert qr.decode(parse_terminal(text, invert=invert)) == payload
