"""disconnect: the FAQ's "How do I disconnect a TikTok account": Accounts › TikTok Accounts, the row's options
menu › Disconnect, confirm. Safe to run again: an account that is not linked is reported, not an error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from runbook.browser.settings import Settings
from runbook.core.errors import NotConfirmed
from runbook.core.events import Reporter
from runbook.core.handle import Handle
from runbook.core.locks import account_lock
from runbook.steps.arrival import sign_in
from runbook.steps.run import open_run
from runbook.steps.sequences import to_tiktok_accounts


@dataclass(frozen=True)
class DisconnectOptions:
    account: Handle
    # Asked once the account is found, before anything changes; True goes ahead (--yes answers it).
    confirm: Callable[[str], bool]


def disconnect(settings: Settings, options: DisconnectOptions, reporter: Reporter) -> bool:
    """Returns True when the account was disconnected, False when it was not linked in the first place."""
    handle = options.account
    # The lock connect takes: a disconnect must not land between a connect's checks and its Save.
    with (
        account_lock(settings.base_url, handle, "disconnecting"),
        open_run(settings, settings.run_folder("disconnect"), reporter) as run,
    ):
        faq = run.driver.tutorial.disconnect_step
        shell = sign_in(run)
        accounts = to_tiktok_accounts(run, shell)
        assert accounts is not None  # disconnect's run stops at a step that failed (Policy.STOP)
        with run.step(faq(1)) as record:
            linked = accounts.is_linked(handle)
            if not linked:
                # "Not there" ends the command with success: worth a second look at a freshly loaded list.
                accounts = accounts.reload()
                linked = accounts.is_linked(handle)
            if not linked:
                record.skip(f"{handle} is not linked to this Business Center")
        if not linked:
            for number in (2, 3):
                run.skip(faq(number), "nothing to disconnect")
            reporter.say(f"{handle} is not linked to this Business Center: nothing to disconnect.")
            reporter.emit("disconnected", account=str(handle), already=True)
            return False
        if not options.confirm(f"Really disconnect {handle} from this Business Center?"):
            raise NotConfirmed(f"{handle} was not disconnected: not confirmed; nothing changed")
        with run.step(faq(2)):
            dialog = accounts.disconnect(handle)
        with run.step(faq(3)):
            dialog.confirm()
            accounts.wait_until_gone(handle)
    reporter.say(f"{handle} is disconnected from this Business Center.")
    reporter.emit("disconnected", account=str(handle), already=False)
    return True
