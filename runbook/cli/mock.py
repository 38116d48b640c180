"""mock: the bundled mock Business Center, served until Ctrl-C; its choices are the mock's own Enums."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from runbook.core.errors import BadInput
from runbook.fixtures.config import Edition, Markup, MockConfig, QrRender, VendorMissing

DEFAULT = MockConfig()


def mock(
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0: any free port).")] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    edition: Annotated[
        Edition, typer.Option("--edition", help="tutorial, wizard, or a drifted twin (see README).")
    ] = Edition(DEFAULT.edition),
    qr_lifetime: Annotated[float, typer.Option("--qr-lifetime", help="Seconds a QR code stays valid.")] = 120,
    qr_render: Annotated[QrRender, typer.Option("--qr-render", help="How the QR is drawn.")] = QrRender(
        DEFAULT.qr_render
    ),
    qr_size: Annotated[
        int, typer.Option("--qr-size", help="The QR code's side in CSS px (0: the page's own, 180).")
    ] = DEFAULT.qr_size,
    delay: Annotated[float, typer.Option("--delay", help="Seconds each API answer is held back.")] = DEFAULT.delay,
    require_login: Annotated[bool, typer.Option("--require-login", help="Ask for the mock's login form.")] = False,
    markup: Annotated[
        Markup,
        typer.Option(
            "--markup",
            help="How pages are marked up: aria, bare (no roles), mui (Material UI's DOM), or drawn by a real"
            " component library: arco (Arco Design) or semi (Semi Design), installed by make vendor.",
        ),
    ] = Markup(DEFAULT.markup),
    rerender: Annotated[
        float, typer.Option("--rerender", help="Seconds until buttons are swapped for fresh nodes (0: never).")
    ] = DEFAULT.rerender,
    replay: Annotated[
        Path | None,
        typer.Option(
            "--replay",
            help="Serve a capture (verify --capture DIR) instead: the recorded app and answers, offline; the other "
            "mock options do not apply.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the bundled mock Business Center until Ctrl-C.

    Example: tiktok-runbook mock --port 8765 --edition wizard --markup semi
    (a capture: tiktok-runbook mock --replay capture/, then tiktok-runbook verify --base-url <the URL it prints>)
    """
    from runbook.fixtures.server import serve

    if replay is not None:
        from runbook.capture.serving import serve_replay

        serve_replay(replay, host=host, port=port)
        return

    if edition.value == "lookalike" and markup.value != "aria":
        raise BadInput("--edition lookalike has Ant Design's markup of its own; drop --markup")
    if qr_lifetime <= 0 or delay < 0:
        raise BadInput("--qr-lifetime must be positive and --delay not negative")
    if not 0 <= rerender <= 10:
        raise BadInput("--rerender must be between 0 and 10 seconds")
    try:
        config = MockConfig(
            edition=edition.value,
            qr_lifetime=qr_lifetime,
            qr_render=qr_render.value,
            qr_size=qr_size,
            delay=delay,
            require_login=require_login,
            markup=markup.value,
            rerender=rerender,
        )
    except VendorMissing:
        raise  # its own one line and exit code
    except ValueError as refused:  # --qr-size out of range
        raise BadInput(f"mock --qr-size: {refused}") from None
    try:
        serve(config, host=host, port=port)
    except OSError as error:  # the port is taken, or the address is not this machine's
        why = error.strerror or str(error)
        raise BadInput(f"mock --host {host} --port {port}: {why}; try another --port (0: any free port)") from None
