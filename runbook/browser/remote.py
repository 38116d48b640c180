"""A browser on a browser service instead of one launched here: `--browser-endpoint`, its headers and the
client's network the remote browser may reach, checked before anything connects; the connection, and what the
service's failures (unreachable, refused, a version mismatch, gone mid-run) become: one line naming the endpoint
without its secrets.

ws:// and wss:// speak Playwright's own protocol (`playwright run-server`, Browserless, Moon, Selenium Grid's
Playwright endpoint): the service launches the browser with its own defaults. http:// and https:// are a Chromium's
DevTools (CDP) endpoint. Either way the saved session travels to the browser as an object, into a fresh context
held in the remote browser's memory: no file of it is written on the far side (see browser_page).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

from runbook.core.errors import (
    BadInput,
    BrowserServiceGone,
    BrowserServiceRefused,
    Interrupted,
    RunbookError,
    StepFailed,
)
from runbook.core.inputs import is_local

ENDPOINT_ENV = "TIKTOK_RUNBOOK_BROWSER_ENDPOINT"
# Headers from the environment, one NAME=VALUE a line, when no --browser-header is given: a token on the command
# line is visible to every user of the machine (ps), one in the environment is not.
HEADERS_ENV = "TIKTOK_RUNBOOK_BROWSER_HEADERS"
LOOPBACK = "<loopback>"
# A service may queue a session until a browser is free (Browserless does beyond its concurrency): generous.
CONNECT_TIMEOUT_MS = 60_000
MAX_HEADERS = 20
MAX_HEADER_LENGTH = 8_000
# RFC 9110's token: what a header's name may hold.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_STATUS = re.compile(r" (\d{3}) [A-Z][A-Za-z ]+")
_MISMATCH = re.compile(r"server version: v(\d+\.\d+).*client version: v(\d+\.\d+)", re.DOTALL)


def shown(url: str) -> str:
    """The endpoint as a line may name it: scheme, host, port and path; a user, a password and a query (where
    services put their tokens: ?token=…) are left out."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{host}{port}{parts.path or '/'}" + ("?…" if parts.query else "")


