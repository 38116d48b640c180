"""connect: the tutorial's ten steps for one or more TikTok accounts, safe to run again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pages.add_assets import SaveRefused
from pages.shell import Shell
from runbook.account import Handle
from runbook.arrival import sign_in
from runbook.events import Reporter
from runbook.run import Run, open_run
from runbook.settings import Settings
from runbook.share import share_qr
from runbook.status import StepStatus
from runbook.waiting import wait_for_owner


@dataclass(frozen=True)
class ConnectOptions:
    accounts: tuple[Handle, ...]
    wait: float = 600.0
    max_qr: int = 3
    qr_out: Path | None = None


def connect(settings: Settings, options: ConnectOptions, reporter: Reporter) -> None:
    with open_run(settings, "connect", reporter) as run:
        reporter.say(f"Run folder: {run.folder}")
        shell = sign_in(run)
        for handle in options.accounts:
            connect_account(run, shell, handle, options)


def connect_account(run: Run, shell: Shell, handle: Handle, options: ConnectOptions) -> None:
    """Steps 2-10 for one account. What the account already has (linked, assigned) is skipped."""
    with run.step(2):
        shell.open_accounts(2)
    with run.step(3):
        tiktok_accounts = shell.open_tiktok_accounts()
    already_linked = tiktok_accounts.is_linked(handle)
    if already_linked:
        for number in (4, 5, 6):
            run.skip(number, f"{handle} is already linked")
    else:
        with run.step(4):
            dialog = tiktok_accounts.request_access(handle)
        with run.step(5):
            dialog.generate_qr(handle)
            share_qr(run, dialog, str(handle), 1, options.qr_out)
        with run.step(6):
            codes = wait_for_owner(
                run,
                tiktok_accounts,
                dialog,
                handle,
                wait=options.wait,
                max_qr=options.max_qr,
                share_again=lambda attempt: share_qr(run, dialog, str(handle), attempt, options.qr_out),
            )
            run.reporter.say(f"{handle} accepted (QR code #{codes}).")
            dialog.close()
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
