"""verify and guide: the ten steps taken without changing anything, a verdict and a screenshot for each; for
verify, then the FAQ's three disconnect steps (D1-D3) on a linked account, up to the confirmation and no further.

Unlike connect, a step that cannot be taken as documented does not end the walkthrough (the run's Policy.GO_ON): a
known alternative or the nearest visible control lets it go on (drift), so one run reports every drifted step.
Only steps that need an earlier one that broke are left out ("not reached").
"""

from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from runbook import __version__, qr
from runbook.core.errors import ControlNotFound, QrUnreadable, RunbookError
from runbook.core.events import utc_now
from runbook.core.handle import Handle
from runbook.core.status import StepStatus
from runbook.core.tutorial import Step
from runbook.eyes.routes import Guess
from runbook.eyes.waits import wait_for_any
from runbook.pages.add_assets import AddAssetsDialog
from runbook.pages.dialogs import Dialog
from runbook.pages.disconnect_dialog import DisconnectDialog
from runbook.pages.request_access import RequestAccessDialog
from runbook.pages.shell import Shell
from runbook.pages.tiktok_accounts import TikTokAccountsPage
from runbook.steps.arrival import arrive
from runbook.steps.run import Run
from runbook.steps.sequences import to_asset_picker, to_tiktok_accounts
from runbook.verify.camera import Camera
from runbook.verify.verdict import StepVerdict, Verdict


