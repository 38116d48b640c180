"""The tutorial's ten steps, read from tutorial.toml: the one place that names a UI label."""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from runbook.core.errors import BadInput
from runbook.core.input_files import read_text_capped

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DOCUMENTED = "documented"
# The FAQ's disconnect steps are numbered 1, 2, 3 on their own; where they sit beside the ten (a run's records,
# verify's reports) they are told apart as D1, D2, D3.
PART_PREFIX = {"connect": "", "disconnect": "D"}
StepKey = int | str  # a connect step's number, or another part's "D2"


def label_pattern(labels: list[str] | tuple[str, ...], *, whole: bool = True) -> re.Pattern[str]:
    """A case-insensitive pattern for any of the labels: the whole accessible name, or (whole=False) a part."""
    alternatives = "|".join(re.escape(label) for label in labels)
    body = f"^\\s*(?:{alternatives})\\s*$" if whole else f"(?:{alternatives})"
    return re.compile(body, re.IGNORECASE)


@dataclass(frozen=True)
class Route:
    """One way through a step: labels clicked in order. The first route of a step is the tutorial's own (the data
    file calls a route's labels its `path`)."""

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
    routes: tuple[Route, ...]
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)
    part: str = "connect"  # which list of steps: the ten of connect, or the FAQ's "disconnect"

    @property
    def documented(self) -> Route:
        return self.routes[0]

    @property
    def ref(self) -> str:
        """How a person names the step: "3" for the ten steps of connect, "D3" for the FAQ's disconnect."""
        return f"{PART_PREFIX.get(self.part, self.part[:1].upper())}{self.number}"

    @property
    def key(self) -> StepKey:
        """Where a run keeps the step's record, match and screenshot: the number for the ten, else the ref."""
        return self.number if self.part == "connect" else self.ref

    @property
    def slug(self) -> str:
        """The stem of the step's files: step-03, step-D3."""
        return f"step-{self.number:02d}" if self.part == "connect" else f"step-{self.ref}"

    @property
    def alternatives(self) -> tuple[Route, ...]:
        return self.routes[1:]

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
    # Where it was read from and what it said (verify's reports name the file, its hash and each step's line).
    name: str = field(default="tutorial.toml", compare=False)
    text: str = field(default="", compare=False, repr=False)

    @property
    def digest(self) -> str:
        """The data file's SHA-256, shortened as git shortens a commit: which tutorial a report was made with."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]

    def line_of(self, step: Step) -> int:
        """The line (from 1) of the data file where `step`'s table begins; 1 when the text is not known."""
        header = "[[step]]" if step.part == "connect" else f"[[{step.part}]]"
        seen = 0
        for number, line in enumerate(self.text.splitlines(), start=1):
            if line.strip() == header:
                seen += 1
                if seen == step.number:
                    return number
        return 1

    def step(self, number: int) -> Step:
        return self.steps[number - 1]

    def disconnect_step(self, number: int) -> Step:
        return self.disconnect[number - 1]

    def words(self, key: str) -> tuple[str, ...]:
        """What the screens say, by the key the data lists it under (pending_texts, saved_texts, qr_names, …),
        whichever step lists it: page objects read their words here, not by step number."""
        return tuple(dict.fromkeys(text for step in (*self.steps, *self.disconnect) for text in step.texts(key)))

    def preceding(self, step: Step) -> Step | None:
        """The step before `step` in its part, if there is one."""
        steps = self.steps if step.part == "connect" else self.disconnect
        return steps[step.number - 2] if step.number > 1 else None

    def following(self, step: Step) -> Step | None:
        """The step after `step` in its part, if there is one."""
        steps = self.steps if step.part == "connect" else self.disconnect
        return steps[step.number] if step.number < len(steps) else None


class TutorialError(ValueError):
    """The data file is not as this module reads it: names the file and the key."""


# Every key the data file may have; anything else is a typo that would otherwise be read as "no labels".
_TOP_KEYS = {"title", "source", "step", "disconnect", "interruptions", "sign_in"}
_STEP_KEYS = {"number", "title", "instruction", "action", "area", "path", "alternative"}
_ALTERNATIVE_KEYS = {"name", "path"}
# A step's extra label lists (see tutorial.toml). Disconnect steps share the step schema and these keys.
STEP_TEXT_KEYS = {
    "dialog_titles",
    "expired_texts",
    "refresh_buttons",
    "account_fields",
    "qr_names",
    "pending_texts",
    "accepted_texts",
    "saved_texts",
    "assigned_texts",
    "unassigned_texts",
    "search_fields",
    "next_page_buttons",
    "menu_buttons",
    "confirm_buttons",
    "disconnected_texts",
    "item_labels",
}
_INTERRUPTION_KEYS = {"dismiss", "close"}
_SIGN_IN_KEYS = {"password", "login_url", "picker_card", "product"}


