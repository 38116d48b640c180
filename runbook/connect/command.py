"""connect: the tutorial's ten steps for one or more TikTok accounts, safe to run again.

One account is taken through on the run's own page, as a person would (runbook/connect/flow.py). Several are
taken through together (runbook/connect/agency.py): each on a page of its own, all waiting for their owners at once.
With several, or with --share, a terminal shows one live table of the accounts (runbook/connect/table.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from runbook.browser.settings import Settings
from runbook.capture.recorder import Recorder
from runbook.connect.agency import connect_all
from runbook.connect.flow import connect_one
from runbook.connect.listeners import listening
from runbook.connect.options import ConnectOptions
from runbook.connect.outcome import Outcome
from runbook.connect.table import live_table
from runbook.core.errors import RunbookError
from runbook.core.events import Reporter
from runbook.core.locks import account_locks
from runbook.core.tutorial import StepKey
from runbook.steps.arrival import sign_in
from runbook.steps.run import StepRecord, open_run


def connect(settings: Settings, options: ConnectOptions, reporter: Reporter) -> list[Outcome]:
    if options.shard is not None:
        reporter.say(f"Shard {options.shard}: {len(options.accounts)} of the {options.named} accounts named")
        if not options.accounts:  # another job's part holds them all: nothing to do here
            reporter.emit("summary", accounts=[])
            return []
    options.check_run_dir(settings.run_dir)  # before anything is requested
    locked = account_locks(settings.base_url, options.accounts)  # before any browser opens
    recorder = options.capture.recorder("connect", options.accounts) if options.capture else None
    with locked, listening(options, reporter, settings), captured(recorder, reporter) as records:
        folder = settings.run_folder("connect")
        with open_run(settings, folder, reporter, recorder=recorder) as run:
            records.append(run.records)
            reporter.say(f"Run folder: {run.folder}")
            shell = sign_in(run)
            reporter.business_center_is(shell.business_center_name())  # who asks, for the owners' page and events
            accounts = [str(handle) for handle in options.accounts]
            notes = {str(handle): note for handle, note in options.notes.items()}
            tabled = live_table(reporter, accounts, notes) if len(accounts) > 1 or options.share else nullcontext(False)
            with tabled as table:
                if len(options.accounts) == 1:
                    return [connect_one(run, shell, options.accounts[0], options, countdown=not table)]
                return connect_all(run, options)


@contextmanager
def captured(recorder: Recorder | None, reporter: Reporter) -> Iterator[list[dict[StepKey, StepRecord]]]:
    """--capture: once the browser closed, what connect saw, scrubbed, with how each of its steps went. A run that
    failed is worth a capture too (it is what a bug report needs); one that was interrupted is not."""
    holder: list[dict[StepKey, StepRecord]] = []
    if recorder is None:
        yield holder
        return
    outcome = "done"
    try:
        yield holder
    except (KeyboardInterrupt, SystemExit):
        recorder.discard()
        raise
    except RunbookError as error:
        outcome = f"failed: {error}"
        _finish(recorder, holder, outcome, reporter, failing=True)
        raise
    _finish(recorder, holder, outcome, reporter, failing=False)


def _finish(
    recorder: Recorder, holder: list[dict[StepKey, StepRecord]], outcome: str, reporter: Reporter, *, failing: bool
) -> None:
    records = holder[0] if holder else {}
    steps = [
        {"ref": str(key), "title": r.step.title, "status": r.status.value, "path": r.route, "note": r.note}
        for key, r in records.items()
    ]
    try:
        recorder.finish(steps, reporter, tutorial="", tutorial_hash="", verdict=outcome)
    except RunbookError as error:
        if not failing:
            raise
        reporter.say(str(error))  # the step's failure is the run's error; the capture's is said beside it
