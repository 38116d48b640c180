"""The candidate engine: what a person could act on, found in one in-page pass (candidates.js), and when the
page has settled (its requests done, its content still) so that a label not there is simply absent.

Page objects use `Eyes` through the `Driver` (runbook/eyes/driver.py); they never query the DOM by CSS classes, XPath
or positions. The engine marks what it found with our own attributes (`data-runbook-target`,
`data-runbook-layer`, `data-runbook-dialog`) so that clicks go through a Locator and keep Playwright's
actionability checks.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Request

# The page has settled when its DOM has not changed and no request has been in flight for this long.
QUIET_MS = 300
# A request still open after this long (a long poll, a beacon) no longer holds the page unsettled.
STALE_REQUEST_S = 5.0
# Before a label is declared absent on a settled page, the page gets this long (or until it changes) once more.
LAST_LOOK_MS = 50
# Between two looks, wait at most this long for the DOM to change.
LOOK_MS = 250
# While waiting for a click's effect, the page's state is read at least this often besides at every DOM change.
EFFECT_POLL_MS = 100
TARGET = "data-runbook-target"
# A page that shows no animation frame within this long is a background tab (a frame comes every 16 ms in front).
FRAME_PROBE_MS = 100

_tokens = itertools.count(1)


@cache
def engine() -> str:
    source = resources.files("runbook.eyes").joinpath("candidates.js").read_text(encoding="utf-8")
    # One function expression (the file's comments before it are fine), without the statement's semicolon.
    return source.strip().rstrip(";")


# The engine's home in the page: a global the page's own scripts are unlikely to name.
_GLOBAL = "__tiktokRunbookEyes"
_CALL = f"args => (window.{_GLOBAL} ? window.{_GLOBAL}(args) : null)"


@cache
def _install() -> str:
    return f"args => (window.{_GLOBAL} = {engine()})(args)"


@dataclass(frozen=True)
class Candidate:
    """A control that says one of the wanted labels, scored (see candidates.js)."""

    index: int
    label: str
    name: str
    region: str  # "layer0" (top-most dialog or popup), "layer1", …, "content" or "menu"
    rank: int
    kind: str  # "native", "role", "behaves" or "text"
    score: float
    checkable: bool
    checked: bool | None
    disabled: bool
    context: str
    text: str
    tag: str

    def described(self) -> str:
        where = f" in {self.context!r}" if self.context else ""
        return f'{self.tag} "{self.name}"{where}'


@dataclass(frozen=True)
class Before:
    """The page just before a click: what the click can change (sig), which document, how many presses."""

    sig: str
    doc: str
    presses: int


@dataclass(frozen=True)
class Layer:
    index: int
    modal: bool
    title: str
    controls: int
    text: str


@dataclass(frozen=True)
class Scan:
    """One look at the page."""

    token: str
    candidates: tuple[Candidate, ...] = ()
    names: tuple[str, ...] = ()
    layers: tuple[Layer, ...] = ()
    quiet_ms: float = 0.0
    mutations: int = 0
    url: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    def target(self, index: int) -> str:
        return f'[{TARGET}="{self.token}-{index}"]'


class Network:
    """Requests in flight on a page, from Playwright's events (scripts and images included, not only fetch)."""

    def __init__(self, page: Page) -> None:
        self.inflight: dict[Request, float] = {}
        self.last_activity = time.monotonic()
        self.started = 0
        page.on("request", self._start)
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)

    def _start(self, request: Request) -> None:
        self.inflight[request] = self.last_activity = time.monotonic()
        self.started += 1

    def _end(self, request: Request) -> None:
        self.inflight.pop(request, None)
        self.last_activity = time.monotonic()

    def busy(self) -> bool:
        now = time.monotonic()
        return any(now - started < STALE_REQUEST_S for started in self.inflight.values())

    def idle(self, quiet_ms: float = QUIET_MS) -> bool:
        return not self.busy() and (time.monotonic() - self.last_activity) * 1000 >= quiet_ms

    def quiet_in_ms(self, quiet_ms: float = QUIET_MS) -> float | None:
        """How long until the network has been idle for quiet_ms; None while a request is in flight."""
        if self.busy():
            return None
        return max(0.0, quiet_ms - (time.monotonic() - self.last_activity) * 1000)


