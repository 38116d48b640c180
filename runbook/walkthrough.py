"""verify and guide: the ten steps walked without changing anything, a verdict and a screenshot for each.

Unlike connect, a step that cannot be taken as documented does not stop the walk: a known alternative or the
nearest visible control lets it go on (drift), so one run reports every drifted step. Only steps that need an
earlier one that broke are left out ("not reached").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from pages.accounts import AccountsPage
from pages.add_assets import AddAssetsDialog
from pages.controls import ControlNotFound, Match, locate, nearest, visible_names, wait_for_any
from pages.dialogs import close_dialog
from pages.request_access import RequestAccessDialog
from pages.shell import Shell
from pages.tiktok_accounts import TikTokAccountsPage
from runbook import qr
from runbook.account import Handle
from runbook.arrival import arrive
from runbook.errors import QrUnreadable
from runbook.events import utc_now
from runbook.run import Run, first_line
from runbook.tutorial import Step
from runbook.verdict import BROKEN, DRIFT, OK, SKIPPED, StepVerdict, Verdict

# Drawn around the control a step clicks, in the screenshot taken just before the click.
_OUTLINE = """(element, on) => {
  const box = element.closest('label') || element;  // a styled radio's input hides under its label
  box.style.outline = on ? '3px solid #fe2c55' : '';
  box.style.outlineOffset = on ? '2px' : '';
}"""


class Walkthrough:
    def __init__(self, run: Run, folder: Path, *, commit: bool = False, account: Handle | None = None) -> None:
        self.run = run
        self.walk = run.walk
        self.folder = folder
        self.commit = commit
        self.account = account
        self.verdicts: dict[int, StepVerdict] = {}
        self.shots: dict[int, Path] = {}
        self.walk.explore = True
        self.walk.on_target = self._shoot

    # Screenshots -----------------------------------------------------------------------------------------------

    def _shoot(self, step: Step, control: Locator | None) -> None:
        """A screenshot of the page for this step, with `control` outlined when it can be."""
        path = self.folder / f"step-{step.number:02d}.png"
        outlined = control is not None and self._outline(control, True)
        try:
            self.walk.page.screenshot(path=path)
        except PlaywrightError:
            return
        finally:
            if outlined and control is not None:
                self._outline(control, False)
        self.shots[step.number] = path

    @staticmethod
    def _outline(control: Locator, on: bool) -> bool:
        try:
            control.evaluate(_OUTLINE, on)
        except PlaywrightError:  # gone, or more than one: the screenshot is still worth having
            return False
        return True

    # One step --------------------------------------------------------------------------------------------------

    def check(self, number: int, action: Callable[[], Locator | None], needs: tuple[int, ...] = ()) -> bool:
        """Take step `number` with `action`; record ok, drift, broken or skipped. True when the walk can go on.

        The action returns the element to outline when the step clicks nothing (the QR, the Save button).
        """
        step = self.walk.step(number)
        self.run.reporter.step(step, "start")
        blocked = [n for n in needs if self.verdicts[n].status not in (OK, DRIFT)]
        if blocked:
            return self._record(step, SKIPPED, note=f"not reached: step {blocked[0]} could not be taken")
        try:
            outline = action()
        except ControlNotFound as missing:
            self._shoot(step, None)
            return self._record(step, BROKEN, nearest=missing.nearest, expected=missing.expected)
        except (PlaywrightError, QrUnreadable) as error:
            self._shoot(step, None)
            names = nearest(step.documented.labels or (step.title,), visible_names(self.walk.page))
            return self._record(step, BROKEN, nearest=names, note=first_line(str(error)))
        if outline is not None or number not in self.shots:
            self._shoot(step, outline)
        match: Match | None = self.run.matched.get(number)
        if match is None or match.path.documented:
            return self._record(step, OK, path=match.path.name if match else "")
        return self._record(step, DRIFT, nearest=match.nearest, path=match.path.name)

    def skip(self, number: int, note: str) -> None:
        step = self.walk.step(number)
        self.run.reporter.step(step, "start")
        self._record(step, SKIPPED, note=note)

    def _record(
        self,
        step: Step,
        status: str,
        *,
        nearest: list[str] | None = None,
        expected: str = "",
        path: str = "",
        note: str = "",
    ) -> bool:
        shot = self.shots.get(step.number)
        verdict = StepVerdict(
            number=step.number,
            title=step.title,
            status=status,
            expected=expected or step.expected,
            nearest=list(nearest or []),
            screenshot=shot.name if shot else None,
            url=self.walk.page.url,
            path=path,
            note=note,
        )
        self.verdicts[step.number] = verdict
        shown = f"nearest: {', '.join(verdict.nearest[:3])}" if status in (DRIFT, BROKEN) and verdict.nearest else note
        self.run.reporter.step(step, status, note=shown, nearest=verdict.nearest, screenshot=verdict.screenshot)
        return status in (OK, DRIFT)

    # The ten steps ---------------------------------------------------------------------------------------------

    def walk_all(self) -> Verdict:
        started, clock = utc_now(), time.monotonic()
        self.check(1, self._sign_in)
        self.check(2, self._accounts, needs=(1,))
        self.check(3, self._tiktok_accounts, needs=(1,))
        self.check(4, self._request_access, needs=(3,))
        self.check(5, self._qr, needs=(4,))
        self._owner_step()
        self._close_open_dialog()
        self.check(7, self._back_to_accounts, needs=(1,))
        self.check(8, self._add_assets, needs=(7,))
        self.check(9, self._asset_type, needs=(8,))
        self.check(10, self._save, needs=(9,))
        self._close_open_dialog()
        steps = [self.verdicts[number] for number in sorted(self.verdicts)]
        return Verdict(self.run.settings.base_url, started, time.monotonic() - clock, steps)

    # Each step's action: the page objects it reaches are kept for the steps after it.

    def _sign_in(self) -> Locator:
        self.shell: Shell = arrive(self.run)
        return self.shell.menu

    def _accounts(self) -> None:
        self.shell.open_accounts(2)

    def _tiktok_accounts(self) -> None:
        self.tiktok: TikTokAccountsPage = self.shell.open_tiktok_accounts()

    def _request_access(self) -> None:
        self.request: RequestAccessDialog = self.tiktok.request_access(self._committed_account())

    def _qr(self) -> Locator:
        """Up to a code that decodes; it is not shared with anyone, and the dialog is closed afterwards."""
        self.request.generate_qr(self._committed_account())
        try:
            qr.decode(self.request.capture())
        except QrUnreadable:
            qr.decode(self.request.capture_dialog())
        return self.request.picture()

    def _back_to_accounts(self) -> None:
        self.accounts: AccountsPage = self.shell.open_accounts(7)

    def _add_assets(self) -> None:
        self.assets: AddAssetsDialog = self.accounts.add_assets()

    def _asset_type(self) -> None:
        self.assets.choose_tiktok_accounts()

    def _save(self) -> Locator:
        """The accounts' checkboxes and the Save button are there; Save is clicked only with --commit."""
        boxes = self.assets.dialog.get_by_role("checkbox").filter(visible=True)
        if wait_for_any([boxes], self.walk.timeout_ms) is None:
            raise ControlNotFound(self.walk.step(10), "a checkbox for each linked TikTok account", [])
        _, save = locate(self.walk, self.assets.dialog, self.walk.step(10))
        account = self._committed_account()
        if account is not None:
            self.assets.tick(account).save()
        return save

    def _committed_account(self) -> Handle | None:
        """verify changes nothing unless --commit: only then does it name an account or press Save."""
        return self.account if self.commit else None

    def _owner_step(self) -> None:
        """Step 6 needs the owner's phone: skipped, with the code on screen as the owner would see it."""
        step = self.walk.step(6)
        open_dialog = self.walk.page.get_by_role("dialog").filter(visible=True)
        if self.verdicts[5].status in (OK, DRIFT):
            self._shoot(step, open_dialog)
        self.skip(6, "needs the account owner's phone; verify never asks an owner to scan")

    def _close_open_dialog(self) -> None:
        """Leave nothing open behind a step that stopped half-way, so the next step starts from the page."""
        open_dialog = self.walk.page.get_by_role("dialog").filter(visible=True)
        if open_dialog.count() == 1:
            try:
                close_dialog(self.walk, open_dialog)
                return
            except (PlaywrightError, AssertionError):
                pass
        if open_dialog.count():
            self.walk.page.keyboard.press("Escape")
