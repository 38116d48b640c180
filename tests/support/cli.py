"""Runs the CLI in-process, as a person would from a shell: exit code, stdout, stderr."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest

from runbook.cli.app import main


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Result:
    """In the test's own thread: the browser it drives is the suite's (see one_browser in conftest.py), and
    Playwright's objects belong to the thread that made them."""
    monkeypatch.setattr(sys, "argv", ["tiktok-runbook", *args])
    try:
        main()
        code = 0
    except SystemExit as leaving:
        code = int(leaving.code or 0) if not isinstance(leaving.code, str) else 1
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)
