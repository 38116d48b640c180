"""One run at a time per account and site: two connects would both request codes and both click Save, and a
disconnect could land between a connect's checks and its Save.

The site is the base URL as a browser would compare it (scheme, host in lower case, the default port spelled
out), with every name of this machine (localhost, 127.0.0.1, [::1]) one site; the account is its username, in any
case (TikTok's are case-insensitive). The Business Center is not part of the key: `--bc` by id and by name are
the same one, and an account linked in one is not requested by another at the same time either.

One lock file per site and one descriptor per run, whatever the number of accounts (100,000 accounts once took
100,000 descriptors). The file holds a table of claims, a line per account a run holds: "slot nonce pid doing
username". Each run holds a record lock on a byte of its own (its slot; Linux's open file description locks,
which the kernel drops when the process ends, however it ends), and a claim counts only while its slot is held
with the same nonce: a run killed with SIGKILL leaves claims that the next run sees are dead and drops. The table
is read and written under a lock on byte 1; every run holds a shared lock on byte 0 while it has the file open,
and the last one out takes it exclusively and removes the file, so none is left behind.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import ipaddress
import os
import re
import secrets
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from runbook.core.errors import AccountBusy
from runbook.core.handle import Handle
from runbook.core.paths import APP, default_locks_dir

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PRESENCE, _TABLE, _FIRST_SLOT = 0, 1, 16  # the bytes locked: not the file's contents (the table's text)
MAX_RUNS = 4096  # runs of one site at once
_OFD = hasattr(fcntl, "F_OFD_SETLK")  # Linux; elsewhere POSIX record locks (per process, which one run is)
_LOCKF = {fcntl.F_RDLCK: fcntl.LOCK_SH, fcntl.F_WRLCK: fcntl.LOCK_EX, fcntl.F_UNLCK: fcntl.LOCK_UN}


def site_key(base_url: str) -> str:
    """scheme://host:port as the browser compares sites; this machine's names are all "localhost"."""
    parts = urlsplit(base_url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        loopback = host == "localhost" or host.endswith(".localhost") or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    return f"{scheme}://{'localhost' if loopback else host}:{port}"


def lock_path(base_url: str) -> Path:
    """The site's lock file; readable, so the name says what it guards."""
    key = site_key(base_url)
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", key)[:80]
    return default_locks_dir() / f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:12]}.lock"


def _lock(fd: int, kind: int, start: int, length: int, *, wait: bool = False) -> bool:
    """True when taken (or released, for F_UNLCK); False when another run holds it."""
    try:
        if _OFD:  # struct flock as Linux lays it out; l_pid is 0 for these locks
            record = struct.pack("hhqqi4x", kind, os.SEEK_SET, start, length, 0)
            fcntl.fcntl(fd, fcntl.F_OFD_SETLKW if wait else fcntl.F_OFD_SETLK, record)
        else:
            fcntl.lockf(fd, _LOCKF[kind] | (0 if wait else fcntl.LOCK_NB), length, start)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _open(path: Path) -> int:
    """The site's lock file, open with a shared hold on byte 0; reopened if the last run out removed it meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        _lock(fd, fcntl.F_RDLCK, 0, 1, wait=True)
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _close(path: Path, fd: int) -> None:
    """Drops the hold; the last run out (it gets byte 0 exclusively) removes the file first."""
    try:
        if _lock(fd, fcntl.F_WRLCK, 0, 1):
            path.unlink(missing_ok=True)
    finally:
        os.close(fd)  # closing drops every lock of this descriptor


def _live_claims(fd: int, own_slot: int, own_nonce: str) -> list[list[str]]:
    """The table's claims ([slot, nonce, pid, doing, username]) whose run still holds its slot (ours: with our
    nonce); read under the table's lock."""
    size = os.fstat(fd).st_size
    text = os.pread(fd, size, 0).decode(errors="replace") if size else ""
    held: dict[str, bool] = {str(own_slot): True}
    live = []
    for line in text.splitlines():
        claim = line.split(" ")
        if len(claim) != 5 or not claim[0].isdigit():
            continue
        slot = claim[0]
        if slot not in held:
            free = _lock(fd, fcntl.F_WRLCK, _FIRST_SLOT + int(slot), 1)
            if free:
                _lock(fd, fcntl.F_UNLCK, _FIRST_SLOT + int(slot), 1)
            held[slot] = not free
        if held[slot] and (int(slot) != own_slot or claim[1] == own_nonce):
            live.append(claim)
    return live


def _write_table(fd: int, claims: list[list[str]]) -> None:
    data = "".join(" ".join(claim) + "\n" for claim in claims).encode()
    os.pwrite(fd, data, 0)
    os.ftruncate(fd, len(data))


@contextmanager
def _table(fd: int) -> Iterator[None]:
    _lock(fd, fcntl.F_WRLCK, _TABLE, 1, wait=True)
    try:
        yield
    finally:
        _lock(fd, fcntl.F_UNLCK, _TABLE, 1)


def _take_slot(fd: int) -> int:
    for slot in range(MAX_RUNS):
        if _lock(fd, fcntl.F_WRLCK, _FIRST_SLOT + slot, 1):
            return slot
    raise AccountBusy(f"{MAX_RUNS} other {APP} runs are under way on this site; wait for some to finish")


@contextmanager
def account_locks(base_url: str, handles: tuple[Handle, ...], doing: str = "connecting") -> Iterator[None]:
    """Held for the whole run; AccountBusy (exit 2) for the first account another run holds, none taken then."""
    path = lock_path(base_url)
    fd = _open(path)
    nonce = secrets.token_hex(8)
    try:
        with _table(fd):
            slot = _take_slot(fd)
            live = _live_claims(fd, slot, nonce)
            holders = {claim[4]: claim for claim in live}
            for handle in handles:
                holder = holders.get(handle.username.casefold())
                if holder is not None:
                    raise AccountBusy(
                        f"another {APP} run (pid {holder[2]}) is {holder[3]} {handle} on this Business Center; "
                        "wait for it to finish, then run the same command again"
                    )
            names = dict.fromkeys(handle.username.casefold() for handle in handles)
            mine = [[str(slot), nonce, str(os.getpid()), doing, name] for name in names]
            _write_table(fd, live + mine)
        try:
            yield
        finally:
            with _table(fd):
                _write_table(fd, [c for c in _live_claims(fd, slot, nonce) if c[1] != nonce])
    finally:
        _close(path, fd)


@contextmanager
def account_lock(base_url: str, handle: Handle, doing: str = "connecting") -> Iterator[None]:
    with account_locks(base_url, (handle,), doing):
        yield
