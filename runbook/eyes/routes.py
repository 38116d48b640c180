"""Following a step's routes: the documented one, then the known alternatives, then (for a control hidden behind a
menu button) the menus, and, for verify only (`Driver.explore`), the nearest visible control.

Each function takes the step under way (`driver.step`) and records how it was taken (`driver.took`), so that the
step engine can tell documented from drifted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from runbook.core.errors import AmbiguousControl, ControlNotFound, NoEffect, PathUndone, StepProblem
from runbook.core.tutorial import Route, Step
from runbook.eyes.answers import Candidate, Found, Scan, own_control
from runbook.eyes.choice import EXPLORE_THRESHOLD, alike, choose, in_layers, leading, nearest, regions
from runbook.eyes.clicks import click_label, find, press, refind
from runbook.eyes.driver import Driver, Match
from runbook.eyes.groups import into_group

T = TypeVar("T")

# Opening a menu is quick; waiting long for one that does not open would only slow the search.
MENU_WAIT_MS = 1500


def again_if_undone(take: Callable[[], T]) -> T:
    """Takes a route; once more from its first control if an announcement took a control of it away (PathUndone:
    dismissing the announcement closed the menu the route had opened)."""
    try:
        return take()
    except PathUndone:
        return take()


def follow(driver: Driver, area: str | None = None, prepare: Callable[[], None] | None = None) -> Match:
    """Take the step under way by its documented route or a known alternative; report which one matched.

    `area` is where its labels are (default: the step's own, from the tutorial); `prepare` runs before each click
    after the first (a dialog's field to fill on the way, say).
    """
    where = area or driver.step.area
    return again_if_undone(lambda: _take(driver, where, prepare))


def locate(driver: Driver, area: str | None = None) -> Locator:
    """The control that would take the step under way (its first label), found and not clicked (verify's last
    step)."""
    step = driver.step
    found, chosen, route = _first_click(driver, area or step.area)
    if chosen is None or route is None:
        raise ControlNotFound(step.expected, driver.nearest_names(step.documented.labels), timed_out=found.timed_out)
    names = [] if route.documented else leading(route.labels[0], driver.nearest_names(step.documented.labels))
    driver.took(Match(route, names))
    return found.scan.locator(chosen.index)


def _route_match(step: Step, route: Route, names: list[str]) -> Match:
    """How a route was taken: an alternative's nearest names lead with its first label the documented path lacks
    ("Remove", not the "More actions" both share), then the visible names most like the documented ones."""
    if route.documented:
        return Match(route, [])
    lead = next((label for label in route.labels if label not in step.documented.labels), route.labels[0])
    return Match(route, leading(lead, names))


def _first_click(driver: Driver, area: str, within: str | None = None) -> tuple[Found, Candidate | None, Route | None]:
    """The control saying the first label of one of the step's routes, and that route (None when none shows)."""
    routes = [route for route in driver.step.routes if route.labels]
    firsts = [route.labels[0] for route in routes]
    if within is None:
        found = find(driver, firsts, area)
    else:
        found = driver.eyes.find(firsts, ["content"], driver.timeout_ms, within=within)
    chosen = choose(found.candidates, firsts)
    route = next((r for r in routes if r.labels[0] == chosen.label), None) if chosen else None
    return found, chosen, route


def _take(driver: Driver, area: str, prepare: Callable[[], None] | None) -> Match:
    step = driver.step
    found, chosen, route = _first_click(driver, area)
    if chosen is None or route is None:
        return _missing(driver, area, found)
    names = [] if route.documented else driver.nearest_names(step.documented.labels)
    _press_in(driver, area, found.scan, chosen, last=len(route.labels) == 1)
    for label in route.labels[1:]:
        if prepare:
            prepare()
        if not click_label(driver, [label], "dialog"):
            raise ControlNotFound(f'"{label}" (on the path {route.name})', driver.nearest_names([label]))
    return driver.took(Match(route, [] if route.documented else leading(route.labels[0], names)))


def _missing(driver: Driver, area: str, found: Found) -> Match:
    """None of the step's routes shows: behind a menu button, or (verify) the nearest visible control."""
    step = driver.step
    names = driver.nearest_names(step.documented.labels, found.scan.names or None)
    known = driver.substitutes.get(step.documented.labels[0])
    if known in names:
        names = leading(known, names)
    taken = None
    if area not in ("navigation", "menu"):
        taken = _behind_menu(driver, area)
    if taken is None and driver.explore:
        taken = _explore(driver, area, names)
    if taken is None:
        raise ControlNotFound(step.expected, names, timed_out=found.timed_out)
    if taken.documented:
        return driver.took(Match(taken, []))
    driver.substitutes[step.documented.labels[0]] = taken.labels[0]
    return driver.took(Match(taken, leading(taken.labels[0], names)))


def _behind_menu(driver: Driver, area: str) -> Route | None:
    """Open each closed menu button of the area, looking for the documented label among its items."""
    label = driver.step.documented.labels[0]
    triggers = driver.eyes.triggers(regions(area)[:1])
    for trigger in triggers:
        opener = driver.page.locator(trigger.selector)
        try:
            opener.click(timeout=MENU_WAIT_MS)
            found = driver.eyes.find([label], ["content"], MENU_WAIT_MS, names=False)
            chosen = choose(found.candidates, [label])
            if chosen is not None and chosen.region.startswith("layer"):
                driver.target(opener)
                press(driver, found.scan, chosen, lambda: None)
                if _shows(opener, label):
                    # A drop-down list (a select) now showing the choice: choosing from it is what the step says.
                    return driver.step.documented
                return Route(f'behind the "{trigger.name}" menu', (trigger.name, label))
        except PlaywrightError:
            pass
        driver.page.keyboard.press("Escape")
        triggers_again = driver.eyes.triggers(regions(area)[:1])  # the marks moved on
        if len(triggers_again) != len(triggers):
            break
    return None


def _shows(opener: Locator, label: str) -> bool:
    """Whether the control that opened a list now reads `label` (a select shows its choice; a menu button
    keeps its own words)."""
    try:
        shown = opener.inner_text(timeout=MENU_WAIT_MS)
    except PlaywrightError:
        return False
    return label.casefold() in " ".join(shown.split()).casefold()


def _explore(driver: Driver, area: str, names: list[str]) -> Route | None:
    """verify only: take the visible control most like the documented label, if it is like it at all."""
    labels = driver.step.documented.labels[:1]
    for name in names:
        if alike(labels, name) < EXPLORE_THRESHOLD:
            break
        found = find(driver, [name], area, 0)
        # A control (not a title that happens to say it) in the step's own region, or a dialog over it: a page
        # step is not taken by a menu link.
        here = [c for c in found.candidates if own_control(c)]
        try:
            chosen = choose(here, [name])
        except AmbiguousControl:
            continue
        if chosen is not None:
            try:
                _press_in(driver, area, found.scan, chosen, last=True)
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
    driver: Driver,
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
    names = [name for name in driver.visible_names() if name.casefold() not in skip]
    for name in nearest(labels, names):
        if alike(labels, name) < EXPLORE_THRESHOLD:
            break
        found = driver.eyes.find([name], ["content"], 0, names=False, within=within)
        here = [c for c in found.candidates if c.kind != "text" and (not in_layer or c.region.startswith("layer"))]
        try:
            chosen = choose(here, [name])
        except AmbiguousControl:
            continue
        if chosen is not None:
            return Guess(name, found.scan.locator(chosen.index))
    return None


def _press_in(driver: Driver, area: str, scan: Scan, chosen: Candidate, *, last: bool) -> None:
    """press(), and for a menu entry that is the step's last click, what a submenu title needs (into_group)."""
    grouped = area == "navigation" and last
    url = driver.page.url
    before = [item.name for item in driver.eyes.menu_items()] if grouped else []
    press(driver, scan, chosen, lambda: refind(driver, [chosen.label], area))
    if grouped and driver.page.url == url:
        into_group(driver, scan.target(chosen.index), chosen.name, before)


# -- routes inside one row of a list (the FAQ's disconnect: the row's options menu) ----------------------------


def follow_in_row(driver: Driver, within: str, *, guessing: bool) -> Guess | None:
    """The step's routes inside the row marked `within` (its options menu › item, or a button of the row).
    Guessing (verify), wording the data does not know is found and returned unclicked (a Guess)."""
    step = driver.step
    with contextlib.suppress(PlaywrightError):
        # The pointer over the row first, as a person's is: many lists show a row's actions only while it is.
        driver.page.locator(within).hover(timeout=MENU_WAIT_MS)
    found, chosen, route = _first_click(driver, "content", within)
    names = nearest(step.documented.labels, [seen.name for seen in found.scan.names])
    if chosen is None or route is None:
        return _behind_row_menu(driver, within, names, guessing)
    press(driver, found.scan, chosen, lambda: None)
    for index, label in enumerate(route.labels[1:], start=1):
        if click_label(driver, [label], "dialog"):
            continue
        guessed = guess(driver, [label], in_layer=True) if guessing else None
        if guessed is None:
            raise ControlNotFound(f'"{label}" (on the path {route.name})', driver.nearest_names([label]))
        taken = Route(f'nearest visible control "{guessed.name}"', (*route.labels[:index], guessed.name))
        driver.took(Match(taken, [guessed.name, *driver.nearest_names([label])]))
        return guessed
    driver.took(_route_match(step, route, names))
    return None


def _behind_row_menu(driver: Driver, within: str, names: list[str], guessing: bool) -> Guess | None:
    """An options button with no name (or one the data does not know): open each of the row's menu buttons and
    take the item worded like the step's (item_labels); Escape closes whatever opened otherwise. Guessing (verify),
    a control worded like none of them but like them is found in the row itself or in one of its menus."""
    step = driver.step
    items = list(step.texts("item_labels"))
    in_row = guess(driver, items, within=within) if guessing else None
    if in_row is not None:
        return _guessed(driver, in_row, (in_row.name,), names)
    for trigger in driver.eyes.triggers(["content"], within=within, icons=True):
        opener = driver.page.locator(trigger.selector)
        opened_by = trigger.name or "(options menu)"
        try:
            opener.click(timeout=driver.timeout_ms)
            found = driver.eyes.find(items, ["content"], driver.timeout_ms, names=False)
            chosen = choose(in_layers(found.candidates), items)
            if chosen is not None:
                press(driver, found.scan, chosen, lambda: None)
                route = Route(f'behind the "{opened_by}" menu of the row', (opened_by, chosen.label))
                driver.took(Match(route, [opened_by, *names]))
                return None
            in_menu = guess(driver, items, in_layer=True) if guessing else None
            if in_menu is not None:
                return _guessed(driver, in_menu, (opened_by, in_menu.name), names)
        except (StepProblem, PlaywrightError):
            pass
        driver.page.keyboard.press("Escape")
    raise ControlNotFound(step.expected, nearest(step.documented.labels, driver.visible_names()))


def _guessed(driver: Driver, guessed: Guess, labels: tuple[str, ...], names: list[str]) -> Guess:
    route = Route(f'nearest visible control "{guessed.name}"', labels)
    driver.took(Match(route, leading(guessed.name, names)))
    return guessed
