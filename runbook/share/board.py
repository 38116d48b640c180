"""What the share page shows: each account's current QR code, expiry and status, folded from the run's events.

The board is fed from the run's thread (a Reporter listener) and read by the share page's request threads; one
lock and one condition keep them apart. Every change bumps `version`, so a waiting page knows there is news.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from runbook.core.status import AccountState
from runbook.qr import svg_data_url

# What each account event makes of the account's state (the page words each state, static/share.js).
_STATE = {"qr": AccountState.WAITING, "expired": AccountState.EXPIRED, "accepted": AccountState.ACCEPTED}
# Who the owner is told to ask when the Business Center's name is not known (yet).
SOMEONE = "whoever sent you this link"
# What the owner reads when the run ends without their account: plain words, naming who asks ({asker}). Never the
# operator's (a failed event's message names a step, an option, a command); the operator reads those in the
# terminal and the events.
OWNER_WORDS = {
    AccountState.TIMED_OUT: "The code was not accepted in time. Ask {asker} for a new link.",
    AccountState.FAILED: "The request was cancelled. Ask {asker} for a new link.",
    AccountState.LINKED_NOT_ASSIGNED: "Thank you: you accepted. Nothing more is needed from you.",
}


def owner_words(state: AccountState, asker: str | None) -> str:
    """What the owner reads of an account whose run ended as `state`."""
    return OWNER_WORDS.get(state, OWNER_WORDS[AccountState.FAILED]).format(asker=asker or SOMEONE)


_ACCOUNT_EVENTS = ("qr", "waiting", "expired", "accepted", "done", "failed")


def _web_link(payload: object) -> str | None:
    """A payload the page may offer as a link: a web address. Connect shares only codes that lead to the Business
    Center it drives (runbook/connect/handoff.py): https, or a local mock's http; never javascript: or the like."""
    if isinstance(payload, str) and payload.startswith(("https://", "http://")) and len(payload) <= 2000:
        return payload
    return None


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
    def __init__(self, accounts: list[str], notes: Mapping[str, str] | None = None) -> None:
        self._lock = threading.Lock()
        # This run's board: a page whose run has ended looks now and then whether a rerun serves its link.
        self.run = secrets.token_hex(8)
        self.business_center: str | None = None  # its name, as the Business Center shows it (read during the run)
        self._notes = dict(notes or {})
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
                "note": self._notes.get(account, ""),  # the accounts file's note
                "qr": None,  # data: URL of the current code, None once there is nothing to scan
                "link": None,  # the code's payload: what a tap opens on the phone that cannot scan its own screen
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
            named = event.get("name") if kind == "business_center" else event.get("business_center")
            if isinstance(named, str) and named.strip() and named != self.business_center:
                self.business_center = named.strip()[:200]
                self._reword()
                if kind == "business_center":
                    self.version += 1
                    self.changed.notify_all()
                    return
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
                qr=svg_data_url(str(event.get("payload", ""))),
                link=_web_link(event.get("payload")),
                code_expires_at=event.get("expires_at"),
                expires_at=_earlier(event.get("expires_at"), entry["waits_until"]),
                attempt=event.get("attempt") or entry["attempt"] + 1,
                message="",
            )
        elif kind in ("accepted", "done", "failed"):
            entry.update(qr=None, link=None, expires_at=None)
        if kind == "done":
            entry["status"] = AccountState.ALREADY if event.get("already") else AccountState.ASSIGNED
        elif kind == "failed":
            entry["status"] = AccountState.of_label(str(event.get("status") or ""))
            entry["message"] = owner_words(entry["status"], self.business_center)
        else:
            entry["status"] = _STATE[kind]

    def _summary(self, event: dict[str, Any]) -> None:
        for row in event.get("accounts") or []:
            if not isinstance(row, dict) or not isinstance(row.get("account"), str):
                continue
            entry = self._entry(row["account"])
            entry["status"] = AccountState.of_label(str(row.get("status") or entry["status"]))
        self._end()

    def _end(self) -> None:
        """Nothing is left to scan; an account the run did not finish was cancelled, and its owner told so."""
        for entry in self._accounts.values():
            if not (entry["status"].ok or entry["status"] in OWNER_WORDS or entry["status"] is AccountState.ACCEPTED):
                entry["status"] = AccountState.FAILED
            if not entry["message"] and entry["status"] in OWNER_WORDS:
                entry["message"] = owner_words(entry["status"], self.business_center)
            entry.update(final=True, qr=None, link=None, expires_at=None)
        self.final = True

    def _reword(self) -> None:
        """The owner's words name the Business Center once its name is known."""
        for entry in self._accounts.values():
            if entry["message"]:
                entry["message"] = owner_words(entry["status"], self.business_center)

    def finish(self) -> None:
        """The run is over (with or without a summary: an interrupted one): what the board shows now is final."""
        with self.changed:
            if not self.final:
                self._end()
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
                "run": self.run,
                "version": self.version,
                "business_center": self.business_center,
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
