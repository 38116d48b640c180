"""One lock per account per site: the site as the browser compares it, the handle in any case, disconnect
taking the same lock, one lock file (and one descriptor) for any number of accounts, none left behind."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runbook.core.errors import AccountBusy
from runbook.core.handle import Handle
from runbook.core.locks import account_lock, account_locks, site_key
from runbook.core.paths import default_locks_dir
from tests.hostile.test_named_files import refused
from tests.support.cli import run_cli


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("http://127.0.0.1:8080", "http://localhost:8080/"),
        ("http://[::1]:8080", "HTTP://LocalHost:8080"),
        ("http://127.0.0.1:8080", "http://bc.localhost:8080"),
        ("https://business.tiktok.com", "https://Business.TikTok.com:443/"),
        ("https://business.tiktok.com.", "https://business.tiktok.com/?a=1"),
        ("http://localhost", "http://127.0.0.1:80"),
    ],
)
def test_the_same_site_is_one_key(one: str, other: str) -> None:
    assert site_key(one) == site_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("http://127.0.0.1:8080", "http://127.0.0.1:8081"), ("https://business.tiktok.com", "http://business.tiktok.com")],
)
def test_other_sites_are_other_keys(one: str, other: str) -> None:
    assert site_key(one) != site_key(other)


def busy(base_url: str, handle: str) -> str:
    """Why a run could not take the account's lock now, or "" when it could."""
    try:
        with account_lock(base_url, Handle(handle)):
            return ""
    except AccountBusy as refusal:
        return refusal.message


def test_the_same_account_on_the_same_site_is_busy_whatever_its_spelling() -> None:
    with account_lock("http://127.0.0.1:9", Handle("Brand")):
        assert f"(pid {os.getpid()}) is connecting @brand" in busy("http://localhost:9/", "brand")
        assert busy("http://localhost:9/", "other") == ""  # another account
        assert busy("http://127.0.0.1:10", "brand") == ""  # another site


def test_disconnect_waits_for_a_connect_of_the_same_account(mock, capsys, monkeypatch) -> None:
    before = mock.state()
    with account_lock(mock.url.replace("127.0.0.1", "localhost"), Handle("X")):
        result = run_cli(["disconnect", "--base-url", mock.url, "-a", "@x", "--yes"], capsys, monkeypatch)
    refused(result, "is connecting @x", "wait for it to finish")
    assert mock.state() == before
    with account_lock(mock.url, Handle("x"), "disconnecting"):
        assert "is disconnecting @X" in busy(mock.url, "X")


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def _lock_descriptors() -> int:
    """Descriptors open on the locks' folder's files: other threads of this worker (a server from an earlier
    test, a browser's pipe) open and close theirs meanwhile."""
    folder = str(default_locks_dir().resolve())
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith(folder)
        except OSError:  # closed meanwhile
            continue
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts descriptors in /proc")
def test_many_accounts_take_one_descriptor_and_leave_no_file() -> None:
    """Under a descriptor limit a few dozen above what is open, 20,000 accounts (a descriptor each once died at
    1,100 under `ulimit -n 1024`, and left a lock file each)."""
    handles = tuple(Handle(f"acct{n}") for n in range(20_000))
    before = _open_descriptors()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (before + 32, hard))
    try:
        with account_locks("https://business.tiktok.com", handles):
            assert _lock_descriptors() == 1
            assert len(list(default_locks_dir().iterdir())) == 1
            assert "is connecting @ACCT19999" in busy("https://business.tiktok.com:443", "ACCT19999")
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert list(default_locks_dir().iterdir()) == []
    assert _lock_descriptors() == 0


def test_a_run_killed_while_it_holds_a_lock_leaves_it_free_and_the_next_run_leaves_no_file(tmp_path) -> None:
    holding = tmp_path / "holding"
    script = (
        "import sys, time; from pathlib import Path\n"
        "from runbook.core.locks import account_lock; from runbook.core.handle import Handle\n"
        "with account_lock('http://127.0.0.1:9', Handle('x')):\n"
        f"    Path({str(holding)!r}).touch(); time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], env=os.environ.copy())
    try:
        deadline = time.monotonic() + 30
        while not holding.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert f"(pid {holder.pid}) is connecting @X" in busy("http://localhost:9", "X")
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert busy("http://localhost:9", "X") == ""
    assert list(default_locks_dir().iterdir()) == []
