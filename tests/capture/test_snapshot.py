"""The DOM snapshot kept for each step (--capture): static HTML that shows what the page showed, open shadow roots
and same-origin frames included, a canvas as its picture, no script."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Page

from runbook.capture.recorder import _SNAPSHOT_JS

PAGE = """<!DOCTYPE html><html><head><title>t</title></head><body>
<div id="host"></div>
<iframe id="inner" srcdoc="<p>inside the frame</p>"></iframe>
<canvas id="c" width="20" height="20"></canvas>
<input id="field">
<script>window.ran = true</script>
<button onclick="alert(1)">Save</button>
</body></html>"""


def test_a_snapshot_keeps_shadow_roots_frames_pictures_and_values(page: Page) -> None:
    page.set_content(PAGE)
    page.evaluate("""() => {
      document.getElementById('host').attachShadow({mode: 'open'}).innerHTML = '<button>Request Access</button>';
      document.getElementById('c').getContext('2d').fillRect(0, 0, 10, 10);
      document.getElementById('field').value = 'typed';
    }""")
    page.frame_locator("#inner").get_by_text("inside the frame").wait_for()
    html = page.evaluate(_SNAPSHOT_JS)
    assert '<template shadowrootmode="open"><button>Request Access</button></template>' in html
    assert "srcdoc=" in html and "inside the frame" in html
    assert '<img alt="(canvas)" src="data:image/png;base64,' in html
    assert 'value="typed"' in html
    assert "window.ran" not in html and "onclick" not in html and ">Save</button>" in html
    # Opened in a browser, it is the page again, the shadow root included (declarative shadow roots are read by
    # the parser of a document loaded, not by set_content's document.write).
    page.goto("data:text/html;charset=utf-8," + quote(html))
    assert page.get_by_role("button", name="Request Access").count() == 1
