"""qr: what the runbook knows of QR codes, for a person with an image (a sub-app: `tiktok-runbook qr decode`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="QR codes in images: decode them.", no_args_is_help=True, rich_markup_mode=None)


@app.command()
def decode(
    image: Annotated[Path, typer.Argument(help="A screenshot or photo holding QR codes (PNG, JPEG, WebP, GIF, BMP).")],
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"codes": [{"payload", "position"}]} instead of lines.')
    ] = False,
) -> None:
    """Decode every QR code in an image: each payload on its own line (escaped), the codes drawn on stderr.

    Exits 1 when the image holds no readable code, 2 when the file is not an image or is too large.

    Example: tiktok-runbook qr decode screenshot.png --json
    """
    from runbook.qr.report import report_codes

    report_codes(image, as_json=as_json)
