"""Is Business Center answering at all? So that a dead site is told apart from a changed one, within seconds.

Two ways to tell: a cheap, bounded HTTP probe of the base URL from Python, and the page's own requests failing.
The probe is trusted only if it worked when the run began: behind a proxy that only the browser knows of, it
would fail while the site is fine, so then only the page's requests are watched.
"""

from __future__ import annotations

import re
import ssl
import time
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit

from playwright.sync_api import Page, Request, Response

from runbook.core.errors import SiteUnreachable

# Generous: a slow answer is still an answer; a refused connection or an unknown host fails at once.
PROBE_TIMEOUT_SECONDS = 5.0
# While waiting for the owner: how often the site is probed when none of the page's requests failed meanwhile.
PROBE_EVERY_SECONDS = 3.0
# Without a probe: the page's requests failing, with no answer at all for this long, means the site is gone.
SILENT_SECONDS = 5.0
_NET_ERROR = re.compile(r"net::ERR_[A-Z_]+")


def answers(base_url: str, timeout: float = PROBE_TIMEOUT_SECONDS) -> bool:
    """Any HTTP answer counts, even an error status: only a refused, reset, unresolvable or silent one does not.

    No proxy from the environment, as the browser uses none; no redirect is followed (a redirect is an answer).
    """
    parts = urlsplit(base_url)
    connection_type = HTTPSConnection if parts.scheme == "https" else HTTPConnection
    connection = connection_type(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.request("HEAD", parts.path or "/")
        connection.getresponse()
        return True
    except ssl.SSLError:  # something answered; what the browser makes of its certificate is another matter
        return True
    except (OSError, HTTPException):
        return False
    finally:
        connection.close()


def net_error(message: str) -> str | None:
    """Chromium's network error in a Playwright message (net::ERR_CONNECTION_REFUSED), unless it is about a
    certificate or a cancelled load, where the site did answer."""
    found = _NET_ERROR.search(message)
    if found is None or found.group().startswith(("net::ERR_CERT", "net::ERR_SSL", "net::ERR_ABORTED")):
        return None
    return found.group()


class SiteWatch:
    """Watches, during a long wait, that the site still answers: probes every few seconds (at once after one
    of the page's requests failed), or, when probes cannot reach the site, the page's requests alone."""

    def __init__(self, page: Page, base_url: str, *, probe: bool = True) -> None:
        self.base_url = base_url
        self.probe = probe
        self._failed = 0
        self._answered = time.monotonic()
        self._next = time.monotonic() + PROBE_EVERY_SECONDS
        page.on("requestfailed", self._on_failed)
        page.on("response", self._on_response)

    def _on_failed(self, request: Request) -> None:
        if net_error(request.failure or "") is not None:
            self._failed += 1

    def _on_response(self, response: Response) -> None:
        self._answered = time.monotonic()
        self._failed = 0

    def check(self, step: int, title: str) -> None:
        """Raises SiteUnreachable when the site stopped answering."""
        now = time.monotonic()
        if not self.probe:
            if self._failed >= 2 and now - self._answered > SILENT_SECONDS:
                raise SiteUnreachable(self.base_url, step, title)
            return
        if not self._failed and now < self._next:
            return
        self._failed = 0
        self._next = now + PROBE_EVERY_SECONDS
        if not answers(self.base_url) and not answers(self.base_url):
            raise SiteUnreachable(self.base_url, step, title)
