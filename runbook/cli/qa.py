"""verify and guide, for QA and the tutorial's authors; show-report, to look at what verify wrote."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from runbook.browser.settings import Settings
from runbook.cli.options import CaptureDir, KeepHandles, browser_options
from runbook.core.events import Reporter
from runbook.core.handle import Handle
from runbook.core.interrupt import guarded
from runbook.verify.verdict import FailOn

# verify's terminal and report words, shown in its --help.
LEGEND = (
    "Each step ends on one line: ✓ ok · ~ drift · ✗ broken · ≈ known (drift a --baseline accepts) · – skipped, "
    'with its kind and expected → seen (~ step 2 … renamed: "Accounts" → "Assets"). Kinds: renamed (other words), '
    "moved (another route), added (a new page or dialog in the way), changed-kind (another kind of control), "
    "removed (not there: broken)."
)


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
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Accepted drift (JSON): matching steps are 'known', not failed.")
    ] = None,
    update_baseline: Annotated[
        Path | None, typer.Option("--update-baseline", help="Write this run's drift to this baseline file.")
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 on any drift, or only when a step is broken.")
    ] = FailOn.DRIFT,
    notify: Annotated[
        list[str], typer.Option("--notify", help="POST a drift summary to this webhook when the verdict changed.")
    ] = [],  # noqa: B006 - typer reads the default, it is never mutated
    open_report: Annotated[bool, typer.Option("--open", help="Open report.html in a browser when done.")] = False,
    capture: CaptureDir = None,
    keep_handles: KeepHandles = False,
) -> None:
    """Walk the ten steps without changing anything; exit 0 when the tutorial still matches, 1 when it drifted.

    Example: tiktok-runbook verify --baseline drift.json --report out/ --junit out/junit.xml
    (for a bug report: tiktok-runbook verify --capture capture/, then tiktok-runbook mock --replay capture/)
    """
    from runbook.capture.options import CaptureOptions
    from runbook.verify.command import VerifyOptions
    from runbook.verify.command import verify as run_verify

    options = VerifyOptions(
        report,
        junit,
        commit,
        Handle.parse(account) if account else None,
        baseline=baseline,
        update_baseline=update_baseline,
        fail_on=fail_on,
        notify=tuple(notify),
        open=open_report,
        capture=CaptureOptions.given(capture, keep_handles=keep_handles),
    )
    with Reporter(settings.events) as reporter, guarded(reporter):
        run_verify(settings, options, reporter)


verify.__doc__ = f"{verify.__doc__}\n\n    {LEGEND}"


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


def show_report(
    folder: Annotated[Path, typer.Argument(help="A folder verify --report wrote.")],
    port: Annotated[int, typer.Option("--port", help="Port to serve on, on 127.0.0.1 (0: any free port).")] = 0,
    browser: Annotated[bool, typer.Option("--browser/--no-browser", help="Open the report in a browser.")] = True,
) -> None:
    """Serve a verify report folder on this machine until Ctrl-C.

    Example: tiktok-runbook show-report out/
    """
    from runbook.verify.show import report_server, report_url, serve

    server = report_server(folder, port)
    url = report_url(server)
    print(f"Serving {folder} at {url} (Ctrl-C to stop)", flush=True)
    if browser:
        webbrowser.open(url)
    stop = threading.Event()
    try:
        serve(server, stop)
    except KeyboardInterrupt:
        stop.set()
