"""The Business Center picker (/select) that someone with several Business Centers lands on after login."""

from __future__ import annotations

import re

from playwright.sync_api import Locator

from pages.controls import Walk


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
