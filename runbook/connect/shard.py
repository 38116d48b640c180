"""--shard K/N: the part of an accounts list one of N machines or CI jobs takes, without coordination.

An account belongs to the shard its handle hashes to: sha256 of the username, case-folded and without the "@"
(TikTok compares usernames case-insensitively), read as a number, modulo N. It is the same on every machine, in
every Python (Python's own hash() of a str changes from run to run) and whatever the file's order, so each job can
read the whole file and take its own part; the Business Center is the only shared state (a rerun skips what is
linked or assigned).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from runbook.core.errors import BadInput
from runbook.core.handle import Handle

MAX_SHARDS = 1000  # a Business Center holds at most 800 TikTok accounts
_SHARD = re.compile(r"\s*(\d{1,4})\s*/\s*(\d{1,4})\s*")


def shard_of(handle: Handle, count: int) -> int:
    """The shard (1 to `count`) the account belongs to."""
    digest = hashlib.sha256(handle.username.casefold().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as CI matrices count
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        found = _SHARD.fullmatch(text)
        index, count = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
        if not found or not 1 <= index <= count <= MAX_SHARDS:
            raise BadInput(f"--shard takes K/N with 1 ≤ K ≤ N ≤ {MAX_SHARDS}, got {text!r} (example: --shard 2/4)")
        return cls(index, count)

    def holds(self, handle: Handle) -> bool:
        return shard_of(handle, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
