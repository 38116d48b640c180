"""connect --share and --notify while connect runs against the mock: the owners' page in a real browser, and
webhooks against a local receiver (one of them dead)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from runbook import qr
from tests.support.cli import run_cli
from tests.support.matrix import matrix
from tests.support.owners import expire_code
from tests.support.proxy import reverse_proxy

CLI = [sys.executable, "-m", "runbook"]


@contextmanager
def connect_process(mock, tmp_path: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """connect as the operator runs it, its events on stdout and its lines in a log; killed if a test ends first."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    log = tmp_path / "stderr.txt"
    args = ["connect", "--base-url", mock.url, "--events", "-", "--wait", "60", "--run-dir", str(tmp_path / "run")]
    with log.open("w") as stderr:
        run = subprocess.Popen([*CLI, *args, *extra], stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
    try:
        assert run.stdout is not None
        yield run, log
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()


def test_share_page_follows_a_connect_run(mock, page: Page, tmp_path: Path) -> None:
    """The owner's view: the code, a new code after the first expires, then "assigned"."""
    share = ["--share", "--share-port", str(_unused_port())]
    with connect_process(mock, tmp_path, "-a", "@s.one", *share) as (run, log):
        assert run.stdout is not None
        lines = iter(run.stdout)

        def next_event(kind: str) -> dict:
            for line in lines:  # ends when the run exits; the run is bounded by --wait
                event = json.loads(line)
                if event["event"] == kind:
                    return event
            raise AssertionError(f"no {kind} event; stderr:\n{log.read_text()}")

        share = next_event("share")
        assert "account" not in share
        page.goto(share["url"])
        card = page.get_by_role("region", name="@s.one")
        picture = card.get_by_role("img", name="QR code for @s.one")
        first = next_event("qr")
        expect(card.get_by_text("Waiting for you to scan")).to_be_visible()
        assert qr.decode(picture.screenshot()) == first["payload"]

        expire_code(mock, first["payload"].rsplit("/", 1)[1])  # the runbook has shared it: its event is out
        second = next_event("qr")
        assert second["attempt"] == 2 and second["payload"] != first["payload"]
        expect(card.get_by_text("Code #2")).to_be_visible()
        assert qr.decode(picture.screenshot()) == second["payload"]

        with urllib.request.urlopen(second["payload"], timeout=10) as scan:  # the owner scans the new code
            assert scan.status == 200
        expect(card.get_by_text("all done")).to_be_visible(timeout=60_000)
        assert run.wait(timeout=60) == 0, log.read_text()


@matrix  # three accounts' own links through the proxy run every day (tests/flows/test_share_owners.py)
def test_share_links_built_on_share_url_work_through_a_reverse_proxy(mock, page: Page, tmp_path: Path) -> None:
    """--share-url: the links printed and sent are the proxy's (a path of its own included), and through it the
    owner sees the code, live, then "assigned"."""
    port = _unused_port()
    with reverse_proxy(port) as public:
        share = ["--share", "--share-port", str(port), "--share-url", public]
        with connect_process(mock, tmp_path, "-a", "@p.one", *share) as (run, log):
            assert run.stdout is not None
            events = (json.loads(line) for line in run.stdout)
            link = next(e for e in events if e["event"] == "share")["url"]
            assert link.startswith(public + "s/"), link
            assert link in log.read_text()  # the line the operator reads says the same link
            page.goto(link)
            card = page.get_by_role("region", name="@p.one")
            code = next(e for e in events if e["event"] == "qr")
            expect(card.get_by_text("Waiting for you to scan")).to_be_visible()
            assert qr.decode(card.get_by_role("img", name="QR code for @p.one").screenshot()) == code["payload"]
            with urllib.request.urlopen(code["payload"], timeout=10) as scan:
                assert scan.status == 200
            expect(card.get_by_text("all done")).to_be_visible(timeout=60_000)
            assert run.wait(timeout=60) == 0, log.read_text()


@pytest.mark.parametrize(
    "url",
    ["ftp://share.example.com/", "https://share.example.com", "https://share.example.com/?a=1", "https://u@x.example/"],
)
def test_a_share_url_the_links_cannot_be_built_on_is_refused(url, capsys, monkeypatch) -> None:
    result = run_cli(["connect", "-a", "@x", "--share", "--share-url", url], capsys, monkeypatch)
    assert result.code == 2 and result.err.startswith("tiktok-runbook: --share-url"), result.err
    assert (
        "needs --share"
        in run_cli(["connect", "-a", "@x", "--share-url", "https://s.example/"], capsys, monkeypatch).err
    )


class _Receiver(BaseHTTPRequestHandler):
    bodies: list[dict]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.bodies.append(json.loads(self.rfile.read(length)))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.bodies = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", server.bodies  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def _unused_port() -> int:
    """A port nothing listens on now (free a moment ago): for a server to take, or a webhook that is dead."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_webhooks_hear_a_run_with_several_accounts(mock, owner, receiver, tmp_path, capsys, monkeypatch) -> None:
    url, bodies = receiver
    dead = f"http://127.0.0.1:{_unused_port()}/dead"
    run = tmp_path / "run"
    with owner(account="@n.one", shared=run / "n.one"):
        result = run_cli(
            [
                "connect",
                "--base-url",
                mock.url,
                "--events",
                "-",
                "--run-dir",
                str(run),
                "--wait",
                "60",
                "-a",
                "@acme.official",
                "-a",
                "@n.one",
                "--notify",
                url,
                "--notify",
                dead,
                "--share",
                "--share-port",
                str(_unused_port()),
                "--share-url-per-account",
            ],
            capsys,
            monkeypatch,
        )
    assert result.code == 0, result.err
    evs = [json.loads(line) for line in result.out.splitlines()]
    shares = [e for e in evs if e["event"] == "share"]
    assert sorted(e["account"] for e in shares) == ["@acme.official", "@n.one"]
    assert len({e["url"] for e in shares}) == 2
    # What a person acts on, as the events are, plus a readable text; the summary last.
    kinds = [(body["event"], body.get("account")) for body in bodies]
    assert ("qr", "@n.one") in kinds and ("accepted", "@n.one") in kinds
    assert ("done", "@n.one") in kinds and ("done", "@acme.official") in kinds
    assert kinds[-1] == ("summary", None)
    assert not [kind for kind, _ in kinds if kind in ("step", "waiting")]
    assert all(isinstance(body["text"], str) and body["text"] for body in bodies)
    [qr_body] = [body for body in bodies if body["event"] == "qr"]
    [qr_event] = [e for e in evs if e["event"] == "qr"]
    assert qr_body["payload"] == qr_event["payload"]
    # Who asks, and the owner's own share link, as the page says them.
    [n_link] = [e["url"] for e in shares if e["account"] == "@n.one"]
    assert qr_body["business_center"] == "Northwind Agency" and n_link in qr_body["text"], qr_body
    assert all(body["business_center"] == "Northwind Agency" for body in bodies)
    # The dead one is reported, and did not stop the run.
    assert "--notify:" in result.err and "127.0.0.1" in result.err
    assert mock.state()["accounts"]["@n.one"] == {"linked": True, "assigned": True}
