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
from playwright.sync_api import Locator, Page, expect

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

    def __init__(self, step: Step, expected: str, nearest: list[str], target: Locator | None = None) -> None:
        super().__init__(f"step {step.number}: {expected} not found")
        self.step = step
        self.expected = expected
        self.nearest = nearest
        self.target = target


@dataclass
class Walk:
    """How page objects take steps: the tutorial, how long to wait, and who hears which path matched."""

    page: Page
    tutorial: Tutorial
    timeout_ms: float = 15_000
    explore: bool = False  # verify: when no known path matches, go on with the nearest visible control
    on_match: Callable[[Step, Path, Locator], None] = field(default=lambda step, path, target: None)

    def step(self, number: int) -> Step:
        return self.tutorial.step(number)


def _union(locators: Sequence[Locator]) -> Locator:
    return reduce(lambda a, b: a.or_(b), locators)


def clickable(scope: Page | Locator, labels: Sequence[str]) -> Locator:
    name = label_pattern(labels)
    return _union([scope.get_by_role(role, name=name) for role in CLICKABLE]).filter(visible=True)


def choosable(scope: Page | Locator, labels: Sequence[str]) -> Locator:
    name = label_pattern(labels)
    return _union([scope.get_by_role(role, name=name) for role in CHOOSABLE]).filter(visible=True)


def by_text(scope: Page | Locator, labels: Sequence[str]) -> Locator:
    """Last resort: the label as plain text, for controls drawn without a role."""
    return scope.get_by_text(label_pattern(labels)).filter(visible=True)


def wait_for_any(candidates: Sequence[Locator], timeout_ms: float) -> int | None:
    """Index of the first candidate that shows up within the timeout (earlier ones preferred), else None."""
    try:
        expect(_union(candidates)).not_to_have_count(0, timeout=timeout_ms)
    except AssertionError:
        return None
    for index, candidate in enumerate(candidates):
        if candidate.count():
            return index
    return None


def visible_names(scope: Page | Locator) -> list[str]:
    """Accessible names of the controls a person can see in scope, in page order, without repeats."""
    try:
        root = scope.locator("body") if isinstance(scope, Page) else scope
        snapshot = root.aria_snapshot(timeout=2_000)
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


def activate(walk: Walk, scopes: Sequence[Page | Locator], label: str) -> Locator:
    """Click the control named `label` (or choose it, for a radio or checkbox) in the first scope that has it."""
    candidates: list[Locator] = []
    for scope in scopes:
        candidates += [clickable(scope, [label]), choosable(scope, [label])]
    candidates += [by_text(scope, [label]) for scope in scopes]
    found = wait_for_any(candidates, walk.timeout_ms)
    if found is None:
        raise LookupError(label)
    target = candidates[found]
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


def _behind_menu(walk: Walk, scope: Page | Locator, label: str) -> tuple[Path, Locator] | None:
    """Open each collapsed menu button in scope, looking for `label` among its items ("Add › Request Access")."""
    triggers = scope.get_by_role("button", expanded=False).filter(visible=True)
    for trigger in triggers.all():
        trigger_names = visible_names(trigger) or [trigger.inner_text().strip()]
        try:
            trigger.click(timeout=MENU_WAIT_MS)
            menu = walk.page.get_by_role("menu").filter(visible=True)
            item = menu.get_by_role("menuitem", name=label_pattern([label])).filter(visible=True)
            if wait_for_any([item], MENU_WAIT_MS) is not None:
                item.click(timeout=walk.timeout_ms)
                name = trigger_names[0]
                return Path(f'behind the "{name}" menu', (name, label)), item
        except PlaywrightError:
            pass
        walk.page.keyboard.press("Escape")
    return None


def _explore(walk: Walk, scope: Page | Locator, step: Step, names: list[str]) -> tuple[Path, Locator] | None:
    """verify only: take the visible control most like the documented label, if it is like it at all."""
    labels = step.documented.labels[:1]
    for name in names:
        if max(similarity(label, name) for label in labels) < EXPLORE_THRESHOLD:
            break
        target = clickable(scope, [name])
        if target.count() == 1:
            target.click(timeout=walk.timeout_ms)
            return Path(f'nearest visible control "{name}"', (name,)), target
    return None


def follow(walk: Walk, scope: Page | Locator, step: Step) -> Path:
    """Take `step` within scope by its documented path or a known alternative; report which one matched."""
    paths = [path for path in step.paths if path.labels]
    firsts = [clickable(scope, path.labels[:1]).or_(choosable(scope, path.labels[:1])) for path in paths]
    found = wait_for_any(firsts, walk.timeout_ms)
    if found is None:
        revealed = _behind_menu(walk, scope, step.documented.labels[0])
        if revealed:
            walk.on_match(step, *revealed)
            return revealed[0]
        names = nearest(step.documented.labels, visible_names(scope))
        explored = _explore(walk, scope, step, names) if walk.explore else None
        if explored:
            walk.on_match(step, *explored)
            return explored[0]
        raise ControlNotFound(step, step.expected, names)
    path = paths[found]
    target = activate(walk, [scope], path.labels[0])
    for label in path.labels[1:]:
        try:
            target = activate(walk, _dialog_then_page(walk), label)
        except LookupError:
            names = nearest([label], visible_names(walk.page))
            raise ControlNotFound(step, f'"{label}" (on the path {path.name})', names) from None
    walk.on_match(step, path, target)
    return path
