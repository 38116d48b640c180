"""Webhooks against local receivers: one that works, one that is dead, one that fails before it works."""

from __future__ import annotations

import json
import socket
import threading
from typing import Any

import pytest

from runbook.core.errors import BadInput
from runbook.share.server import QuietHandler
from runbook.share.webhooks import Notifier, check_webhook_url
from tests.support.hooks import LocalHook


class Receiver(LocalHook):
    """A webhook on 127.0.0.1: answers `failures` requests with 500, then 200; keeps what it was sent."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.bodies: list[dict[str, Any]] = []
        self.attempts = 0
        self.got = threading.Condition()
        super().__init__(_Handler)


class _Handler(QuietHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.got:
            self.server.attempts += 1
            failing = self.server.attempts <= self.server.failures
            if not failing:
                self.server.bodies.append(json.loads(body))
            self.server.got.notify_all()
        self.send_response(500 if failing else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def receivers(local_hooks: list[Receiver]) -> list[Receiver]:
    return local_hooks


def _dead_url() -> str:
    """A port nothing listens on: bound, then closed again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks/SECRET-PATH"


EVENTS = [
    {"event": "step", "step": 4, "status": "ok"},
    {
        "event": "qr",
        "account": "@a",
        "payload": "https://bc/authorize/abc",
        "png": "q.png",
        "expires_at": "2030-01-01T00:02:00+00:00",
        "attempt": 1,
    },
    {"event": "waiting", "account": "@a", "seconds_left": 100},
    {"event": "accepted", "account": "@a", "codes": 1},
    {"event": "done", "account": "@a", "already": False},
    {"event": "failed", "account": "@b", "status": "timed out", "message": "@b did not accept within 600 s"},
    {
        "event": "summary",
        "accounts": [
            {"account": "@a", "status": "assigned", "codes": 1, "seconds": 12.0},
            {"account": "@b", "status": "timed out", "codes": 3, "seconds": 600.0},
        ],
    },
]


def test_the_events_a_person_acts_on_are_posted_with_a_text(receivers: list[Receiver]) -> None:
    receiver = Receiver()
    receivers.append(receiver)
    problems: list[str] = []
    notifier = Notifier([receiver.url], problems.append, backoff=0.05)
    for event in EVENTS:
        notifier(event)
    notifier.close(timeout=10)
    assert [body["event"] for body in receiver.bodies] == ["qr", "accepted", "done", "failed", "summary"]
    qr = receiver.bodies[0]
    assert qr["payload"] == "https://bc/authorize/abc" and qr["account"] == "@a" and qr["expires_at"]
    assert "@a" in qr["text"] and "https://bc/authorize/abc" in qr["text"]
    assert receiver.bodies[2]["text"] == "@a is assigned."
    assert "timed out" in receiver.bodies[3]["text"]
    assert "1 assigned" in receiver.bodies[4]["text"] and "1 timed out" in receiver.bodies[4]["text"]
    assert problems == []


def test_a_failing_webhook_is_retried_until_it_answers(receivers: list[Receiver]) -> None:
    receiver = Receiver(failures=2)
    receivers.append(receiver)
    problems: list[str] = []
    notifier = Notifier([receiver.url], problems.append, backoff=0.05)
    notifier(EVENTS[1])
    notifier.close(timeout=10)
    assert receiver.attempts == 3
    assert [body["event"] for body in receiver.bodies] == ["qr"]
    assert problems == []


def test_a_dead_webhook_is_reported_once_and_stops_nothing(receivers: list[Receiver]) -> None:
    alive = Receiver()
    receivers.append(alive)
    dead = _dead_url()
    problems: list[str] = []
    notifier = Notifier([dead, alive.url], problems.append, retries=2, backoff=0.05)
    for event in EVENTS:
        notifier(event)  # returns at once: posting happens elsewhere
    notifier.close(timeout=10)
    assert len(alive.bodies) == 5, "the dead webhook held up the live one"
    assert len(problems) == 1, problems
    assert "127.0.0.1" in problems[0] and "SECRET-PATH" not in problems[0]


def test_close_is_bounded_even_when_a_webhook_keeps_failing(receivers: list[Receiver]) -> None:
    receiver = Receiver(failures=1000)
    receivers.append(receiver)
    problems: list[str] = []
    notifier = Notifier([receiver.url], problems.append, retries=1000, backoff=0.05, max_backoff=0.05)
    for event in EVENTS:
        notifier(event)
    closing = threading.Thread(target=notifier.close, kwargs={"timeout": 0.5})
    closing.start()
    closing.join(timeout=10)
    assert not closing.is_alive()
    assert receiver.bodies == []
    assert problems and all("SECRET-PATH" not in line for line in problems)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://hooks.example.com/services/T/B/X", True),
        ("http://127.0.0.1:9000/hook", True),
        ("http://localhost/hook", True),
        ("http://hooks.example.com/services/T/B/X", False),
        ("ftp://hooks.example.com/x", False),
        ("hooks.example.com/x", False),
    ],
)
def test_webhook_urls_are_https_or_local_http(url: str, ok: bool) -> None:
    if ok:
        assert check_webhook_url(url) == url
    else:
        with pytest.raises(BadInput) as refused:
            check_webhook_url(url)
        assert "/services/" not in str(refused.value)
