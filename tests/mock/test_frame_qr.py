"""The frame-qr edition: the Request Access dialog's QR panel is a widget from the app's other loopback origin
(127.0.0.1 <-> localhost, same port), an iframe the dialog feeds by postMessage.

Mock tests: Playwright drives the mock directly (the frame through page.frames), not through the runbook.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Frame, Locator, Page, expect

from runbook import qr as codes
from runbook.fixtures.server import MockBusinessCenter
from runbook.fixtures.widget import partner_origin
from tests.support.markup import ORG, assert_bare, go, scan

# Each markup with another QR rendering, so that every rendering is drawn in the frame.
CASES = [("aria", "img"), ("bare", "canvas"), ("mui", "svg")]
# Every role and aria-* attribute in a document (bare has none).
_NAMED = """() => [...document.querySelectorAll("*")].flatMap((e) => [...e.attributes]
  .filter((a) => a.name === "role" || a.name.startsWith("aria-")).map((a) => `${e.tagName}[${a.name}]`))"""
# Whether the document fits its frame: nothing to scroll either way.
_FITS = """() => { const d = document.documentElement;
  return [d.scrollWidth <= d.clientWidth, d.scrollHeight <= d.clientHeight]; }"""


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def other_host(url: str) -> str:
    """The mock's URL on its other loopback name: where the widget lives for an app opened at `url`."""
    return partner_origin(urlsplit(url).netloc)


# -- the widget's page and origin ---------------------------------------------------------------------------------


def test_widget_is_served_on_the_other_origin_without_a_session(mock: MockBusinessCenter) -> None:
    mock.reset(edition="frame-qr", require_login=True, delay=0.0)
    port = urlsplit(mock.url).port
    assert partner_origin(f"127.0.0.1:{port}") == f"http://localhost:{port}"
    assert partner_origin(f"localhost:{port}") == f"http://127.0.0.1:{port}"
    widget = other_host(mock.url)
    status, headers, text = get(f"{widget}/widget/qr?markup=bare&theme=dark")
    assert status == 200  # no session, although the app asks for one
    assert headers["Content-Security-Policy"] == f"frame-ancestors {mock.url}"  # only the app may frame it
    assert f'data-parent-origin="{mock.url}"' in text and 'data-markup="bare"' in text
    assert 'data-theme="dark"' in text and "/static/bare.css" in text and "/static/widget.js" in text
    assert get(f"{widget}/static/widget.js")[0] == 200
    assert get(f"{widget}/widget/qr?markup=fancy")[0] == 400
    assert get(f"{mock.url}/api/context?org_id={ORG}")[0] == 401  # the app's API still wants its session

    mock.reset(edition="frame-qr", delay=0.0)
    _, _, context = get(f"{mock.url}/api/context?org_id={ORG}")
    assert json.loads(context)["ui"]["widget_origin"] == widget
    _, _, context = get(f"{widget}/api/context?org_id={ORG}")  # the app opened on localhost: the other way round
    assert json.loads(context)["ui"]["widget_origin"] == mock.url


# -- in the browser ---------------------------------------------------------------------------------------------


def open_qr(mock: MockBusinessCenter, page: Page, markup: str, qr_render: str) -> tuple[Locator, Frame]:
    """Request Access for @new.brand up to its QR code: the iframe element and the widget's frame."""
    mock.reset(edition="frame-qr", markup=markup, qr_render=qr_render, delay=0.02)
    go(page, "/manage/accounts/tiktok-accounts")
    page.locator("#bc-main").get_by_text("Request Access", exact=True).click()
    page.get_by_placeholder("@username").fill("@new.brand")
    page.get_by_text("Generate QR code", exact=True).click()
    element = page.locator("iframe.qr-frame")
    expect(element).to_be_visible()
    frame = element.element_handle().content_frame()
    assert frame is not None and frame in page.frames
    return element, frame


def picture(frame: Frame, markup: str, qr_render: str) -> Locator:
    """The code in the widget: named "QR code" (alt, or role=img and aria-label) except in bare."""
    if markup == "bare":
        return frame.locator(f".qr-code-box > {qr_render}")
    return frame.get_by_role("img", name="QR code")


def read(element: Locator, code: Locator) -> str:
    """The payload decoded from a screenshot of the iframe element, once the picture has its pixels."""
    code.evaluate("async e => { if (e.decode) await e.decode(); }")
    return codes.decode(element.screenshot())


def refresh_button(frame: Frame, markup: str) -> Locator:
    return frame.get_by_text("Refresh", exact=True) if markup == "bare" else frame.get_by_role("button", name="Refresh")


