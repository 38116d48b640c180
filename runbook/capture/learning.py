"""Pass 1 of the scrubber: the originals a run's recording holds, learned from its data parts.

Data parts are URLs, JSON, HTML text and attribute values, headers, cookies and QR codes: what they hold is the
app's data. Scripts and styles are never learned from by pattern (bundles are full of long constants, `@media` and
decorators), only scrubbed of what the data parts taught (runbook/capture/scrub.py).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from runbook.capture.qr_swap import DATA_URI, payloads_in_image, payloads_in_json, payloads_in_text
from runbook.capture.standins import MIN_LENGTH, Standins

SENSITIVE_KEYS = frozenset(
    {"token", "access_token", "refresh_token", "id_token", "code", "state", "ticket", "csrf", "csrf_token", "xsrf"}
    | {"nonce", "signature", "sig", "password", "passwd", "secret", "auth", "key", "api_key", "apikey", "otp"}
    | {"verify_code"}
)
ID_KEYS = frozenset(
    ["org_id", "bc_id", "aadvid", "advertiser_id", "user_id", "uid", "owner_id", "account_id", "ad_account_id"]
)
# Countdowns and clocks: a stand-in there would break the page that counts down (and they identify nobody).
TIME_KEYS = frozenset(["time", "timestamp", "ts", "t", "_", "date", "expires", "expires_in", "max_age", "ttl"])
HANDLE_KEYS = frozenset(["handle", "username", "user_name", "unique_id", "screen_name"])
NAME_KEYS = frozenset({"nickname", "display_name"})
PAYLOAD_KEYS = frozenset(["payload", "qr_url", "qrcode_url", "auth_url", "authorization_url", "scan_url"])
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-client-data"})
SECRET_HEADER_WORDS = ("csrf", "xsrf", "token", "session", "auth", "secret", "api-key", "apikey", "signature")
URL_HEADERS = frozenset({"location", "referer", "origin", "content-location"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "data-src"})
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/jpg", "image/webp", "image/gif"})
CSS_AT_RULES = frozenset(
    {"media", "keyframes", "import", "font-face", "supports", "charset", "page", "layer", "container", "namespace"}
)

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w+])\+\d(?:[ .()\-]{0,2}\d){7,14}(?!\d)|(?<=tel:)\d[\d .()\-]{4,}\d")
HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9._]{2,})")
DIGITS = re.compile(r"(?<!\d)\d{10,}(?!\d)")
HANDLE_BODY = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9._]{2,24}")
URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
PLAIN_WORDS = re.compile(r"(?:[a-z]+|[A-Z][a-z]*|[A-Z]+)(?:[ _-](?:[a-z]+|[A-Z][a-z]*|[A-Z]+))*")
CODE_PATH = re.compile(r"\.(?:m?js|css|map)$", re.I)  # a source map is JSON, but of code
STATIC_PATH = re.compile(r"\.(?:m?js|css|map|woff2?|ttf|png|jpe?g|gif|webp|svg|ico)$", re.I)


def sensitive_key(key: str) -> bool:
    low = key.lower()
    return low in SENSITIVE_KEYS or low.startswith(("session", "sid")) or low.endswith(("_token", "_secret", "token"))


def time_key(key: str) -> bool:
    low = key.lower()
    return low in TIME_KEYS or low.endswith(("_at", "_time", "_ts", "time")) or key.endswith("At")


def looks_secret(value: str) -> bool:
    """A sensitive key's value worth replacing: not a plain word ("pending", "Linked"), which a key like `state`
    or `key` often holds and the app branches on."""
    return len(value) >= MIN_LENGTH and (len(value) > 32 or not PLAIN_WORDS.fullmatch(value))


def secret_header(name: str) -> bool:
    """A header whose value is a credential; not HTTP/2's ":authority", which holds the host."""
    return not name.startswith(":") and (name in SECRET_HEADERS or any(w in name for w in SECRET_HEADER_WORDS))


def body_kind(mime: str, url: str, text: str | None) -> str | None:
    """How a body is read: "json", "html", "code" (scripts, styles, SVG) or "text"; None for binary."""
    if mime == "image/svg+xml" or any(w in mime for w in ("javascript", "css")) or CODE_PATH.search(urlsplit(url).path):
        return "code"
    if "json" in mime:
        return "json"
    if "html" in mime:
        return "html"
    if mime.startswith("text/") or "xml" in mime or "urlencoded" in mime or (text is not None and not mime):
        return "json" if text is not None and text.lstrip()[:1] in ("{", "[") else "text"
    return None


def mime_of(value: Any) -> str:
    return str(value or "").split(";")[0].strip().lower()


def parse_json(text: str) -> tuple[bool, Any]:
    try:
        return True, json.loads(text)
    except (ValueError, RecursionError):
        return False, None


