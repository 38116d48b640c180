"""`mock --replay DIR` until Ctrl-C: where the capture is served, and what it could not answer."""

from __future__ import annotations

import sys
from pathlib import Path

from runbook.capture.replay import ReplayServer
from runbook.core.errors import BadInput
from runbook.core.text import printable
from runbook.fixtures.server import until_interrupted


def serve_replay(folder: Path, *, host: str, port: int) -> None:
    if not folder.is_dir():
        raise BadInput(f"mock --replay {folder}: no such folder; give a folder verify --capture wrote")
    server = ReplayServer(
        folder, on_unmatched=lambda line: print(f"not in the capture: {printable(line)}", file=sys.stderr, flush=True)
    )
    try:
        url = server.start(host, port)
    except OSError as error:
        why = error.strerror or str(error)
        raise BadInput(f"mock --host {host} --port {port}: {why}; try another --port (0: any free port)") from None
    except ValueError as empty:
        raise BadInput(f"mock --replay {folder}: {empty}") from None
    info = server.replay.info
    print(f"Replaying {folder} ({info.get('command', '?')} of {info.get('recorded_at', '?')}) at {url}", flush=True)
    for recorded, served in list(server.replay.served.items())[1:]:
        print(f"  also {served} (what {recorded} answered)", flush=True)
    until_interrupted(lambda: _stop(server))


def _stop(server: ReplayServer) -> None:
    server.stop()
    missed = server.replay.unmatched
    if missed:
        print(f"{len(missed)} request(s) were not in the capture (answered 404)", file=sys.stderr)
