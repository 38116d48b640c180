"""Lists longer than a page (an agency's Business Center holds up to 800 TikTok accounts): an account is found by
the search box where there is one, else page by page, and never assumed to be on the first page."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page

from runbook.core import tutorial
from runbook.core.handle import Handle
from runbook.eyes.driver import Driver
from runbook.pages.tiktok_accounts import TikTokAccountsPage

# 45 accounts, 10 a page; the search box (when there is one) filters as the server would, after a pause.
LIST = """
<main><h1>TikTok accounts</h1>{search}<table id="list"></table>
<div><button id="prev" aria-label="Previous page" onclick="turn(-1)">‹</button><span id="at"></span>
<button id="next" aria-label="Next page" onclick="turn(1)">›</button></div></main>
<script>
  const all = Array.from({{length: 45}}, (_, i) => "@client." + String(i + 1).padStart(3, "0"));
  let page = 0, query = "", timer = null;
  const shown = () => all.filter((h) => h.includes(query));
  function draw() {{
    const rows = shown().slice(page * 10, page * 10 + 10);
    list.innerHTML = rows.map((h) => `<tr><td>${{h}}</td><td>Linked</td></tr>`).join("");
    const last = Math.max(0, Math.ceil(shown().length / 10) - 1);
    next.disabled = page >= last; prev.disabled = page === 0; at.textContent = `${{page + 1}} / ${{last + 1}}`;
  }}
  function turn(by) {{ page += by; draw(); }}
  function typed(value) {{
    clearTimeout(timer);
    timer = setTimeout(() => {{ query = value; page = 0; draw(); }}, 300);
  }}
  draw();
</script>"""
SEARCH = '<input type="text" placeholder="Search by name or ID" oninput="typed(this.value)">'


def accounts_page(page: Page, *, search: bool = False, html: str = "") -> TikTokAccountsPage:
    """Served at an address of its own, so that loading it again (as the runbook does to read it from the first
    page) draws it again."""
    html = html or LIST.format(search=SEARCH if search else "")
    page.route("http://list.test/", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto("http://list.test/")
    driver = Driver(page, tutorial.load(), timeout_ms=5_000)
    driver.begin(tutorial.load().step(3))
    return TikTokAccountsPage(driver)


@pytest.mark.parametrize("search", [True, False], ids=["search-box", "pages-only"])
def test_an_account_past_the_first_page_is_found(search: bool, page: Page) -> None:
    listing = accounts_page(page, search=search)
    assert listing.is_linked(Handle.parse("@client.037"))
    assert not listing.is_linked(Handle.parse("@client.099"))


def test_every_account_is_read_page_after_page(page: Page) -> None:
    listing = accounts_page(page, search=True)
    assert listing.is_linked(Handle.parse("@client.044"))  # searched: the list now shows one row
    rows = listing.accounts()
    assert len(rows) == 45 and str(rows[-1].handle) == "@client.045"


# The same 45 accounts, 10 more at a time below the others, by a "Load more" button that goes once all show.
LOAD_MORE = """
<main><h1>TikTok accounts</h1><table id="list"></table><button id="more" onclick="more()">Load more</button></main>
<script>
  const all = Array.from({length: 45}, (_, i) => "@client." + String(i + 1).padStart(3, "0"));
  let shown = 0;
  function more() {
    shown += 10;
    list.innerHTML = all.slice(0, shown).map((h) => `<tr><td>${h}</td><td>Linked</td></tr>`).join("");
    if (shown >= all.length) document.getElementById("more").remove();
  }
  more();
