"""Step 5's second half: read the QR off the screen and hand it to the account owner."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from runbook import qr
from runbook.core.errors import BadInput, QrUnreadable
from runbook.core.outputs import writing
from runbook.pages.request_access import RequestAccessDialog
from runbook.qr.out import numbered
from runbook.steps.run import Run

# "Expires in 1:59" or "expires in 119 s": what the dialog says of the code's lifetime, if anything.
_COUNTDOWN = re.compile(r"(\d+):([0-5]\d)\b|(\d+)\s*(?:s|sec|seconds)\b", re.IGNORECASE)


def countdown_seconds(dialog_text: str) -> int | None:
    """What the dialog's countdown says is left of the code's life, in seconds; None where it shows none."""
    match = _COUNTDOWN.search(dialog_text)
    if not match:
        return None
    return int(match[1]) * 60 + int(match[2]) if match[1] else int(match[3])


def expires_at(dialog_text: str) -> str | None:
    seconds = countdown_seconds(dialog_text)
    if seconds is None:
        return None
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def read_qr(run: Run, dialog: RequestAccessDialog, attempt: int) -> tuple[str, str]:
    """The payload and the picture it was read from: the QR element's source at a known scale (its image, its
    canvas's bitmap, its svg rendered large, or a scaled screenshot), else its screenshot, else the whole dialog's
    (a frame may hide the element). The element's screenshot is kept in the run folder for the person.

    A code that cannot be read is step 5 failing (exit 1), not bad input: the pictures are the evidence.
    """
    capture = run.folder / f"qr-capture-{attempt}.png"
    with writing(f"the run folder {run.folder}", "at step 5"):
        capture.write_bytes(dialog.capture())
    source = dialog.capture_source()
    try:
        return qr.decode(source.image), source.source
    except (QrUnreadable, BadInput):
        kept = run.folder / f"qr-source-{attempt}.img"  # PNG, or whatever format the page's image has
        kept.write_bytes(source.image)
    try:
        return qr.decode(capture), "screenshot"
    except (QrUnreadable, BadInput):
        whole = run.folder / f"qr-dialog-{attempt}.png"
        with writing(f"the run folder {run.folder}", "at step 5"):
            whole.write_bytes(dialog.capture_dialog())
    try:
        return qr.decode(whole), "dialog screenshot"
    except (QrUnreadable, BadInput):
        pictures = f"{kept.name} from the {source.source}, {capture.name}, {whole.name}"
        hint = f"no decoder read the QR code (pictures: {pictures})"
        raise run.failure(run.driver.tutorial.step(5), "a QR code that can be read", [], hint) from None


def checked_qr(run: Run, dialog: RequestAccessDialog, attempt: int) -> tuple[str, str]:
    """The payload and its picture's source (read_qr), refused when it does not lead to Business Center: never hand
    the owner a code to elsewhere."""
    payload, source = read_qr(run, dialog, attempt)
    run.saw_qr(payload)
    reason = qr.suspicious(payload, run.settings.base_url)
    if reason:
        shown = qr.printable(payload)
        shown = shown if len(shown) <= 120 else shown[:117] + "..."
        expected = "a QR code that leads to Business Center (an https address)"
        raise run.failure(run.driver.tutorial.step(5), expected, [shown], f"the code was not shared: {reason}")
    return payload, source


@dataclass(frozen=True)
class HandedOff:
    """A code handed to its owner: what it encodes, and its life in seconds as its countdown said (if shown)."""

    payload: str
    lifetime: int | None


def hand_off(
    run: Run, dialog: RequestAccessDialog, account: str, attempt: int, png: Path | None, *, drawn: bool = True
) -> HandedOff:
    """Decode, write a clean PNG, draw the code in the terminal (`drawn`), and emit the qr event. The drawing
    comes last, under its header and details, so a terminal's last screen shows it whole."""
    # The countdown is read with the code it counts for: once the PNG is out, the owner may scan (or the code
    # expire) and the dialog move on, or close by itself.
    text = dialog.text()
    lifetime, until = countdown_seconds(text), expires_at(text)
    payload, source = checked_qr(run, dialog, attempt)
    target = numbered(png or run.folder / "qr.png", attempt)
    with writing(f"--qr-out {target}" if png else f"the QR image {target}", "at step 5"):
        qr.write_png(payload, target)
    reporter = run.reporter
    # Details first, then the header and the drawing: on a 24-row terminal the last screen holds the header and
    # the code whole (the details are in the events and the run folder too). The header fits 80 columns.
    reporter.say(f"\npayload: {payload}\nimage:   {target}" + (f"\nexpires: {until}" if until else ""))
    reporter.say(f"QR code #{attempt} for {account}: scan in TikTok › Profile › Find Friends")
    if drawn:
        reporter.show_code(qr.terminal(payload, invert=reporter.colour))  # dark modules when drawn black on white
    # source: what the code was read from (runbook/browser/capture.py): "img", "canvas", "svg", "scaled screenshot ×N"
    reporter.emit(
        "qr", account=account, payload=payload, png=str(target), expires_at=until, attempt=attempt, source=source
    )
    return HandedOff(payload, lifetime)
