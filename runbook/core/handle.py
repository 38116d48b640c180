"""TikTok handles as the user types them on the command line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from runbook.core.errors import BadInput
from runbook.core.text import quoted

# TikTok usernames: letters, digits, underscores and periods, at most 24 characters, not ending in a period.
_USERNAME = re.compile(r"[A-Za-z0-9_.]{1,24}")
# A handle inside a text (a table row): "@" not preceded by a word character, as in an e-mail address.
_IN_TEXT = re.compile(r"(?<![\w.@])@([A-Za-z0-9_.]{1,24})")


@dataclass(frozen=True)
class Handle:
    """A TikTok account's @handle, e.g. "@brand"."""

    username: str

    @classmethod
    def parse(cls, text: str) -> Handle:
        why = cls.why_not(text)
        if why:
            raise BadInput(f"not a TikTok handle: {quoted(text)}: {why} (example: --account @brand)")
        raw = text.strip()
        return cls(raw[1:] if raw.startswith("@") else raw)

    @staticmethod
    def why_not(text: str) -> str:
        """Why the text is not a handle, or "" when it is one."""
        raw = text.strip()
        username = raw[1:] if raw.startswith("@") else raw
        if not username:
            return "it has no username after the @"
        if len(username) > 24:
            return "it is longer than 24 characters"
        if not _USERNAME.fullmatch(username):
            return "only letters, digits, '_' and '.' are allowed"
        if username.endswith("."):
            return "it ends in a period"
        return ""

    @classmethod
    def in_text(cls, text: str) -> Handle | None:
        """The first @handle a text mentions (a sentence's full stop is not part of it), else None."""
        match = _IN_TEXT.search(text)
        username = match.group(1).rstrip(".") if match else ""
        return cls(username) if username else None

    @property
    def pattern(self) -> re.Pattern[str]:
        """Matches this handle in a text, but not a longer handle that starts with it ("@x" is not "@xy"). Its
        `.pattern` reads the same in JavaScript (the in-page engine looks for rows with it)."""
        return re.compile(rf"@{re.escape(self.username)}(?![\w.]*[\w])", re.IGNORECASE)

    def __str__(self) -> str:
        return f"@{self.username}"
