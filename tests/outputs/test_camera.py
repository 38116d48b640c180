"""verify's screenshots show what the step acted on: the outlined control lies inside the picture, in a dialog
taller than the window (the dialog is pictured whole) and far down a long page (the window is scrolled to it)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from runbook.core import tutorial
from runbook.verify.camera import Camera
from tests.support.images import assert_outlined

ROWS = "".join(f'<p style="height:120px"><label><input type="checkbox"> @account{n}</label></p>' for n in range(9))
DIALOG = f"""<main><h1>Accounts</h1></main>
<div role="dialog" aria-label="Add Assets" style="position:absolute;top:40px;left:200px;width:600px;
  background:#fff;border:1px solid #999;padding:24px">{ROWS}<button>Save</button></div>"""
LONG_PAGE = '<main><div style="height:3000px">Accounts</div><button>Add Assets</button></main>'


def _shoot(page: Page, tmp_path: Path, html: str, name: str, number: int) -> Path:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.set_content(html)
    camera = Camera(tmp_path, 5_000)
    step = tutorial.load().step(number)
    camera.shoot(step, page, page.get_by_role("button", name=name))
    shot = camera.shot(step)
    assert shot is not None and shot.is_file()
    return shot


def test_a_control_low_in_a_tall_dialog_is_in_the_picture(page: Page, tmp_path: Path) -> None:
    shot = _shoot(page, tmp_path, DIALOG, "Save", 10)
    assert_outlined(shot)
    from PIL import Image

    with Image.open(shot) as image:
        assert image.height > 720  # the dialog whole, taller than the window


def test_a_control_far_down_the_page_is_in_the_picture(page: Page, tmp_path: Path) -> None:
    assert_outlined(_shoot(page, tmp_path, LONG_PAGE, "Add Assets", 8))
