"""verify --capture and connect --capture on the mock: what the folder holds, and that nothing secret reached it
(a session carrying fake secrets in its cookies and local storage, which the app sends on in headers and URLs;
the mock's own ids, e-mail, handles and QR payloads in its answers)."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest

from runbook.capture import recorder, scrub
from runbook.core.events import Reporter
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import run_cli
from tests.support.matrix import matrix
from tests.support.runs import connect

ORG_ID = "7623379731659948049"
EMAIL = "jordan@northwind.example"
SECRETS = {"sessionid": "s3ss10n-fake-9f8e7d6c5b4a", "passport_csrf_token": "csrf-fake-0a1b2c3d4e5f6a7b"}
LOCAL_TOKEN = "ls-token-fake-ZZ9912abcd"


def session_with_secrets(path: Path, url: str) -> Path:
    host = url.split("//")[1].split(":")[0]
    cookies = [
        {
            "name": n,
            "value": v,
            "domain": host,
            "path": "/",
            "expires": -1,
            "httpOnly": False,
            "secure": False,
            "sameSite": "Lax",
        }
        for n, v in SECRETS.items()
    ]
    origins = [{"origin": url, "localStorage": [{"name": "csrf_token", "value": LOCAL_TOKEN}]}]
    path.write_text(json.dumps({"cookies": cookies, "origins": origins}))
    path.chmod(0o600)
    return path


def everything(folder: Path) -> str:
    """Every byte of the capture as text, with what hides compressed or in base64 laid open (the leak scan's
    own reading is under test: this one is the test's)."""
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if path.suffix == ".gz" else raw
        out.append(raw.decode("utf-8", errors="replace"))
        if path.name == "capture.har":
            for entry in json.loads(raw)["log"]["entries"]:
                content = entry["response"].get("content", {})
                if content.get("encoding") == "base64":
                    out.append(base64.b64decode(content["text"]).decode("utf-8", errors="replace"))
    return "\n".join(out)


def verify(url: str, tmp_path: Path, capsys, monkeypatch, *extra: str):
    args = ["verify", "--base-url", url, "--report", str(tmp_path / "report"), "--timeout", "5", *extra]
    return run_cli(args, capsys, monkeypatch)


def test_verify_capture_holds_no_secret(mock: MockBusinessCenter, tmp_path: Path, capsys, monkeypatch) -> None:
    mock.reset(delay=0.03)
    session = session_with_secrets(tmp_path / "session.json", mock.url)
    capture = tmp_path / "capture"
    result = verify(mock.url, tmp_path, capsys, monkeypatch, "--storage-state", str(session), "--capture", str(capture))
    assert result.code == 0, result.err
    assert f"Capture: {capture}" in result.err
    text = everything(capture)
    payloads = [code["payload"] for code in mock.state()["qr_codes"]]
    tokens = [code["token"] for code in mock.state()["qr_codes"]]
    assert payloads and tokens
    for secret in [
        *SECRETS.values(),
        LOCAL_TOKEN,
        ORG_ID,
        EMAIL,
        "@acme.official",
        "acme.official",
        *payloads,
        *tokens,
    ]:
        assert secret not in text, secret
    har = json.loads((capture / "capture.har").read_text())
    urls = [e["request"]["url"] for e in har["log"]["entries"]]
    assert any("msToken=" in url for url in urls)  # the app did send the local token on: it was replaced
    posted = [
        json.loads(e["request"]["postData"]["text"]) for e in har["log"]["entries"] if e["request"].get("postData")
    ]
    assert posted and all("csrf_token" in body for body in posted)  # in the JSON bodies too
    assert not any(
        h["name"].lower() in ("cookie", "set-cookie") for e in har["log"]["entries"] for h in e["request"]["headers"]
    )
    report = json.loads((capture / "scrub-report.json").read_text())
    assert {"id", "email", "qr", "handle"} <= set(report["replaced"]), report
    info = json.loads((capture / "capture.json").read_text())
    assert info["tool"] == "tiktok-runbook" and info["command"] == "verify" and info["tutorial_hash"]
    assert [s["ref"] for s in info["steps"]][:3] == ["1", "2", "3"] and info["verdict"] == "ok"
    assert len(list((capture / "snapshots").glob("*.html"))) >= 10


@matrix
def test_keep_handles_keeps_them(mock: MockBusinessCenter, tmp_path: Path, capsys, monkeypatch) -> None:
    capture = tmp_path / "capture"
    result = verify(mock.url, tmp_path, capsys, monkeypatch, "--capture", str(capture), "--keep-handles")
    assert result.code == 0, result.err
    text = everything(capture)
    assert "@acme.official" in text and ORG_ID not in text and EMAIL not in text


def test_a_capture_that_still_leaks_is_deleted(tmp_path: Path, monkeypatch) -> None:
    """The scan is the last word: a scrubber that missed something (here: one that scrubs nothing) loses the
    capture, and the run fails saying so (CaptureLeaked: exit 1)."""
    monkeypatch.setattr(scrub.Scrubber, "har", lambda self, har: har)
    capture = tmp_path / "capture"
    made = recorder.Recorder(capture, command="verify")
    url = f"http://127.0.0.1:1/manage/overview?org_id={ORG_ID}"
    entry = {"request": {"method": "GET", "url": url, "headers": []}, "response": {"status": 200, "headers": []}}
    (made._raw / "raw.har").write_text(json.dumps({"log": {"entries": [entry]}}))
    with pytest.raises(recorder.CaptureLeaked, match=r"scrubbing missed id in capture\.har; the capture was deleted"):
        made.finish([], Reporter.silent(), tutorial="tutorial.toml", tutorial_hash="0", verdict="ok")
    assert not capture.exists() and not list(tmp_path.glob(".capture.*"))
    assert made._raw_folder is not None and not made._raw_folder.exists()  # nor the raw HAR
    assert recorder.CaptureLeaked.exit_code == 1


def test_capture_refuses_a_folder_of_other_files(tmp_path: Path, mock, capsys, monkeypatch) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("mine")
    result = verify(mock.url, tmp_path, capsys, monkeypatch, "--capture", str(folder))
    assert result.code == 2 and "holds files that are not a capture" in result.err
    assert (folder / "todo.txt").read_text() == "mine"
    result = verify(mock.url, tmp_path, capsys, monkeypatch, "--keep-handles")
    assert result.code == 2 and "--keep-handles needs --capture" in result.err


def test_connect_capture(mock, owner, tmp_path: Path, capsys, monkeypatch) -> None:
    capture = tmp_path / "capture"
    with owner(delay=0.3, shared=tmp_path / "run") as scanner:
        result = connect(mock, tmp_path, capsys, monkeypatch, "--account", "@x.brand", "--capture", str(capture))
    assert result.code == 0, result.err
    assert scanner.scanned
    info = json.loads((capture / "capture.json").read_text())
    assert info["command"] == "connect" and info["verdict"] == "done"
    assert {s["status"] for s in info["steps"]} == {"ok"}
    text = everything(capture)
    for secret in [ORG_ID, EMAIL, "@x.brand", "x.brand", *scanner.scanned]:
        assert secret not in text, secret
