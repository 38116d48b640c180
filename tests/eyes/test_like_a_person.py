"""Choosing as a person does where real component libraries differ from hand-written markup: controls that would
do the same thing are one choice, what a control shows beats what its attributes say, a booting app is not a
settled page, nameless icons are controls, and suggestions rank by where a control stands."""

from __future__ import annotations

import http.server
import threading
import time

import pytest
from playwright.sync_api import Page

from runbook.core import tutorial
from runbook.core.errors import AmbiguousControl
from runbook.core.handle import Handle
from runbook.eyes.driver import Driver
from runbook.eyes.routes import follow
from runbook.pages.add_assets import AddAssetsDialog
from runbook.pages.dialogs import Dialog
from runbook.pages.tiktok_accounts import TikTokAccountsPage

CLICKED = "() => window.clicked"


def driver_at(page: Page, number: int, **options) -> Driver:
    driver = Driver(page, tutorial.load(), timeout_ms=5_000, **options)
    driver.begin(tutorial.load().step(number))
    return driver


def clickable_page(page: Page, body: str) -> None:
    """`hit(x)` records a click and shows it, as a real control's click changes what the page shows."""
    page.set_content(
        "<script>window.clicked = []; window.hit = (x) => { clicked.push(x); "
        "document.body.append(`clicked ${x}`); }</script>" + body
    )


# A library's modal: a corner icon named only by aria-label, and a footer button that reads the same.
ACCESS_GRANTED = """
<main><p>TikTok accounts</p></main>
<div id="modal" style="position:fixed;inset:0;background:rgba(0,0,0,.4)">
  <div role="dialog" style="margin:80px auto;width:360px;background:#fff;padding:12px">
    <div><span>Access granted</span>
      <span role="button" tabindex="0" aria-label="Close" onclick="hit('corner'); modal.remove()"><svg width="12"
        height="12"><path d="M1 1l10 10"/></svg></span></div>
    <p>@brand accepted your request</p>
    <div><button onclick="hit('footer'); modal.remove()">Close</button></div>
  </div>
</div>"""


def test_a_dialogs_corner_icon_and_its_footer_button_are_one_choice(page: Page) -> None:
    """Both close the dialog: a person clicks the footer's "Close" without a thought, not "two controls say it"."""
    clickable_page(page, ACCESS_GRANTED)
    driver = driver_at(page, 6)
    Dialog(driver, ["Access granted"]).close()
    assert page.evaluate(CLICKED) == ["footer"]


def test_a_close_button_rendered_anew_under_the_pointer_is_found_again(page: Page) -> None:
    """A modal that re-renders its footer as the pointer reaches it (a tooltip, a countdown tick): the button the
    click was aimed at is gone; the new one is found and clicked, not the old one waited for until the time-out."""
    clickable_page(page, ACCESS_GRANTED)
    page.evaluate(
        """() => {
          const footer = document.querySelector("#modal button").parentElement;
          const anew = () => {  // a fresh node, as a framework's re-render makes: none of the old one's attributes
            const button = document.createElement("button");
            button.textContent = "Close";
            button.onclick = () => { hit("footer"); modal.remove(); };
            footer.replaceChildren(button);
          };
          footer.addEventListener("mouseover", anew, { once: true });
        }"""
    )
    Dialog(driver_at(page, 6), ["Access granted"]).close()
    assert page.evaluate(CLICKED) == ["footer"]


def test_two_texts_that_say_the_same_in_one_dialog_are_one_choice_too(page: Page) -> None:
    """A header link and a footer button both reading "Close": the lower one, the footer's."""
    clickable_page(page, ACCESS_GRANTED.replace('aria-label="Close"', "").replace("<svg", "Close<svg"))
    Dialog(driver_at(page, 6), ["Access granted"]).close()
    assert page.evaluate(CLICKED) == ["footer"]


def test_the_same_words_in_two_rows_are_still_two_choices(page: Page) -> None:
    """Different rows do different things: a tie there fails naming both, whatever the markup."""
    clickable_page(
        page,
        "<table><tr><td>@a.one</td><td><button onclick=\"hit('a')\">Add Assets</button></td></tr>"
        "<tr><td>@b.two</td><td><button onclick=\"hit('b')\">Add Assets</button></td></tr></table>",
    )
    with pytest.raises(AmbiguousControl) as tie:
        follow(driver_at(page, 8), "page")
    assert "@a.one" in tie.value.hint and "@b.two" in tie.value.hint
    assert page.evaluate(CLICKED) == []


