"""The runs of steps several flows take the same way: to the TikTok accounts list (steps 2-3) and to the asset
picker (steps 7-9). Taken with `Run.take`, so that connect stops at the first failure and verify goes on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from runbook.pages.accounts import AccountsPage
from runbook.pages.add_assets import AddAssetsDialog
from runbook.pages.shell import Shell
from runbook.pages.tiktok_accounts import TikTokAccountsPage
from runbook.steps.run import Run

T = TypeVar("T")


def to_tiktok_accounts(
    run: Run,
    shell: Shell,
    then: Callable[[TikTokAccountsPage], T] | None = None,
    *,
    arrive: Callable[[], object] | None = None,
) -> T | TikTokAccountsPage | None:
    """Steps 2 and 3: Accounts › TikTok Accounts. Returns the list page, or what `then` reads on it as part of
    step 3; None when verify could not reach it. `arrive` opens the page first, as part of step 2 (an account's
    own page, when several are connected at once)."""

    def accounts() -> AccountsPage:
        if arrive is not None:
            arrive()
        return shell.open_accounts()

    def listing() -> T | TikTokAccountsPage:
        page = shell.open_tiktok_accounts()
        return then(page) if then is not None else page

    run.take(2, accounts, needs=(1,))
    return run.take(3, listing, needs=(1,)).result


def to_asset_picker(
    run: Run, shell: Shell, then: Callable[[AddAssetsDialog], T] | None = None
) -> T | AddAssetsDialog | None:
    """Steps 7-9: back to Accounts, Add Assets, the asset type TikTok Accounts. Returns the dialog, or what `then`
    reads in it as part of step 9; None when verify could not reach it."""
    accounts = run.take(7, shell.open_accounts, needs=(1,)).result

    def picker() -> T | AddAssetsDialog:
        assets = dialog.choose_tiktok_accounts()
        return then(assets) if then is not None else assets

    dialog: AddAssetsDialog = run.take(8, lambda: accounts.add_assets(), needs=(7,)).result
    return run.take(9, picker, needs=(8,)).result
