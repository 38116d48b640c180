"""The frame-qr edition in the library markups (arco, semi): the React Request Access dialog puts the QR widget of
the app's other loopback origin in an iframe where its QR panel would be and feeds it by postMessage, with the
okee widget and protocol of static/frame_qr.js (tests/mock/test_frame_qr.py has the widget's own tests).

These check the mock, not the runbook: the frame is reached through Playwright's frames, the owner's scan is a
request to the QR's URL.
"""

from __future__ import annotations

import re
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Frame, Locator, Page, expect

from runbook import qr as codes
from runbook.fixtures.server import MockBusinessCenter
from runbook.fixtures.widget import partner_origin
from tests.support.library import LIBRARIES, LIBRARY_CELLS, assert_drawn_by_library, dialog, row
from tests.support.markup import go, mock_state, scan


@pytest.fixture(params=LIBRARY_CELLS)
def library(request: pytest.FixtureRequest, mock: MockBusinessCenter) -> str:
    """The test once per library markup, the mock reset to the frame-qr edition in it (fast API answers)."""
    markup = str(request.param)
    mock.reset(markup=markup, edition="frame-qr", delay=0.02)
    return markup


def test_the_widget_draws_a_library_markup_as_aria(mock: MockBusinessCenter) -> None:
    """The widget is okee's: asked for by an arco or semi app, it is drawn in okee's own markup, with no stylesheet
    of a dialect okee does not have."""
    widget = partner_origin(urlsplit(mock.url).netloc)
    for markup in LIBRARIES:
        with urllib.request.urlopen(f"{widget}/widget/qr?markup={markup}&theme=dark", timeout=5) as answer:
            text = answer.read().decode()
        assert 'data-markup="aria"' in text and 'data-theme="dark"' in text
        assert f"/static/{markup}.css" not in text and "/static/widget.js" in text


def open_qr(page: Page) -> tuple[Locator, Locator, Frame]:
    """Request Access for @new.brand up to its QR code: the dialog, the iframe element and the widget's frame."""
    go(page, "/manage/accounts/tiktok-accounts")
    page.get_by_role("button", name="Request Access").click()
    request = dialog(page, "Request Access")
    request.get_by_role("textbox", name="TikTok username").fill("@new.brand")
    request.get_by_role("button", name="Generate QR code").click()
    element = request.locator("iframe")
    expect(element).to_be_visible()
    frame = element.element_handle().content_frame()
    assert frame is not None and frame in page.frames
    return request, element, frame


def read(element: Locator, code: Locator) -> str:
    """The payload decoded from a screenshot of the iframe element, once the picture has its pixels."""
    code.evaluate("async e => { if (e.decode) await e.decode(); }")
    return codes.decode(element.screenshot())


@pytest.mark.parametrize("qr_render", ["img", "svg"])
def test_the_qr_code_is_a_widget_in_a_frame_from_the_other_origin(
    library: str, mock: MockBusinessCenter, page: Page, qr_render: str
) -> None:
    mock.reset(markup=library, edition="frame-qr", qr_render=qr_render, delay=0.02)
    request, element, frame = open_qr(page)
    app, widget = urlsplit(page.url), urlsplit(frame.url)
    assert widget.hostname != app.hostname and {widget.hostname, app.hostname} == {"127.0.0.1", "localhost"}
    assert (widget.port, widget.path) == (app.port, "/widget/qr")
    assert parse_qs(widget.query) == {"markup": [library], "theme": ["light"]}  # as frame_qr.js says them
    assert page.evaluate("() => document.querySelector('iframe').contentDocument") is None  # cross-origin
    expect(element).to_have_attribute("title", "TikTok QR code")
    # The widget is okee's, another site's: it draws a markup it has no dialect for as aria, okee's own.
    expect(frame.locator("html")).to_have_attribute("data-markup", "aria")
    code = frame.get_by_role("img", name="QR code")
    expect(code).to_be_visible()
    expect(frame.get_by_text(re.compile(r"Expires in (2:00|1:5\d)"))).to_be_visible()  # the widget's countdown
    expect(request.get_by_text("Expires in", exact=False)).to_have_count(0)  # none of the dialog's own
    expect(request.get_by_text("Only @new.brand can accept this request.")).to_be_visible()
    expect(row(page, "@new.brand")).to_contain_text("Pending")  # behind the dialog
    assert read(element, code) == mock.state()["qr_codes"][0]["payload"]
    assert_drawn_by_library(page, library)  # the page's own document: the frame is the widget's


