"""login: a person signs in once in a visible browser; the session is saved for the other commands."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from runbook.browser.cookies import read_export
from runbook.browser.session import browser_page, save_storage_state, write_storage_state
from runbook.browser.settings import Settings
from runbook.core.errors import NotSignedIn
from runbook.core.events import Reporter
from runbook.eyes.driver import Driver
from runbook.eyes.waits import wait_for_any
from runbook.pages.sign_in import SignInCheck


def login(settings: Settings, wait: float, reporter: Reporter, source: Path | None = None) -> Path:
    """Waits (bounded) for Business Center's menu to show, then saves the session with mode 0600.

    With `source` (login --import), no browser: the exported session's Business Center cookies are saved instead.
    """
    if source is not None:
        return import_session(settings, source, reporter)
    # No trace here: it would be a second copy of the credential.
    with browser_page(settings) as page:
        page.goto(settings.base_url)
        reporter.say(
            f"Sign in to Business Center in the browser window (2FA and captcha included); waiting up to {wait:g} s."
        )
        if not _signed_in(SignInCheck(Driver(page, settings.tutorial_data())), deadline=time.monotonic() + wait):
            raise NotSignedIn(f"no Business Center menu appeared within {wait:g} s; nothing was saved")
        path = save_storage_state(page.context, settings.session_file)
    reporter.say(f"Signed in. Session saved to {path} (mode 0600; it is a credential: keep it private).")
    reporter.emit("login", storage_state=str(path))
    return path


def _signed_in(check: SignInCheck, deadline: float) -> bool:
    """The menu shows on a page that is not a login page (those may have a header menu of their own).

    The person may pass through a verification code, a captcha and the Business Center picker on the way: the
    menu is looked for a second at a time until the deadline.
    """
    page = check.driver.page
    while (left_ms := (deadline - time.monotonic()) * 1000) > 0:
        try:
            page.wait_for_url(lambda url: not check.login_url.search(url), timeout=left_ms)
        except PlaywrightTimeoutError:
            return False
        if wait_for_any(
            check.driver, {"menu": check.has_menu}, min(left_ms, 1000)
        ) is not None and not check.login_url.search(page.url):
            return True
    return False


def import_session(settings: Settings, source: Path, reporter: Reporter) -> Path:
    state = read_export(source, settings.base_url)
    path = write_storage_state(state, settings.session_file)
    count = len(state["cookies"])
    reporter.say(f"Imported {count} cookie(s) for {settings.base_url} to {path} (mode 0600; keep it private).")
    reporter.emit("login", storage_state=str(path), imported=True, cookies=count)
    return path