def wait_for_codes(mock: MockBusinessCenter, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(mock.state()["qr_codes"]) < count:
        assert time.monotonic() < deadline, f"fewer than {count} QR codes"
        time.sleep(0.05)


@pytest.mark.parametrize(("markup", "qr_render"), CASES)
def test_frame_qr_code_expiry_refresh_and_scan(
    mock: MockBusinessCenter, page: Page, markup: str, qr_render: str
) -> None:
    element, frame = open_qr(mock, page, markup, qr_render)
    # Another origin: the frame's host differs from the page's (same port), and the page's script cannot read it.
    app, widget = urlsplit(page.url), urlsplit(frame.url)
    assert widget.hostname != app.hostname and {widget.hostname, app.hostname} == {"127.0.0.1", "localhost"}
    assert (widget.port, widget.path) == (app.port, "/widget/qr")
    assert page.evaluate("() => document.querySelector('iframe.qr-frame').contentDocument") is None
    code = picture(frame, markup, qr_render)
    expect(code).to_be_visible()
    expect(page.locator(".qr-code-box")).to_have_count(0)  # nothing of the code in the app's own document
    expect(frame.get_by_text(re.compile(r"Expires in (2:00|1:5\d)"))).to_be_visible()
    expect(page.get_by_text("Only @new.brand can accept this request.")).to_be_visible()  # the dialog's text
    expect(page.locator("#bc-main").get_by_text("@new.brand")).to_be_visible()  # listed as pending behind
    first = mock.state()["qr_codes"][0]["payload"]
    assert read(element, code) == first
    # Big enough for the code and its countdown: nothing to scroll in the frame.
    assert frame.evaluate(_FITS) == [True, True]
    if markup == "bare":
        assert_bare(frame)  # a Frame has the evaluate() and locator() it uses, as a Page does
        assert page.evaluate(_NAMED) == [] and element.get_attribute("title") is None
    else:
        expect(element).to_have_attribute("title", "TikTok QR code")

    assert mock.expire() == 1
    expect(frame.get_by_text("QR code has expired")).to_be_visible()
    expect(frame.get_by_text(re.compile("Expires in"))).to_be_hidden()
    refresh_button(frame, markup).click()
    wait_for_codes(mock, 2)
    second = mock.state()["qr_codes"][1]
    assert second["status"] == "pending" and second["account"] == "@new.brand"
    expect(frame.get_by_text("QR code has expired")).to_have_count(0)
    expect(code).to_be_visible()
    assert read(element, code) == second["payload"] != first
    assert frame.url.startswith(other_host(page.url))  # the same widget, sent the new code (not reloaded)

    assert scan(mock, second["payload"]) == 200  # the owner scans the code and accepts
    expect(page.get_by_text("@new.brand accepted your request")).to_be_visible()
    expect(element).to_have_count(0)
    assert mock.state()["accounts"]["@new.brand"] == {"linked": True, "assigned": False}


def test_frame_qr_messages_from_another_origin_or_window_are_ignored(mock: MockBusinessCenter, page: Page) -> None:
    _, frame = open_qr(mock, page, "aria", "img")
    expect(frame.get_by_role("img", name="QR code")).to_be_visible()
    # The widget takes orders from its parent's origin only: its own origin posting to it is not its parent.
    frame.evaluate("() => window.postMessage({type: 'expired'}, '*')")
    page.wait_for_timeout(300)
    expect(frame.get_by_text("QR code has expired")).to_have_count(0)
    # The dialog takes them from the widget's origin only: the app's own page asking for a refresh is ignored.
    assert mock.expire() == 1
    expect(frame.get_by_text("QR code has expired")).to_be_visible()
    page.evaluate("() => window.postMessage({type: 'refresh'}, '*')")
    page.wait_for_timeout(300)
    assert len(mock.state()["qr_codes"]) == 1
    frame.get_by_role("button", name="Refresh").click()
    wait_for_codes(mock, 2)


def test_frame_qr_widget_shows_nothing_until_its_parent_sends_a_code(mock: MockBusinessCenter, page: Page) -> None:
    page.goto(f"{other_host(mock.url)}/widget/qr?markup=aria")  # opened by itself, not framed by the app
    expect(page.locator("#qr-widget")).to_be_attached()
    page.wait_for_timeout(200)
    assert page.locator("#qr-widget").inner_html() == ""


def test_frame_qr_refresh_that_fails_can_be_clicked_again(mock: MockBusinessCenter, page: Page) -> None:
    _, frame = open_qr(mock, page, "mui", "img")
    expect(frame.get_by_role("img", name="QR code")).to_be_visible()
    mock.expire()
    refresh = frame.get_by_role("button", name="Refresh")
    expect(refresh).to_be_visible()
    mock.fault("/api/qr", "error")
    refresh.click()
    expect(page.get_by_role("alert").filter(has_text="Something went wrong")).to_be_visible()
    expect(refresh).to_be_enabled()  # the dialog told the widget: its button works again
    refresh.click()
    wait_for_codes(mock, 2)
    expect(frame.get_by_text("QR code has expired")).to_have_count(0)
