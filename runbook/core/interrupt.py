"""Ctrl-C and SIGTERM: always exit 130 with one line naming the step, and an `interrupted` event.

A terminal's Ctrl-C reaches the whole process group: Playwright's node process and Chromium die at the same moment,
so what reaches the runbook may be a closed connection rather than KeyboardInterrupt. The handler records that
a signal came; whatever is raised afterwards is then reported as the interruption it is.

The run then closes its pages and writes what it knows. Should that hang (the signal can land inside Playwright's
dispatch and cut a call off from the answer it waits for), a watchdog ends the run GRACE_SECONDS after the signal
with the same event, line and exit code; so does a second signal at once. Locks are the kernel's (flock), so they go
with the process, and every step done is already on disk: the rerun resumes either way.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sys import UnraisableHookArgs

from runbook.core.errors import Interrupted
from runbook.core.events import Reporter

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# An interruption swallowed by a finalizer is raised again this long after (once the finalizer is done).
REDELIVER_SECONDS = 0.01
# How long the run may take to close down after a signal before the watchdog ends it.
GRACE_SECONDS = 15.0
_received: list[int] = []
_reporter: list[Reporter] = []  # the guarded command's, for the watchdog
_watchdogs: list[threading.Timer] = []
_ended = threading.Lock()  # one ending only: the flow's own or the watchdog's


def received() -> bool:
    """True once SIGINT or SIGTERM arrived during a guarded command."""
    return bool(_received)


def _after_signal(record: logging.LogRecord) -> bool:
    """A logging filter: nothing Playwright logs once the signal came. Its KeyboardInterrupt can land inside the
    driver connection's dispatch, and the next message then finds no command to answer ("Error occurred in event
    listener", with a traceback), while the run is already ending with its one line."""
    return not received()


def _handler(signum: int, frame: FrameType | None) -> None:
    if signum != signal.SIGALRM:
        if _received:  # a second Ctrl-C: the person does not want to wait for the close-down
            _give_up()
        _received.append(signum)
        _watchdogs.append(_timer(_give_up))
    raise KeyboardInterrupt  # stops whatever the main thread waits on, as Python's own SIGINT handling does


def _report(reporter: Reporter) -> Interrupted:
    """The `interrupted` event, once, and the error that says so."""
    step = reporter.current_step
    name = signal.Signals(_received[0]).name if _received else "SIGINT"
    reporter.emit("interrupted", step=step, signal=name)
    return Interrupted(step)


def _timer(then: Callable[[], None]) -> threading.Timer:
    timer = threading.Timer(GRACE_SECONDS, then)
    timer.daemon = True  # it must not keep a process alive that is ending on its own
    timer.start()
    return timer


def exit_within_grace(code: int) -> None:
    """After the CLI reported an interruption: should the process still not be gone GRACE_SECONDS later (a thread
    or Playwright's connection holding it at exit), it ends then, with the code already reported."""
    _timer(lambda: os._exit(code))


def _give_up() -> None:
    """The close-down did not finish in time: end the process here, as the CLI would have."""
    if not _ended.acquire(blocking=False) or not _reporter:
        return  # the flow is already reporting its own ending
    interrupted = _report(_reporter[-1])
    sys.stderr.write(interrupted.line() + "\n")
    sys.stderr.flush()
    os._exit(interrupted.exit_code)


@contextmanager
def guarded(reporter: Reporter) -> Iterator[None]:
    """Runs a command's flow; an interruption, however it surfaces, becomes Interrupted (exit 130)."""
    _received.clear()
    _reporter[:] = [reporter]
    installed: dict[int, object] = {}
    hook = sys.unraisablehook
    # Kept after the command: the connection to Playwright's node process is closed at exit, after this block
    # (added once only).
    logging.getLogger("playwright").addFilter(_after_signal)
    if threading.current_thread() is threading.main_thread():  # only the main thread may set handlers
        for signum in (*_SIGNALS, signal.SIGALRM):
            installed[signum] = signal.signal(signum, _handler)
        sys.unraisablehook = _deliver_again(hook)
    try:
        yield
    except BaseException as error:
        if not (received() or isinstance(error, KeyboardInterrupt)):
            raise
        if not _ended.acquire(blocking=False):
            threading.Event().wait()  # the watchdog is ending the process: let it
        interrupted = _report(reporter)
        # Playwright's node process died with the signal: asyncio would print its unread "Connection closed" at exit,
        # and a call cut off mid-way (an account's flow, several accounts) its never-awaited coroutine.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)
        raise interrupted from None
    finally:
        if installed:
            signal.setitimer(signal.ITIMER_REAL, 0)
        for number, previous in installed.items():
            signal.signal(number, previous)  # type: ignore[arg-type]
        sys.unraisablehook = hook
        for watchdog in _watchdogs:  # the command is over: whoever runs it (the CLI, a test) ends it
            watchdog.cancel()
        _watchdogs.clear()
        _reporter.clear()
        if _ended.locked():
            _ended.release()


def _deliver_again(previous: Callable[[UnraisableHookArgs], object]) -> Callable[[UnraisableHookArgs], None]:
    """The handler's KeyboardInterrupt can land in code whose exceptions Python only prints ("Exception ignored
    in" a weakref callback, a __del__): instead of that traceback, the interruption is raised in the main flow once
    more, where the run turns it into its one line. A timer signal does it: nothing here may block or call the
    handler itself, as both would raise inside this hook again."""

    def hook(unraisable: UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt) and received():
            signal.setitimer(signal.ITIMER_REAL, REDELIVER_SECONDS)  # SIGALRM → _handler, out of this hook
            return
        previous(unraisable)

    return hook
