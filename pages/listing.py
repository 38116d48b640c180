"""A list that shows a page of its rows at a time (an agency's Business Center holds up to 800 TikTok accounts):
its search box, where there is one, and its pages, turned one by one. A person looking for one account types it
into the search box; one who reads them all turns the pages."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Error as PlaywrightError

from runbook.core.errors import StepProblem
from runbook.eyes.answers import Candidate, Found
from runbook.eyes.choice import choose
from runbook.eyes.clicks import press
from runbook.eyes.driver import Driver
from runbook.eyes.waits import wait_for_any

# Whether the page, or a box around one of the rows, has more to show when scrolled.
_SCROLLS = """(rows) => {
  const more = (el) => el.scrollHeight > el.clientHeight + 1;
  const page = document.scrollingElement || document.documentElement;
  if (more(page)) return true;
  for (const selector of rows) {
    for (let el = document.querySelector(selector); el && el !== page; el = el.parentElement) {
      if (/(auto|scroll)/.test(getComputedStyle(el).overflowY) && more(el)) return true;
    }
  }
  return false;
}"""


class Listing:
    """`in_dialog`: the list of the top-most dialog (Add Assets), else the page's own, outside every dialog."""

    def __init__(self, driver: Driver, *, in_dialog: bool = False) -> None:
        self.driver = driver
        self.in_dialog = in_dialog
        self.searched = ""

    def search(self, text: str, shows: Callable[[str], bool]) -> bool:
        """Types `text` into the list's search box, if it has one, and waits until the list shows what it found
        (`shows(text)`: every row it shows is about `text`, or none is). False when there is no search box."""
        driver = self.driver
        marked = self._search_box()
        if marked is None:
            return False
        box = driver.page.locator(marked)
        if box.input_value(timeout=driver.timeout_ms) != text:
            box.fill(text, timeout=driver.timeout_ms)
        self.searched = text
        # An app filters as it is typed into, or after a pause, or after asking its server: until the rows it shows
        # answer the search, what shows is the list from before.
        wait_for_any(driver, {"found": lambda: shows(text)}, driver.timeout_ms)
        driver.eyes.settle(driver.timeout_ms)
        return True

    def clear(self, shows_all: Callable[[], bool]) -> None:
        """Empties the search box again (before reading every row), and waits until the list shows them all."""
        if self.searched:
            self.searched = ""
            self.search("", lambda _: shows_all())

    def whole(self, rows: list[str]) -> bool:
        """The list shows all its rows: nothing searched for, no next page or more rows to show, and nothing to
        scroll (a virtual list draws only the rows in view; an endless one loads more as it scrolls). An account
        it does not show then is not in it, without asking its search box (a round trip to the server).
        `rows`: selectors of the rows it shows."""
        return (
            not self.searched
            and not self._filtered()
            and self._next() is None
            and not self.driver.page.evaluate(_SCROLLS, rows)
        )

    def _filtered(self) -> bool:
        """The search box holds text the app kept from before (some keep a list's filter across pages)."""
        marked = self._search_box()
        return marked is not None and bool(self.driver.page.locator(marked).input_value(timeout=self.driver.timeout_ms))

    def _search_box(self) -> str | None:
        driver = self.driver
        return driver.eyes.field(list(driver.tutorial.words("search_fields")), in_layer=self.in_dialog, hinted=True)

    def _next(self) -> tuple[Found, Candidate] | None:
        """The control that shows the next page or more rows, where it can be pressed."""
        labels = list(self.driver.tutorial.words("next_page_buttons"))
        found = self.driver.eyes.find(labels, ["layer0"] if self.in_dialog else ["content"], 0, names=False)
        here = [c for c in found.candidates if c.region.startswith("layer") == self.in_dialog]
        try:
            chosen = choose(here, labels)
        except StepProblem:
            return None  # two "Next" that would do different things: not a page turner
        if chosen is None or chosen.disabled:
            return None
        return found, chosen

    def next_page(self) -> bool:
        """Turns to the next page: False on the last one (the control disabled, or gone), or without pages."""
        driver = self.driver
        turner = self._next()
        if turner is None:
            return False
        found, chosen = turner
        try:
            press(driver, found.scan, chosen, lambda: None, outline=False)
        except (StepProblem, PlaywrightError):
            return False  # clicked and nothing turned: the last page's control, drawn as if it could
        driver.eyes.settle(driver.timeout_ms)
        return True
