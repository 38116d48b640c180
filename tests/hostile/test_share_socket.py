"""The share page's socket, as anyone who reaches the port without a token might use it: malformed requests,
resets, idle connections, too many of them; and binds that cannot work, as one line and exit 2."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterator

import pytest

from runbook.core.errors import BadInput
from runbook.share import server
from runbook.share.page import SharePage
from tests.hostile.test_named_files import refused
from tests.support.cli import run_cli


@pytest.fixture
def share_page() -> Iterator[SharePage]:
    share = SharePage(accounts=["@a"])
    share.start()
    yield share
    share.close(linger=0)


def _connect(share: SharePage) -> socket.socket:
    return socket.create_connection((share.host, share.port), timeout=5)


def _status(share: SharePage, request: bytes) -> int:
    """The status the page answers with (0: closed unanswered)."""
    with _connect(share) as peer:
        peer.sendall(request)
        line = peer.recv(100).split(b"\r\n", 1)[0]
    return int(line.split(b" ")[1]) if line.startswith(b"HTTP/1.0 ") else 0


def _reset(peer: socket.socket) -> None:
    """Closed with RST rather than FIN, as a dropped phone connection or a scanner does."""
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    peer.close()


def _until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_malformed_requests_and_resets_print_nothing(share_page: SharePage, capfd) -> None:
    page = share_page
    headers = b"".join(b"X-%d: y\r\n" % n for n in range(101))
    assert _status(page, b"GET /s/x/ HTTP/1.1\r\n" + headers + b"\r\n") == 431
    assert _status(page, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n") == 414
    for garbage in (b"\x16\x03\x01 not http\r\n\r\n", b"GET /s/ HTTP/2.0\r\n\r\n", b"GET /s/ HTTP/1.x\r\n\r\n"):
        assert _status(page, garbage) in (0, 400)  # a bare refusal (HTTP/0.9 has no status line), or none
    for _ in range(3):
        peer = _connect(page)
        peer.sendall(b"GET /s/")  # half a request line, then a reset
        _reset(peer)
    assert _until(lambda: page._httpd is not None and page._httpd.dropped >= 3)
    assert _status(page, b"GET / HTTP/1.0\r\n\r\n") == 404  # still answering
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and captured.err == "", captured.err


def test_an_idle_connection_is_closed(monkeypatch, capfd) -> None:
    monkeypatch.setattr(server, "IDLE_SECONDS", 0.3)
    with SharePage(accounts=["@a"]) as share, _connect(share) as idle:
        started = time.monotonic()
        assert idle.recv(100) == b""  # closed by the page, well before the 5 s this socket waits
        assert time.monotonic() - started < 4
    assert capfd.readouterr().err == ""


def test_connections_are_bounded_and_the_backlog_fits_a_hundred_viewers(monkeypatch) -> None:
    monkeypatch.setattr(server, "MAX_CONNECTIONS", 2)
    assert server.SmallServer.request_queue_size >= 128
    with SharePage(accounts=["@a"]) as share:
        held = [_connect(share), _connect(share)]
        assert _until(lambda: share._httpd is not None and share._httpd._slots._value == 0)
        with _connect(share) as third:
            assert third.recv(100) == b""  # closed at once, unanswered: no thread for it
        for peer in held:
            peer.close()
        assert _until(lambda: _status(share, b"GET / HTTP/1.0\r\n\r\n") == 404)


def test_ipv6_loopback_is_served() -> None:
    try:
        socket.socket(socket.AF_INET6).close()
    except OSError:
        pytest.skip("no IPv6")
    with SharePage("::1", accounts=["@a"]) as share, socket.create_connection(("::1", share.port), timeout=5) as peer:
        peer.sendall(b"GET / HTTP/1.0\r\n\r\n")
        assert peer.recv(100).startswith(b"HTTP/1.0 404 ")


def test_a_port_in_use_is_one_line(mock, capsys, monkeypatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(BadInput, match="is in use"):
            SharePage(port=port).start()
        result = run_cli(
            ["connect", "--base-url", mock.url, "-a", "@x", "--share", "--share-port", str(port)], capsys, monkeypatch
        )
    refused(result, f"--share-port {port}", "in use")
    assert mock.state()["mutations"] == 0


@pytest.mark.parametrize("host", ["192.0.2.99", "no-such-host.invalid"])
def test_a_host_this_machine_does_not_have_is_one_line(host, mock, capsys, monkeypatch) -> None:
    before = mock.state()
    args = ["connect", "--base-url", mock.url, "-a", "@x", "--share", "--share-host", host]
    result = run_cli(args, capsys, monkeypatch)
    refused(result, f"--share-host {host}", "not an address of this machine")
    assert mock.state() == before
