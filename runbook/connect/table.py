"""The operator's live table: with several accounts, or --share, on a terminal, one table redrawn in place (account,
note, status, code expires in, time) instead of each account's block of lines, QR drawing and countdown.

A Reporter listener: it folds the run's events into rows and rich's Live redraws them once a second (the
countdowns move). Lines the run prints meanwhile (the run folder, the share links, a failure's message) scroll
above it. Without a terminal nothing of this runs: one line per event, as before.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from rich.live import Live
from rich.table import Table
from rich.text import Text

from runbook.core.events import Reporter

# Each status's mark and colour, as the step lines use them (README: the legend).
_STYLE = {
    "starting": ("…", "dim"),
    "requesting": ("…", "dim"),
    "waiting": ("…", "cyan"),
    "expired": ("~", "yellow"),
    "accepted": ("✓", "green"),
    "assigned": ("✓", "green"),
    "already": ("–", "dim"),
    "linked-not-assigned": ("~", "yellow"),
    "timed out": ("✗", "red"),
}
_FAILED = ("✗", "red")


def _seconds_until(instant: object) -> float | None:
    try:
        when = datetime.fromisoformat(str(instant)) if instant else None
    except ValueError:
        return None
    if when is None:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class LiveTable:
    """Rows by account, in the order given; `__call__` folds one event, `render` draws the table as it is now."""

    def __init__(self, accounts: list[str], notes: Mapping[str, str]) -> None:
        started = time.monotonic()
        self.rows: dict[str, dict[str, Any]] = {
            account: {
                "status": "starting",
                "expires_at": None,
                "started": started,
                "ended": None,
                "note": notes.get(account, ""),
            }
            for account in accounts
        }

    def __call__(self, event: dict[str, Any]) -> None:
        row = self.rows.get(str(event.get("account")))
        kind = event.get("event")
        if row is None or row["ended"] is not None:
            return
        if kind == "step" and event.get("step") == 4 and event.get("status") == "start":
            row["status"] = "requesting"
        elif kind == "qr":
            row.update(status="waiting", expires_at=event.get("expires_at"))
        elif kind == "expired":
            row.update(status="expired", expires_at=None)
        elif kind == "accepted":
            row.update(status="accepted", expires_at=None)
        elif kind == "done":
            row.update(status="already" if event.get("already") else "assigned", ended=time.monotonic())
        elif kind == "failed":
            row.update(status=str(event.get("status") or "failed"), expires_at=None, ended=time.monotonic())

    def render(self) -> Table:
        table = Table(box=None, pad_edge=False, header_style="bold")
        for column in ("account", "note", "status", "code expires in", "time"):
            table.add_column(column, justify="right" if column in ("code expires in", "time") else "left")
        now = time.monotonic()
        for account, row in self.rows.items():
            mark, style = _STYLE.get(row["status"], _FAILED)
            left = _seconds_until(row["expires_at"]) if row["status"] == "waiting" else None
            expires = f"{int(left) // 60}:{int(left) % 60:02d}" if left is not None else ""
            seconds = (row["ended"] or now) - row["started"]
            table.add_row(
                account, row["note"], Text(f"{mark} {row['status']}", style=style), expires, f"{seconds:.0f} s"
            )
        return table


@contextmanager
def live_table(reporter: Reporter, accounts: list[str], notes: Mapping[str, str]) -> Iterator[bool]:
    """The table on the reporter's console while the block runs, if that console is a terminal; yields whether."""
    if not reporter.console.is_terminal:
        yield False
        return
    table = LiveTable(accounts, notes)
    # stdout may carry the events (--events -): only the console's own stream is drawn on.
    live = Live(
        transient=True,  # the run ends with its summary table: the live one makes way for it
        console=reporter.console,
        get_renderable=table.render,
        refresh_per_second=1,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    with reporter.heard_by(table), reporter.accounts_quiet(), live:
        yield True
