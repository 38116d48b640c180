"""connect --notify URL: the events a person acts on, POSTed as JSON to webhooks, without ever holding up the run.

Each body is the event itself plus a `text` field, so a Slack- or Teams-style incoming webhook shows a readable
line. Every URL has its own worker thread and queue: a slow or dead webhook delays nobody else. A failed POST is
retried with exponential backoff, a bounded number of times; a webhook that stays dead is reported once, through
`on_problem`, and the run goes on.

Which URLs: https anywhere; plain http only to this machine (a local relay). The bodies carry QR payloads, and
whoever holds a valid payload can answer the access request, so they must not cross a network in clear. A name
like `relay.localhost` is resolved by the system's resolver, which may send it anywhere: a plain http connection
is checked once made, and one whose peer is not a loopback address is closed before anything is sent.

What comes back is not needed: at most ANSWER_BYTES of it are read (an endless answer ends nothing), a redirect is
not followed (it would take the payloads to an address nobody checked), and every socket has a timeout. A URL's
user name and password, like its path, are never printed (`redact`).
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from runbook.core.errors import BadInput
from runbook.core.inputs import is_local
from runbook.core.text import printable

# The events a person acts on; "waiting", "step" and the like would only be noise in a chat.
NOTIFIED = ("qr", "accepted", "done", "failed", "summary")
_USER_AGENT = "tiktok-runbook (webhook)"
ANSWER_BYTES = 4096  # a chat's answer is "ok"; the rest is never read


class _LoopbackOnly(http.client.HTTPConnection):
    """Plain http: connected, then refused unless the peer is this machine (whatever the name resolved to)."""

    def connect(self) -> None:
        super().connect()
        peer = self.sock.getpeername()[0]
        if not ipaddress.ip_address(peer.split("%", 1)[0]).is_loopback:
            self.sock.close()
            raise OSError(f"{self.host} resolved to {peer}, not this machine; plain http goes to this machine only")


class _LoopbackHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_LoopbackOnly, req)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx is then an HTTPError: reported as "HTTP 302", never followed


_OPENER = urllib.request.build_opener(_LoopbackHandler, _NoRedirects)


def check_webhook_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(
            f"--notify must be an http(s) URL, got {redact(url)!r} (example: --notify https://hooks.example/…)"
        )
    if parts.scheme == "http" and not is_local(parts.hostname):
        raise BadInput(
            f"--notify {redact(url)} is plain http to another host: the notifications carry QR codes; use https"
        )
    return url


def redact(url: str) -> str:
    """Scheme and host only: a webhook's path is often its secret (Slack, Teams), and must not reach a log; a
    user name or password in it is shown as ***."""
    parts = urlsplit(url)
    if not parts.netloc:
        return "(not a URL)"
    _, at, host = parts.netloc.rpartition("@")
    return f"{parts.scheme}://{'***@' if at else ''}{printable(host)}/…"


def text(event: dict[str, Any], link: str | None = None) -> str:
    """One line a person reads in a chat; a new code's names the share page's `link` when there is one."""
    kind = event.get("event")
    account = event.get("account", "")
    if kind == "qr":
        until = f", valid until {event['expires_at']}" if event.get("expires_at") else ""
        asker = f" ({event['business_center']})" if event.get("business_center") else ""
        page = f" Share page: {link}" if link else ""
        return (
            f"QR code #{event.get('attempt', 1)} for {account}{asker}{until}: the owner scans it in TikTok "
            f"(Profile › Find Friends) and accepts.{page} Code: {event.get('payload', '')}"
        )
    if kind == "accepted":
        return f"{account} accepted the request."
    if kind == "done":
        return f"{account} was already linked and assigned." if event.get("already") else f"{account} is assigned."
    if kind == "failed":
        message = f": {event['message']}" if event.get("message") else ""
        return f"{account} {event.get('status') or 'failed'}{message}"
    if kind == "summary":
        rows = event.get("accounts") or []
        counts: dict[str, int] = {}
        for row in rows:
            counts[str(row.get("status"))] = counts.get(str(row.get("status")), 0) + 1
        tally = ", ".join(f"{n} {status}" for status, n in counts.items()) or "no accounts"
        each = "; ".join(f"{row.get('account')} {row.get('status')}" for row in rows)
        return f"Run finished: {tally}." + (f" {each}." if each else "")
    return str(kind)


class _Hook:
    """One webhook: its queue, its worker, whether it has been reported dead."""

    def __init__(self, url: str, notifier: Notifier) -> None:
        self.url = url
        self.notifier = notifier
        self.queue: queue.Queue[bytes | None] = queue.Queue()
        self.reported = False
        self.thread = threading.Thread(target=self._work, name=f"notify {redact(url)}", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        while True:
            body = self.queue.get()
            if body is None:
                return
            self._deliver(body)

    def _deliver(self, body: bytes) -> None:
        owner = self.notifier
        # Once reported dead, one try per event: the run's own pace is what matters now.
        tries = 1 if self.reported else owner.retries + 1
        delay = owner.backoff
        error = ""
        for attempt in range(tries):
            error = self._post(body)
            if not error:
                return
            late = owner.deadline is not None and time.monotonic() + delay > owner.deadline
            if attempt + 1 == tries or late:
                break
            owner.stopping.wait(delay)  # bounded backoff; close() cuts it short
            delay = min(delay * 2, owner.max_backoff)
        if not self.reported:
            self.reported = True
            owner.on_problem(f"webhook {redact(self.url)} is not answering ({error}); the run goes on without it")

    def _post(self, body: bytes) -> str:
        """'' when delivered, else why not."""
        url, headers = _with_credentials_as_header(self.url)
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": _USER_AGENT, **headers},
        )
        try:
            with _OPENER.open(request, timeout=self.notifier.request_timeout) as answer:
                answer.read(ANSWER_BYTES)  # closed after: the rest is never read
            return ""
        except urllib.error.HTTPError as refused:
            return f"HTTP {refused.code}"
        except (urllib.error.URLError, OSError) as failure:
            reason = getattr(failure, "reason", failure)
            return str(reason) or type(failure).__name__


def _with_credentials_as_header(url: str) -> tuple[str, dict[str, str]]:
    """A user and password in the URL (https://user:pass@relay/...) travel as Basic authorization, as a browser
    or curl would send them; urllib would take them for part of the host name."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, {}
    credentials = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
    token = base64.b64encode(credentials.encode()).decode()
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host)), {"Authorization": f"Basic {token}"}


