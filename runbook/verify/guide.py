"""guide: the tutorial written back out, as Markdown and HTML, with a fresh screenshot of every step.

On a Business Center that drifted, the guide says what the screen says today: a renamed or moved step's text
names today's words, marked as changed from the tutorial's, and stderr says which steps changed."""

from __future__ import annotations

from pathlib import Path

from runbook.browser.settings import Settings
from runbook.core.events import Reporter
from runbook.core.inputs import check_writable
from runbook.core.outputs import writing
from runbook.core.tutorial import StepKey
from runbook.steps.drift import classify
from runbook.steps.run import Policy, Run, open_run
from runbook.verify.camera import Camera
from runbook.verify.guide_writer import Change, write_guide
from runbook.verify.walkthrough import Walkthrough


def _changes(run: Run) -> dict[StepKey, Change]:
    """Per step taken by another route than the documented one: today's words, and how they differ."""
    changes: dict[StepKey, Change] = {}
    for key, match in run.matched.items():
        record = run.records.get(key)
        if match.route.documented or record is None or record.step.part != "connect":
            continue
        drift = classify(record.step, record.status, match.route.name, match.route.labels)
        if drift is not None and drift.seen:
            changes[key] = Change(str(drift.kind), drift.seen, record.step.documented.labels)
    return changes


def guide(settings: Settings, out: Path, reporter: Reporter) -> dict[str, Path]:
    """Takes the steps as verify does (changing nothing) and writes the guide from their screenshots."""
    check_writable("--out", out, folder=True)  # before the walk, not after it
    folder = settings.run_folder("guide")
    camera = Camera(folder, settings.timeout * 1000)
    with open_run(settings, folder, reporter, Policy.GO_ON, explore=True, watcher=camera) as run:
        Walkthrough(run, camera).take_all()
        data = run.driver.tutorial
    changes = _changes(run)
    with writing(f"--out {out}", "after the walk"):
        written = write_guide(data, camera.shots, out, changes)
    for key, change in changes.items():
        reporter.say(
            f"guide: step {key} written with today's words {change.today} ({change.kind}; the tutorial says "
            f"{change.before}): see the proposed fix with tiktok-runbook verify"
        )
    reporter.emit("guide", changed=[str(key) for key in changes], **{kind: str(path) for kind, path in written.items()})
    reporter.say(f"Guide: {written['markdown']} and {written['html']}")
    return written
