"""The mock Business Center itself: redirects, login, the QR life cycle, assignments, control endpoints, and a
few browser checks that the SPA renders what the runbook will look for."""

from __future__ import annotations

import io
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from email.message import Message
from typing import Any
from urllib.parse import urlencode

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from pyzbar.pyzbar import decode

from runbook.fixtures.server import MockBusinessCenter, MockConfig

ORG = "7623379731659948049"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are what these tests check, so they are returned rather than followed."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(
    url: str,
    *,
    json_body: Mapping[str, Any] | None = None,
    form: Mapping[str, str] | None = None,
    cookie: str | None = None,
) -> tuple[int, Message, str]:
    """(status, headers, text) of one request; a body makes it a POST."""
    headers = {"Cookie": cookie} if cookie else {}
    data = None
    if json_body is not None:
        data, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
    elif form is not None:
        data, headers["Content-Type"] = urlencode(form).encode(), "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with _OPENER.open(request, timeout=5) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx all land here
        return error.code, error.headers, error.read().decode()


def create_qr(mock: MockBusinessCenter, username: str | None = None) -> dict[str, Any]:
    status, _, text = fetch(f"{mock.url}/api/qr?org_id={ORG}", json_body={"username": username})
    assert status == 200, text
    return json.loads(text)


@pytest.fixture(autouse=True)
def fast(mock: MockBusinessCenter) -> MockBusinessCenter:
    """No API delay for the HTTP tests; the browser tests set their own."""
    mock.reset(delay=0.0)
    return mock


# -- redirects and login -----------------------------------------------------------------------------------


def test_root_goes_to_the_only_business_center(mock: MockBusinessCenter) -> None:
    status, headers, _ = fetch(f"{mock.url}/")
    assert status == 302
    assert headers["Location"] == f"/manage/overview?org_id={ORG}"


def test_root_goes_to_the_picker_when_there_are_several(mock: MockBusinessCenter) -> None:
    mock.reset(business_centers=[("111", "Alpha"), ("222", "Beta & Co")], delay=0.0)
    status, headers, _ = fetch(f"{mock.url}/")
    assert (status, headers["Location"]) == (302, "/select")
    status, _, text = fetch(f"{mock.url}/select")
    assert status == 200
    assert "<h1>Select a Business Center</h1>" in text
    assert '<a class="selection-item bc-card" href="/manage/overview?org_id=222">' in text
    assert "Beta &amp; Co" in text and "ID: 222" in text


def test_login_sets_an_http_only_session_cookie(mock: MockBusinessCenter) -> None:
    mock.reset(require_login=True, delay=0.0)
    status, headers, _ = fetch(f"{mock.url}/")
    assert (status, headers["Location"]) == (
        302,
        "/login?redirect=" + f"%2Fmanage%2Foverview%3Forg_id%3D{ORG}",
    )
    target = f"/manage/accounts/adv?org_id={ORG}"
    status, headers, _ = fetch(f"{mock.url}{target}")
    assert status == 302 and headers["Location"].startswith("/login?redirect=%2Fmanage%2Faccounts%2Fadv")
    assert fetch(f"{mock.url}/api/context?org_id={ORG}")[0] == 401

    status, _, text = fetch(f"{mock.url}/login?redirect=/select")
    assert status == 200
    assert 'id="TikTok_Ads_SSO_Login_Pwd_Input" name="password" type="password"' in text
    assert fetch(f"{mock.url}/login", form={"email": "a@b.c", "password": "", "redirect": target})[0] == 400

    status, headers, _ = fetch(f"{mock.url}/login", form={"email": "a@b.c", "password": "pw", "redirect": target})
    assert (status, headers["Location"]) == (302, target)
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("sessionid=") and "HttpOnly" in cookie
    session = cookie.split(";")[0]
    assert fetch(f"{mock.url}{target}", cookie=session)[0] == 200
    assert fetch(f"{mock.url}/manage/overview?org_id={ORG}", cookie="sessionid=forged")[0] == 302


