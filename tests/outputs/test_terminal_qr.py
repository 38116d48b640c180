"""The QR code as the operator's terminal shows it: connect runs in an 80×24 pty, a terminal emulator (pyte) keeps
the screen a person would see, and that screen, drawn back to pixels on a dark and on a light theme, decodes to the
code the run shared."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pyte
import pytest
from PIL import Image
from rich.console import Console

from runbook import qr
from runbook.core.events import Reporter
from runbook.core.status import StepStatus
from runbook.core.tutorial import load
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli

ROWS, COLUMNS = 24, 80
# A terminal theme: the colours of cells that set none (the default foreground and background).
THEMES = {"dark": (230, 20), "light": (20, 245)}
_NAMED = {"black": 0, "white": 229, "brightwhite": 255, "brightblack": 127}
# The step lines' coloured marks (✓ ~ – ✗): text, never part of a code; a middle shade of their own.
_NAMED.update(dict.fromkeys(("red", "green", "yellow", "blue", "magenta", "cyan", "brown"), 110))


def _shade(colour: str, default: int) -> int:
    if colour == "default":
        return default
    if colour in _NAMED:
        return _NAMED[colour]
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))  # pyte's truecolour and 256-colour cells
    return (red * 299 + green * 587 + blue * 114) // 1000


def picture(screen: pyte.Screen, theme: str, px: int = 6) -> Image.Image:
    """The screen as pixels: each cell two squares (its upper and lower half), a half block in its foreground."""
    foreground, background = THEMES[theme]
    halves = {"▀": (True, False), "▄": (False, True), "█": (True, True)}
    bitmap = Image.new("L", (screen.columns, screen.lines * 2))
    for y in range(screen.lines):
        for x in range(screen.columns):
            cell = screen.buffer[y][x]
            fg, bg = _shade(cell.fg, foreground), _shade(cell.bg, background)
            upper, lower = halves.get(cell.data, (False, False))
            bitmap.putpixel((x, 2 * y), fg if upper else bg)
            bitmap.putpixel((x, 2 * y + 1), fg if lower else bg)
    return bitmap.resize((bitmap.width * px, bitmap.height * px), Image.Resampling.NEAREST)


def shared_codes(events: Path) -> list[str]:
    if not events.exists():
        return []
    lines = [json.loads(line) for line in events.read_text().splitlines() if line.strip()]
    return [e["payload"] for e in lines if e["event"] == "qr"]


def screen_when_shared(
    mock: MockBusinessCenter,
    tmp_path: Path,
    accounts: tuple[str, ...] = ("@pane.brand",),
    shows: Callable[[list[str]], bool] = lambda lines: True,
) -> tuple[pyte.Screen, str]:
    """connect in a pty of 24 rows and 80 columns, on a terminal that has colour; the screen once every account's
    code is out and the screen `shows` what is awaited (a live table is redrawn once a second), and the first code."""
    events = tmp_path / "events.jsonl"
    parent, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-m", "runbook", "connect", "--base-url", mock.url, "--events", str(events)]
    process = subprocess.Popen(
        [*command, *(arg for account in accounts for arg in ("-a", account)), "--wait", "60"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    os.close(child)
    screen = pyte.Screen(COLUMNS, ROWS)
    stream = pyte.ByteStream(screen)
    try:
        deadline = time.monotonic() + 60
        shared: list[str] = []
        while time.monotonic() < deadline and process.poll() is None:
            # Once the qr event is out, so is the drawing (it is printed first): read what is left, then look.
            shared = shared if len(shared) >= len(accounts) else shared_codes(events)
            out = len(shared) >= len(accounts)
            ready, _, _ = select.select([parent], [], [], 0.3 if out else 0.1)
            if ready:
                stream.feed(os.read(parent, 65536))
            elif out and shows(screen.display):
                return screen, shared[0]
        raise AssertionError("no QR code was shared:\n" + "\n".join(screen.display))
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(parent)


def test_the_code_in_an_80_by_24_terminal_scans_on_a_dark_and_a_light_theme(
    mock: MockBusinessCenter, tmp_path: Path
) -> None:
    screen, payload = screen_when_shared(mock, tmp_path)
    shown = "\n".join(screen.display)
    assert "QR code #1 for @pane.brand: scan in TikTok" in shown  # its header, on the same screen
    for theme in THEMES:
        assert qr.decode(picture(screen, theme)) == payload, theme


def connect(mock: MockBusinessCenter, folder: Path, capsys, monkeypatch, *extra: str) -> Result:
    args = ["connect", "--base-url", mock.url, "--run-dir", str(folder), "--wait", "30", *extra]
    return run_cli(args, capsys, monkeypatch)


def test_without_colour_the_code_is_drawn_in_the_terminals_own(mock, owner, tmp_path, capsys, monkeypatch) -> None:
    """A pipe (or NO_COLOR): the light modules in the terminal's foreground, which reads on the usual dark
    terminal, and no colour codes in a log; --no-qr-terminal: no drawing at all, the PNG and the payload only."""
    with owner(account="@pipe.one", delay=0.2, shared=tmp_path / "drawn"):
        drawn = connect(mock, tmp_path / "drawn", capsys, monkeypatch, "-a", "@pipe.one")
    assert drawn.code == 0, drawn.err
    assert "█" in drawn.err and "\x1b[" not in drawn.err
    with owner(account="@pipe.two", delay=0.2, shared=tmp_path / "plain"):
        plain = connect(mock, tmp_path / "plain", capsys, monkeypatch, "-a", "@pipe.two", "--no-qr-terminal")
    assert plain.code == 0, plain.err
    assert not set("▀▄█") & set(plain.err) and "payload: " in plain.err


@pytest.mark.matrix  # slow: make test-matrix (CI) runs it
def test_several_accounts_on_a_terminal_are_one_live_table(mock: MockBusinessCenter, tmp_path: Path) -> None:
    """No block of lines and drawing per account: one table, redrawn in place, each account on one row."""
    accounts = ("@row.one", "@row.two", "@row.three")
    waiting = re.compile(r"waiting\s+\d+:\d\d\s+\d+ s$")

    def all_waiting(lines: list[str]) -> bool:
        return all(any(account in line and waiting.search(line.rstrip()) for line in lines) for account in accounts)

    screen, _ = screen_when_shared(mock, tmp_path, accounts, all_waiting)
    shown = screen.display
    [header] = [line for line in shown if "code expires in" in line]
    assert header.split() == ["account", "note", "status", "code", "expires", "in", "time"], header
    for account in accounts:
        [row] = [line for line in shown if account in line]  # once: no step lines, no QR header of its own
        assert waiting.search(row.rstrip()), row
    assert not set("▀▄█") & set("".join(shown)), "\n".join(shown)


def _reporter(monkeypatch: pytest.MonkeyPatch, no_color: bool) -> tuple[Reporter, io.StringIO]:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    out = io.StringIO()
    return Reporter(console=Console(file=out, force_terminal=True, color_system="standard", highlight=False)), out


def test_the_marks_are_coloured_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    step = load().step(2)
    coloured, out = _reporter(monkeypatch, no_color=False)
    coloured.step(step, StepStatus.OK)
    assert "\x1b[32m✓" in out.getvalue()  # green
    plain, out = _reporter(monkeypatch, no_color=True)
    plain.step(step, StepStatus.FAILED)
    assert not plain.colour and "\x1b[" not in out.getvalue() and out.getvalue().startswith("✗ step  2")