</script>"""


def test_a_list_that_loads_more_rows_below_is_read_to_its_end(page: Page) -> None:
    listing = accounts_page(page, html=LOAD_MORE)
    assert listing.is_linked(Handle.parse("@client.037"))
    rows = listing.accounts()
    assert len(rows) == 45 and str(rows[-1].handle) == "@client.045"


def test_the_watcher_reads_every_page_for_the_accounts_it_waits_for(page: Page, tmp_path) -> None:
    """Four waiting accounts, three of them past the first page, all accepted: one look turns the pages and sees
    every one, as a person reading the list would, rather than a couple of them a look."""
    from runbook.browser.settings import Settings
    from runbook.connect.parking import Park, Wake
    from runbook.connect.watcher import ListWatcher
    from runbook.core.events import Reporter
    from runbook.steps.run import Run

    listing = accounts_page(page, search=True)
    run = Run(Settings(base_url="http://list.test/"), Reporter.silent(), tmp_path, listing.driver)
    watcher = ListWatcher(run, listing, "http://list.test/", lambda: page.context.new_page())
    later = time.monotonic() + 60
    waiting = ["@client.004", "@client.017", "@client.029", "@client.041"]
    parked = [Park(Handle.parse(handle), 1, later, later, pending_seen=True) for handle in waiting]
    assert watcher.look(parked) == {Handle.parse(handle): Wake.LINKED for handle in waiting}
    assert watcher.reopened == 0


# Five accounts on one page, with a search box that filters after a pause; `kept` is a filter the app kept from an
# earlier visit (some apps keep a list's search across pages).
SHORT = """
<main><h1>TikTok accounts</h1>
<input type="text" placeholder="Search by name or ID" value="{kept}" oninput="typed(this.value)">
<table id="list"></table></main>
<script>
  const all = Array.from({{length: 5}}, (_, i) => "@client." + String(i + 1).padStart(3, "0"));
  let timer = null;
  window.searches = 0;
  function draw(query) {{
    list.innerHTML = all.filter((h) => h.includes(query))
      .map((h) => `<tr><td>${{h}}</td><td>Linked</td></tr>`).join("");
  }}
  function typed(value) {{
    window.searches += 1;
    clearTimeout(timer);
    timer = setTimeout(() => draw(value), 300);
  }}
  draw("{kept}");
</script>"""


def test_an_account_missing_from_a_list_of_one_page_is_not_searched_for(page: Page) -> None:
    """The whole list shows: an account it does not show is not linked, without a search (and its pause)."""
    listing = accounts_page(page, html=SHORT.format(kept=""))
    assert not listing.is_linked(Handle.parse("@client.099"))
    assert page.evaluate("window.searches") == 0


def test_a_search_the_app_kept_from_before_is_not_the_whole_list(page: Page) -> None:
    """One row shows, filtered by text the box kept: another account is looked for with the search box."""
    listing = accounts_page(page, html=SHORT.format(kept="client.001"))
    assert listing.is_linked(Handle.parse("@client.003"))
    assert page.evaluate("window.searches") > 0


# 45 accounts in a virtual list: a box of its own height that draws only the rows in view as it scrolls (no pages);
# its search box filters after a pause.
VIRTUAL = """
<main><h1>TikTok accounts</h1>
<input type="text" placeholder="Search by name or ID" oninput="typed(this.value)">
<div id="box" style="height: 240px; overflow-y: auto" onscroll="draw()">
  <div id="space" style="position: relative"><table id="list" style="position: absolute"></table></div>
</div></main>
<script>
  const all = Array.from({length: 45}, (_, i) => "@client." + String(i + 1).padStart(3, "0"));
  let query = "", timer = null;
  function draw() {
    const shown = all.filter((h) => h.includes(query));
    space.style.height = shown.length * 30 + "px";
    const first = Math.floor(box.scrollTop / 30);
    list.style.top = first * 30 + "px";
    list.innerHTML = shown.slice(first, first + 8)
      .map((h) => `<tr style="height: 30px"><td>${h}</td><td>Linked</td></tr>`).join("");
  }
  function typed(value) {
    clearTimeout(timer);
    timer = setTimeout(() => { query = value; box.scrollTop = 0; draw(); }, 300);
  }
  draw();
</script>"""


def test_a_virtual_list_is_not_taken_for_the_whole_list(page: Page) -> None:
    """It shows eight rows and no pages, but scrolls: an account out of view is looked for with the search box."""
    listing = accounts_page(page, html=VIRTUAL)
    assert listing.is_linked(Handle.parse("@client.040"))
