"""Where the runbook keeps what outlives a run: the saved session, run folders and locks (XDG base directories)."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

APP = "tiktok-runbook"


def _xdg(variable: str, fallback: str) -> Path:
    return Path(os.environ.get(variable) or Path.home() / fallback) / APP


def default_storage_state() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "storage-state.json"


def default_runs_dir() -> Path:
    return _xdg("XDG_STATE_HOME", ".local/state") / "runs"


def default_locks_dir() -> Path:
    return _xdg("XDG_STATE_HOME", ".local/state") / "locks"


def default_share_dir() -> Path:
    return _xdg("XDG_STATE_HOME", ".local/state") / "share"


def keyed_name(key: str) -> str:
    """A file name for what `key` names (a site, a Business Center, an account): readable, and unique by a digest."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", key)[:80]
    return f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
