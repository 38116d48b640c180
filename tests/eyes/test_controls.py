"""How steps find their controls, on small pages of markup the mock does not use."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from runbook.core import tutorial
from runbook.core.errors import AmbiguousControl, ControlNotFound, NoEffect
from runbook.core.tutorial import Step
from runbook.eyes import clicks
from runbook.eyes.choice import nearest
from runbook.eyes.driver import Driver
from runbook.eyes.routes import follow
from runbook.eyes.waits import wait_for_any
from runbook.pages.announcements import Announcements
from runbook.pages.dialogs import Dialog

CLICKED = "() => window.clicked"


def driver_for(page: Page, number: int | None = None, **options) -> Driver:
    """A driver on the page, with step `number` under way."""
    driver = Driver(page, tutorial.load(), timeout_ms=5_000, **options)
    return at(driver, step(number)) if number is not None else driver


def at(driver: Driver, taken: Step) -> Driver:
    """The driver with `taken` as the step under way (the step engine's part, runbook/steps/run.py)."""
    driver.begin(taken)
    return driver


def clickable_page(page: Page, body: str) -> None:
    """`hit(x)` records a click and shows it, as a real control's click changes what the page shows."""
    page.set_content(
        "<script>window.clicked = []; window.hit = (x) => { clicked.push(x); "
        "document.body.append(`clicked ${x}`); }</script>" + body
    )


def step(number: int):
    return tutorial.load().step(number)


def test_an_icon_in_the_name_does_not_hide_the_label(page: Page) -> None:
    """Ant Design icons carry aria-label="plus": the button's accessible name becomes "plusAdd Assets"."""
    clickable_page(
        page,
        '<button onclick="hit(1)"><span role="img" aria-label="plus"><svg></svg></span>'
        "<span>Add Assets</span></button>",
    )
    match = follow(driver_for(page, 8), "page")
    assert match.route.documented
    assert page.evaluate(CLICKED) == [1]


def test_a_longer_name_is_another_control(page: Page) -> None:
    """ "Ad accounts" is not "Accounts": labels match the whole name, so step 2 does not click it."""
    clickable_page(page, '<nav><a href="#" onclick="hit(1)">Ad accounts</a><a href="#">Users</a></nav>')
    with pytest.raises(ControlNotFound) as missing:
        follow(driver_for(page, 2), "navigation")
    assert missing.value.expected == '"Accounts"'
    assert missing.value.nearest[0] == "Ad accounts"
    assert page.evaluate(CLICKED) == []


def test_a_known_alternative_is_reported_with_its_first_label_first(page: Page) -> None:
    clickable_page(page, '<main><button onclick="hit(1)">Link accounts</button><button>Export</button></main>')
    match = follow(driver_for(page, 4), "page")
    assert match.route.name == "Link accounts (renamed in 2026)"
    assert match.nearest[0] == "Link accounts"
    assert page.evaluate(CLICKED) == [1]


def test_a_control_behind_a_menu_button_is_found(page: Page) -> None:
    clickable_page(
        page,
        '<main><button aria-haspopup="menu" aria-expanded="false" onclick="'
        "this.setAttribute('aria-expanded', 'true'); document.getElementById('m').hidden = false\">Add</button></main>"
        '<div id="m" hidden style="position: absolute; top: 40px"><div role="menuitem" onclick="hit(1)">'
        "Request Access</div></div>",
    )
    match = follow(driver_for(page, 4), "page")
    assert match.route.labels == ("Add", "Request Access")
    assert match.nearest[0] == "Add"
    assert page.evaluate(CLICKED) == [1]


def test_verify_explores_the_nearest_control_and_remembers_it(page: Page) -> None:
    clickable_page(page, '<nav><a href="#" onclick="hit(1)">Assets</a><a href="#">Overview</a></nav>')
    steps = driver_for(page, explore=True)
    match = follow(at(steps, step(2)), "navigation")
    assert match.route.labels == ("Assets",) and match.nearest[0] == "Assets"
    assert steps.substitutes == {"Accounts": "Assets"}
    assert page.evaluate(CLICKED) == [1]


# -- markup without roles ---------------------------------------------------------------------------------------

BARE_MENU = """<style>.item { cursor: pointer } .side { position: fixed; left: 0; top: 0; width: 200px; height: 100%; }
</style><div class="side"><div class="item">Overview</div><div class="item" onclick="hit('assets')">
<span>Assets</span><svg width="8" height="8"></svg></div><div class="item">Users</div></div>
<div style="margin-left: 220px"><div>Accounts overview</div></div>"""


def test_a_role_less_submenu_title_is_among_the_nearest_names(page: Page) -> None:
    """A div with cursor: pointer and a click handler is a control: the renamed "Assets" is suggested."""
    clickable_page(page, BARE_MENU)
    with pytest.raises(ControlNotFound) as missing:
        follow(driver_for(page, 2), "navigation")
    assert missing.value.nearest[0] == "Assets"
    assert "Accounts overview" not in missing.value.nearest  # text that is not a control is not a name


def test_text_is_retargeted_to_the_control_around_it(page: Page) -> None:
    clickable_page(
        page,
        '<div style="cursor: pointer" onclick="hit(\'card\')"><div><b>Add Assets</b></div></div>',
    )
    follow(driver_for(page, 8), "page")
    assert page.evaluate(CLICKED) == ["card"]


def test_two_equal_controls_fail_naming_both(page: Page) -> None:
    clickable_page(
        page,
        "<main><section>Ad account A <button onclick=\"hit('a')\">Add Assets</button></section>"
        "<section>Ad account B <button onclick=\"hit('b')\">Add Assets</button></section></main>",
    )
    with pytest.raises(AmbiguousControl) as tie:
        follow(driver_for(page, 8), "page")
    assert "Ad account A" in tie.value.hint and "Ad account B" in tie.value.hint
    assert page.evaluate(CLICKED) == []


def test_the_top_most_dialog_wins_over_the_page(page: Page) -> None:
    """A portal without role=dialog (a mask and a panel) is searched before the page behind it."""
    clickable_page(
        page,
        "<main><label><input type=radio name=p onclick=\"hit('page')\">TikTok Accounts</label></main>"
        '<div style="position: fixed; inset: 0; background: #0004"><div style="margin: 80px auto; width: 300px;'
        ' background: white"><div>Add Assets</div><label style="cursor: pointer">'
        '<input type=radio name=d style="width: 0; height: 0; opacity: 0; margin: 0"'
        " onclick=\"hit('dialog')\"><span>TikTok Accounts</span></label></div></div>",
    )
    steps = driver_for(page)
    dialog = Dialog(at(steps, step(8)), ["Add Assets"]).box
    assert dialog.inner_text().startswith("Add Assets")
    follow(at(steps, step(9)), "dialog")
    assert page.evaluate(CLICKED) == ["dialog"]  # through its label: the 0x0 input is never force-clicked
    assert page.evaluate("() => document.querySelector('input[name=d]').checked")


def test_a_click_that_changes_nothing_is_tried_twice_then_fails(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clicks, "NO_EFFECT_MS", 500)  # the behaviour, not the patience, is under test
    clickable_page(page, "<main><button onclick=\"clicked.push('x')\">Add Assets</button></main>")
    with pytest.raises(NoEffect):
        follow(driver_for(page, 8), "page")
    assert page.evaluate(CLICKED) == ["x", "x"]


def test_an_absent_label_does_not_cost_the_timeout(page: Page) -> None:
    """Once the page has settled, a label that is not there is absent: no waiting for --timeout."""
    clickable_page(page, "<main><button>Export</button></main>")
    steps = Driver(page, tutorial.load(), timeout_ms=60_000)
    with pytest.raises(ControlNotFound) as missing:
        follow(at(steps, step(8)), "page")
    assert not missing.value.timed_out


def test_wait_for_any_returns_what_was_found(page: Page) -> None:
    clickable_page(page, "<p>Saved successfully</p>")
    probes = {"error": page.get_by_role("alert"), "saved": page.get_by_text("Saved successfully")}
    assert wait_for_any(driver_for(page), probes, 1_000) == "saved"
    assert wait_for_any(driver_for(page), {"never": lambda: False}, 300) is None


def test_nearest_without_labels_lists_what_is_visible() -> None:
    """Step 1 has no labels: the names in page order, not a crash."""
    assert nearest((), ["Reload", "Details"]) == ["Reload", "Details"]
    assert nearest(["Accounts"], ["Users", "Ad accounts"])[0] == "Ad accounts"


def test_the_menu_item_still_opening_wins_over_the_same_words_on_the_page(page: Page) -> None:
    """Step 3 right after step 2 opened the Accounts group on a busy machine: the group's items are not drawn yet,
    and the overview shows a card saying "TikTok accounts" that does nothing when clicked. The step waits for the
    page to settle rather than click the card."""
    clickable_page(
        page,
        '<div style="position:fixed;left:0;top:0;width:200px;height:100vh" id="side">'
        '<div tabindex="0">Overview</div><div tabindex="0">Accounts</div><div tabindex="0">Users</div></div>'
        '<div style="margin-left:220px"><div>Overview</div><div><b>2</b><span>TikTok accounts</span></div></div>'
        "<script>setTimeout(() => { const item = document.createElement('div'); item.tabIndex = 0;"
        " item.textContent = 'TikTok accounts'; item.onclick = () => hit(3);"
        " document.getElementById('side').children[1].after(item); }, 250)</script>",
    )
    follow(driver_for(page, 3), "navigation")
    assert page.evaluate(CLICKED) == [3]


def test_a_click_that_never_reached_the_page_is_made_again(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a starved machine Playwright can give up on a click it had started, and the renderer drops it. The
    overview's data arriving meanwhile changes the page by itself: that is not the click's effect. Step 2's
    submenu title is clicked again (once the page has settled), and the group opens."""
    clickable_page(
        page,
        '<nav><div tabindex="0" onclick="hit(2); document.getElementById(\'group\').hidden = false">Accounts</div>'
        '<div id="group" hidden><div tabindex="0">TikTok accounts</div></div><div tabindex="0">Users</div></nav>'
        "<main id=\"cards\"></main><script>setTimeout(() => cards.textContent = 'TikTok accounts 2', 300)</script>",
    )
    click = clicks._click
    dropped: list[bool] = []

    def drop_first(driver: Driver, target, refind, mark=None, frame=None):
        if not dropped:
            dropped.append(True)
            return target  # as after a timeout in "performing click action": started, never delivered
        return click(driver, target, refind, mark, frame)

    monkeypatch.setattr(clicks, "_click", drop_first)
    follow(driver_for(page, 2), "navigation")
    assert page.evaluate(CLICKED) == [2]
    assert page.get_by_text("TikTok accounts", exact=True).first.is_visible()


def test_a_late_style_sheet_hiding_other_groups_does_not_close_the_one_opened(page: Page) -> None:
    """The app draws the menu before its style sheet arrives: every group's items show. Step 2 opens "Accounts"
    just as the sheet lands and hides the "Users" group's items. That is not "Accounts" closing: it stays open."""
    clickable_page(
        page,
        '<nav><div tabindex="0" onclick="toggle(\'a\')">Accounts</div>'
        '<div id="a" class="closed"><div tabindex="0">Ad accounts</div><div tabindex="0">TikTok accounts</div></div>'
        '<div tabindex="0" onclick="toggle(\'u\')">Users</div>'
        '<div id="u" class="closed"><div tabindex="0">Members</div></div></nav><style id="sheet"></style>'
        "<script>function toggle(group) { const el = document.getElementById(group);"
        " el.className = el.className === 'open' ? 'closed' : 'open'; hit(group);"
        " document.getElementById('sheet').textContent = '.closed { display: none }'; }</script>",
    )
    follow(driver_for(page, 2), "navigation")
    assert page.evaluate(CLICKED) == ["a"]
    assert page.get_by_text("TikTok accounts", exact=True).is_visible()


def test_a_background_tab_is_clicked_once_its_control_is_enabled_and_uncovered(
    page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with several accounts has a page each, tabs of one window: headless Chromium draws about a frame a
    second on all but the front one, and Playwright's checks before a click wait for two. There the runbook makes
    the same checks itself and forces the click: it waits until Add Assets is enabled and nothing covers it, and
    lands on it, not on the cover. (Which tab Chromium throttles, and from when, is its own business: the page is
    taken for a background tab here.)"""
    clickable_page(
        page,
        '<main><button id="add" disabled onclick="hit(1)">Add Assets</button></main>'
        '<div id="cover" onclick="hit(\'cover\')" style="position:fixed;inset:0;background:rgba(0,0,0,.1)"></div>'
        "<script>setTimeout(() => add.disabled = false, 300); setTimeout(() => cover.remove(), 600)</script>",
    )
    steps = driver_for(page)
    monkeypatch.setattr(steps.eyes, "draws_frames", lambda: False)
    follow(at(steps, step(8)), "page")
    assert page.evaluate(CLICKED) == [1]


@pytest.mark.parametrize("closing", ["menu.hidden = true", "menu.replaceChildren()"], ids=["hides", "removes"])
def test_an_announcement_that_closes_the_menu_on_the_way_sends_the_route_back_to_its_start(
    page: Page, closing: str
) -> None:
    """ "What's new" pops up as the row's menu opens; dismissing it is a click outside the menu, which closes the
    menu under the route's next label. The route is taken again from its first control, not waited out."""
    clickable_page(
        page,
        '<main><button aria-label="More actions" onclick="event.stopPropagation(); menu.hidden = false;'
        " menu.innerHTML = '<div tabindex=0 onclick=hit(1)>Disconnect</div>';"
        ' if (!window.told) { told = true; news.hidden = false }">...</button><div id="menu" hidden></div></main>'
        '<div id="news" hidden style="position:fixed;inset:0;background:rgba(0,0,0,.45)">'
        '<div style="margin:80px auto;width:300px;background:#fff"><div>What\'s new</div>'
        '<button onclick="news.hidden = true">Got it</button></div></div>'
        f"<script>document.addEventListener('mousedown', (e) => {{ if (!menu.contains(e.target)) {closing} }})"
        "</script>",
    )
    steps = driver_for(page)
    Announcements(steps).watch()
    follow(at(steps, tutorial.load().disconnect_step(2)), "page")
    assert page.evaluate(CLICKED) == [1]
    assert steps.interruptions == 1


def test_a_modal_drawn_inside_the_app_without_a_role_is_the_dialog(page: Page) -> None:
    """No portal, no role="dialog": a fixed mask over the page and a fixed panel beside it, both inside the app's
    root. The panel is the dialog; its Save wins over the page's own Save."""
    clickable_page(
        page,
        '<div id="app"><div style="position:fixed;left:0;top:0;width:200px;height:100vh">'
        '<a href="#">Overview</a><a href="#">Accounts</a><a href="#">Users</a></div>'
        '<div style="margin-left:220px"><div>Ad accounts</div><button onclick="hit(1)">Save</button>'
        + "".join(f"<p>Row {n}</p>" for n in range(30))
        + '</div><div style="position:fixed;inset:0;background:rgba(0,0,0,.45)"></div>'
        '<div style="position:fixed;top:25%;left:35%;width:30%;background:#fff;padding:16px">'
        '<div>Add assets</div><label><input type="radio" name="t"> TikTok Accounts</label>'
        '<span onclick="hit(2)" style="cursor:pointer">Save</span></div></div>',
    )
    dialog = Dialog(driver_for(page, 8), ["Add assets"]).box
    assert "TikTok Accounts" in dialog.inner_text() and "Row 1" not in dialog.inner_text()
    follow(driver_for(page, 10), "dialog")
    assert page.evaluate(CLICKED) == [2]
