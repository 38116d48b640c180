"""The options every browser command shares, declared once: `@browser_options()` adds them to a command, which
gets them as one checked `settings: Settings` argument. Their defaults are the Settings dataclass's own."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any

import typer

from runbook.browser.remote import ENDPOINT_ENV, HEADERS_ENV
from runbook.browser.settings import Settings
from runbook.core.paths import default_storage_state

# In the order --help lists them: each Settings field and its typer.Option.
SHARED: dict[str, Any] = {
    "base_url": Annotated[
        str,
        typer.Option(
            "--base-url", envvar="TIKTOK_RUNBOOK_BASE_URL", help="Business Center to drive, e.g. a mock's URL."
        ),
    ],
    "storage_state": Annotated[
        Path | None,
        typer.Option(
            "--storage-state",
            help=f"Saved browser session (a credential). Default: {default_storage_state()}",
            show_default=False,
        ),
    ],
    "headed": Annotated[bool, typer.Option("--headed/--headless", help="Show the browser window.")],
    "browser_path": Annotated[
        str | None, typer.Option("--browser-path", help="Chromium/Chrome to launch (default: found by itself).")
    ],
    "bc": Annotated[str | None, typer.Option("--bc", help="Business Center id or name, when you have several.")],
    "timeout": Annotated[float, typer.Option("--timeout", help="Seconds to wait for each control to show.")],
    "events": Annotated[
        str | None, typer.Option("--events", help="Write JSON-lines events to this file ('-' = stdout).")
    ],
    "run_dir": Annotated[
        Path | None,
        typer.Option(
            "--run-dir", help="Folder for screenshots, QR image and trace (default: a new one).", show_default=False
        ),
    ],
    "trace": Annotated[
        bool, typer.Option("--trace", help="Record a Playwright trace, kept when a step fails (it holds the session).")
    ],
    "browser_endpoint": Annotated[
        str | None,
        typer.Option(
            "--browser-endpoint",
            envvar=ENDPOINT_ENV,
            help="Use a browser service instead of launching one: ws(s):// Playwright server "
            "(e.g. ws://127.0.0.1:3000/), http(s):// CDP endpoint.",
            show_default=False,
        ),
    ],
    "browser_headers": Annotated[
        list[str],
        typer.Option(
            "--browser-header",
            help=f"NAME=VALUE sent to --browser-endpoint, e.g. a token (repeatable; never shown; or {HEADERS_ENV}, "
            "one a line).",
            show_default=False,
        ),
    ],
    "expose_network": Annotated[
        str | None,
        typer.Option(
            "--expose-network",
            help="What of this machine's network the remote browser reaches, e.g. <loopback> (the default when "
            "--base-url is local; '' for nothing).",
            show_default=False,
        ),
    ],
    "tutorial": Annotated[
        Path | None,
        typer.Option(
            "--tutorial",
            envvar="TIKTOK_RUNBOOK_TUTORIAL",
            help="Tutorial data file to follow instead of the packaged one (e.g. verify's tutorial.proposed.toml).",
            show_default=False,
        ),
    ],
}
# verify's and connect's --capture, declared once (runbook/capture/options.py checks them).
CaptureDir = Annotated[
    Path | None,
    typer.Option(
        "--capture",
        help="Record what the run saw into this folder, scrubbed of secrets: a HAR, a DOM snapshot of each step, "
        "capture.json (replay it with: mock --replay DIR).",
        show_default=False,
    ),
]
KeepHandles = Annotated[
    bool, typer.Option("--keep-handles", help="Keep account names and handles in --capture (scrubbed by default).")
]

_DEFAULTS = {field.name: field.default for field in fields(Settings)}
assert set(SHARED) == set(_DEFAULTS), "every Settings field is a shared option, and only those"


def browser_options(
    *, reads_session: bool = True, **defaults: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Adds the shared options to a command and passes them on, checked, as one `settings: Settings` argument.

    `defaults` changes a shared option's default for one command (login shows the browser by default);
    `reads_session` is False for login, which writes the session file rather than reading it.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "settings"]
        shared = [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=defaults.get(name, _DEFAULTS[name]), annotation=option
            )
            for name, option in SHARED.items()
        ]

        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name in SHARED}
            values["browser_headers"] = tuple(values["browser_headers"] or ())
            return command(settings=Settings(**values).validated(reads_session=reads_session), **kwargs)

        wrapper.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in [*own, *shared]}
        return wrapper

    return decorate
