"""The account owner and the QR expiry the tests drive: an owner who scans from a background thread, an expirer
that lets each shared code expire, and expire_code for one code."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

from runbook.fixtures.server import MockBusinessCenter


def expire_code(mock: MockBusinessCenter, token: str) -> None:
    """Let one QR code's lifetime end now (tests drive expiry instead of waiting out a short lifetime)."""
    with mock.store._lock:  # the mock has no control endpoint for one code; this is its own store
        mock.store._state.qr_codes[token].expires_at = time.time()


class Owner:
    """The TikTok account owner: scans (requests) QR payloads the mock has issued, from a background thread.

    `scan_nth` picks which code to scan (1 = the first shown); None never scans. Polling is bounded by `until`.
    The owner takes `delay` seconds to scan: an owner faster than the runbook's own screenshot of the code
    would replace the code on screen before the runbook could read it, which no real owner can do.

    For runs with several accounts: `account` makes this the owner of that account only (the mock records the
    username the dialog named for each code); `shared` is the folder where the runbook writes that account's
    PNGs, and the owner acts on a code only once its PNG is there (then the runbook has read it off the screen);
    `expire_others` lets each code before the nth (every code, with `scan_nth` None) expire once shared; and
    `after_codes` holds the owner back until the mock has issued that many codes in all.
    """

    def __init__(
        self,
        mock: MockBusinessCenter,
        scan_nth: int | None = 1,
        delay: float = 1.0,
        *,
        account: str | None = None,
        shared: Path | None = None,
        expire_others: bool = False,
        after_codes: int = 0,
    ) -> None:
        self.mock = mock
        self.scan_nth = scan_nth
        self.delay = delay
        self.account = account
        self.shared = shared
        self.expire_others = expire_others
        self.after_codes = after_codes
        self.scanned: list[str] = []
        self.expired: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Owner:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _is_shared(self, nth: int) -> bool:
        """The run wrote the nth code it shared (qr.png, qr-2.png, ...) somewhere under `shared`: the run folder
        may be a subfolder of a unique name, or an account's own."""
        return self.shared is None or any(self.shared.rglob("qr.png" if nth == 1 else f"qr-{nth}.png"))

    def _run(self, until: float = 60.0) -> None:
        deadline = time.monotonic() + until
        while not self._stop.is_set() and time.monotonic() < deadline:
            issued = self.mock.state()["qr_codes"]
            codes = [code for code in issued if self.account is None or code["account"] == self.account]
            if len(issued) >= self.after_codes:
                for nth, code in enumerate(codes, start=1):
                    if code["status"] != "pending" or not self._is_shared(nth):
                        continue
                    if nth == self.scan_nth:
                        self._stop.wait(self.delay)  # a person takes a moment to scan
                        with urllib.request.urlopen(code["payload"], timeout=10) as answer:
                            answer.read()
                        self.scanned.append(code["payload"])
                        return
                    if self.expire_others and (self.scan_nth is None or nth < self.scan_nth):
                        expire_code(self.mock, code["token"])
                        self.expired.append(code["payload"])
            self._stop.wait(0.1)


class Expirer:
    """Expires each QR code as soon as the run has shared it (written qr.png, qr-2.png, ...): the test drives
    expiry, so a busy machine cannot make a short lifetime run out before the runbook has read the code."""

    def __init__(self, mock: MockBusinessCenter, first_png: Path, count: int) -> None:
        self.mock = mock
        self.pngs = [first_png] + [first_png.with_name(f"{first_png.stem}-{n}.png") for n in range(2, count + 1)]
        self.expired = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Expirer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self, until: float = 60.0) -> None:
        deadline = time.monotonic() + until
        for png in self.pngs:
            while not png.exists():
                if self._stop.wait(0.05) or time.monotonic() > deadline:
                    return
            self.expired += self.mock.expire()
