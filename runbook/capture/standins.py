"""Stand-ins for what a capture must not keep, and the one regex that puts them in place.

The same original always gets the same stand-in, of the same shape (digits for digits, a token of the same length
and character classes, a QR payload URL of the same length and origin), so an app served the scrubbed capture still
works: the org id in its URL is the org id in its JSON and in its script. Stand-ins are numbered in the order the
originals were first seen, never derived from an original's value (a hash of a short secret could be reversed).
"""

from __future__ import annotations

import hashlib
import html
import re
import string
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

MIN_LENGTH = 6  # shorter values match by chance: replaced only where they stand whole (a JSON value), not inside text
WORD_MIN_LENGTH = 3  # handles and names are matched between word boundaries, so "@ab" is safe to replace everywhere
BARE_MIN_LENGTH = 5  # a handle without its "@" is a plain word in scripts: only long ones are replaced inside text
# Characters that must not touch a match on either side, per kind: an id inside a longer run of digits is another
# number, "@acme" inside "bob@acme.com" is not a handle, "Lee" inside "Leeds" is not a name.
_EDGES = {"id": (r"\d", r"\d"), "handle": (r"[\w.@]", r"\w|\.\w"), "name": (r"\w", r"\w")}


def min_length(kind: str) -> int:
    """How long an original must be to be replaced (and looked for) inside any text."""
    return WORD_MIN_LENGTH if kind in ("handle", "name") else MIN_LENGTH


def forms(original: str, standin: str) -> Iterator[tuple[str, str]]:
    """The original as text may hold it, and the stand-in in the same dress: plain, URL-encoded (both ways), with
    JSON's escaped slashes, HTML-escaped."""
    yield original, standin
    for dress in (lambda v: quote(v, safe=""), lambda v: quote_plus(v, safe=""), _json_slashes, html.escape):
        if dress(original) != original:
            yield dress(original), dress(standin)


def _json_slashes(value: str) -> str:
    return value.replace("/", "\\/")


def pattern(entries: Mapping[str, str]) -> re.Pattern[str] | None:
    """One regex matching every entry (text → kind) with its kind's edges, built as a trie: each position of a text
    costs one walk down it rather than one try per entry, and a longer entry is tried before a shorter one that
    starts the same (a token inside a payload, an id inside a longer id)."""
    if not entries:
        return None
    trie: dict[str, Any] = {}  # a character → the node after it; "" → the end of an entry: its edges
    for text, kind in entries.items():
        node = trie
        for char in text:
            node = node.setdefault(char, {})
        before, after = _EDGES.get(kind, ("", ""))
        node[""] = (f"(?<!{before}{re.escape(text)})" if before else "") + (f"(?!{after})" if after else "")
    return re.compile(_branch(trie))


def _branch(node: dict[str, Any]) -> str:
    alternatives = []
    for char, child in node.items():
        if char == "":
            continue
        chain = re.escape(char)
        while len(child) == 1 and "" not in child:  # a run of single children is one literal
            ((next_char, child),) = child.items()
            chain += re.escape(next_char)
        alternatives.append(chain + _branch(child))
    if "" in node:
        alternatives.append(node[""])  # ending here is tried last: every longer entry first
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


_CLASSES = (string.digits, string.ascii_lowercase, string.ascii_uppercase)


def _stream(seed: str, length: int) -> bytes:
    """Deterministic bytes for a stand-in: the same seed (kind and number) gives the same stand-in every run."""
    out = b""
    while len(out) < length:
        out += hashlib.sha256(f"{seed}:{len(out)}".encode()).digest()
    return out[:length]


def shaped(original: str, seed: str) -> str:
    """A stand-in of the same length and character classes: digits stay digits, lower and upper case letters stay
    so (hex stays hex), every other character is kept; so a token in a URL path stays URL-safe."""
    hex_alphabet = next((a for a in ("0123456789abcdef", "0123456789ABCDEF") if set(original) <= set(a)), None)
    out = []
    for char, byte in zip(original, _stream(seed, len(original)), strict=True):
        alphabet = hex_alphabet
        if alphabet is None and char.isascii():
            alphabet = next((a for a in _CLASSES if char in a), None)
        out.append(alphabet[byte % len(alphabet)] if alphabet else char)
    return "".join(out)


