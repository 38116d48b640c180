"""`--capture DIR`: what a run saw, recorded as it happens and written only once it is scrubbed.

The browser context records a HAR with every body embedded (Playwright's record_har_path); at each step the page's
DOM is kept as static HTML (snapshot.js). Playwright writes its HAR when the context closes, into a private folder
(mode 0700) in memory-backed /dev/shm where there is one: the raw file is read back and removed at once, and only
its scrubbed copy reaches DIR (runbook/capture/scrub.py). A scan of the finished folder for every original value
must then find nothing; if it finds any, the capture is deleted and the run fails (CaptureLeaked).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page
from playwright.sync_api import Error as PlaywrightError

from runbook import __version__
from runbook.capture import folder as capture_folder
from runbook.capture.leaks import remove, scan
from runbook.capture.scrub import Known, Scrubber
from runbook.core.errors import RunbookError
from runbook.core.events import Reporter
from runbook.core.tutorial import Step

_SNAPSHOT_JS = resources.files("runbook.capture").joinpath("snapshot.js").read_text(encoding="utf-8")
_MEMORY = Path("/dev/shm")


class CaptureLeaked(RunbookError):
    """The scrubbed capture still held an original value: it was deleted (exit 1)."""


class Recorder:
    """Records one run's context; a Watcher of its steps (runbook/steps/run.py) for the DOM snapshots."""

    def __init__(self, target: Path, *, command: str, keep_handles: bool = False, accounts: Iterable[str] = ()) -> None:
        self.folder = target
        self.command = command
        self.keep_handles = keep_handles
        self.known = Known(handles=set(accounts))  # the accounts the run was given, scrubbed wherever they show
        self.snapshots: dict[str, str] = {}
        self._state: dict[str, Any] = {}
        self._raw_folder: Path | None = None  # made when the context is, so a run refused before leaves none

    @property
    def _raw(self) -> Path:
        if self._raw_folder is None:
            where = _MEMORY if _MEMORY.is_dir() and _writable(_MEMORY) else None
            self._raw_folder = Path(tempfile.mkdtemp(prefix="tiktok-runbook-capture-", dir=where))  # 0700
        return self._raw_folder

    # The browser context's side (runbook/browser/session.py) ---------------------------------------------------

    def context_options(self) -> dict[str, Any]:
        return {
            "record_har_path": str(self._raw / "raw.har"),
            "record_har_content": "embed",
            "record_har_mode": "full",
        }

    def closing(self, context: BrowserContext) -> None:
        """Just before the context closes: its cookies and local storage, every value a secret to scrub."""
        with suppress(PlaywrightError):
            self._state = dict(context.storage_state())

    # The steps' side (a Watcher) -------------------------------------------------------------------------------

    def target(self, step: Step, control: Locator) -> None:
        return None

    def problem(self, step: Step, page: Page) -> None:
        self._snapshot(step, page)

    def taken(self, step: Step, page: Page, result: Any) -> None:
        self._snapshot(step, page)

    def shot(self, step: Step) -> Path | None:
        return None

    def _snapshot(self, step: Step, page: Page) -> None:
        with suppress(PlaywrightError):  # a page that navigates away mid-snapshot: the step still counts
            self.snapshots[step.slug] = page.evaluate(_SNAPSHOT_JS)

    def saw_qr(self, payload: str) -> None:
        """A payload the run decoded at step 5: scrubbed wherever it appears, and its picture redrawn."""
        self.known.qr_payloads.add(payload)

    # After the context closed ----------------------------------------------------------------------------------

    def finish(
        self, steps: list[dict[str, Any]], reporter: Reporter, *, tutorial: str, tutorial_hash: str, verdict: str
    ) -> Path:
        """Scrubs what was recorded, writes DIR, scans it, and says where it is; the raw HAR is gone whatever
        happens."""
        try:
            har = json.loads((self._raw / "raw.har").read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise RunbookError(f"--capture {self.folder}: the browser recorded no HAR ({error})") from None
        finally:
            self.discard()
        scrubber = Scrubber(self.known, keep_handles=self.keep_handles)
        scrubber.learn_storage(self._state)
        scrubber.learn_har(har)
        for html in self.snapshots.values():
            scrubber.learn_html(html)
        info = {
            "tool": capture_folder.TOOL,
            "version": __version__,
            "command": self.command,
            "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "tutorial": tutorial,
            "tutorial_hash": tutorial_hash,
            "verdict": verdict,
            "steps": [_scrubbed(step, scrubber) for step in steps],
            "qr_payloads": scrubber.standin_payloads(),  # stand-ins: what replay re-points at its own address
        }
        written = capture_folder.write(
            self.folder,
            scrubber.har(har),
            {name: scrubber.html(html) for name, html in self.snapshots.items()},
            info,
            scrubber.report(),
        )
        leaks = scan(written, scrubber.originals())
        if leaks:
            remove(written)
            where = ", ".join(sorted({f"{leak.kind} in {leak.file}" for leak in leaks}))
            raise CaptureLeaked(f"--capture {self.folder}: scrubbing missed {where}; the capture was deleted")
        reporter.say(f"Capture: {written} (scrubbed; replay it with: mock --replay {written})")
        reporter.emit("capture", folder=str(written))
        return written

    def discard(self) -> None:
        if self._raw_folder is not None:
            shutil.rmtree(self._raw_folder, ignore_errors=True)


def _scrubbed(value: Any, scrubber: Scrubber) -> Any:
    if isinstance(value, str):
        return scrubber.text(value)
    if isinstance(value, list):
        return [_scrubbed(item, scrubber) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, scrubber) for key, item in value.items()}
    return value


def _writable(folder: Path) -> bool:
    try:
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True
