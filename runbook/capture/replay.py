"""`mock --replay DIR`: a capture served as a Business Center, offline.

Every origin the capture recorded (the Business Center, a widget's other origin, a CDN) is served on a port of its
own on this machine, and every recorded address in the answers (bodies, headers, the QR codes' payloads) is
re-pointed at it, so the app's own scripts, styles and markup run as they ran. A request is answered with a
recorded answer of the same method, path, query and normalised body (JSON keys sorted, form fields sorted), else
of the same method, path and query, else of the same method and path; what matches nothing answers 404 and is
logged. State: the recording is cut into epochs at each request that changed something (a POST: Save, a QR code
requested); a GET is answered from the epoch the replay has reached (the answers after a Save once it was replayed
again), repeated answers in recorded order, the last one again when they run out.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from runbook.capture import qr_swap
from runbook.capture.folder import read_har, read_info
from runbook.capture.learning import sensitive_key
from runbook.fixtures.routes import Request, Response, html
from runbook.fixtures.server import AnswersServer

_SAFE = {"GET", "HEAD", "OPTIONS"}
# Not replayed: the body is served decoded and whole, and the browser must not be held to the live site's HTTPS.
_DROPPED = {
    "content-length",
    "content-encoding",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "strict-transport-security",
    "alt-svc",
    "set-cookie",
    "date",
}
_FORM = re.compile(r"[^=&\s]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*")
_TEXT = ("text/", "javascript", "json", "xml", "svg", "css", "html")


@dataclass
class Answer:
    index: int
    epoch: int  # how many state-changing requests came before it
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    content_type: str
    text: bool


@dataclass
class _Keys:
    exact: dict[tuple[str, ...], list[Answer]] = field(default_factory=lambda: defaultdict(list))
    query: dict[tuple[str, ...], list[Answer]] = field(default_factory=lambda: defaultdict(list))
    path: dict[tuple[str, ...], list[Answer]] = field(default_factory=lambda: defaultdict(list))


def _norm_query(query: str) -> str:
    """Sorted, without the parameters the capture scrubbed (an anti-forgery token, a session id): a replayed
    app sends other values there, or none, and they never chose the answer."""
    return urlencode(sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not sensitive_key(k)))


def _norm_body(body: bytes | str, content_type: str) -> str:
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if not text:
        return ""
    if "json" in content_type or text.lstrip()[:1] in ("{", "["):
        with suppress(ValueError):
            return json.dumps(_unsigned(json.loads(text)), sort_keys=True, separators=(",", ":"))
    if "form" in content_type or _FORM.fullmatch(text):
        return urlencode(sorted(parse_qsl(text, keep_blank_values=True)))
    return text


def _unsigned(value: Any) -> Any:
    """A JSON body without the keys the capture scrubbed (an anti-forgery token): they never chose the answer."""
    if isinstance(value, dict):
        return {k: _unsigned(v) for k, v in value.items() if not sensitive_key(str(k))}
    if isinstance(value, list):
        return [_unsigned(v) for v in value]
    return value


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Replay:
    """A capture's answers by origin, and where the replay stands (its epoch and the answers already given)."""

    def __init__(self, folder: Path, on_unmatched: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.on_unmatched = on_unmatched
        self.info = read_info(folder)
        har = read_har(folder)
        entries = sorted(har.get("log", {}).get("entries", []), key=lambda e: e.get("startedDateTime", ""))
        self.origins: list[str] = []
        self._keys: dict[str, _Keys] = defaultdict(_Keys)
        epoch = 0
        for index, entry in enumerate(entries):
            request, response = entry.get("request", {}), entry.get("response", {})
            url, method = request.get("url", ""), request.get("method", "GET").upper()
            if not url.startswith(("http://", "https://")) or response.get("status", 0) <= 0:
                continue  # a data: URL, or a request that got no answer (aborted, or the run ended)
            origin = _origin(url)
            if origin not in self.origins:
                self.origins.append(origin)
            answer = _answer(index, epoch, response)
            parts = urlsplit(url)
            post = request.get("postData", {}) or {}
            body = _norm_body(post.get("text", ""), post.get("mimeType", ""))
            keys = self._keys[origin]
            keys.exact[(method, parts.path, _norm_query(parts.query), body)].append(answer)
            keys.query[(method, parts.path, _norm_query(parts.query))].append(answer)
            keys.path[(method, parts.path)].append(answer)
            if method not in _SAFE:
                epoch += 1
        self.epoch = 0
        self.used: set[int] = set()
        self.unmatched: list[str] = []
        self.served: dict[str, str] = {}  # recorded origin -> the address it is served at
        self.payloads: dict[str, str] = {}  # the capture's QR payloads -> where they point in the replay
        self._moved: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def serve_at(self, served: dict[str, str]) -> None:
        """Where each recorded origin is served, known once every port is bound: the addresses to re-point, and
        the QR payloads to redraw, worked out once rather than at every answer."""
        self.served = served
        moved = [recorded for recorded, address in served.items() if recorded != address]
        # One pass over a text, longest first: an address served may spell another recorded one.
        self._moved = re.compile("|".join(map(re.escape, sorted(moved, key=len, reverse=True)))) if moved else None
        self.payloads = {p: self._repoint(p) for p in self.info.get("qr_payloads", []) if self._repoint(p) != p}

    def answer(self, origin: str, req: Request) -> Response:
        method = "GET" if req.method == "HEAD" else req.method
        query = _norm_query(urlsplit(req.target).query)
        keys = self._keys[origin]
        candidates = (
            keys.exact.get((method, req.path, query, _norm_body(req.body, "")))
            or keys.query.get((method, req.path, query))
            or keys.path.get((method, req.path))
        )
        with self._lock:
            if not candidates:
                self.unmatched.append(f"{req.method} {origin}{req.target}")
                if self.on_unmatched is not None:
                    self.on_unmatched(self.unmatched[-1])
                return html(404, "<!DOCTYPE html><title>Not in the capture</title><p>Not in the capture.</p>")
            chosen = self._choose(candidates, safe=method in _SAFE)
            self.used.add(chosen.index)
        return self._rewritten(chosen)

    def _choose(self, candidates: list[Answer], *, safe: bool) -> Answer:
        if not safe:  # a change: the next one not replayed yet, and the state moves on past it
            chosen = next((a for a in candidates if a.index not in self.used), candidates[-1])
            self.epoch = max(self.epoch, chosen.epoch + 1)
            return chosen
        now = [a for a in candidates if a.epoch == self.epoch]
        if now:
            return next((a for a in now if a.index not in self.used), now[-1])
        before = [a for a in candidates if a.epoch < self.epoch]
        return before[-1] if before else candidates[0]

    def _rewritten(self, answer: Answer) -> Response:
        headers = [(name, self._repoint(value)) for name, value in answer.headers]
        body = answer.body
        if answer.text:
            text = self._repoint(body.decode("utf-8", errors="replace"))
            text = qr_swap.swap_data_uris(text, self.payloads)
            if "json" in answer.content_type:
                with suppress(ValueError):  # not JSON after all: served as the text it is
                    text = json.dumps(qr_swap.swap_matrices(json.loads(text), self.payloads), separators=(",", ":"))
            body = text.encode("utf-8")
        elif answer.content_type.startswith("image/"):
            body = qr_swap.swap_image(body, self.payloads) or body
        return Response(answer.status, body, answer.content_type or "application/octet-stream", headers)

    def _repoint(self, text: str) -> str:
        """Every recorded origin in `text` replaced by its served address."""
        if self._moved is None:
            return text
        return self._moved.sub(lambda found: self.served[found.group(0)], text)


def _answer(index: int, epoch: int, response: dict[str, Any]) -> Answer:
    content = response.get("content", {}) or {}
    text = content.get("text", "") or ""
    body = base64.b64decode(text) if content.get("encoding") == "base64" else text.encode("utf-8")
    content_type = content.get("mimeType", "") or ""
    headers = []
    for header in response.get("headers", []):
        name, value = header.get("name", ""), header.get("value", "")
        if name.lower() == "content-type":
            content_type = content_type or value
        elif name.lower() not in _DROPPED:
            headers.append((name, value))
    is_text = content.get("encoding") != "base64" and any(kind in content_type for kind in _TEXT)
    return Answer(index, epoch, int(response.get("status", 200)), headers, body, content_type, is_text)


class _OriginApp:
    """What one served port answers: the recorded origin it stands for."""

    def __init__(self, replay: Replay, origin: str) -> None:
        self.replay = replay
        self.origin = origin

    def handle(self, req: Request) -> Response:
        return self.replay.answer(self.origin, req)


class ReplayServer:
    """Serves a capture: its first origin (the Business Center) on `port`, any other on a free port."""

    def __init__(
        self, folder: Path, *, verbose: bool = False, on_unmatched: Callable[[str], None] | None = None
    ) -> None:
        self.replay = Replay(folder, on_unmatched)
        self.verbose = verbose
        self.url = ""
        self._servers: list[AnswersServer] = []

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if not self.replay.origins:
            raise ValueError(f"{self.replay.folder} recorded no answer to serve")
        shown = "127.0.0.1" if host in ("", "0.0.0.0") else host  # a wildcard bind is no address to open
        served: dict[str, str] = {}
        for number, origin in enumerate(self.replay.origins):
            server = AnswersServer((host, port if number == 0 else 0), _OriginApp(self.replay, origin), self.verbose)
            self._servers.append(server)
            served[origin] = f"http://{shown}:{server.server_address[1]}"
        self.replay.serve_at(served)  # before the first answer
        for server in self._servers:
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        self.url = self.replay.served[self.replay.origins[0]]
        return self.url

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
            server.drop_connections()
        self._servers = []

    def __enter__(self) -> ReplayServer:
        if not self._servers:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
