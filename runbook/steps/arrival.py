"""Step 1: open Business Center and make sure the browser is signed in, choosing a Business Center if asked."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

from runbook.browser.reachability import net_error
from runbook.core.errors import BadInput, ControlNotFound, NotSignedIn, SiteUnreachable
from runbook.pages.picker import BusinessCenterPicker
from runbook.pages.shell import Shell
from runbook.pages.sign_in import Landing, SignInCheck
from runbook.steps.run import Run


def pick_center(run: Run) -> str:
    """Chooses the Business Center --bc names (or the only one); returns its name as its card shows it."""
    picker = BusinessCenterPicker(run.driver)
    centers = picker.centers()
    wanted = run.settings.bc
    listing = "; ".join(f"{name} (--bc {center_id})" for center_id, name in centers)
    if wanted:
        chosen = [cid for cid, name in centers if wanted == cid or wanted.casefold() == name.casefold()]
        if not chosen:
            raise BadInput(f"no Business Center {wanted!r} here; there are: {listing}")
        picker.choose(chosen[0])
        return dict(centers)[chosen[0]]
    if len(centers) == 1:
        picker.choose(centers[0][0])
        return centers[0][1]
    raise BadInput(f"you have {len(centers)} Business Centers; choose one with --bc: {listing}")


def arrive(run: Run) -> Shell:
    """Open the base URL and read from the page, not from whether a session file exists, if we are signed in."""
    try:
        run.driver.page.goto(run.settings.base_url)
    except PlaywrightError as error:
        failure = net_error(str(error))  # not Chromium's error page, with its buttons as "nearest names"
        if failure is None:
            raise
        step = run.driver.tutorial.step(1)
        raise SiteUnreachable(run.settings.base_url, step.number, step.title, failure) from None
    check = SignInCheck(run.driver)
    landing = check.landing()
    picked = None
    if landing is Landing.PICKER:
        picked = pick_center(run)
        landing = check.landing()
    if landing is Landing.LOGIN:
        raise NotSignedIn(
            f"not signed in to {run.settings.base_url}: run 'tiktok-runbook login' first "
            f"(it saves the session to {run.settings.session_file})"
        )
    if landing is None:
        raise ControlNotFound("the Business Center left-hand menu", run.driver.visible_names(), timed_out=True)
    return Shell(run.driver, picked=picked)


def sign_in(run: Run) -> Shell:
    """Step 1, reported as a step."""
    with run.step(1):
        return arrive(run)
