"""Finding and using controls by what a person reads on them, the way the tutorial names them.

Page objects call `follow()` to take one tutorial step: it tries the documented path, then the known
alternatives, then (for controls hidden behind a menu button) opens menus to look, and only when `explore` is on
(verify) falls back to the nearest visible control. Locators are role + accessible name first, then text; never
CSS classes, XPath or positions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import reduce

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from runbook.tutorial import Path, Step, Tutorial, label_pattern

# Roles a person clicks. Radios and checkboxes are chosen rather than clicked (clicking twice would undo).
CLICKABLE = ("button", "link", "menuitem", "menuitemradio", "tab", "option", "treeitem", "switch")
CHOOSABLE = ("radio", "checkbox", "menuitemcheckbox")
# aria_snapshot() lines look like `- button "Request Access"` or `- link "Accounts":`.
_SNAPSHOT_LINE = re.compile(r'^\s*- (\w+) "((?:[^"\\]|\\.)*)"', re.MULTILINE)
# How similar a visible name must be for verify to take it as the drifted control.
EXPLORE_THRESHOLD = 0.4
# Opening a menu is quick; waiting long for one that does not open would only slow the search.
MENU_WAIT_MS = 1500


class ControlNotFound(Exception):
    """No path of a step could be followed: what was expected, and the nearest visible names."""

    def __init__(self, step: Step, expected: str, nearest: list[str]) -> None:
        super().__init__(f"step {step.number}: {expected} not found")
        self.step = step
        self.expected = expected
        self.nearest = nearest


@dataclass(frozen=True)
class Match:
    """How a step was taken. For any path but the documented one, `nearest` starts with that path's first label,
    followed by the visible names most like the documented label."""

    path: Path
    nearest: list[str] = field(default_factory=list)


def _ignore(step: Step, thing: object) -> None:
    return None


@dataclass
class Walk:
    """How page objects take steps: the tutorial, how long to wait, and who hears what happened."""

    page: Page
    tutorial: Tutorial
    timeout_ms: float = 15_000
    explore: bool = False  # verify: when no known path matches, go on with the nearest visible control
    on_match: Callable[[Step, Match], None] = _ignore
    # Called with the control a step is about to click first (verify and guide outline it in a screenshot).
    on_target: Callable[[Step, Locator], None] = _ignore
    # A documented label found under another name (verify): "Accounts" → "Assets" at step 2 is the first
    # guess when step 7 misses "Accounts" again.
    substitutes: dict[str, str] = field(default_factory=dict)
    _targeted: set[int] = field(default_factory=set)

    def step(self, number: int) -> Step:
        return self.tutorial.step(number)

    def target(self, step: Step, control: Locator) -> None:
        if step.number not in self._targeted:
            self._targeted.add(step.number)
            self.on_target(step, control)


def _union(locators: Sequence[Locator]) -> Locator:
    return reduce(lambda a, b: a.or_(b), locators)


def clickable(scope: Page | Locator, labels: Sequence[str]) -> Locator:
    name = label_pattern(labels)
    return _union([scope.get_by_role(role, name=name) for role in CLICKABLE]).filter(visible=True)


def choosable(scope: Page | Locator, labels: Sequence[str]) -> Locator:
    name = label_pattern(labels)
    return _union([scope.get_by_role(role, name=name) for role in CHOOSABLE]).filter(visible=True)


def by_text(scope: Page | Locator, labels: Sequence[str]) -> Locator:
    """Last resort: the label as the whole of an element's text. For controls drawn without a role, and for
    those whose icon has an aria-label that joins their accessible name ("plus Add Assets"): clicking the
    label's text clicks the control around it."""
    return scope.get_by_text(label_pattern(labels)).filter(visible=True)


def wait_for_any(candidates: Sequence[Locator], timeout_ms: float) -> int | None:
    """Index of the first candidate that shows up within the timeout (earlier ones preferred), else None."""
    try:
        # `.first` only to wait for any of them with Playwright's own quick polling (expect() backs off to a
        # second between checks); which one is taken is decided below, by preference, never by position.
        _union(candidates).first.wait_for(state="attached", timeout=timeout_ms)
    except PlaywrightTimeoutError:
        return None
    for index, candidate in enumerate(candidates):
        if candidate.count():
            return index
    return None


def visible_names(scope: Page | Locator) -> list[str]:
    """Accessible names of the controls a person can see in scope, in page order, without repeats."""
    # A scope may match several elements (two navigation landmarks, say): each is read.
    roots = [scope.locator("body")] if isinstance(scope, Page) else scope.filter(visible=True).all()
    try:
        snapshot = "\n".join(root.aria_snapshot(timeout=2_000) for root in roots)
    except PlaywrightError:
        return []
    names: list[str] = []
    for role, name in _SNAPSHOT_LINE.findall(snapshot):
        if role in CLICKABLE + CHOOSABLE and name and name not in names:
            names.append(name.replace('\\"', '"'))
    return names


def similarity(expected: str, name: str) -> float:
    return SequenceMatcher(None, expected.casefold(), name.casefold()).ratio()


def nearest(expected: Sequence[str], names: Sequence[str], limit: int = 5) -> list[str]:
    """The visible names most like any expected label, most similar first."""
    scored = [(max(similarity(label, name) for label in expected), name) for name in names]
    scored.sort(key=lambda pair: -pair[0])
    return [name for _, name in scored[:limit]]


