"""A small reverse proxy, as an agency puts one in front of the share page: it serves the upstream under a path
of its own (/agency/ → /) and streams answers as they come (server-sent events stay live through it)."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Hop-by-hop headers: the proxy's own connection decides them.
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class _Forward(BaseHTTPRequestHandler):
    upstream: tuple[str, int]
    prefix: str

    def do_GET(self) -> None:
        if not self.path.startswith(self.prefix):
            self.send_error(404)
            return
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            connection.request(
                "GET", "/" + self.path[len(self.prefix) :], headers={"Accept": self.headers["Accept"] or "*/*"}
            )
            answer = connection.getresponse()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP:
                    self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            while chunk := answer.read1(65536):
                self.wfile.write(chunk)
                self.wfile.flush()
        except (OSError, http.client.HTTPException):
            pass  # the browser or the upstream went away
        finally:
            connection.close()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def reverse_proxy(upstream_port: int, prefix: str = "/agency/") -> Iterator[str]:
    """Serves 127.0.0.1:<upstream_port> under http://127.0.0.1:<its port><prefix>; yields that base URL."""
    handler = type("Forward", (_Forward,), {"upstream": ("127.0.0.1", upstream_port), "prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
