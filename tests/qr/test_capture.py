"""An element's picture from its source (runbook/browser/capture.py): a 64 CSS px code of a 250-character payload
at error correction H, at device scale 1, where the element's own screenshot holds less than a pixel per module."""

from __future__ import annotations

import base64
import http.server
import threading
from collections.abc import Iterator

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page

from runbook import qr
from runbook.browser.capture import Capture, data_url_bytes, picture_of
from runbook.core.errors import QrUnreadable
from tests.support import qr_corpus as corpus
from tests.support.matrix import cells

PAYLOAD = "https://business.tiktok.com/manage/account/authorize?token=" + "x" * 190
SIDE = 64
MODULES = corpus.matrix(PAYLOAD, logo=True)  # error correction H, quiet zone of 4


def _image_png() -> bytes:
    """The code at 4 px per module, the way an <img>'s file holds it."""
    n = len(MODULES)
    image = Image.new("L", (n * 4, n * 4), 255)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(MODULES):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle((x * 4, y * 4, x * 4 + 3, y * 4 + 3), fill=0)
    return corpus.png(image)


PNG = _image_png()
DATA_URI = "data:image/png;base64," + base64.b64encode(PNG).decode()


@pytest.fixture
def image_url() -> Iterator[str]:
    """The code's PNG served over http on a free port, as a page's <img src="https://..."> is."""

    class Serve(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Serve)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/code.png"
    server.shutdown()


def _canvas(taint: str = "") -> str:
    """A canvas drawn at 4 px per module and shown at SIDE px; `taint` draws another origin's image on it first."""
    taint_js = f'const other = new Image(); other.src = "{taint}"; await other.decode(); g.drawImage(other, 0, 0);'
    return f"""<canvas id="code" style="width:{SIDE}px;height:{SIDE}px"></canvas><script type="module">
      const canvas = document.getElementById("code"), rows = {MODULES!r}.map(r => r.map(Boolean));
      canvas.width = canvas.height = rows.length * 4;
      const g = canvas.getContext("2d");
      {taint_js if taint else ""}
      g.fillStyle = "#fff"; g.fillRect(0, 0, canvas.width, canvas.height); g.fillStyle = "#000";
      rows.forEach((row, y) => row.forEach((dark, x) => dark && g.fillRect(x * 4, y * 4, 4, 4)));
      canvas.dataset.drawn = "1";
    </script>""".replace("True", "true").replace("False", "false")


def _svg() -> str:
    """An svg coloured by the page's stylesheet, not by its own attributes."""
    n = len(MODULES)
    path = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(MODULES) for x, dark in enumerate(row) if dark)
    return (
        "<style>.paper{fill:#fff}.ink{fill:#161823}</style>"
        f'<svg id="code" viewBox="0 0 {n} {n}" width="{SIDE}" height="{SIDE}">'
        f'<rect class="paper" width="{n}" height="{n}"/><path class="ink" d="{path}"/></svg>'
    )


def _div() -> str:
    """No picture element: a div whose background is the code (the scaled screenshot's case)."""
    style = f"width:{SIDE}px;height:{SIDE}px;background:url({DATA_URI}) 0 0/{SIDE}px {SIDE}px"
    return f'<div id="code" style="{style}"></div>'


CASES = ["img data", "img url", "canvas", "tainted canvas", "svg", "div"]
SOURCES = {
    "img data": "img",
    "img url": "img",
    "canvas": "canvas",
    "tainted canvas": "scaled screenshot ×12",
    "svg": "svg",
    "div": "scaled screenshot ×12",
}


@pytest.mark.parametrize("case", cells(CASES, everyday=["img url", "svg"]))
def test_the_picture_comes_from_its_source_at_a_scale_that_holds_it(case: str, page: Page, image_url: str) -> None:
    page.set_viewport_size({"width": 400, "height": 300})
    html = {
        "img data": f'<img id="code" src="{DATA_URI}" width="{SIDE}" height="{SIDE}" alt="QR code">',
        "img url": f'<img id="code" src="{image_url}" width="{SIDE}" height="{SIDE}" alt="QR code">',
        "canvas": _canvas(),
        "tainted canvas": _canvas(taint=image_url),
        "svg": _svg(),
        "div": _div(),
    }[case]
    # Below the fold, so the scaled screenshot has to scroll to it and place its clip in the page's coordinates.
    page.set_content(f'<body style="margin:0"><div style="height:700px"></div>{html}</body>')
    element = page.locator("#code")
    if "canvas" in case:
        page.wait_for_selector("#code[data-drawn]")
    with pytest.raises(QrUnreadable):  # as the page shows it at device scale 1: under a pixel per module
        qr.decode(element.screenshot())
    captured = picture_of(element, 5000)
    assert isinstance(captured, Capture)
    assert captured.source == SOURCES[case]
    assert qr.decode(captured.image) == PAYLOAD


def test_data_urls_are_read_in_both_encodings_and_others_are_not() -> None:
    assert data_url_bytes("data:image/png;base64,aGVsbG8=") == b"hello"
    assert data_url_bytes("data:text/plain,a%20b") == b"a b"
    assert data_url_bytes("https://example.com/a.png") is None
    assert data_url_bytes("data:no-comma") is None
