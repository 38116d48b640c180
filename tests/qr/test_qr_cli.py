"""`tiktok-runbook qr decode`, run as a person runs it: what it prints, and its exit codes.

0: codes read (each payload on its own line, escaped; --json with positions); 1: an image without a readable
code; 2: not an image, missing, too large, not a regular file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from PIL import Image

from runbook import qr
from runbook.qr import engines as qr_engines
from tests.support import qr_corpus as corpus
from tests.support.cli import Result, run_cli
from tests.support.images import declared_png

TIKTOK = "https://business.tiktok.com/manage/account/authorize?bc_id=7300000000000000001&token=9f3c2b1a"


def decode(args: list[str], capsys, monkeypatch) -> Result:
    return run_cli(["qr", "decode", *args], capsys, monkeypatch)


def one_line(result: Result, code: int, *words: str) -> None:
    assert result.code == code, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in lines[0], lines[0]


def test_prints_the_payload_and_draws_the_code(tmp_path: Path, capsys, monkeypatch) -> None:
    image = qr.write_png(TIKTOK, tmp_path / "shot.png")
    result = decode([str(image)], capsys, monkeypatch)
    assert result.code == 0
    assert result.out == TIKTOK + "\n"
    assert "▀" in result.err or "▄" in result.err
    assert "warning" not in result.err


def test_every_code_on_its_own_line_and_in_json_with_positions(tmp_path: Path, capsys, monkeypatch) -> None:
    payloads = [TIKTOK, TIKTOK + "&second=1", "https://business.tiktok.com/third"]
    image, boxes = corpus.several(payloads)
    path = tmp_path / "three.png"
    image.save(path)

    result = decode([str(path)], capsys, monkeypatch)
    assert result.code == 0
    assert result.out.splitlines() == payloads

    result = decode([str(path), "--json"], capsys, monkeypatch)
    assert result.code == 0
    codes = json.loads(result.out)["codes"]
    assert [c["payload"] for c in codes] == payloads
    for code, (x, y, width, height) in zip(codes, boxes, strict=True):
        assert set(code["position"]) == {"x", "y", "width", "height"}
        assert abs(code["position"]["x"] - x) <= 2 and abs(code["position"]["width"] - width) <= 3
        assert abs(code["position"]["y"] - y) <= 2 and abs(code["position"]["height"] - height) <= 3
        assert code["suspicious"] is None


def test_control_characters_are_escaped_and_the_code_is_called_suspicious(tmp_path, capsys, monkeypatch) -> None:
    payload = "\x1b]0;owned\x07\x1b[2J\x00https://evil.example/"
    image = qr.write_png(payload, tmp_path / "esc.png")
    result = decode([str(image)], capsys, monkeypatch)
    assert result.code == 0
    assert result.out == "\\x1b]0;owned\\x07\\x1b[2J\\x00https://evil.example/\n"
    assert "\x1b" not in result.out + result.err and "\x00" not in result.out + result.err
    one_line(result, 0, "warning", "suspicious", "control characters", "\\x1b")  # and not drawn again

    result = decode([str(image), "--json"], capsys, monkeypatch)
    assert "\x1b" not in result.out
    [code] = json.loads(result.out)["codes"]
    assert code["payload"] == payload and "control characters" in code["suspicious"]


def test_plain_http_payload_gets_a_warning(tmp_path: Path, capsys, monkeypatch) -> None:
    image = qr.write_png("http://login-tiktok.example/authorize", tmp_path / "http.png")
    result = decode([str(image)], capsys, monkeypatch)
    assert result.out == "http://login-tiktok.example/authorize\n"
    one_line(result, 0, "warning", "not https")


def test_no_code_exits_1_not_2(tmp_path: Path, capsys, monkeypatch) -> None:
    path = tmp_path / "blank.png"
    Image.new("RGB", (200, 200), "white").save(path)
    one_line(decode([str(path)], capsys, monkeypatch), 1, "no QR code found", "blank.png")
    result = decode([str(path), "--json"], capsys, monkeypatch)
    one_line(result, 1, "no QR code found")
    assert json.loads(result.out) == {"codes": []}


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.png", None, ["no such file"]),
        ("notes.txt", b"just text", ["not an image"]),
        ("empty.png", b"", ["not an image"]),
        ("bomb.png", declared_png(20000, 20000), ["too many pixels"]),
        ("big.png", declared_png(13000, 13000), ["too many pixels", "13000x13000"]),
    ],
)
def test_bad_files_exit_2_in_one_line(name, content, words, tmp_path: Path, capsys, monkeypatch) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    one_line(decode([str(path)], capsys, monkeypatch), 2, name, *words)


def test_device_and_folder_exit_2(tmp_path: Path, capsys, monkeypatch) -> None:
    one_line(decode(["/dev/zero"], capsys, monkeypatch), 2, "not a regular file")
    one_line(decode([str(tmp_path)], capsys, monkeypatch), 2, "not a regular file")


def test_without_libzbar_it_says_so_once_and_reads_with_zxing(tmp_path: Path, capsys, monkeypatch) -> None:
    image = qr.write_png(TIKTOK, tmp_path / "shot.png")
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)  # import now fails as without the library
    monkeypatch.setattr(qr_engines, "_noted", set())
    result = decode([str(image), "--json"], capsys, monkeypatch)
    one_line(result, 0, "libzbar0")
    assert json.loads(result.out)["codes"][0]["payload"] == TIKTOK


def test_without_any_decoder_exits_2_naming_both(tmp_path: Path, capsys, monkeypatch) -> None:
    image = qr.write_png(TIKTOK, tmp_path / "shot.png")
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    one_line(decode([str(image)], capsys, monkeypatch), 2, "libzbar0", "pip install zxing-cpp")
