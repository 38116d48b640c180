"""Where the browser lands at the base URL: signed in (the menu), a login form, or the Business Center picker."""

from __future__ import annotations

import re
from enum import Enum

from playwright.sync_api import Locator

from runbook.core.tutorial import label_pattern
from runbook.eyes.driver import Driver
from runbook.eyes.waits import Probe, wait_for_any
from runbook.pages.picker import BusinessCenterPicker


class Landing(Enum):
    SIGNED_IN = "signed in"
    LOGIN = "login"
    PICKER = "picker"


class SignInCheck:
    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        texts = driver.tutorial.sign_in
        page = driver.page
        # The password field: by its label, or (a label drawn as text, tied to nothing) by its kind.
        labelled = page.get_by_label(label_pattern(texts["password"], whole=False))
        self.password: Locator = labelled.or_(page.locator("input[type=password]")).filter(visible=True)
        self.picker = BusinessCenterPicker(driver)
        self.login_url = re.compile("|".join(re.escape(part) for part in texts["login_url"]), re.IGNORECASE)

    def has_menu(self) -> bool:
        return self.driver.eyes.menu()

    def landing(self, timeout_ms: float | None = None) -> Landing | None:
        """What shows first; None when nothing recognisable shows within the timeout."""
        probes: dict[str, Probe] = {"login": self.password, "picker": self.picker.shows_cards, "menu": self.has_menu}
        found = wait_for_any(self.driver, probes, self.driver.timeout_ms if timeout_ms is None else timeout_ms)
        if found == "login" or (found is not None and self.login_url.search(self.driver.page.url)):
            return Landing.LOGIN
        return {"picker": Landing.PICKER, "menu": Landing.SIGNED_IN}.get(found or "")
