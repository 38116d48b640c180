"""The share page's links, kept between runs: a rerun of the same command serves the links already sent.

One file per site and Business Center (the state folder, share/) holds the port the page last listened on and one
token per account (and one for the page of all accounts, under "*"). A token is a credential, like the saved
session: the file is mode 0600 in a folder of mode 0700, and never printed.

    saved = SavedLinks.load(base_url, bc)
    port = saved.port_for(given)          # --share-port, else the last run's, else DEFAULT_SHARE_PORT
    token = saved.token("@a")             # the account's own token, made the first time
    saved.save(port)
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from runbook.core.paths import default_share_dir, keyed_name

# The share page's port when --share-port is not given and no run has chosen one: fixed, so that a link built on
# it (or a reverse proxy pointed at it) stays right from one run to the next.
DEFAULT_SHARE_PORT = 8790
ALL_ACCOUNTS = "*"  # the key of the page that shows every account of the run
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def links_path(base_url: str, bc: str | None) -> Path:
    """The file of one site's Business Center (--bc as given, or "-" for the only one)."""
    key = f"{urlsplit(base_url).netloc.lower()} {bc or '-'}"
    return default_share_dir() / f"{keyed_name(key)}.json"


def _token_ok(token: object) -> bool:
    return isinstance(token, str) and 32 <= len(token) <= 64 and set(token) <= _TOKEN_CHARS


@dataclass
class SavedLinks:
    path: Path
    port: int | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, base_url: str, bc: str | None) -> SavedLinks:
        """What the last run kept; a missing or unreadable file (or a value that is not ours) is a fresh start."""
        path = links_path(base_url, bc)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(raw, dict):
            return cls(path)
        port = raw.get("port")
        tokens = raw.get("tokens")
        tokens = tokens if isinstance(tokens, dict) else {}
        return cls(
            path,
            port if isinstance(port, int) and 0 < port <= 65535 else None,
            {str(key): token for key, token in tokens.items() if _token_ok(token)},
        )

    def port_for(self, given: int | None) -> int:
        """The port to listen on: the one given, else the one the last run listened on, else the fixed default."""
        if given is not None:
            return given
        return self.port or DEFAULT_SHARE_PORT

    def token(self, key: str) -> str:
        """The token of an account's link (or ALL_ACCOUNTS'), made once and kept."""
        if key not in self.tokens:
            self.tokens[key] = secrets.token_urlsafe(24)
        return self.tokens[key]

    def save(self, port: int) -> None:
        """Written whole to a private file and moved into place: a run that dies midway leaves the old one."""
        self.port = port
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"port": port, "tokens": self.tokens}, out, indent=1, sort_keys=True)
        os.replace(partial, self.path)
