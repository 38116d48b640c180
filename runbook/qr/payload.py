"""What a QR code says, made safe to print, and whether it may be handed to an account owner."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

_UNPRINTABLE = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")  # controls, bidi and other formatting, unassigned


def _unprintable(char: str) -> bool:
    return unicodedata.category(char) in _UNPRINTABLE


def printable(payload: str) -> str:
    """The payload with control and formatting characters escaped (ESC, NUL, newlines, bidi overrides), and
    backslashes doubled so that an escape cannot be forged: safe to print on a terminal, on one line."""
    out = []
    for char in payload:
        point = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif not _unprintable(char):
            out.append(char)
        elif point < 0x100:
            out.append(f"\\x{point:02x}")
        elif point < 0x10000:
            out.append(f"\\u{point:04x}")
        else:
            out.append(f"\\U{point:08x}")
    return "".join(out)


def suspicious(payload: str, expected_origin: str | None = None) -> str | None:
    """Why a payload should not be handed to the account owner, or None when it looks like a Business Center link.

    Business Center's codes are https URLs (research: the authorization URL of /bc/asset/account/authorization/);
    the mock's are http URLs on its own origin, which `expected_origin` (the --base-url) allows.
    """
    if any(_unprintable(char) or char.isspace() for char in payload):
        return "it holds control characters or spaces"
    if "\\" in payload:  # browsers read a backslash as a slash, Python's urlsplit does not: hosts would differ
        return "it holds a backslash"
    try:
        parts = urlsplit(payload)
        port = parts.port
    except ValueError:
        return "it is not a valid address"
    if parts.scheme == "https" and parts.hostname and not parts.username and not parts.password:
        return None
    if expected_origin:
        base = urlsplit(expected_origin)
        default = {"http": 80, "https": 443}
        same = (
            parts.scheme == base.scheme
            and parts.hostname == base.hostname
            and (port or default.get(parts.scheme)) == (base.port or default.get(base.scheme))
            and not parts.username
            and not parts.password
        )
        if same:
            return None
    if parts.scheme == "https":
        return "it is an https address with a user name or no host"
    if parts.scheme:
        return f"it is a {parts.scheme}: address, not https"
    return "it is not an https address"