def test_login_never_redirects_off_site(mock: MockBusinessCenter) -> None:
    form = {"email": "a@b.c", "password": "pw", "redirect": "https://evil.example/"}
    assert fetch(f"{mock.url}/login", form=form)[1]["Location"] == "/"


def test_manage_pages_are_one_js_shell_and_unknown_org_is_an_error(mock: MockBusinessCenter) -> None:
    status, _, shell = fetch(f"{mock.url}/manage/accounts/tiktok-accounts?org_id={ORG}")
    assert status == 200
    assert '<script type="module" src="/static/app.js">' in shell
    assert "@acme.official" not in shell  # rows come later, from /api/
    status, _, text = fetch(f"{mock.url}/manage/overview?org_id=123")
    assert status == 404 and "Business Center not found" in text
    assert fetch(f"{mock.url}/static/app.js")[0] == 200
    assert fetch(f"{mock.url}/static/../server.py")[0] == 404


# -- the QR life cycle -------------------------------------------------------------------------------------


def test_authorize_links_the_typed_account_once(mock: MockBusinessCenter) -> None:
    qr = create_qr(mock, "New.Brand")
    assert qr["payload"] == f"{mock.url}/authorize/{qr['token']}"
    assert qr["png"].startswith("data:image/png;base64,") and qr["matrix"][0][:7] == [1] * 7
    state = mock.state()
    assert state["mutations"] == 0  # generating a QR code changes nothing that lasts
    assert state["qr_codes"][0]["status"] == "pending" and state["qr_codes"][0]["account"] == "@new.brand"

    status, _, text = fetch(qr["payload"] + "?as=@someone.else")  # the typed username wins
    assert status == 200 and "Access granted" in text
    state = mock.state()
    assert state["accounts"]["@new.brand"] == {"linked": True, "assigned": False}
    assert "@someone.else" not in state["accounts"]
    assert state["qr_codes"][0]["status"] == "accepted"
    assert state["mutations"] == 1
    assert fetch(qr["payload"])[0] == 409
    assert json.loads(fetch(f"{mock.url}/api/qr/{qr['token']}")[2])["status"] == "accepted"


def test_authorize_without_a_typed_username_needs_as(mock: MockBusinessCenter) -> None:
    qr = create_qr(mock)
    status, _, text = fetch(qr["payload"])
    assert status == 400 and "no account: add ?as=@handle" in text
    assert fetch(qr["payload"] + "?as=@fresh.one")[0] == 200
    assert mock.state()["accounts"]["@fresh.one"]["linked"] is True


def test_unknown_qr_and_bad_username(mock: MockBusinessCenter) -> None:
    assert fetch(f"{mock.url}/authorize/0123456789abcdef?as=@x")[0] == 404
    assert fetch(f"{mock.url}/api/qr/0123456789abcdef")[0] == 404
    status, _, _ = fetch(f"{mock.url}/api/qr?org_id={ORG}", json_body={"username": "not a handle"})
    assert status == 400


def test_qr_expires(mock: MockBusinessCenter) -> None:
    mock.reset(delay=0.0)
    qr = create_qr(mock, "@late")
    assert mock.state()["qr_codes"][0]["status"] == "pending"
    assert mock.expire() == 1  # the test, not the clock, decides when the code runs out
    assert mock.state()["qr_codes"][0]["status"] == "expired"
    status, _, text = fetch(qr["payload"])
    assert status == 410 and "This QR code has expired" in text
    assert mock.state()["mutations"] == 0
    assert "@late" not in mock.state()["accounts"]


# -- assignments and disconnects ---------------------------------------------------------------------------


