"""status: the Business Center's TikTok accounts, linked / pending / assigned, read without changing anything."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from runbook.browser.settings import Settings
from runbook.core.errors import BadInput
from runbook.core.events import Reporter
from runbook.core.handle import Handle
from runbook.core.input_files import read_json_capped
from runbook.pages.add_assets import AddAssetsDialog
from runbook.steps.arrival import sign_in
from runbook.steps.run import open_run
from runbook.steps.sequences import to_asset_picker, to_tiktok_accounts


@dataclass(frozen=True)
class ListedAccount:
    account: str
    linked: bool
    pending: bool
    assigned: bool


def status(settings: Settings, reporter: Reporter) -> list[ListedAccount]:
    """Steps 2-3 to read the list, which may say which accounts are assigned (a column, a tag); for those it does
    not say of, steps 7-9: Add Assets shows them as its rows say (words, else a locked box). The Add Assets dialog is
    closed again without Save."""
    with open_run(settings, settings.run_folder("status"), reporter) as run:
        shell = sign_in(run)
        rows = to_tiktok_accounts(run, shell, lambda page: page.accounts())
        assert rows is not None  # status's run stops at a step that failed (Policy.STOP)
        linked = [row for row in rows if not row.pending]
        unsaid = [row.handle for row in linked if row.assigned is None]

        def read_assigned(assets: AddAssetsDialog) -> set[Handle]:
            readings = assets.assignments(unsaid)
            assets.close()
            for handle, reading in readings.items():
                if reading.disagreeing:  # two renderings of the row disagree: both are told
                    reporter.say(reading.note(str(handle)))
                    reporter.emit("reading", **reading.event(str(handle)))
            return {handle for handle, reading in readings.items() if reading.assigned}

        assigned = {row.handle for row in linked if row.assigned}
        if unsaid:
            read = to_asset_picker(run, shell, read_assigned)
            assert read is not None
            assigned |= read
    found = [
        ListedAccount(str(row.handle), linked=not row.pending, pending=row.pending, assigned=row.handle in assigned)
        for row in rows
    ]
    reporter.emit("status", accounts=[asdict(account) for account in found])
    return found


def table(accounts: list[ListedAccount]) -> str:
    """The accounts as a plain text table for a terminal."""
    if not accounts:
        return "No TikTok accounts in this Business Center."
    mark = {True: "yes", False: "-"}
    rows = [("ACCOUNT", "LINKED", "PENDING", "ASSIGNED")]
    rows += [(a.account, mark[a.linked], mark[a.pending], mark[a.assigned]) for a in accounts]
    width = max(len(row[0]) for row in rows)
    return "\n".join(f"{row[0]:<{width}}  {row[1]:<6}  {row[2]:<7}  {row[3]}" for row in rows)


MAX_STATUS_BYTES = 10_000_000  # 800 accounts take some 80 KB


def read_listing(path: Path) -> list[ListedAccount]:
    """One `status --json` output, checked: {"accounts": [{"account", "linked", "pending", "assigned"}, …]}."""
    data: Any = read_json_capped(path, f"--merge {path}", MAX_STATUS_BYTES, "give files written by status --json")
    rows = data.get("accounts") if isinstance(data, dict) else None
    flags = ("linked", "pending", "assigned")
    if not isinstance(rows, list) or not all(
        isinstance(row, dict)
        and isinstance(row.get("account"), str)
        and all(isinstance(row.get(flag), bool) for flag in flags)
        for row in rows
    ):
        raise BadInput(f'--merge {path}: not a status --json output ({{"accounts": [...]}})')
    return [ListedAccount(row["account"], *(row[flag] for flag in flags)) for row in rows]


def merged(listings: Iterable[list[ListedAccount]]) -> list[ListedAccount]:
    """Several shards' readings of one Business Center as one list, in the order accounts are first seen. They
    were taken at different moments, and an account only moves forward while shards run (pending, linked,
    assigned): each account is shown as the furthest any reading saw it."""
    found: dict[str, ListedAccount] = {}
    for listing in listings:
        for row in listing:
            key = row.account.casefold()  # TikTok handles are case-insensitive
            seen = found.get(key)
            if seen is None:
                found[key] = row
                continue
            linked = seen.linked or row.linked
            found[key] = ListedAccount(
                seen.account, linked=linked, pending=not linked, assigned=seen.assigned or row.assigned
            )
    return list(found.values())