def test_expiry_and_refresh_inside_the_frame_then_the_scan_closes_the_flow(
    library: str, mock: MockBusinessCenter, page: Page
) -> None:
    request, element, frame = open_qr(page)
    code = frame.get_by_role("img", name="QR code")
    expect(code).to_be_visible()
    first = mock.state()["qr_codes"][0]["payload"]
    assert read(element, code) == first

    assert mock.expire() == 1
    expect(frame.get_by_text("QR code has expired")).to_be_visible()  # the dialog's poll told the widget
    expect(frame.get_by_text(re.compile("Expires in"))).to_be_hidden()
    frame.get_by_role("button", name="Refresh").click()
    expect(frame.get_by_text("QR code has expired")).to_have_count(0)
    expect(frame.get_by_text(re.compile(r"Expires in (2:00|1:5\d)"))).to_be_visible()
    second = mock.state()["qr_codes"][1]
    assert second["status"] == "pending" and second["account"] == "@new.brand"
    assert read(element, code) == second["payload"] != first
    assert element.element_handle().content_frame() == frame  # the same widget, sent the new code (not reloaded)

    assert scan(mock, second["payload"]) == 200  # the owner scans the code and accepts
    expect(request).to_contain_text("@new.brand accepted your request")
    expect(element).to_have_count(0)
    request.get_by_role("button", name="Close", exact=True).filter(has_text="Close").click()
    expect(request).to_be_hidden()
    expect(row(page, "@new.brand")).to_contain_text("Linked")
    assert mock_state(mock)["@new.brand"] == {"linked": True, "assigned": False}


def test_a_refresh_that_fails_can_be_clicked_again(library: str, mock: MockBusinessCenter, page: Page) -> None:
    _, _, frame = open_qr(page)
    expect(frame.get_by_role("img", name="QR code")).to_be_visible()
    mock.expire()
    refresh = frame.get_by_role("button", name="Refresh")
    expect(refresh).to_be_visible()
    mock.fault("/api/qr", "error")
    refresh.click()
    expect(page.get_by_text("Something went wrong. Try again later.")).to_be_visible()  # the library's toast
    expect(refresh).to_be_enabled()  # the dialog told the widget: its button works again
    refresh.click()
    expect(frame.get_by_text("QR code has expired")).to_have_count(0)
    assert len(mock.state()["qr_codes"]) == 2


# Posts {type: "refresh"} from the app's own window, then waits until a second message from it has been delivered
# (a window's messages arrive in order), and says how many QR codes the page asked for meanwhile: the dialog's
# listener asks at once (fetch, synchronously) for a message it takes.
_FORGED_REFRESH = """() => new Promise((done) => {
  let asked = 0;
  const fetch = window.fetch;
  window.fetch = (url, ...rest) => { if (String(url).startsWith("/api/qr?")) asked++; return fetch(url, ...rest); };
  window.addEventListener("message", (event) => {
    if (event.data !== "after") return;
    window.fetch = fetch;
    done(asked);
  });
  window.postMessage({ type: "refresh" }, "*");
  window.postMessage("after", "*");
})"""


def test_the_dialog_hears_only_its_widget(library: str, mock: MockBusinessCenter, page: Page) -> None:
    """The app's own window asking for a refresh is not the widget: ignored, as in okee's frame_qr.js."""
    _, _, frame = open_qr(page)
    expect(frame.get_by_role("img", name="QR code")).to_be_visible()
    assert mock.expire() == 1
    expect(frame.get_by_text("QR code has expired")).to_be_visible()
    assert page.evaluate(_FORGED_REFRESH) == 0
    frame.get_by_role("button", name="Refresh").click()  # the widget's own
    expect(frame.get_by_text("QR code has expired")).to_have_count(0)
    assert len(mock.state()["qr_codes"]) == 2


def test_the_widget_src_of_an_app_on_localhost_points_back(library: str, mock: MockBusinessCenter, page: Page) -> None:
    """The other way round: an app opened on localhost frames the widget from 127.0.0.1."""
    other = partner_origin(urlsplit(mock.url).netloc)
    page.goto(f"{other}/manage/accounts/tiktok-accounts?org_id=7623379731659948049")
    page.get_by_role("button", name="Request Access").click()
    dialog(page, "Request Access").get_by_role("button", name="Generate QR code").click()
    element = page.locator("iframe")
    expect(element).to_have_attribute("src", re.compile(rf"^{re.escape(mock.url)}/widget/qr\?"))
    frame = element.element_handle().content_frame()
    assert frame is not None
    expect(frame.get_by_role("img", name="QR code")).to_be_visible()
