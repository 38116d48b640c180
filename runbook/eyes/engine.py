"""The candidate engine: what a person could act on, found in one pass in the page (runbook/eyes/page/*.js), and
when the page has settled (its requests done, its content still) so that a label not there is simply absent.

The in-page engine is four files by concern, joined into the one script the page needs: instrumentation (quiet
time, presses, waits for a change), the DOM model (what an element is to a person), regions (dialogs, the side
menu, the content) and the queries, a method each. It is installed once per document. Page objects use `Eyes`
through the Driver (runbook/eyes/driver.py); they never query the DOM by CSS classes, XPath or positions.
"""

from __future__ import annotations

import contextlib
import itertools
import time
import weakref
from functools import cache
from importlib import resources
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

from runbook.eyes.answers import (
    BoxState,
    Candidate,
    Found,
    Layer,
    Marked,
    MenuItem,
    Readiness,
    RowSeen,
    Scan,
    Seen,
    Signature,
    Stamp,
    own_control,
)
from runbook.eyes.network import QUIET_MS, Network

# Before a label is declared absent on a settled page, the page gets this long (or until it changes) once more.
LAST_LOOK_MS = 50
# Between two looks, wait at most this long for the DOM to change.
LOOK_MS = 250
# While waiting for a click's effect, the page's state is read at least this often besides at every DOM change.
EFFECT_POLL_MS = 100
# A page that shows no animation frame within this long is a background tab (a frame comes every 16 ms in front).
FRAME_PROBE_MS = 100

# The in-page engine's files, in the order they build on each other.
PARTS = ("instrument.js", "dom.js", "regions.js", "queries.js")
# The engine's home in the page: a global the page's own scripts are unlikely to name.
_GLOBAL = "__tiktokRunbookEyes"
_CALL = f"([query, args]) => (window.{_GLOBAL} ? window.{_GLOBAL}[query](args) : null)"

_tokens = itertools.count(1)


@cache
def engine() -> str:
    """The in-page engine as one expression: its parts in one scope, answering with the QUERIES object."""
    folder = resources.files("runbook.eyes").joinpath("page")
    parts = "\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in PARTS)
    return f"(() => {{\n{parts}\nreturn QUERIES;\n}})()"


@cache
def _install() -> str:
    return f"([query, args]) => (window.{_GLOBAL} = {engine()})[query](args)"


def _token(prefix: str) -> str:
    return f"{prefix}{next(_tokens)}"


# How many navigations in a row one query outlives before the error is the answer.
NAVIGATION_RETRIES = 3


def replaced_document(error: PlaywrightError) -> bool:
    """The error of a call whose document a navigation replaced while it ran."""
    message = str(error)
    return "context was destroyed" in message or "navigat" in message.lower()


# Each page's one pair of eyes: drivers that take turns on a page (several accounts' flows on one page, one after
# another) share them, so the page's request listeners are registered once, not once per driver.
_of_page: weakref.WeakKeyDictionary[Page, Eyes] = weakref.WeakKeyDictionary()


