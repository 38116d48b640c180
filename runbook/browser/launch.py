"""Finding a Chromium to drive, and launching it with the options every command shares."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

from runbook.core.errors import MissingDependency

BROWSER_ENV = "TIKTOK_RUNBOOK_BROWSER"
# System browsers Playwright can drive, in order of preference.
SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# Chromium's old headless shell (Debian's `chromium-headless-shell`; Playwright's own build uses its copy the same
# way) is preferred for headless runs. The full browser's headless mode runs the browser's own UI for every page:
# each new page also loads the address bar's popup (a WebUI renderer). A page of the mock, drawn and settled, costs
# 1.27 CPU-seconds there against 0.29 in the shell (`make bench` prints both). The shell cannot show a window, so a
# visible browser is always a full one.
HEADLESS_SHELLS = ("chromium-headless-shell",)
INSTALL_HINT = (
    "no Chromium found: install one with 'sudo apt-get install -y chromium' "
    "(or 'playwright install chromium'), or pass --browser-path / set " + BROWSER_ENV
)


def _playwright_chromium(playwright: Playwright) -> Path | None:
    """Playwright's own Chromium build, when 'playwright install chromium' has been run."""
    try:
        path = Path(playwright.chromium.executable_path)
    except Exception:  # Playwright raises when its browser registry has no entry for this platform
        return None
    return path if path.is_file() else None


def find_browser(playwright: Playwright, override: str | None = None, *, headed: bool = False) -> Path | None:
    """The Chromium to launch: an explicit path, then Playwright's own build, then one on PATH (for a headless
    run, a headless shell first).

    None means Playwright's own build is present and should be launched without an executable path.
    """
    chosen = override or os.environ.get(BROWSER_ENV)
    if chosen:
        path = Path(shutil.which(chosen) or chosen)
        if not path.is_file():
            raise MissingDependency(f"browser not found at {chosen}: {INSTALL_HINT}")
        if headed and path.name in HEADLESS_SHELLS:
            raise MissingDependency(f"{chosen} cannot show a window: {INSTALL_HINT}")
        return path
    if _playwright_chromium(playwright):
        return None
    for name in SYSTEM_BROWSERS if headed else HEADLESS_SHELLS + SYSTEM_BROWSERS:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise MissingDependency(INSTALL_HINT)


NO_DISPLAY_HINT = (
    "no display for a visible browser: run 'tiktok-runbook login' on a machine with a screen and copy the "
    "session file here (keep it mode 0600), run it under xvfb-run, or import an exported session with "
    "'tiktok-runbook login --import FILE'"
)


def has_display() -> bool:
    """Linux needs an X or Wayland server for a headed browser; macOS and Windows always have a screen."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# Pages of one site share a renderer process: connect opens a page per account (up to --concurrency), and a
# renderer of its own for each would cost about three times the memory. One page: no difference.
LAUNCH_ARGS = ("--process-per-site",)


def launch(
    playwright: Playwright,
    *,
    headed: bool = False,
    browser_path: str | None = None,
    traces_dir: Path | None = None,
) -> Browser:
    """`traces_dir`: where Playwright keeps a trace while recording it (a private folder: it holds the session)."""
    executable = find_browser(playwright, browser_path, headed=headed)
    if headed and not has_display():
        raise MissingDependency(NO_DISPLAY_HINT)
    try:
        return playwright.chromium.launch(
            headless=not headed,
            args=list(LAUNCH_ARGS),
            executable_path=str(executable) if executable else None,
            traces_dir=traces_dir,
        )
    except PlaywrightError as error:
        if headed and ("XServer" in str(error) or "DISPLAY" in str(error)):
            raise MissingDependency(NO_DISPLAY_HINT) from None
        raise
