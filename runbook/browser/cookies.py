"""An exported session for `login --import`: a Playwright storage state, or a browser extension's cookie export
(a JSON array, as Cookie-Editor and EditThisCookie write it), reduced to the cookies Business Center gets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from runbook.core.errors import BadInput
from runbook.core.input_files import MB, read_text_capped

# A storage state of a signed-in Business Center is tens of kB; an extension's export of every site's cookies a
# few MB. A cookie's name and value together: 4096 bytes, the limit browsers keep (RFC 6265, section 6.1).
MAX_EXPORT_BYTES = 16 * MB
MAX_COOKIE_BYTES = 4096

# Extensions write chrome.cookies' names; Playwright wants the header's.
_SAME_SITE = {"no_restriction": "None", "none": "None", "lax": "Lax", "strict": "Strict"}


def _domain_matches(host: str, domain: str) -> bool:
    """Whether a browser would send a cookie of `domain` to `host`: ".tiktok.com" covers its subdomains, a
    domain without the leading dot is host-only (Playwright's convention)."""
    domain = domain.lower()
    return host == domain.lstrip(".") or (domain.startswith(".") and host.endswith(domain))


def _cookie(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not all(isinstance(raw.get(key), str) for key in ("name", "value", "domain")):
        raise BadInput(f"{where}: not a cookie (needs name, value and domain)")
    size = len(raw["name"].encode()) + len(raw["value"].encode())
    if size > MAX_COOKIE_BYTES or len(raw["domain"]) > 253:  # a browser drops such a cookie; never echoed
        raise BadInput(f"{where}: a cookie of {size} bytes (browsers keep at most {MAX_COOKIE_BYTES})")
    expires = raw.get("expires", raw.get("expirationDate"))
    if raw.get("session") or not isinstance(expires, (int, float)) or expires <= 0:
        expires = -1
    secure = bool(raw.get("secure"))
    same_site = raw.get("sameSite")
    same_site = same_site if same_site in ("Strict", "Lax", "None") else _SAME_SITE.get(str(same_site).lower(), "Lax")
    if same_site == "None" and not secure:  # Chromium drops SameSite=None without Secure
        same_site = "Lax"
    domain = raw["domain"]
    if raw.get("hostOnly"):
        domain = domain.lstrip(".")
    elif raw.get("hostOnly") is False and not domain.startswith("."):  # an extension's domain cookie
        domain = "." + domain
    return {
        "name": raw["name"],
        "value": raw["value"],
        "domain": domain,
        "path": raw.get("path") if isinstance(raw.get("path"), str) and raw["path"].startswith("/") else "/",
        "expires": float(expires),
        "httpOnly": bool(raw.get("httpOnly")),
        "secure": secure,
        "sameSite": same_site,
    }


def read_export(path: Path, base_url: str) -> dict[str, Any]:
    """The storage state to save: only what the base URL's host would receive. Never echoes a cookie."""
    text = read_text_capped(path, f"--import {path}", MAX_EXPORT_BYTES)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BadInput(f"--import {path}: not a JSON session export") from None
    if isinstance(data, dict) and isinstance(data.get("cookies"), list):
        raw_cookies, origins = data["cookies"], data.get("origins") or []
    elif isinstance(data, list):
        raw_cookies, origins = data, []
    else:
        raise BadInput(
            f"--import {path}: neither a Playwright storage state nor a cookie export (a JSON array of cookies)"
        )
    host = (urlsplit(base_url).hostname or "").lower()
    cookies = [_cookie(raw, f"--import {path}, cookie #{n}") for n, raw in enumerate(raw_cookies, 1)]
    ours = [cookie for cookie in cookies if _domain_matches(host, cookie["domain"])]
    if not ours:
        raise BadInput(
            f"--import {path}: no cookies for {host}; export them while signed in to Business Center at {base_url}"
        )
    kept_origins = [
        origin
        for origin in origins
        if isinstance(origin, dict) and (urlsplit(str(origin.get("origin", ""))).hostname or "").lower() == host
    ]
    return {"cookies": ours, "origins": kept_origins}
