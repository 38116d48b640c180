"""login, status and disconnect: the session, and what the Business Center holds."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from runbook.browser.settings import Settings
from runbook.cli.options import browser_options
from runbook.core.errors import BadInput
from runbook.core.events import Reporter
from runbook.core.handle import Handle
from runbook.core.inputs import check_seconds
from runbook.core.interrupt import guarded


@browser_options(reads_session=False, headed=True)
def login(
    settings: Settings,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for you to finish signing in.")] = 300,
    source: Annotated[
        Path | None,
        typer.Option(
            "--import",
            help="No browser: save this exported session instead (a Playwright storage state, or a cookie "
            "export from a browser extension such as Cookie-Editor or EditThisCookie).",
        ),
    ] = None,
) -> None:
    """Sign in once in a visible browser; the session is saved (mode 0600) for the other commands.

    Example: tiktok-runbook login   (on a server: tiktok-runbook login --import cookies.json)
    """
    from runbook.login import login as run_login

    check_seconds("--wait", wait)
    with Reporter(settings.events) as reporter, guarded(reporter):
        run_login(settings, wait, reporter, source=source)


@browser_options()
def status(
    settings: Settings,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print one JSON object, {"accounts": [...]}, instead of a table.')
    ] = False,
    merge: Annotated[
        bool,
        typer.Option("--merge", help="No browser: merge the FILES several runs of status --json wrote (shards)."),
    ] = False,
    files: Annotated[list[Path] | None, typer.Argument(help="With --merge: status --json outputs.")] = None,
) -> None:
    """List the Business Center's TikTok accounts: linked, pending, assigned. Changes nothing.

    Example: tiktok-runbook status --json   (shards as one table: tiktok-runbook status --merge s1.json s2.json)
    """
    from runbook.status import merged, read_listing, table
    from runbook.status import status as run_status

    if bool(files) != merge:
        raise BadInput("status --merge takes the files to merge: status --merge shard-1.json shard-2.json")
    if merge:
        accounts = merged(read_listing(path) for path in files or [])
    else:
        with Reporter(settings.events) as reporter:
            accounts = run_status(settings, reporter)
    print(json.dumps({"accounts": [asdict(a) for a in accounts]}) if as_json else table(accounts))


@browser_options()
def disconnect(
    settings: Settings,
    account: Annotated[str, typer.Option("--account", "-a", help="TikTok handle to disconnect, e.g. @brand.")],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (required without a terminal).")
    ] = False,
) -> None:
    """Disconnect a TikTok account from the Business Center (the tutorial's FAQ); asks first on a terminal.

    Example: tiktok-runbook disconnect --account @brand --yes
    """
    from runbook.disconnect import DisconnectOptions
    from runbook.disconnect import disconnect as run_disconnect

    handle = Handle.parse(account)
    if not yes and not sys.stdin.isatty():
        raise BadInput(f"disconnect changes Business Center: add --yes to disconnect {handle} without a terminal")
    options = DisconnectOptions(handle, confirm=(lambda _: True) if yes else ask)
    with Reporter(settings.events) as reporter:
        run_disconnect(settings, options, reporter)


def ask(question: str) -> bool:
    """A yes/no question on the terminal, no by default."""
    return typer.confirm(question, default=False, err=True)
