"""Writes that fail, fail cleanly: one line naming the path and the step, never a traceback or a half file.

with writing("--qr-out qr.png", "step 5"):
    ...                       # OSError (ENOSPC, EROFS, EPIPE) becomes WriteFailed, exit 2
atomic_write(path, data)      # the whole file or none: a rerun never finds half of one and takes it for done
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from runbook.core.errors import WriteFailed


def write_failed(name: str, error: OSError, when: str = "") -> WriteFailed:
    at = f" {when}" if when else ""
    return WriteFailed(
        f"{name}: cannot write{at} ({error.strerror or error}); free some space or choose another path, "
        "then run the same command again"
    )


@contextlib.contextmanager
def writing(name: str, when: str = "") -> Iterator[None]:
    """`name` says what is written ("--report out/"), `when` the step or stage ("at step 5")."""
    try:
        yield
    except OSError as error:
        raise write_failed(name, error, when) from None


def atomic_write(path: Path, data: bytes) -> Path:
    """Writes beside the target, then renames over it (which replaces a symlink rather than writing through it);
    a write that fails leaves the target as it was and no temporary file behind."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path
