"""A side menu's groups as component libraries draw them: the group is a control wrapping its title and its
entries, its title says whether it is open, and a closing group's entries fade out after the title says so."""

from __future__ import annotations

from playwright.sync_api import Page

from runbook.core import tutorial
from runbook.eyes.driver import Driver
from runbook.eyes.routes import follow

# A group drawn as one library draws it: the wrapper <li> is focusable and says aria-expanded (a control around
# controls), the title inside it says aria-expanded too, and a click that closes the group hides its entries only
# after a 300 ms fade. Every entry opens a page of its own (the location's hash).
FADING_GROUP = """
<div style="display:flex;min-height:100vh">
<aside style="width:220px;flex:none">
 <ul role="menu">
  <li role="menuitem" tabindex="0" onclick="location.hash = 'overview'">Overview</li>
  <li id="group" tabindex="-1" aria-expanded="false">
   <div id="title" role="menuitem" tabindex="0" aria-expanded="false" onclick="toggle()"><span>Accounts</span></div>
   <div id="entries" style="display:none"><ul>
    <li role="menuitem" tabindex="0" onclick="location.hash = 'ad-accounts'">Ad accounts</li>
    <li role="menuitem" tabindex="0" onclick="location.hash = 'tiktok-accounts'">TikTok accounts</li>
   </ul></div>
  </li>
  <li role="menuitem" tabindex="0" onclick="location.hash = 'users'">Users</li>
 </ul>
</aside>
<main><h1>Overview</h1></main>
</div>
<script>
function toggle() {
  const open = title.getAttribute("aria-expanded") !== "true";
  for (const el of [group, title]) el.setAttribute("aria-expanded", String(open));
  if (open) entries.style.display = "";
  else setTimeout(() => { if (title.getAttribute("aria-expanded") === "false") entries.style.display = "none"; }, 300);
}
</script>"""


def driver_at(page: Page, number: int) -> Driver:
    driver = Driver(page, tutorial.load(), timeout_ms=5_000)
    driver.begin(tutorial.load().step(number))
    return driver


def test_a_group_around_its_title_is_not_an_entry_of_the_menu(page: Page) -> None:
    """The wrapper reads "Accounts Ad accounts TikTok accounts": the menu's entries are its title and its
    entries, so step 2 sees the group open under "Accounts"."""
    page.set_content(FADING_GROUP)
    driver = driver_at(page, 2)
    follow(driver, "navigation")
    names = [item.name for item in driver.eyes.menu_items()]
    assert names == ["Overview", "Accounts", "Ad accounts", "TikTok accounts", "Users"]
    assert page.locator("#title").get_attribute("aria-expanded") == "true"


def test_back_to_a_group_that_is_open_reopens_it_and_opens_its_first_page(page: Page) -> None:
    """Step 7 clicks "Accounts" while its group is open from step 3: the click closes it (the title says so at once,
    the entries still show while they fade). A person clicks it again and lands on the group's first page, where
    step 8's button is."""
    page.set_content(FADING_GROUP)
    follow(driver_at(page, 2), "navigation")
    follow(driver_at(page, 3), "navigation")
    assert page.evaluate("location.hash") == "#tiktok-accounts"
    follow(driver_at(page, 7), "navigation")
    assert page.evaluate("location.hash") == "#ad-accounts"
    assert page.locator("#title").get_attribute("aria-expanded") == "true"
