"""runbook.qr: decoding on-screen captures of the Business Center's QR code, and drawing it again.

Every image is generated here: rendered with smoothing at the sizes a page shows, drawn by Chromium (a few hard
cases of tests/support/qr_corpus.py, whose full corpus bench/qr_bench.py measures), or synthetic photos.
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path
from typing import Any

import pytest
import qrcode
from PIL import Image, ImageDraw, ImageOps
from playwright.sync_api import Browser
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M

from runbook import qr
from runbook.core.errors import BadInput, ExitCode, MissingDependency, QrUnreadable
from runbook.qr import engines as qr_engines
from runbook.qr import picture as qr_picture
from runbook.qr import reading as qr_reading
from runbook.qr import retries as qr_retries
from tests.support import qr_corpus as corpus

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


# --- the order of engines: zxing-cpp first, pyzbar after it


def read_by(image: Image.Image | bytes) -> str:
    return qr.decode_all(image, every=False)[0].read_by


def test_zxing_reads_a_plain_capture_first() -> None:
    assert read_by(render(TIKTOK, 200)) == "zxing-cpp: plain"


def test_pyzbar_reads_when_zxing_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in zxing that reads nothing: pyzbar's plain attempt comes right after zxing's two."""
    available = qr_engines.engines()
    blind = qr_engines.Engine("zxing-cpp", qr_engines.ZXING_HINT, lambda image: [])
    monkeypatch.setattr(qr_reading, "engines", lambda: qr_engines.Engines(blind, blind, available.zbar))
    assert read_by(render(LOCAL, 200)) == "pyzbar: plain"


# --- pyzbar's retries, which also carry on when zxing-cpp is not installed: plain pyzbar fails on each case,
# and that exact stage is the first to read it.

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


@pytest.fixture
def without_zxing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "zxingcpp", None)  # the import now raises ImportError
    monkeypatch.setattr(qr_engines, "_noted", set())


@pytest.mark.parametrize(
    ("stage", "payload", "options"),
    [
        pytest.param(stage, payload, options, id=f"{stage}-{i}")
        for stage, cases in STAGE_CASES.items()
        for i, (payload, options) in enumerate(cases)
    ],
)
def test_pyzbar_retry_stage_is_needed(stage: str, payload: str, options: dict[str, Any], without_zxing: None) -> None:
    image = render(payload, **options)
    zbar = qr_engines.engines().zbar
    assert zbar is not None
    assert zbar.read(qr_picture.load(image)[0]) == []  # plain pyzbar
    decoded = qr.decode_all(image, every=False)[0]
    assert (decoded.payload, decoded.read_by) == (payload, f"pyzbar: {stage}")


def test_every_pyzbar_retry_stage_has_a_case(without_zxing: None) -> None:
    """A new stage must come with a capture that only it reads, so no stage is dead code."""
    with_quiet_zone = qr_picture.load(render(LOCAL, 120))[0]
    without = qr_picture.load(render(LOCAL, 120, border=0))[0]
    available = qr_engines.engines()
    stages = {a.name for grey in (with_quiet_zone, without) for a in qr_retries.attempts(grey, available)}
    assert stages - {"plain"} == set(STAGE_CASES)


def test_zxing_retries_read_a_small_logo_code_plain_zxing_misses() -> None:
    """A 95 CSS px code of 212 characters with a logo: 1.5 px per module, read only after a 2x upscale."""
    image = render(TIKTOK + "&padding=" + "x" * 60, 96, logo=True, resample=BILINEAR)
    zxing = qr_engines.engines().zxing
    assert zxing is not None
    assert zxing.read(qr_picture.load(image)[0]) == []
    decoded = qr.decode_all(image, every=False)[0]
    assert decoded.payload.startswith(TIKTOK)
    assert decoded.read_by != "zxing-cpp: plain"


# --- several codes in one image


def test_every_code_in_an_image_with_its_position() -> None:
    payloads = [LOCAL, TIKTOK, LOCAL.replace("3f2a", "0000")]
    image, boxes = corpus.several(payloads)
    codes = qr.decode_all(png(image))
    assert [code.payload for code in codes] == payloads  # left to right
    for code, (x, y, width, height) in zip(codes, boxes, strict=True):
        assert abs(code.x - x) <= 2 and abs(code.y - y) <= 2
        assert abs(code.width - width) <= 3 and abs(code.height - height) <= 3


def test_the_same_payload_twice_is_two_codes() -> None:
    image, _ = corpus.several([LOCAL, LOCAL])
    assert [code.payload for code in qr.decode_all(image)] == [LOCAL, LOCAL]


def test_codes_come_in_reading_order_even_a_pixel_apart() -> None:
    def at(name: str, x: int, y: int) -> qr.Code:
        return qr.Code(name, x, y, 100, 100)

    codes = [at("row 2 right", 200, 150), at("row 1 right", 200, 9), at("row 1 left", 0, 10), at("row 2 left", 0, 149)]
    assert [code.payload for code in qr_reading._reading_order(codes)] == [
        "row 1 left",
        "row 1 right",
        "row 2 left",
        "row 2 right",
    ]


