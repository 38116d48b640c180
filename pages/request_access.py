"""The Request Access dialog: it generates the time-limited QR code the account owner scans."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from runbook.browser.capture import Capture, picture_of
from runbook.core.errors import PageNotReady
from runbook.core.handle import Handle
from runbook.core.tutorial import label_pattern
from runbook.eyes.choice import in_layers
from runbook.eyes.clicks import click_label
from runbook.eyes.driver import Driver
from runbook.eyes.routes import follow
from runbook.eyes.waits import wait_for_any
from runbook.pages.dialogs import Dialog

# A QR code must be shown at least this large (CSS px) to be scanned from a screen; icons are 16-24 px.
QR_MIN_PX = 64
# How long a picture listed in the dialog may take to report its box before it is taken for re-rendered (gone).
PICTURE_GONE_MS = 1000
_CODE_SHOWN = """min => [...document.querySelectorAll('[data-runbook-dialog]')].some(dialog =>
  [...dialog.querySelectorAll('canvas, img, svg')].some(picture => {
    const box = picture.getBoundingClientRect();
    return box.width >= min && box.height >= min;
  }))"""
# The same, inside a frame the dialog holds (evaluated on the frame's body).
_PICTURE_SHOWN = """(body, min) => [...body.querySelectorAll('canvas, img, svg')].some(picture => {
  const box = picture.getBoundingClientRect();
  return box.width >= min && box.height >= min;
})"""
_HOLDS = "(box, element) => box.contains(element)"


def _any(texts: tuple[str, ...]) -> re.Pattern[str]:
    return label_pattern(texts, whole=False)


class AccountField:
    """The field where some versions of the dialog ask which TikTok account may scan ("TikTok username")."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver

    def fill(self, handle: Handle | None) -> None:
        """Where the open dialog asks for the account, and the field is still empty, give the handle."""
        if handle is None:
            return
        driver = self.driver
        labels = driver.tutorial.words("account_fields")
        names = label_pattern(labels, whole=False)
        page = driver.page
        field = page.get_by_role("textbox", name=names).or_(page.get_by_label(names)).filter(visible=True)
        if field.count() != 1:
            # A label drawn as text above the box, tied to nothing: the one text box next to it.
            marked = driver.eyes.field(list(labels), in_layer=True)
            if marked is None:
                return
            field = page.locator(marked)
        if not field.input_value(timeout=driver.timeout_ms):
            field.fill(str(handle), timeout=driver.timeout_ms)


