"""The command line: one Typer app; each command checks its input and calls one flow function."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from runbook.browser.settings import Settings
from runbook.cli.options import browser_options
from runbook.connect.options import DEFAULT_CONCURRENCY
from runbook.core.errors import BadInput, ExitCode, RunbookError
from runbook.core.events import Reporter
from runbook.core.handle import Handle
from runbook.core.inputs import check_seconds
from runbook.core.interrupt import guarded

app = typer.Typer(
    name="tiktok-runbook",
    help="Link TikTok accounts to a TikTok Business Center by following the published tutorial, unattended.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)

AccountOption = Annotated[
    list[str],
    typer.Option("--account", "-a", help="TikTok handle to connect, e.g. @brand (repeat for several)."),
]
WaitOption = Annotated[float, typer.Option("--wait", help="Seconds to wait for the owner to scan and accept.")]
MaxQrOption = Annotated[int, typer.Option("--max-qr", help="How many QR codes to generate before giving up.")]
QrOutOption = Annotated[
    Path | None, typer.Option("--qr-out", help="Where to write the QR code PNG (default: the run folder).")
]
ForceOption = Annotated[bool, typer.Option("--force", help="Let --qr-out replace a file this tool did not write.")]


AccountsFileOption = Annotated[
    Path | None,
    typer.Option(
        "--accounts-file",
        help="Text or CSV file of handles, one a line, optional note column ('#' comments ok).",
    ),
]
ConcurrencyOption = Annotated[
    int,
    typer.Option("--concurrency", help="At most this many accounts' pages open at once; the rest queue."),
]
ShareOption = Annotated[
    bool, typer.Option("--share", help="Serve a live page with each account's QR code and status for the owners.")
]
ShareHostOption = Annotated[
    str, typer.Option("--share-host", help="Address the share page listens on (0.0.0.0: the whole LAN).")
]
SharePortOption = Annotated[int, typer.Option("--share-port", help="Port of the share page (0: any free port).")]
SharePerAccountOption = Annotated[
    bool, typer.Option("--share-url-per-account", help="One share link per account, showing only that account.")
]
NotifyOption = Annotated[
    list[str],
    typer.Option("--notify", help="POST each event a person acts on as JSON to this webhook URL (repeatable)."),
]


def _connect_options(
    accounts: list[str], wait: float, max_qr: int, qr_out: Path | None, force: bool = False, **more: Any
):
    """Everything the input alone can refuse is refused here, before a browser opens or a code is requested."""
    from runbook.connect.options import ConnectOptions

    return ConnectOptions.build(accounts, wait=wait, max_qr=max_qr, qr_out=qr_out, force=force, **more)


@app.command()
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


@app.command()
@browser_options()
def connect(
    settings: Settings,
    account: AccountOption = [],  # noqa: B006 - typer reads the default, it is never mutated
    wait: WaitOption = 600,
    max_qr: MaxQrOption = 3,
    qr_out: QrOutOption = None,
    force: ForceOption = False,
    accounts_file: AccountsFileOption = None,
    concurrency: ConcurrencyOption = DEFAULT_CONCURRENCY,
    share: ShareOption = False,
    share_host: ShareHostOption = "127.0.0.1",
    share_port: SharePortOption = 0,
    share_url_per_account: SharePerAccountOption = False,
    notify: NotifyOption = [],  # noqa: B006
) -> None:
    """Steps 1-10: request access, share the QR code, wait for the owner, assign the account.

    Several accounts wait for their owners together; the run ends with a summary (exit 1 if any was not done).
    One connect at a time per account and Business Center: a second one refuses (exit 2) while the first runs.

    Example: tiktok-runbook connect --account @brand --events run.jsonl
    """
    from runbook.connect.command import connect as run_connect

    options = _connect_options(
        account,
        wait,
        max_qr,
        qr_out,
        force,
        accounts_file=accounts_file,
        concurrency=concurrency,
        share=share,
        share_host=share_host,
        share_port=share_port,
        share_url_per_account=share_url_per_account,
        notify=notify,
    )
    with Reporter(settings.events) as reporter, guarded(reporter):
        run_connect(settings, options, reporter)


@app.command()
@browser_options()
def demo(
    settings: Settings,
    account: AccountOption = ["@demo.brand"],  # noqa: B006
    wait: WaitOption = 60,
    max_qr: MaxQrOption = 3,
    qr_out: QrOutOption = None,
    force: ForceOption = False,
) -> None:
    """connect against the bundled mock Business Center, with the owner's scan simulated.

    Example: tiktok-runbook demo --account @demo.brand
    """
    from runbook.connect.demo import run_demo

    options = _connect_options(account, wait, max_qr, qr_out, force)
    with Reporter(settings.events) as reporter, guarded(reporter):
        run_demo(settings, options, reporter)


@app.command()
@browser_options()
def verify(
    settings: Settings,
    report: Annotated[
        Path | None, typer.Option("--report", help="Folder for report.json, report.html and screenshots.")
    ] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Also write JUnit XML here, for CI.")] = None,
    commit: Annotated[
        bool, typer.Option("--commit", help="Really name --account and click Save (changes Business Center).")
    ] = False,
    account: Annotated[str | None, typer.Option("--account", "-a", help="The account --commit assigns.")] = None,
) -> None:
    """Driver the ten steps without changing anything; exit 0 when the tutorial still matches, 1 when it drifted.

    Example: tiktok-runbook verify --report out/ --junit out/junit.xml
    """
    from runbook.verify.command import VerifyOptions
    from runbook.verify.command import verify as run_verify

    options = VerifyOptions(report, junit, commit, Handle.parse(account) if account else None)
    with Reporter(settings.events) as reporter, guarded(reporter):
        run_verify(settings, options, reporter)


@app.command()
@browser_options()
def guide(
    settings: Settings,
    out: Annotated[Path, typer.Option("--out", help="Folder for guide.md, guide.html and images/.")] = Path("guide"),
) -> None:
    """Write the tutorial as Markdown and HTML with a fresh, annotated screenshot of every step.

    Example: tiktok-runbook guide --out docs/
    """
    from runbook.verify.guide import guide as run_guide

    with Reporter(settings.events) as reporter, guarded(reporter):
        run_guide(settings, out, reporter)


@app.command()
@browser_options()
def status(
    settings: Settings,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print one JSON object, {"accounts": [...]}, instead of a table.')
    ] = False,
) -> None:
    """List the Business Center's TikTok accounts: linked, pending, assigned. Changes nothing.

    Example: tiktok-runbook status --json
    """
    import json
    from dataclasses import asdict

    from runbook.status import status as run_status
    from runbook.status import table

    with Reporter(settings.events) as reporter:
        accounts = run_status(settings, reporter)
    print(json.dumps({"accounts": [asdict(a) for a in accounts]}) if as_json else table(accounts))


@app.command()
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
    options = DisconnectOptions(handle, confirm=(lambda _: True) if yes else _ask)
    with Reporter(settings.events) as reporter:
        run_disconnect(settings, options, reporter)


def _ask(question: str) -> bool:
    return typer.confirm(question, default=False, err=True)


@app.command()
def mock(
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0: any free port).")] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    edition: Annotated[
        str, typer.Option("--edition", help="tutorial, wizard, or a drifted twin (see README).")
    ] = "tutorial",
    qr_lifetime: Annotated[float, typer.Option("--qr-lifetime", help="Seconds a QR code stays valid.")] = 120,
    qr_render: Annotated[str, typer.Option("--qr-render", help="How the QR is drawn: img, canvas or svg.")] = "img",
    delay: Annotated[float, typer.Option("--delay", help="Seconds each API answer is held back.")] = 0.15,
    require_login: Annotated[bool, typer.Option("--require-login", help="Ask for the mock's login form.")] = False,
    markup: Annotated[
        str, typer.Option("--markup", help="How pages are marked up: aria, bare (no roles) or mui (Material UI).")
    ] = "aria",
    rerender: Annotated[
        float, typer.Option("--rerender", help="Seconds until buttons are swapped for fresh nodes (0: never).")
    ] = 0.0,
) -> None:
    """Serve the bundled mock Business Center until Ctrl-C.

    Example: tiktok-runbook mock --port 8765 --edition wizard --markup bare
    """
    from runbook.fixtures.server import EDITIONS, MARKUPS, QR_RENDERS, MockConfig, serve

    if edition not in EDITIONS:
        raise BadInput(f"--edition {edition!r} is not one of: {', '.join(EDITIONS)}")
    if qr_render not in QR_RENDERS:
        raise BadInput(f"--qr-render {qr_render!r} is not one of: {', '.join(QR_RENDERS)}")
    if markup not in MARKUPS:
        raise BadInput(f"--markup {markup!r} is not one of: {', '.join(MARKUPS)}")
    if edition == "lookalike" and markup != "aria":
        raise BadInput("--edition lookalike has Ant Design's markup of its own; drop --markup")
    if qr_lifetime <= 0 or delay < 0:
        raise BadInput("--qr-lifetime must be positive and --delay not negative")
    if not 0 <= rerender <= 10:
        raise BadInput("--rerender must be between 0 and 10 seconds")
    config = MockConfig(
        edition=edition,
        qr_lifetime=qr_lifetime,
        qr_render=qr_render,
        delay=delay,
        require_login=require_login,
        markup=markup,
        rerender=rerender,
    )
    try:
        serve(config, host=host, port=port)
    except OSError as error:  # the port is taken, or the address is not this machine's
        why = error.strerror or str(error)
        raise BadInput(f"mock --host {host} --port {port}: {why}; try another --port (0: any free port)") from None


@app.command()
def qr(
    action: Annotated[str, typer.Argument(help="What to do with the image: decode.")],
    image: Annotated[Path, typer.Argument(help="A screenshot or photo holding QR codes (PNG, JPEG, WebP, GIF, BMP).")],
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"codes": [{"payload", "position"}]} instead of lines.')
    ] = False,
) -> None:
    """Decode every QR code in an image: each payload on its own line (escaped), the codes drawn on stderr.

    Exits 1 when the image holds no readable code, 2 when the file is not an image or is too large.

    Example: tiktok-runbook qr decode screenshot.png --json
    """
    from runbook.qr.report import report_codes

    if action != "decode":
        raise BadInput(f"unknown qr action {action!r}: use 'tiktok-runbook qr decode IMAGE'")
    report_codes(image, as_json=as_json)


def main() -> None:
    """Entry point: RunbookError and usage errors become one line on stderr and an exit code."""
    try:
        app(standalone_mode=False)
    except RunbookError as error:
        if sys.stderr.isatty():  # a countdown line may still be on screen
            print("\r\033[K", end="", file=sys.stderr)
        print(f"tiktok-runbook: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        print("tiktok-runbook: interrupted; run the same command again to resume", file=sys.stderr)
        sys.exit(ExitCode.INTERRUPTED)
    except typer.TyperException as error:  # usage errors: unknown option, missing or bad value
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        # No command at all shows the help, which is a page, not an error line.
        print(message if message.startswith("Usage:") else f"tiktok-runbook: {message}", file=sys.stderr)
        sys.exit(ExitCode.BAD_INPUT)
