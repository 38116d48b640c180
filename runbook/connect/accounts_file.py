"""--accounts-file: the TikTok handles an agency connects, one a line, read and checked before a browser opens.

Plain text or CSV: a handle, optionally followed by a note (after a comma, a tab, or spaces). `#` starts a comment,
blank lines are skipped, and a header row ("account,note") is tolerated.

Bounded like every file a person names: at most MAX_BYTES (100,000 accounts with notes fit in a few MB), lines of
at most MAX_LINE characters (a handle is 25, a note a few words), notes of at most MAX_NOTE.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from runbook.core.errors import BadInput
from runbook.core.handle import Handle
from runbook.core.input_files import MB, read_text_capped
from runbook.core.text import quoted

MAX_BYTES = 16 * MB
MAX_LINE = 1000
MAX_NOTE = 200

# First cells that make the first row a header rather than an account (an account may be called "account");
# a first cell of several words ("TikTok handle") is a header too, since no handle has a space.
HEADER_WORDS = {"account", "accounts", "handle", "handles", "username", "user", "tiktok", "name", "@handle"}


@dataclass(frozen=True)
class Listed:
    handle: Handle
    note: str
    line: int


def _cells(line: str) -> list[str]:
    """A CSV row when the line has a comma, semicolon or tab; otherwise the handle and the rest as its note."""
    for delimiter in (",", "\t", ";"):
        if delimiter in line:
            return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]
    first, _, rest = line.strip().partition(" ")
    return [first, rest.strip()]


def read_accounts(path: Path) -> list[Listed]:
    """The accounts in the file, in order, without repeats. A bad line is a BadInput naming file:line."""
    # utf-8-sig: a spreadsheet's CSV export may start with a BOM
    text = read_text_capped(path, f"--accounts-file {path}", MAX_BYTES, encoding="utf-8-sig")
    listed: dict[str, Listed] = {}  # by username, case-insensitively, as TikTok compares them
    first_row = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if len(line) > MAX_LINE:
            raise BadInput(f"{path}:{number}: a line of {len(line)} characters (at most {MAX_LINE}): {quoted(line)}")
        try:
            cells = _cells(line)
        except csv.Error as error:  # a stray quote, a NUL: said as the line it is on
            raise BadInput(f"{path}:{number}: not a CSV row ({error}): {quoted(line)}") from None
        is_first, first_row = first_row, False
        if is_first and (cells[0].casefold() in HEADER_WORDS or len(cells[0].split()) > 1):
            continue
        why = Handle.why_not(cells[0])
        if why:
            raise BadInput(f"{path}:{number}: {quoted(cells[0])} is not a TikTok handle: {why} (example: @brand)")
        handle = Handle.parse(cells[0])
        note = ", ".join(cell for cell in cells[1:] if cell)
        if len(note) > MAX_NOTE:
            raise BadInput(f"{path}:{number}: a note of {len(note)} characters (at most {MAX_NOTE}): {quoted(note)}")
        listed.setdefault(handle.username.casefold(), Listed(handle, note, number))
    return list(listed.values())
