"""The tutorial regenerated as documentation: guide.md, a self-contained guide.html and a screenshot per step.

Everything comes from tutorial.toml (titles, instructions, labels) and the screenshots a run captured, so the
guide shows the Business Center as it is today, in the tutorial's own words.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from runbook.core.tutorial import Step, StepKey, Tutorial
from runbook.verify.report import html_document, image_data_uri

MARKDOWN_NAME = "guide.md"
HTML_NAME = "guide.html"
IMAGES = "images"
NO_SCREENSHOT = "no screenshot"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Where a step's labels are, in a reader's words (the data file's `area`).
_WHERE = {"navigation": "in the left-hand menu", "page": "on the page", "dialog": "in the dialog"}
# Between the labels of a path, as tutorial.Step.expected joins them (a single right-pointing angle quote).
_THEN = " \u203a "
# Characters Markdown would read as formatting or links; tutorial text and labels are shown literally.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


@dataclass(frozen=True)
class Change:
    """How today's Business Center differs at a step: the drift's kind, today's words, the tutorial's."""

    kind: str
    words: tuple[str, ...]
    was: tuple[str, ...]

    @property
    def today(self) -> str:
        return _THEN.join(f'"{label}"' for label in self.words)

    @property
    def before(self) -> str:
        return _THEN.join(f'"{label}"' for label in self.was)

    def note(self) -> str:
        return f"Changed ({self.kind}): the tutorial says {self.before}; Business Center shows {self.today} today."


def image_name(number: int) -> str:
    return f"step-{number:02d}.png"


def write_guide(
    tutorial: Tutorial, shots: Mapping[StepKey, Path], folder: Path, notes: Mapping[StepKey, Change] | None = None
) -> dict[str, Path]:
    """Copies the shots to folder/images/step-NN.png and writes guide.md and guide.html beside them.

    `notes` says, per step, how today's UI differs from the tutorial: the step's text then names today's words
    (as the screenshot shows them), marked as changed.
    """
    images = folder / IMAGES
    copied = copy_shots(tutorial, shots, images)
    notes = notes or {}
    markdown = folder / MARKDOWN_NAME
    markdown.write_text(render_markdown(tutorial, copied, notes), encoding="utf-8")
    page = folder / HTML_NAME
    page.write_text(render_html(tutorial, copied, notes) + "\n", encoding="utf-8")
    return {"markdown": markdown, "html": page, "images": images}


def copy_shots(tutorial: Tutorial, shots: Mapping[StepKey, Path], images: Path) -> dict[StepKey, Path]:
    """The steps' images by number; all are checked before any is copied, so a bad shot changes nothing."""
    numbers = {step.number for step in tutorial.steps}
    for number, source in shots.items():
        if number not in numbers:
            raise ValueError(f"screenshot for step {number}, but the tutorial has steps 1-{len(numbers)}")
        if not _is_png(source):
            raise ValueError(f"step {number}: {source} is not a PNG file")
    images.mkdir(parents=True, exist_ok=True)
    copied: dict[StepKey, Path] = {}
    for step in tutorial.steps:
        target = images / image_name(step.number)
        if step.number in shots:
            _copy(shots[step.number], target)
            copied[step.number] = target
        else:
            # An image left by an earlier run would show the old UI under a step now marked "no screenshot".
            target.unlink(missing_ok=True)
    return copied


def _is_png(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(PNG_SIGNATURE)) == PNG_SIGNATURE
    except OSError:
        return False


def _copy(source: Path, target: Path) -> None:
    # The caller may have captured straight into images/: copying a file onto itself raises.
    if target.exists() and source.resolve() == target.resolve():
        return
    shutil.copyfile(source, target)


# --- Markdown ---


def render_markdown(
    tutorial: Tutorial, images: Mapping[StepKey, Path], notes: Mapping[StepKey, Change] | None = None
) -> str:
    lines = [
        f"# {_md(tutorial.title)}",
        "",
        "_Generated from runbook/tutorial.toml by tiktok-runbook: edit that file, not this one._",
    ]
    for step in tutorial.steps:
        lines += ["", *_markdown_step(step, step.number in images, (notes or {}).get(step.number))]
    return "\n".join(lines) + "\n"


def _markdown_step(step: Step, has_image: bool, note: Change | None = None) -> list[str]:
    changed = " (changed)" if note else ""
    lines = [f"## Step {step.number} — {_md(step.title)}{changed}", "", _md(step.instruction)]
    labels = _labels(step, lambda label: f"**{_md(label)}**", note)
    if labels:
        lines += ["", labels]
    if note:
        lines += ["", f"> **⚠ {_md(note.note())}**"]
    image = f"![Step {step.number}]({IMAGES}/{image_name(step.number)})" if has_image else f"_{NO_SCREENSHOT}_"
    return [*lines, "", image]


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# --- HTML ---


def render_html(
    tutorial: Tutorial, images: Mapping[StepKey, Path], notes: Mapping[StepKey, Change] | None = None
) -> str:
    body = [f"<header>\n<h1>{html.escape(tutorial.title)}</h1>\n</header>", "<main>"]
    body += [_html_step(step, images.get(step.number), (notes or {}).get(step.number)) for step in tutorial.steps]
    return html_document(tutorial.title, "\n".join([*body, "</main>"]))


def _html_step(step: Step, image: Path | None, note: Change | None = None) -> str:
    anchor = f"step-{step.number}"
    parts = [
        f'<section class="step" id="{anchor}" aria-labelledby="{anchor}-title">',
        f'<h2 id="{anchor}-title">Step {step.number} — {html.escape(step.title)}</h2>',
        f"<p>{html.escape(step.instruction)}</p>",
    ]
    labels = _labels(step, lambda label: f"<strong>{html.escape(label)}</strong>", note)
    if labels:
        parts.append(f"<p>{labels}</p>")
    if note:
        parts.append(f'<p class="note changed" role="note"><mark>⚠ {html.escape(note.note())}</mark></p>')
    if image is None:
        parts.append(f'<p class="no-shot">{NO_SCREENSHOT}</p>')
    else:
        parts.append(f'<figure><img alt="Step {step.number}" src="{image_data_uri(image)}"></figure>')
    return "\n".join([*parts, "</section>"])


def _labels(step: Step, bold: Callable[[str], str], today: Change | None = None) -> str:
    """'Click **A** > **B** in the dialog.' for the documented path (or today's words, when they changed); empty
    for steps that click nothing."""
    labels = today.words if today else step.documented.labels
    if not labels:
        return ""
    where = _WHERE.get(step.area, "")
    return f"Click {_THEN.join(bold(label) for label in labels)}{' ' + where if where else ''}."
