"""Pages of one run in windows of their own: headless Chromium throttles every tab of a window but the front one."""

from __future__ import annotations

from playwright.sync_api import Page

from runbook.windows import Windows


def window_of(page: Page) -> int:
    target = page.context.new_cdp_session(page).send("Target.getTargetInfo")["targetInfo"]["targetId"]
    browser = page.context.browser
    assert browser is not None
    return browser.new_browser_cdp_session().send("Browser.getWindowForTarget", {"targetId": target})["windowId"]


def test_each_page_opened_for_an_account_has_a_window_of_its_own(page: Page) -> None:
    windows = Windows(page.context, page)
    opened = []
    for _ in range(2):
        with page.context.expect_page() as arrived:
            windows.open()
        opened.append(arrived.value)
    windows.close()
    assert len({window_of(each) for each in (page, *opened)}) == 3
    # A page opened the ordinary way is a tab of an existing window (what the run did before).
    tab = page.context.new_page()
    assert window_of(tab) in {window_of(each) for each in (page, *opened)}
