"""A QR corpus made on this machine, nothing downloaded: shared by tests/qr/test_qr*.py and bench/qr_bench.py.

- On-screen captures: codes drawn by Chromium as <img> (a PNG scaled with smoothing), <canvas> (fillRect at a
  fractional module size, at CSS or device resolution) and inline <svg>; plain, dark and low contrast; a centre
  logo of 10-20 % of the symbol's width; with or without the quiet zone (a tight crop); 80-300 CSS px; device
  scale factor 1 and 2; payloads of 40-250 characters. Each is an element screenshot, as connect takes one.
- Synthetic photos (Pillow only): the code on paper, turned and tilted in perspective, blurred, with noise,
  uneven light, and saved as JPEG at quality 40.

Everything is drawn from a seed, so a case is the same on every run; the images are generated per run (the bench
writes them to a temporary folder), never committed.
"""

from __future__ import annotations

import base64
import io
import json
import random
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import qrcode
from PIL import Image, ImageChops, ImageDraw, ImageFilter
from playwright.sync_api import Browser
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M

SCREEN = "on-screen"
SCREEN_LOGO = "on-screen, centre logo"
PHOTO = "photo"

_KINDS = ("img", "canvas", "svg")
_THEMES = ("plain", "dark", "low contrast")


def payload(rng: random.Random, length: int | None = None) -> str:
    """A URL like the ones a Business Center shows: the mock's, TikTok's, or a long one (up to 250 chars)."""
    token = f"{rng.getrandbits(128):032x}"
    shape = rng.choice(("mock", "tiktok", "long")) if length is None else "long"
    if shape == "mock":
        return f"http://127.0.0.1:{rng.randrange(1024, 65536)}/authorize/{token}"
    if shape == "tiktok":
        return (
            f"https://business.tiktok.com/manage/account/authorize?bc_id=7{rng.randrange(10**18):018d}"
            f"&token={token}&ads_only={rng.randrange(2)}"
        )
    url = f"https://business.tiktok.com/manage/account/authorize?bc_id=7{rng.randrange(10**18):018d}&token={token}"
    target = length or rng.randrange(140, 251)
    alphabet = string.ascii_letters + string.digits + "-_"
    while len(url) < target - 8:
        url += f"&{rng.choice('abcdefgh')}{rng.randrange(10)}=" + "".join(rng.choices(alphabet, k=rng.randrange(4, 24)))
    return url[:target]


