"""Disconnect's page objects on small pages of markup the mock does not use: an options button with no name."""

from __future__ import annotations

from playwright.sync_api import Page

from pages.controls import Walk
from pages.tiktok_accounts import TikTokAccountsPage
from runbook import tutorial
from runbook.account import Handle

# A list whose row menu is an unnamed "…" button; its item says "Unlink"; the confirmation's button says "Yes".
PAGE = """
<main>
  <h1>TikTok accounts</h1>
  <table>
    <tr><th>Account</th><th>Status</th><th></th></tr>
    <tr id="row"><td>Brand <span>@brand</span></td><td>Authorized</td>
      <td><button aria-haspopup="menu" aria-expanded="false" onclick="openMenu(this)">…</button></td></tr>
    <tr><td>Other <span>@brand.other</span></td><td>Pending</td><td></td></tr>
  </table>
</main>
<script>
  window.removed = [];
  document.addEventListener("keydown", (event) => {  // Escape closes the menu, as menus do
    if (event.key !== "Escape") return;
    document.querySelectorAll("[role=menu]").forEach((menu) => menu.remove());
    document.querySelectorAll("[aria-expanded]").forEach((button) => button.setAttribute("aria-expanded", "false"));
  });
  function openMenu(button) {
    button.setAttribute("aria-expanded", "true");
    const menu = document.createElement("div");
    menu.setAttribute("role", "menu");
    menu.innerHTML = '<div role="menuitem" tabindex="-1">Edit</div><div role="menuitem" tabindex="-1">Unlink</div>';
    menu.lastChild.onclick = () => { menu.remove(); confirmBox(); };
    document.body.append(menu);
  }
  function confirmBox() {
    const dialog = document.createElement("div");
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-label", "Unlink this account?");
    dialog.innerHTML = '<p>Unlink @brand?</p><button>No</button><button>Yes</button>';
    dialog.lastChild.onclick = () => {
      dialog.remove();
      window.removed.push("@brand");
      setTimeout(() => document.getElementById("row").remove(), 200);
    };
    document.body.append(dialog);
  }
</script>
"""


def test_an_unnamed_options_menu_and_other_words(page: Page) -> None:
    page.set_content(PAGE)
    walk = Walk(page, tutorial.load(), timeout_ms=1_000)
    matched = []
    walk.on_match = lambda step, match: matched.append((step.part, step.number, match.path))
    accounts = TikTokAccountsPage(walk)
    rows = accounts.rows()
    assert [(str(row.handle), row.pending) for row in rows] == [("@brand", False), ("@brand.other", True)]
    brand = Handle.parse("@brand")
    accounts.disconnect(brand).confirm()
    assert page.evaluate("window.removed") == ["@brand"]
    accounts = accounts.wait_until_gone(brand)
    assert not accounts.is_linked(brand)
    assert [(part, number, path.labels[-1]) for part, number, path in matched] == [
        ("disconnect", 2, "Unlink"),
        ("disconnect", 3, "Yes"),
    ]
