"""Where the browser lands at the base URL: signed in (the menu), a login form, or the Business Center picker."""

from __future__ import annotations

import re
from enum import Enum

from playwright.sync_api import Locator

from pages.controls import Walk, wait_for_any
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
        self.menu: Locator = page.get_by_role("navigation").filter(visible=True)
        self.login_url = re.compile("|".join(re.escape(part) for part in texts["login_url"]), re.IGNORECASE)

    def landing(self) -> Landing | None:
        """What shows first; None when nothing recognisable shows within the timeout."""
        found = wait_for_any([self.password, self.picker_cards, self.menu], self.walk.timeout_ms)
        if found == 0 or (found is not None and self.login_url.search(self.walk.page.url)):
            return Landing.LOGIN
        return {1: Landing.PICKER, 2: Landing.SIGNED_IN}.get(found)  # type: ignore[arg-type]


class BusinessCenterPicker:
    """The /select page of someone with several Business Centers: one card each, showing "ID: 7…"."""

    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        marker = walk.tutorial.sign_in["picker_card"]
        id_text = re.compile("(?:" + "|".join(re.escape(m) for m in marker) + r")\s*(\d+)", re.IGNORECASE)
        self.id_text = id_text
        self.cards: Locator = walk.page.get_by_role("link").filter(has_text=id_text).filter(visible=True)

    def centers(self) -> list[tuple[str, str]]:
        """(id, name) of every card; the name is the card's first line of text."""
        found = []
        for text in self.cards.all_inner_texts():
            match = self.id_text.search(text)
            lines = [line.strip() for line in text.splitlines() if line.strip() and not self.id_text.search(line)]
            found.append((match.group(1) if match else "", lines[0] if lines else ""))
        return found

    def choose(self, center_id: str) -> None:
        self.cards.filter(has_text=re.compile(rf"\b{re.escape(center_id)}\b")).click(timeout=self.walk.timeout_ms)
