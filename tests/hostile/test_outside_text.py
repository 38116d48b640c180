"""Text from outside (a page's labels, an accounts file's notes) reaches the terminal escaped: no escape sequence,
bidi override or line break of its own, and at most 80 characters of a label quoted in a failure line."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console

from runbook.connect.outcome import Outcome, summarize
from runbook.core.errors import RunbookError, StepFailed
from runbook.core.events import Reporter
from runbook.core.handle import Handle
from runbook.core.status import StepStatus
from runbook.verify.report import write_reports
from runbook.verify.verdict import StepVerdict, Verdict

HOSTILE = "Acc\x1b[31mounts\u202e\r\nnext"
RAW = ("\x1b", "\u202e", "\r", "\n")


def test_a_failure_line_escapes_and_shortens_the_labels_it_quotes() -> None:
    failed = StepFailed(2, "Accounts", "a control named Accounts", [HOSTILE, "x" * 300_000])
    line = failed.line()
    assert not any(char in line for char in RAW)
    assert "Acc\\x1b[31mounts\\u202e\\x0d\\x0anext" in line and len(line) < 400


def test_any_error_line_is_one_printable_line() -> None:
    line = RunbookError(f"cannot read {HOSTILE}").line()
    assert not any(char in line for char in RAW) and line.startswith("tiktok-runbook: cannot read Acc\\x1b")


def test_the_summary_prints_notes_escaped() -> None:
    screen = io.StringIO()
    reporter = Reporter(console=Console(file=screen, force_terminal=True, width=200, highlight=False))
    summarize(reporter, [Outcome(Handle("brand"))], {Handle("brand"): f"client {HOSTILE}"})
    table = screen.getvalue()
    assert "client Acc\\x1b[31mounts" in table and "\u202e" not in table and "\x1b[31m" not in table


def test_reports_carry_page_text_as_escaped_html_and_valid_xml(tmp_path: Path) -> None:
    """The report and JUnit hold what the page showed: escaped in HTML, XML that parses (a raw ESC would not).
    (Already so before this round: kept as the row of the fault table.)"""
    label = f"<script>alert(1)</script>{HOSTILE}\x00"
    step = StepVerdict(2, "Accounts", StepStatus.BROKEN, '"Accounts"', nearest=[label], note=label)
    written = write_reports(
        Verdict("http://127.0.0.1:1", "2026-01-01T00:00:00+00:00", 1.0, [step]), tmp_path, tmp_path / "j.xml"
    )
    failure = ET.parse(written["junit"]).getroot().find(".//failure")
    assert failure is not None and "alert(1)" in (failure.get("message", "") + (failure.text or ""))
    assert "<script>" not in written["html"].read_text()
