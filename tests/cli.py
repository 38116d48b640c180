"""Runs the CLI in-process, as a person would from a shell: exit code, stdout, stderr."""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

import pytest

from runbook.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Result:
    """In a thread of its own: pytest-playwright's fixtures keep an asyncio loop running in the main thread once
    a test has used them, and Playwright's sync API refuses to start inside a running loop."""
    monkeypatch.setattr(sys, "argv", ["tiktok-runbook", *args])
    codes: list[int] = []

    def command() -> None:
        try:
            main()
            codes.append(0)
        except SystemExit as leaving:
            codes.append(int(leaving.code or 0))

    worker = threading.Thread(target=command)
    worker.start()
    worker.join()
    captured = capsys.readouterr()
    assert codes, f"the command died with an exception:\n{captured.err}"
    return Result(codes[0], captured.out, captured.err)
