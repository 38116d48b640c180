"""One account's way through the tutorial's steps 2-10, safe to run again: what the account already has (linked,
assigned) is skipped.

The flow is a generator that yields only while it waits for the owner, so that one loop can drive many accounts
at once (runbook/connect/agency.py); `connect_one` drives a single account on the run's own page.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from dataclasses import replace

from runbook.connect.handoff import HandedOff, hand_off
from runbook.connect.options import ConnectOptions
from runbook.connect.outcome import Outcome, fail
from runbook.connect.owner import drive, watch_owner
from runbook.connect.parking import Park, Wake, wait_parked
from runbook.core.errors import RunbookError
from runbook.core.events import AccountReporter
from runbook.core.handle import Handle
from runbook.core.status import AccountState, StepStatus
from runbook.pages.add_assets import SaveRefused
from runbook.pages.request_access import RequestAccessDialog
from runbook.pages.shell import Shell
from runbook.steps.run import Run
from runbook.steps.sequences import on_tiktok_accounts, to_asset_picker, to_list_again, to_tiktok_accounts

# What an account's flow yields to whoever runs it (nothing while it looks at its page, a Park while it waits
# without one), is sent back (the seconds its next look may take; why a parked account wakes) and returns.
Flow = Generator[Park | None, float | Wake, AccountState]


def connect_one(run: Run, shell: Shell, handle: Handle, options: ConnectOptions, *, countdown: bool = True) -> Outcome:
    """One account on the run's own page; a failure ends the run with its own message, as it always did.
    `countdown`: the wait's countdown line on a terminal (not under a live table, which counts down itself)."""
    reporter = AccountReporter(run.reporter, str(handle))
    own = replace(run, reporter=reporter)
    outcome = Outcome(handle)
    live = countdown and sys.stderr.isatty()
    try:
        outcome.state = drive(account_flow(own, shell, handle, options, outcome, live=live))
    except RunbookError as error:
        fail(outcome, error, reporter)
        raise
    finally:
        outcome.ended()
    return outcome


def account_flow(
    run: Run,
    shell: Shell,
    handle: Handle,
    options: ConnectOptions,
    outcome: Outcome,
    *,
    live: bool = False,
    park: bool = False,
    on_list: bool = False,
) -> Flow:
    """Steps 2-10 for one account. `park`: while its owner has not accepted, the account holds no page (it
    yields a Park, and is sent why it wakes, maybe on another page: runbook/connect/parking.py); where the dialog
    shows no countdown, it keeps its page and watches the dialog as without. Returns AccountState.ASSIGNED, or
    ALREADY when there was nothing to do. `on_list`: the page shows the TikTok accounts list already."""
    tiktok_accounts = on_tiktok_accounts(run) if on_list else to_tiktok_accounts(run, shell)
    assert tiktok_accounts is not None  # connect's run stops at a step that failed (Policy.STOP)
    already_linked = tiktok_accounts.is_linked(handle)
    outcome.linked = already_linked
    listed = tiktok_accounts.listed(handle) if already_linked else None
    if listed is not None and listed.assigned:  # the list says so (a column, a tag): nothing to open Add Assets for
        for number in range(4, 11):
            run.skip(number, f"{handle} is already linked and assigned, as the list says")
        return _done(run, handle, already=True)
    if already_linked:
        for number in (4, 5, 6):
            run.skip(number, f"{handle} is already linked")
    else:
        outcome.state = AccountState.REQUESTING
        png = options.qr_target(handle, run.folder)

        def give(dialog: RequestAccessDialog, attempt: int) -> HandedOff:
            outcome.codes = attempt
            return hand_off(run, dialog, str(handle), attempt, png, drawn=options.qr_terminal)

        with run.step(4):
            dialog = tiktok_accounts.request_access(handle)
        with run.step(5):
            dialog.generate_qr(handle)
            handed = give(dialog, 1)
        with run.step(6):
            outcome.state = AccountState.WAITING
            lifetime = handed.lifetime if park else None
            if lifetime is None:
                codes = yield from watch_owner(
                    run,
                    tiktok_accounts,
                    dialog,
                    handle,
                    wait=options.wait,
                    max_qr=options.max_qr,
                    hand_off_again=lambda attempt: give(dialog, attempt),
                    live=live,
                )
            else:
                codes = yield from wait_parked(
                    run,
                    dialog,
                    handle,
                    lifetime,
                    listing=tiktok_accounts,
                    wait=options.wait,
                    max_qr=options.max_qr,
                    relist=lambda: to_list_again(run, shell),
                    hand_off_again=give,
                )
            announce_accepted(run, outcome, codes)
            if lifetime is None:
                dialog.close()
        outcome.state = AccountState.ASSIGNING
    assets = to_asset_picker(run, shell)
    assert assets is not None  # as above
    with run.step(10) as record:
        if not assets.has_account(handle):
            raise run.failure(
                record.step,
                f"a checkbox for {handle}",
                [],
                "the account is not among the linked accounts offered for assignment",
            )
        reading = assets.assignment(handle)
        if reading is not None and reading.disagreeing:  # two renderings of the row disagree: both told
            run.reporter.say(reading.note(str(handle)))
            run.reporter.emit("reading", **reading.event(str(handle)))
        if reading is not None and reading.assigned:
            assets.close()
            record.skip(f"{handle} is already assigned ({reading.by})")
        else:
            assets.tick(handle)
            try:
                assets.save()
            except SaveRefused as refused:
                raise run.failure(record.step, "a confirmation after Save", [str(refused)]) from None
    return _done(run, handle, already=already_linked and record.status is StepStatus.SKIPPED)


def announce_accepted(run: Run, outcome: Outcome, codes: int) -> None:
    """Once per account: its owner accepted. Said as soon as it is seen (the watcher of parked accounts sees it
    before a page is free to take the account up again: runbook/connect/agency.py)."""
    outcome.linked = True
    if outcome.accepted:
        return
    outcome.accepted = True
    run.reporter.say(f"{outcome.handle} accepted (QR code #{codes}).")
    run.reporter.emit("accepted", account=str(outcome.handle), codes=codes)


def _done(run: Run, handle: Handle, *, already: bool) -> AccountState:
    if already:
        run.reporter.say(f"{handle} was already linked and assigned: nothing to do.")
    else:
        run.reporter.say(f"{handle} is connected and assigned.")
    run.reporter.emit("done", account=str(handle), already=already)
    return AccountState.ALREADY if already else AccountState.ASSIGNED
