"""login saves the session as a private file; connect then uses it; nothing prints the credential."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from tests.cli import run_cli


def sign_in_by_hand(page, base_url: str, seed: Path) -> str:
    """What a person does in the login window: the mock's form, then the session saved. Returns the cookie."""
    page.goto(base_url)
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation").wait_for()
    page.context.storage_state(path=seed)
    return next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")


def test_login_saves_the_session_private_and_connect_uses_it(mock, page, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(require_login=True)
    session = tmp_path / "session.json"
    cookie = sign_in_by_hand(page, mock.url, session)
    session.chmod(0o644)  # as a careless copy would leave it
    result = run_cli(
        ["login", "--headless", "--base-url", mock.url, "--storage-state", str(session), "--wait", "10"],
        capsys,
        monkeypatch,
    )
    assert result.code == 0, result.err
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert cookie in session.read_text()
    assert cookie not in result.out + result.err
    assert json.loads(session.read_text())["cookies"]

    connected = run_cli(
        ["connect", "-a", "@acme.official", "--base-url", mock.url, "--storage-state", str(session)],
        capsys,
        monkeypatch,
    )
    assert connected.code == 0, connected.err
    assert cookie not in connected.out + connected.err


def test_login_that_never_completes_saves_nothing(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(require_login=True)
    session = tmp_path / "config" / "tiktok-runbook" / "storage-state.json"
    result = run_cli(["login", "--headless", "--base-url", mock.url, "--wait", "1"], capsys, monkeypatch)
    assert result.code == 2
    assert "nothing was saved" in result.err
    assert not session.exists()


def test_default_session_file_is_private(mock, tmp_path, capsys, monkeypatch) -> None:
    """No --storage-state: saved under the user's config dir (XDG_CONFIG_HOME points into tmp_path here)."""
    result = run_cli(["login", "--headless", "--base-url", mock.url, "--wait", "10"], capsys, monkeypatch)
    assert result.code == 0, result.err
    session = tmp_path / "config" / "tiktok-runbook" / "storage-state.json"
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert stat.S_IMODE(session.parent.stat().st_mode) == 0o700
