"""Files a person names (an accounts list, a saved session, a cookie export, a screenshot), read within a cap.

Each is input from anywhere, so it is read defensively: only a regular file (`/dev/zero` would never end, a FIFO
would wait for a writer, a folder has no bytes), and at most `cap` bytes, counted while reading (a file that grows
while it is read is bounded too). Every refusal is one BadInput line naming the option, the file and the cap.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from runbook.core.errors import BadInput

MB = 2**20


def size_name(cap: int) -> str:
    return f"{cap // MB} MB" if cap >= MB else f"{cap // 1024} kB" if cap >= 1024 else f"{cap} bytes"


def read_capped(path: Path, name: str, cap: int) -> bytes:
    """The file's bytes. `name` says it in messages ("--accounts-file accounts.csv")."""
    try:
        # O_NONBLOCK: opening a FIFO would otherwise wait for a writer before fstat() could refuse it.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise BadInput(f"{name}: not a regular file")
            data = file.read(cap + 1)  # bounded even if the file grows while it is read
    except FileNotFoundError:
        raise BadInput(f"{name}: no such file") from None
    except IsADirectoryError:
        raise BadInput(f"{name}: not a regular file") from None
    except OSError as exc:
        raise BadInput(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > cap:
        raise BadInput(f"{name}: too large (more than {size_name(cap)})")
    return data


def read_text_capped(path: Path, name: str, cap: int, encoding: str = "utf-8") -> str:
    """The file's text; a file that is not text in `encoding` is refused in one line too."""
    try:
        return read_capped(path, name, cap).decode(encoding)
    except UnicodeDecodeError as error:
        raise BadInput(f"{name}: not {encoding.upper().removesuffix('-SIG')} text (byte {error.start})") from None


def read_json_capped(path: Path, name: str, cap: int, expected: str) -> Any:
    """The file's JSON, read as read_text_capped reads; what is not JSON is refused saying what was `expected`."""
    text = read_text_capped(path, name, cap)
    try:
        return json.loads(text)
    except ValueError:
        raise BadInput(f"{name}: not JSON; {expected}") from None
