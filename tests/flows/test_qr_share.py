"""connect's step 5 when the QR code on screen cannot be read, or reads as something other than Business Center's
link: a step-5 failure (exit 1) with a screenshot, and nothing handed to the account owner.

The screenshots the runbook takes of the code are swapped for other images: the mock always draws a good code.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from runbook import qr
from runbook.browser.capture import Capture
from runbook.pages.request_access import RequestAccessDialog
from tests.support.runs import connect, events, step_status


def png_of(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def quick_mock(mock) -> None:
    mock.reset(delay=0.0)  # these tests are about step 5, not about waiting for the site


def show_instead(monkeypatch: pytest.MonkeyPatch, picture: bytes) -> None:
    """The page shows `picture` where the code is: its source, its screenshot and the dialog's."""
    monkeypatch.setattr(RequestAccessDialog, "capture_source", lambda self: Capture(picture, "img"))
    monkeypatch.setattr(RequestAccessDialog, "capture", lambda self: picture)
    monkeypatch.setattr(RequestAccessDialog, "capture_dialog", lambda self: picture)


def code_png(payload: str, tmp_path: Path) -> bytes:
    return qr.write_png(payload, tmp_path / "shown.png").read_bytes()


def assert_step_5_failed(result, *words: str) -> str:
    assert result.code == 1, result.err
    last = result.err.strip().splitlines()[-1]
    assert last.startswith('tiktok-runbook: Step 5 "'), last
    for word in words:
        assert word in last, last
    assert "Traceback" not in result.err
    evs = events(result)
    assert step_status(evs)[5] == "failed"
    assert not [e for e in evs if e["event"] == "qr"]  # nothing shared
    shot = Path(last.split("screenshot: ")[1])
    assert shot.is_file()
    return last


def test_unreadable_code_is_a_step_5_failure(mock, tmp_path, capsys, monkeypatch) -> None:
    show_instead(monkeypatch, png_of(Image.new("RGB", (180, 180), "white")))
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@x")
    assert_step_5_failed(result, "a QR code that can be read", "qr-source-1.img", "qr-capture-1.png", "qr-dialog-1.png")
    assert not (tmp_path / "run" / "qr.png").exists()
    assert "@x" not in mock.state()["accounts"]


def test_code_to_another_site_is_not_shared(mock, tmp_path, capsys, monkeypatch) -> None:
    show_instead(monkeypatch, code_png("http://tiktok-login.example/authorize?token=1", tmp_path))
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@x")
    assert_step_5_failed(result, "leads to Business Center", "tiktok-login.example", "not shared", "not https")
    assert not (tmp_path / "run" / "qr.png").exists()
    assert "▀" not in result.err and "▄" not in result.err  # not drawn for the owner to scan


def test_code_with_control_characters_is_escaped_in_the_message(mock, tmp_path, capsys, monkeypatch) -> None:
    show_instead(monkeypatch, code_png("https://business.tiktok.com/\x1b[2J\x1b]0;x\x07", tmp_path))
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@x")
    last = assert_step_5_failed(result, "control characters", "\\x1b[2J")
    assert "\x1b" not in result.err and "\x1b" not in result.out and "\x07" not in last