class Notifier:
    """A Reporter listener: `__call__` only queues; `close()` gives pending posts up to `timeout` seconds."""

    def __init__(
        self,
        urls: Sequence[str],
        on_problem: Callable[[str], None],
        *,
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        request_timeout: float = 10.0,
    ) -> None:
        self.on_problem = on_problem
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.request_timeout = request_timeout
        self.stopping = threading.Event()
        self.deadline: float | None = None  # set by close(): no retry is started after it
        self.links: dict[str | None, str] = {}  # the share page's link of each account (None: of all of them)
        self.hooks = [_Hook(check_webhook_url(url), self) for url in dict.fromkeys(urls)]

    def __call__(self, event: dict[str, Any]) -> None:
        if event.get("event") == "share":  # the page's links: a new code's text names its own
            self.links[event.get("account")] = str(event.get("url"))
        if event.get("event") not in NOTIFIED or self.stopping.is_set():
            return
        link = self.links.get(event.get("account")) or self.links.get(None)
        body = json.dumps({**event, "text": text(event, link)}, default=str).encode("utf-8")
        for hook in self.hooks:
            hook.queue.put(body)

    def close(self, timeout: float = 10.0) -> None:
        """Sends what is queued, for at most `timeout` seconds; what is left then is dropped and reported."""
        self.deadline = time.monotonic() + timeout
        for hook in self.hooks:
            hook.queue.put(None)
        for hook in self.hooks:
            hook.thread.join(max(0.0, self.deadline - time.monotonic()))
        self.stopping.set()  # cuts short any backoff still waiting
        for hook in self.hooks:
            if hook.thread.is_alive():
                # The one in flight, plus those still queued (the queue also holds the stop mark).
                unsent = hook.queue.qsize()
                self.on_problem(f"webhook {redact(hook.url)}: {unsent} notification(s) not sent within {timeout:g} s")

    def __enter__(self) -> Notifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