def test_decode_returns_the_first_code_only() -> None:
    image, _ = corpus.several([TIKTOK, LOCAL])
    assert qr.decode(image) in (TIKTOK, LOCAL)


# --- captures taken in Chromium: a few of the corpus's hardest kinds (bench/qr_bench.py runs hundreds)

DARK = ("#e8e8ea", "#1f1f23")
GREY = ("#7a7a82", "#c8c8c8")
LONG = corpus.payload(random.Random(1), 250)
HARD_SCREEN_CASES = [
    corpus.ScreenCase(TIKTOK, "img", 120, 1, "plain", logo=0.20),
    corpus.ScreenCase(TIKTOK, "canvas", 110, 1, "dark", logo=0.20, quiet_zone=False, colours=DARK),
    corpus.ScreenCase(TIKTOK, "svg", 100, 1, "low contrast", logo=0.18, colours=GREY),
    corpus.ScreenCase(LOCAL, "canvas", 80, 2, "dark", quiet_zone=False, colours=DARK),
    corpus.ScreenCase(LONG, "img", 160, 1, "plain", png_module_px=1),
    corpus.ScreenCase(LONG, "canvas", 150, 2, "low contrast", logo=0.15, colours=GREY),
    corpus.ScreenCase(LOCAL, "svg", 80, 1, "low contrast", quiet_zone=False, colours=GREY),
]


def test_decodes_hard_browser_captures(browser: Browser) -> None:
    samples = list(corpus.capture_screen(browser, HARD_SCREEN_CASES))
    assert len(samples) == len(HARD_SCREEN_CASES)
    assert any(Image.open(io.BytesIO(s.data)).width >= 2 * 80 for s in samples)  # DPR 2 really doubles pixels
    unread = [s.note for s in samples if qr.decode(s.data) != s.payloads[0]]
    assert unread == []


# --- synthetic photos: perspective, blur, noise, uneven light, JPEG q40

HARD_PHOTOS = [
    corpus.PhotoCase(TIKTOK, seed=1, code_share=0.4, tilt=0.2, angle=20, blur=1.2, noise=20, light=0.4),
    corpus.PhotoCase(TIKTOK, seed=2, logo=True, code_share=0.5, tilt=0.15, angle=-15, blur=0.8, noise=15, light=0.5),
    corpus.PhotoCase(LOCAL, seed=3, width=1280, height=960, code_share=0.3, angle=8, blur=1.0, noise=10, light=0.6),
]


@pytest.mark.parametrize("case", HARD_PHOTOS, ids=lambda case: case.describe())
def test_decodes_synthetic_photo(case: corpus.PhotoCase) -> None:
    assert qr.decode(case.sample("photo").data) == case.payload


# --- failures a person has to read


def test_blank_image_is_unreadable_not_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "screenshot.png"
    Image.new("RGB", (200, 200), "white").save(path)
    with pytest.raises(QrUnreadable, match=r"no QR code found in .*screenshot\.png") as raised:
        qr.decode(path)
    assert not isinstance(raised.value, BadInput)
    assert raised.value.exit_code == ExitCode.STEP_FAILED


def test_missing_libzbar_carries_on_with_zxing(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)  # the import now raises ImportError
    monkeypatch.setattr(qr_engines, "_noted", set())
    assert qr.decode(png(render(LOCAL, 120))) == LOCAL
    assert qr.decode(png(render(TIKTOK, 120))) == TIKTOK
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "apt-get install -y libzbar0" in lines[0]  # said once


def test_missing_zxing_carries_on_with_pyzbar(without_zxing: None, capsys) -> None:
    assert qr.decode(png(render(LOCAL, 120))) == LOCAL
    assert "pip install zxing-cpp" in capsys.readouterr().err


def test_no_decoder_at_all_names_both_installs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    with pytest.raises(MissingDependency, match=r"pip install zxing-cpp.*apt-get install -y libzbar0") as raised:
        qr.decode(png(render(LOCAL, 120)))
    assert raised.value.exit_code == ExitCode.BAD_INPUT


def test_zbar_wrong_character_set_guess_is_undone() -> None:
    """zbar reads UTF-8 bytes as Shift-JIS and returns its UTF-8: 'é' comes back as 'ﾃｩ'."""
    mangled = "héllo".encode().decode("shift_jis").encode()
    assert qr_engines._zbar_text(mangled) == "héllo"
    assert qr_engines._zbar_text("日本".encode()) == "日本"  # real Shift-JIS text stays as zbar read it
    assert qr_engines._zbar_text(b"https://a.b/c") == "https://a.b/c"


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
    # two module rows per line; error correction L and a quiet zone of 2 (the PNG's are M and 4)
    assert len(lines) == (len(modules(payload, error_correction=ERROR_CORRECT_L, border=2)) + 1) // 2
    # The quiet zone is light: drawn on a dark terminal, blank on a light one.
    assert lines[0] == ("█" if not invert else " ") * len(lines[0])
    assert qr.decode(parse_terminal(text, invert=invert)) == payload
