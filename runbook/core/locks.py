"""One connect at a time per account and Business Center: two would both request codes and both click Save."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from runbook.core.errors import AccountBusy
from runbook.core.handle import Handle
from runbook.core.paths import APP, default_locks_dir, keyed_name


def lock_path(base_url: str, bc: str | None, handle: Handle) -> Path:
    """A file per (site, Business Center, account); readable, so the name says what it guards."""
    key = f"{urlsplit(base_url).netloc.lower()} {bc or '-'} {str(handle).lower()}"
    return default_locks_dir() / f"{keyed_name(key)}.lock"


@contextmanager
def account_lock(base_url: str, bc: str | None, handle: Handle) -> Iterator[None]:
    """Held for the whole run; the kernel releases it when the process ends, however it ends."""
    path = lock_path(base_url, bc, handle)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            raise AccountBusy(
                f"another {APP} run (pid {holder}) is connecting {handle} to this Business Center; "
                "wait for it to finish, then run the same command again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing drops the lock


@contextmanager
def account_locks(base_url: str, bc: str | None, handles: tuple[Handle, ...]) -> Iterator[None]:
    with ExitStack() as stack:
        for handle in handles:
            stack.enter_context(account_lock(base_url, bc, handle))
        yield