def test_what_a_button_reads_beats_the_name_in_its_attributes(page: Page) -> None:
    """Some libraries name every modal's OK button "confirm", whatever it reads: the button that reads "Save" is
    the tutorial's own route, not the "Confirm button" alternative."""
    clickable_page(
        page,
        '<div role="dialog" aria-label="Add Assets"><p>Add assets to your ad account.</p>'
        '<button>Cancel</button><button aria-label="confirm" onclick="hit(\'save\')">Save</button></div>',
    )
    match = follow(driver_at(page, 10), "dialog")
    assert match.route.documented, match
    assert page.evaluate(CLICKED) == ["save"]


def test_a_name_in_attributes_still_serves_a_control_that_shows_no_text(page: Page) -> None:
    clickable_page(
        page,
        '<main><button aria-label="Add Assets" onclick="hit(1)"><svg width="16" height="16"></svg></button></main>',
    )
    assert follow(driver_at(page, 8), "page").route.documented
    assert page.evaluate(CLICKED) == [1]


# An app still booting: a full-page spinner, no request on the way (its script is busy), the menu drawn later.
BOOTING = """
<div id="app"><div style="position:fixed;inset:0;display:grid;place-items:center">
  <svg width="32" height="32" style="animation: spin 1s linear infinite"><circle cx="16" cy="16" r="12"/></svg>
</div></div>
<style>@keyframes spin { to { transform: rotate(360deg) } }</style>
<script>setTimeout(() => { app.innerHTML = '<nav style="position:fixed;left:0;top:0;width:200px;height:100vh">'
  + '<a href="#" onclick="hit(2)">Overview</a> <a href="#" onclick="hit(1)">Accounts</a>'
  + ' <a href="#">Users</a></nav>'; }, 1200);</script>"""


def test_a_booting_app_is_not_a_settled_page(page: Page) -> None:
    """Quiet for a second with nothing but a spinner: the app has not drawn its menu yet, so "Accounts" is not absent
    (it was reported as "expected Accounts; visible instead: nothing close" within a second)."""
    clickable_page(page, BOOTING)
    follow(driver_at(page, 2), "navigation")
    assert page.evaluate(CLICKED) == [1]


# Loaded, with words on screen, and quiet: but the script that draws the menu, added once the page had loaded, is
# still on its way. The page's own script sees no request of its own (a script tag is not a fetch); Playwright's
# request events do.
LATE_SCRIPT = """<main><h1>Overview</h1><p>Welcome back. Your Business Center at a glance: ad accounts, TikTok
accounts and members, with what changed this week.</p><button>Reload</button></main>
<script>window.clicked = [];
window.onload = () => { const s = document.createElement("script"); s.src = "/menu.js"; document.body.append(s); };
</script>"""
MENU_JS = """document.body.insertAdjacentHTML("afterbegin", '<nav><a href="#" onclick="clicked.push(1)">Accounts</a>'
  + ' <a href="#">Users</a></nav>');"""


