"""Taking a tutorial step by what a person reads: find the control, click it where a person would, confirm it did
something.

Page objects call `follow()` to take one step: it tries the documented route, then the known alternatives, then
(for controls hidden behind a menu button) opens menus to look, and only when `explore` is on (verify) goes on
with the nearest visible control. Controls are found by the candidate engine (pages/candidates.py): visible text
and accessible names, scored; scoped to the top-most dialog, then the step's area; a tie fails naming both.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from runbook.core.errors import AmbiguousControl, ControlNotFound, NoEffect, PathUndone
from runbook.core.tutorial import Route, Step, StepKey, Tutorial
from runbook.eyes.engine import LOOK_MS, Before, Candidate, Eyes, Found, Scan, own_control

T = TypeVar("T")

# Where each tutorial area's labels are looked for after the top-most dialog: the step's own region first.
AREAS: dict[str, list[str]] = {
    "navigation": ["menu", "content"],
    "menu": ["menu", "content"],
    "page": ["content", "menu"],
    "content": ["content", "menu"],
    "dialog": ["content", "menu"],
}
# How similar a visible name must be for verify to take it as the drifted control.
EXPLORE_THRESHOLD = 0.4
# Two candidates closer than this in score are a tie (candidates.js scores: text 2.6-3, kind 0-1.5).
TIE_MARGIN = 0.5
# A click that changed nothing after this long is tried once more, then the step fails.
NO_EFFECT_MS = 2500
# Opening a menu is quick; waiting long for one that does not open would only slow the search.
MENU_WAIT_MS = 1500
# A first click that does not start within this long is checked for a re-rendered element.
DETACH_MS = 2000
# On a background tab: the two looks that find a control in the same place are this far apart (at most).
STILL_MS = 50


@dataclass(frozen=True)
class Match:
    """How a step was taken. For any route but the documented one, `nearest` starts with that route's first
    label, followed by the visible names most like the documented label."""

    path: Route
    nearest: list[str] = field(default_factory=list)


def _ignore(step: Step, thing: object) -> None:
    return None


@dataclass
class Walk:
    """How page objects take steps: the tutorial, how long to wait, and who hears what happened."""

    page: Page
    tutorial: Tutorial
    timeout_ms: float = 15_000
    explore: bool = False  # verify: when no known route matches, go on with the nearest visible control
    on_match: Callable[[Step, Match], None] = _ignore
    # Called with the control a step is about to click first (verify and guide outline it in a screenshot).
    on_target: Callable[[Step, Locator], None] = _ignore
    # A documented label found under another name (verify): "Accounts" → "Assets" at step 2 is the first
    # guess when step 7 misses "Accounts" again.
    substitutes: dict[str, str] = field(default_factory=dict)
    # Announcements dismissed on the runbook's behalf so far (pages/announcements.py): a click that one of them
    # interrupted may have found its control gone (PathUndone).
    interruptions: int = 0
    eyes: Eyes = field(init=False)
    _targeted: set[StepKey] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.eyes = Eyes(self.page)

    def step(self, number: int) -> Step:
        return self.tutorial.step(number)

    def target(self, step: Step, control: Locator) -> None:
        if step.key not in self._targeted:
            self._targeted.add(step.key)
            self.on_target(step, control)

    def visible_names(self) -> list[str]:
        """What a person could act on now, top-most first (role-less controls included)."""
        try:
            return list(self.eyes.run("names")["names"])
        except PlaywrightError:
            return []

    def nearest_names(self, labels: Sequence[str]) -> list[str]:
        return nearest(labels, self.visible_names())


def similarity(expected: str, name: str) -> float:
    return SequenceMatcher(None, expected.casefold(), name.casefold()).ratio()


def nearest(expected: Sequence[str], names: Sequence[str], limit: int = 5) -> list[str]:
    """The visible names most like any expected label, most similar first (in page order without labels)."""
    if not expected:
        return list(names[:limit])
    scored = [(max(similarity(label, name) for label in expected), name) for name in names]
    scored.sort(key=lambda pair: -pair[0])
    return [name for _, name in scored[:limit]]


def leading(first: str, names: Sequence[str]) -> list[str]:
    """`first`, then the other names (a route's own label ahead of the nearest visible ones)."""
    return [first, *(name for name in names if name != first)]


# -- choosing among candidates ---------------------------------------------------------------------------------


def choose(step: Step, candidates: Sequence[Candidate], labels: Sequence[str]) -> Candidate | None:
    """The best candidate of the top-most region that has one, preferring earlier labels; a tie raises."""
    if not candidates:
        return None
    top = min(c.rank for c in candidates)
    in_region = [c for c in candidates if c.rank == top]
    for label in labels:
        said = sorted((c for c in in_region if c.label == label), key=lambda c: -c.score)
        if not said:
            continue
        if len(said) > 1 and said[0].score - said[1].score < TIE_MARGIN:
            raise AmbiguousControl(
                step.number,
                f'one control "{label}"',
                [said[0].name, said[1].name],
                f"two controls say it equally: {said[0].described()} and {said[1].described()}",
            )
        return said[0]
    return None


def find(walk: Walk, step: Step, labels: Sequence[str], area: str, timeout_ms: float | None = None) -> Found:
    """Looks for the labels (see Eyes.find); the visible names are read only when a label is missing."""
    wait = walk.timeout_ms if timeout_ms is None else timeout_ms
    return walk.eyes.find(list(labels), AREAS.get(area, AREAS["page"]), wait, names=False)


# -- clicking where a person clicks, and seeing that it did something ----------------------------------------


def _click_without_frames(walk: Walk, target: Locator, mark: str, deadline: float) -> bool:
    """A click on a background tab (a run with several pages): it draws about one frame a second, and Playwright's
    checks before a click wait for two (2 s a click). The same checks are made here instead (visible, enabled,
    uncovered at its centre, in the same place on two looks) and the click is forced. False when the element is
    gone (the caller finds it again) or the time ran out (the caller's click says why)."""
    last: list[int] | None = None
    while time.monotonic() < deadline:
        raw = walk.eyes.ready(mark)
        if not raw.get("attached"):
            return False
        actionable = raw["visible"] and not raw["disabled"] and raw["uncovered"]
        if actionable and raw["rect"] == last:
            target.click(force=True, timeout=max(1.0, (deadline - time.monotonic()) * 1000))
            return True
        last = raw["rect"] if actionable else None
        walk.eyes.wait_for_change(raw["mutations"], STILL_MS)
    return False


class _TakenAway(Exception):
    """An announcement dismissed during the click left its control unclickable (press says so in step terms)."""


def _click(
    walk: Walk, target: Locator, refind: Callable[[], Locator | None], mark: Callable[[], str] | None = None
) -> Locator:
    """Click through the marked element's Locator (Playwright's actionability checks). An element the app
    re-rendered between finding and clicking is found once more; a click that was made is never repeated here.
    `mark`: the element's token, for a click on a background tab (_click_without_frames). An announcement
    dismissed during the click (Playwright runs the handler first) that leaves the control unclickable ends the
    click at once rather than waiting out the time-out for a menu that closed."""
    deadline = time.monotonic() + walk.timeout_ms / 1000
    interruptions = walk.interruptions
    for attempt in range(2):
        if target.count() == 0:  # replaced by a re-render since it was found
            again = refind()
            if again is None:
                break
            target = again
        if mark is not None and not walk.eyes.draws_frames():
            if _click_without_frames(walk, target, mark(), deadline):
                return target
            continue  # gone meanwhile: found again above
        left = max(1.0, (deadline - time.monotonic()) * 1000)
        try:
            target.click(timeout=min(left, DETACH_MS) if attempt == 0 else left)
            return target
        except PlaywrightTimeoutError as error:
            if "click action done" in str(error) or "performing click action" in str(error):
                # The click was made; only what Playwright waits for after it ran out of time (a busy renderer,
                # many pages at once). Whether it did anything is the caller's effect check, as for any click.
                return target
            if walk.interruptions != interruptions:
                raise _TakenAway from None
            if attempt == 1:
                raise
            if target.count() > 0:  # still there, not yet actionable (a slow Save, say): wait the rest
                target.click(timeout=max(1.0, (deadline - time.monotonic()) * 1000))
                return target
    target.click(timeout=max(1.0, (deadline - time.monotonic()) * 1000))
    return target


def checked_within(walk: Walk, selector_token: str, wanted: bool, ms: float) -> bool:
    """Until the box reads `wanted` (input.checked, else aria-checked, else its label's state), at most ms."""
    deadline = time.monotonic() + ms / 1000
    while True:
        raw = walk.eyes.state(selector_token)
        if raw.get("attached") and raw.get("checked") is wanted:
            return True
        left = (deadline - time.monotonic()) * 1000
        if left <= 0:
            return False
        walk.eyes.wait_for_change(raw["mutations"], min(left, LOOK_MS))


def _effect(walk: Walk, selector_token: str, before: str, requests_before: int, ms: float = NO_EFFECT_MS) -> bool:
    """Something the click must cause: URL or content changed, a dialog opened or closed, the target's state
    changed, or the app sent a request in answer; looked for during `ms`."""
    deadline = time.monotonic() + ms / 1000
    while True:
        if walk.eyes.effect_seen(selector_token, before, min(LOOK_MS, ms)):
            return True
        if walk.eyes.network.started > requests_before:
            return True
        if time.monotonic() >= deadline:
            return False


def press(
    walk: Walk,
    step: Step,
    scan: Scan,
    candidate: Candidate,
    refind: Callable[[], tuple[Scan, Candidate] | None],
    *,
    outline: bool = True,
) -> None:
    """Click the candidate (a radio or checkbox: choose it, on its label or visible box) and confirm the effect.
    A click with no effect is tried once more; then NoEffect names the step."""
    token = f"{scan.token}-{candidate.index}"
    target = walk.page.locator(scan.target(candidate.index))
    if outline:
        walk.target(step, target)
    if candidate.checkable and candidate.checked:
        return  # chosen already: a second click would undo a checkbox

    def again() -> Locator | None:
        nonlocal token
        found = refind()
        if found is None:
            return None
        token = f"{found[0].token}-{found[1].index}"
        return walk.page.locator(found[0].target(found[1].index))

    def took(before: Before, requests: int, ms: float) -> bool:
        if candidate.checkable:
            return checked_within(walk, token, True, ms)
        # A change is the click's effect only if the click reached the page: one that a starved renderer dropped
        # leaves a page still loading its data to change by itself.
        if not _effect(walk, token, before.sig, requests, ms):
            return False
        return walk.eyes.pressed_since(before, walk.eyes.last_change) is not False

    lost = False
    for attempt in range(2):
        before = walk.eyes.signature(token)
        requests = walk.eyes.network.started
        try:
            target = _click(walk, target, again, lambda: token)
        except _TakenAway:
            why = "an announcement dismissed on the way took it away"
            raise PathUndone(step.number, f'"{candidate.name}" to stay clickable', [], why) from None
        if took(before, requests, NO_EFFECT_MS):
            return
        if attempt == 0:
            # A starved machine can show the first click's effect (or the click itself) after NO_EFFECT_MS: once
            # the page has settled, look again before a second click that would undo a toggle (a submenu title).
            walk.eyes.settle(NO_EFFECT_MS)
            if took(before, requests, 1):
                return
        lost = walk.eyes.pressed_since(before) is False
    detail = "the clicks never reached the page" if lost else "clicked twice; nothing changed"
    raise NoEffect(step.number, f'"{candidate.name}" to respond to a click', [], detail)


def click_label(walk: Walk, step: Step, labels: Sequence[str], area: str, timeout_ms: float | None = None) -> bool:
    """Click the control saying one of `labels`, if there is one (waits until the page settles). True if clicked."""
    found = find(walk, step, labels, area, timeout_ms)
    chosen = choose(step, found.candidates, labels)
    if chosen is None:
        return False
    press(walk, step, found.scan, chosen, lambda: _refind(walk, step, labels, area))
    return True


def _refind(walk: Walk, step: Step, labels: Sequence[str], area: str) -> tuple[Scan, Candidate] | None:
    found = find(walk, step, labels, area)
    chosen = choose(step, found.candidates, labels)
    return (found.scan, chosen) if chosen else None


# -- following a step's routes ---------------------------------------------------------------------------------


def _behind_menu(walk: Walk, step: Step, area: str) -> Route | None:
    """Open each closed menu button of the area, looking for the documented label among its items."""
    label = step.documented.labels[0]
    token, triggers = walk.eyes.triggers(AREAS.get(area, AREAS["page"])[:1])
    for trigger in triggers:
        opener = walk.page.locator(f'[data-runbook-trigger="{token}-{trigger["index"]}"]')
        try:
            opener.click(timeout=MENU_WAIT_MS)
            found = walk.eyes.find([label], ["content"], MENU_WAIT_MS, names=False)
            chosen = choose(step, found.candidates, [label])
            if chosen is not None and chosen.region.startswith("layer"):
                walk.target(step, opener)
                press(walk, step, found.scan, chosen, lambda: None)
                return Route(f'behind the "{trigger["name"]}" menu', (trigger["name"], label))
        except PlaywrightError:
            pass
        walk.page.keyboard.press("Escape")
        _, triggers_again = walk.eyes.triggers(AREAS.get(area, AREAS["page"])[:1])  # the marks moved on
        if len(triggers_again) != len(triggers):
            break
    return None


def _explore(walk: Walk, step: Step, area: str, names: list[str]) -> Route | None:
    """verify only: take the visible control most like the documented label, if it is like it at all."""
    labels = step.documented.labels[:1]
    for name in names:
        if max(similarity(label, name) for label in labels) < EXPLORE_THRESHOLD:
            break
        found = find(walk, step, [name], area, 0)
        # A control (not a title that happens to say it) in the step's own region, or a dialog over it: a page
        # step is not taken by a menu link.
        here = [c for c in found.candidates if own_control(c)]
        try:
            chosen = choose(step, here, [name])
        except AmbiguousControl:
            continue
        if chosen is not None:
            try:
                _press_in(walk, step, area, found.scan, chosen, last=True)
            except NoEffect:
                continue
            return Route(f'nearest visible control "{name}"', (name,))
    return None


@dataclass(frozen=True)
class Guess:
    """verify only: the visible control most like a label of the data, found but not clicked. A control the data
    does not know may act at once (a disconnect with no confirmation), and verify changes nothing."""

    name: str
    control: Locator


def guess(
    walk: Walk,
    step: Step,
    labels: Sequence[str],
    *,
    within: str | None = None,
    in_layer: bool = False,
    besides: Sequence[str] = (),
) -> Guess | None:
    """The visible control most like one of `labels` (at least EXPLORE_THRESHOLD alike), inside `within` (one of
    our marks) or, with in_layer, in the top-most dialog or menu; never one saying a label of `besides` (a
    confirmation's Cancel is not its confirming button, however alike the words)."""
    skip = {label.casefold() for label in besides}
    names = [name for name in walk.visible_names() if name.casefold() not in skip]
    for name in nearest(labels, names):
        if max(similarity(label, name) for label in labels) < EXPLORE_THRESHOLD:
            break
        found = walk.eyes.find([name], ["content"], 0, names=False, within=within)
        here = [c for c in found.candidates if c.kind != "text" and (not in_layer or c.region.startswith("layer"))]
        try:
            chosen = choose(step, here, [name])
        except AmbiguousControl:
            continue
        if chosen is not None:
            return Guess(name, walk.page.locator(found.scan.target(chosen.index)))
    return None


def _missing(walk: Walk, step: Step, area: str, found: Found) -> Match:
    names = nearest(step.documented.labels, found.scan.names or walk.visible_names())
    known = walk.substitutes.get(step.documented.labels[0])
    if known in names:
        names = leading(known, names)
    taken = None
    if area not in ("navigation", "menu"):
        taken = _behind_menu(walk, step, area)
    if taken is None and walk.explore:
        taken = _explore(walk, step, area, names)
    if taken is None:
        raise ControlNotFound(step.number, step.expected, names, timed_out=found.timed_out)
    walk.substitutes[step.documented.labels[0]] = taken.labels[0]
    match = Match(taken, leading(taken.labels[0], names))
    walk.on_match(step, match)
    return match


def _press_in(walk: Walk, step: Step, area: str, scan: Scan, chosen: Candidate, *, last: bool) -> None:
    """press(), and for a menu entry that is the step's last click, what a submenu title needs (_into_group)."""
    grouped = area == "navigation" and last
    url = walk.page.url
    before = [item["name"] for item in walk.eyes.menu_items()[1]] if grouped else []
    press(walk, step, scan, chosen, lambda: _refind(walk, step, [chosen.label], area))
    if grouped and walk.page.url == url:
        _into_group(walk, step, scan.target(chosen.index), chosen.name, before)


def _follower(names: list[str], entry: str) -> int | None:
    """Where the menu item right after `entry` is (its group's first item, while the group is open)."""
    if entry not in names:
        return None
    at = names.index(entry) + 1
    return at if at < len(names) else None


def _into_group(walk: Walk, step: Step, selector: str, entry: str, before: list[str]) -> None:
    """A menu entry that only opens or closes its group (a submenu title), told by the item right after it: the
    group's first item came (opened) or went (closed). Leave the group open, and where the tutorial's next step is
    on a page (not in the menu), open the group's first page, as the entry's link would have. Only the entry's
    own group counts: a style sheet arriving late hides the items that every group showed until then."""
    token, items = walk.eyes.menu_items()
    now = [item["name"] for item in items]
    was = _follower(before, entry)
    if was is not None and before[was] not in now:
        walk.page.locator(selector).click(timeout=walk.timeout_ms)  # it closed the group: open it again
        before = now
        token, items = walk.eyes.menu_items()
        now = [item["name"] for item in items]
    first = _follower(now, entry)
    following = walk.tutorial.steps[step.number] if step.number < len(walk.tutorial.steps) else None
    if first is not None and now[first] not in before and following is not None and following.area != "navigation":
        item = walk.page.locator(f'[data-runbook-item="{token}-{items[first]["index"]}"]')
        url = walk.page.url
        item.click(timeout=walk.timeout_ms)
        wait_for_any(walk, {"page": lambda: walk.page.url != url}, walk.timeout_ms)


def _first_click(walk: Walk, step: Step, area: str) -> tuple[Found, Candidate | None, Route | None]:
    """The control saying the first label of one of the step's routes, and that route (None when none shows)."""
    routes = [route for route in step.paths if route.labels]
    firsts = [route.labels[0] for route in routes]
    found = find(walk, step, firsts, area)
    chosen = choose(step, found.candidates, firsts)
    route = next((r for r in routes if r.labels[0] == chosen.label), None) if chosen else None
    return found, chosen, route


def follow(walk: Walk, step: Step, area: str | None = None, prepare: Callable[[], None] | None = None) -> Match:
    """Take `step` by its documented route or a known alternative; report which one matched.

    `area` is where its labels are (default: the step's own, from the tutorial); `prepare` runs before each click
    after the first (a dialog's field to fill on the way, say).
    """
    area = area or step.area
    return again_if_undone(lambda: _take(walk, step, area, prepare))


def again_if_undone(take: Callable[[], T]) -> T:
    """Takes a route; once more from its first control if an announcement took a control of it away (PathUndone:
    dismissing the announcement closed the menu the route had opened)."""
    try:
        return take()
    except PathUndone:
        return take()


def _take(walk: Walk, step: Step, area: str, prepare: Callable[[], None] | None) -> Match:
    found, chosen, route = _first_click(walk, step, area)
    if chosen is None or route is None:
        return _missing(walk, step, area, found)
    names = [] if route.documented else walk.nearest_names(step.documented.labels)
    _press_in(walk, step, area, found.scan, chosen, last=len(route.labels) == 1)
    for label in route.labels[1:]:
        if prepare:
            prepare()
        if not click_label(walk, step, [label], "dialog"):
            raise ControlNotFound(step.number, f'"{label}" (on the path {route.name})', walk.nearest_names([label]))
    match = Match(route, [] if route.documented else leading(route.labels[0], names))
    walk.on_match(step, match)
    return match


def locate(walk: Walk, step: Step, area: str | None = None) -> tuple[Match, Locator]:
    """Find the control that would take `step` (its first label), without clicking it: for verify's last step."""
    area = area or step.area
    found, chosen, route = _first_click(walk, step, area)
    if chosen is None or route is None:
        names = walk.nearest_names(step.documented.labels)
        raise ControlNotFound(step.number, step.expected, names, timed_out=found.timed_out)
    names = [] if route.documented else leading(route.labels[0], walk.nearest_names(step.documented.labels))
    match = Match(route, names)
    walk.on_match(step, match)
    return match, walk.page.locator(found.scan.target(chosen.index))


# -- waiting for one of several outcomes -------------------------------------------------------------------------

Probe = Locator | Callable[[], bool]


def wait_for_any(
    walk: Walk,
    probes: Mapping[str, Probe],
    timeout_ms: float,
    *,
    until_settled: bool = False,
    poll_ms: float = LOOK_MS,
) -> str | None:
    """The key of the first probe that holds within the timeout (earlier keys preferred), else None.

    A Locator holds when it matches an element (filter it visible where that matters); a callable when it
    returns True. With until_settled, a page that settles without any of them ends the wait early. Probes are
    tried at every DOM change, and at least every poll_ms (for one that holds after some time without one).
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        for key, probe in probes.items():
            try:
                hit = probe.count() > 0 if isinstance(probe, Locator) else probe()
            except PlaywrightError:
                hit = False
            if hit:
                return key
        left = (deadline - time.monotonic()) * 1000
        if left <= 0 and not until_settled:
            return None  # one look only (a watch of many pages looks once per turn): nothing more to ask
        try:
            raw = walk.eyes.run("quiet")
        except PlaywrightError:
            raw = None
        if until_settled and raw is not None and walk.eyes.settled(raw):
            return None
        if left <= 0:
            return None
        wait = min(walk.eyes.next_look_ms(raw, left) if until_settled else left, poll_ms)
        walk.eyes.wait_for_change(raw["mutations"] if raw else -1, wait)
