"""runbook.guide_writer: guide.md and guide.html from tutorial.toml, and the run's screenshots."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from runbook.core import tutorial
from runbook.core.tutorial import Tutorial
from runbook.verify.guide_writer import Change, write_guide

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def guide() -> Tutorial:
    return tutorial.load()


@pytest.fixture
def shots(tmp_path: Path) -> dict[int, Path]:
    """One small PNG per step, each a different size so a mixed-up copy would show."""
    folder = tmp_path / "run"
    folder.mkdir()
    made = {}
    for number in range(1, 11):
        path = folder / f"capture-{number}.png"
        Image.new("RGB", (40 + number, 30), f"#{number * 20:02x}8040").save(path, format="PNG")
        made[number] = path
    return made


def sections(markdown: str) -> list[str]:
    return re.split(r"^(?=## )", markdown, flags=re.MULTILINE)[1:]


def test_markdown_has_the_ten_steps_with_their_words_and_images(
    tmp_path: Path, guide: Tutorial, shots: dict[int, Path]
) -> None:
    written = write_guide(guide, shots, tmp_path / "guide")

    assert set(written) == {"markdown", "html", "images"}
    markdown = written["markdown"].read_text(encoding="utf-8")
    assert markdown.startswith(f"# {guide.title}\n")
    headings = re.findall(r"^## Step (\d+) — (.+)$", markdown, flags=re.MULTILINE)
    assert headings == [(str(step.number), step.title) for step in guide.steps]
    for step, section in zip(guide.steps, sections(markdown), strict=True):
        assert step.instruction in section
        for label in step.documented.labels:
            assert f"**{label}**" in section
        assert f"![Step {step.number}](images/step-{step.number:02d}.png)" in section

        image = written["images"] / f"step-{step.number:02d}.png"
        assert image.read_bytes().startswith(PNG_SIGNATURE)
        with Image.open(image) as opened:
            assert (opened.format, opened.size) == ("PNG", (40 + step.number, 30))
    request = guide.step(4)  # a step on the page, with one label
    assert f"Click **{request.documented.labels[0]}** on the page." in sections(markdown)[3]


def test_a_step_without_a_shot_says_so_and_keeps_no_old_image(
    tmp_path: Path, guide: Tutorial, shots: dict[int, Path]
) -> None:
    folder = tmp_path / "guide"
    write_guide(guide, shots, folder)
    del shots[6]
    written = write_guide(guide, shots, folder)

    step6 = sections(written["markdown"].read_text(encoding="utf-8"))[5]
    assert step6.startswith("## Step 6 — ") and "_no screenshot_" in step6 and "![" not in step6
    assert not (written["images"] / "step-06.png").exists()
    assert written["html"].read_text(encoding="utf-8").count("<img ") == 9


def test_shots_captured_into_the_images_folder_are_kept(tmp_path: Path, guide: Tutorial) -> None:
    images = tmp_path / "guide" / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (8, 8), "white").save(images / "step-02.png")

    written = write_guide(guide, {2: images / "step-02.png"}, tmp_path / "guide")

    assert (written["images"] / "step-02.png").is_file()


@pytest.mark.parametrize("number", [0, 11])
def test_a_shot_for_no_such_step_is_refused(tmp_path: Path, guide: Tutorial, number: int) -> None:
    shot = tmp_path / "shot.png"
    Image.new("RGB", (8, 8), "white").save(shot)
    with pytest.raises(ValueError, match=f"step {number}"):
        write_guide(guide, {number: shot}, tmp_path / "guide")


def test_a_shot_that_is_not_a_png_is_refused_before_anything_is_written(tmp_path: Path, guide: Tutorial) -> None:
    shot = tmp_path / "shot.jpg"
    Image.new("RGB", (8, 8), "white").save(shot, format="JPEG")
    with pytest.raises(ValueError, match="not a PNG"):
        write_guide(guide, {3: shot}, tmp_path / "guide")
    assert not (tmp_path / "guide").exists()


def test_markdown_and_html_show_the_data_files_text_literally(tmp_path: Path, guide: Tutorial) -> None:
    step = dataclasses.replace(guide.steps[1], instruction="Open *Accounts* <b>now</b> & [then] `go`")
    odd = dataclasses.replace(guide, steps=(guide.steps[0], step, *guide.steps[2:]))
    written = write_guide(odd, {}, tmp_path / "guide")

    markdown = written["markdown"].read_text(encoding="utf-8")
    assert r"Open \*Accounts\* \<b\>now\</b\> & \[then\] \`go\`" in markdown
    page = written["html"].read_text(encoding="utf-8")
    assert "Open *Accounts* &lt;b&gt;now&lt;/b&gt; &amp; [then] `go`" in page


def test_guide_html_in_a_browser(page: Page, tmp_path: Path, guide: Tutorial, shots: dict[int, Path]) -> None:
    written = write_guide(guide, shots, tmp_path / "guide")

    page.goto(written["html"].as_uri())

    expect(page.get_by_role("heading", level=1)).to_have_text(guide.title)
    expect(page.get_by_role("heading", level=2)).to_have_text(
        [f"Step {step.number} — {step.title}" for step in guide.steps]
    )
    images = page.get_by_role("img")
    expect(images).to_have_count(10)
    widths = [image.evaluate("img => img.complete ? img.naturalWidth : 0") for image in images.all()]
    assert widths == [40 + number for number in range(1, 11)]
    expect(page.locator("#step-4 strong")).to_have_text(guide.step(4).documented.labels)


def test_a_changed_step_says_todays_words_and_is_marked(
    guide: Tutorial, shots: dict[int, Path], tmp_path: Path
) -> None:
    changed = {2: Change("renamed", ("Assets",), ("Accounts",))}
    written = write_guide(guide, shots, tmp_path / "guide", changed)
    step2, step3 = sections(written["markdown"].read_text(encoding="utf-8"))[1:3]
    assert step2.startswith("## Step 2 — Navigate to Accounts (left-hand menu) (changed)")
    assert "Click **Assets** in the left-hand menu." in step2 and "Click **Accounts**" not in step2
    assert '> **⚠ Changed (renamed): the tutorial says "Accounts"; Business Center shows "Assets" today.**' in step2
    assert "(changed)" not in step3 and "Changed" not in step3
    page = written["html"].read_text(encoding="utf-8")
    assert "<strong>Assets</strong>" in page and '<p class="note changed" role="note"><mark>⚠ Changed' in page
