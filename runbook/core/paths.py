"""Where the runbook keeps what outlives a run: the saved session, run folders and locks (XDG base directories)."""

from __future__ import annotations

import os
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
