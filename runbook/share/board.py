"""What the share page shows: each account's current QR code, expiry and status, folded from the run's events.

The board is fed from the run's thread (a Reporter listener) and read by the share page's request threads; one
lock and one condition keep them apart. Every change bumps `version`, so a waiting page knows there is news.
"""

from __future__ import annotations

import base64
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from runbook.core.status import AccountState

# What each account event makes of the account's state (the page words each state, static/share.js).
_STATE = {"qr": AccountState.WAITING, "expired": AccountState.EXPIRED, "accepted": AccountState.ACCEPTED}
# What the owner reads when the run ends without their account: plain words. Never the operator's (a failed
# event's message names a step, an option, a command); the operator reads those in the terminal and the events.
OWNER_WORDS = {
    AccountState.TIMED_OUT: "This request has ended: the code was not accepted in time. "
    "Ask whoever sent you this link for a new one.",
    AccountState.FAILED: "This request could not be finished. Ask whoever sent you this link for a new one.",
    AccountState.LINKED_NOT_ASSIGNED: "Thank you: you accepted. Nothing more is needed from you.",
}


def qr_data_url(payload: str) -> str:
    """The payload drawn again as a clean SVG (never the screenshot), as a data: URL for an <img>."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()  # quiet zone included
    size = len(matrix)
    # One path of unit squares: small, and crisp at any size the phone scales it to.
    cells = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{cells}" fill="#000"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")


_ACCOUNT_EVENTS = ("qr", "waiting", "expired", "accepted", "done", "failed")


def _instant(text: object) -> datetime | None:
    try:
        instant = datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None
    return instant.replace(tzinfo=timezone.utc) if instant and instant.tzinfo is None else instant


def _later_by(at: object, seconds: object) -> str | None:
    start = _instant(at)
    if start is None or not isinstance(seconds, (int, float)):
        return None
    return (start + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def _earlier(first: str | None, second: str | None) -> str | None:
    """The earlier of two instants (ISO 8601), either of which may be unknown."""
    known = [(instant, text) for text in (first, second) if (instant := _instant(text)) is not None]
    return min(known)[1] if known else None


class Board:
    def __init__(self, accounts: list[str]) -> None:
        self._lock = threading.Lock()
        self.changed = threading.Condition(self._lock)
        self.version = 0
        self.final = False
        self.closed = False
        self._accounts: dict[str, dict[str, Any]] = {}
        for account in accounts:
            self._entry(account)

    def _entry(self, account: str) -> dict[str, Any]:
        if account not in self._accounts:
            self._accounts[account] = {
                "account": account,
                "status": AccountState.STARTING,  # no code yet
                "qr": None,  # data: URL of the current code, None once there is nothing to scan
                "expires_at": None,  # the one clock the page counts down: the code's or the run's, the earlier
                "code_expires_at": None,  # when this code stops scanning
                "waits_until": None,  # when the run stops waiting for the owner
                "attempt": 0,
                "message": "",
                "final": False,
            }
        return self._accounts[account]

    def apply(self, event: dict[str, Any]) -> None:
        """Folds one run event into the board; events it does not show are ignored."""
        kind = event.get("event")
        with self.changed:
            if kind == "summary":
                self._summary(event)
            elif isinstance(event.get("account"), str) and kind in _ACCOUNT_EVENTS:
                self._account_event(kind, event)
            else:
                return
            self.version += 1
            self.changed.notify_all()

    def _account_event(self, kind: str, event: dict[str, Any]) -> None:
        entry = self._entry(event["account"])
        if kind == "waiting":  # how long the run still waits: the page's clock never outlasts it
            entry["waits_until"] = _later_by(event.get("at"), event.get("seconds_left"))
            entry["expires_at"] = _earlier(entry["code_expires_at"], entry["waits_until"])
            return
        if kind == "qr":
            entry.update(
                qr=qr_data_url(str(event.get("payload", ""))),
                code_expires_at=event.get("expires_at"),
                expires_at=_earlier(event.get("expires_at"), entry["waits_until"]),
                attempt=event.get("attempt") or entry["attempt"] + 1,
                message="",
            )
        elif kind in ("accepted", "done", "failed"):
            entry.update(qr=None, expires_at=None)
        if kind == "done":
            entry["status"] = AccountState.ALREADY if event.get("already") else AccountState.ASSIGNED
        elif kind == "failed":
            entry["status"] = AccountState.of_label(str(event.get("status") or ""))
            entry["message"] = OWNER_WORDS.get(entry["status"], OWNER_WORDS[AccountState.FAILED])
        else:
            entry["status"] = _STATE[kind]

    def _summary(self, event: dict[str, Any]) -> None:
        for row in event.get("accounts") or []:
            if not isinstance(row, dict) or not isinstance(row.get("account"), str):
                continue
            entry = self._entry(row["account"])
            entry["status"] = AccountState.of_label(str(row.get("status") or entry["status"]))
            entry.update(final=True, qr=None, expires_at=None)
        self.final = True

    def finish(self) -> None:
        """The run is over: what the board shows now is final."""
        with self.changed:
            if not self.final:
                self.final = True
                self.version += 1
                self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def snapshot(self, only: str | None = None) -> dict[str, Any]:
        """What one page shows: every account, or (a per-account link) only `only`."""
        with self._lock:
            accounts = [dict(entry) for name, entry in self._accounts.items() if only is None or name == only]
            return {
                "version": self.version,
                "final": self.final,
                "now": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                "accounts": accounts,
            }

    def wait_newer(self, version: int, timeout: float) -> int:
        """Blocks until the board is newer than `version`, closed, or `timeout` s passed; returns the version."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.version <= version and not self.closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(left)
            return self.version
