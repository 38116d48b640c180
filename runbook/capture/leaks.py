"""The leak scan: the last word on a capture. Every file of the finished folder is read for every original value
the scrubber replaced, wherever one could still hide: as plain or URL-encoded text, inside gzip files, in base64
bodies of a HAR, in the QR codes of its pictures. A leak names the file and the kind of value, never the value.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import re
import shutil
import zlib
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runbook.capture.qr_swap import is_matrix, payloads_in_image, payloads_in_json, payloads_in_text
from runbook.capture.standins import forms, min_length, pattern

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


@dataclass(frozen=True)
class Leak:
    """An original value found in a capture: where (relative to the capture folder) and what kind of value."""

    file: Path
    kind: str


@dataclass(frozen=True)
class _Matcher:
    regex: re.Pattern[str]
    kinds: dict[str, str]  # every form looked for (as its UTF-8 bytes read as Latin-1) → its kind

    def kinds_in(self, data: bytes) -> set[str]:
        # Latin-1 maps each byte to one character: one str regex reads any file, text or not, byte for byte.
        return {self.kinds[m.group(0)] for m in self.regex.finditer(data.decode("latin-1"))}


def scan(folder: Path, originals: Mapping[str, str] | Iterable[str]) -> list[Leak]:
    """Every (file, kind) of original found in the folder. `originals` is value → kind (Scrubber.originals()), or
    plain values (kind "secret"). Values too short to be told from chance are not looked for (see min_length)."""
    matcher = _matcher(originals)
    if matcher is None:
        return []
    found: set[Leak] = set()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        data, name = path.read_bytes(), path.name
        if name.endswith(".gz"):
            with suppress(OSError, EOFError, zlib.error):  # not gzip after all: read as it is
                data, name = gzip.decompress(data), name[:-3]
        found.update(Leak(path.relative_to(folder), kind) for kind in _kinds(data, name, matcher))
    return sorted(found, key=lambda leak: (str(leak.file), leak.kind))


def remove(folder: Path) -> None:
    """Deletes a capture folder entirely (one that leaked)."""
    if folder.is_symlink():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)


def _matcher(originals: Mapping[str, str] | Iterable[str]) -> _Matcher | None:
    pairs = originals.items() if isinstance(originals, Mapping) else ((value, "secret") for value in originals)
    kinds: dict[str, str] = {}
    for value, kind in pairs:
        if len(value) >= min_length(kind):
            for form, _ in forms(value, value):
                kinds.setdefault(form.encode("utf-8").decode("latin-1"), kind)
    regex = pattern(kinds)
    return _Matcher(regex, kinds) if regex is not None else None


def _kinds(data: bytes, name: str, matcher: _Matcher) -> set[str]:
    """The kinds of original in one file's bytes, its QR codes and, for JSON and HAR files, what they encode."""
    kinds = matcher.kinds_in(data) | _in_picture(data, matcher)
    if name.endswith((".har", ".json")):
        with suppress(ValueError, RecursionError):  # not JSON: its bytes were read above
            kinds |= _in_json(json.loads(data), matcher)
    return kinds


def _in_picture(data: bytes, matcher: _Matcher) -> set[str]:
    if not (data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")):
        return set()
    return _in_payloads(payloads_in_image(data), matcher)


def _in_payloads(payloads: list[str], matcher: _Matcher) -> set[str]:
    return {kind for payload in payloads for kind in matcher.kinds_in(payload.encode("utf-8"))}


def _in_json(value: Any, matcher: _Matcher) -> set[str]:
    """Parsed JSON read through: its strings unescaped, base64 bodies decoded, JSON bodies parsed in turn, and the
    QR codes of their pictures, data: URIs and module matrices decoded."""
    kinds: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            text = item.get("text")
            if item.get("encoding") == "base64" and isinstance(text, str):
                raw = _b64(text)
                kinds |= matcher.kinds_in(raw) | _in_picture(raw, matcher)
            stack.extend(item.values())
        elif isinstance(item, list):
            if is_matrix(item):
                kinds |= _in_payloads(payloads_in_json(item), matcher)
            else:
                stack.extend(item)
        elif isinstance(item, str):
            kinds |= matcher.kinds_in(item.encode("utf-8"))
            if "data:image" in item:
                kinds |= _in_payloads(payloads_in_text(item), matcher)
            if item[:1] in ("{", "["):
                with suppress(ValueError, RecursionError):  # a text that merely starts like JSON
                    stack.append(json.loads(item))
    return kinds


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text)
    except (binascii.Error, ValueError):
        return b""
