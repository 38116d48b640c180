"""connect: the tutorial's ten steps for one or more TikTok accounts, safe to run again.

One account is walked on the run's own page, as a person would. Several are walked together (runbook/agency.py):
each on a page of its own, all waiting for their owners at once. Either way an account's walk is the generator
`account_flow`, which yields only while it waits for the owner.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace

from playwright.sync_api import Error as PlaywrightError

from runbook.browser.settings import Settings
from runbook.connect.handoff import share_qr
from runbook.connect.listeners import listening
from runbook.connect.options import ConnectOptions
from runbook.connect.owner import OwnerTimedOut, drive, watch_owner
from runbook.core.errors import RunbookError, StepFailed
from runbook.core.events import AccountReporter, Reporter
from runbook.core.handle import Handle
from runbook.core.locks import account_locks
from runbook.core.status import StepStatus
from runbook.pages.add_assets import SaveRefused
from runbook.pages.shell import Shell
from runbook.steps.arrival import sign_in
from runbook.steps.run import Run, first_line, open_run

__all__ = ["ConnectOptions", "Outcome", "account_flow", "connect"]

# What an account's walk yields to its driver (nothing), is sent back (seconds for its next look) and returns.
Flow = Generator[None, float, str]


@dataclass
class Outcome:
    """Where one account stands: its summary row once the walk has ended."""

    handle: Handle
    started: float = field(default_factory=time.monotonic)
    # starting, requesting, waiting, accepted, assigning; in the end assigned, already, linked-not-assigned,
    # timed out, failed at step N
    status: str = "starting"
    codes: int = 0
    linked: bool = False
    seconds: float = 0.0
    step: int | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("assigned", "already")

    def row(self) -> dict[str, object]:
        return {"account": str(self.handle), "status": self.status, "codes": self.codes, "seconds": self.seconds}


def connect(settings: Settings, options: ConnectOptions, reporter: Reporter) -> list[Outcome]:
    locked = account_locks(settings.base_url, settings.bc, options.accounts)  # before any browser opens
    with locked, listening(options, reporter), open_run(settings, "connect", reporter) as run:
        reporter.say(f"Run folder: {run.folder}")
        shell = sign_in(run)
        if len(options.accounts) == 1:
            return [connect_one(run, shell, options.accounts[0], options)]
        from runbook.connect.agency import connect_all

        return connect_all(run, options)


def connect_one(run: Run, shell: Shell, handle: Handle, options: ConnectOptions) -> Outcome:
    """One account on the run's own page; a failure ends the run with its own message, as it always did."""
    reporter = AccountReporter(run.reporter, str(handle))
    own = replace(run, reporter=reporter)
    outcome = Outcome(handle)
    try:
        outcome.status = drive(account_flow(own, shell, handle, options, outcome, live=sys.stderr.isatty()))
    except RunbookError as error:
        fail(outcome, error, reporter)
        raise
    finally:
        outcome.seconds = round(time.monotonic() - outcome.started, 1)
    return outcome


def account_flow(
    run: Run,
    shell: Shell,
    handle: Handle,
    options: ConnectOptions,
    outcome: Outcome,
    *,
    live: bool = False,
    arrive: Callable[[], object] | None = None,
) -> Flow:
    """Steps 2-10 for one account. What the account already has (linked, assigned) is skipped.

    `arrive` opens the account's own page first (several accounts). Returns "assigned" or "already".
    """
    with run.step(2):
        if arrive:
            arrive()
        shell.open_accounts(2)
    with run.step(3):
        tiktok_accounts = shell.open_tiktok_accounts()
    already_linked = tiktok_accounts.is_linked(handle)
    outcome.linked = already_linked
    if already_linked:
        for number in (4, 5, 6):
            run.skip(number, f"{handle} is already linked")
    else:
        outcome.status = "requesting"
        png = options.qr_target(handle, run.folder)

        def share(attempt: int) -> str:
            outcome.codes = attempt
            return share_qr(run, dialog, str(handle), attempt, png)

        with run.step(4):
            dialog = tiktok_accounts.request_access(handle)
        with run.step(5):
            dialog.generate_qr(handle)
            share(1)
        with run.step(6):
            outcome.status = "waiting"
            codes = yield from watch_owner(
                run,
                tiktok_accounts,
                dialog,
                handle,
                wait=options.wait,
                max_qr=options.max_qr,
                share_again=share,
                live=live,
            )
            outcome.linked = True
            run.reporter.say(f"{handle} accepted (QR code #{codes}).")
            run.reporter.emit("accepted", account=str(handle), codes=codes)
            dialog.close()
        # Whoever drives several accounts may hold this one here: its owner is done, and the others' owners
        # cannot start before their codes are out.
        outcome.status = "accepted"
        yield
        outcome.status = "assigning"
    with run.step(7):
        accounts = shell.open_accounts(7)
    with run.step(8):
        assets = accounts.add_assets()
    with run.step(9):
        assets.choose_tiktok_accounts()
    with run.step(10) as record:
        step = record.step
        if not assets.has_account(handle):
            raise run.failure(
                step,
                f"a checkbox for {handle}",
                [],
                "the account is not among the linked accounts offered for assignment",
            )
        if assets.is_assigned(handle):
            assets.close()
            record.skip(f"{handle} is already assigned")
        else:
            assets.tick(handle)
            try:
                assets.save()
            except SaveRefused as refused:
                raise run.failure(step, "a confirmation after Save", [str(refused)]) from None
    nothing_to_do = already_linked and record.status is StepStatus.SKIPPED
    if nothing_to_do:
        run.reporter.say(f"{handle} was already linked and assigned: nothing to do.")
    else:
        run.reporter.say(f"{handle} is connected and assigned.")
    run.reporter.emit("done", account=str(handle), already=nothing_to_do)
    return "already" if nothing_to_do else "assigned"


def fail(outcome: Outcome, error: Exception, reporter: AccountReporter) -> None:
    """Classify what stopped an account for its summary row, and emit the `failed` event."""
    step = error.step if isinstance(error, StepFailed) else reporter.last_step
    if isinstance(error, OwnerTimedOut):
        status = "timed out"
    elif outcome.linked and step is not None and step >= 7:
        status = "linked-not-assigned"
    else:
        status = f"failed at step {step}" if step is not None else "failed"
    message = first_line(str(error)) if isinstance(error, PlaywrightError) else str(error)
    outcome.status, outcome.step, outcome.message = status, step, message
    fields: dict[str, object] = {"status": status, "message": message}
    if step is not None:
        fields["step"] = step
    reporter.emit("failed", **fields)
