"""The scrubber: what a run recorded (a HAR, DOM snapshots, texts) with every secret and personal value replaced
by a stand-in, before anything is written to disk.

Two passes. learn_*() collects the originals from the data parts (runbook/capture/learning.py): header and cookie
values, values of sensitive keys, ids, e-mails, phones, handles, names, QR payloads. har()/html()/text() then
replace every original wherever it appears, scripts and styles included, by the same stand-in
(runbook/capture/standins.py), so the replayed app still works; QR codes are redrawn for the stand-in payloads
(runbook/capture/qr_swap.py).
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from runbook.capture.learning import IMAGE_TYPES, Learner, b64, body_kind, mime_of, parse_json, secret_header
from runbook.capture.qr_swap import DATA_URI, MAX_IMAGE_BYTES, swap_data_uris, swap_image, swap_matrices
from runbook.capture.standins import Standins

IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z_$]*")  # no digits: an id is never taken for a name


@dataclass
class Known:
    """What the run itself knows is secret, before any scrubbing: exact values replaced wherever they appear."""

    secrets: set[str] = field(default_factory=set)  # cookie and local-storage values, header tokens
    qr_payloads: set[str] = field(default_factory=set)  # the payloads the run decoded
    handles: set[str] = field(default_factory=set)  # account handles the run was given, like "@brand.one"


class Scrubber:
    """Learn every original first (so a value gets the same stand-in in every file, whichever shows it first),
    then replace them all: learn_storage(), learn_har(), learn_html() for each snapshot, then har(), html()."""

    def __init__(self, known: Known, *, keep_handles: bool = False) -> None:
        self._standins = Standins()
        self._learner = Learner(self._standins, keep_handles=keep_handles)
        self._keep_handles = keep_handles
        self._counts: Counter[str] = Counter()  # structural replacements: headers, cookies, QR images
        for secret in sorted(known.secrets):
            self._learner.learn_secret(secret)
        for handle in sorted(known.handles):
            self._learner.learn_handle(handle)
        for payload in sorted(known.qr_payloads):
            self._learner.learn_payload(payload)

    def learn_storage(self, state: dict[str, Any]) -> None:
        """A Playwright storage_state(): every cookie and local-storage value becomes a secret."""
        self._learner.learn_storage(state)

    def learn_har(self, har: dict[str, Any]) -> None:
        self._learner.learn_har(har)

    def learn_html(self, html: str) -> None:
        self._learner.learn_html(html)

    def har(self, har: dict[str, Any]) -> dict[str, Any]:
        """A scrubbed deep copy of a HAR."""
        out = copy.deepcopy(har)
        log = out.get("log", {})
        for entry in log.get("entries", []):
            self._entry(entry)
        for key, value in log.items():
            if key != "entries":
                log[key] = self._json(value)  # pages' titles, the creator, comments
        return out

    def html(self, html: str) -> str:
        return self._text(html)

    def text(self, text: str) -> str:
        """Any other text (capture.json's values): its e-mails and phones learned too, then scrubbed."""
        self._learner.learn_contacts(text)
        return self._text(text)

    def report(self) -> dict[str, Any]:
        """How many of each kind were replaced, and which kinds were kept: never a value."""
        replaced = self._standins.counts + self._counts
        return {"replaced": dict(sorted(replaced.items())), "kept": ["handle", "name"] if self._keep_handles else []}

    def originals(self) -> dict[str, str]:
        """Every original value replaced inside texts → its kind: what the leak scan looks for."""
        return self._standins.originals()

    def standin_payloads(self) -> list[str]:
        """The stand-in QR payloads (not secret): the replay re-points them at its own address."""
        return sorted(self._standins.payloads().values())

    def _entry(self, entry: dict[str, Any]) -> None:
        request, response = entry.get("request", {}), entry.get("response", {})
        url = str(request.get("url", ""))
        for message in (request, response):
            if message.get("cookies"):
                self._counts["cookie"] += len(message["cookies"])
            message["cookies"] = []
        post = request.get("postData")
        post_size = self._post(post, url) if isinstance(post, dict) else None
        body_size = self._content(response.get("content") or {}, url)
        for message, size in ((request, post_size), (response, body_size)):
            message["headers"] = self._headers(message.get("headers", []), size)
            if size is not None and isinstance(message.get("bodySize"), int) and message["bodySize"] > 0:
                message["bodySize"] = size
            for key, value in message.items():
                if key not in ("headers", "cookies", "postData", "content"):
                    message[key] = self._json(value)  # url, redirectURL, queryString, statusText
        for key, value in entry.items():
            if key not in ("request", "response"):
                entry[key] = self._json(value)

    def _headers(self, headers: list[dict[str, Any]], body_size: int | None) -> list[dict[str, Any]]:
        """Cookies dropped, secret values replaced, Content-Length made true again, the rest scrubbed as text."""
        kept = []
        for header in headers:
            name, value = str(header.get("name", "")), str(header.get("value", ""))
            low = name.lower()
            if low in ("cookie", "set-cookie"):
                self._counts["cookie"] += 1
                continue
            if secret_header(low) and value:
                scheme, space, token = value.partition(" ")
                keep_scheme = bool(space and token and scheme.isalpha())  # "Bearer <token>" stays a bearer token
                secret = token if keep_scheme else value
                self._standins.add(secret, "secret")
                value = (scheme + " " if keep_scheme else "") + (self._standins.standin(secret) or secret)
                self._counts["header"] += 1
            elif low == "content-length" and body_size is not None:
                value = str(body_size)
            else:
                value = self._standins.sub(value)
            kept.append({**header, "name": name, "value": value})
        return kept

    def _post(self, post: dict[str, Any], url: str) -> int | None:
        if isinstance(post.get("params"), list):
            post["params"] = self._json(post["params"])
        text = post.get("text")
        if not isinstance(text, str):
            return None
        post["text"] = self._body(text, mime_of(post.get("mimeType")), url)
        return len(post["text"].encode("utf-8"))

    def _content(self, content: dict[str, Any], url: str) -> int | None:
        """Scrubs a response body in place; its new size in bytes, or None when it was kept as it was."""
        text, mime = content.get("text"), mime_of(content.get("mimeType"))
        if not isinstance(text, str):
            return None
        if content.get("encoding") == "base64":
            raw = b64(text)
            if raw is None:
                return None
            if mime in IMAGE_TYPES:
                swapped = swap_image(raw, self._standins.payloads()) if len(raw) <= MAX_IMAGE_BYTES else None
                if swapped is None:
                    return None  # no code of an original: a picture, a font, kept as it is
                self._counts["qr"] += 1
                content["text"], content["size"] = base64.b64encode(swapped).decode("ascii"), len(swapped)
                return len(swapped)
            if body_kind(mime, url, None) is None:
                return None
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                return None  # not text after all; the leak scan reads it as bytes
            del content["encoding"]
        content["text"] = self._body(text, mime, url)
        content["size"] = len(content["text"].encode("utf-8"))
        return int(content["size"])

    def _body(self, text: str, mime: str, url: str) -> str:
        if body_kind(mime, url, text) == "json":
            parsed, data = parse_json(text)
            if parsed:
                data = self._json(swap_matrices(data, self._standins.payloads()))
                return json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return self._text(text)

    def _json(self, value: Any) -> Any:
        """Parsed JSON scrubbed: keys and strings as text, ids in numbers kept numbers of the same length. Clocks
        (`expires_at`) are left alone because they were never learned as ids, not here: a value that is an id
        elsewhere too is replaced in a clock as well, or the leak scan would find it there."""
        if isinstance(value, dict):
            return {self._key(str(k)): self._json(item) for k, item in value.items()}
        if isinstance(value, list):
            return [self._json(item) for item in value]
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return self._standins.whole(value) or self._text(value)  # a short value known whole, too
        if isinstance(value, int):
            scrubbed = self._standins.sub(str(value))
            return int(scrubbed) if scrubbed != str(value) else value
        return value

    def _key(self, key: str) -> str:
        """A key that is a name in the app's code (`username`, `org_id`) stays: the app reads it. Keys that are data
        (a map by id, by handle) are scrubbed like values."""
        return key if IDENTIFIER.fullmatch(key) else self._standins.sub(key)

    def _text(self, text: str) -> str:
        """The text scrubbed, its data: URIs left whole (base64 matches by chance) but their QR codes redrawn."""
        if "data:" not in text:
            return self._standins.sub(text)
        pieces, last = [], 0
        for match in DATA_URI.finditer(text):
            pieces.append(self._standins.sub(text[last : match.start()]))
            swapped = swap_data_uris(match.group(0), self._standins.payloads())
            self._counts["qr"] += swapped != match.group(0)
            pieces.append(swapped)
            last = match.end()
        pieces.append(self._standins.sub(text[last:]))
        return "".join(pieces)
