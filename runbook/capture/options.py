"""--capture DIR and --keep-handles, as verify and connect take them: checked before a browser opens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from runbook.capture.folder import check_target
from runbook.core.errors import BadInput
from runbook.core.inputs import check_writable

if TYPE_CHECKING:  # loaded by the run that records, not by every command line that parses options
    from runbook.capture.recorder import Recorder


@dataclass(frozen=True)
class CaptureOptions:
    folder: Path
    keep_handles: bool = False  # account names and handles stay in the capture (they are scrubbed by default)

    def __post_init__(self) -> None:
        check_writable("--capture", self.folder, folder=True)
        check_target(self.folder)

    @classmethod
    def given(cls, folder: Path | None, *, keep_handles: bool) -> CaptureOptions | None:
        if folder is None:
            if keep_handles:
                raise BadInput("--keep-handles needs --capture DIR")
            return None
        return cls(folder, keep_handles)

    def recorder(self, command: str, accounts: Iterable[object] = ()) -> Recorder:
        """A recorder for `command`'s run; `accounts`, the handles it was given, are scrubbed wherever they show."""
        from runbook.capture.recorder import Recorder

        return Recorder(
            self.folder, command=command, keep_handles=self.keep_handles, accounts=(str(a) for a in accounts)
        )
