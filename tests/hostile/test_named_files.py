"""Files a person names (--accounts-file, --storage-state, login --import): a regular file of at most a cap, read
before anything starts; a device, a FIFO, a folder or a huge file is one line naming the cap, exit 2, nothing read
past the cap. Cells and lines are capped too, and a refusal quotes at most 80 characters of what it refuses."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from runbook.browser import cookies, settings
from runbook.connect import accounts_file
from runbook.core.errors import BadInput
from runbook.core.input_files import read_capped
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli


def refused(result: Result, *words: str) -> str:
    assert result.code == 2, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "pipe")
    return tmp_path / "pipe"


# Each kind of file that is not one: made in tmp_path (a FIFO nobody writes to would block a plain open()).
NOT_FILES: dict[str, Callable[[Path], Path]] = {
    "device": lambda tmp_path: Path("/dev/zero"),
    "fifo": _fifo,
    "folder": lambda tmp_path: tmp_path,
}


def commands(mock: MockBusinessCenter, path: Path) -> dict[str, list[str]]:
    return {
        "accounts-file": ["connect", "--base-url", mock.url, "--accounts-file", str(path)],
        "storage-state": ["connect", "--base-url", mock.url, "-a", "@x", "--storage-state", str(path)],
        "import": ["login", "--base-url", mock.url, "--import", str(path)],
    }


@pytest.mark.parametrize("option", ["accounts-file", "storage-state", "import"])
@pytest.mark.parametrize("kind", sorted(NOT_FILES))
def test_a_file_that_is_not_a_regular_file_is_refused(option, kind, mock, tmp_path, capsys, monkeypatch) -> None:
    path = NOT_FILES[kind](tmp_path)
    before = mock.state()
    line = refused(run_cli(commands(mock, path)[option], capsys, monkeypatch), f"--{option} {path}")
    assert "not a regular file" in line
    assert mock.state() == before


@pytest.mark.parametrize(
    ("option", "module"), [("accounts-file", accounts_file), ("storage-state", settings), ("import", cookies)]
)
def test_a_file_past_its_cap_is_refused_naming_the_cap(option, module, mock, tmp_path, capsys, monkeypatch) -> None:
    cap = {"accounts-file": "MAX_BYTES", "storage-state": "MAX_SESSION_BYTES", "import": "MAX_EXPORT_BYTES"}[option]
    assert getattr(module, cap) <= 16 * 2**20  # the real caps: a few MB, never the 200 MB that got through
    monkeypatch.setattr(module, cap, 4096)
    path = tmp_path / "big"
    path.write_text(json.dumps({"cookies": [], "pad": "x" * 5000}))
    refused(run_cli(commands(mock, path)[option], capsys, monkeypatch), str(path), "too large (more than 4 kB)")


def test_the_reader_stops_at_the_cap(tmp_path: Path) -> None:
    """A file that grows while it is read (or /dev/zero, if the kind check were gone) is read cap + 1 bytes."""
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_capped(path, "f", 100) == b"x" * 100
    with pytest.raises(BadInput, match="f: too large"):
        read_capped(path, "f", 99)


def test_a_cookie_larger_than_browsers_keep_is_refused_unechoed(mock, tmp_path, capsys, monkeypatch) -> None:
    export = tmp_path / "cookies.json"
    secret = "s3cr3t" * 1000
    export.write_text(json.dumps([{"name": "sid", "value": secret, "domain": "127.0.0.1"}]))
    line = refused(run_cli(commands(mock, export)["import"], capsys, monkeypatch), "cookie #1", "at most 4096")
    assert "s3cr3t" not in line
    assert not (tmp_path / "config").exists() or not list((tmp_path / "config").rglob("storage-state.json"))


def test_a_storage_state_symlink_does_not_get_its_target_chmoded(mock, tmp_path, capsys, monkeypatch) -> None:
    target = tmp_path / "shared.json"
    target.write_text('{"cookies": []}')
    target.chmod(0o644)
    link = tmp_path / "session.json"
    link.symlink_to(target)
    refused(run_cli(commands(mock, link)["storage-state"], capsys, monkeypatch), "readable by others", "chmod 600")
    assert target.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("@" + "a" * 300_000, ["a line of 300001 characters (at most 1000)"]),
        ("@ok," + "n" * 10 * 2**20, ["a line of 10485764 characters"]),  # csv's own cap (128 kB) raised _csv.Error
        ("@ok," + "n" * 300, ["a note of 300 characters (at most 200)"]),
        ("@b\x1b[31md", ["'@b\\x1b[31md' is not a TikTok handle"]),
    ],
    ids=["300kB-cell", "10MB-cell", "long-note", "escape"],
)
def test_accounts_file_lines_and_cells_are_capped(line, words, mock, tmp_path, capsys, monkeypatch) -> None:
    listing = tmp_path / "accounts.csv"
    listing.write_text(f"@fine\n{line}\n")
    shown = refused(run_cli(commands(mock, listing)["accounts-file"], capsys, monkeypatch), f"{listing}:2:", *words)
    assert len(shown) < 300 and "\x1b" not in shown


def test_a_long_handle_on_the_command_line_is_quoted_short(mock, capsys, monkeypatch) -> None:
    shown = refused(run_cli(["connect", "--base-url", mock.url, "-a", "@" + "a" * 300_000], capsys, monkeypatch))
    assert "not a TikTok handle" in shown and len(shown) < 300
