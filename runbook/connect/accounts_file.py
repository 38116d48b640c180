"""--accounts-file: the TikTok handles an agency connects, one a line, read and checked before a browser opens.

Plain text or CSV: a handle, optionally followed by a note (after a comma, a tab, or spaces). `#` starts a comment,
blank lines are skipped, and a header row ("account,note") is tolerated.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from runbook.core.errors import BadInput
from runbook.core.handle import Handle

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
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's CSV export may start with a BOM
    except FileNotFoundError:
        raise BadInput(f"--accounts-file {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"--accounts-file {path}: cannot be read ({error})") from None
    listed: dict[str, Listed] = {}  # by username, case-insensitively, as TikTok compares them
    first_row = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = _cells(line)
        is_first, first_row = first_row, False
        if is_first and (cells[0].casefold() in HEADER_WORDS or len(cells[0].split()) > 1):
            continue
        try:
            handle = Handle.parse(cells[0])
        except BadInput as bad:
            why = bad.message.split(": ", 2)[-1].removesuffix(" (example: --account @brand)")
            raise BadInput(f"{path}:{number}: {cells[0]!r} is not a TikTok handle: {why} (example: @brand)") from None
        note = ", ".join(cell for cell in cells[1:] if cell)
        listed.setdefault(handle.username.casefold(), Listed(handle, note, number))
    return list(listed.values())
