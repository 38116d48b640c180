"""connect: the tutorial's ten steps for one or more TikTok accounts, safe to run again.

One account is taken through on the run's own page, as a person would (runbook/connect/flow.py). Several are
taken through together (runbook/connect/agency.py): each on a page of its own, all waiting for their owners at once.
"""

from __future__ import annotations

from runbook.browser.settings import Settings
from runbook.connect.agency import connect_all
from runbook.connect.flow import connect_one
from runbook.connect.listeners import listening
from runbook.connect.options import ConnectOptions
from runbook.connect.outcome import Outcome
from runbook.core.events import Reporter
from runbook.core.locks import account_locks
from runbook.steps.arrival import sign_in
from runbook.steps.run import open_run


def connect(settings: Settings, options: ConnectOptions, reporter: Reporter) -> list[Outcome]:
    if options.shard is not None:
        reporter.say(f"Shard {options.shard}: {len(options.accounts)} of the {options.named} accounts named")
        if not options.accounts:  # another job's part holds them all: nothing to do here
            reporter.emit("summary", accounts=[])
            return []
    locked = account_locks(settings.base_url, settings.bc, options.accounts)  # before any browser opens
    with locked, listening(options, reporter):
        folder = settings.run_folder("connect")
        with open_run(settings, folder, reporter) as run:
            reporter.say(f"Run folder: {run.folder}")
            shell = sign_in(run)
            if len(options.accounts) == 1:
                return [connect_one(run, shell, options.accounts[0], options)]
            return connect_all(run, options)
