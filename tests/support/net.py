"""Ports for tests: never a fixed one."""

from __future__ import annotations

import socket


def unused_port() -> int:
    """A port nothing listens on now (free a moment ago): an endpoint that is dead, or one for a server to take."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
