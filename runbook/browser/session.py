"""The browser session: launched with the saved sign-in, traced, and saved back as a private file."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from runbook.browser.launch import launch
from runbook.browser.remote import connected
from runbook.browser.settings import Settings
from runbook.core import interrupt
from runbook.core.errors import BadInput
from runbook.core.paths import APP


def save_storage_state(context: BrowserContext, path: Path) -> Path:
    """The session is a credential: written with mode 0600 from the start, never printed."""
    return write_storage_state(context.storage_state(), path)


def write_storage_state(state: Any, path: Path) -> Path:
    """Writes a storage state (cookies and origins) as a private file: 0600 from the start, replaced atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(state, handle)
    os.chmod(temporary, 0o600)  # in case the file existed with wider permissions
    os.replace(temporary, path)
    return path


@contextmanager
def launched(settings: Settings, traces_dir: Path | None) -> Iterator[Browser]:
    """A Chromium of the command's own (and Playwright's node process for it), closed at the end."""
    with _private_files():
        playwright = sync_playwright().start()
    try:
        with launched_by(playwright, settings, traces_dir) as browser:
            yield browser
    finally:
        playwright.stop()


@contextmanager
def _private_files() -> Iterator[None]:
    """Files Playwright's node process writes (a trace in the making holds the session's cookies) are private from their
    first byte: that process inherits this umask. The folder it writes them in is private too, but after Ctrl-C a
    driver still closing down can write its last events after the runbook has removed that folder: such a file
    (and the folder it makes again for it) must not be readable by others either."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


@contextmanager
def launched_by(playwright: Playwright, settings: Settings, traces_dir: Path | None) -> Iterator[Browser]:
    """A Chromium launched with the command's options through a running Playwright, closed at the end; or, with
    --browser-endpoint, the browser service's (runbook/browser/remote.py)."""
    endpoint = settings.endpoint
    if endpoint is not None:
        with connected(playwright, endpoint) as remote:
            yield remote
        return
    browser = launch(playwright, headed=settings.headed, browser_path=settings.browser_path, traces_dir=traces_dir)
    try:
        yield browser
    finally:
        # After Ctrl-C the browser may be gone already: closing it must not hide why the run ended.
        _quietly(browser.close)


class Recording(Protocol):
    """What records a context (--capture: runbook/capture/recorder.py): its options, and a last look before it
    closes (Playwright writes the HAR on close)."""

    def context_options(self) -> dict[str, Any]: ...

    def closing(self, context: BrowserContext) -> None: ...


BrowserOpener = Callable[[Settings, Path | None], AbstractContextManager[Browser]]
# Where browser_page gets its browser, given the settings and a private folder for a trace in the making. Every
# command launches its own; the test suite swaps in one Chromium for all the commands it runs in-process (each
# still in a fresh context), as starting Playwright's node process and a Chromium costs about a CPU-second each time.
open_browser: BrowserOpener = launched


@contextmanager
def browser_page(settings: Settings, folder: Path | None = None, recording: Recording | None = None) -> Iterator[Page]:
    """A page in a fresh context holding the saved session, if there is one.

    With `--trace` and a run folder, a trace is recorded and kept (mode 0600: it holds the session's cookies)
    only when the block fails, so a successful run leaves no copy of the credential behind. It is off by
    default: it costs a tenth of a run's time and is a second copy of the credential. Playwright writes it into a
    private (0700) folder, so no copy is readable by others at any moment, even a partial one after Ctrl-C.
    """
    session = settings.session_file
    tracing = settings.trace and folder is not None
    private = Path(tempfile.mkdtemp(prefix=".trace-", dir=folder)) if tracing and folder else None
    try:
        with open_browser(settings, private) as browser:
            try:
                # As an object, read here: the browser gets it over the connection (a browser service included),
                # and no file of it is ever written where the browser runs.
                context = browser.new_context(
                    storage_state=_read_state(session) if session.is_file() else None,
                    **(recording.context_options() if recording else {}),
                )
            except PlaywrightError as error:  # cookies Playwright cannot load; their values are never shown
                why = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
                raise BadInput(f"the saved session {session} cannot be loaded ({why}); run {APP} login again") from None
            # Loads and reloads wait --timeout too, not Playwright's 30 s: a page that never loads (or reloads
            # itself forever) fails within the time the message names.
            context.set_default_navigation_timeout(settings.timeout * 1000)
            context.set_default_timeout(settings.timeout * 1000)
            if tracing:
                context.tracing.start(screenshots=True, snapshots=True)
            try:
                yield context.new_page()
            except BaseException as error:
                # None after Ctrl-C or SIGTERM (as the README says): a run that was stopped is not evidence, and
                # the trace is one more copy of the session.
                stopped = isinstance(error, KeyboardInterrupt) or interrupt.received()
                if private and folder and not stopped:
                    _keep_trace(context, private, folder / "trace.zip")
                raise
            else:
                if tracing:
                    _quietly(context.tracing.stop)
            finally:
                if recording is not None:
                    recording.closing(context)
                _quietly(context.close)
    finally:
        if private:
            shutil.rmtree(private, ignore_errors=True)


def _read_state(path: Path) -> Any:
    """The saved session as Playwright's storage state (checked as such before the run: settings.py)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise BadInput(f"the saved session {path} cannot be read; run {APP} login again") from None


def _keep_trace(context: BrowserContext, private: Path, target: Path) -> None:
    """Stops tracing into the private folder, then moves the finished file out as 0600; none if the browser died."""
    written = private / target.name
    try:
        context.tracing.stop(path=written)
    except PlaywrightError:  # TargetClosedError after Ctrl-C: the trace is lost, and no partial copy is left
        return
    os.chmod(written, 0o600)
    os.replace(written, target)


def _quietly(close: Callable[[], object]) -> None:
    with suppress(PlaywrightError):
        close()
