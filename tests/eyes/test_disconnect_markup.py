"""Disconnect's page objects on small pages of markup the mock does not use: other menus, other confirmations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from runbook.core import tutorial
from runbook.core.errors import ControlNotFound
from runbook.core.handle import Handle
from runbook.eyes.driver import Driver
from runbook.eyes.routes import Guess
from runbook.pages.tiktok_accounts import TikTokAccountsPage

# {trigger}: the row's options button; {menu}/{item}: the drop-down's markup; {confirm}: the confirmation's.
PAGE = """
<main>
  <h1>TikTok accounts</h1>
  <table>
    <tr><th>Account</th><th>Status</th><th></th></tr>
    <tr id="row"><td>Brand <span>@brand</span></td><td>Authorized</td><td>{trigger}</td></tr>
    <tr><td>Other <span>@brand.other</span></td><td>Pending</td><td></td></tr>
  </table>
</main>
<script>
  window.removed = [];
  document.addEventListener("keydown", (event) => {{  // Escape closes the menu, as menus do
    if (event.key !== "Escape") return;
    document.querySelectorAll(".menu").forEach((menu) => menu.remove());
    document.querySelectorAll("[aria-expanded]").forEach((button) => button.setAttribute("aria-expanded", "false"));
  }});
  function openMenu(button) {{
    if (button.hasAttribute("aria-expanded")) button.setAttribute("aria-expanded", "true");
    const menu = document.createElement("{menu_tag}");
    menu.className = "menu";
    menu.style.position = "absolute";  // a drop-down is a positioned pop-up, drawn over the page
    menu.style.top = "120px";
    {menu_role}
    menu.innerHTML = '{items}';
    menu.lastChild.onclick = () => {{ menu.remove(); confirmBox(); }};
    document.body.append(menu);
  }}
  function confirmBox() {{
    const box = document.createElement("div");
    box.style.position = "fixed";
    box.style.top = "40px";
    box.innerHTML = '{confirm}';
    box.querySelector(".yes").onclick = () => {{
      box.remove();
      window.removed.push("@brand");
      setTimeout(() => document.getElementById("row").remove(), 200);
    }};
    document.body.append(box);
  }}