def activate(walk: Walk, step: Step, scopes: Sequence[Page | Locator], label: str) -> Locator:
    """Click the control named `label` (or choose it, for a radio or checkbox) in the first scope that has it."""
    candidates: list[Locator] = []
    for scope in scopes:
        candidates += [clickable(scope, [label]), choosable(scope, [label])]
    candidates += [by_text(scope, [label]) for scope in scopes]
    found = wait_for_any(candidates, walk.timeout_ms)
    if found is None:
        raise LookupError(label)
    target = candidates[found]
    walk.target(step, target)
    if found < 2 * len(scopes) and found % 2 == 1:
        # Styled radios and checkboxes hide the native input under their label: force lets the click land on
        # whatever is drawn on top, and check() still verifies that the input ended up checked.
        target.check(force=True, timeout=walk.timeout_ms)
    else:
        target.click(timeout=walk.timeout_ms)
    return target


def _dialog_then_page(walk: Walk) -> list[Page | Locator]:
    """After a step's first click, its next labels are usually in the dialog it opened (a portal)."""
    return [walk.page.get_by_role("dialog").filter(visible=True), walk.page]


def _behind_menu(walk: Walk, scope: Page | Locator, step: Step) -> Path | None:
    """Open each collapsed menu button in scope, looking for the documented label among its items."""
    label = step.documented.labels[0]
    triggers = scope.get_by_role("button", expanded=False).filter(visible=True)
    for trigger in triggers.all():
        trigger_names = visible_names(trigger) or [trigger.inner_text().strip()]
        try:
            trigger.click(timeout=MENU_WAIT_MS)
            menu = walk.page.get_by_role("menu").filter(visible=True)
            item = menu.get_by_role("menuitem", name=label_pattern([label])).filter(visible=True)
            if wait_for_any([item], MENU_WAIT_MS) is not None:
                walk.target(step, trigger)
                item.click(timeout=walk.timeout_ms)
                return Path(f'behind the "{trigger_names[0]}" menu', (trigger_names[0], label))
        except PlaywrightError:
            pass
        walk.page.keyboard.press("Escape")
    return None


def _explore(walk: Walk, scope: Page | Locator, step: Step, names: list[str]) -> Path | None:
    """verify only: take the visible control most like the documented label, if it is like it at all."""
    labels = step.documented.labels[:1]
    for name in names:
        if max(similarity(label, name) for label in labels) < EXPLORE_THRESHOLD:
            break
        target = clickable(scope, [name])
        if target.count() == 1:
            walk.target(step, target)
            target.click(timeout=walk.timeout_ms)
            return Path(f'nearest visible control "{name}"', (name,))
    return None


def _leading(first: str, names: list[str]) -> list[str]:
    return [first, *(name for name in names if name != first)]


def _first_labels(scope: Page | Locator, step: Step) -> tuple[list[Path], list[Locator]]:
    paths = [path for path in step.paths if path.labels]
    firsts = [
        clickable(scope, path.labels[:1]).or_(choosable(scope, path.labels[:1])).or_(by_text(scope, path.labels[:1]))
        for path in paths
    ]
    return paths, firsts


def follow(walk: Walk, scope: Page | Locator, step: Step, prepare: Callable[[], None] | None = None) -> Match:
    """Take `step` within scope by its documented path or a known alternative; report which one matched.

    `prepare` runs before each click after the first (a dialog's field to fill on the way, say).
    """
    paths, firsts = _first_labels(scope, step)
    found = wait_for_any(firsts, walk.timeout_ms)
    if found is None:
        names = nearest(step.documented.labels, visible_names(scope))
        known = walk.substitutes.get(step.documented.labels[0])
        if known in names:
            names = _leading(known, names)
        taken = _behind_menu(walk, scope, step) or (_explore(walk, scope, step, names) if walk.explore else None)
        if taken is None:
            raise ControlNotFound(step, step.expected, names)
        walk.substitutes[step.documented.labels[0]] = taken.labels[0]
        match = Match(taken, _leading(taken.labels[0], names))
        walk.on_match(step, match)
        return match
    path = paths[found]
    names = [] if path.documented else nearest(step.documented.labels, visible_names(scope))
    activate(walk, step, [scope], path.labels[0])
    for label in path.labels[1:]:
        if prepare:
            prepare()
        try:
            activate(walk, step, _dialog_then_page(walk), label)
        except LookupError:
            raise ControlNotFound(
                step, f'"{label}" (on the path {path.name})', nearest([label], visible_names(walk.page))
            ) from None
    match = Match(path, [] if path.documented else _leading(path.labels[0], names))
    walk.on_match(step, match)
    return match


def locate(walk: Walk, scope: Page | Locator, step: Step) -> tuple[Match, Locator]:
    """Find the control that would take `step` (its first label), without clicking it: for verify's last step."""
    paths, firsts = _first_labels(scope, step)
    found = wait_for_any(firsts, walk.timeout_ms)
    names = nearest(step.documented.labels, visible_names(scope)) if found != 0 else []
    if found is None:
        raise ControlNotFound(step, step.expected, names)
    path = paths[found]
    match = Match(path, [] if path.documented else _leading(path.labels[0], names))
    walk.on_match(step, match)
    return match, firsts[found]
