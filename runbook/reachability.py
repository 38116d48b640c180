"""Is Business Center answering at all? A cheap, bounded probe, so a dead site is told apart from a changed one."""

from __future__ import annotations

import ssl
import time
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit

from playwright.sync_api import Page, Request

from runbook.errors import SiteUnreachable

PROBE_TIMEOUT_SECONDS = 5.0  # generous: a slow answer is still an answer; refused or unknown hosts fail at once
# While waiting for the owner: how often the site is probed when no request of the page has failed meanwhile.
PROBE_EVERY_SECONDS = 3.0


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


class SiteWatch:
    """Probes the site every few seconds, and at once after one of the page's requests failed."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.base_url = base_url
        self._failed = False
        self._next = time.monotonic() + PROBE_EVERY_SECONDS
        page.on("requestfailed", self._on_failed)

    def _on_failed(self, request: Request) -> None:
        self._failed = True

    def check(self, step: int, title: str) -> None:
        """Raises SiteUnreachable when two probes in a row get no answer."""
        if not self._failed and time.monotonic() < self._next:
            return
        self._failed = False
        self._next = time.monotonic() + PROBE_EVERY_SECONDS
        if not answers(self.base_url) and not answers(self.base_url):
            raise SiteUnreachable(self.base_url, step, title)
