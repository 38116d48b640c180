"""A local HTTP server standing for a webhook, serving from its own thread on a free port of 127.0.0.1 (or of
`host`), quiet; the tests' own subclasses say how it answers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class LocalHook(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), handler)
        self.port = self.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/SECRET-PATH"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


@pytest.fixture
def local_hooks() -> Iterator[list[LocalHook]]:
    """The hooks a test starts (it appends them), stopped after it."""
    made: list[LocalHook] = []
    yield made
    for hook in made:
        hook.stop()
