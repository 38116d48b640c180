"""guide: the tutorial written back out, as Markdown and HTML, with a fresh screenshot of every step."""

from __future__ import annotations

from pathlib import Path

from runbook.browser.settings import Settings
from runbook.core import tutorial
from runbook.core.events import Reporter
from runbook.core.inputs import check_writable
from runbook.core.outputs import writing
from runbook.eyes.driver import Match
from runbook.steps.run import Policy, open_run
from runbook.verify.camera import Camera
from runbook.verify.guide_writer import write_guide
from runbook.verify.walkthrough import Walkthrough


def _today(match: Match) -> str:
    return f"Today's Business Center differs here: {' › '.join(match.route.labels)} ({match.route.name})."


def guide(settings: Settings, out: Path, reporter: Reporter) -> dict[str, Path]:
    """Takes the steps as verify does (changing nothing) and writes the guide from their screenshots."""
    check_writable("--out", out, folder=True)  # before the walk, not after it
    folder = settings.run_folder("guide")
    camera = Camera(folder, settings.timeout * 1000)
    with open_run(settings, folder, reporter, Policy.GO_ON, explore=True, watcher=camera) as run:
        Walkthrough(run, camera).take_all()
    notes = {number: _today(match) for number, match in run.matched.items() if not match.route.documented}
    with writing(f"--out {out}", "after the walk"):
        written = write_guide(tutorial.load(), camera.shots, out, notes)
    reporter.emit("guide", **{kind: str(path) for kind, path in written.items()})
    reporter.say(f"Guide: {written['markdown']} and {written['html']}")
    return written
