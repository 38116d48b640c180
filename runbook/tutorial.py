"""The tutorial's ten steps, read from tutorial.toml: the one place that names a UI label."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DOCUMENTED = "documented"


def label_pattern(labels: list[str] | tuple[str, ...], *, whole: bool = True) -> re.Pattern[str]:
    """A case-insensitive pattern for any of the labels: the whole accessible name, or (whole=False) a part."""
    alternatives = "|".join(re.escape(label) for label in labels)
    body = f"^\\s*(?:{alternatives})\\s*$" if whole else f"(?:{alternatives})"
    return re.compile(body, re.IGNORECASE)


@dataclass(frozen=True)
class Path:
    """One way through a step: labels clicked in order. The first path of a step is the tutorial's own."""

    name: str
    labels: tuple[str, ...]

    @property
    def documented(self) -> bool:
        return self.name == DOCUMENTED


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    instruction: str
    action: str
    area: str
    paths: tuple[Path, ...]
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)
    part: str = "connect"  # which list of steps: the ten of connect, or the FAQ's "disconnect"

    @property
    def documented(self) -> Path:
        return self.paths[0]

    @property
    def alternatives(self) -> tuple[Path, ...]:
        return self.paths[1:]

    @property
    def expected(self) -> str:
        """The documented labels as a person would read them: "Request Access" or "A › B"."""
        return " › ".join(f'"{label}"' for label in self.documented.labels) or self.title

    def texts(self, key: str) -> tuple[str, ...]:
        """Extra labels of this step (dialog titles, status texts), as listed in the data file."""
        return self.extra.get(key, ())


@dataclass(frozen=True)
class Tutorial:
    title: str
    source: str
    steps: tuple[Step, ...]
    dismiss: tuple[str, ...]
    close: tuple[str, ...]
    sign_in: dict[str, tuple[str, ...]]
    # The FAQ's "How do I disconnect a TikTok account": [[disconnect]] in the data file, numbered from 1.
    disconnect: tuple[Step, ...] = ()

    def step(self, number: int) -> Step:
        return self.steps[number - 1]

    def disconnect_step(self, number: int) -> Step:
        return self.disconnect[number - 1]


_STEP_KEYS = {"number", "title", "instruction", "action", "area", "path", "alternative"}


def _step(raw: dict[str, Any], part: str = "connect") -> Step:
    paths = [Path(DOCUMENTED, tuple(raw["path"]))]
    paths += [Path(alt["name"], tuple(alt["path"])) for alt in raw.get("alternative", [])]
    extra = {key: tuple(value) for key, value in raw.items() if key not in _STEP_KEYS}
    return Step(
        number=raw["number"],
        title=raw["title"],
        instruction=raw["instruction"],
        action=raw["action"],
        area=raw["area"],
        paths=tuple(paths),
        extra=extra,
        part=part,
    )


def _numbered(steps: tuple[Step, ...], table: str) -> tuple[Step, ...]:
    if [step.number for step in steps] != list(range(1, len(steps) + 1)):
        raise ValueError(f"tutorial.toml: [[{table}]] steps must be numbered 1, 2, 3 … in order")
    return steps


@cache
def load() -> Tutorial:
    raw = tomllib.loads(resources.files("runbook").joinpath("tutorial.toml").read_text(encoding="utf-8"))
    steps = _numbered(tuple(_step(step) for step in raw["step"]), "step")
    disconnect = _numbered(tuple(_step(step, "disconnect") for step in raw.get("disconnect", [])), "disconnect")
    return Tutorial(
        title=raw["title"],
        source=raw["source"],
        steps=steps,
        dismiss=tuple(raw["interruptions"]["dismiss"]),
        close=tuple(raw["interruptions"]["close"]),
        sign_in={key: tuple(value) for key, value in raw["sign_in"].items()},
        disconnect=disconnect,
    )
