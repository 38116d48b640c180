"""verify: does the published tutorial still match Business Center? Reports for people (HTML) and CI (JUnit)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from runbook.browser.settings import Settings
from runbook.core.errors import BadInput, TutorialDrifted
from runbook.core.events import Reporter
from runbook.core.handle import Handle
from runbook.core.inputs import check_writable
from runbook.core.outputs import writing
from runbook.steps.run import Policy, open_run
from runbook.verify.camera import Camera
from runbook.verify.report import write_reports
from runbook.verify.verdict import OK, SKIPPED, Verdict
from runbook.verify.walkthrough import Walkthrough


@dataclass(frozen=True)
class VerifyOptions:
    report: Path | None = None  # default: the run folder
    junit: Path | None = None
    commit: bool = False
    account: Handle | None = None

    def __post_init__(self) -> None:
        if self.commit and self.account is None:
            raise BadInput("--commit needs --account: the account to name and to assign for real")
        # Before the walk: a report that cannot be written would otherwise fail after it, as if it had drifted.
        if self.report is not None:
            check_writable("--report", self.report, folder=True)
        if self.junit is not None:
            check_writable("--junit", self.junit, folder=False)


def verify(settings: Settings, options: VerifyOptions, reporter: Reporter) -> Verdict:
    run_folder = settings.run_folder("verify")
    folder = options.report or run_folder
    folder.mkdir(parents=True, exist_ok=True)
    camera = Camera(folder, settings.timeout * 1000)
    with open_run(settings, run_folder, reporter, Policy.GO_ON, explore=True, watcher=camera) as run:
        walkthrough = Walkthrough(run, camera, commit=options.commit, account=options.account)
        verdict = walkthrough.take_all(disconnect=True)
    with writing(f"--report {folder}" + (f" or --junit {options.junit}" if options.junit else ""), "after the walk"):
        written = write_reports(verdict, folder, options.junit)
    reporter.emit("report", status=verdict.status, **{kind: str(path) for kind, path in written.items()})
    reporter.say(f"Report: {written['html']}")
    if verdict.status != OK:
        off = [f"{step.ref} {step.status}" for step in verdict.steps if step.status not in (OK, SKIPPED)]
        raise TutorialDrifted(f"the tutorial no longer matches at step {', step '.join(off)}; see {written['html']}")
    return verdict
