"""What the tests of the library markups (arco and semi: the mock's React front end drawn with Arco Design and
Semi Design) share: the markups, the attributes and classes each library gives its DOM, and the check that
everything the app drew came from the library."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from tests.support.markup import ENTRY_POINTS
from tests.support.matrix import cells

LIBRARIES = ("arco", "semi")
# The mock's own tests of the two libraries: arco every day, semi in the matrix (both draw from one front end,
# static/react/, so a change to it shows in either; the flows in tests/flows/ run semi every day).
LIBRARY_CELLS = cells(LIBRARIES, everyday=["arco"])
# Every edition the React front end draws (all but lookalike), with its TikTok accounts page's entry point.
EDITIONS = {**ENTRY_POINTS, "renamed-confirm": "Request Access", "big": "Request Access", "frame-qr": "Request Access"}
# The <body> attribute of each library's own dark mode.
DARK_ATTRIBUTE = {"arco": "arco-theme", "semi": "theme-mode"}

# Class names the libraries give besides their prefixed ones: react-transition-group's stage classes (Arco's
# animations: "zoomModal-enter-done"), Arco's menu arrow state ("is-open"), and Semi's modal content, which
# joins an unset class in as the word "undefined".
_FOREIGN_CLASSES = re.compile(r"-(appear|enter|exit)(-active|-done)?$|^is-open$|^undefined$")
_CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")

# Every class token on the page, and every text or attribute value in a Chinese script.
_CLASSES_AND_SCRIPTS = """() => {
  const classes = new Set();
  const chinese = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.currentNode; node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      chinese.push(node.data);
      continue;
    }
    for (const token of node.classList) classes.add(token);
    for (const attribute of node.attributes) chinese.push(attribute.value);
  }
  return { classes: [...classes], texts: chinese };
}"""


def assert_drawn_by_library(page: Page, markup: str) -> None:
    """Every class on the page is the library's (its prefix, or a class its dependencies add), and no text or
    attribute is in Chinese (both libraries default to a Chinese locale: each word the app shows is its own)."""
    found = page.evaluate(_CLASSES_AND_SCRIPTS)
    foreign = sorted(c for c in found["classes"] if not c.startswith(f"{markup}-") and not _FOREIGN_CLASSES.search(c))
    assert foreign == []
    assert [text for text in found["texts"] if _CJK.search(text)] == []


def dialog(page: Page, name: str) -> Locator:
    """Both libraries' Modals are role=dialog, named by their title (aria-labelledby)."""
    return page.get_by_role("dialog", name=name)


def button(scope: Page | Locator, label: str) -> Locator:
    """A button by its visible text alone: Semi names its icons (role=img, aria-label "plus"), so a Semi button with
    an icon is named "plus Add Assets", while Arco hides its icons and names it "Add Assets"."""
    return scope.get_by_role("button").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))


def row(page: Page, text: str) -> Locator:
    return page.get_by_role("row").filter(has_text=text)
