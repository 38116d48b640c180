"""Bad input: each gives one line on stderr, no traceback, exit 2, and changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixtures.server import MockBusinessCenter
from runbook import browser
from runbook.account import Handle
from tests.cli import Result, run_cli


def assert_refused(result: Result, *words: str) -> None:
    assert result.code == 2, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize(
    ("handle", "why"),
    [
        ("@", "no username"),
        ("@@x", "only letters"),
        ("@bad handle!", "only letters"),
        ("@" + "a" * 25, "longer than 24"),
        ("@brand.", "ends in a period"),
    ],
)
def test_malformed_handles_are_refused(handle, why, mock: MockBusinessCenter, capsys, monkeypatch) -> None:
    before = mock.state()
    result = run_cli(["connect", "--base-url", mock.url, "--account", handle], capsys, monkeypatch)
    assert_refused(result, "not a TikTok handle", why)
    assert mock.state() == before


def test_handle_without_at_is_accepted() -> None:
    assert str(Handle.parse("brand")) == "@brand"
    assert str(Handle.parse("@brand.co_1")) == "@brand.co_1"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["connect", "--account", "@x", "--nope"], ["No such option", "--nope"]),
        (["connect", "--account", "@x", "--wait", "soon"], ["--wait"]),
        (["connect", "--account", "@x", "--max-qr", "0"], ["--max-qr"]),
        (["connect"], ["--account"]),
        (["mock", "--edition", "nightly"], ["--edition", "nightly"]),
        (["mock", "--qr-render", "gif"], ["--qr-render"]),
        (["qr", "encode", "x.png"], ["qr decode"]),
    ],
)
def test_unknown_option_values_are_refused(args, words, capsys, monkeypatch) -> None:
    assert_refused(run_cli(args, capsys, monkeypatch), *words)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://business.tiktok.com", ["http(s)"]),
        ("business.tiktok.com", ["http(s)"]),
        ("http://business.tiktok.com", ["plain http", "in clear"]),
        ("http://10.0.0.5:8080", ["plain http"]),
    ],
)
def test_base_url_must_be_https_or_local(url, words, capsys, monkeypatch) -> None:
    assert_refused(run_cli(["connect", "--account", "@x", "--base-url", url], capsys, monkeypatch), *words)


def test_explicit_storage_state_must_exist(tmp_path: Path, mock, capsys, monkeypatch) -> None:
    missing = tmp_path / "nope.json"
    result = run_cli(
        ["connect", "-a", "@x", "--base-url", mock.url, "--storage-state", str(missing)], capsys, monkeypatch
    )
    assert_refused(result, str(missing), "no such file", "tiktok-runbook login")


def test_explicit_storage_state_must_be_readable(tmp_path: Path, mock, capsys, monkeypatch) -> None:
    session = tmp_path / "session.json"
    session.write_text("{}")
    session.chmod(0o000)
    real_access = os.access
    # Root reads any file whatever its mode, so the check itself is what is exercised here.
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == session else real_access(path, mode))
    result = run_cli(
        ["connect", "-a", "@x", "--base-url", mock.url, "--storage-state", str(session)], capsys, monkeypatch
    )
    assert_refused(result, "not readable")


def test_no_browser_says_what_to_install(mock, capsys, monkeypatch) -> None:
    monkeypatch.setattr(browser, "_playwright_chromium", lambda playwright: None)
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    monkeypatch.delenv(browser.BROWSER_ENV, raising=False)
    before = mock.state()
    result = run_cli(["connect", "-a", "@x", "--base-url", mock.url], capsys, monkeypatch)
    assert_refused(result, "no Chromium found", "apt-get install -y chromium")
    assert mock.state() == before


def test_browser_path_that_does_not_exist(mock, capsys, monkeypatch) -> None:
    result = run_cli(
        ["connect", "-a", "@x", "--base-url", mock.url, "--browser-path", "/no/such/chrome"],
        capsys,
        monkeypatch,
    )
    assert_refused(result, "/no/such/chrome", "apt-get install")