class Eyes:
    """Looks at one page: scans for labels, rows, layers; tells whether the page has settled."""

    @classmethod
    def of(cls, page: Page) -> Eyes:
        """The page's eyes, made the first time they are asked for."""
        eyes = _of_page.get(page)
        if eyes is None:
            eyes = _of_page[page] = cls(page)
        return eyes

    def __init__(self, page: Page) -> None:
        self.page = page
        self.network = Network(page)
        # The answer that showed a click's effect (effect_seen): press() reads the presses it counted from it.
        self.last_change: Stamp | None = None
        self._content: tuple[str, int] | None = None  # (document, changes) when the app's content was last seen

    def ask(self, query: str, frame: Frame | None = None, **args: Any) -> dict[str, Any]:
        """One query of the engine in the page's document (or a frame's), installed once per document: sending its
        source with every call (many a second while waiting) cost the browser twice the CPU of the call itself."""
        where = frame or self.page.main_frame
        for attempt in range(NAVIGATION_RETRIES + 1):
            try:
                raw = where.evaluate(_CALL, [query, args])
                if raw is None:  # a new document: install the engine, and call it
                    raw = where.evaluate(_install(), [query, args])
                return raw
            except PlaywrightError as error:
                # A navigation replaced the document mid-query (a redirect to the login page, say): the question
                # is asked again of the document now there, as a person looks again at a page that changed.
                if attempt == NAVIGATION_RETRIES or not replaced_document(error) or where.is_detached():
                    raise
                with contextlib.suppress(PlaywrightError):
                    where.wait_for_load_state("domcontentloaded")
        raise AssertionError("unreachable")  # the loop returns or raises

    def frames(self) -> list[Frame]:
        """The frames a person sees inside the page (a widget from another origin, say), the page's own aside."""
        shown = []
        for frame in self.page.frames[1:]:
            try:
                element = frame.frame_element()
                box = element.bounding_box() if not frame.is_detached() and element.is_visible() else None
                if box is not None and box["width"] > 0 and box["height"] > 0:
                    shown.append(frame)
            except PlaywrightError:  # gone meanwhile
                continue
        return shown

    # -- the document's quiet time ----------------------------------------------------------------------------

    def quiet(self) -> Stamp:
        return Stamp.of(self.ask("quiet"))

    def settled(self, stamp: Stamp, quiet_ms: float = QUIET_MS) -> bool:
        """Quiet for quiet_ms, no request in flight, and the app's own content on screen: a booting app (a spinner,
        a skeleton, scripts still running) is quiet too, and a label missing from it is not absent yet."""
        return stamp.quiet_ms >= quiet_ms and self.network.idle(quiet_ms) and self.shows_content(stamp)

    def shows_content(self, stamp: Stamp) -> bool:
        """Asked only when the page is quiet otherwise, and again only once the document changed."""
        if self._content == (stamp.doc, stamp.mutations):
            return True
        try:
            shows = bool(self.ask("content")["shows"])
        except PlaywrightError:
            return False
        if shows:
            self._content = (stamp.doc, stamp.mutations)
        return shows

    def next_look_ms(self, stamp: Stamp | None, left_ms: float, quiet_ms: float = QUIET_MS) -> float:
        """How long to wait (for a DOM change, at most) before the next look: until the page could have settled,
        not a fixed LOOK_MS later, so that a settled page is seen settled within a frame or two."""
        wait = float(LOOK_MS)
        if stamp is not None:
            network = self.network.quiet_in_ms(quiet_ms)
            if network is not None:
                wait = min(wait, max(quiet_ms - stamp.quiet_ms, network, 5.0))
        return max(1.0, min(left_ms, wait))

    def wait_for_change(self, mutations: int, timeout_ms: float, frame: Frame | None = None) -> None:
        """Until the DOM changes after `mutations` changes, or timeout_ms (then quietly). A navigation away is a
        change too."""
        with contextlib.suppress(PlaywrightError):
            self.ask("change", frame, mutations=mutations, ms=max(1.0, timeout_ms))

    def settle(self, timeout_ms: float, quiet_ms: float = QUIET_MS) -> bool:
        """Until the page has settled (quiet for quiet_ms); False when it was still busy at the timeout."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            try:
                stamp: Stamp | None = self.quiet()
            except PlaywrightError:
                stamp = None
            if stamp is not None and self.settled(stamp, quiet_ms):
                return True
            left = (deadline - time.monotonic()) * 1000
            if left <= 0:
                return False
            self.wait_for_change(stamp.mutations if stamp else -1, self.next_look_ms(stamp, left, quiet_ms))

    # -- looking for labels, until found or until the page has settled without them --------------------------

    def look(
        self,
        labels: list[str],
        prefer: list[str],
        *,
        names: bool = False,
        within: str | None = None,
        frame: Frame | None = None,
    ) -> Scan:
        """`within`: a selector of one of our marks (a list row) that the controls must be inside."""
        token = _token("t")
        raw = self.ask("find", frame, labels=labels, prefer=prefer, token=token, names=names, within=within)
        return Scan(
            token=token,
            candidates=tuple(Candidate(**c) for c in raw["candidates"]),
            names=tuple(Seen(**seen) for seen in raw["names"]),
            layers=tuple(Layer(**layer) for layer in raw["layers"]),
            stamp=Stamp.of(raw),
            frame=frame or self.page.main_frame,
        )

    def _in_frames(self, labels: list[str], prefer: list[str], within: str | None) -> Scan | None:
        """What the page's own document does not have, in the frames it shows (the first that has it)."""
        if within is not None:
            return None
        for frame in self.frames():
            try:
                scan = self.look(labels, prefer, frame=frame)
            except PlaywrightError:  # navigated or gone meanwhile
                continue
            if scan.candidates:
                return scan
        return None

    def find(
        self, labels: list[str], prefer: list[str], timeout_ms: float, *, names: bool = True, within: str | None = None
    ) -> Found:
        """Looks until a candidate shows, the page settles without one (absent), or timeout_ms (timed out).

        A candidate that is only text, or that sits outside the step's own region (and any dialog), is taken
        only once the page has settled: the control itself may still be on its way (a submenu opening, a list
        loading), and the same words elsewhere on the page (a card on the overview) do nothing when clicked."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            scan = self._look_safely(labels, prefer, names, within)
            if scan is not None and not scan.candidates and len(self.page.frames) > 1:
                framed = self._in_frames(labels, prefer, within)
                if framed is not None:
                    return Found(framed, settled=False, timed_out=False)
            if scan is not None and any(own_control(c) for c in scan.candidates):
                return Found(scan, settled=False, timed_out=False)
            left = (deadline - time.monotonic()) * 1000
            if scan is not None and scan.candidates and left <= 0:
                return Found(scan, settled=False, timed_out=False)
            if scan is not None and self.settled(scan.stamp):
                # A busy machine may hold back the page's handling of its last answer: a moment more (a change
                # ends it), one more look, before absent is the verdict. Not two animation frames: a background
                # tab (one page per account) gets about one a second.
                self.wait_for_change(scan.stamp.mutations, LAST_LOOK_MS)
                again = self._look_safely(labels, prefer, names, within)
                if again is not None and (again.candidates or again.stamp.mutations == scan.stamp.mutations):
                    return Found(again, settled=not again.candidates, timed_out=False)
                continue
            if left <= 0:
                return Found(scan or Scan(token=""), settled=False, timed_out=True)
            self.wait_for_change(
                scan.stamp.mutations if scan else -1, self.next_look_ms(scan.stamp if scan else None, left)
            )

    def _look_safely(self, labels: list[str], prefer: list[str], names: bool, within: str | None = None) -> Scan | None:
        try:
            return self.look(labels, prefer, names=names, within=within)
        except PlaywrightError as error:  # a navigation replaced the document mid-look: look again
            if replaced_document(error):
                self.page.wait_for_load_state("domcontentloaded")
                return None
            raise

    def names(self) -> list[Seen]:
        """What a person could act on now, top-most first (role-less controls included), and where each stands."""
        return [Seen(**seen) for seen in self.ask("names")["names"]]

    # -- rows, layers, menus, fields --------------------------------------------------------------------------

    def rows(self, pattern: str, others: str, *, in_layer: bool | None, stop_at_control: bool = False) -> list[RowSeen]:
        """Rows (table rows, list items, repeated blocks) whose text matches `pattern` (a JavaScript pattern); a
        row never spans a text matching `others` besides its own. in_layer: True the top-most dialog, False not in
        any layer. Each row and its box are marked."""
        token = _token("r")
        raw = self.ask(
            "row", pattern=pattern, others=others, in_layer=in_layer, token=token, stop_at_control=stop_at_control
        )
        return [RowSeen(f"{token}-{index}", **row) for index, row in enumerate(raw["rows"])]

    def layers(self) -> list[Layer]:
        return [Layer(**layer) for layer in self.ask("layers")["layers"]]

    def mark_dialog(self, titles: list[str]) -> tuple[str, Layer] | None:
        """Marks the open dialog titled with one of `titles` (else the top-most modal one) for a Locator."""
        token = _token("d")
        raw = self.ask("dialog", titles=titles, token=token)
        return (token, Layer(**raw["dialog"])) if raw["dialog"] else None

    def menu(self) -> bool:
        """Marks the side menu (data-runbook-menu); False when there is none."""
        return bool(self.ask("menu")["menu"])

    def menu_items(self) -> list[MenuItem]:
        """The side menu's visible controls in page order, each marked."""
        token = _token("i")
        items = self.ask("menu_items", token=token)["items"]
        return [
            MenuItem(item["name"], f'[data-runbook-item="{token}-{item["index"]}"]', item["level"], item["expanded"])
            for item in items
        ]

    def triggers(self, prefer: list[str], *, within: str | None = None, icons: bool = False) -> list[Marked]:
        """Controls that may open a menu (at most six), in the regions of `prefer` or a layer, each marked: those
        that say so first; with `icons`, icon-only controls too (a row's nameless "···")."""
        token = _token("m")
        found = self.ask("triggers", prefer=prefer, token=token, within=within, icons=icons)["triggers"]
        return [
            Marked(each["name"], each["region"], f'[data-runbook-trigger="{token}-{each["index"]}"]') for each in found
        ]

    def closer(self) -> str | None:
        """The selector of the top-most dialog's nameless close icon (in its top-right corner), marked; or None."""
        token = _token("x")
        return f'[data-runbook-closer="{token}"]' if self.ask("closer", token=token)["found"] else None

    def field(self, labels: list[str], *, in_layer: bool | None, hinted: bool = False) -> str | None:
        """The selector of the one text box a visible label (one of `labels`) names, marked; None if none. With
        `hinted`, a box whose own hint says one of them (a placeholder "Search…") first. in_layer: True in the
        top-most dialog, False outside every dialog, None anywhere."""
        token = _token("f")
        found = self.ask("field", labels=labels, token=token, in_layer=in_layer, hinted=hinted)["found"]
        return f'[data-runbook-field="{token}"]' if found else None

    # -- a control's state, and whether a click did anything ----------------------------------------------------

    def draws_frames(self) -> bool:
        """False for a background tab of a window (a run with several pages): the full browser's headless mode
        gives it an animation frame about once a second (the headless shell draws every page). One page alone is
        always in front: not asked."""
        if len(self.page.context.pages) <= 1:
            return True
        try:
            return bool(self.ask("draws", ms=FRAME_PROBE_MS))
        except PlaywrightError:
            return True

    def ready(self, mark: str, frame: Frame | None = None) -> Readiness:
        raw = self.ask("ready", frame, token=mark)
        if not raw["attached"]:
            return Readiness(False, False, False, (), False, Stamp.of(raw))
        return Readiness(True, raw["visible"], raw["disabled"], tuple(raw["rect"]), raw["uncovered"], Stamp.of(raw))

    def state(self, mark: str, frame: Frame | None = None) -> BoxState:
        raw = self.ask("state", frame, token=mark)
        if not raw["attached"]:
            return BoxState(False, None, False, Stamp.of(raw))
        return BoxState(True, raw["checked"], raw["disabled"], Stamp.of(raw))

    def signature(self, mark: str, frame: Frame | None = None) -> Signature:
        raw = self.ask("sig", frame, token=mark)
        return Signature(raw["sig"], Stamp.of(raw))

    def pressed_since(self, before: Signature, stamp: Stamp | None = None, frame: Frame | None = None) -> bool | None:
        """Whether the document received a press (pointerdown or click) since `before`; None when it is another
        document by now (a navigation: the click did reach the page). `stamp`: one just read, if any."""
        try:
            stamp = stamp if stamp is not None else Stamp.of(self.ask("quiet", frame))
        except PlaywrightError:
            return None
        if stamp.doc != before.stamp.doc:
            return None
        return stamp.presses > before.stamp.presses

    def effect_seen(self, mark: str, before: str, timeout_ms: float, frame: Frame | None = None) -> bool:
        """True once anything a click can change has changed (URL, dialogs, visible text, the target's state).

        The signature is read again when the DOM changes, and every EFFECT_POLL_MS for what changes without a
        mutation (a checkbox's checked property): not at every frame, which costs the page its CPU."""
        deadline = time.monotonic() + timeout_ms / 1000
        self.last_change = None
        try:
            while True:
                seen = self.signature(mark, frame)
                if seen.sig != before:
                    self.last_change = seen.stamp  # it also says how many presses the page had by then
                    return True
                left = (deadline - time.monotonic()) * 1000
                if left <= 0:
                    return False
                self.wait_for_change(seen.stamp.mutations, min(left, EFFECT_POLL_MS), frame)
        except PlaywrightError as error:  # the document was replaced: a navigation is an effect
            if replaced_document(error):
                return True
            raise
