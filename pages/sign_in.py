"""Where the browser lands at the base URL: signed in (the menu), a login form, or the Business Center picker."""

from __future__ import annotations

import re
from enum import Enum

from playwright.sync_api import Locator

from pages.controls import Walk, wait_for_any
from pages.picker import BusinessCenterPicker
from pages.shell import side_menu
from runbook.tutorial import label_pattern


class Landing(Enum):
    SIGNED_IN = "signed in"
    LOGIN = "login"
    PICKER = "picker"


class SignInCheck:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        texts = walk.tutorial.sign_in
        page = walk.page
        self.password: Locator = page.get_by_label(label_pattern(texts["password"], whole=False)).filter(visible=True)
        self.picker_cards: Locator = BusinessCenterPicker(walk).cards
        self.menu: Locator = side_menu(page).filter(visible=True)
        self.login_url = re.compile("|".join(re.escape(part) for part in texts["login_url"]), re.IGNORECASE)

    def landing(self) -> Landing | None:
        """What shows first; None when nothing recognisable shows within the timeout."""
        found = wait_for_any([self.password, self.picker_cards, self.menu], self.walk.timeout_ms)
        if found == 0 or (found is not None and self.login_url.search(self.walk.page.url)):
            return Landing.LOGIN
        return {1: Landing.PICKER, 2: Landing.SIGNED_IN}.get(found)  # type: ignore[arg-type]
