"""Options every browser command shares, declared once and handed to commands as one Settings object."""

from __future__ import annotations

import functools
import inspect
import ipaddress
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from runbook.errors import BadInput

DEFAULT_BASE_URL = "https://business.tiktok.com"
APP = "tiktok-runbook"


def _xdg(variable: str, fallback: str) -> Path:
    return Path(os.environ.get(variable) or Path.home() / fallback) / APP


def default_storage_state() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "storage-state.json"


def default_runs_dir() -> Path:
    return _xdg("XDG_STATE_HOME", ".local/state") / "runs"


def is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """https anywhere; plain http only to this machine, since the saved session would travel in clear."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"--base-url must be an http(s) URL, got {url!r} (example: --base-url {DEFAULT_BASE_URL})")
    if parts.scheme == "http" and not is_local(parts.hostname):
        raise BadInput(
            f"--base-url {url!r} is plain http to another host: the session would travel in clear; use https"
        )
    return url.rstrip("/")


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_BASE_URL
    storage_state: Path | None = None  # None: the default path, used only if it exists
    headed: bool = False
    browser_path: str | None = None
    bc: str | None = None
    timeout: float = 15.0
    events: str | None = None
    run_dir: Path | None = None
    trace: bool = False

    @property
    def session_file(self) -> Path:
        return self.storage_state or default_storage_state()

    def run_folder(self, command: str) -> Path:
        """Where this run's screenshots, QR image and trace go (created on first use)."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        folder = self.run_dir or default_runs_dir() / f"{stamp}-{command}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def validated(self, *, reads_session: bool = True) -> Settings:
        """Checks the options; `reads_session` is False for login, which writes the session file."""
        check_base_url(self.base_url)
        if self.storage_state is not None and reads_session:
            path = self.storage_state
            if not path.is_file():
                raise BadInput(f"--storage-state {path}: no such file (create it with: {APP} login)")
            if not os.access(path, os.R_OK):
                raise BadInput(f"--storage-state {path}: not readable")
        if self.timeout <= 0:
            raise BadInput("--timeout must be a positive number of seconds")
        return self


# The shared options, in the order --help lists them. Each is (name, type, default, typer.Option).
_SHARED: list[tuple[str, Any, Any, Any]] = [
    (
        "base_url",
        str,
        DEFAULT_BASE_URL,
        typer.Option(
            "--base-url",
            envvar="TIKTOK_RUNBOOK_BASE_URL",
            help="Business Center to drive, e.g. a mock's URL.",
        ),
    ),
    (
        "storage_state",
        Path | None,
        None,
        typer.Option(
            "--storage-state",
            help=f"Saved browser session (a credential). Default: {default_storage_state()}",
            show_default=False,
        ),
    ),
    ("headed", bool, False, typer.Option("--headed/--headless", help="Show the browser window.")),
    (
        "browser_path",
        str | None,
        None,
        typer.Option("--browser-path", help="Chromium/Chrome to launch (default: found by itself)."),
    ),
    ("bc", str | None, None, typer.Option("--bc", help="Business Center id or name, when you have several.")),
    ("timeout", float, 15.0, typer.Option("--timeout", help="Seconds to wait for each control to show.")),
    (
        "events",
        str | None,
        None,
        typer.Option("--events", help="Write JSON-lines events to this file ('-' = stdout)."),
    ),
    (
        "run_dir",
        Path | None,
        None,
        typer.Option(
            "--run-dir",
            help="Folder for screenshots, QR image and trace (default: a new one).",
            show_default=False,
        ),
    ),
    (
        "trace",
        bool,
        False,
        typer.Option("--trace", help="Record a Playwright trace, kept when a step fails (it holds the session)."),
    ),
]


def with_settings(*, reads_session: bool = True, **defaults: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Adds the shared options to a command and passes them on, checked, as one `settings: Settings` argument.

    `defaults` changes a shared option's default for one command (login shows the browser by default);
    `reads_session` is False for login, which writes the session file rather than reading it.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "settings"]
        shared = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=defaults.get(name, default),
                annotation=Annotated[kind, option],
            )
            for name, kind, default, option in _SHARED
        ]

        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name, *_ in _SHARED}
            return command(settings=Settings(**values).validated(reads_session=reads_session), **kwargs)

        wrapper.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in [*own, *shared]}
        return wrapper

    return decorate
