"""tiktok-runbook show-report DIR: the report folder served on this machine (report.html, its screenshots, the
proposed tutorial and its diff), read-only, until Ctrl-C."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from runbook.core.errors import BadInput
from runbook.verify.report import HTML_NAME


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None  # the terminal shows the address once, not a line per request


def report_server(folder: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """A server of `folder` on 127.0.0.1 (only this machine: the screenshots show a Business Center)."""
    if not (folder / HTML_NAME).is_file():
        raise BadInput(f"show-report {folder}: no {HTML_NAME} there (verify --report {folder} writes one)")
    if not 0 <= port < 65536:
        raise BadInput(f"--port {port}: expected 0 (any free port) to 65535")
    handler = functools.partial(_Quiet, directory=str(folder))
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        raise BadInput(f"--port {port}: cannot listen there ({error.strerror or error})") from None


def report_url(server: http.server.ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/{HTML_NAME}"


def serve(server: http.server.ThreadingHTTPServer, stop: threading.Event) -> None:
    """Serves until `stop` is set (Ctrl-C sets it via the caller); bounded waits, no busy loop."""
    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    worker.start()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        worker.join(timeout=5)
