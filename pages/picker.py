"""The Business Center picker (/select) that someone with several Business Centers lands on after login."""

from __future__ import annotations

import re

from runbook.eyes.answers import RowSeen
from runbook.eyes.driver import Driver

_STOP = "$^"


class BusinessCenterPicker:
    """The /select page of someone with several Business Centers: one card each (a link, a button or a clickable
    block), showing "ID: 7…"."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        marker = driver.tutorial.sign_in["picker_card"]
        alternatives = "|".join(re.escape(m) for m in marker)
        self.id_text = re.compile(rf"(?:{alternatives})\s*(\d+)", re.IGNORECASE)
        # For the in-page engine: a card is the control around its ID, or the block before one holding another ID.
        self._js_id = rf"(?:{alternatives})\s*\d+"

    def _cards(self) -> list[RowSeen]:
        return self.driver.eyes.rows(self._js_id, self._js_id, in_layer=False, stop_at_control=True)

    def shows_cards(self) -> bool:
        return bool(self._cards())

    def centers(self) -> list[tuple[str, str]]:
        """(id, name) of every card; the name is the card's first text that is not its ID."""
        found = []
        for card in self._cards():
            text = card.text
            match = self.id_text.search(text)
            rest = self.id_text.sub("\n", text)
            lines = [line.strip(" ·|-") for line in re.split(r"\n| {2,}", rest) if line.strip(" ·|-")]
            found.append((match.group(1) if match else "", lines[0] if lines else ""))
        return found

    def choose(self, center_id: str) -> None:
        for card in self._cards():
            match = self.id_text.search(card.text)
            if match and match.group(1) == center_id:
                self.driver.page.locator(card.selector).click(timeout=self.driver.timeout_ms)
                return
        raise LookupError(center_id)
