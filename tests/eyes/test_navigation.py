"""A look cut off by a navigation: the page a query was asked of is replaced while it runs (a redirect to the login
page when the session ends, an app that reloads itself). A person looks again at the page now there."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from runbook.eyes.engine import Eyes
from runbook.fixtures.server import MockBusinessCenter
from tests.support.markup import go

_RELOAD_MID_CALL = "() => new Promise(() => location.reload())"  # never answers: its document goes first


def test_a_query_cut_off_by_a_navigation_is_asked_again_of_the_new_document(
    mock: MockBusinessCenter, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    go(page, "/manage/accounts/tiktok-accounts")
    eyes = Eyes(page)
    frame = page.main_frame
    evaluate = frame.evaluate
    cut_off: list[str] = []

    def navigating(expression: str, arg: object = None) -> object:
        if not cut_off:  # the first call: the document is replaced while it runs, as Playwright reports it
            cut_off.append(expression)
            return evaluate(_RELOAD_MID_CALL)
        return evaluate(expression, arg)

    monkeypatch.setattr(frame, "evaluate", navigating)
    names = eyes.names()  # the reloaded app may not have drawn yet: an answer, not an error
    assert cut_off, "the query was not cut off"
    assert isinstance(names, list)
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"  # asked of the new one
