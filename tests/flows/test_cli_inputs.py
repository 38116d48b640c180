"""Bad input: each gives one line on stderr, no traceback, exit 2, and changes nothing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from runbook.browser import launch as browser
from runbook.core.handle import Handle
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli


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


@pytest.mark.own_browser
def test_no_browser_says_what_to_install(mock, capsys, monkeypatch) -> None:
    monkeypatch.setattr(browser, "_playwright_chromium", lambda playwright: None)
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    monkeypatch.delenv(browser.BROWSER_ENV, raising=False)
    before = mock.state()
    result = run_cli(["connect", "-a", "@x", "--base-url", mock.url], capsys, monkeypatch)
    assert_refused(result, "no Chromium found", "apt-get install -y chromium")
    assert mock.state() == before


@pytest.mark.parametrize(
    ("on_path", "headed", "chosen"),
    [
        ({"chromium", "chromium-headless-shell"}, False, "chromium-headless-shell"),
        ({"chromium", "chromium-headless-shell"}, True, "chromium"),
        ({"chromium"}, False, "chromium"),
    ],
)
def test_headless_runs_prefer_the_headless_shell(on_path, headed, chosen, monkeypatch) -> None:
    """The shell costs a tenth of the full browser's CPU per page; only the full browser can show a window."""
    monkeypatch.setattr(browser, "_playwright_chromium", lambda playwright: None)
    monkeypatch.setattr(browser.shutil, "which", lambda name: f"/usr/bin/{name}" if name in on_path else None)
    monkeypatch.delenv(browser.BROWSER_ENV, raising=False)
    assert browser.find_browser(None, headed=headed) == Path("/usr/bin") / chosen  # type: ignore[arg-type]


def test_a_headless_shell_cannot_be_the_visible_browser(tmp_path: Path, monkeypatch) -> None:
    shell = tmp_path / "chromium-headless-shell"
    shell.write_text("")
    monkeypatch.delenv(browser.BROWSER_ENV, raising=False)
    with pytest.raises(browser.MissingDependency, match="cannot show a window"):
        browser.find_browser(None, str(shell), headed=True)  # type: ignore[arg-type]
    assert browser.find_browser(None, str(shell)) == shell  # type: ignore[arg-type]


def test_browser_path_that_does_not_exist(mock, capsys, monkeypatch) -> None:
    result = run_cli(
        ["connect", "-a", "@x", "--base-url", mock.url, "--browser-path", "/no/such/chrome"],
        capsys,
        monkeypatch,
    )
    assert_refused(result, "/no/such/chrome", "apt-get install")


# -- hostile and careless input (issue 9): one line, exit 2, before a browser opens -----------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://OTHER:8899\\@127.0.0.1:8765", ["backslash"]),
        ("http://127.0.0.1:8765\t", ["control character"]),
        ("http://127.0.0.1:99999", ["not a plain host"]),
        ("http://%6c%6fcalhost:8765", ["not a plain host"]),
    ],
)
def test_base_url_the_browser_would_read_differently(url, words, capsys, monkeypatch) -> None:
    assert_refused(run_cli(["connect", "--account", "@x", "--base-url", url], capsys, monkeypatch), *words)


def test_base_url_with_a_password_is_refused_without_echoing_it(tmp_path: Path, capsys, monkeypatch) -> None:
    events = tmp_path / "events.jsonl"
    url = "http://user:s3cret-pw@127.0.0.1:8765"
    result = run_cli(["connect", "-a", "@x", "--base-url", url, "--events", str(events)], capsys, monkeypatch)
    assert_refused(result, "user name or password")
    assert "s3cret-pw" not in result.out + result.err
    assert not events.exists() or "s3cret-pw" not in events.read_text()


