"""What the mock's markup tests share: the Business Center they open, its pages' entry points, the check that a
page is bare, and reading and accepting the QR code on screen."""

from __future__ import annotations

import re
import urllib.request

from playwright.sync_api import Locator, Page

from runbook import qr as codes
from runbook.fixtures.server import MockBusinessCenter

ORG = "7623379731659948049"

# Every edition the okee front end draws, with the control its TikTok accounts page starts linking with.
ENTRY_POINTS = {
    "tutorial": "Request Access",
    "wizard": "Add a TikTok Account",
    "renamed-menu": "Request Access",
    "add-menu": "Add",
    "no-add-assets": "Request Access",
    "announcement": "Request Access",
    "canvas-qr": "Request Access",
}

# Every element with a role or aria-* attribute, and every element whose tag carries a role or landmark.
_ROLES_AND_LANDMARKS = """() => {
  const semantic = new Set(["NAV", "MAIN", "HEADER", "FOOTER", "ASIDE", "SECTION", "ARTICLE", "H1", "H2", "H3", "H4",
    "H5", "H6", "BUTTON", "A", "TABLE", "TR", "TD", "TH", "UL", "OL", "LI", "P", "DIALOG", "DL", "DT", "DD", "SELECT"]);
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    if (semantic.has(el.tagName)) found.push(`<${el.tagName.toLowerCase()}>`);
    for (const attribute of el.attributes) {
      const named = attribute.name === "role" || attribute.name.startsWith("aria-");
      if (named) found.push(`${el.tagName.toLowerCase()}[${attribute.name}]`);
    }
  }
  return found;
}"""
# What Playwright's accessibility snapshot may still show on a bare page: text, pictures and native inputs.
_BARE_ROLES = {"text", "img", "textbox", "radio", "checkbox", "generic"}


def go(page: Page, path: str) -> None:
    page.goto(f"{path}?org_id={ORG}")


def assert_bare(page: Page) -> None:
    """No role or aria-* attribute, no landmark or other semantic tag, and so no such role in Playwright's eyes."""
    assert page.evaluate(_ROLES_AND_LANDMARKS) == []
    snapshot = page.locator("body").aria_snapshot()
    roles = {line.strip().removeprefix("- ").split(" ")[0].rstrip(":") for line in snapshot.splitlines()}
    assert roles <= _BARE_ROLES, snapshot


def scan(mock: MockBusinessCenter, payload: str) -> int:
    """The owner opens the QR's URL on their phone (accepting); returns the HTTP status."""
    with urllib.request.urlopen(payload, timeout=10) as answer:
        return answer.status


def decoded(picture: Locator) -> str:
    """The payload of the QR picture on screen, once an <img> has its pixels."""
    picture.evaluate("async e => { if (e.decode) await e.decode(); }")
    return codes.decode(picture.screenshot())


def mock_state(mock: MockBusinessCenter) -> dict[str, dict[str, bool]]:
    return mock.state()["accounts"]


def re_class(fragment: str) -> re.Pattern[str]:
    return re.compile(re.escape(fragment))
