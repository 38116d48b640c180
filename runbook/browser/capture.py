"""An element's picture at a known scale, taken from its source rather than from the screen (issue 21).

A screenshot at the page's own scale can lose the picture: a QR code drawn at 64-80 CSS px with a long payload
has about one device pixel per module at device scale 1, and no decoder reads what is not in the pixels. So the
picture is taken where it comes from:

- an <img>: the image itself, at its natural size (a data: URL decoded here; any other URL fetched through the
  page's browser context, so its cookies and its proxy apply);
- a <canvas>: its backing store (toDataURL), whatever size its CSS box is drawn at;
- an <svg>: the element alone, its computed colours written in, rendered on a canvas at SVG_SIDE px, which gives
  at least 4 px per module to the largest QR code there is (version 40: 177 modules and a quiet zone of 8);
- anything else, or when the above fails (a canvas tainted by another origin's image, a page whose policy refuses
  data: images): a screenshot of the element's box at a scale that makes its shorter side SVG_SIDE px (Chromium's
  Page.captureScreenshot with clip.scale, which lays the page out again at that scale rather than enlarging
  pixels); in a browser without CDP, the element's screenshot as it is.
"""

from __future__ import annotations

import base64
import math
import urllib.parse
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

MAX_BYTES = 16 * 1024 * 1024  # a QR code's image is a few KB; a page's huge picture is not one
SVG_SIDE = 4 * (177 + 8)  # px: 4 px per module for a version-40 code with its quiet zone
MAX_SCALE = 12.0  # a 64 px element becomes about 740 px; more would only cost time

# The element's source, read in its own frame. An <svg> is serialised with its computed colours (a page may colour
# it by CSS, which a lone SVG image would not see) and drawn on a canvas on its nearest opaque background.
_SOURCE = """async (element, side) => {
  const tag = element.tagName.toLowerCase();
  if (tag === "img") {
    if (element.decode) await element.decode().catch(() => null);
    return { kind: "img", url: element.currentSrc || element.src };
  }
  if (tag === "canvas") {
    try {
      return { kind: "canvas", data: element.toDataURL("image/png") };
    } catch (error) {
      return { kind: "canvas", error: String(error) };
    }
  }
  if (tag !== "svg") return { kind: tag };
  const box = element.getBoundingClientRect();
  if (!box.width || !box.height) return { kind: "svg", error: "no size" };
  const width = Math.round(box.width >= box.height ? side : side * box.width / box.height);
  const height = Math.round(box.height >= box.width ? side : side * box.height / box.width);
  const clone = element.cloneNode(true);
  const originals = [element, ...element.querySelectorAll("*")];
  const copies = [clone, ...clone.querySelectorAll("*")];
  const kept = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "opacity", "display", "visibility"];
  originals.forEach((original, index) => {
    const style = getComputedStyle(original);
    copies[index].setAttribute("style", kept.map((name) => `${name}:${style.getPropertyValue(name)}`).join(";"));
  });
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("width", width);
  clone.setAttribute("height", height);
  let background = "rgb(255, 255, 255)";
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && colour !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(colour)) { background = colour; break; }
  }
  const image = new Image(width, height);
  image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(clone));
  try {
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    context.fillStyle = background;
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    return { kind: "svg", data: canvas.toDataURL("image/png") };
  } catch (error) {
    return { kind: "svg", error: String(error) };
  }
}"""


@dataclass(frozen=True)
class Capture:
    """The picture to decode, and where it came from: "img", "canvas", "svg" (the source at a known scale),
    "scaled screenshot ×N" or "screenshot" (the element's box on screen)."""

    image: bytes
    source: str


def data_url_bytes(url: str) -> bytes | None:
    """The bytes a data: URL carries (base64 or percent-encoded), None for any other URL or a malformed one."""
    if not url.startswith("data:") or "," not in url:
        return None
    header, _, body = url.partition(",")
    try:
        if header.endswith(";base64"):
            data = base64.b64decode(body, validate=False)
        else:
            data = urllib.parse.unquote_to_bytes(body)
    except ValueError:
        return None
    return data if len(data) <= MAX_BYTES else None


def _fetched(element: Locator, url: str, timeout_ms: float) -> bytes | None:
    """The image at `url`, fetched through the page's context (its cookies and proxy); None when it is no image."""
    if not url.startswith(("http://", "https://")):
        return None
    try:
        answer = element.page.context.request.get(url, timeout=timeout_ms, max_redirects=3)
    except PlaywrightError:
        return None
    kind = answer.headers.get("content-type", "")
    if not answer.ok or not kind.startswith("image/") or "svg" in kind:  # an SVG image: the screenshot draws it
        return None
    body = answer.body()
    return body if len(body) <= MAX_BYTES else None


def _from_source(element: Locator, timeout_ms: float) -> Capture | None:
    try:
        found: dict[str, Any] = element.evaluate(_SOURCE, SVG_SIDE, timeout=timeout_ms)
    except PlaywrightError:
        return None
    kind = str(found.get("kind"))
    if kind == "img":
        url = str(found.get("url") or "")
        if url.startswith("data:image/svg"):  # an SVG image: the scaled screenshot draws it
            data = None
        else:
            data = data_url_bytes(url) if url.startswith("data:") else _fetched(element, url, timeout_ms)
    elif kind in ("canvas", "svg") and found.get("data"):
        data = data_url_bytes(str(found["data"]))
    else:
        data = None
    return Capture(data, kind) if data else None


def scaled_screenshot(element: Locator, timeout_ms: float) -> Capture:
    """The element's box on screen at a scale that makes its shorter side SVG_SIDE device px (Chromium), else the
    element's own screenshot."""
    page = element.page
    try:
        element.scroll_into_view_if_needed(timeout=timeout_ms)
        box = element.bounding_box(timeout=timeout_ms)
        session = page.context.new_cdp_session(page) if box and box["width"] >= 1 and box["height"] >= 1 else None
    except PlaywrightError:  # not Chromium (no CDP), or the element is gone: as the page shows it
        box = session = None
    if box and session:
        # In CSS px: at a device scale above 1 the shot is larger still, which only costs a little decoding time.
        scale = min(MAX_SCALE, max(1.0, math.ceil(SVG_SIDE / min(box["width"], box["height"]))))
        try:
            viewport = session.send("Page.getLayoutMetrics")["cssVisualViewport"]
            clip = {
                "x": box["x"] + viewport["pageX"],
                "y": box["y"] + viewport["pageY"],
                "width": box["width"],
                "height": box["height"],
                "scale": scale,
            }
            shot = session.send("Page.captureScreenshot", {"format": "png", "clip": clip})
            return Capture(base64.b64decode(shot["data"]), f"scaled screenshot ×{scale:g}")
        except PlaywrightError:
            pass
        finally:
            session.detach()
    return Capture(element.screenshot(animations="disabled", timeout=timeout_ms), "screenshot")


def picture_of(element: Locator, timeout_ms: float) -> Capture:
    """The element's picture from its source, else from the screen at a scale that holds it (module docstring)."""
    return _from_source(element, timeout_ms) or scaled_screenshot(element, timeout_ms)