@pytest.mark.parametrize("option", ["--wait", "--timeout"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0"])
def test_seconds_must_be_finite_and_positive(option, value, mock, capsys, monkeypatch) -> None:
    result = run_cli(["connect", "-a", "@x", "--base-url", mock.url, option, value], capsys, monkeypatch)
    assert_refused(result, option, "positive number of seconds")


@pytest.mark.parametrize(
    "content", ["", "{not json", "[]", '"cookies"', '{"cookies": 3}', '{"cookies": [1]}', "\x00\xff"]
)
def test_storage_state_that_is_no_session(content, tmp_path: Path, mock, capsys, monkeypatch) -> None:
    session = tmp_path / "session.json"
    session.write_bytes(content.encode("latin-1"))
    result = run_cli(
        ["connect", "-a", "@x", "--base-url", mock.url, "--storage-state", str(session)], capsys, monkeypatch
    )
    assert_refused(result, str(session), "not a saved session", "tiktok-runbook login")


def test_storage_state_readable_by_others_is_tightened(tmp_path: Path, mock, capsys, monkeypatch) -> None:
    session = tmp_path / "session.json"
    session.write_text('{"cookies": [], "origins": []}')
    session.chmod(0o644)
    # --max-qr 0 stops the run right after the shared options are checked: no browser needed.
    result = run_cli(
        ["connect", "-a", "@x", "--base-url", mock.url, "--storage-state", str(session), "--max-qr", "0"],
        capsys,
        monkeypatch,
    )
    assert result.code == 2
    warning, refusal = result.err.strip().splitlines()
    assert "--max-qr" in refusal
    assert "warning" in warning and "readable by others" in warning and "0600" in warning
    assert stat.S_IMODE(session.stat().st_mode) == 0o600


def test_qr_out_is_checked_before_any_code_is_requested(tmp_path: Path, mock, capsys, monkeypatch) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    taken = tmp_path / "holiday.png"
    taken.write_bytes(b"\x89PNG not a QR of ours")
    base = ["connect", "-a", "@x", "--base-url", mock.url]
    assert_refused(run_cli([*base, "--qr-out", str(folder)], capsys, monkeypatch), "is a folder")
    assert_refused(run_cli([*base, "--qr-out", str(taken)], capsys, monkeypatch), "exists", "--force")
    under_file = taken / "qr.png"
    assert_refused(run_cli([*base, "--qr-out", str(under_file)], capsys, monkeypatch), "is a file, not a folder")
    real_access = os.access
    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode))
    assert_refused(run_cli([*base, "--qr-out", str(locked / "qr.png")], capsys, monkeypatch), "not writable")
    assert mock.state()["qr_codes"] == []
    assert taken.read_bytes() == b"\x89PNG not a QR of ours"


def test_qr_out_may_replace_only_its_own_images(tmp_path: Path) -> None:
    from runbook import qr
    from runbook.core.errors import BadInput
    from runbook.qr.out import check_qr_out

    ours = qr.write_png("https://business.tiktok.com/authorize/abc", tmp_path / "qr.png")
    assert check_qr_out(ours, 3, force=False) == ours
    other = tmp_path / "qr-2.png"
    from PIL import Image

    Image.new("RGB", (10, 10), "white").save(other)
    with pytest.raises(BadInput, match=r"qr-2\.png exists"):
        check_qr_out(ours, 3, force=False)
    assert check_qr_out(ours, 3, force=True) == ours


@pytest.mark.parametrize("option", ["--events", "--run-dir"])
def test_events_and_run_dir_of_the_wrong_kind(option, tmp_path: Path, mock, capsys, monkeypatch) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    wrong = tmp_path if option == "--events" else a_file  # a folder for a file, a file for a folder
    result = run_cli(["connect", "-a", "@x", "--base-url", mock.url, option, str(wrong)], capsys, monkeypatch)
    assert_refused(result, option, "is a")
    below_a_file = a_file / "inside"
    result = run_cli(["connect", "-a", "@x", "--base-url", mock.url, option, str(below_a_file)], capsys, monkeypatch)
    assert_refused(result, option, "not a folder")


def test_events_in_an_unwritable_folder(tmp_path: Path, mock, capsys, monkeypatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode))
    for option, path in (("--events", locked / "e.jsonl"), ("--run-dir", locked / "run")):
        result = run_cli(["connect", "-a", "@x", "--base-url", mock.url, option, str(path)], capsys, monkeypatch)
        assert_refused(result, option, "not writable")


def test_mock_port_in_use(capsys, monkeypatch) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert_refused(run_cli(["mock", "--port", str(port)], capsys, monkeypatch), f"--port {port}", "another --port")


def test_version_is_the_installed_packages(capsys, monkeypatch) -> None:
    from importlib.metadata import version

    result = run_cli(["--version"], capsys, monkeypatch)
    assert result.code == 0 and result.out == f"tiktok-runbook {version('tiktok-runbook')}\n", result