def test_assign_then_disconnect(mock: MockBusinessCenter) -> None:
    status, _, text = fetch(f"{mock.url}/api/assign?org_id={ORG}", json_body={"handles": ["@linked.only"]})
    assert status == 200 and json.loads(text)["added"] == ["@linked.only"]
    assert mock.state()["accounts"]["@linked.only"] == {"linked": True, "assigned": True}
    assert fetch(f"{mock.url}/api/assign?org_id={ORG}", json_body={"handles": ["@nobody"]})[0] == 400

    assert fetch(f"{mock.url}/api/disconnect?org_id={ORG}", json_body={"handle": "@linked.only"})[0] == 200
    state = mock.state()
    assert state["accounts"]["@linked.only"] == {"linked": False, "assigned": False}
    assert state["mutations"] == 2
    _, _, text = fetch(f"{mock.url}/api/tiktok-accounts?org_id={ORG}")
    assert [row["handle"] for row in json.loads(text)["accounts"]] == ["@acme.official"]


def test_the_list_shows_an_account_whose_code_waits_for_its_owner_as_pending(mock: MockBusinessCenter) -> None:
    def listed(pending: bool = True) -> list[tuple[str, str]]:
        query = "&pending=1" if pending else ""
        _, _, text = fetch(f"{mock.url}/api/tiktok-accounts?org_id={ORG}{query}")
        return [(row["handle"], row["status"]) for row in json.loads(text)["accounts"]]

    linked = [("@acme.official", "Linked"), ("@linked.only", "Linked")]
    code = create_qr(mock, "@new.brand")
    create_qr(mock, "@new.brand")  # a second code for the same account: still one row
    create_qr(mock, "@acme.official")  # linked already: its linked row only
    create_qr(mock)  # no account named: nobody to list
    assert listed() == [*linked, ("@new.brand", "Pending")]
    assert listed(pending=False) == linked  # what Add Assets offers: only linked accounts
    assert mock.expire() == 4
    assert listed() == linked
    create_qr(mock, "@new.brand")
    assert fetch(code["payload"])[0] == 410  # the expired one cannot be accepted; the new one can
    assert fetch(mock.state()["qr_codes"][-1]["payload"])[0] == 200
    assert listed() == [*linked, ("@new.brand", "Linked")]
    assert mock.state()["mutations"] == 1


def test_fail_save_answers_500_and_changes_nothing(mock: MockBusinessCenter) -> None:
    mock.reset(fail_save=True, delay=0.0)
    before = mock.state()
    status, _, text = fetch(f"{mock.url}/api/assign?org_id={ORG}", json_body={"handles": ["@linked.only"]})
    assert status == 500 and json.loads(text)["error"] == "Something went wrong. Try again later."
    assert mock.state() == before


# -- configuration and control -----------------------------------------------------------------------------


def test_reset_and_control_endpoints(mock: MockBusinessCenter) -> None:
    create_qr(mock)
    mock.reset(MockConfig(edition="wizard"), delay=0.0, linked={"@solo": True})
    state = mock.state()
    assert state == {
        "edition": "wizard",
        "accounts": {"@solo": {"linked": True, "assigned": True}},
        "qr_codes": [],
        "mutations": 0,
    }
    with pytest.raises(ValueError):
        mock.reset(edition="no-such-edition")
    with pytest.raises(ValueError):
        mock.reset(colour="blue")

    status, _, text = fetch(
        f"{mock.url}/__mock__/reset", json_body={"edition": "add-menu", "business_centers": [["9", "Nine"]]}
    )
    assert status == 200 and json.loads(text)["edition"] == "add-menu"
    assert mock.config.business_centers == [("9", "Nine")]
    assert json.loads(fetch(f"{mock.url}/__mock__/state")[2]) == mock.state()
    assert fetch(f"{mock.url}/__mock__/reset", json_body={"bogus": 1})[0] == 400


def test_api_answers_are_held_back(mock: MockBusinessCenter) -> None:
    mock.reset(delay=0.2)
    started = time.monotonic()
    assert fetch(f"{mock.url}/api/context?org_id={ORG}")[0] == 200
    assert time.monotonic() - started >= 0.2


