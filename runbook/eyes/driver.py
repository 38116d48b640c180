"""The driver: takes the tutorial's steps on one page as a person would, and remembers how each was taken.

Page objects hold a Driver and read their labels from the step in progress (`driver.step`), which the step engine
sets (runbook/steps/run.py); they never name a step by its number. The Driver records which route each step took
(`matched`), the words a drifted label was found under (`substitutes`), and hands the control a step is about to
click to `on_target` (verify and guide outline it in a screenshot).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from runbook.core.tutorial import Route, Step, StepKey, Tutorial
from runbook.eyes.answers import Seen
from runbook.eyes.choice import suggest
from runbook.eyes.engine import Eyes


@dataclass(frozen=True)
class Match:
    """How a step was taken. For any route but the documented one, `nearest` starts with that route's first
    label, followed by the visible names most like the documented label."""

    route: Route
    nearest: list[str] = field(default_factory=list)


def _ignore(step: Step, control: Locator) -> None:
    return None


@dataclass
class Driver:
    page: Page
    tutorial: Tutorial
    timeout_ms: float = 15_000
    explore: bool = False  # verify: when no known route matches, go on with the nearest visible control
    # Called with the control a step is about to click first (verify and guide outline it in a screenshot).
    on_target: Callable[[Step, Locator], None] = _ignore
    # A documented label found under another name (verify): "Accounts" → "Assets" at step 2 is the first
    # guess when step 7 misses "Accounts" again.
    substitutes: dict[str, str] = field(default_factory=dict)
    # Announcements dismissed on the runbook's behalf so far (pages/announcements.py): a click that one of them
    # interrupted may have found its control gone (PathUndone).
    interruptions: int = 0
    matched: dict[StepKey, Match] = field(default_factory=dict)  # the route each step took, by its key
    eyes: Eyes = field(init=False)
    _step: Step | None = field(default=None, init=False)
    _targeted: set[StepKey] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        self.eyes = Eyes.of(self.page)

    def move_to(self, page: Page) -> None:
        """Go on on another page (an account's flow taken up on whichever page is free); what the driver
        remembers of the steps (routes, substitutes, the step under way) goes along."""
        self.page = page
        self.eyes = Eyes.of(page)

    # -- the step in progress ------------------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        """The step under way, or the last one taken (what a dialog closed after it is part of)."""
        if self._step is None:
            raise RuntimeError("no step has begun: the step engine begins each one (Run.step)")
        return self._step

    def begin(self, step: Step) -> None:
        self._step = step

    @contextmanager
    def taking(self, step: Step) -> Iterator[Step]:
        """Within another step, take `step`'s part once more by its own labels (a new QR code is step 5 again,
        during step 6); the step under way is back afterwards."""
        before = self._step
        self._step = step
        try:
            yield step
        finally:
            self._step = before

    def took(self, match: Match) -> Match:
        self.matched[self.step.key] = match
        return match

    def target(self, control: Locator) -> None:
        step = self.step
        if step.key not in self._targeted:
            self._targeted.add(step.key)
            self.on_target(step, control)

    # -- what a person sees --------------------------------------------------------------------------------------

    def seen(self) -> list[Seen]:
        """What a person could act on now, top-most first (role-less controls included), and where it stands."""
        try:
            return self.eyes.names()
        except PlaywrightError:
            return []

    def visible_names(self) -> list[str]:
        return [each.name for each in self.seen()]

    def home(self) -> Seen | None:
        """Where the step under way's documented control stands: the side menu (a top entry, or an item of the
        group the step before opened), the top-most dialog, or the page."""
        step = self._step
        if step is None:
            return None
        if step.area in ("navigation", "menu"):
            before = self.tutorial.preceding(step)
            nested = before is not None and before.area == "navigation" and bool(before.documented.labels)
            return Seen("", "menu", 1 if nested else 0)
        return Seen("", "layer0" if step.area == "dialog" else "content")

    def nearest_names(self, labels: Sequence[str], seen: Sequence[Seen] | None = None) -> list[str]:
        """The visible names most like `labels`, those standing where the step's control stands first."""
        return suggest(labels, self.seen() if seen is None else seen, self.home())
