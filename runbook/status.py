"""status: the Business Center's TikTok accounts, linked / pending / assigned, read without changing anything."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from runbook.browser.settings import Settings
from runbook.core.events import Reporter
from runbook.core.handle import Handle
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
