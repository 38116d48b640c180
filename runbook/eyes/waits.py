"""Waiting for the first of several outcomes, bounded: at every change of the page, and at least every poll."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from runbook.eyes.answers import Stamp
from runbook.eyes.driver import Driver
from runbook.eyes.engine import LOOK_MS

Probe = Locator | Callable[[], bool]


def wait_for_any(
    driver: Driver,
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
    eyes = driver.eyes
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
            stamp: Stamp | None = eyes.quiet()
        except PlaywrightError:
            stamp = None
        if until_settled and stamp is not None and eyes.settled(stamp):
            return None
        if left <= 0:
            return None
        wait = min(eyes.next_look_ms(stamp, left) if until_settled else left, poll_ms)
        eyes.wait_for_change(stamp.mutations if stamp else -1, wait)