class Eyes:
    """Looks at one page: scans for labels, rows, layers; tells whether the page has settled."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.network = Network(page)
        # The answer that showed a click's effect (effect_seen): press() reads the presses it counted from it.
        self.last_change: dict[str, Any] | None = None

    # -- one look -------------------------------------------------------------------------------------------------

    def run(self, op: str, **args: Any) -> dict[str, Any]:
        """One op of the engine, installed once per document: sending its source with every call (many a
        second while waiting) cost the browser twice the CPU of the call itself."""
        payload = {"op": op, **args}
        raw = self.page.evaluate(_CALL, payload)
        if raw is None:  # a new document: install the engine, and call it
            raw = self.page.evaluate(_install(), payload)
        return raw

    def look(self, labels: list[str], prefer: list[str], *, names: bool = False, within: str | None = None) -> Scan:
        """`within`: a selector of one of our marks (a list row) that the controls must be inside."""
        token = f"t{next(_tokens)}"
        raw = self.run("find", labels=labels, prefer=prefer, token=token, names=names, within=within)
        return Scan(
            token=token,
            candidates=tuple(Candidate(**c) for c in raw["candidates"]),
            names=tuple(raw.get("names", ())),
            layers=tuple(Layer(**layer) for layer in raw["layers"]),
            quiet_ms=raw["quiet_ms"],
            mutations=raw["mutations"],
            url=raw["url"],
            raw=raw,
        )

    def settled(self, raw: dict[str, Any] | Scan) -> bool:
        return _quiet_ms(raw) >= QUIET_MS and self.network.idle()

    def next_look_ms(self, raw: dict[str, Any] | Scan | None, left_ms: float) -> float:
        """How long to wait (for a DOM change, at most) before the next look: until the page could have settled,
        not a fixed LOOK_MS later, so that a settled page is seen settled within a frame or two."""
        wait = float(LOOK_MS)
        if raw is not None:
            network = self.network.quiet_in_ms()
            if network is not None:
                wait = min(wait, max(QUIET_MS - _quiet_ms(raw), network, 5.0))
        return max(1.0, min(left_ms, wait))

    def wait_for_change(self, mutations: int, timeout_ms: float) -> None:
        """Until the DOM changes after `mutations` changes, or timeout_ms (then quietly). A navigation away is a
        change too."""
        with contextlib.suppress(PlaywrightError):
            self.run("change", mutations=mutations, ms=max(1.0, timeout_ms))

    # -- looking until found, or until the page has settled without it ----------------------------------------

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
            if scan is not None and any(own_control(c) for c in scan.candidates):
                return Found(scan, settled=False, timed_out=False)
            left = (deadline - time.monotonic()) * 1000
            if scan is not None and scan.candidates and left <= 0:
                return Found(scan, settled=False, timed_out=False)
            if scan is not None and self.settled(scan):
                # A busy machine may hold back the page's handling of its last answer: a moment more (a change
                # ends it), one more look, before absent is the verdict. Not two animation frames: a background
                # tab (one page per account) gets about one a second.
                self.wait_for_change(scan.mutations, LAST_LOOK_MS)
                again = self._look_safely(labels, prefer, names, within)
                if again is not None and (again.candidates or again.mutations == scan.mutations):
                    return Found(again, settled=not again.candidates, timed_out=False)
                continue
            if left <= 0:
                return Found(scan or Scan(token=""), settled=False, timed_out=True)
            self.wait_for_change(scan.mutations if scan else -1, self.next_look_ms(scan, left))

    def _look_safely(self, labels: list[str], prefer: list[str], names: bool, within: str | None = None) -> Scan | None:
        try:
            return self.look(labels, prefer, names=names, within=within)
        except PlaywrightError as error:  # a navigation replaced the document mid-look: look again
            if "Execution context was destroyed" in str(error) or "navigation" in str(error).lower():
                self.page.wait_for_load_state("domcontentloaded")
                return None
            raise

    def settle(self, timeout_ms: float) -> bool:
        """Until the page has settled; False when it was still busy at the timeout."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            try:
                raw = self.run("quiet")
            except PlaywrightError:
                raw = None
            if raw is not None and self.settled(raw):
                return True
            left = (deadline - time.monotonic()) * 1000
            if left <= 0:
                return False
            self.wait_for_change(raw["mutations"] if raw else -1, self.next_look_ms(raw, left))

    # -- rows, layers, state ----------------------------------------------------------------------------------

    def rows(
        self, pattern: str, others: str, *, in_layer: bool | None, stop_at_control: bool = False
    ) -> tuple[str, list[dict[str, Any]]]:
        """Rows (table rows, list items, repeated blocks) whose text matches `pattern`; a row never spans a
        text matching `others` besides its own. in_layer: True the top-most dialog, False not in any layer."""
        token = f"r{next(_tokens)}"
        raw = self.run(
            "row", pattern=pattern, others=others, in_layer=in_layer, token=token, stop_at_control=stop_at_control
        )
        return token, raw["rows"]

    def layers(self) -> list[Layer]:
        return [Layer(**layer) for layer in self.run("layers")["layers"]]

    def mark_dialog(self, titles: list[str]) -> tuple[str, Layer] | None:
        """Marks the open dialog titled with one of `titles` (else the top-most modal one) for a Locator."""
        token = f"d{next(_tokens)}"
        raw = self.run("dialog", titles=titles, token=token)
        return (token, Layer(**raw["dialog"])) if raw.get("dialog") else None

    def draws_frames(self) -> bool:
        """False for a background tab of a window (a run with several pages): the full browser's headless mode
        gives it an animation frame about once a second (the headless shell draws every page). One page alone is
        always in front: not asked."""
        if len(self.page.context.pages) <= 1:
            return True
        try:
            return bool(self.run("draws", ms=FRAME_PROBE_MS))
        except PlaywrightError:
            return True

    def ready(self, selector_token: str) -> dict[str, Any]:
        return self.run("ready", token=selector_token)

    def state(self, selector_token: str) -> dict[str, Any]:
        return self.run("state", token=selector_token)

    def signature(self, token: str) -> Before:
        raw = self.run("sig", token=token)
        return Before(raw["sig"], raw["doc"], raw["presses"])

    def pressed_since(self, before: Before, raw: dict[str, Any] | None = None) -> bool | None:
        """Whether the document received a press (pointerdown or click) since `before`; None when it is another
        document by now (a navigation: the click did reach the page). `raw`: an op's answer just read, if any."""
        try:
            raw = raw if raw is not None else self.run("quiet")
        except PlaywrightError:
            return None
        if raw is None or raw["doc"] != before.doc:
            return None
        return raw["presses"] > before.presses

    def menu_items(self) -> tuple[str, list[dict[str, Any]]]:
        """The side menu's visible controls in page order, each marked with data-runbook-item."""
        token = f"i{next(_tokens)}"
        return token, self.run("menu_items", token=token)["items"]

    def triggers(self, prefer: list[str], *, within: str | None = None) -> tuple[str, list[dict[str, Any]]]:
        token = f"m{next(_tokens)}"
        return token, self.run("triggers", prefer=prefer, token=token, within=within)["triggers"]

    def effect_seen(self, token: str, before: str, timeout_ms: float) -> bool:
        """True once anything a click can change has changed (URL, dialogs, visible text, the target's state).

        The signature is read again when the DOM changes, and every EFFECT_POLL_MS for what changes without a
        mutation (a checkbox's checked property): not at every frame, which costs the page its CPU."""
        deadline = time.monotonic() + timeout_ms / 1000
        self.last_change = None
        try:
            while True:
                raw = self.run("sig", token=token)
                if raw["sig"] != before:
                    self.last_change = raw  # it also says how many presses the page had by then
                    return True
                left = (deadline - time.monotonic()) * 1000
                if left <= 0:
                    return False
                self.wait_for_change(raw["mutations"], min(left, EFFECT_POLL_MS))
        except PlaywrightError as error:  # the document was replaced: a navigation is an effect
            if "context was destroyed" in str(error) or "navigat" in str(error):
                return True
            raise


def _quiet_ms(raw: dict[str, Any] | Scan) -> float:
    """How long the DOM had been quiet at a look (a scan, or any op's raw answer)."""
    return raw.quiet_ms if isinstance(raw, Scan) else raw["quiet_ms"]


# candidates.js ranks layers 0, 1, … (top-most dialog first), then 100 + the region's place in `prefer`.
OWN_REGION_RANK = 100


def own_control(candidate: Candidate) -> bool:
    """A control in a dialog or in the step's own region: nothing better can still be coming."""
    return candidate.kind != "text" and candidate.rank <= OWN_REGION_RANK


@dataclass(frozen=True)
class Found:
    scan: Scan
    settled: bool  # the page settled without the label: it is absent
    timed_out: bool  # the page was still busy when the time ran out

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        return self.scan.candidates
