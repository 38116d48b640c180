"""verify: does the published tutorial still match Business Center? Reports for people (HTML) and CI (JUnit),
accepted drift (a baseline), a proposed fix of the data file, and CI's annotations and notifications."""

from __future__ import annotations

import webbrowser
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from runbook.browser.settings import Settings
from runbook.capture.options import CaptureOptions
from runbook.capture.recorder import Recorder
from runbook.core.errors import BadInput, TutorialDrifted
from runbook.core.events import Reporter
from runbook.core.handle import Handle
from runbook.core.inputs import check_writable
from runbook.core.outputs import writing
from runbook.core.tutorial import TutorialError
from runbook.share.webhooks import check_webhook_url
from runbook.steps.run import Policy, open_run
from runbook.verify import baseline, ci
from runbook.verify.camera import Camera
from runbook.verify.notify import notify
from runbook.verify.proposal import write_proposal
from runbook.verify.report import write_reports
from runbook.verify.summary import part_counts
from runbook.verify.verdict import BROKEN, DRIFT, KNOWN, FailOn, Verdict
from runbook.verify.walkthrough import Walkthrough


@dataclass(frozen=True)
class VerifyOptions:
    report: Path | None = None  # default: the run folder
    junit: Path | None = None
    commit: bool = False
    account: Handle | None = None
    baseline: Path | None = None
    update_baseline: Path | None = None
    fail_on: FailOn = FailOn.DRIFT
    notify: tuple[str, ...] = field(default=())
    open: bool = False
    capture: CaptureOptions | None = None

    def __post_init__(self) -> None:
        if self.commit and self.account is None:
            raise BadInput("--commit needs --account: the account to name and to assign for real")
        # Before the walk: a report that cannot be written would otherwise fail after it, as if it had drifted.
        if self.report is not None:
            check_writable("--report", self.report, folder=True)
        if self.junit is not None:
            check_writable("--junit", self.junit, folder=False)
        for url in self.notify:
            check_webhook_url(url)
        if self.baseline is not None:
            baseline.read(self.baseline)  # checked before a browser opens


def verify(settings: Settings, options: VerifyOptions, reporter: Reporter) -> Verdict:
    run_folder = settings.run_folder("verify")
    folder = options.report or run_folder
    folder.mkdir(parents=True, exist_ok=True)
    camera = Camera(folder, settings.timeout * 1000)
    named = [options.account] if options.account is not None else []
    recorder = options.capture.recorder("verify", named) if options.capture else None
    try:
        with open_run(
            settings, run_folder, reporter, Policy.GO_ON, explore=True, watcher=camera, recorder=recorder
        ) as run:
            walkthrough = Walkthrough(run, camera, commit=options.commit, account=options.account)
            verdict = walkthrough.take_all(disconnect=True)
            tutorial = run.driver.tutorial
    except BaseException:
        if recorder is not None:
            recorder.discard()  # a walk that did not end gives no verdict to replay
        raise
    if recorder is not None:
        _captured(recorder, verdict, reporter)
    _accept(verdict, options, reporter)
    with writing(f"--report {folder}" + (f" or --junit {options.junit}" if options.junit else ""), "after the walk"):
        written = write_reports(verdict, folder, options.junit)
    try:
        written.update(write_proposal(tutorial, verdict.steps, folder, date.today().isoformat()))
    except (TutorialError, ValueError, OSError) as error:  # the reports matter more than the proposal
        reporter.say(f"No proposed tutorial: {error}")
    reporter.emit("report", status=verdict.status, **{kind: str(path) for kind, path in written.items()})
    failing = verdict.failing(options.fail_on)
    _tell(verdict, written, reporter, failing=len(failing))
    if ci.in_github():
        for line in ci.publish(verdict, written["html"]):
            print(line, flush=True)  # stdout: where the runner reads workflow commands
    notify(options.notify, verdict, options.fail_on, str(written["html"]), reporter.say)
    if options.open:
        webbrowser.open(written["html"].resolve().as_uri())
    if failing:
        off = ", ".join(f"{step.ref} {step.kind or step.status}" for step in failing)
        raise TutorialDrifted(f"the tutorial no longer matches at step {off}; see {written['html']}")
    return verdict


def _captured(recorder: Recorder, verdict: Verdict, reporter: Reporter) -> None:
    """--capture: the walk's HAR and snapshots, scrubbed, with the verdict the replay is expected to give again."""
    steps = verdict.to_json()["steps"]
    recorder.finish(
        steps, reporter, tutorial=verdict.tutorial, tutorial_hash=verdict.tutorial_hash, verdict=verdict.status
    )


def _accept(verdict: Verdict, options: VerifyOptions, reporter: Reporter) -> None:
    """--update-baseline writes the run's drift as accepted; --baseline (or the one just written) marks it known."""
    path = options.update_baseline or options.baseline
    if options.update_baseline is not None:
        baseline.write(verdict, options.update_baseline)
        reporter.say(f"Baseline: {options.update_baseline} (the drift of this run, accepted)")
    if path is None:
        return
    stale = baseline.apply(verdict, baseline.read(path), str(path))
    for step in verdict.steps:
        if step.status is KNOWN:
            reporter.say(f"{KNOWN.mark} step {step.ref:>2}  {step.title}: known ({step.kind}, accepted in {path})")
    for entry in stale:
        reporter.say(f"  baseline {path}: step {entry.step} {entry.kind} is no longer seen (fixed, or changed again)")


def _tell(verdict: Verdict, written: dict[str, Path], reporter: Reporter, *, failing: int) -> None:
    """The last lines of the run, as a test runner ends: totals, duration, the files written."""
    counts = {status: sum(step.status is status for step in verdict.steps) for status in (DRIFT, BROKEN, KNOWN)}
    word = "FAILED" if failing else "PASSED"
    extra = ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no drift"
    reporter.say(f"{word}: {part_counts(verdict)} ({extra}) in {verdict.seconds:.1f} s")
    reporter.say(f"Report: {written['html']}")
    if "junit" in written:
        reporter.say(f"JUnit:  {written['junit']}")
    if "proposed" in written:
        reporter.say(f"Proposed tutorial: {written['proposed']} (diff: {written['diff']})")
