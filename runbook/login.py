"""login: a person signs in once in a visible browser; the session is saved for the other commands."""

from __future__ import annotations

import re
from pathlib import Path

from pages.controls import Walk, wait_for_any
from pages.shell import side_menu
from runbook import tutorial
from runbook.errors import NotSignedIn
from runbook.events import Reporter
from runbook.session import browser_page, save_storage_state
from runbook.settings import Settings


def login(settings: Settings, wait: float, reporter: Reporter) -> Path:
    """Waits (bounded) for Business Center's menu to show, then saves the session with mode 0600."""
    steps = tutorial.load()
    login_url = re.compile("|".join(re.escape(part) for part in steps.sign_in["login_url"]), re.IGNORECASE)
    # No trace here: it would be a second copy of the credential.
    with browser_page(settings) as page:
        page.goto(settings.base_url)
        reporter.say(
            f"Sign in to Business Center in the browser window (2FA and captcha included); waiting up to {wait:g} s."
        )
        walk = Walk(page, steps, timeout_ms=wait * 1000)
        menu = side_menu(page).filter(visible=True)
        # The menu only counts once the browser has left the login pages (they may have a header nav too).
        signed_in = menu.filter(has=page.get_by_role("link")) if not login_url.search(page.url) else menu
        if wait_for_any([signed_in], walk.timeout_ms) is None or login_url.search(page.url):
            raise NotSignedIn(f"no Business Center menu appeared within {wait:g} s; nothing was saved")
        path = save_storage_state(page.context, settings.session_file)
    reporter.say(f"Signed in. Session saved to {path} (mode 0600; it is a credential: keep it private).")
    reporter.emit("login", storage_state=str(path))
    return path