class Walkthrough:
    def __init__(self, run: Run, camera: Camera, *, commit: bool = False, account: Handle | None = None) -> None:
        self.run = run
        self.driver = run.driver
        self.camera = camera
        camera.settle_with(run.driver.eyes.settle)
        self.commit = commit
        self.account = account
        self.shell = Shell(run.driver)
        self.checked: Handle | None = None  # the account the disconnect steps are checked on
        self.confirmation: DisconnectDialog | None = None  # open between D2 and its cancelling
        self.tiktok: TikTokAccountsPage | None = None
        self.request: RequestAccessDialog | None = None
        self.assets: AddAssetsDialog | None = None

    def verdicts(self) -> list[StepVerdict]:
        records = sorted(self.run.records.values(), key=lambda r: (r.step.part != "connect", r.step.number))
        shots = self.camera.shots
        data = self.driver.tutorial
        return [
            StepVerdict(
                number=record.step.number,
                title=record.step.title,
                status=record.status,
                expected=record.expected or record.step.expected,
                nearest=list(record.nearest),
                screenshot=shots[record.step.key].name if record.step.key in shots else None,
                url=record.url,
                path=record.route,
                note=record.note,
                part=record.step.part,
                kind=record.drift.kind.value if record.drift else "",
                seen=list(record.drift.seen) if record.drift else [],
                seconds=record.seconds,
                line=data.line_of(record.step),
            )
            for record in records
        ]

    # The ten steps ---------------------------------------------------------------------------------------------

    def take_all(self, *, disconnect: bool = False) -> Verdict:
        """The ten steps, then (verify) the FAQ's disconnect steps."""
        started, clock = utc_now(), time.monotonic()
        run = self.run
        run.take(1, self._sign_in)
        self.tiktok = to_tiktok_accounts(run, self.shell)
        run.take(4, self._request_access, needs=(3,))
        run.take(5, self._qr, needs=(4,))
        self._owner_step()
        self._close_open_dialog(run.driver.tutorial.step(6))
        self.assets = to_asset_picker(run, self.shell)
        run.take(10, self._save, needs=(9,))
        self._close_open_dialog(run.driver.tutorial.step(10))
        if disconnect:
            self.take_disconnect()
        data = run.driver.tutorial
        return Verdict(
            run.settings.base_url,
            started,
            time.monotonic() - clock,
            self.verdicts(),
            version=__version__,
            tutorial=data.name,
            tutorial_hash=data.digest,
        )

    # Each step's action: the page objects it reaches are kept for the steps after it.

    def _sign_in(self) -> Locator:
        arrive(self.run)
        return self.shell.menu()

    def _request_access(self) -> None:
        assert self.tiktok is not None  # step 4 needs step 3, which reached the list
        self.request = self.tiktok.request_access(self._committed_account())

    def _qr(self) -> Locator:
        """Up to a code that decodes; it is not shared with anyone, and the dialog is closed afterwards."""
        request = self.request
        assert request is not None  # step 5 needs step 4, which opened the dialog
        request.generate_qr(self._committed_account())
        try:
            payload = qr.decode(request.capture())
        except QrUnreadable:
            payload = qr.decode(request.capture_dialog())
        self.run.saw_qr(payload)
        return request.picture()

    def _save(self) -> Locator:
        """The accounts' checkboxes and the Save button are there; Save is clicked only with --commit."""
        assets = self.assets
        assert assets is not None  # step 10 needs step 9, which opened the dialog
        driver = self.driver
        if wait_for_any(driver, {"boxes": assets.boxes_shown}, driver.timeout_ms, until_settled=True) is None:
            raise ControlNotFound("a checkbox for each linked TikTok account", [])
        save = assets.locate_save()
        account = self._committed_account()
        if account is not None:
            assets.tick(account).save()
        return save

    def _committed_account(self) -> Handle | None:
        """verify changes nothing unless --commit: only then does it name an account or press Save."""
        return self.account if self.commit else None

    def _owner_step(self) -> None:
        """Step 6 needs the owner's phone: skipped, with the code on screen as the owner would see it."""
        step = self.driver.tutorial.step(6)
        self.run.reporter.step(step, StepStatus.START)
        if self.run.records[5].status.passed and self.request is not None:
            self.camera.shoot(step, self.driver.page, self.request.dialog.box)
        self.run.skip(6, "needs the account owner's phone; verify never asks an owner to scan")

    def _close_open_dialog(self, step: Step) -> None:
        """Leave nothing open behind a step that stopped half-way, so the next step starts from the page."""
        if not any(layer.modal for layer in self.driver.eyes.layers()):
            return
        try:
            with self.driver.taking(step):
                Dialog(self.driver, ()).close()
        except (PlaywrightError, RunbookError):
            self.driver.page.keyboard.press("Escape")

    # The FAQ's disconnect, up to its confirmation and no further ----------------------------------------------

    def take_disconnect(self) -> None:
        """D1-D3 on an account the list shows as linked. Never confirmed, not even with --commit: the
        confirmation is cancelled once its confirming button is found, and a control the data does not know is
        reported (drift) but never clicked."""
        run = self.run
        faq = run.driver.tutorial.disconnect_step
        run.take(faq(1), self._find_row, needs=(3,))
        if run.records[faq(1).key].status is StepStatus.SKIPPED and self.checked is None:
            for number in (2, 3):
                run.reporter.step(faq(number), StepStatus.START)
                run.skip(faq(number), run.records[faq(1).key].note)
            return
        try:
            run.take(faq(2), self._open_disconnect, needs=(faq(1).key,))
            if run.records[faq(2).key].status.passed and self.confirmation is None:
                run.reporter.step(faq(3), StepStatus.START)
                unknown = "not reached: verify clicks no control the data does not know (it might disconnect at once)"
                run.skip(faq(3), unknown)
            else:
                run.take(faq(3), self._find_confirm, needs=(faq(2).key,))
        finally:
            self._leave_disconnect()

    def _find_row(self) -> Locator | None:
        """D1: back to Accounts › TikTok Accounts (by step 3's labels); the row of --account if it is linked, else
        the first linked."""
        with self.driver.taking(self.driver.tutorial.step(3)):
            self.tiktok = self.shell.open_tiktok_accounts()
        linked = self.tiktok.linked()
        record = self.run.records[self.driver.step.key]
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
        assert self.checked is not None and self.tiktok is not None  # D2 needs D1, which found the account
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
        step = self.driver.tutorial.disconnect_step(3)
        try:
            with self.driver.taking(step):
                if self.confirmation is not None:
                    self.confirmation.cancel()
                elif self.driver.eyes.layers():
                    self.driver.page.keyboard.press("Escape")
        except (PlaywrightError, RunbookError):
            self.driver.page.keyboard.press("Escape")
        self._close_open_dialog(step)
