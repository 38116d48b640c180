"""The command line: one Typer app. Each command checks its input and calls one flow function; a RunbookError
becomes one line on stderr and the exit code it carries (ExitCode)."""

from __future__ import annotations

import sys
from importlib.metadata import version
from typing import Annotated

import typer
from typer._click.exceptions import UsageError

from runbook.cli import qr
from runbook.cli.accounts import disconnect, login, status
from runbook.cli.connect import connect, demo
from runbook.cli.mock import mock
from runbook.cli.qa import guide, show_report, verify
from runbook.core.errors import ExitCode, Interrupted, RunbookError
from runbook.core.interrupt import exit_within_grace

app = typer.Typer(
    name="tiktok-runbook",
    help="Link TikTok accounts to a TikTok Business Center by following the published tutorial, unattended.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def _print_version(asked: bool) -> None:
    if asked:
        print(f"tiktok-runbook {version('tiktok-runbook')}")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """The app's own options, before any command (Example: tiktok-runbook --version)."""


for command in (login, connect, demo, verify, guide, status, disconnect, mock):
    app.command()(command)
app.command("show-report")(show_report)
app.add_typer(qr.app, name="qr")


def main() -> None:
    """Entry point: RunbookError and usage errors become one line on stderr and an exit code."""
    try:
        app(standalone_mode=False)
    except RunbookError as error:
        if sys.stderr.isatty():  # a countdown line may still be on screen
            print("\r\033[K", end="", file=sys.stderr)
        print(error.line(), file=sys.stderr)
        if isinstance(error, Interrupted):
            exit_within_grace(error.exit_code)
        sys.exit(error.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        print("tiktok-runbook: interrupted; run the same command again to resume", file=sys.stderr)
        exit_within_grace(ExitCode.INTERRUPTED)
        sys.exit(ExitCode.INTERRUPTED)
    except typer.TyperException as error:  # usage errors: unknown option, missing or bad value
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        # No command at all shows the help, which is a page, not an error line.
        print(
            message if message.startswith("Usage:") else f"tiktok-runbook: {message}{_commands(error)}", file=sys.stderr
        )
        sys.exit(ExitCode.BAD_INPUT)


def _commands(error: typer.TyperException) -> str:
    """After "No such command" in a group (qr): the commands it has, as a person would type them."""
    ctx = error.ctx if isinstance(error, UsageError) else None
    group = ctx.command if ctx is not None else None
    if ctx is None or group is None or not hasattr(group, "list_commands") or "No such command" not in str(error):
        return ""
    return " (use: " + ", ".join(f"{ctx.command_path} {name}" for name in group.list_commands(ctx)) + ")"
