"""The browser session: launched with the saved sign-in, traced, and saved back as a private file."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, sync_playwright

from runbook.browser import launch
from runbook.settings import Settings


def save_storage_state(context: BrowserContext, path: Path) -> Path:
    """The session is a credential: written with mode 0600 from the start, never printed."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    state = context.storage_state()
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(state, handle)
    os.chmod(temporary, 0o600)  # in case the file existed with wider permissions
    os.replace(temporary, path)
    return path


@contextmanager
def browser_page(settings: Settings, folder: Path | None = None) -> Iterator[Page]:
    """A page in a fresh context holding the saved session, if there is one.

    With `--trace` and a run folder, a trace is recorded and kept (mode 0600: it holds the session's cookies)
    only when the block fails, so a successful run leaves no copy of the credential behind. It is off by
    default: it costs a tenth of a run's time and is a second copy of the credential.
    """
    session = settings.session_file
    with sync_playwright() as playwright:
        browser = launch(playwright, headed=settings.headed, browser_path=settings.browser_path)
        context = browser.new_context(storage_state=str(session) if session.is_file() else None)
        tracing = settings.trace and folder is not None
        if tracing:
            context.tracing.start(screenshots=True, snapshots=True)
        try:
            yield context.new_page()
        except BaseException:
            if tracing:
                trace = folder / "trace.zip"
                context.tracing.stop(path=trace)
                os.chmod(trace, 0o600)
            raise
        else:
            if tracing:
                context.tracing.stop()
        finally:
            context.close()
            browser.close()
