"""The frame around every Business Center page: the left-hand menu."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from runbook.eyes.driver import Driver
from runbook.eyes.routes import follow
from runbook.pages.accounts import AccountsPage
from runbook.pages.tiktok_accounts import TikTokAccountsPage

# Reads the header as a person does, in the order it shows: the first line that is the product's name, and after
# it the first words that are not a control (a "Switch" link, a menu button) nor a mark (an avatar's initial).
_AFTER_PRODUCT = """([products, controls]) => {
  const plain = (text) => text.replace(/[^\\p{L}\\p{N}&'.,()-]+/gu, " ").trim();
  const lines = document.body.innerText.split("\\n").map((line) => line.trim()).filter((line) => plain(line));
  const wanted = new Set(products.map((name) => plain(name).toLowerCase()));
  const skip = new Set(
    [...document.querySelectorAll(controls)].map((node) => plain(node.innerText || "").toLowerCase()).filter(Boolean),
  );
  const seen = (line) => plain(line).toLowerCase();
  const at = lines.findIndex((line) => wanted.has(seen(line)));
  if (at < 0) return null;
  for (const line of lines.slice(at + 1, at + 4)) {
    if (seen(line).length > 1 && !skip.has(seen(line)) && !wanted.has(seen(line))) return line;
  }
  return null;
}"""
_CONTROLS = "a, button, [role=button], [role=link], [role=menuitem], [aria-haspopup]"


class Shell:
    def __init__(self, driver: Driver, *, picked: str | None = None) -> None:
        self.driver = driver
        self.picked = picked or None  # the Business Center's name on the picker's card, when one was chosen there

    def business_center_name(self) -> str | None:
        """The Business Center's name as its pages show it, next to the product's name at the top, else as the
        picker's card showed it; None when neither did (the run goes on without it: the owner is told "whoever
        sent you this link")."""
        products = list(self.driver.tutorial.sign_in["product"])
        try:
            name = self.driver.page.evaluate(_AFTER_PRODUCT, [products, _CONTROLS])
        except PlaywrightError:
            name = None
        return name[:120] if isinstance(name, str) and name else self.picked

    def menu(self) -> Locator:
        """The left-hand menu as the candidate engine sees it: a navigation landmark, a menu role, an aside, or a
        tall narrow column of controls at the left; marked so that a Locator addresses it."""
        self.driver.eyes.menu()
        return self.driver.page.locator("[data-runbook-menu]")

    def open_accounts(self) -> AccountsPage:
        """Accounts in the left-hand menu (on the way there, and on the way back)."""
        follow(self.driver, "navigation")
        return AccountsPage(self.driver)

    def open_tiktok_accounts(self) -> TikTokAccountsPage:
        """TikTok Accounts, under Accounts."""
        follow(self.driver, "navigation")
        return TikTokAccountsPage(self.driver)
