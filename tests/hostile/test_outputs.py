"""Writes that fail, fail early and cleanly: the kind and room of every output path is checked before anything is
requested; a write that fails later (ENOSPC, EPIPE) is one line naming the path and the step, exit 2, and the
rerun completes."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from runbook.core import inputs
from runbook.qr import drawing
from tests.hostile.test_named_files import refused
from tests.support.cli import run_cli
from tests.support.faults import (
    assert_one_line,
    completes,
    connect,
    quick,  # noqa: F401  (an autouse fixture: imported, it applies to this module)
    scanning_owner,
)


@pytest.fixture
def export(mock, tmp_path: Path) -> Path:
    """A cookie export for the mock: login --import then writes the session and emits one event, no browser."""
    path = tmp_path / "cookies.json"
    path.write_text(json.dumps([{"name": "sid", "value": "v", "domain": "127.0.0.1"}]))
    return path


def test_events_to_a_full_device_is_one_line(mock, export, capsys, monkeypatch) -> None:
    result = run_cli(
        ["login", "--base-url", mock.url, "--import", str(export), "--events", "/dev/full"], capsys, monkeypatch
    )
    assert_one_line(result, 2, "--events /dev/full: cannot write", "No space left on device", "run the same command")


def test_events_to_a_full_device_stops_connect_before_a_code_is_requested(mock, tmp_path, capsys, monkeypatch) -> None:
    args = ["connect", "--base-url", mock.url, "-a", "@x", "--run-dir", str(tmp_path / "run"), "--events", "/dev/full"]
    assert_one_line(run_cli(args, capsys, monkeypatch), 2, "--events /dev/full", "No space left")
    assert mock.state()["mutations"] == 0 and mock.state()["qr_codes"] == []


def test_events_to_a_closed_stdout_is_one_line_on_stderr(mock, export, tmp_path) -> None:
    """`--events - | head -0`: the reader is gone before the first event; the run says so once, on stderr."""
    reader, writer = os.pipe()
    os.close(reader)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    args = [sys.executable, "-m", "runbook", "login", "--base-url", mock.url, "--import", str(export), "--events", "-"]
    try:
        done = subprocess.run(args, stdout=writer, stderr=subprocess.PIPE, text=True, env=env, timeout=60)
    finally:
        os.close(writer)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert lines[-1].startswith("tiktok-runbook: --events -: cannot write") and "Broken pipe" in lines[-1], lines


@pytest.mark.parametrize(
    ("command", "kind", "words"),
    [
        (["verify", "--report"], "file", ["--report", "is a file"]),
        (["verify", "--junit"], "folder", ["--junit", "is a folder"]),
        (["guide", "--out"], "file", ["--out", "is a file"]),
        (["connect", "-a", "@x", "--run-dir"], "file", ["--run-dir", "is a file"]),
        (["connect", "-a", "@x", "--qr-out"], "dangling", ["--qr-out", "which does not exist"]),
        (["connect", "-a", "@x", "--events"], "folder", ["--events", "is a folder"]),
    ],
)
def test_output_paths_of_the_wrong_kind_are_refused_first(command, kind, words, mock, tmp_path, capsys, monkeypatch):
    path = tmp_path / "out"
    if kind == "file":
        path.write_text("someone's file\n")
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(tmp_path / "elsewhere" / "qr.png")
    before = mock.state()
    refused(run_cli([*command, str(path), "--base-url", mock.url], capsys, monkeypatch), *words)
    assert mock.state() == before and not (tmp_path / "elsewhere").exists()


def test_a_read_only_junit_is_refused_before_the_walk(mock, tmp_path, capsys, monkeypatch) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text("<testsuites/>\n")
    real_access = os.access  # root may write any file: the check is what is exercised
    monkeypatch.setattr(
        os, "access", lambda path, mode: not (Path(path) == junit and mode & os.W_OK) and real_access(path, mode)
    )
    refused(run_cli(["verify", "--junit", str(junit), "--base-url", mock.url], capsys, monkeypatch), "not writable")


def test_a_full_disk_is_refused_before_anything_starts(mock, tmp_path, capsys, monkeypatch) -> None:
    real = os.statvfs

    def full(path):
        stats = real(path)
        if not Path(path).is_relative_to(tmp_path):
            return stats
        return os.statvfs_result((*stats[:4], 10, 10, *stats[6:]))  # 10 blocks free, to anyone

    monkeypatch.setattr(os, "statvfs", full)
    args = ["connect", "--base-url", mock.url, "-a", "@x", "--run-dir", str(tmp_path / "run")]
    refused(
        run_cli(args, capsys, monkeypatch),
        "--run-dir",
        "MB free there",
        f"at least {inputs.MIN_FREE_BYTES // 2**20} MB",
    )


def test_a_run_dir_does_not_replace_someone_elses_qr_png(mock, tmp_path, capsys, monkeypatch) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "qr.png").write_text("someone's picture\n")
    refused(
        run_cli(["connect", "--base-url", mock.url, "-a", "@x", "--run-dir", str(run)], capsys, monkeypatch), "--force"
    )
    assert (run / "qr.png").read_text() == "someone's picture\n"


def test_the_qr_image_on_a_full_disk_is_one_line_and_the_rerun_completes(mock, tmp_path, capsys, monkeypatch) -> None:
    real = drawing.atomic_write

    def full(path: Path, data: bytes) -> Path:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    with monkeypatch.context() as patch:
        patch.setattr(drawing, "atomic_write", full)
        result = connect(mock, tmp_path / "run", capsys, monkeypatch, "-a", "@x")
    assert_one_line(result, 2, f"the QR image {tmp_path / 'run' / 'qr.png'}: cannot write at step 5", "No space left")
    assert not (tmp_path / "run" / "qr.png").exists()
    assert drawing.atomic_write is real
    with scanning_owner(tmp_path / "rerun" / "qr.png"):
        completes(mock, tmp_path / "rerun", capsys, monkeypatch, "@x")