class Standins:
    """Every original met so far, its kind and its stand-in; QR payloads get theirs last (see payload_standin)."""

    def __init__(self) -> None:
        self._standin: dict[str, str] = {}  # original → stand-in
        self._kind: dict[str, str] = {}  # original → kind
        self._everywhere: dict[str, tuple[str, str]] = {}  # text replaced inside any text → (stand-in, kind)
        self._issued: set[str] = set()  # stand-ins given out: never learned as originals when met again
        self._numbers: Counter[str] = Counter()
        self._handles: dict[str, int] = {}  # a handle without "@", lower case → its number
        self._pending: list[str] = []  # QR payloads: their stand-in waits until every token in them is known
        self._opaque: dict[str, list[str]] = {}  # a QR payload → its query values to reshape inside it only
        self._regex: re.Pattern[str] | None = None
        self._stale = False
        self.counts: Counter[str] = Counter()  # replacements made inside texts, per kind

    def add(self, original: str, kind: str, standin: str | None = None) -> None:
        """Learn an original (again: nothing changes); `standin` ties it to another form's (a phone's digits)."""
        if not original or original in self._kind or original in self._issued:
            return
        self._kind[original] = kind
        if kind == "qr" and standin is None:
            self._pending.append(original)
            return
        self._set(original, standin or self._new(original, kind))

    def add_payload(self, payload: str, opaque: list[str]) -> None:
        """A QR payload, with the query values (as the URL holds them) its stand-in reshapes when no learned
        original covers them: reshaped inside the payload only, since a tracking value like `ref=abcdefgh…` may
        also be a run of a bundle's alphabet string, which must not change."""
        self._opaque.setdefault(payload, opaque)
        self.add(payload, "qr")

    def add_handle(self, bare: str) -> None:
        """A handle as "@name" and as the bare "name" APIs send: @account1 and account1."""
        number = self._handles.setdefault(bare.lower(), len(self._handles) + 1)
        self.add("@" + bare, "handle", f"@account{number}")
        if len(bare) >= BARE_MIN_LENGTH:
            self.add(bare, "handle", f"account{number}")

    def standin(self, original: str) -> str | None:
        """The stand-in of a value known whole (even a short one), or None."""
        self._resolve()
        return self._standin.get(original)

    def whole(self, value: str) -> str | None:
        """The stand-in of a value that is an original whole (a JSON value, even a short one), counted; or None."""
        standin = self.standin(value)
        if standin is not None:
            self.counts[self._kind[value]] += 1
        return standin

    def sub(self, text: str) -> str:
        """The text with every original long enough replaced, in one pass."""
        self._resolve()
        if self._stale:
            self._regex = pattern({form: kind for form, (_, kind) in self._everywhere.items()})
            self._stale = False
        if self._regex is None or not text:
            return text
        return self._regex.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        standin, kind = self._everywhere[match.group(0)]
        self.counts[kind] += 1
        return standin

    def originals(self) -> dict[str, str]:
        """Every original replaced inside texts → its kind: what a leak scan looks for."""
        self._resolve()
        return {o: k for o, k in self._kind.items() if len(o) >= min_length(k) and o in self._everywhere}

    def payloads(self) -> dict[str, str]:
        """Original QR payload → its stand-in."""
        self._resolve()
        return {o: self._standin[o] for o, k in self._kind.items() if k == "qr" and o in self._standin}

    def _set(self, original: str, standin: str) -> None:
        kind = self._kind[original]
        self._standin[original] = standin
        self._issued.add(standin)
        if len(original) >= min_length(kind):
            for form, form_standin in forms(original, standin):
                self._everywhere.setdefault(form, (form_standin, kind))
            self._stale = True

    def _new(self, original: str, kind: str) -> str:
        """The next stand-in of the kind; never one that is an original itself."""
        while True:
            self._numbers[kind] += 1
            number = self._numbers[kind]
            if kind == "email":
                candidate = f"person{number}@example.invalid"
            elif kind == "phone":
                candidate = f"+1{number:010d}"
            elif kind == "name":
                candidate = f"Account {number}"
            elif kind == "handle":
                candidate = f"@account{number}"
            elif original.isdigit() and len(original) > len(str(number)):
                candidate = "1" + str(number).zfill(len(original) - 1)  # 1000000000000000001: a number, same length
            else:
                candidate = shaped(original, f"{kind}:{number}")
            if candidate != original and candidate not in self._kind:
                return candidate

    def _resolve(self) -> None:
        """Stand-ins for the QR payloads learned so far, made of the stand-ins of what they contain."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        inner = pattern({form: kind for form, (_, kind) in self._everywhere.items() if kind != "qr"})
        for payload in pending:
            self._set(payload, self.payload_standin(payload, inner))

    def payload_standin(self, payload: str, inner: re.Pattern[str] | None) -> str:
        """The payload with the same scheme, host and port, and the stand-ins of the tokens, ids and e-mails its
        path and query hold (the token in /authorize/<token> becomes the token's stand-in everywhere else too),
        its opaque query values reshaped; when none of that changed it, its path and query reshaped whole."""
        parts = urlsplit(payload)
        head = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        rest = payload[len(head) :]
        if inner is not None:
            rest = inner.sub(lambda m: self._everywhere[m.group(0)][0], rest)
        for number, value in enumerate(self._opaque.get(payload, [])):
            rest = rest.replace(f"={value}", "=" + shaped(value, f"qr:{len(self._standin)}:{number}"))
        if head + rest == payload:
            rest = shaped(rest, f"qr:{len(self._standin)}")
        return head + rest
