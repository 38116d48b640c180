"""What a run tells: JSON-lines events for programs, and plain progress on stderr for people.

With `--events -` stdout carries only events, so everything meant for a person goes to stderr.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.text import Text

from runbook.core.errors import BadInput
from runbook.core.outputs import write_failed
from runbook.core.status import StepStatus
from runbook.core.tutorial import Route, Step, StepKey

Listener = Callable[[dict[str, Any]], None]
# The events an account's owner is told of (the share page, webhooks): each carries the Business Center's name
# once the run has read it (business_center_is), so they say who asks, as the page does.
OWNER_EVENTS = frozenset({"share", "qr", "waiting", "expired", "accepted", "done", "failed", "summary"})


# The marks' colours on a colour terminal: ✓ done, ~ drifted, – skipped, ✗ failed or broken.
_MARK_STYLE = {
    StepStatus.OK: "green",
    StepStatus.DRIFT: "yellow",
    StepStatus.SKIPPED: "dim",
    StepStatus.BROKEN: "red",
    StepStatus.FAILED: "bold red",
}


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Reporter:
    """Sends each event to the events sink, to listeners (the demo's simulated owner), and to the console."""

    def __init__(self, events: str | None = None, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False, soft_wrap=True)
        self._sink: IO[str] | None = None
        self._owned = False
        if events == "-":
            self._sink = sys.stdout
        elif events:
            try:
                Path(events).parent.mkdir(parents=True, exist_ok=True)
                self._sink = open(events, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
            except OSError as error:
                raise BadInput(f"--events {events}: cannot write there ({error.strerror or error})") from None
            self._owned = True
        self._events_name = f"--events {events}"
        self.listeners: list[Listener] = []
        self.current_step: StepKey | None = None  # the last step started: what an interruption names
        self.business_center: str | None = None  # its name, as the Business Center shows it
        self.quiet_accounts = False  # a live table shows the accounts (runbook/connect/table.py): no lines of theirs

    @contextmanager
    def heard_by(self, listener: Listener) -> Iterator[None]:
        """`listener` hears every event while the block runs (the share page, the webhooks, a simulated owner)."""
        self.listeners.append(listener)
        try:
            yield
        finally:
            self.listeners.remove(listener)

    @contextmanager
    def accounts_quiet(self) -> Iterator[None]:
        """While the block runs, each account's lines and drawings are left out (a live table shows the accounts);
        what warn() says still shows."""
        self.quiet_accounts = True
        try:
            yield
        finally:
            self.quiet_accounts = False

    @classmethod
    def silent(cls) -> Reporter:
        """One that tells nobody anything (a look the run takes aside)."""
        return cls(console=Console(file=io.StringIO()))

    def close(self) -> None:
        if self._owned and self._sink:
            sink, self._sink = self._sink, None
            try:
                sink.close()  # flushes: a full disk may only tell now
            except OSError as error:
                raise write_failed(self._events_name, error, "at the end of the run") from None

    def __enter__(self) -> Reporter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def business_center_is(self, name: str | None) -> None:
        """The run has read the Business Center's name: said once, and carried by every owner event from now on."""
        if name and name != self.business_center:
            self.business_center = name
            self.emit("business_center", name=name)

    def emit(self, event: str, **fields: Any) -> None:
        if event in OWNER_EVENTS and self.business_center:
            fields.setdefault("business_center", self.business_center)
        record = {"event": event, **fields, "at": utc_now()}
        if self._sink:
            self._write(json.dumps(record, default=str) + "\n")
        for listener in self.listeners:
            listener(record)

    def _write(self, line: str) -> None:
        """A failed write (a full disk, a closed pipe) ends the run once, naming the path and the step; the events
        stop there (what was written is whole lines), and the failure's own reporting writes nothing more."""
        sink = self._sink
        assert sink is not None
        try:
            sink.write(line)
            sink.flush()
        except OSError as error:
            self._sink = None
            if sink is sys.stdout:  # Python's own flush at exit must not fail on it again
                with suppress(OSError, ValueError):
                    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            elif self._owned:
                with suppress(OSError):
                    sink.close()
            step = f"at step {self.current_step}" if self.current_step else "before the first step"
            raise write_failed(self._events_name, error, step) from None

    def say(self, message: str) -> None:
        self.console.print(message, markup=False)

    def warn(self, message: str) -> None:
        """A line the operator must see whatever else is left out (an account's failure)."""
        self.say(message)

    @property
    def colour(self) -> bool:
        """The console shows colours (a terminal, no NO_COLOR)."""
        return self.console.color_system is not None and not self.console.no_color

    def show_code(self, drawing: str) -> None:
        """A QR code's drawing (runbook/qr/drawing.py), drawn for `colour`: on a colour terminal its dark modules,
        in black on a white ground, which scans whatever the terminal's theme; without colour (a pipe, a log,
        NO_COLOR) its light modules in the terminal's own colour, which reads on the usual light-on-dark one."""
        self.console.print(Text(drawing, style="black on bright_white") if self.colour else drawing, markup=False)

    def step(self, step: Step, status: StepStatus, *, route: Route | None = None, note: str = "", **extra: Any) -> None:
        fields: dict[str, Any] = {"step": step.number, "title": step.title, "status": status.value, **extra}
        if step.part != "connect":  # the FAQ's steps are numbered on their own: say whose step 2 this is ("D2")
            fields["part"], fields["ref"] = step.part, step.ref
        if route is not None:
            fields["path"] = route.name  # the events' word for the route taken
        if note:
            fields["note"] = note
        self.emit("step", **fields)
        if status is StepStatus.START:
            self.current_step = step.key  # a disconnect step is "D2": step 2 is connect's
            return
        via = f" (via {route.name})" if route is not None and not route.documented else ""
        # A failure's details follow as the error's own line; the progress line stays short.
        tail = f": {note}" if note and status is not StepStatus.FAILED else ""
        part = "" if step.part == "connect" else f"{step.part} "
        self.say_marked(status, f" {part}step {step.number:>2}  {step.title}{via}{tail}")

    def say_marked(self, status: StepStatus, rest: str) -> None:
        """A line that starts with a status's mark, coloured on a colour terminal (README: the legend)."""
        self.print_text(Text.assemble((status.mark, _MARK_STYLE.get(status, "")), rest))

    def print_text(self, text: Text) -> None:
        self.console.print(text if self.colour else text.plain, markup=False)


class AccountReporter(Reporter):
    """What a run tells about one account: every event carries "account"; with `prefix`, so does every line,
    for runs where several accounts' progress interleaves on stderr. Shares its parent's sink and listeners."""

    def __init__(self, parent: Reporter, account: str, *, prefix: bool = False) -> None:
        self.parent = parent
        self.account = account
        self.prefix = prefix
        self.console = parent.console
        self.listeners = parent.listeners
        self._sink = None
        self._owned = False
        self.last_step: int | None = None  # the step last started: what a failure outside a step is put down to

    def step(self, step: Step, status: StepStatus, *, route: Route | None = None, note: str = "", **extra: Any) -> None:
        if status is StepStatus.START and step.part == "connect":
            self.last_step = step.number
            self.parent.current_step = step.number  # what an interruption names (runbook/interrupt.py)
        super().step(step, status, route=route, note=note, **extra)

    def emit(self, event: str, **fields: Any) -> None:
        self.parent.emit(event, **{"account": self.account, **fields})

    def say(self, message: str) -> None:
        if not self.parent.quiet_accounts:
            self.warn(message)

    def warn(self, message: str) -> None:
        # A multi-line message (the QR drawn in the terminal) keeps its lines aligned: the name goes above it.
        if self.prefix:
            text = message.lstrip("\n")
            message = f"{self.account}:\n{text}" if "\n" in text else f"{self.account}: {text}"
        self.parent.say(message)

    def print_text(self, text: Text) -> None:
        if self.parent.quiet_accounts:
            return
        if self.prefix:
            text = Text.assemble(f"{self.account}: ", text)
        self.parent.print_text(text)

    def show_code(self, drawing: str) -> None:
        if self.parent.quiet_accounts:
            return
        if self.prefix:
            self.parent.say(f"{self.account}:")
        self.parent.show_code(drawing)