class _SlowScripts(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/menu.js":
            time.sleep(1.5)  # a slow server (as the mock's --delay), in its own thread: the test does not wait on it
        body = (MENU_JS if self.path == "/menu.js" else LATE_SCRIPT).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript" if self.path == "/menu.js" else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_script_still_loading_keeps_the_page_unsettled(page: Page) -> None:
    """A request the page's own script never saw (the script tag that draws the menu) counts: "Accounts" is waited
    for, not reported absent while the page is quiet."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowScripts)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        driver = driver_at(page, 2)  # the engine watches the page before it loads, as a run's does
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        follow(driver, "navigation")
        assert page.evaluate(CLICKED) == [1]
    finally:
        server.shutdown()


def test_a_dialog_deaf_to_escape_closes_by_its_nameless_corner_icon(page: Page) -> None:
    """No close label, Escape ignored: the icon-only control in the dialog's top-right corner, as a person sees it."""
    clickable_page(
        page,
        "<main><p>TikTok accounts</p><p>@brand</p></main>"
        '<div id="modal" style="position:fixed;inset:0;background:rgba(0,0,0,.4)">'
        '<div style="position:relative;margin:80px auto;width:360px;background:#fff;padding:12px">'
        "<div>Account details</div><p>@brand · Authorized</p>"
        '<span style="position:absolute;top:8px;right:8px;cursor:pointer" onclick="hit(\'x\'); modal.remove()">'
        '<svg width="12" height="12"><path d="M1 1l10 10M11 1L1 11"/></svg></span>'
        '<span style="position:absolute;top:8px;left:8px;cursor:pointer" onclick="hit(\'back\')">'
        '<svg width="12" height="12"><path d="M8 1L2 6l6 5"/></svg></span></div></div>',
    )
    Dialog(driver_at(page, 6), ["Account details"]).close()
    assert page.evaluate(CLICKED) == ["x"]


def test_a_renamed_entry_is_suggested_before_the_look_alike_words_of_its_group(page: Page) -> None:
    """ "Accounts" renamed "Assets", its group open: "Ad accounts" and "TikTok accounts" are more like "Accounts"
    in letters, but "Assets" stands where "Accounts" stood (a top entry of the side menu)."""
    clickable_page(
        page,
        '<div id="app"><nav style="position:fixed;left:0;top:0;width:220px;height:100vh"><ul>'
        '<li><a href="#">Overview</a></li>'
        '<li><a href="#" aria-expanded="true">Assets</a><ul><li><a href="#">Ad accounts</a></li>'
        '<li><a href="#">TikTok accounts</a></li></ul></li>'
        '<li><a href="#">Users</a></li></ul></nav><main style="margin-left:240px">Overview</main></div>',
    )
    driver = driver_at(page, 2)
    assert driver.nearest_names(["Accounts"])[0] == "Assets"
    assert driver.nearest_names(["Accounts"])[1:3] == ["Ad accounts", "TikTok accounts"]


# Add Assets as component libraries draw it: an assigned account is a locked box, ticked or not, with a tag.
PICKER = """
<main><p>Ad accounts</p></main>
<div role="dialog" aria-label="Add Assets"><p>Add assets to the ad account Northwind Ads 01.</p><div>
  <div><label><input type="checkbox" disabled> Acme Official @acme.official</label><span>Assigned</span></div>
  <div><label><input type="checkbox" disabled checked> Locked Ticked @locked.ticked</label></div>
  <div><label><input type="checkbox" disabled> Locked Empty @locked.empty</label></div>
  <div><label><input type="checkbox"> Linked Only @linked.only</label><span>Not assigned</span></div>
  <div><label><input type="checkbox"> Odd One @odd.one</label><span>Assigned</span></div>
</div><button>Cancel</button><button>Save</button></div>"""


def test_an_assigned_account_reads_as_a_person_reads_it(page: Page) -> None:
    """The row's words first ("Assigned", "Not assigned"), else a locked box ticked or not; where the words and the
    box disagree, the words are believed and the box is reported."""
    page.set_content(PICKER)
    assets = AddAssetsDialog(driver_at(page, 8))
    read = {handle: assets.assignment(Handle.parse(handle)) for handle in ACCOUNTS}
    assert {handle: reading.assigned for handle, reading in read.items() if reading} == {
        "@acme.official": True,
        "@locked.ticked": True,
        "@locked.empty": True,
        "@linked.only": False,
        "@odd.one": True,
    }
    assert read["@acme.official"].by == 'the words "Assigned"' and not read["@acme.official"].disagreeing
    assert read["@odd.one"].disagreeing == "a box that can be ticked"
    assert read["@locked.empty"].by == "a locked box"


ACCOUNTS = ("@acme.official", "@locked.ticked", "@locked.empty", "@linked.only", "@odd.one")


def test_the_accounts_list_says_which_are_assigned_where_it_has_the_words(page: Page) -> None:
    page.set_content(
        "<main><h1>TikTok accounts</h1><table><tr><th>Account</th><th>Status</th><th>Ad delivery</th></tr>"
        "<tr><td>@acme.official</td><td>Linked</td><td>Assigned</td></tr>"
        "<tr><td>@linked.only</td><td>Linked</td><td>Not assigned</td></tr>"
        "<tr><td>@waiting.owner</td><td>Pending</td><td>-</td></tr></table></main>"
    )
    rows = TikTokAccountsPage(driver_at(page, 3)).accounts()
    assert [(str(row.handle), row.pending, row.assigned) for row in rows] == [
        ("@acme.official", False, True),
        ("@linked.only", False, False),
        ("@waiting.owner", True, None),
    ]
