"""connect's own options, checked where they are built (before any browser opens)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from runbook.capture.options import CaptureOptions
from runbook.connect.accounts_file import read_accounts
from runbook.connect.shard import Shard
from runbook.core.errors import BadInput
from runbook.core.handle import Handle
from runbook.core.inputs import check_seconds
from runbook.qr.out import check_qr_out
from runbook.share.webhooks import check_webhook_url

# Pages at work at once when several accounts go together (runbook/connect/agency.py): a waiting account holds
# none, so a few pages take every account's steps in turn, and more would only share the same two cores.
DEFAULT_WORK_PAGES = 4
# With --keep-pages every waiting account holds its page. Pages of one site share a renderer process
# (runbook/browser/launch.py), so a page costs some 15-30 MB more (bench/agency_bench.py: 20 open pages peaked at about
# 1.6 GB summed RSS, 0.75 GB PSS, for the whole process tree with Chromium). Twenty cover a typical agency batch in
# one round on one machine with room under 2 GB; accounts beyond it queue and start as owners accept.
DEFAULT_CONCURRENCY = 20


MAX_URL_LENGTH = 2000


def check_share_url(url: str) -> None:
    """--share-url: an http(s) base address with a host, and nothing the links could not be built on."""
    parts = urlsplit(url)
    if len(url) > MAX_URL_LENGTH or parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(
            f"--share-url must be an http(s) address of at most {MAX_URL_LENGTH} characters, with a host "
            "(example: --share-url https://share.example.com/)"
        )
    if parts.query or parts.fragment or parts.username or parts.password or not url.endswith("/"):
        raise BadInput(
            "--share-url is the base the links are built on: end it with / and give no query, fragment or "
            "user (example: --share-url https://share.example.com/runbook/)"
        )


@dataclass(frozen=True)
class ConnectOptions:
    """connect's own options and their defaults, declared here once (the command line reads its defaults here)."""

    accounts: tuple[Handle, ...] = ()
    wait: float = 600.0
    max_qr: int = 3
    qr_out: Path | None = None
    qr_terminal: bool = True  # each code drawn in the terminal too
    concurrency: int | None = None  # pages at work at once; None: the default of the way accounts wait
    keep_pages: bool = False  # each waiting account keeps its page and dialog (a UI whose codes die with it)
    notes: dict[Handle, str] = field(default_factory=dict)  # from --accounts-file, shown in the summary
    share: bool = False
    share_host: str = "127.0.0.1"
    share_port: int | None = None  # None: the last run's port for this Business Center, else DEFAULT_SHARE_PORT
    share_url_per_account: bool = False
    share_url: str | None = None  # the public base of the share page's links (a reverse proxy, a tunnel)
    notify: tuple[str, ...] = ()
    force: bool = False  # --force: --qr-out (or a --run-dir's qr.png) may replace a file this tool did not write
    shard: Shard | None = None  # --shard K/N: `accounts` holds only this shard's part of the accounts named
    named: int = 0  # how many accounts were named before the shard took its part
    capture: CaptureOptions | None = None  # --capture DIR: what the run saw, scrubbed

    @classmethod
    def build(
        cls,
        accounts: Sequence[str],
        *,
        accounts_file: Path | None = None,
        force: bool = False,
        shard: str | None = None,
        **fields: Any,
    ) -> ConnectOptions:
        """Handles from -a and the file, checked and without repeats (first mention first), and of those only the
        shard's with `shard` ("K/N"); the other fields (wait, max_qr, …, as named above) checked too. `force` lets
        --qr-out replace a file this tool did not write."""
        handles = [Handle.parse(account) for account in accounts]
        notes: dict[Handle, str] = {}
        if accounts_file is not None:
            for listed in read_accounts(accounts_file):
                handles.append(listed.handle)
                if listed.note:
                    notes.setdefault(listed.handle, listed.note)
        if not handles:
            raise BadInput("name at least one account: --account @brand (or --accounts-file accounts.csv)")
        unique: dict[str, Handle] = {}  # TikTok usernames are case-insensitive: @Brand is @brand
        for handle in handles:
            unique.setdefault(handle.username.casefold(), handle)
        fields["notify"] = tuple(fields.get("notify", ()))
        part = Shard.parse(shard) if shard is not None else None
        kept = tuple(handle for handle in unique.values() if part is None or part.holds(handle))
        options = cls(accounts=kept, notes=notes, force=force, shard=part, named=len(unique), **fields)
        options.check(force=force)
        return options

    def check(self, *, force: bool = False) -> None:
        """Everything the input alone can refuse is refused here, before a browser opens or a code is requested."""
        check_seconds("--wait", self.wait)
        if self.max_qr < 1:
            raise BadInput("--max-qr must be at least 1")
        if self.concurrency is not None and self.concurrency < 1:
            raise BadInput("--concurrency must be at least 1")
        if self.share_port is not None and not 0 <= self.share_port <= 65535:
            raise BadInput("--share-port must be between 0 (any free port) and 65535")
        if self.share_url_per_account and not self.share:
            raise BadInput("--share-url-per-account needs --share")
        if self.share_url is not None:
            if not self.share:
                raise BadInput("--share-url needs --share")
            check_share_url(self.share_url)
        for url in self.notify:
            check_webhook_url(url)
        for handle in self.accounts if self.qr_out is not None else ():
            check_qr_out(self.qr_target(handle, Path()) or Path(), self.max_qr, force=force)

    def pages_at_work(self) -> int:
        """--concurrency, or its default: a few pages, or one per waiting account with --keep-pages."""
        if self.concurrency is not None:
            return self.concurrency
        return DEFAULT_CONCURRENCY if self.keep_pages else DEFAULT_WORK_PAGES

    def check_run_dir(self, run_dir: Path | None) -> None:
        """With --run-dir and no --qr-out, the codes go to its qr.png (each account's folder's, with several):
        checked like --qr-out, so that a file someone else put there is not replaced without --force."""
        if run_dir is None or self.qr_out is not None:
            return
        for handle in self.accounts:
            folder = run_dir if len(self.accounts) == 1 else run_dir / handle.username
            check_qr_out(folder / "qr.png", self.max_qr, force=self.force)

    def qr_target(self, handle: Handle, folder: Path) -> Path | None:
        """--qr-out as given for one account; with several, each account's code gets its name in the file name."""
        if len(self.accounts) == 1:
            return self.qr_out
        if self.qr_out is None:
            return folder / "qr.png"
        return self.qr_out.with_name(f"{self.qr_out.stem}-{handle.username}{self.qr_out.suffix}")