# -- in the browser ----------------------------------------------------------------------------------------


def test_tiktok_accounts_table_renders_after_the_async_request(mock: MockBusinessCenter, page: Page) -> None:
    mock.reset()  # the default 0.15 s delay: the frame comes first, the rows later
    page.goto(f"/manage/accounts/tiktok-accounts?org_id={ORG}")
    expect(page.get_by_role("heading", level=1)).to_have_text("TikTok accounts")
    row = page.get_by_role("row").filter(has_text="@acme.official")
    expect(row).to_contain_text("Linked")
    expect(row.get_by_role("button", name="More actions")).to_have_attribute("aria-haspopup", "menu")
    nav = page.get_by_role("navigation", name="Business Center")
    expect(nav.get_by_role("link", name="Accounts", exact=True)).to_have_attribute(
        "href", f"/manage/accounts/adv?org_id={ORG}"
    )


def test_announcement_covers_the_page_until_dismissed(mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(edition="announcement", delay=0.0)
    page.goto(f"/manage/overview?org_id={ORG}")
    dialog = page.get_by_role("dialog", name="What's new in Business Center")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog.get_by_role("button", name="Close")).to_be_visible()
    dialog.get_by_role("button", name="Got it").click()
    expect(dialog).to_be_hidden()


def test_request_access_qr_decodes_and_the_row_appears_without_reload(mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(delay=0.02)
    page.goto(f"/manage/accounts/tiktok-accounts?org_id={ORG}")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Request Access").click()
    dialog = page.get_by_role("dialog", name="Request Access")
    dialog.get_by_role("textbox", name="TikTok username").fill("@new.brand")
    dialog.get_by_role("button", name="Generate QR code").click()
    qr = dialog.get_by_role("img", name="QR code")
    expect(qr).to_be_visible()
    # 2:00 when drawn at once; a busy machine may show the countdown a second later.
    expect(dialog).to_contain_text(re.compile(r"Expires in (2:00|1:5\d)"))

    # Behind the dialog, the list shows the request that waits for its owner.
    expect(page.get_by_role("row").filter(has_text="@new.brand")).to_contain_text("Pending")
    decoded = decode(Image.open(io.BytesIO(qr.screenshot())))
    payload = mock.state()["qr_codes"][0]["payload"]
    assert [symbol.data.decode() for symbol in decoded] == [payload]

    assert fetch(payload)[0] == 200  # the owner scans and accepts
    expect(dialog).to_contain_text("@new.brand accepted your request")
    expect(page.get_by_role("row").filter(has_text="@new.brand")).to_contain_text("Linked")
    assert page.evaluate("window.__sameDocument") is True


def test_add_assets_styled_controls_and_save(mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(delay=0.02)
    page.goto(f"/manage/accounts/adv?org_id={ORG}")
    page.get_by_role("button", name="Add Assets").click()
    dialog = page.get_by_role("dialog", name="Add Assets")
    radio = dialog.get_by_role("radio", name="TikTok Accounts")
    # The native input is visually hidden under its styled label: a plain check() is intercepted by the
    # label's drawing, which is what the runbook's force=True is for.
    radio.check(force=True)
    expect(radio).to_be_checked()
    assigned = dialog.get_by_role("checkbox", name="Acme Official @acme.official")
    expect(assigned).to_be_checked()
    expect(assigned).to_be_disabled()
    expect(dialog.locator(".add-assets-option", has_text="@acme.official")).to_contain_text("Assigned")
    save = dialog.get_by_role("button", name="Save")
    expect(save).to_be_disabled()
    dialog.get_by_role("checkbox", name="Linked Only @linked.only").check(force=True)
    save.click()
    expect(page.get_by_role("status").filter(has_text="Added successfully")).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("row").filter(has_text="Northwind Ads 01")).to_contain_text("@linked.only")
    assert mock.state()["accounts"]["@linked.only"] == {"linked": True, "assigned": True}
