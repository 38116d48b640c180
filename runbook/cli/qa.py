"""verify and guide, for QA and the tutorial's authors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from runbook.browser.settings import Settings
from runbook.cli.options import browser_options
from runbook.core.events import Reporter
from runbook.core.handle import Handle
from runbook.core.interrupt import guarded


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
    """Walk the ten steps without changing anything; exit 0 when the tutorial still matches, 1 when it drifted.

    Example: tiktok-runbook verify --report out/ --junit out/junit.xml
    """
    from runbook.verify.command import VerifyOptions
    from runbook.verify.command import verify as run_verify

    options = VerifyOptions(report, junit, commit, Handle.parse(account) if account else None)
    with Reporter(settings.events) as reporter, guarded(reporter):
        run_verify(settings, options, reporter)


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
