"""A webhook is somebody else's server: what it answers is read up to a small cap, its redirects are not followed,
a plain-http name that resolves off this machine is refused once connected, and a password in its URL is sent as
authorization but never printed."""

from __future__ import annotations

import socket
import time

import pytest

from runbook.share import webhooks
from runbook.share.server import QuietHandler
from runbook.share.webhooks import Notifier, redact
from tests.support.hooks import LocalHook

QR = {"event": "qr", "account": "@a", "payload": "https://bc/authorize/abc", "attempt": 1}


class Hook(LocalHook):
    """A webhook answering each POST as `answer` says: "endless" (a body that never ends), "redirect" (302 to
    `location`), or "ok"; it keeps the requests' headers."""

    def __init__(self, answer: str, host: str = "127.0.0.1", location: str = "") -> None:
        self.answer = answer
        self.location = location
        self.requests: list[dict[str, str]] = []
        super().__init__(_Answer, host)


class _Answer(QuietHandler):
    server: Hook

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append(dict(self.headers))
        if self.server.answer == "redirect":
            self.send_response(302)
            self.send_header("Location", self.server.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.end_headers()
        if self.server.answer == "ok":
            self.wfile.write(b"ok")
            return
        chunk = b"x" * 65536
        deadline = time.monotonic() + 30  # endless for any run that reads it whole
        try:
            while time.monotonic() < deadline:
                self.wfile.write(chunk)
        except OSError:
            return


def notify(url: str, problems: list[str]) -> None:
    with Notifier([url], problems.append, retries=0, request_timeout=5) as notifier:
        notifier(QR)


def test_an_endless_answer_is_read_up_to_a_cap(local_hooks: list[Hook]) -> None:
    local_hooks.append(hook := Hook("endless"))
    problems: list[str] = []
    started = time.monotonic()
    notify(hook.url, problems)
    assert len(hook.requests) == 1 and problems == []  # delivered; close() did not have to give up on it
    assert time.monotonic() - started < 8
    assert webhooks.ANSWER_BYTES <= 65536


def test_a_redirect_is_not_followed(local_hooks: list[Hook]) -> None:
    local_hooks.append(elsewhere := Hook("ok"))
    local_hooks.append(hook := Hook("redirect", location=elsewhere.url))
    problems: list[str] = []
    notify(hook.url, problems)
    assert len(hook.requests) == 1 and elsewhere.requests == []
    assert len(problems) == 1 and "HTTP 302" in problems[0]


def test_credentials_are_sent_as_authorization_and_never_printed(local_hooks: list[Hook]) -> None:
    local_hooks.append(hook := Hook("ok"))
    problems: list[str] = []
    notify(hook.url.replace("127.0.0.1", "relay:s3cret@127.0.0.1"), problems)
    assert problems == [] and hook.requests[0]["Authorization"] == "Basic cmVsYXk6czNjcmV0"
    with socket.socket() as probe:  # a dead one: its problem line names the host, not the password
        probe.bind(("127.0.0.1", 0))
        dead = f"http://relay:s3cret@127.0.0.1:{probe.getsockname()[1]}/hooks/SECRET-PATH"
    notify(dead, problems)
    assert len(problems) == 1 and "s3cret" not in problems[0] and "relay" not in problems[0], problems
    assert "http://***@127.0.0.1:" in problems[0] and "SECRET" not in problems[0]
    assert redact("https://u:p@hooks.example/x") == "https://***@hooks.example/…"


def _lan_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this picks the outgoing interface
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


def test_a_localhost_name_that_resolves_elsewhere_is_refused(local_hooks: list[Hook], monkeypatch) -> None:
    """`evil.localhost` passes the check of the URL (it names this machine); the system resolver sends it to
    another address (here: this machine's LAN address, standing for another host): nothing is posted."""
    lan = _lan_address()
    if lan is None:
        pytest.skip("no address but loopback")
    local_hooks.append(hook := Hook("ok", host="0.0.0.0"))
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, *args, **kw: real(lan if host == "evil.localhost" else host, *args, **kw)
    )
    problems: list[str] = []
    notify(f"http://evil.localhost:{hook.port}/hook", problems)
    assert hook.requests == []
    assert len(problems) == 1 and "not this machine" in problems[0]