def b64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text)
    except (binascii.Error, ValueError):
        return None


_HINTS = frozenset({"style", "placeholder", "aria-placeholder", "data-placeholder"})


class _HtmlData(HTMLParser):
    """A page's data parts: text, attribute values, URLs and JSON scripts; not its scripts, styles or handlers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.urls: list[str] = []
        self.json: list[str] = []
        self._inside: str | None = None  # "code" or "json" inside <script>/<style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._inside = "json" if tag == "script" and "json" in (dict(attrs).get("type") or "") else "code"
        for name, value in attrs:
            # A placeholder is the UI's hint ("@username"), not an account: never learned as data.
            if value and name not in _HINTS and not name.startswith("on"):
                (self.urls if name in URL_ATTRIBUTES else self.texts).append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside is None:
            self.texts.append(data)
        elif self._inside == "json":
            self.json.append(data)


class Learner:
    """Feeds every original it meets, with its kind, to the stand-ins."""

    def __init__(self, standins: Standins, *, keep_handles: bool = False) -> None:
        self._standins = standins
        self._keep_handles = keep_handles  # handles and names are not learned, so never replaced

    def learn_storage(self, state: dict[str, Any]) -> None:
        """A Playwright storage_state(): every cookie and local-storage value is a secret (and a JSON value's
        sensitive keys are read too)."""
        for cookie in state.get("cookies", []):
            self.learn_secret(str(cookie.get("value", "")))
        for origin in state.get("origins", []):
            for item in origin.get("localStorage", []):
                value = str(item.get("value", ""))
                self.learn_secret(value)
                parsed, data = parse_json(value)
                if parsed and isinstance(data, (dict, list)):
                    self._learn_json(data)

    def learn_har(self, har: dict[str, Any]) -> None:
        log = har.get("log", {})
        for page in log.get("pages", []):
            self._learn_data(str(page.get("title", "")))
        for entry in log.get("entries", []):
            request, response = entry.get("request", {}), entry.get("response", {})
            url = str(request.get("url", ""))
            self._learn_url(url)
            for message in (request, response):
                self._learn_headers(message.get("headers", []))
                for cookie in message.get("cookies", []):
                    self.learn_secret(str(cookie.get("value", "")))
            self._learn_url(str(response.get("redirectURL", "")))
            post = request.get("postData") or {}
            for param in post.get("params", []):
                self._learn_value(str(param.get("name", "")), str(param.get("value", "")))
            if isinstance(post.get("text"), str):
                self._learn_body(post["text"], mime_of(post.get("mimeType")), url)
            self._learn_content(response.get("content") or {}, url)

    def learn_html(self, html: str) -> None:
        parts = _HtmlData()
        parts.feed(html)
        parts.close()
        for text in parts.texts:
            self._learn_data(text)
        for url in parts.urls:
            self._learn_url(url)
        for script in parts.json:
            self._learn_body(script, "application/json", "")
        self.learn_contacts(html, phones=False)  # e-mails anywhere, scripts included
        for payload in payloads_in_text(html):
            self.learn_payload(payload)

    def _learn_content(self, content: dict[str, Any], url: str) -> None:
        text, mime = content.get("text"), mime_of(content.get("mimeType"))
        if not isinstance(text, str):
            return
        if content.get("encoding") == "base64":
            raw = b64(text)
            if raw is None:
                return
            if mime in IMAGE_TYPES:
                for payload in payloads_in_image(raw):
                    self.learn_payload(payload)
                return
            if body_kind(mime, url, None) is None:
                return
            text = raw.decode("utf-8", "replace")
        self._learn_body(text, mime, url)

    def _learn_body(self, text: str, mime: str, url: str) -> None:
        kind = body_kind(mime, url, text)
        if kind == "json":
            parsed, data = parse_json(text)
            if parsed:
                for payload in payloads_in_json(data):
                    self.learn_payload(payload)
                self._learn_json(data)
                return
            kind = "text"
        if kind == "html":
            self.learn_html(text)
        elif kind == "code":
            self.learn_contacts(text, phones=False)
        elif kind is not None:
            self._learn_data(text)

    def _learn_headers(self, headers: list[dict[str, Any]]) -> None:
        for header in headers:
            name, value = str(header.get("name", "")).lower(), str(header.get("value", ""))
            if name == "cookie":
                for pair in value.split(";"):
                    self.learn_secret(pair.partition("=")[2].strip())
            elif name == "set-cookie":
                self.learn_secret(value.split(";")[0].partition("=")[2].strip())
            elif secret_header(name):
                self.learn_secret(value)
                self.learn_secret(value.partition(" ")[2].strip())  # the token after "Bearer "
            elif name in URL_HEADERS:
                self._learn_url(value)
            else:
                self.learn_contacts(value)

    def _learn_json(self, value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            if any(k in HANDLE_KEYS or k == "email" for k in value) and isinstance(value.get("name"), str):
                self._learn_name(value["name"])  # a person's or an account's record
            for item_key, item in value.items():
                self._learn_json(item, str(item_key))
        elif isinstance(value, list):
            for item in value:
                self._learn_json(item, key)
        elif isinstance(value, str):
            self._learn_value(key, value)
        elif isinstance(value, int) and not isinstance(value, bool) and not time_key(key):
            digits = str(abs(value))
            if len(digits) >= 10 or (len(digits) >= MIN_LENGTH and self._id_key(key)):
                self._standins.add(digits, "id")

    def _learn_value(self, key: str, value: str) -> None:
        """A JSON value, query parameter or form field, by its key."""
        low = key.lower()
        if not value or time_key(key):
            return
        if low in PAYLOAD_KEYS and URL_START.match(value):
            self.learn_payload(value)
        elif sensitive_key(key) and looks_secret(value):
            self._standins.add(value, "id" if value.isdigit() else "token")
        elif self._id_key(low) and value.isdigit() and len(value) >= MIN_LENGTH:
            self._standins.add(value, "id")
        elif low in HANDLE_KEYS and HANDLE_BODY.fullmatch(value.removeprefix("@")):
            self.learn_handle(value)
        elif low in HANDLE_KEYS or low in NAME_KEYS:
            self._learn_name(value)
        elif URL_START.match(value):
            self._learn_url(value)
        else:
            self._learn_data(value)

    @staticmethod
    def _id_key(low: str) -> bool:
        return low in ID_KEYS or low.endswith("_id")

    def _learn_url(self, url: str) -> None:
        if not url or url.startswith("data:"):
            return
        parts = urlsplit(url)
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            self._learn_value(key, value)
        # A script's or font's own path is no data part: npm scopes (/@babel/...) are not handles.
        self._learn_data(unquote(parts.path), handles=not STATIC_PATH.search(parts.path))
        self._learn_data(unquote(parts.fragment))

    def _learn_data(self, text: str, *, handles: bool = True) -> None:
        """E-mails, phones, handles and runs of 10 or more digits (ids) in a data part."""
        text = self.learn_contacts(DATA_URI.sub(" ", text))  # base64 holds digit runs by chance
        if handles:
            for match in HANDLE.finditer(text):
                if len(match.group(1).rstrip(".")) <= 24:
                    self.learn_handle(match.group(1))
        for match in DIGITS.finditer(text):
            self._standins.add(match.group(0), "id")

    def learn_contacts(self, text: str, *, phones: bool = True) -> str:
        """Learns the e-mails (and phones) in the text; the text without them, for what is learned next."""
        for match in EMAIL.finditer(text):
            self._standins.add(match.group(0), "email")
        text = EMAIL.sub(" ", text)
        if phones:
            for match in PHONE.finditer(text):
                self._standins.add(match.group(0), "phone")
                compact = re.sub(r"[^\d+]", "", match.group(0))
                self._standins.add(compact, "phone", self._standins.standin(match.group(0)))
            text = PHONE.sub(" ", text)
        return text

    def learn_secret(self, value: str) -> None:
        if len(value) >= MIN_LENGTH:
            self._standins.add(value, "secret")
            if unquote(value) != value and len(unquote(value)) >= MIN_LENGTH:
                self._standins.add(unquote(value), "secret")  # a cookie's value is often URL-encoded

    def learn_handle(self, value: str) -> None:
        bare = value.strip().removeprefix("@").rstrip(".")
        if not self._keep_handles and HANDLE_BODY.fullmatch(bare) and bare.lower() not in CSS_AT_RULES:
            self._standins.add_handle(bare)

    def _learn_name(self, value: str) -> None:
        if not self._keep_handles and len(value.strip()) >= 3:
            self._standins.add(value.strip(), "name")

    def learn_payload(self, payload: str) -> None:
        """A QR payload, and the opaque segments of its path as tokens: the same token elsewhere (in
        /api/qr/<token>) gets the same stand-in as inside the payload. Its query is read by its keys (a `token=`
        is learned everywhere); its other opaque values change inside the payload only."""
        parts = urlsplit(payload)
        if not (parts.scheme and parts.netloc):
            self._standins.add_payload(payload, [])
            return
        for segment in parts.path.split("/"):
            if looks_secret(unquote(segment)):
                self._standins.add(unquote(segment), "id" if segment.isdigit() else "token")
        self._learn_data(unquote(parts.path))
        opaque = []
        for piece in parts.query.split("&"):
            key, _, value = piece.partition("=")
            self._learn_value(unquote(key), unquote(value.replace("+", " ")))
            if looks_secret(unquote(value)):
                opaque.append(value)
        self._standins.add_payload(payload, opaque)
