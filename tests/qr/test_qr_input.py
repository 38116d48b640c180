"""Hostile or careless input to the QR reader: limits on bytes and pixels, and payloads checked before use."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
from PIL import Image

from runbook import qr
from runbook.core.errors import BadInput, QrUnreadable
from runbook.qr import picture as qr_picture
from tests.support.images import declared_png

MOCK = "http://127.0.0.1:8765"


# --- limits


@pytest.mark.parametrize("side", [13000, 20000, 100_000])
def test_too_many_pixels_is_refused_before_decoding(side: int, tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(declared_png(side, side))
    started = time.process_time()
    with pytest.raises(BadInput, match=r"too many pixels .*bomb\.png"):
        qr.decode_all(path)
    assert time.process_time() - started < 5  # refused from the header, not after decoding gigabytes


def test_too_many_pixels_in_bytes_and_in_a_pil_image(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BadInput, match="too many pixels"):
        qr.decode(declared_png(9000, 9000))
    monkeypatch.setattr(qr_picture, "MAX_PIXELS", 100)
    with pytest.raises(BadInput, match="too many pixels"):
        qr.decode(Image.new("L", (20, 20), 255))


def test_too_many_bytes_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qr_picture, "MAX_BYTES", 1000)
    path = tmp_path / "large.png"
    path.write_bytes(b"\0" * 1001)
    with pytest.raises(BadInput, match=r"large\.png: too large \(more than"):
        qr.decode(path)
    with pytest.raises(BadInput, match="too large"):
        qr.decode(b"\0" * 1001)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_device_is_refused_without_reading_it() -> None:
    with pytest.raises(BadInput, match="/dev/zero: not a regular file"):
        qr.decode("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    with pytest.raises(BadInput, match="not a regular file"):
        qr.decode(fifo)


def test_folder_missing_file_and_text_are_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not a regular file"):
        qr.decode(tmp_path)
    with pytest.raises(BadInput, match=r"x\.png: no such file"):
        qr.decode(tmp_path / "x.png")
    text = tmp_path / "x.txt"
    text.write_text("not a picture\n")
    with pytest.raises(BadInput, match=r"not an image .*x\.txt"):
        qr.decode(text)
    with pytest.raises(BadInput, match="not an image"):
        qr.decode(b"not a picture")


def test_truncated_png_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "cut.png"
    Image.frombytes("L", (300, 300), random.Random(1).randbytes(300 * 300)).save(path)  # does not compress
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(BadInput, match=r"cut\.png"):
        qr.decode(path)


def test_other_formats_pillow_knows_are_refused(tmp_path: Path) -> None:
    """Only the raster formats of screenshots and photos: Pillow's other plugins are not exercised on input."""
    path = tmp_path / "shot.tga"
    Image.new("RGB", (50, 50), "white").save(path, format="TGA")
    with pytest.raises(BadInput, match="not an image"):
        qr.decode(path)


def test_blank_image_is_not_bad_input() -> None:
    with pytest.raises(QrUnreadable):
        qr.decode(Image.new("L", (100, 100), 255))


# --- payloads


@pytest.mark.parametrize(
    ("payload", "shown"),
    [
        ("https://business.tiktok.com/a?b=c", "https://business.tiktok.com/a?b=c"),
        ("\x1b[31mred\x00", "\\x1b[31mred\\x00"),
        ("one\ntwo\r", "one\\x0atwo\\x0d"),
        ("https://a.example/\u202eevil", "https://a.example/\\u202eevil"),
        ("back\\x1b slash", "back\\\\x1b slash"),  # a literal backslash cannot pass for an escape
        ("héllo wörld", "héllo wörld"),
        ("\x7f\x85", "\\x7f\\x85"),
    ],
)
def test_printable_escapes_what_a_terminal_would_obey(payload: str, shown: str) -> None:
    assert qr.printable(payload) == shown
    assert all(char.isprintable() for char in qr.printable(payload))


@pytest.mark.parametrize(
    "payload",
    [
        "https://business.tiktok.com/manage/account/authorize?token=abc",
        "https://example.com/",
        f"{MOCK}/authorize/abc",
    ],
)
def test_business_center_and_mock_links_are_not_suspicious(payload: str) -> None:
    assert qr.suspicious(payload, MOCK) is None


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ("http://business.tiktok.com/authorize", "http: address"),
        ("http://127.0.0.1:9999/authorize/abc", "http: address"),  # the mock's host on another port
        ("http://localhost:8765/authorize/abc", "http: address"),
        ("javascript:alert(1)", "javascript: address"),
        ("data:text/html,hi", "data: address"),
        ("just some text", "spaces"),
        ("WIFI:S:home;T:WPA;P:secret;;", "wifi: address"),
        ("https://user:pw@business.tiktok.com/", "user name"),
        ("https://evil.example\\@business.tiktok.com/", "backslash"),
        ("http://evil.example\\@127.0.0.1:8765/", "backslash"),
        ("https://business.tiktok.com/\x1b[2J", "control characters"),
        ("https://[::1", "not a valid address"),
        ("", "not an https address"),
    ],
)
def test_anything_else_is_suspicious(payload: str, why: str) -> None:
    reason = qr.suspicious(payload, MOCK)
    assert reason is not None and why in reason


def test_without_a_base_url_the_mock_link_is_suspicious() -> None:
    assert qr.suspicious(f"{MOCK}/authorize/abc") is not None
