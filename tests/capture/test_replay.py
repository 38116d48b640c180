"""mock --replay's answers, on a capture made by hand: matching, the state after a change, what it cannot answer."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from runbook.capture import folder
from runbook.capture.replay import ReplayServer
from tests.support.cli import run_cli

ORIGIN = "https://business.example.com"


def entry(method: str, path: str, answer: object, *, body: str = "", when: int = 0) -> dict:
    request = {"method": method, "url": ORIGIN + path, "headers": []}
    if body:
        request["postData"] = {"mimeType": "application/json", "text": body}
    text = json.dumps(answer)
    response = {"status": 200, "headers": [], "content": {"mimeType": "application/json", "text": text}}
    return {"startedDateTime": f"2026-12-02T10:00:{when:02d}.000Z", "request": request, "response": response}


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    entries = [
        entry("GET", "/api/list?page=1", {"rows": ["a"]}, when=1),
        entry("GET", "/api/list?page=2", {"rows": ["b"]}, when=2),
        entry("GET", "/api/list?page=1", {"rows": ["a", "again"]}, when=3),
        entry("POST", "/api/save", {"ok": True}, body='{"b": 2, "a": 1, "csrf_token": "xx"}', when=4),
        entry("GET", "/api/list?page=1", {"rows": ["a", "saved"]}, when=5),
        entry("GET", "/link", {"next": f"{ORIGIN}/api/list?page=2"}, when=6),
    ]
    info = {"tool": folder.TOOL, "command": "verify", "qr_payloads": [], "steps": [], "verdict": "ok"}
    return folder.write(tmp_path / "capture", {"log": {"entries": entries}}, {}, info, {"replaced": {}})


def get(url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_answers_in_order_and_after_a_change(capture: Path) -> None:
    missed: list[str] = []
    with ReplayServer(capture, on_unmatched=missed.append) as server:
        url = server.url
        assert json.loads(get(url + "/api/list?page=1")[1]) == {"rows": ["a"]}
        assert json.loads(get(url + "/api/list?page=1")[1]) == {"rows": ["a", "again"]}
        assert json.loads(get(url + "/api/list?page=1")[1]) == {"rows": ["a", "again"]}  # the last one again
        assert json.loads(get(url + "/api/list?page=2")[1]) == {"rows": ["b"]}  # the query chooses
        # The same change with its keys in another order and without the scrubbed token: the same request.
        assert json.loads(get(url + "/api/save", b'{"a":1,"b":2}')[1]) == {"ok": True}
        assert json.loads(get(url + "/api/list?page=1")[1]) == {"rows": ["a", "saved"]}  # the state after it
        assert json.loads(get(url + "/link")[1]) == {"next": f"{url}/api/list?page=2"}  # re-pointed here
        status, _ = get(url + "/api/never")
        assert status == 404
    assert missed == [f"GET {ORIGIN}/api/never"]


def test_mock_replay_refuses_what_is_not_a_capture(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "notes").mkdir()
    result = run_cli(["mock", "--replay", str(tmp_path / "notes"), "--port", "0"], capsys, monkeypatch)
    assert result.code == 2 and "is not a capture" in result.err
    result = run_cli(["mock", "--replay", str(tmp_path / "none"), "--port", "0"], capsys, monkeypatch)
    assert result.code == 2 and "no such folder" in result.err