def parse_headers(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    """NAME=VALUE pairs; a bad one is refused by its position and name, never its value."""
    if len(values) > MAX_HEADERS:
        raise BadInput(f"--browser-header: at most {MAX_HEADERS} headers")
    headers: dict[str, str] = {}
    for number, value in enumerate(values, start=1):
        name, sep, content = value.partition("=")
        name = name.strip()
        # Named only when it is one: without "=" the whole of it may be the value (a token pasted alone).
        label = f"--browser-header #{number}" + (f" ({name})" if sep and _HEADER_NAME.fullmatch(name) else "")
        if not sep or not _HEADER_NAME.fullmatch(name) or not content:
            raise BadInput(f"{label}: expected NAME=VALUE, e.g. Authorization=Bearer … (the value is not shown)")
        if len(content) > MAX_HEADER_LENGTH or any((ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F for c in content):
            raise BadInput(
                f"{label}: the value is longer than {MAX_HEADER_LENGTH} characters or holds a control character"
            )
        headers[name] = content
    return headers


@dataclass(frozen=True)
class Endpoint:
    """Where the browser runs, and what goes with the connection. Its repr shows no header and no query."""

    url: str = field(repr=False)
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    expose_network: str | None = None

    @property
    def cdp(self) -> bool:
        return self.url.startswith(("http://", "https://"))

    @property
    def name(self) -> str:
        return shown(self.url)

    @classmethod
    def build(cls, url: str, headers: tuple[str, ...], expose_network: str | None, *, base_url: str) -> Endpoint:
        """Checked: a ws(s) or http(s) URL with a host; headers from the options, else the environment; the
        network to expose defaults to the client's loopback when the base URL is on this machine (the mock)."""
        parts = urlsplit(url)
        if len(url) > 2000 or parts.scheme not in ("ws", "wss", "http", "https") or not parts.hostname:
            raise BadInput(
                "--browser-endpoint must be a ws:// or wss:// URL of a browser server (playwright run-server, "
                "Browserless, Moon) or an http(s):// CDP endpoint, with a host (example: ws://127.0.0.1:3000/)"
            )
        if any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in url):
            raise BadInput(f"--browser-endpoint {shown(url)}: holds a space, control or non-ASCII character")
        from_env = tuple(line for line in os.environ.get(HEADERS_ENV, "").splitlines() if line.strip())
        parsed = parse_headers(headers or from_env)
        if url.startswith(("http://", "https://")):
            if expose_network:
                raise BadInput(
                    "--expose-network needs a ws:// browser server: a CDP endpoint cannot reach this machine"
                )
            return cls(url, parsed, None)
        if expose_network is None:
            expose_network = LOOPBACK if is_local(urlsplit(base_url).hostname or "") else None
        return cls(url, parsed, expose_network or None)


def connect(playwright: Playwright, endpoint: Endpoint) -> Browser:
    """The service's browser, or the reason there is none, in one line."""
    try:
        if endpoint.cdp:
            return playwright.chromium.connect_over_cdp(
                endpoint.url, timeout=CONNECT_TIMEOUT_MS, headers=endpoint.headers or None
            )
        return playwright.chromium.connect(
            endpoint.url,
            timeout=CONNECT_TIMEOUT_MS,
            headers=endpoint.headers or None,
            expose_network=endpoint.expose_network,
        )
    except PlaywrightError as error:
        raise refusal(endpoint, str(error)) from None


def refusal(endpoint: Endpoint, message: str) -> RunbookError:
    """What a failed connection says, without Playwright's call log (it repeats the URL, query and all)."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    mismatch = _MISMATCH.search(message)
    if mismatch:
        server, client = mismatch.groups()
        return BrowserServiceRefused(
            f"the browser service at {endpoint.name} runs Playwright {server}, this runbook {client}: they must "
            f"match in major.minor; run a server of Playwright {client} (see examples/browser-server/)"
        )
    if endpoint.cdp and "not valid JSON" in first:  # something answered, but not a DevTools endpoint
        return BrowserServiceRefused(
            f"{endpoint.name} is not a CDP endpoint (no DevTools answer); a Playwright browser server is reached "
            "with ws:// (example: --browser-endpoint ws://127.0.0.1:3000/)"
        )
    status = _STATUS.search(first)
    if status and status.group(1) not in ("502", "503", "504"):
        return BrowserServiceRefused(
            f"the browser service at {endpoint.name} refused the connection ({status.group().strip()}): check "
            "--browser-endpoint's path and --browser-header's token"
        )
    why = next(
        (word for word in ("ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN") if word in first),
        "",
    )
    if "Timeout" in first:
        why = "no browser within 60 s"
    elif "Executable doesn't exist" in message:
        return BrowserServiceRefused(
            f"the browser service at {endpoint.name} has no browser installed (run 'playwright install chromium' "
            "there, or use its container image: see examples/browser-server/)"
        )
    detail = {"ECONNREFUSED": "connection refused", "ENOTFOUND": "unknown host", "EAI_AGAIN": "unknown host"}.get(
        why, why.lower() or "no connection"
    )
    return BrowserServiceGone(
        f"the browser service at {endpoint.name} did not answer ({detail}); check --browser-endpoint and that "
        "the service runs, then run the same command again"
    )


@contextmanager
def connected(playwright: Playwright, endpoint: Endpoint) -> Iterator[Browser]:
    """The service's browser for the block; if the service goes away meanwhile, whatever the block's step made
    of it (a step that failed, a browser error) becomes one line saying so: what was done stays done, and the
    same command resumes."""
    browser = connect(playwright, endpoint)
    try:
        yield browser
    except Interrupted:
        raise
    except (RunbookError, PlaywrightError) as error:
        if browser.is_connected():
            raise
        during = f' during step {error.step} "{error.title}"' if isinstance(error, StepFailed) else ""
        raise BrowserServiceGone(
            f"the browser service at {endpoint.name} closed the connection{during}; run the same command again "
            "when it is back (steps already done are skipped)"
        ) from error
    finally:
        if browser.is_connected():
            with suppress(PlaywrightError):
                browser.close()
