"""Controls and pictures that live in a frame from another origin (a QR code widget), or in an open shadow root:
the engine looks there too, and clicks what it finds there where it is."""

from __future__ import annotations

import base64
import io

import qrcode
from playwright.sync_api import Page

from runbook import qr
from runbook.core import tutorial
from runbook.eyes.driver import Driver
from runbook.eyes.routes import follow
from runbook.pages.request_access import RequestAccessDialog

APP = "http://app.test/"
WIDGET = "http://widget.test/qr"  # another host: another origin, out of the page's script's reach


def png(payload: str) -> str:
    image = qrcode.make(payload, box_size=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# The widget draws the code it is given, and on expiry a cover with Refresh, which asks its parent for a new one.
WIDGET_HTML = """<body style="margin:0"><div id="code"></div><p id="left">Expires in 1:59</p><script>
  const draw = (src) => { code.innerHTML = `<img alt="QR code" width="180" height="180" src="${src}">`; };
  addEventListener("message", (event) => {
    if (event.data.type === "qr") { draw(event.data.src); left.textContent = "Expires in 1:59"; }
    if (event.data.type === "expired") {
      left.innerHTML = 'QR code has expired <button onclick="parent.postMessage({type: \\'refresh\\'}, \\'*\\')">'
        + 'Refresh</button>';
    }
  });
</script></body>"""

APP_HTML = """<main><h1>TikTok accounts</h1></main>
<div style="position:fixed;inset:0;background:rgba(0,0,0,.4)"><div role="dialog" aria-label="Request Access"
  style="margin:40px auto;width:420px;background:#fff;padding:12px"><p>Ask the account owner to scan the code.</p>
  <iframe id="widget" src="WIDGET" width="220" height="260" style="border:0"></iframe>
  <button>Cancel</button></div></div>
<script>
  const codes = ["FIRST", "SECOND"];
  let shown = 0;
  widget.addEventListener("load", () => widget.contentWindow.postMessage({type: "qr", src: codes[0]}, "*"));
  addEventListener("message", (event) => {
    if (event.data.type === "refresh") widget.contentWindow.postMessage({type: "qr", src: codes[++shown]}, "*");
  });
  window.expire = () => widget.contentWindow.postMessage({type: "expired"}, "*");
</script>"""


def open_app(page: Page) -> RequestAccessDialog:
    first, second = png("https://business.tiktok.com/first"), png("https://business.tiktok.com/second")
    app = APP_HTML.replace("WIDGET", WIDGET).replace('"FIRST"', f'"{first}"').replace('"SECOND"', f'"{second}"')
    page.route(APP, lambda route: route.fulfill(body=app, content_type="text/html"))
    page.route(WIDGET, lambda route: route.fulfill(body=WIDGET_HTML, content_type="text/html"))
    page.goto(APP)
    driver = Driver(page, tutorial.load(), timeout_ms=5_000)
    driver.begin(tutorial.load().step(4))
    dialog = RequestAccessDialog(driver)
    driver.begin(tutorial.load().step(5))
    return dialog


def test_a_qr_code_in_a_frame_from_another_origin_is_seen_read_and_renewed(page: Page) -> None:
    dialog = open_app(page)
    dialog._wait_for_code()
    assert qr.decode(dialog.capture()) == "https://business.tiktok.com/first"
    assert "Expires in 1:59" in dialog.text()  # the countdown is the widget's
    assert not dialog.is_expired()
    page.evaluate("expire()")
    assert dialog.is_expired()
    dialog.refresh()  # its Refresh is inside the frame
    assert qr.decode(dialog.capture()) == "https://business.tiktok.com/second"


def test_a_control_in_an_open_shadow_root_is_clicked(page: Page) -> None:
    page.set_content(
        "<main><h1>Ad accounts</h1><div id='host'></div></main><script>window.clicked = [];"
        "const root = host.attachShadow({mode: 'open'});"
        "root.innerHTML = '<button>Add Assets</button>';"
        "root.querySelector('button').onclick = () => { clicked.push(1); document.body.append('done'); };</script>"
    )
    driver = Driver(page, tutorial.load(), timeout_ms=5_000)
    driver.begin(tutorial.load().step(8))
    follow(driver, "page")
    assert page.evaluate("() => window.clicked") == [1]


def test_a_click_in_a_shadow_root_is_confirmed_by_its_own_state(page: Page) -> None:
    """A toggle in a shadow root whose click changes nothing but its own state (aria-expanded): that change is
    the effect, read through the shadow root, so the click is neither repeated nor reported as doing nothing."""
    page.set_content(
        "<main><h1>Ad accounts</h1><div id='host'></div></main><script>window.clicked = [];"
        "const root = host.attachShadow({mode: 'open'});"
        "root.innerHTML = '<button aria-expanded=\"false\">Add Assets</button>';"
        "const button = root.querySelector('button');"
        "button.onclick = () => { clicked.push(1); button.setAttribute('aria-expanded', 'true'); };</script>"
    )
    driver = Driver(page, tutorial.load(), timeout_ms=3_000)
    driver.begin(tutorial.load().step(8))
    follow(driver, "page")
    assert page.evaluate("() => window.clicked") == [1]
