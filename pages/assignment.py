"""Whether an account is assigned, read where a person reads it: the words of its row first ("Assigned", "Not
assigned": a tag, a column), then its box (a locked box, ticked or not, is an assignment a person cannot undo
here; a box that can be ticked is not)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from runbook.core.tutorial import Tutorial
from runbook.eyes.answers import RowSeen


@dataclass(frozen=True)
class Assignment:
    """What a row says of an account: assigned or not, by which rendering, and what another rendering of the same
    row says when it disagrees (reported, not believed)."""

    assigned: bool
    by: str
    disagreeing: str = ""

    def note(self, account: str) -> str:
        """For the operator: which rendering was believed, and which said otherwise."""
        verdict = "assigned" if self.assigned else "unassigned"
        return f"{account}: taken as {verdict} by {self.by}, though {self.disagreeing} says otherwise"

    def event(self, account: str) -> dict[str, object]:
        return {"account": account, "assigned": self.assigned, "by": self.by, "disagreeing": self.disagreeing}


class AssignmentWords:
    """The tutorial's words for an assigned row and an unassigned one (assigned_texts, unassigned_texts)."""

    def __init__(self, tutorial: Tutorial) -> None:
        def pattern(texts: tuple[str, ...]) -> re.Pattern[str]:
            return re.compile(r"\b(?:" + "|".join(re.escape(text) for text in texts) + r")\b", re.IGNORECASE)

        self.unassigned = pattern(tutorial.words("unassigned_texts"))
        self.assigned = pattern(tutorial.words("assigned_texts"))

    def said(self, text: str) -> Assignment | None:
        """What the words of `text` say, if they say it at all."""
        for words, assigned in ((self.unassigned, False), (self.assigned, True)):
            found = words.search(text)
            if found:
                return Assignment(assigned, f'the words "{found.group()}"')
        return None

    def read(self, row: RowSeen) -> Assignment:
        """A row of the asset picker: its words, else its box."""
        boxed = bool(row.has_box and row.disabled)
        box = (
            "a ticked, locked box" if boxed and row.checked else "a locked box" if boxed else "a box that can be ticked"
        )
        words = self.said(row.words)
        if words is None:
            return Assignment(boxed, box)
        return Assignment(words.assigned, words.by, box if row.has_box and boxed != words.assigned else "")