</script>
"""

VARIANTS = {
    # The documented path: "More actions" › Disconnect, an alert dialog named like its question.
    "documented": dict(
        trigger='<button aria-label="More actions" aria-expanded="false" onclick="openMenu(this)">…</button>',
        menu_tag="div",
        menu_role='menu.setAttribute("role", "menu");',
        items='<div role="menuitem">View</div><div role="menuitem">Disconnect</div>',
        confirm='<div role="alertdialog" aria-label="Disconnect @brand?"><button>Cancel</button>'
        '<button class="yes">Disconnect</button></div>',
        paths=("documented", "documented"),
    ),
    # An unnamed "…" with aria-expanded, the item worded Unlink, a modal confirmed with Yes.
    "unnamed-menu": dict(
        trigger='<button aria-haspopup="menu" aria-expanded="false" onclick="openMenu(this)">…</button>',
        menu_tag="div",
        menu_role='menu.setAttribute("role", "menu");',
        items='<div role="menuitem">Edit</div><div role="menuitem">Unlink</div>',
        confirm='<div role="dialog" aria-label="Unlink this account?"><p>Unlink @brand?</p><button>No</button>'
        '<button class="yes">Yes</button></div>',
        paths=("behind the", "Yes button"),
    ),
    # An icon-only button with no name at all and nothing saying it opens a menu (a library's bare "···").
    "nameless-icon": dict(
        trigger='<button onclick="openMenu(this)"><svg width="14" height="4"><circle cx="2" cy="2" r="2"/></svg>'
        "</button>",
        menu_tag="div",
        menu_role='menu.setAttribute("role", "menu");',
        items='<div role="menuitem">View</div><div role="menuitem">Disconnect</div>',
        confirm='<div role="dialog" aria-label="Disconnect this TikTok account?"><button>Cancel</button>'
        '<button class="yes">Disconnect</button></div>',
        paths=("behind the", "documented"),
    ),
    # The row's actions show only while the pointer is over the row (visibility: hidden until :hover).
    "on-hover": dict(
        trigger='<span class="actions"><button aria-label="More actions" aria-expanded="false"'
        ' onclick="openMenu(this)">…</button></span>'
        "<style>.actions { visibility: hidden } tr:hover .actions { visibility: visible }</style>",
        menu_tag="div",
        menu_role='menu.setAttribute("role", "menu");',
        items='<div role="menuitem">View</div><div role="menuitem">Disconnect</div>',
        confirm='<div role="alertdialog" aria-label="Disconnect @brand?"><button>Cancel</button>'
        '<button class="yes">Disconnect</button></div>',
        paths=("documented", "documented"),
    ),
    # An icon named by its glyph ("ellipsis"), a drop-down without menu roles, an Ant Design Popconfirm.
    "popconfirm": dict(
        trigger='<button aria-label="ellipsis" aria-haspopup="true" onclick="openMenu(this)">⋯</button>',
        menu_tag="ul",
        menu_role="",
        items="<li>Edit</li><li>Remove</li>",
        confirm='<div role="tooltip"><p>Remove this account?</p><button>Cancel</button>'
        '<button class="yes">OK</button></div>',
        paths=("behind the", "OK button (Ant Design confirm)"),
    ),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_other_options_menus_and_confirmations(variant: str, page: Page) -> None:
    markup = dict(VARIANTS[variant])
    expected_paths = markup.pop("paths")
    page.set_content(PAGE.format(**markup))
    driver = Driver(page, tutorial.load(), timeout_ms=5_000)  # ample on a busy machine; absence is told by settling
    faq = driver.tutorial.disconnect_step
    accounts = TikTokAccountsPage(driver)
    rows = accounts.accounts()
    assert [(str(row.handle), row.pending) for row in rows] == [("@brand", False), ("@brand.other", True)]
    brand = Handle.parse("@brand")
    driver.begin(faq(2))
    confirmation = accounts.disconnect(brand)
    driver.begin(faq(3))
    confirmation.confirm()
    assert page.evaluate("window.removed") == ["@brand"]
    accounts = accounts.wait_until_gone(brand)
    assert not accounts.is_linked(brand)
    assert list(driver.matched) == ["D2", "D3"]
    opened, confirmed = driver.matched["D2"].route.name, driver.matched["D3"].route.name
    assert opened.startswith(expected_paths[0]) and confirmed == expected_paths[1]


def test_verify_reports_an_unknown_menu_item_without_clicking_it(page: Page) -> None:
    """An item the data does not know ("Disconnect account"): disconnect fails at D2; verify's check finds it as
    the nearest control (drift) and leaves it unclicked, so no confirmation opens and nothing is removed."""
    markup = dict(VARIANTS["documented"])
    markup.pop("paths")
    markup["items"] = '<div role="menuitem">View</div><div role="menuitem">Disconnect account</div>'
    page.set_content(PAGE.format(**markup))
    driver = Driver(page, tutorial.load(), timeout_ms=5_000)
    driver.begin(driver.tutorial.disconnect_step(2))
    accounts = TikTokAccountsPage(driver)
    brand = Handle.parse("@brand")
    with pytest.raises(ControlNotFound, match='"Disconnect" \\(on the path documented\\)'):
        accounts.disconnect(brand)
    page.keyboard.press("Escape")
    guessed = accounts.check_disconnect(brand)
    assert isinstance(guessed, Guess) and guessed.name == "Disconnect account"
    [(ref, match)] = driver.matched.items()
    assert ref == "D2" and match.route.name == 'nearest visible control "Disconnect account"'
    assert match.route.labels == ("More actions", "Disconnect account") and match.nearest[0] == "Disconnect account"
    assert guessed.control.inner_text() == "Disconnect account"
    assert page.evaluate("window.removed") == [] and page.get_by_role("alertdialog").count() == 0