class RequestAccessDialog:
    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        words = driver.tutorial.words
        self.dialog = Dialog(driver, driver.step.texts("dialog_titles"))
        self.qr_name = _any(words("qr_names"))
        self.accepted = _any(words("accepted_texts"))
        self.expired = _any(words("expired_texts"))

    def _surfaces(self) -> list[Locator]:
        """Where the dialog draws: its own box, and the frames inside it (a QR widget from another origin)."""
        surfaces = [self.dialog.box]
        for frame in self.driver.eyes.frames():
            try:
                if self.dialog.box.evaluate(_HOLDS, frame.frame_element(), timeout=PICTURE_GONE_MS):
                    surfaces.append(frame.locator("body"))
            except PlaywrightError:  # gone meanwhile
                continue
        return surfaces

    def code_shown(self) -> bool:
        if self.driver.page.evaluate(_CODE_SHOWN, QR_MIN_PX):
            return True
        return any(surface.evaluate(_PICTURE_SHOWN, QR_MIN_PX) for surface in self._surfaces()[1:])

    def has_generate(self) -> bool:
        found = self.driver.eyes.find(list(self.driver.step.documented.labels), ["content"], 0, names=False)
        return bool(in_layers(found.candidates))

    def generate_qr(self, handle: Handle | None = None) -> RequestAccessDialog:
        """Name the account where the dialog asks for one, then generate the code.

        The wizard shows the code when it opens already: then there is nothing to click.
        """
        shown = wait_for_any(
            self.driver, {"qr": self.code_shown, "generate": self.has_generate}, self.driver.timeout_ms
        )
        if shown != "qr":
            AccountField(self.driver).fill(handle)
            follow(self.driver, "dialog")
        self._wait_for_code()
        return self

    def _wait_for_code(self) -> None:
        """Until the dialog shows a picture the size of a scannable code (icons are far smaller)."""
        if wait_for_any(self.driver, {"qr": self.code_shown}, self.driver.timeout_ms) is None:
            raise PageNotReady("a QR code in the dialog", self.driver.visible_names(), timed_out=True)

    def picture(self) -> Locator:
        """The QR element: the named one (an <img>, or a <canvas>/<svg> with role img, named "QR code"), else the
        largest picture the dialog or a frame in it draws (tag names say what an element is, not how it is styled;
        icons are small), else the whole dialog."""
        surfaces = self._surfaces()
        for surface in surfaces:
            named = surface.get_by_role("img", name=self.qr_name).or_(surface.locator("canvas")).filter(visible=True)
            if named.count() == 1:
                return named
        areas = []
        pictures = [
            each for surface in surfaces for each in surface.locator("canvas, img, svg").filter(visible=True).all()
        ]
        for index, each in enumerate(pictures):
            try:
                # Briefly: a picture the app re-rendered since the list was read is gone (Playwright's default
                # would wait 30 s for it), and the next capture reads the list again.
                box = each.bounding_box(timeout=PICTURE_GONE_MS)
            except PlaywrightError:
                continue
            if box:
                areas.append((box["width"] * box["height"], index))
        return pictures[max(areas)[1]] if areas else self.dialog.box

    def is_open(self) -> bool:
        return self.dialog.is_open()

    def is_expired(self) -> bool:
        return any(surface.get_by_text(self.expired).filter(visible=True).count() for surface in self._surfaces())

    def is_accepted(self) -> bool:
        """The dialog, or a toast or any other layer, says the owner accepted."""
        return any(self.accepted.search(layer.text) for layer in self.driver.eyes.layers())

    def text(self) -> str:
        """What the dialog says (its countdown, say), its frames' words included."""
        return "\n".join(surface.inner_text(timeout=self.driver.timeout_ms) for surface in self._surfaces())

    def capture(self) -> bytes:
        """A screenshot of the QR element alone (the decoder gets the cleanest input that way)."""
        picture = self.picture()
        picture.wait_for(state="visible", timeout=self.driver.timeout_ms)
        # An <img> can be in the page before it is decoded and painted: a screenshot then shows nothing to read.
        picture.evaluate(
            "element => (element.decode ? element.decode().catch(() => null) : null)", timeout=self.driver.timeout_ms
        )
        return picture.screenshot(animations="disabled", timeout=self.driver.timeout_ms)

    def capture_source(self) -> Capture:
        """The QR element's picture from its source, at a scale that holds its modules (what is decoded; the
        screenshot of capture() is what a person sees)."""
        picture = self.picture()
        picture.wait_for(state="visible", timeout=self.driver.timeout_ms)
        return picture_of(picture, self.driver.timeout_ms)

    def capture_dialog(self) -> bytes:
        return self.dialog.box.screenshot(animations="disabled", timeout=self.driver.timeout_ms)

    def refresh(self) -> RequestAccessDialog:
        """After expiry: a new code, from the dialog's Refresh, else by generating again (the step under way is
        the one that generates codes)."""
        if not click_label(self.driver, self.driver.tutorial.words("refresh_buttons"), "dialog"):
            follow(self.driver, "dialog")
        if wait_for_any(self.driver, {"renewed": lambda: not self.is_expired()}, self.driver.timeout_ms) is None:
            raise PageNotReady("the expired QR code to be replaced", self.driver.visible_names(), timed_out=True)
        self._wait_for_code()
        return self

    def close(self) -> None:
        self.dialog.close()
