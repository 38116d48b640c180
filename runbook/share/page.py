"""connect --share: a small live page, served from the runbook process, where account owners find their QR code.

Each link carries a random token; a request without a known token gets a bare 404, so the page gives away
nothing, not even that it exists. The page (static/share.*: plain HTML, CSS and JS) follows the board through
server-sent events and falls back to polling `state` where EventSource is missing.

    page = SharePage(per_account=True, accounts=["@a", "@b"])
    links = page.start()          # [("@a", "http://127.0.0.1:PORT/s/TOKEN/"), ...]
    with reporter.heard_by(page):
        ...                       # the run: every event it emits reaches the board
    page.close()                  # answers until every open page has seen the final status, or 30 s
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from runbook.share.board import Board
from runbook.share.server import QuietHandler, SmallServer

# A page is told about changes at once; with nothing new, a comment line keeps proxies from closing the stream.
KEEPALIVE_SECONDS = 15.0
# A page whose stream dropped gets this long to come back (EventSource reconnects by itself) before close()
# stops waiting for it.
RECONNECT_GRACE_SECONDS = 5.0
_ASSETS = {"share.css": "text/css; charset=utf-8", "share.js": "text/javascript; charset=utf-8"}
# The token is in the URL: it must not leak through a Referer, a cache, or a frame on another site.
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
}


@dataclass
class _Client:
    """One open page, known by the id its script picked, so a reconnect is the same page."""

    open_streams: int = 0
    last_seen: float = 0.0
    saw_final: bool = False


class _Server(SmallServer):
    def __init__(self, address: tuple[str, int], share: SharePage) -> None:
        self.share = share
        super().__init__(address, _Handler)


class _Handler(QuietHandler):
    server: _Server
    server_version = "tiktok-runbook-share"
    sys_version = ""
    # HTTP/1.0: one request per connection, so nothing is left answering on a kept-alive socket after close().
    protocol_version = "HTTP/1.0"

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Other methods and malformed requests: a bare status, no page naming the server."""
        self.close_connection = True
        self._send(404 if code in (405, 501) else code, b"", "text/plain")

    def do_GET(self) -> None:
        share = self.server.share
        parts = urlsplit(self.path)
        segments = parts.path.split("/")
        # /s/<token>/<resource>
        view = share._view(segments[2]) if len(segments) == 4 and segments[1] == "s" else None
        if view is None:
            return self._send(404, b"", "text/plain")
        only, resource = view[1], segments[3]
        client = (parse_qs(parts.query).get("c") or [""])[0][:64]
        if resource == "":
            return self._send(200, _asset("share.html"), "text/html; charset=utf-8")
        if resource in _ASSETS:
            return self._send(200, _asset(resource), _ASSETS[resource])
        if resource == "state":
            snapshot = share.board.snapshot(only)
            share._seen(client, snapshot)
            return self._send(200, json.dumps(snapshot).encode(), "application/json")
        if resource == "events":
            return self._stream(only, client)
        return self._send(404, b"", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in _HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, only: str | None, client: str) -> None:
        share = self.server.share
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        for name, value in _HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.close_connection = True
        share._stream_opened(client)
        try:
            self.wfile.write(b"retry: 1000\n\n")
            version = -1
            while True:
                snapshot = share.board.snapshot(only)
                if snapshot["version"] != version:
                    version = snapshot["version"]
                    self.wfile.write(f"data: {json.dumps(snapshot)}\n\n".encode())
                    self.wfile.flush()
                    share._seen(client, snapshot)
                    if snapshot["final"]:
                        # The page has the last word; it stops listening instead of reconnecting.
                        self.wfile.write(b"event: end\ndata: {}\n\n")
                        self.wfile.flush()
                        return
                if share.board.closed:
                    return
                if share.board.wait_newer(version, KEEPALIVE_SECONDS) == version and not share.board.closed:
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return
        finally:
            share._stream_closed(client)


def _asset(name: str) -> bytes:
    return resources.files("runbook.share").joinpath("static").joinpath(name).read_bytes()


