"""Pages in browser windows of their own, for a run that works on several pages at once.

Headless Chromium draws only the front tab of each window. The other tabs of a window get an animation frame
about once a second, and Playwright waits for two of them before each click ("stable"): measured with Debian's
Chromium 156, every click on an account page but the newest took 2 s when the pages were tabs of one window, and
50 ms when each had a window of its own. The runbook's own waits for a change use frames too.
"""

from __future__ import annotations

from contextlib import suppress

from playwright.sync_api import BrowserContext, CDPSession, Page
from playwright.sync_api import Error as PlaywrightError


class Windows:
    """Opens pages of `context` in windows of their own; each arrives through the context's "page" event, as
    from `context.new_page()` (which a browser without the DevTools protocol's windows gets instead)."""

    def __init__(self, context: BrowserContext, beside: Page) -> None:
        self.context = context
        self._browser_session: CDPSession | None = None
        self._context_id: str | None = None
        try:
            page_session = context.new_cdp_session(beside)
            self._context_id = page_session.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
            page_session.detach()
            if context.browser is not None:
                self._browser_session = context.browser.new_browser_cdp_session()
        except PlaywrightError:
            self._browser_session = None

    def open(self) -> None:
        """Asks for the page; it arrives later, through the context's "page" event. (Not waited for here: a
        listener of that event that blocks, as the agency's walks do, holds back Playwright's own waiter.)"""
        if self._browser_session is None or self._context_id is None:
            self.context.new_page()
            return
        target = {"url": "about:blank", "browserContextId": self._context_id, "newWindow": True}
        try:
            self._browser_session.send("Target.createTarget", target)
        except PlaywrightError:
            self._browser_session = None
            self.context.new_page()

    def close(self) -> None:
        if self._browser_session is not None:
            with suppress(PlaywrightError):
                self._browser_session.detach()
            self._browser_session = None
