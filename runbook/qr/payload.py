"""What a QR code says, made safe to print, and whether it may be handed to an account owner."""

from __future__ import annotations

from urllib.parse import urlsplit

from runbook.core.text import printable, unprintable

__all__ = ["printable", "suspicious"]


def suspicious(payload: str, expected_origin: str | None = None) -> str | None:
    """Why a payload should not be handed to the account owner, or None when it looks like a Business Center link.

    Business Center's codes are https URLs (research: the authorization URL of /bc/asset/account/authorization/);
    the mock's are http URLs on its own origin, which `expected_origin` (the --base-url) allows.
    """
    if any(unprintable(char) or char.isspace() for char in payload):
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