def bind(host: str, port: int, share: SharePage) -> _Server:
    """The page's listening socket (the one place it is opened); one that cannot be opened (the port in use, a
    host not of this machine) is one line for the operator (runbook/share/server.py)."""
    return _Server((host, port), share)


def _reachable_address(host: str) -> str:
    """The address to print in links: a wildcard bind is reached through this machine's LAN address."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
        return str(probe.getsockname()[0])
    except OSError:
        return socket.gethostname()
    finally:
        probe.close()


class SharePage:
    """The live share page; a Reporter listener. See the module docstring."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        per_account: bool = False,
        accounts: Sequence[str] = (),
        public_url: str | None = None,
        tokens: Callable[[str | None], str] | None = None,
        notes: Mapping[str, str] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        # Where owners reach the page (a reverse proxy or a tunnel in front of host:port), ending in "/": the links
        # are built on it. The page's own requests are relative, so a proxy may serve it under a path of its own.
        self.public_url = public_url
        self.per_account = per_account
        self.accounts = list(dict.fromkeys(accounts))
        self.board = Board(self.accounts, notes)
        # token -> the account it shows (None: all of them); `tokens` gives them (kept from an earlier run,
        # runbook/share/links.py), else each is new
        token = tokens or (lambda shown: secrets.token_urlsafe(24))
        shown: list[str | None] = list(self.accounts) if per_account else [None]
        self._tokens: dict[str, str | None] = {token(account): account for account in shown}
        self._clients: dict[str, _Client] = {}
        self._clients_lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> list[tuple[str | None, str]]:
        """Starts serving; returns the links: [(None, url)], or per account [("@a", url_a), ...]."""
        self._httpd = bind(self.host, self.port, self)
        self.port = self._httpd.server_address[1]
        address = _reachable_address(self.host)
        shown = f"[{address}]" if ":" in address else address
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="share-page", daemon=True)
        self._thread.start()
        base = self.public_url or f"http://{shown}:{self.port}/"
        return [(account, f"{base}s/{token}/") for token, account in self._tokens.items()]

    def __call__(self, event: dict[str, Any]) -> None:
        self.board.apply(event)

    def close(self, linger: float = 30.0) -> None:
        """Keeps answering until every open page has seen the final status, or `linger` seconds; then stops."""
        if self._httpd is None:
            return
        deadline = time.monotonic() + linger
        self.board.finish()  # a run that ended without a summary has ended all the same
        while time.monotonic() < deadline and self._waiting_for():
            self.board.wait_newer(self.board.version, 0.1)
        self.board.close()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        self._httpd = None

    def __enter__(self) -> SharePage:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- for the request handler --------------------------------------------------------------------------

    def _view(self, token: str) -> tuple[str, str | None] | None:
        """(token, account shown) for a known token; compared in constant time, like a password."""
        found = None
        for known, account in self._tokens.items():
            if secrets.compare_digest(known.encode(), token.encode()):
                found = (known, account)
        return found

    def _client(self, client: str) -> _Client | None:
        if not client:
            return None
        return self._clients.setdefault(client, _Client())

    def _stream_opened(self, client: str) -> None:
        with self._clients_lock:
            entry = self._client(client)
            if entry:
                entry.open_streams += 1
                entry.last_seen = time.monotonic()

    def _stream_closed(self, client: str) -> None:
        with self._clients_lock:
            entry = self._client(client)
            if entry:
                entry.open_streams -= 1
                entry.last_seen = time.monotonic()

    def _seen(self, client: str, snapshot: dict[str, Any]) -> None:
        with self._clients_lock:
            entry = self._client(client)
            if entry:
                entry.last_seen = time.monotonic()
                entry.saw_final = entry.saw_final or snapshot["final"]

    def _waiting_for(self) -> int:
        """How many pages are open (or just dropped and likely back soon) and have not seen the final status."""
        now = time.monotonic()
        with self._clients_lock:
            return sum(
                1
                for entry in self._clients.values()
                if not entry.saw_final and (entry.open_streams > 0 or now - entry.last_seen < RECONNECT_GRACE_SECONDS)
            )
