"""connect and demo: the options connect has of its own, declared once (their defaults are ConnectOptions')."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from runbook.browser.settings import Settings
from runbook.cli.options import CaptureDir, KeepHandles, browser_options
from runbook.connect.options import ConnectOptions
from runbook.core.events import Reporter
from runbook.core.interrupt import guarded

DEFAULT = ConnectOptions()

Accounts = Annotated[
    list[str], typer.Option("--account", "-a", help="TikTok handle to connect, e.g. @brand (repeat for several).")
]
Wait = Annotated[float, typer.Option("--wait", help="Seconds to wait for the owner to scan and accept.")]
MaxQr = Annotated[int, typer.Option("--max-qr", help="How many QR codes to generate before giving up.")]
QrOut = Annotated[
    Path | None, typer.Option("--qr-out", help="Where to write the QR code PNG (default: the run folder).")
]
QrTerminal = Annotated[
    bool,
    typer.Option("--qr-terminal/--no-qr-terminal", help="Draw each QR code in the terminal (black on white)."),
]
Force = Annotated[bool, typer.Option("--force", help="Let --qr-out replace a file this tool did not write.")]
AccountsFile = Annotated[
    Path | None,
    typer.Option(
        "--accounts-file", help="Text or CSV file of handles, one a line, optional note column ('#' comments ok)."
    ),
]
Concurrency = Annotated[
    int | None,
    typer.Option(
        "--concurrency",
        help="Pages at work at once with several accounts (default 4; with --keep-pages 20, one per waiting "
        "account); the rest queue.",
    ),
]
KeepPages = Annotated[
    bool,
    typer.Option(
        "--keep-pages",
        help="Each waiting account keeps its page and its QR dialog open (for a UI whose codes end with their "
        "dialog); by default a code, once shared, waits without a page.",
    ),
]
Share = Annotated[
    bool, typer.Option("--share", help="Serve a live page with each account's QR code and status for the owners.")
]
ShareHost = Annotated[
    str, typer.Option("--share-host", help="Address the share page listens on (0.0.0.0: the whole LAN).")
]
SharePort = Annotated[
    int | None,
    typer.Option(
        "--share-port",
        help="Port of the share page (default: the last run's for this Business Center, else 8790; 0: any free one).",
        show_default=False,
    ),
]
ShareUrl = Annotated[
    str | None,
    typer.Option(
        "--share-url",
        help="Public base of the share links, for a reverse proxy or tunnel in front of the page "
        "(e.g. https://share.example.com/), ending in /.",
    ),
]
SharePerAccount = Annotated[
    bool, typer.Option("--share-url-per-account", help="One share link per account, showing only that account.")
]
ShardOption = Annotated[
    str | None,
    typer.Option(
        "--shard",
        help="K/N: only the accounts whose handle hashes to shard K of N, e.g. --shard 2/4 in the 2nd of 4 CI jobs.",
        show_default=False,
    ),
]
Notify = Annotated[
    list[str],
    typer.Option("--notify", help="POST each event a person acts on as JSON to this webhook URL (repeatable)."),
]


@browser_options()
def connect(
    settings: Settings,
    account: Accounts = [],  # noqa: B006 - typer reads the default, it is never mutated
    wait: Wait = DEFAULT.wait,
    max_qr: MaxQr = DEFAULT.max_qr,
    qr_out: QrOut = DEFAULT.qr_out,
    qr_terminal: QrTerminal = DEFAULT.qr_terminal,
    force: Force = False,
    accounts_file: AccountsFile = None,
    concurrency: Concurrency = DEFAULT.concurrency,
    keep_pages: KeepPages = DEFAULT.keep_pages,
    share: Share = DEFAULT.share,
    share_host: ShareHost = DEFAULT.share_host,
    share_port: SharePort = DEFAULT.share_port,
    share_url_per_account: SharePerAccount = DEFAULT.share_url_per_account,
    share_url: ShareUrl = DEFAULT.share_url,
    notify: Notify = [],  # noqa: B006
    shard: ShardOption = None,
    capture: CaptureDir = None,
    keep_handles: KeepHandles = False,
) -> None:
    """Steps 1-10: request access, share the QR code, wait for the owner, assign the account.

    Several accounts wait for their owners together; the run ends with a summary (exit 1 if any was not done).
    One connect at a time per account and Business Center: a second one refuses (exit 2) while the first runs.

    Example: tiktok-runbook connect --account @brand --events run.jsonl
    (the 2nd of 4 CI jobs: tiktok-runbook connect --accounts-file accounts.csv --shard 2/4)
    """
    from runbook.capture.options import CaptureOptions
    from runbook.connect.command import connect as run_connect

    waiting = {"wait": wait, "max_qr": max_qr, "qr_out": qr_out, "qr_terminal": qr_terminal}
    pages = {"concurrency": concurrency, "keep_pages": keep_pages}
    sharing = {"share": share, "share_host": share_host, "share_port": share_port, "share_url": share_url}
    options = ConnectOptions.build(
        account,
        accounts_file=accounts_file,
        force=force,
        shard=shard,
        **waiting,
        **pages,
        **sharing,
        share_url_per_account=share_url_per_account,
        notify=notify,
        capture=CaptureOptions.given(capture, keep_handles=keep_handles),
    )
    with Reporter(settings.events) as reporter, guarded(reporter):
        run_connect(settings, options, reporter)


@browser_options()
def demo(
    settings: Settings,
    account: Accounts = ["@demo.brand"],  # noqa: B006
    wait: Wait = 60,
    max_qr: MaxQr = DEFAULT.max_qr,
    qr_out: QrOut = DEFAULT.qr_out,
    force: Force = False,
) -> None:
    """connect against the bundled mock Business Center, with the owner's scan simulated.

    Example: tiktok-runbook demo --account @demo.brand
    """
    from runbook.connect.demo import run_demo

    options = ConnectOptions.build(account, force=force, wait=wait, max_qr=max_qr, qr_out=qr_out)
    with Reporter(settings.events) as reporter, guarded(reporter):
        run_demo(settings, options, reporter)
