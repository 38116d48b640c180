"""The smaller rows: seconds that bound nothing, a trace after SIGTERM."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbook.browser import session
from runbook.browser.settings import Settings
from tests.hostile.test_named_files import refused
from tests.support.cli import run_cli


@pytest.mark.parametrize(("option", "value"), [("--timeout", "1e308"), ("--timeout", "601"), ("--wait", "1e308")])
def test_seconds_beyond_any_use_are_refused(option, value, mock, capsys, monkeypatch) -> None:
    result = run_cli(["connect", "--base-url", mock.url, "-a", "@x", option, value], capsys, monkeypatch)
    refused(result, option, "at most")


@pytest.mark.parametrize("stopped", [True, False], ids=["interrupted", "failed"])
def test_no_trace_is_kept_after_an_interruption(stopped, mock, tmp_path) -> None:
    """SIGTERM and Ctrl-C raise KeyboardInterrupt in the run (runbook/core/interrupt.py): no trace.zip then, as
    the README says; a step that fails keeps it."""
    settings = Settings(base_url=mock.url, trace=True, timeout=5)
    error: type[BaseException] = KeyboardInterrupt if stopped else RuntimeError
    with pytest.raises(error), session.browser_page(settings, tmp_path) as page:
        page.goto(mock.url)
        raise error
    assert (tmp_path / "trace.zip").exists() is not stopped
    assert not list(Path(tmp_path).glob(".trace-*"))
