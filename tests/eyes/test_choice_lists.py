"""A step that chooses from a list ("TikTok Accounts as the asset type") where the list is a drop-down: a native
<select>, or a library's select that opens a list of options in a portal. Choosing from it is the step as the
tutorial words it, not drift; a menu button ("Add ▾") that keeps its own words after the choice stays drift."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from runbook.core import tutorial
from runbook.eyes.driver import Driver
from runbook.eyes.routes import follow

NATIVE = """
<div role="dialog" aria-label="Add Assets"><h2>Add Assets</h2>
 <label>Asset type <select onchange="document.body.append('chose ' + this.value)">
  <option value="">Choose one</option><option>Ad accounts</option><option> TikTok  accounts </option>
 </select></label>
 <button>Cancel</button><button>Save</button>
</div>"""

# A library's select: a box that reads its placeholder, then its choice; the options open in a portal at the end of
# the body. `aria` says what it is (combobox, listbox, option); without, only what it shows tells.
PORTAL_SELECT = """
<div role="dialog" aria-label="Add Assets" style="position:fixed;top:40px;left:40px;width:420px;background:#fff">
 <h2>Add Assets</h2><div>Asset type</div>
 <div id="box" tabindex="0" style="cursor:pointer;border:1px solid #999" onclick="openList()" ARIA_BOX>
  <span>Select an asset type</span><svg width="10" height="10"></svg></div>
 <button>Cancel</button><button>Save</button>
</div>
<script>
function openList() {
  const list = document.createElement("div");
  list.style = "position:fixed;top:170px;left:40px;width:200px;background:#fff;z-index:10";
  if (ARIA) list.setAttribute("role", "listbox");
  for (const words of ["Ad accounts", "TikTok Accounts", "Pixels"]) {
    const option = document.createElement("div");
    option.textContent = words;
    option.style.cursor = "pointer";
    if (ARIA) option.setAttribute("role", "option");
    option.onclick = () => {
      box.firstElementChild.textContent = words;
      list.remove();
      document.body.append("chose " + words);
    };
    list.append(option);
  }
  document.body.append(list);
}
</script>"""


def driver_at(page: Page, number: int) -> Driver:
    driver = Driver(page, tutorial.load(), timeout_ms=3_000)
    driver.begin(tutorial.load().step(number))
    return driver


def test_an_option_of_a_native_select_is_chosen(page: Page) -> None:
    page.set_content(NATIVE)
    match = follow(driver_at(page, 9), "dialog")
    assert match.route.documented, match
    assert page.locator("select").evaluate("select => select.selectedOptions[0].text") == "TikTok accounts"
    assert "chose" in page.locator("body").inner_text()


@pytest.mark.parametrize("aria", [True, False], ids=["combobox", "no-aria"])
def test_an_option_of_a_librarys_select_is_chosen_as_the_step_says(page: Page, aria: bool) -> None:
    markup = PORTAL_SELECT.replace(
        "ARIA_BOX", 'role="combobox" aria-haspopup="listbox" aria-expanded="false"' if aria else ""
    )
    page.set_content(markup.replace("ARIA)", f"{str(aria).lower()})"))
    match = follow(driver_at(page, 9), "dialog")
    assert match.route.documented, match
    assert page.get_by_text("chose TikTok Accounts").count() == 1
