"""Checks of what a person types, made before anything is started: numbers, addresses, paths to write."""

from __future__ import annotations

import ipaddress
import math
import os
from pathlib import Path

from runbook.core.errors import BadInput

MAX_SECONDS = 7 * 24 * 3600.0  # a week: an owner's wait at the longest
MAX_TIMEOUT_SECONDS = 600.0  # a control that takes longer than ten minutes to show is not coming
# Room a run needs where it writes: screenshots of a few hundred kB each, a QR image, a trace of a few MB.
MIN_FREE_BYTES = 16 * 2**20


def is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_seconds(option: str, value: float, most: float = MAX_SECONDS) -> float:
    """A positive, finite number of seconds, at most `most` (nan and inf parse as floats but bound nothing, and
    1e308 reaches the browser as a number it cannot take)."""
    if not math.isfinite(value) or value <= 0:
        raise BadInput(f"{option} must be a positive number of seconds, got {value:g}")
    if value > most:
        raise BadInput(f"{option} must be at most {most:g} seconds, got {value:g}")
    return value


def check_writable(option: str, path: Path, *, folder: bool) -> None:
    """Before the browser opens: the path is of the right kind, can be created or written, and its disk has
    room (MIN_FREE_BYTES, where the file system says)."""
    if path.is_symlink() and not path.exists():  # written through, it would create a file where the link points
        raise BadInput(f"{option} {path} is a link to {os.readlink(path)}, which does not exist; give a real path")
    if path.exists() and path.is_dir() != folder:
        kind = "a folder" if path.is_dir() else "a file"
        raise BadInput(f"{option} {path} is {kind}; give {'a folder' if folder else 'a file path'}")
    existing = path if path.exists() else next((p for p in path.parents if p.exists()), Path("."))
    if not existing.is_dir() and existing != path:
        raise BadInput(f"{option} {path}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | (os.X_OK if existing.is_dir() else 0)):
        raise BadInput(f"{option} {path}: {existing} is not writable")
    try:
        disk = os.statvfs(existing if existing.is_dir() else existing.parent)
    except OSError:
        return  # nothing to ask: its writes will tell
    free = disk.f_bavail * disk.f_frsize
    if disk.f_blocks and free < MIN_FREE_BYTES:
        need = MIN_FREE_BYTES // 2**20
        raise BadInput(f"{option} {path}: {free // 2**20} MB free there, at least {need} MB needed; free some space")
