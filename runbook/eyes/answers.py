"""What the in-page engine answers (runbook/eyes/page/*.js), as typed values: no caller reads a raw dict.

Every answer carries a `Stamp` of the document: how long its DOM had been quiet, how many changes it had seen,
and how many presses it had received. The engine marks what it found with our own attributes (data-runbook-*);
each answer names the selector of its mark, so that clicks go through a Locator and keep Playwright's checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Frame, Locator

TARGET = "data-runbook-target"
# The engine's ranks: layers 0, 1, … (top-most dialog first), then 100 + the region's place in `prefer`.
OWN_REGION_RANK = 100


@dataclass(frozen=True)
class Stamp:
    """The document when the engine looked: quiet for quiet_ms after `mutations` changes; `doc` changes with the
    document (a navigation), `presses` counts the pointerdowns and clicks it received."""

    quiet_ms: float = 0.0
    mutations: int = -1
    url: str = ""
    doc: str = ""
    presses: int = 0

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Stamp:
        return cls(raw["quiet_ms"], raw["mutations"], raw["url"], raw["doc"], raw["presses"])


@dataclass(frozen=True)
class Candidate:
    """A control that says one of the wanted labels, scored (see page/queries.js, find)."""

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
    place: str  # its layer or region and the repeated item (a row) it sits in: two of one place do the same
    y: int  # the bottom of its box in the viewport: a dialog's footer is below its corner icon

    def described(self) -> str:
        where = f" in {self.context!r}" if self.context else ""
        return f'{self.tag} "{self.name}"{where}'


def own_control(candidate: Candidate) -> bool:
    """A control in a dialog or in the step's own region: nothing better can still be coming."""
    return candidate.kind != "text" and candidate.rank <= OWN_REGION_RANK


@dataclass(frozen=True)
class Seen:
    """A name a person could act on, and where it stands: its region, and in the side menu its level (0 a top
    entry, 1 an item of an open group)."""

    name: str
    region: str
    level: int = 0


@dataclass(frozen=True)
class Layer:
    """An open dialog or popup over the page."""

    index: int
    modal: bool
    title: str
    controls: int
    text: str


@dataclass(frozen=True)
class Scan:
    """One look for labels, in the page's document or one of its frames: the candidates (the best marked
    `<token>-<index>`), the visible names if asked for."""

    token: str
    candidates: tuple[Candidate, ...] = ()
    names: tuple[Seen, ...] = ()
    layers: tuple[Layer, ...] = ()
    stamp: Stamp = field(default_factory=Stamp)
    frame: Frame | None = None  # where it looked (None: nowhere yet)

    def target(self, index: int) -> str:
        return f'[{TARGET}="{self.token}-{index}"]'

    def locator(self, index: int) -> Locator:
        """The candidate, for a click through Playwright (in the frame it was found in)."""
        assert self.frame is not None, "a scan that looked nowhere has no candidates"
        return self.frame.locator(self.target(index))


@dataclass(frozen=True)
class Found:
    scan: Scan
    settled: bool  # the page settled without the label: it is absent
    timed_out: bool  # the page was still busy when the time ran out

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        return self.scan.candidates


@dataclass(frozen=True)
class Signature:
    """What a click can change, at one look (the URL, the layers, the visible text, the target's state), and the
    document's stamp: the one taken just before a click is compared with later ones to see its effect."""

    sig: str
    stamp: Stamp


@dataclass(frozen=True)
class RowSeen:
    """A repeated item (a table row, a list item, a card) holding the text looked for, and its checkable box."""

    token: str  # the row's mark, and its box's (data-runbook-row / data-runbook-box)
    text: str  # as rendered, lines apart
    words: str  # each text apart from the next (an inline label and the tag after it do not run together)
    has_box: bool
    clickable: bool  # the box shows where a person can click it (its label, or the drawn box)
    checked: bool | None
    disabled: bool

    @property
    def selector(self) -> str:
        return f'[data-runbook-row="{self.token}"]'

    @property
    def box(self) -> str:
        return f'[data-runbook-box="{self.token}"]'


@dataclass(frozen=True)
class BoxState:
    """The checked state of a marked element (None: not a checkable one); not attached when it is gone."""

    attached: bool
    checked: bool | None
    disabled: bool
    stamp: Stamp


@dataclass(frozen=True)
class Readiness:
    """What Playwright checks before a click, read in the page: visible, enabled, where, and not covered."""

    attached: bool
    visible: bool
    disabled: bool
    rect: tuple[int, ...]
    uncovered: bool
    stamp: Stamp


@dataclass(frozen=True)
class Marked:
    """A control a query marked (a menu's trigger): what it is called, the region it is in, and the selector of
    its mark."""

    name: str
    region: str
    selector: str


@dataclass(frozen=True)
class MenuItem:
    """An entry the side menu shows: what it is called, the selector of its mark, how deep it stands (a group's
    entries stand deeper than its title) and, for a group's title that says so, whether the group is open."""

    name: str
    selector: str
    level: int
    expanded: bool | None
