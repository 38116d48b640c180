"""Clicking where a person clicks, and seeing that it did something.

A click goes through a Locator on the engine's mark, so Playwright's actionability checks apply. Its effect is
confirmed: the URL or the content changed, a dialog opened or closed, the target's state changed, or the app
sent a request in answer. A click with no effect is tried once more; then the step fails (NoEffect).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from playwright.sync_api import Frame, Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from runbook.core.errors import NoEffect, PathUndone
from runbook.eyes.answers import Candidate, Found, Scan, Signature
from runbook.eyes.choice import choose, regions
from runbook.eyes.driver import Driver
from runbook.eyes.engine import LOOK_MS

# A click that changed nothing after this long is tried once more, then the step fails.
NO_EFFECT_MS = 2500
# A first click that does not start within this long is checked for a re-rendered element.
DETACH_MS = 2000
# On a background tab: the two looks that find a control in the same place are this far apart (at most).
STILL_MS = 50


def find(driver: Driver, labels: Sequence[str], area: str, timeout_ms: float | None = None) -> Found:
    """Looks for the labels in the area's regions (see Eyes.find); the visible names are not read."""
    wait = driver.timeout_ms if timeout_ms is None else timeout_ms
    return driver.eyes.find(list(labels), regions(area), wait, names=False)


def _click_without_frames(driver: Driver, target: Locator, mark: str, deadline: float, frame: Frame | None) -> bool:
    """A click on a background tab (a run with several pages): it draws about one frame a second, and Playwright's
    checks before a click wait for two (2 s a click). The same checks are made here instead (visible, enabled,
    uncovered at its centre, in the same place on two looks) and the click is forced. False when the element is
    gone (the caller finds it again) or the time ran out (the caller's click says why)."""
    last: tuple[int, ...] | None = None
    while time.monotonic() < deadline:
        ready = driver.eyes.ready(mark, frame)
        if not ready.attached:
            return False
        actionable = ready.visible and not ready.disabled and ready.uncovered
        if actionable and ready.rect == last:
            target.click(force=True, timeout=max(1.0, (deadline - time.monotonic()) * 1000))
            return True
        last = ready.rect if actionable else None
        driver.eyes.wait_for_change(ready.stamp.mutations, STILL_MS, frame)
    return False


def _made(timed_out: str) -> bool:
    """Whether Playwright's call log says the click was dispatched before its time ran out: done, or under way and
    not retried (a retry follows a click that another element would have caught, or one on a vanished node)."""
    if "click action done" in timed_out:
        return True
    performing = timed_out.rfind("performing click action")
    return performing >= 0 and "retrying" not in timed_out[performing:]


class _TakenAway(Exception):
    """An announcement dismissed during the click left its control unclickable (press says so in step terms)."""


class _Gone(Exception):
    """The control left the page before it could be clicked and is not found again (press says so)."""


def _click(
    driver: Driver,
    target: Locator,
    refind: Callable[[], Locator | None],
    mark: Callable[[], str] | None = None,
    frame: Frame | None = None,
) -> Locator:
    """Click through the marked element's Locator (Playwright's actionability checks). An element the app
    re-rendered between finding and clicking is found once more; a click that was made is never repeated here.
    `mark`: the element's token, for a click on a background tab (_click_without_frames). An announcement
    dismissed during the click (Playwright runs the handler first) that leaves the control unclickable ends the
    click at once rather than waiting out the time-out for a menu that closed."""
    deadline = time.monotonic() + driver.timeout_ms / 1000
    interruptions = driver.interruptions
    for attempt in range(2):
        if target.count() == 0:  # replaced by a re-render since it was found
            again = refind()
            if again is None:  # clicking a control no longer there would only wait out the time-out
                raise _Gone
            target = again
        if mark is not None and not driver.eyes.draws_frames():
            if _click_without_frames(driver, target, mark(), deadline, frame):
                return target
            continue  # gone meanwhile: found again above
        left = max(1.0, (deadline - time.monotonic()) * 1000)
        try:
            target.click(timeout=min(left, DETACH_MS) if attempt == 0 else left)
            return target
        except PlaywrightTimeoutError as error:
            if _made(str(error)):
                # The click was made; only what Playwright waits for after it ran out of time (a busy renderer,
                # many pages at once). Whether it did anything is the caller's effect check, as for any click.
                return target
            if driver.interruptions != interruptions:
                raise _TakenAway from None
            if attempt == 1:
                raise
            if target.count() > 0:  # still there, not yet actionable (a slow Save, say): wait the rest
                target.click(timeout=max(1.0, (deadline - time.monotonic()) * 1000))
                return target
    target.click(timeout=max(1.0, (deadline - time.monotonic()) * 1000))
    return target


