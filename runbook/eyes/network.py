"""Requests in flight on a page, from Playwright's own events (scripts and images included, not only what the
page's script fetches): part of what tells a settled page from a busy one."""

from __future__ import annotations

import time

from playwright.sync_api import Page, Request

# The page has settled when its DOM has not changed and no request has been in flight for this long.
QUIET_MS = 300
# A request still open after this long (a long poll, a beacon) no longer holds the page unsettled.
STALE_REQUEST_S = 5.0


class Network:
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
