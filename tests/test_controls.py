"""How steps find their controls, on small pages of markup the mock does not use."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from pages.controls import ControlNotFound, Walk, follow
from runbook import tutorial

CLICKED = "() => window.clicked"


def walk(page: Page, **options) -> Walk:
    return Walk(page, tutorial.load(), timeout_ms=1_000, **options)


def clickable_page(page: Page, body: str) -> None:
    page.set_content(f"<script>window.clicked = []</script>{body}")


def test_an_icon_in_the_name_does_not_hide_the_label(page: Page) -> None:
    """Ant Design icons carry aria-label="plus": the button's accessible name becomes "plusAdd Assets"."""
    clickable_page(
        page,
        '<button onclick="clicked.push(1)"><span role="img" aria-label="plus"><svg></svg></span>'
        "<span>Add Assets</span></button>",
    )
    match = follow(walk(page), page, tutorial.load().step(8))
    assert match.path.documented
    assert page.evaluate(CLICKED) == [1]


def test_a_longer_name_is_another_control(page: Page) -> None:
    """ "Ad accounts" is not "Accounts": labels match the whole name, so step 2 does not click it."""
    clickable_page(page, '<nav><a href="#" onclick="clicked.push(1)">Ad accounts</a><a href="#">Users</a></nav>')
    with pytest.raises(ControlNotFound) as missing:
        follow(walk(page), page.get_by_role("navigation"), tutorial.load().step(2))
    assert missing.value.expected == '"Accounts"'
    assert missing.value.nearest[0] == "Ad accounts"
    assert page.evaluate(CLICKED) == []


def test_a_known_alternative_is_reported_with_its_first_label_first(page: Page) -> None:
    clickable_page(page, '<main><button onclick="clicked.push(1)">Link accounts</button><button>Export</button></main>')
    match = follow(walk(page), page.get_by_role("main"), tutorial.load().step(4))
    assert match.path.name == "Link accounts (renamed in 2026)"
    assert match.nearest[0] == "Link accounts"
    assert page.evaluate(CLICKED) == [1]


def test_a_control_behind_a_menu_button_is_found(page: Page) -> None:
    clickable_page(
        page,
        '<main><button aria-haspopup="menu" aria-expanded="false" onclick="'
        "this.setAttribute('aria-expanded', 'true'); document.getElementById('m').hidden = false\">Add</button>"
        '<div role="menu" id="m" hidden><div role="menuitem" onclick="clicked.push(1)">Request Access</div></div>'
        "</main>",
    )
    match = follow(walk(page), page.get_by_role("main"), tutorial.load().step(4))
    assert match.path.labels == ("Add", "Request Access")
    assert match.nearest[0] == "Add"
    assert page.evaluate(CLICKED) == [1]


def test_verify_explores_the_nearest_control_and_remembers_it(page: Page) -> None:
    clickable_page(page, '<nav><a href="#" onclick="clicked.push(1)">Assets</a><a href="#">Overview</a></nav>')
    steps = walk(page, explore=True)
    match = follow(steps, page.get_by_role("navigation"), tutorial.load().step(2))
    assert match.path.labels == ("Assets",) and match.nearest[0] == "Assets"
    assert steps.substitutes == {"Accounts": "Assets"}
    assert page.evaluate(CLICKED) == [1]
