"""What every browser command is told (base URL, session, browser, time-outs, where to write), checked before
a browser opens. The command line fills it in from the options every browser command shares (runbook/cli/options.py).
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from runbook.browser.remote import Endpoint
from runbook.core.errors import BadInput
from runbook.core.input_files import MB, read_capped
from runbook.core.inputs import MAX_TIMEOUT_SECONDS, check_seconds, check_writable, is_local
from runbook.core.paths import APP, default_runs_dir, default_storage_state
from runbook.core.tutorial import Tutorial, TutorialError
from runbook.core.tutorial import load as load_tutorial

DEFAULT_BASE_URL = "https://business.tiktok.com"
# A signed-in Business Center's storage state is tens of kB; Playwright loads it whole into the browser.
MAX_SESSION_BYTES = 16 * MB


# What an address may hold between "//" and the path: a host name or IPv4/IPv6 literal and a port. Anything
# else (userinfo, "\\", "%", spaces) is where Python's parser and the browser's (WHATWG) disagree about the host.
_AUTHORITY = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\]")


def check_base_url(url: str) -> str:
    """https anywhere; plain http only to this machine, since the saved session would travel in clear.

    Only plain addresses are accepted, so that the host checked here is the host the browser opens.
    """
    _, sep, rest = url.partition("://")
    authority = re.split(r"[/?#\\]", rest, maxsplit=1)[0] if sep else ""
    if "@" in authority:  # never echoed: it may hold a password
        raise BadInput("--base-url must not carry a user name or password; sign in with 'tiktok-runbook login'")
    if any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in url) or "\\" in url:
        raise BadInput(f"--base-url {url!r} holds a space, control character, backslash or non-ASCII character")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"--base-url must be an http(s) URL, got {url!r} (example: --base-url {DEFAULT_BASE_URL})")
    host, _, port = parts.netloc.rpartition(":") if not parts.netloc.endswith("]") else (parts.netloc, "", "")
    if not host or (port and not port.isdigit()):
        host, port = parts.netloc, ""
    if not _AUTHORITY.fullmatch(host) or (port and not 0 < int(port) < 65536):
        raise BadInput(f"--base-url {url!r}: not a plain host name or address with an optional port")
    if parts.scheme == "http" and not is_local(parts.hostname):
        raise BadInput(
            f"--base-url {url!r} is plain http to another host: the session would travel in clear; use https"
        )
    return url.rstrip("/")


def check_storage_state(path: Path, *, explicit: bool) -> None:
    """A saved session must be a JSON object of at most MAX_SESSION_BYTES; one readable by others is tightened to
    0600 with a warning (a symlink's target is not: the link may point at a file of someone else's)."""
    name = f"--storage-state {path}" if explicit else f"the saved session {path}"
    if not explicit and not os.path.lexists(path):
        return
    if explicit and not path.exists():
        raise BadInput(f"--storage-state {path}: no such file (create it with: {APP} login)")
    if path.is_file() and not os.access(path, os.R_OK):
        raise BadInput(f"{name}: not readable")
    data = read_capped(path, name, MAX_SESSION_BYTES)
    try:
        state = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        state = None
    cookies = state.get("cookies", []) if isinstance(state, dict) else None
    if not isinstance(cookies, list) or not all(
        isinstance(c, dict) and isinstance(c.get("name"), str) and isinstance(c.get("value"), str) for c in cookies
    ):
        raise BadInput(f"{name}: not a saved session (a JSON object with cookies); create it again with: {APP} login")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        try:
            if path.is_symlink():
                raise PermissionError("a symlink's target is not changed")
            os.chmod(path, 0o600)
        except OSError:
            raise BadInput(f"{name} is readable by others (mode {mode:04o}); chmod 600 {path.resolve()}") from None
        print(
            f"{APP}: warning: {path} was readable by others (mode {mode:04o}); it is a credential, now mode 0600",
            file=sys.stderr,
        )


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_BASE_URL
    storage_state: Path | None = None  # None: the default path, used only if it exists
    headed: bool = False
    browser_path: str | None = None
    bc: str | None = None
    timeout: float = 15.0
    events: str | None = None
    run_dir: Path | None = None
    trace: bool = False
    # A browser service instead of a local launch (runbook/browser/remote.py). The endpoint's query and the
    # headers may hold a token: neither is in the repr.
    browser_endpoint: str | None = field(default=None, repr=False)
    browser_headers: tuple[str, ...] = field(default=(), repr=False)
    expose_network: str | None = None

    @property
    def endpoint(self) -> Endpoint | None:
        """The browser service to connect to, checked; None: launch a browser here."""
        if not self.browser_endpoint:
            if self.browser_headers or self.expose_network is not None:
                raise BadInput("--browser-header and --expose-network need --browser-endpoint")
            return None
        return Endpoint.build(
            self.browser_endpoint, tuple(self.browser_headers), self.expose_network, base_url=self.base_url
        )

    tutorial: Path | None = None  # None: the packaged runbook/tutorial.toml

    def tutorial_data(self) -> Tutorial:
        """The tutorial every step reads its labels from (checked already by validated())."""
        return load_tutorial(self.tutorial)

    @property
    def session_file(self) -> Path:
        return self.storage_state or default_storage_state()

    def run_folder(self, command: str) -> Path:
        """Where this run's screenshots, QR image and trace go: a new private (0700) folder for every run.

        mkdtemp makes the name unique and the folder 0700 in one step, so two runs started in the same second
        never share a folder (nor a qr.png), and a trace written there is never readable by others.
        """
        try:
            if self.run_dir is not None:
                self.run_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
                return self.run_dir
            runs = default_runs_dir()
            runs.mkdir(parents=True, exist_ok=True, mode=0o700)
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            return Path(tempfile.mkdtemp(prefix=f"{stamp}-{command}-", dir=runs))
        except OSError as error:
            raise BadInput(f"cannot create the run folder: {error.strerror or error} ({error.filename})") from None

    def validated(self, *, reads_session: bool = True) -> Settings:
        """Checks the options; `reads_session` is False for login, which writes the session file."""
        check_base_url(self.base_url)
        if reads_session:
            check_storage_state(self.session_file, explicit=self.storage_state is not None)
        check_seconds("--timeout", self.timeout, MAX_TIMEOUT_SECONDS)
        if self.run_dir is not None:
            check_writable("--run-dir", self.run_dir, folder=True)
        else:
            check_writable("the run folder", default_runs_dir(), folder=True)
        if self.events and self.events != "-":
            check_writable("--events", Path(self.events), folder=False)
        if self.endpoint is not None:
            if self.browser_path:
                raise BadInput(
                    "--browser-path launches a browser here; with --browser-endpoint the service has its own"
                )
            if self.trace:  # the trace would be recorded on the service's disk, and it holds the session
                raise BadInput(
                    "--trace needs a browser launched here: on a browser service the trace, which holds "
                    "the session, would be written on its disk"
                )
        if self.tutorial is not None:
            try:
                load_tutorial(self.tutorial)
            except TutorialError as error:
                raise BadInput(f"--tutorial {error}") from None
        return self
