"""Checks of what a person types, made before anything is started: numbers, addresses, paths to write."""

from __future__ import annotations

import ipaddress
import math
import os
from pathlib import Path

from runbook.core.errors import BadInput


def is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_seconds(option: str, value: float) -> float:
    """A positive, finite number of seconds (nan and inf parse as floats but bound nothing)."""
    if not math.isfinite(value) or value <= 0:
        raise BadInput(f"{option} must be a positive number of seconds, got {value:g}")
    return value


def check_writable(option: str, path: Path, *, folder: bool) -> None:
    """Before the browser opens: the path is of the right kind and can be created or written."""
    if path.exists() and path.is_dir() != folder:
        kind = "a folder" if path.is_dir() else "a file"
        raise BadInput(f"{option} {path} is {kind}; give {'a folder' if folder else 'a file path'}")
    existing = path if path.exists() else next((p for p in path.parents if p.exists()), Path("."))
    if not existing.is_dir() and existing != path:
        raise BadInput(f"{option} {path}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | (os.X_OK if existing.is_dir() else 0)):
        raise BadInput(f"{option} {path}: {existing} is not writable")
