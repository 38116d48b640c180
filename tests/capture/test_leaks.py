"""The leak scan on folders built by hand: an original found wherever it hides, nothing in a scrubbed capture."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

from runbook.capture.leaks import Leak, remove, scan
from runbook.capture.scrub import Known, Scrubber
from runbook.fixtures.qr import qr_matrix, qr_png
from tests.capture.test_scrub import ORG, PAYLOAD, entry, har_of, realistic_har

TOKEN = "tok-9f8e7d6c5b4a"
ORIGINALS = {TOKEN: "token", ORG: "id", "@acme.official": "handle", PAYLOAD: "qr", "abc": "token"}


def test_an_original_in_a_plain_file(tmp_path: Path) -> None:
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / "step.html").write_text(f"<p>{ORG}</p>")
    (tmp_path / "notes.txt").write_text("nothing here")
    assert scan(tmp_path, ORIGINALS) == [Leak(Path("snapshots/step.html"), "id")]
    (tmp_path / "snapshots" / "step.html").write_text("<a href='/u?who=%40acme.official'>")  # URL-encoded
    assert scan(tmp_path, ORIGINALS) == [Leak(Path("snapshots/step.html"), "handle")]


def test_an_original_in_a_gzip_file(tmp_path: Path) -> None:
    (tmp_path / "bodies").mkdir()
    (tmp_path / "bodies" / "0a1b.gz").write_bytes(gzip.compress(b"var handle='@acme.official';"))
    assert scan(tmp_path, ORIGINALS) == [Leak(Path("bodies/0a1b.gz"), "handle")]


def test_an_original_in_a_base64_body_of_a_har(tmp_path: Path) -> None:
    har = har_of(entry("http://x.example/a", f"token={TOKEN}".encode(), mime="application/octet-stream"))
    (tmp_path / "capture.har").write_text(json.dumps(har))
    assert TOKEN not in (tmp_path / "capture.har").read_text()
    assert scan(tmp_path, ORIGINALS) == [Leak(Path("capture.har"), "token")]


def test_an_original_in_a_qr_code(tmp_path: Path) -> None:
    (tmp_path / "code.png").write_bytes(qr_png(qr_matrix(PAYLOAD)))
    assert scan(tmp_path, ORIGINALS) == [Leak(Path("code.png"), "qr")]
    matrix_only = har_of(entry("http://x.example/qr", {"matrix": qr_matrix(PAYLOAD, "Q")}))
    (tmp_path / "code.png").unlink()
    (tmp_path / "capture.har").write_text(json.dumps(matrix_only))
    assert scan(tmp_path, ORIGINALS) == [Leak(Path("capture.har"), "qr")]


def test_short_values_and_parts_of_longer_ones_are_no_leak(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"abc abc 1{ORG}2 bob@acme.official.example")
    assert scan(tmp_path, ORIGINALS) == []


def test_nothing_is_found_in_a_scrubbed_capture(tmp_path: Path) -> None:
    har = realistic_har()
    page = f"<p>Org {ORG}, account @acme.official</p>"
    scrubber = Scrubber(Known(qr_payloads={PAYLOAD}))
    scrubber.learn_har(har)
    scrubber.learn_html(page)
    clean = scrubber.har(har)
    (tmp_path / "capture.har").write_text(json.dumps(clean, ensure_ascii=False))
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / "accounts.html").write_text(scrubber.html(page))
    png = base64.b64decode(clean["log"]["entries"][4]["response"]["content"]["text"])
    (tmp_path / "bodies").mkdir()
    (tmp_path / "bodies" / "qr.png.gz").write_bytes(gzip.compress(png))
    (tmp_path / "scrub-report.json").write_text(json.dumps(scrubber.report()))
    assert scan(tmp_path, scrubber.originals()) == []
    (tmp_path / "raw.har").write_text(json.dumps(har))  # the same capture unscrubbed: every kind found
    kinds = {leak.kind for leak in scan(tmp_path, scrubber.originals())}
    assert {"id", "token", "qr", "email", "phone", "handle", "name", "secret"} <= kinds


def test_remove_deletes_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "capture"
    (folder / "bodies").mkdir(parents=True)
    (folder / "bodies" / "a.gz").write_bytes(b"x")
    remove(folder)
    assert not folder.exists()
    remove(folder)  # already gone: nothing to do
