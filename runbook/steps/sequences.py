"""The runs of steps several flows take the same way: to the TikTok accounts list (steps 2-3) and to the asset
picker (steps 7-9). Taken with `Run.take`, so that connect stops at the first failure and verify goes on: they
return None only where verify could not reach the page (Policy.GO_ON), never under connect's Policy.STOP."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, overload

from runbook.pages.accounts import AccountsPage
from runbook.pages.add_assets import AddAssetsDialog
from runbook.pages.shell import Shell
from runbook.pages.tiktok_accounts import TikTokAccountsPage
from runbook.steps.run import Run

T = TypeVar("T")


@overload
def to_tiktok_accounts(run: Run, shell: Shell, then: None = None) -> TikTokAccountsPage | None: ...


@overload
def to_tiktok_accounts(run: Run, shell: Shell, then: Callable[[TikTokAccountsPage], T]) -> T | None: ...


def to_tiktok_accounts(run: Run, shell: Shell, then: Callable[[TikTokAccountsPage], object] | None = None) -> object:
    """Steps 2 and 3: Accounts › TikTok Accounts. Returns the list page, or what `then` reads on it as part of
    step 3."""

    def listing() -> object:
        page = shell.open_tiktok_accounts()
        return then(page) if then is not None else page

    run.take(2, shell.open_accounts, needs=(1,))
    return run.take(3, listing, needs=(1,)).result


def on_tiktok_accounts(run: Run) -> TikTokAccountsPage:
    """Steps 2 and 3 on a page that shows the TikTok accounts list already (the last account's code was requested
    there, and its dialog closed): a person clicks nothing; the list is read where it stands."""
    why = "the page shows the TikTok accounts list already (the last account's code was requested there)"
    run.skip(2, why)
    with run.step(3) as record:
        record.result = TikTokAccountsPage(run.driver)
        record.skip(why)
    return record.result


@overload
def to_asset_picker(run: Run, shell: Shell, then: None = None) -> AddAssetsDialog | None: ...


@overload
def to_asset_picker(run: Run, shell: Shell, then: Callable[[AddAssetsDialog], T]) -> T | None: ...


def to_asset_picker(run: Run, shell: Shell, then: Callable[[AddAssetsDialog], object] | None = None) -> object:
    """Steps 7-9: back to Accounts, Add Assets, the asset type TikTok Accounts. Returns the dialog, or what `then`
    reads in it as part of step 9."""
    accounts: AccountsPage = run.take(7, shell.open_accounts, needs=(1,)).result
    dialog: AddAssetsDialog = run.take(8, lambda: accounts.add_assets(), needs=(7,)).result

    def picker() -> object:
        assets = dialog.choose_tiktok_accounts()
        return then(assets) if then is not None else assets

    return run.take(9, picker, needs=(8,)).result


def to_list_again(run: Run, shell: Shell) -> TikTokAccountsPage:
    """Back to the TikTok accounts list within a later step (a parked account taken up again to renew its code):
    steps 2 and 3's clicks by their own labels, not reported as steps of their own."""
    tutorial = run.driver.tutorial
    with run.driver.taking(tutorial.step(2)):
        shell.open_accounts()
    with run.driver.taking(tutorial.step(3)):
        return shell.open_tiktok_accounts()
