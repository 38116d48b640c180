"""Where connect writes the QR code images: checked before any code is requested, never over someone's file."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, PngImagePlugin

from runbook.core.errors import BadInput
from runbook.core.inputs import check_writable
from runbook.core.paths import APP

# A PNG text chunk: a file carrying it was written by this tool and may be replaced by a later run.
_KEY = "Software"


def mark() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text(_KEY, APP)
    return info


def written_by_us(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            return image.format == "PNG" and image.info.get(_KEY) == APP
    except (OSError, ValueError, Image.DecompressionBombError):
        return False


def numbered(path: Path, attempt: int) -> Path:
    """The image of QR code #attempt: qr.png, qr-2.png, qr-3.png..."""
    return path if attempt <= 1 else path.with_name(f"{path.stem}-{attempt}{path.suffix}")


def check_qr_out(path: Path, max_qr: int, *, force: bool) -> Path:
    """Every name the run may write (one per QR code) is a file path in a writable folder, and overwrites
    nothing but an image this tool wrote, unless --force."""
    for attempt in range(1, max_qr + 1):
        target = numbered(path, attempt)
        check_writable("--qr-out", target, folder=False)
        if target.exists() and not force and not written_by_us(target):
            raise BadInput(f"--qr-out {target} exists and is not a QR image {APP} wrote; use --force to replace it")
    return path