def checked_within(driver: Driver, selector_token: str, wanted: bool, ms: float, frame: Frame | None = None) -> bool:
    """Until the box reads `wanted` (input.checked, else aria-checked, else its label's state), at most ms."""
    deadline = time.monotonic() + ms / 1000
    while True:
        box = driver.eyes.state(selector_token, frame)
        if box.attached and box.checked is wanted:
            return True
        left = (deadline - time.monotonic()) * 1000
        if left <= 0:
            return False
        driver.eyes.wait_for_change(box.stamp.mutations, min(left, LOOK_MS), frame)


def _effect(
    driver: Driver, selector_token: str, before: str, requests_before: int, ms: float, frame: Frame | None
) -> bool:
    """Something the click must cause: URL or content changed, a dialog opened or closed, the target's state
    changed, or the app sent a request in answer; looked for during `ms` (in the frame the control is in)."""
    deadline = time.monotonic() + ms / 1000
    while True:
        if driver.eyes.effect_seen(selector_token, before, min(LOOK_MS, ms), frame):
            return True
        if driver.eyes.network.started > requests_before:
            return True
        if time.monotonic() >= deadline:
            return False


def press(
    driver: Driver,
    scan: Scan,
    candidate: Candidate,
    refind: Callable[[], tuple[Scan, Candidate] | None],
    *,
    outline: bool = True,
) -> None:
    """Click the candidate (a radio or checkbox: choose it, on its label or visible box) and confirm the effect.
    A click with no effect is tried once more; then NoEffect."""
    token = f"{scan.token}-{candidate.index}"
    target = scan.locator(candidate.index)
    frame = scan.frame
    if outline:
        driver.target(target)
    if candidate.checkable and candidate.checked:
        return  # chosen already: a second click would undo a checkbox
    if candidate.tag == "select":
        _choose_option(driver, target, candidate)
        return

    def again() -> Locator | None:
        nonlocal token
        found = refind()
        if found is None:
            return None
        token = f"{found[0].token}-{found[1].index}"
        return found[0].locator(found[1].index)

    def took(before: Signature, requests: int, ms: float) -> bool:
        if candidate.checkable:
            return checked_within(driver, token, True, ms, frame)
        # A change is the click's effect only if the click reached the page: one that a starved renderer dropped
        # leaves a page still loading its data to change by itself.
        if not _effect(driver, token, before.sig, requests, ms, frame):
            return False
        return driver.eyes.pressed_since(before, driver.eyes.last_change, frame) is not False

    lost = False
    for attempt in range(2):
        before = driver.eyes.signature(token, frame)
        requests = driver.eyes.network.started
        try:
            target = _click(driver, target, again, lambda: token, frame)
        except _TakenAway:
            why = "an announcement dismissed on the way took it away"
            raise PathUndone(f'"{candidate.name}" to stay clickable', [], why) from None
        except _Gone:
            raise NoEffect(f'"{candidate.name}" to stay on screen until clicked', [], "it went away") from None
        if took(before, requests, NO_EFFECT_MS):
            return
        if attempt == 0:
            # A starved machine can show the first click's effect (or the click itself) after NO_EFFECT_MS: once
            # the page has settled, look again before a second click that would undo a toggle (a submenu title).
            driver.eyes.settle(NO_EFFECT_MS)
            if took(before, requests, 1):
                return
        lost = driver.eyes.pressed_since(before, frame=frame) is False
    detail = "the clicks never reached the page" if lost else "clicked twice; nothing changed"
    raise NoEffect(f'"{candidate.name}" to respond to a click', [], detail)


# The index of the option whose words are the label (spacing and case aside), or -1.
_OPTION = """(select, wanted) => {
  const key = (text) => text.replace(/\\s+/g, " ").trim().toLowerCase();
  return [...select.options].findIndex((option) => key(option.text) === key(wanted));
}"""


def _choose_option(driver: Driver, target: Locator, candidate: Candidate) -> None:
    """A native drop-down list: choose the option that says the label, and see it chosen."""
    index = target.evaluate(_OPTION, candidate.label)
    if index < 0:
        raise NoEffect(f'"{candidate.label}" to be offered by the list', [candidate.name], "the list no longer has it")
    if target.evaluate("select => select.selectedIndex") != index:
        target.select_option(index=index, timeout=driver.timeout_ms)
    if target.evaluate("select => select.selectedIndex") != index:
        raise NoEffect(f'"{candidate.label}" to be chosen in the list', [candidate.name], "it stayed unchosen")


def click_label(driver: Driver, labels: Sequence[str], area: str, timeout_ms: float | None = None) -> bool:
    """Click the control saying one of `labels`, if there is one (waits until the page settles). True if clicked."""
    found = find(driver, labels, area, timeout_ms)
    chosen = choose(found.candidates, labels)
    if chosen is None:
        return False
    press(driver, found.scan, chosen, lambda: refind(driver, labels, area))
    return True


def refind(driver: Driver, labels: Sequence[str], area: str) -> tuple[Scan, Candidate] | None:
    """The control again, after the app re-rendered it."""
    found = find(driver, labels, area)
    chosen = choose(found.candidates, labels)
    return (found.scan, chosen) if chosen else None
