"""The share page's HTTP server: small and hardened, since anyone who reaches its port may talk to it.

Python's own ThreadingHTTPServer, with what it lacks for a port that may face a LAN: a thread per connection but
at most MAX_CONNECTIONS of them (one more is closed at once), a socket timeout on each (an idle connection is
closed after IDLE_SECONDS; a write to a reader that stopped reading gives up after as long), an accept queue
for a page with a hundred viewers arriving at once, and no traceback on the operator's terminal for a malformed
request or a reset (the request handler's limits, 65536 bytes a line and 100 headers, answer with one status).
A bind that fails (the port in use, an address this machine does not have) is one line, exit 2.

A library server (waitress, cheroot) would bring the same limits, but not the event streams of one board
without a thread each, which is what the page needs; the standard library's server with these few limits is less
to keep up than a second server's configuration.
"""

from __future__ import annotations

import errno
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from runbook.core.errors import BadInput

MAX_CONNECTIONS = 256  # a hundred viewers, each with its event stream and a request or two in flight
IDLE_SECONDS = 20.0  # longer than the event stream's keep-alive (15 s): an open page is never cut off
BACKLOG = 128


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and gives up on a silent or stalled peer after IDLE_SECONDS."""

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(IDLE_SECONDS)  # read as each connection starts (tests lower it)

    def log_message(self, format: str, *args: Any) -> None:  # the run's output is for the run
        return


class SmallServer(ThreadingHTTPServer):
    """See the module docstring. `address` is (host, port); an IPv6 host ("::1", "::") gets an IPv6 socket."""

    daemon_threads = True  # an open event stream must not keep the process alive
    allow_reuse_address = True
    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        host, port = address
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.dropped = 0  # connections ended by a peer's error (a reset, a timeout): counted, never printed
        try:
            super().__init__(address, handler)
        except OSError as error:
            raise BadInput(_why_not_bound(host, port, error)) from None

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):  # full: this one is closed unanswered, the others go on
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A peer that resets, times out or sends what the handler refuses: the connection ends, nothing printed."""
        self.dropped += 1


def _why_not_bound(host: str, port: int, error: OSError) -> str:
    where = f"--share-host {host} --share-port {port}"
    if error.errno == errno.EADDRINUSE:
        return (
            f"--share-port {port} is in use on {host} (another run's share page, or another program); stop it, "
            "or pick another --share-port (0: any free port)"
        )
    if error.errno == errno.EADDRNOTAVAIL or isinstance(error, socket.gaierror):
        return f"{where}: {host} is not an address of this machine (127.0.0.1, ::1, 0.0.0.0 or one of its own)"
    if error.errno == errno.EACCES:
        return f"{where}: not allowed to listen there (ports below 1024 need privileges)"
    return f"{where}: cannot listen there ({error.strerror or error})"
