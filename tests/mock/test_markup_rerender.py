"""The mock's rerender fault knob (MockConfig.rerender): controls replaced by fresh nodes after they show, the
app's state mirrored onto the node on screen.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import ElementHandle, Page, expect
from playwright.sync_api import Error as PlaywrightError

from runbook.fixtures.server import MockBusinessCenter
from tests.support.library import LIBRARY_CELLS
from tests.support.markup import go, mock_state, re_class
from tests.support.matrix import cells

# -- the rerender fault knob ---------------------------------------------------------------------------------------


# Keeps the first node ever shown with one of these texts (the innermost element holding all of it), so a test
# can hold the very node the page drew first, whenever it looks, instead of racing the swap.
_FIRST_SHOWN = """(texts) => {
  window.__first = {};
  const keep = (el) => {
    const text = el.textContent.trim();
    if (!texts.includes(text) || window.__first[text]) return;
    if ([...el.children].some((child) => child.textContent.trim() === text)) return;
    window.__first[text] = el;
  };
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      keep(node);
      node.querySelectorAll("*").forEach(keep);
    }
  }).observe(document, { childList: true, subtree: true });
}"""


def first_shown(page: Page, text: str) -> ElementHandle:
    handle = page.wait_for_function("text => window.__first && window.__first[text]", arg=text)
    element = handle.as_element()
    assert element is not None
    return element


# bare: test_rerender_keeps_state_on_the_fresh_node; arco and semi remount the control (a new React key)
@pytest.mark.parametrize("markup", cells(["aria", "mui", "arco", "semi"], everyday=["aria", "arco"]))
def test_rerender_detaches_a_found_button(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    mock.reset(markup=markup, rerender=0.2, delay=0.02)
    page.add_init_script(f"({_FIRST_SHOWN})({json.dumps(['Request Access', 'Generate QR code'])})")
    go(page, "/manage/accounts/tiktok-accounts")
    found = first_shown(page, "Request Access")
    page.wait_for_function("e => !e.isConnected", arg=found)
    with pytest.raises(PlaywrightError, match=r"not attached|detached"):
        found.click(timeout=2000)
    # Found anew, the fresh node works as the old one did; so do a dialog's controls.
    page.get_by_text("Request Access", exact=True).click()
    page.wait_for_function("e => !e.isConnected", arg=first_shown(page, "Generate QR code"))
    page.get_by_text("Generate QR code", exact=True).click()
    expect(page.get_by_text("Expires in", exact=False)).to_be_visible()
    assert len(mock.state()["qr_codes"]) == 1


def test_rerender_keeps_state_on_the_fresh_node(mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(markup="bare", rerender=0.2, delay=0.02)
    page.add_init_script(f"({_FIRST_SHOWN})({json.dumps(['Save'])})")
    go(page, "/manage/accounts/adv")
    page.get_by_text("Add Assets", exact=True).click()
    page.get_by_text("TikTok Accounts", exact=True).click()
    page.wait_for_function("e => !e.isConnected", arg=first_shown(page, "Save"))
    page.get_by_text("Linked Only @linked.only").click()
    # The app enabled its own (detached) Save node; the node on screen follows, and its click is the app's.
    expect(page.get_by_text("Save", exact=True)).not_to_have_class(re_class("bc-okee-btn-disabled"))
    page.get_by_text("Save", exact=True).click()
    expect(page.get_by_text("Added successfully")).to_be_visible()
    assert mock_state(mock)["@linked.only"]["assigned"] is True


@pytest.mark.parametrize("markup", LIBRARY_CELLS)
def test_a_remounted_library_button_keeps_the_apps_state(mock: MockBusinessCenter, page: Page, markup: str) -> None:
    """The library markups swap a control by remounting it: its state is the app's (props), so the fresh node shows
    it, and the side menu and a dropdown's items are fresh nodes too."""
    mock.reset(markup=markup, rerender=0.2, delay=0.02)
    page.add_init_script(f"({_FIRST_SHOWN})({json.dumps(['Save', 'Disconnect', 'Business settings'])})")
    go(page, "/manage/accounts/adv")
    page.wait_for_function("e => !e.isConnected", arg=first_shown(page, "Business settings"))
    page.get_by_text("Add Assets", exact=True).click()
    page.get_by_text("TikTok Accounts", exact=True).click()
    page.wait_for_function("e => !e.isConnected", arg=first_shown(page, "Save"))
    page.get_by_text("Linked Only @linked.only").click()
    save = page.get_by_role("button", name="Save")
    expect(save).to_be_enabled()
    save.click()
    expect(page.get_by_text("Added successfully")).to_be_visible()
    assert mock_state(mock)["@linked.only"]["assigned"] is True
    page.get_by_role("menuitem", name="TikTok accounts").click()
    page.get_by_role("row").filter(has_text="@linked.only").get_by_role("button").click()
    page.wait_for_function("e => !e.isConnected", arg=first_shown(page, "Disconnect"))
    page.get_by_role("menuitem", name="Disconnect").click()
    expect(page.get_by_role("dialog", name="Disconnect this TikTok account?")).to_be_visible()
