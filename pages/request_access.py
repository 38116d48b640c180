"""The Request Access dialog: it generates the time-limited QR code the account owner scans."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from runbook.core.errors import PageNotReady
from runbook.core.handle import Handle
from runbook.core.tutorial import label_pattern
from runbook.eyes.controls import Walk, click_label, follow, wait_for_any
from runbook.pages.dialogs import close_dialog, find_dialog, is_open

# A QR code must be shown at least this large (CSS px) to be scanned from a screen; icons are 16-24 px.
QR_MIN_PX = 64
# How long a picture listed in the dialog may take to report its box before it is taken for re-rendered (gone).
PICTURE_GONE_MS = 1000
_CODE_SHOWN = """min => [...document.querySelectorAll('[data-runbook-dialog]')].some(dialog =>
  [...dialog.querySelectorAll('canvas, img, svg')].some(picture => {
    const box = picture.getBoundingClientRect();
    return box.width >= min && box.height >= min;
  }))"""


def name_account(walk: Walk, handle: Handle | None) -> None:
    """Where an open dialog asks which TikTok account may scan, and it is still empty, give the handle."""
    if handle is None:
        return
    labels = walk.step(5).texts("account_fields")
    names = label_pattern(labels, whole=False)
    page = walk.page
    field = page.get_by_role("textbox", name=names).or_(page.get_by_label(names)).filter(visible=True)
    if field.count() != 1:
        # A label drawn as text above the box, tied to nothing: the one text box next to it.
        token = f"f{id(field)}"
        if not walk.eyes.run("field", labels=list(labels), token=token, in_layer=True)["found"]:
            return
        field = page.locator(f'[data-runbook-field="{token}"]')
    if not field.input_value(timeout=walk.timeout_ms):
        field.fill(str(handle), timeout=walk.timeout_ms)


def _any(texts: tuple[str, ...]) -> re.Pattern[str]:
    return label_pattern(texts, whole=False)


class RequestAccessDialog:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        step = walk.step(5)
        self.step = step
        self.dialog: Locator = find_dialog(walk, walk.step(4), step.texts("dialog_titles"))
        # The QR is an <img>, or a <canvas>/<svg> with role img, named "QR code"; failing that, the largest
        # picture in the dialog (tag names say what an element is, not how it is styled; icons are small).
        named_qr = self.dialog.get_by_role("img", name=_any(step.texts("qr_names")))
        self.qr: Locator = named_qr.or_(self.dialog.locator("canvas")).filter(visible=True)
        self.pictures = self.dialog.locator("canvas, img, svg").filter(visible=True)
        self.accepted = _any(walk.step(6).texts("accepted_texts"))
        self.expired_notice = self.dialog.get_by_text(_any(step.texts("expired_texts"))).filter(visible=True)

    def code_shown(self) -> bool:
        return bool(self.walk.page.evaluate(_CODE_SHOWN, QR_MIN_PX))

    def has_generate(self) -> bool:
        found = self.walk.eyes.find(list(self.step.documented.labels), ["content"], 0, names=False)
        return any(c.region.startswith("layer") for c in found.candidates)

    def generate_qr(self, handle: Handle | None = None) -> RequestAccessDialog:
        """Step 5: name the account where the dialog asks for one, then generate the code.

        The wizard shows the code at the end of step 4 already: then there is nothing to click.
        """
        shown = wait_for_any(self.walk, {"qr": self.code_shown, "generate": self.has_generate}, self.walk.timeout_ms)
        if shown != "qr":
            name_account(self.walk, handle)
            follow(self.walk, self.step, "dialog")
        self._wait_for_code()
        return self

    def _wait_for_code(self) -> None:
        """Until the dialog shows a picture the size of a scannable code (icons are far smaller)."""
        if wait_for_any(self.walk, {"qr": self.code_shown}, self.walk.timeout_ms) is None:
            raise PageNotReady(self.step.number, "a QR code in the dialog", self.walk.visible_names(), timed_out=True)

    def picture(self) -> Locator:
        """The QR element: the named one, else the dialog's largest picture, else the whole dialog."""
        if self.qr.count() == 1:
            return self.qr
        pictures = self.pictures.all()
        areas = []
        for index, each in enumerate(pictures):
            try:
                # Briefly: a picture the app re-rendered since the list was read is gone (Playwright's default
                # would wait 30 s for it), and the next capture reads the list again.
                box = each.bounding_box(timeout=PICTURE_GONE_MS)
            except PlaywrightError:
                continue
            if box:
                areas.append((box["width"] * box["height"], index))
        return pictures[max(areas)[1]] if areas else self.dialog

    def is_open(self) -> bool:
        return is_open(self.dialog)

    def is_expired(self) -> bool:
        return self.expired_notice.count() > 0

    def is_accepted(self) -> bool:
        """The dialog, or a toast or any other layer, says the owner accepted."""
        return any(self.accepted.search(layer.text) for layer in self.walk.eyes.layers())

    def capture(self) -> bytes:
        """A screenshot of the QR element alone (the decoder gets the cleanest input that way)."""
        picture = self.picture()
        picture.wait_for(state="visible", timeout=self.walk.timeout_ms)
        # An <img> can be in the page before it is decoded and painted: a screenshot then shows nothing to read.
        picture.evaluate(
            "element => (element.decode ? element.decode().catch(() => null) : null)", timeout=self.walk.timeout_ms
        )
        return picture.screenshot(animations="disabled", timeout=self.walk.timeout_ms)

    def capture_dialog(self) -> bytes:
        return self.dialog.screenshot(animations="disabled", timeout=self.walk.timeout_ms)

    def refresh(self) -> RequestAccessDialog:
        """After expiry: a new code, from the dialog's Refresh, else by generating again."""
        if not click_label(self.walk, self.step, self.step.texts("refresh_buttons"), "dialog"):
            follow(self.walk, self.step, "dialog")
        self.expired_notice.wait_for(state="hidden", timeout=self.walk.timeout_ms)
        self._wait_for_code()
        return self

    def close(self) -> None:
        close_dialog(self.walk, self.dialog, self.walk.step(6))