def matrix(text: str, *, logo: bool = False, border: int = 4) -> list[list[bool]]:
    """The modules; a code that carries a logo uses error correction H (30 %), as logo generators do."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_H if logo else ERROR_CORRECT_M, border=border)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def png(image: Image.Image, *, format: str = "PNG", quality: int = 95) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, quality=quality)
    return buffer.getvalue()


@dataclass(frozen=True)
class Sample:
    """One image of the corpus and the payloads a reader should find in it."""

    name: str
    slice: str
    payloads: tuple[str, ...]
    data: bytes
    note: str = ""


# --- on-screen: drawn by Chromium


@dataclass(frozen=True)
class ScreenCase:
    payload: str
    kind: str  # img, canvas or svg
    css_px: int  # the element's width in CSS pixels
    dpr: int  # device scale factor: 1 or 2
    theme: str  # plain, dark or low contrast
    logo: float = 0.0  # the logo's width as a share of the symbol's width (0: none)
    quiet_zone: bool = True
    png_module_px: int = 4  # img: pixels per module of the PNG the page scales
    hidpi_canvas: bool = False  # canvas: backing store at device pixels (sharp) or CSS pixels (scaled)
    colours: tuple[str, str] = ("#000000", "#ffffff")  # (modules, background)

    @property
    def slice(self) -> str:
        return SCREEN_LOGO if self.logo else SCREEN

    def describe(self) -> str:
        parts = [self.kind, f"{self.css_px}px", f"dpr{self.dpr}", self.theme, f"{len(self.payload)} chars"]
        if self.logo:
            parts.append(f"logo {self.logo:.0%}")
        if not self.quiet_zone:
            parts.append("no quiet zone")
        if self.kind == "img":
            parts.append(f"png {self.png_module_px}px/module")
        if self.kind == "canvas" and self.hidpi_canvas:
            parts.append("hidpi canvas")
        return " ".join(parts)

    def html(self) -> str:
        """A page with the code in <div id="qr">, its logo laid over the centre as a separate element."""
        modules = matrix(self.payload, logo=bool(self.logo), border=4 if self.quiet_zone else 0)
        n = len(modules)
        ink, paper = self.colours
        side = self.css_px
        if self.kind == "img":
            image = Image.new("RGB", (n * self.png_module_px,) * 2, paper)
            draw = ImageDraw.Draw(image)
            m = self.png_module_px
            for y, row in enumerate(modules):
                for x, dark in enumerate(row):
                    if dark:
                        draw.rectangle((x * m, y * m, x * m + m - 1, y * m + m - 1), fill=ink)
            uri = "data:image/png;base64," + base64.b64encode(png(image)).decode()
            code = f'<img src="{uri}" alt="QR code" style="display:block;width:{side}px;height:{side}px">'
        elif self.kind == "canvas":
            scale = "devicePixelRatio" if self.hidpi_canvas else "1"
            code = f"""<canvas style="display:block;width:{side}px;height:{side}px"></canvas><script>{{
                const canvas = document.currentScript.previousElementSibling, scale = {scale};
                canvas.width = canvas.height = Math.round({side} * scale);
                const context = canvas.getContext("2d"), size = canvas.width / {n};
                context.fillStyle = "{paper}"; context.fillRect(0, 0, canvas.width, canvas.height);
                context.fillStyle = "{ink}";
                {json.dumps(modules)}.forEach((row, y) => row.forEach((dark, x) => {{
                    if (dark) context.fillRect(x * size, y * size, size, size);
                }}));
            }}</script>"""
        else:
            path = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(modules) for x, dark in enumerate(row) if dark)
            code = (
                f'<svg viewBox="0 0 {n} {n}" width="{side}" height="{side}" style="display:block">'
                f'<rect width="{n}" height="{n}" fill="{paper}"/><path d="{path}" fill="{ink}"/></svg>'
            )
        logo = ""
        if self.logo:
            symbol = side * (n - (8 if self.quiet_zone else 0)) / n
            width = symbol * self.logo
            # TikTok-like: a black rounded tile in a white ring, a pink and a cyan stroke on it.
            logo = (
                f'<div style="position:absolute;left:50%;top:50%;width:{width:.2f}px;height:{width:.2f}px;'
                f"transform:translate(-50%,-50%);box-sizing:border-box;border:{width * 0.08:.2f}px solid {paper};"
                f'border-radius:22%;background:#000">'
                f'<div style="position:absolute;left:38%;top:18%;width:14%;height:58%;background:#25f4ee"></div>'
                f'<div style="position:absolute;left:44%;top:22%;width:14%;height:58%;background:#fe2c55"></div>'
                f'<div style="position:absolute;left:46%;top:20%;width:12%;height:56%;background:#fff"></div></div>'
            )
        page = "#161823" if self.theme == "dark" else "#ffffff"
        return (
            f"<style>body{{margin:17px;background:{page}}}</style>"
            f'<div id="qr" style="position:relative;width:{side}px;height:{side}px">{code}{logo}</div>'
        )


def screen_cases(count: int, seed: int) -> list[ScreenCase]:
    """`count` varied cases; a quarter carry a centre logo (as in the held-out corpus: 240 of 960)."""
    rng = random.Random(seed)
    cases = []
    for index in range(count):
        theme = _THEMES[index % 3] if rng.random() < 0.6 else "plain"
        if theme == "dark":
            colours = ("#e8e8ea", rng.choice(("#1f1f23", "#121212", "#000000")))
        elif theme == "low contrast":
            ink, paper = rng.randrange(95, 140), rng.randrange(185, 225)
            colours = (f"#{ink:02x}{ink:02x}{ink + 8:02x}", f"#{paper:02x}{paper:02x}{paper:02x}")
        else:
            colours = (rng.choice(("#000000", "#161823", "#333333")), "#ffffff")
        cases.append(
            ScreenCase(
                payload=payload(rng),
                kind=_KINDS[index % 3],
                css_px=rng.randrange(80, 301),
                dpr=rng.choice((1, 2)),
                theme=theme,
                logo=round(rng.uniform(0.10, 0.20), 3) if index % 4 == 3 else 0.0,
                quiet_zone=rng.random() < 0.75,
                png_module_px=rng.choice((1, 2, 4, 10)),
                hidpi_canvas=rng.random() < 0.5,
                colours=colours,
            )
        )
    return cases


def capture_screen(browser: Browser, cases: Iterable[ScreenCase], prefix: str = "screen") -> Iterator[Sample]:
    """Element screenshots of each case, one browser context per device scale factor."""
    cases = list(cases)
    for dpr in sorted({case.dpr for case in cases}):
        context = browser.new_context(device_scale_factor=dpr, viewport={"width": 400, "height": 400})
        try:
            page = context.new_page()
            for index, case in enumerate(cases):
                if case.dpr != dpr:
                    continue
                page.set_content(case.html())
                shot = page.locator("#qr").screenshot(animations="disabled")
                yield Sample(f"{prefix}-{index:04d}", case.slice, (case.payload,), shot, case.describe())
        finally:
            context.close()


# --- synthetic photos: Pillow only


def _perspective_coefficients(
    source: list[tuple[float, float]], target: list[tuple[float, float]]
) -> tuple[float, ...]:
    """The 8 coefficients Image.transform(PERSPECTIVE) wants: they map a target pixel back to the source."""
    rows: list[list[float]] = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
    # Gaussian elimination with partial pivoting on the 8x9 augmented matrix (no numpy in the dependencies).
    for col in range(8):
        pivot = max(range(col, 8), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(8):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return tuple(rows[i][8] / rows[i][i] for i in range(8))


@dataclass(frozen=True)
class PhotoCase:
    payload: str
    seed: int
    logo: bool = False
    width: int = 800
    height: int = 600
    code_share: float = 0.45  # the code's width as a share of the photo's shorter side
    tilt: float = 0.15  # how far the corners move in perspective, as a share of the code's side
    angle: float = 0.0  # degrees
    blur: float = 0.8  # Gaussian radius in pixels
    noise: int = 12  # amplitude of uniform noise, in grey levels
    light: float = 0.5  # the darkest corner's light, as a share of the brightest
    quality: int = 40  # JPEG

    def describe(self) -> str:
        return (
            f"{self.width}x{self.height} code {self.code_share:.0%} tilt {self.tilt:.2f} angle {self.angle:.0f} "
            f"blur {self.blur:.1f} noise {self.noise} light {self.light:.2f} q{self.quality}"
            + (" logo" if self.logo else "")
        )

    def render(self) -> Image.Image:
        rng = random.Random(self.seed)
        modules = matrix(self.payload, logo=self.logo)
        m = 8
        n = len(modules)
        code = Image.new("L", (n * m, n * m), 255)
        draw = ImageDraw.Draw(code)
        for y, row in enumerate(modules):
            for x, dark in enumerate(row):
                if dark:
                    draw.rectangle((x * m, y * m, x * m + m - 1, y * m + m - 1), fill=0)
        if self.logo:  # a dark tile of 18 % of the symbol in a white ring
            symbol = (n - 8) * m
            half = int(symbol * 0.09)
            centre = n * m // 2
            draw.rounded_rectangle(
                (centre - half, centre - half, centre + half, centre + half), radius=half // 3, fill=20, outline=255
            )
        code = code.rotate(self.angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        # Paper: a light grey with a little texture; the code pasted in perspective somewhere on it.
        paper_level = rng.randrange(200, 240)
        photo = Image.new("L", (self.width, self.height), paper_level)
        side = int(min(self.width, self.height) * self.code_share)
        left = rng.randrange(0, self.width - side)
        top = rng.randrange(0, self.height - side)
        jitter = side * self.tilt

        def corner(x: float, y: float) -> tuple[float, float]:
            return (x + rng.uniform(-jitter, jitter) / 2, y + rng.uniform(-jitter, jitter) / 2)

        target = [
            corner(left, top),
            corner(left + side, top),
            corner(left + side, top + side),
            corner(left, top + side),
        ]
        cw, ch = code.size
        source = [(0.0, 0.0), (float(cw), 0.0), (float(cw), float(ch)), (0.0, float(ch))]
        warped = code.transform(
            photo.size,
            Image.Transform.PERSPECTIVE,
            _perspective_coefficients(source, target),
            resample=Image.Resampling.BICUBIC,
            fillcolor=255,
        )
        mask = Image.new("L", code.size, 255).transform(
            photo.size, Image.Transform.PERSPECTIVE, _perspective_coefficients(source, target), fillcolor=0
        )
        photo.paste(ImageChops.multiply(warped, Image.new("L", photo.size, paper_level + 15)), mask=mask)
        photo = photo.filter(ImageFilter.GaussianBlur(self.blur))
        # Uneven light: a linear ramp from `light` to 1 in a random direction, multiplied in.
        ramp = Image.linear_gradient("L").resize((2 * self.width, 2 * self.height)).rotate(rng.uniform(0, 360))
        ramp = ramp.crop((self.width // 2, self.height // 2, self.width * 3 // 2, self.height * 3 // 2))
        low = int(255 * self.light)
        photo = ImageChops.multiply(photo, ramp.point(lambda v: low + (255 - low) * v // 255))
        noise = Image.frombytes("L", photo.size, rng.randbytes(photo.width * photo.height))
        noise = noise.point(lambda v: 128 + (v - 128) * self.noise // 128)
        photo = ImageChops.add(photo, noise, 1.0, -128)
        # A tint, so the JPEG carries colour like a camera's.
        tint = (rng.randrange(235, 256), rng.randrange(230, 256), rng.randrange(215, 250))
        return ImageChops.multiply(photo.convert("RGB"), Image.new("RGB", photo.size, tint))

    def sample(self, name: str) -> Sample:
        return Sample(name, PHOTO, (self.payload,), png(self.render(), format="JPEG", quality=self.quality))


def photo_cases(count: int, seed: int) -> list[PhotoCase]:
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        width, height = rng.choice(((640, 480), (800, 600), (1024, 768), (1280, 960)))
        cases.append(
            PhotoCase(
                payload=payload(rng),
                seed=rng.getrandbits(32),
                logo=rng.random() < 0.3,
                width=width,
                height=height,
                code_share=rng.uniform(0.3, 0.7),
                tilt=rng.uniform(0.0, 0.25),
                angle=rng.uniform(-25, 25),
                blur=rng.uniform(0.0, 1.6),
                noise=rng.randrange(4, 30),
                light=rng.uniform(0.35, 0.9),
            )
        )
    return cases


def photo_samples(count: int, seed: int) -> Iterator[Sample]:
    for index, case in enumerate(photo_cases(count, seed)):
        sample = case.sample(f"photo-{index:04d}")
        yield Sample(sample.name, sample.slice, sample.payloads, sample.data, case.describe())


# --- several codes in one image


def several(payloads: list[str], *, module_px: int = 4, gap: int = 40) -> tuple[Image.Image, list[tuple[int, ...]]]:
    """The codes side by side on a white page; returns the image and each symbol's box (x, y, width, height),
    quiet zone excluded."""
    drawn = []
    for text in payloads:
        modules = matrix(text)
        n = len(modules)
        image = Image.new("L", (n * module_px,) * 2, 255)
        draw = ImageDraw.Draw(image)
        for y, row in enumerate(modules):
            for x, dark in enumerate(row):
                if dark:
                    draw.rectangle(
                        (x * module_px, y * module_px, x * module_px + module_px - 1, y * module_px + module_px - 1),
                        fill=0,
                    )
        drawn.append(image)
    width = sum(image.width for image in drawn) + gap * (len(drawn) + 1)
    height = max(image.height for image in drawn) + 2 * gap
    page = Image.new("L", (width, height), 255)
    boxes = []
    x = gap
    for image in drawn:
        page.paste(image, (x, gap))
        quiet = 4 * module_px
        boxes.append((x + quiet, gap + quiet, image.width - 2 * quiet, image.height - 2 * quiet))
        x += image.width + gap
    return page, boxes