def _labels(value: Any, where: str, *, empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise TutorialError(f"{where}: expected a list of non-empty strings")
    if not value and not empty:
        raise TutorialError(f"{where}: the list of labels is empty")
    return tuple(value)


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TutorialError(f"{where}: {key!r} is missing or empty")
    return value


def _known(raw: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise TutorialError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(allowed))})")


def _step(raw: Any, where: str, part: str = "connect") -> Step:
    if not isinstance(raw, dict):
        raise TutorialError(f"{where}: expected a table")
    _known(raw, _STEP_KEYS | STEP_TEXT_KEYS, where)
    number = raw.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise TutorialError(f"{where}: 'number' must be a positive integer")
    where = f"{where} (number {number})"
    routes = [Route(DOCUMENTED, _labels(raw.get("path"), f"{where}.path", empty=True))]
    alternatives = raw.get("alternative", [])
    if not isinstance(alternatives, list):
        raise TutorialError(f"{where}.alternative: expected [[step.alternative]] tables")
    for index, alt in enumerate(alternatives):
        alt_where = f"{where}.alternative[{index}]"
        if not isinstance(alt, dict):
            raise TutorialError(f"{alt_where}: expected a table")
        _known(alt, _ALTERNATIVE_KEYS, alt_where)
        routes.append(Route(_text(alt, "name", alt_where), _labels(alt.get("path"), f"{alt_where}.path")))
    extra = {key: _labels(value, f"{where}.{key}") for key, value in raw.items() if key in STEP_TEXT_KEYS}
    return Step(
        number=number,
        title=_text(raw, "title", where),
        instruction=_text(raw, "instruction", where),
        action=_text(raw, "action", where),
        area=_text(raw, "area", where),
        routes=tuple(routes),
        extra=extra,
        part=part,
    )


def _table(raw: dict[str, Any], key: str, allowed: set[str], where: str) -> dict[str, tuple[str, ...]]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise TutorialError(f"{where}: [{key}] is missing")
    _known(value, allowed, f"{where} [{key}]")
    missing = sorted(allowed - set(value))
    if missing:
        raise TutorialError(f"{where} [{key}]: {missing[0]!r} is missing")
    return {name: _labels(labels, f"{where} [{key}].{name}") for name, labels in value.items()}


def _listed_once(steps: tuple[Step, ...], name: str) -> None:
    """A screen's words are looked up by key (Tutorial.words): two steps listing one key would be read as one list.
    dialog_titles is the exception: each step that opens a dialog names its own."""
    listed: dict[str, str] = {}
    for step in steps:
        for key in step.extra:
            if key != "dialog_titles" and key in listed:
                raise TutorialError(
                    f"{name}: {key!r} is listed by step {listed[key]} and by step {step.ref}: list it once"
                )
            listed[key] = step.ref


def parse(text: str, name: str = "tutorial.toml") -> Tutorial:
    """Reads the data file strictly: an unknown key or an empty label list is an error naming file and key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TutorialError(f"{name}: {error}") from None
    _known(raw, _TOP_KEYS, name)
    steps = tuple(_step(step, f"{name}: [[step]] {index + 1}") for index, step in enumerate(raw.get("step", [])))
    if not steps or [step.number for step in steps] != list(range(1, len(steps) + 1)):
        raise TutorialError(f"{name}: [[step]] must be numbered 1, 2, 3 … in order")
    disconnect = tuple(
        _step(step, f"{name}: [[disconnect]] {index + 1}", "disconnect")
        for index, step in enumerate(raw.get("disconnect", []))
    )
    if [step.number for step in disconnect] != list(range(1, len(disconnect) + 1)):
        raise TutorialError(f"{name}: [[disconnect]] must be numbered 1, 2, 3 … in order")
    _listed_once(steps + disconnect, name)
    interruptions = _table(raw, "interruptions", _INTERRUPTION_KEYS, name)
    return Tutorial(
        title=_text(raw, "title", name),
        source=_text(raw, "source", name),
        steps=steps,
        dismiss=interruptions["dismiss"],
        close=interruptions["close"],
        sign_in=_table(raw, "sign_in", _SIGN_IN_KEYS, name),
        disconnect=disconnect,
        name=name,
        text=text,
    )


# The packaged data file, as its path in the repository (what CI annotations point at).
PACKAGED = "runbook/tutorial.toml"
# What a data file may weigh: the packaged one is 10 kB; anything near this is not a tutorial.
MAX_BYTES = 1_000_000


def load(path: Path | None = None) -> Tutorial:
    """The packaged data file, or (--tutorial, TIKTOK_RUNBOOK_TUTORIAL) another one, read as strictly."""
    if path is None:
        return _packaged()
    try:  # a regular file, at most MAX_BYTES read (/dev/zero says it is empty, and never ends)
        text = read_text_capped(path, str(path), MAX_BYTES)
    except BadInput as refused:
        raise TutorialError(f"{refused}; not a tutorial data file") from None
    return parse(text, str(path))


@cache
def _packaged() -> Tutorial:
    return parse(resources.files("runbook").joinpath("tutorial.toml").read_text(encoding="utf-8"), PACKAGED)
