"""verify and guide: the ten steps walked without changing anything, a verdict and a screenshot for each; for
verify, then the FAQ's three disconnect steps (D1-D3) on a linked account, up to the confirmation and no further.

Unlike connect, a step that cannot be taken as documented does not stop the walk (the run's Policy.GO_ON): a
known alternative or the nearest visible control lets it go on (drift), so one run reports every drifted step.
Only steps that need an earlier one that broke are left out ("not reached").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from runbook import qr
from runbook.core.errors import ControlNotFound, QrUnreadable, RunbookError
from runbook.core.events import utc_now
from runbook.core.handle import Handle
from runbook.core.status import StepStatus
from runbook.core.tutorial import Step, StepKey
from runbook.eyes.controls import Guess, wait_for_any
from runbook.pages.accounts import AccountsPage
from runbook.pages.add_assets import AddAssetsDialog
from runbook.pages.dialogs import close_dialog, find_dialog
from runbook.pages.disconnect_dialog import DisconnectDialog
from runbook.pages.request_access import RequestAccessDialog
from runbook.pages.shell import Shell
from runbook.pages.tiktok_accounts import TikTokAccountsPage
from runbook.steps.arrival import arrive
from runbook.steps.run import Run
from runbook.verify.verdict import StepVerdict, Verdict

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
        self.shots = run.shots
        self.checked: Handle | None = None  # the account the disconnect steps are checked on
        self.confirmation: DisconnectDialog | None = None  # open between D2 and its cancelling
        self.walk.explore = True
        self.walk.on_target = self._shoot
        run.on_problem = lambda step: self._shoot(step, None)

    # Screenshots -----------------------------------------------------------------------------------------------

    def _shoot(self, step: Step, control: Locator | None) -> None:
        """A screenshot of the page for this step, with `control` outlined when it can be."""
        path = self.folder / f"{step.slug}.png"
        outlined = control is not None and self._outline(control, True)
        try:
            self.walk.page.screenshot(path=path, timeout=self.walk.timeout_ms)
        except PlaywrightError:
            return
        finally:
            if outlined and control is not None:
                self._outline(control, False)
        self.shots[step.key] = path

    @staticmethod
    def _outline(control: Locator, on: bool) -> bool:
        try:
            control.evaluate(_OUTLINE, on, timeout=1_000)
        except PlaywrightError:  # gone, or more than one: the screenshot is still worth having
            return False
        return True

    # One step --------------------------------------------------------------------------------------------------

    def check(self, number: int | Step, action: Callable[[], Locator | None], needs: tuple[StepKey, ...] = ()) -> bool:
        """Take step `number` (one of the ten, or a disconnect Step) with `action`, through the run's one step
        engine. True when the walk can go on.

        The action returns the element to outline when the step clicks nothing (the QR, the Save button).
        """
        step = number if isinstance(number, Step) else self.walk.step(number)

        def shot_after() -> Locator | None:
            outline = action()
            if outline is not None or step.key not in self.shots:
                self._shoot(step, outline)
            return outline

        return self.run.take(step, shot_after, needs).status.passed

    def verdicts(self) -> list[StepVerdict]:
        records = sorted(self.run.records.values(), key=lambda r: (r.step.part != "connect", r.step.number))
        return [
            StepVerdict(
                number=record.step.number,
                title=record.step.title,
                status=record.status,
                expected=record.expected or record.step.expected,
                nearest=list(record.nearest),
                screenshot=self.shots[record.step.key].name if record.step.key in self.shots else None,
                url=record.url,
                path=record.path,
                note=record.note,
                part=record.step.part,
            )
            for record in records
        ]

    # The ten steps ---------------------------------------------------------------------------------------------

    def walk_all(self, *, disconnect: bool = False) -> Verdict:
        """The ten steps, then (verify) the FAQ's disconnect steps."""
        started, clock = utc_now(), time.monotonic()
        self.check(1, self._sign_in)
        self.check(2, self._accounts, needs=(1,))
        self.check(3, self._tiktok_accounts, needs=(1,))
        self.check(4, self._request_access, needs=(3,))
        self.check(5, self._qr, needs=(4,))
        self._owner_step()
        self._close_open_dialog(6)
        self.check(7, self._back_to_accounts, needs=(1,))
        self.check(8, self._add_assets, needs=(7,))
        self.check(9, self._asset_type, needs=(8,))
        self.check(10, self._save, needs=(9,))
        self._close_open_dialog(10)
        if disconnect:
            self.walk_disconnect()
        return Verdict(self.run.settings.base_url, started, time.monotonic() - clock, self.verdicts())

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
        step = self.walk.step(10)
        shown = wait_for_any(self.walk, {"boxes": self.assets.boxes_shown}, self.walk.timeout_ms, until_settled=True)
        if shown is None:
            raise ControlNotFound(step.number, "a checkbox for each linked TikTok account", [])
        save = self.assets.locate_save()
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
        self.run.reporter.step(step, StepStatus.START)
        if self.run.records[5].status.passed:
            self._shoot(step, self.request.dialog)
        self.run.skip(6, "needs the account owner's phone; verify never asks an owner to scan")

    def _close_open_dialog(self, number: int | Step) -> None:
        """Leave nothing open behind a step that stopped half-way, so the next step starts from the page."""
        step = number if isinstance(number, Step) else self.walk.step(number)
        if not any(layer.modal for layer in self.walk.eyes.layers()):
            return
        try:
            close_dialog(self.walk, find_dialog(self.walk, step, ()), step)
        except (PlaywrightError, RunbookError):
            self.walk.page.keyboard.press("Escape")

    # The FAQ's disconnect, up to its confirmation and no further ----------------------------------------------

    def walk_disconnect(self) -> None:
        """D1-D3 on an account the list shows as linked. Never confirmed, not even with --commit: the
        confirmation is cancelled once its confirming button is found, and a control the data does not know is
        reported (drift) but never clicked."""
        faq = self.walk.tutorial.disconnect_step
        self.check(faq(1), self._find_row, needs=(3,))
        if self.run.records[faq(1).key].status is StepStatus.SKIPPED and self.checked is None:
            for number in (2, 3):
                self.run.reporter.step(faq(number), StepStatus.START)
                self.run.skip(faq(number), self.run.records[faq(1).key].note)
            return
        try:
            self.check(faq(2), self._open_disconnect, needs=(faq(1).key,))
            if self.run.records[faq(2).key].status.passed and self.confirmation is None:
                self.run.reporter.step(faq(3), StepStatus.START)
                unknown = "not reached: verify clicks no control the data does not know (it might disconnect at once)"
                self.run.skip(faq(3), unknown)
            else:
                self.check(faq(3), self._find_confirm, needs=(faq(2).key,))
        finally:
            self._leave_disconnect()

    def _find_row(self) -> Locator | None:
        """D1: back to Accounts › TikTok Accounts; the row of --account if it is linked, else the first linked."""
        step = self.walk.tutorial.disconnect_step(1)
        self.tiktok = self.shell.open_tiktok_accounts()
        linked = self.tiktok.linked()
        record = self.run.records[step.key]
        if self.account is not None and self.tiktok.is_linked(self.account):
            self.checked, why = self.account, "--account"
        elif linked:
            self.checked, why = linked[0], "the first linked account in the list"
            if self.account is not None:
                why += f"; {self.account} is not linked"
        else:
            record.skip("no TikTok account is linked: there is no row to check the disconnect steps on")
            return None
        record.note = f"checked on {self.checked} ({why}); verify disconnects nothing"
        return self.tiktok.linked_row(self.checked)

    def _open_disconnect(self) -> Locator | None:
        """D2: the row's options menu › Disconnect (or the row's own button), which opens the confirmation."""
        assert self.checked is not None  # D2 needs D1, which found the account
        opened = self.tiktok.check_disconnect(self.checked)
        if isinstance(opened, Guess):
            return opened.control
        self.confirmation = opened
        return None

    def _find_confirm(self) -> Locator:
        """D3: the confirmation's confirming button, outlined and left unclicked."""
        assert self.confirmation is not None  # D3 is taken only after D2 opened the confirmation
        return self.confirmation.locate_confirm(guessing=True)

    def _leave_disconnect(self) -> None:
        """Cancel whatever D2 opened: the confirmation (its Cancel, close button or Escape), or a menu."""
        step = self.walk.tutorial.disconnect_step(3)
        try:
            if self.confirmation is not None:
                self.confirmation.cancel()
            elif self.walk.eyes.layers():
                self.walk.page.keyboard.press("Escape")
        except (PlaywrightError, RunbookError):
            self.walk.page.keyboard.press("Escape")
        self._close_open_dialog(step)
