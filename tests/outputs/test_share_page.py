"""The live share page in a real browser, fed synthetic run events (no connect needed)."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import Page, expect

from runbook import qr
from runbook.share.page import SharePage

FIRST = "https://bc.example/authorize/0123456789abcdef"
SECOND = "https://bc.example/authorize/fedcba9876543210"


def _in(seconds: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def _qr(account: str, payload: str, attempt: int) -> dict[str, object]:
    return {
        "event": "qr",
        "account": account,
        "payload": payload,
        "png": "qr.png",
        "expires_at": _in(120),
        "attempt": attempt,
    }


@pytest.fixture
def share() -> Iterator[SharePage]:
    page = SharePage(accounts=["@a", "@b"])
    yield page
    page.close(linger=0)


def _shown_payload(page: Page, account: str) -> str:
    picture = page.get_by_role("img", name=f"QR code for {account}")
    expect(picture).to_be_visible()
    return qr.decode(picture.screenshot())


def test_the_page_shows_the_code_its_replacement_and_assigned(share: SharePage, page: Page) -> None:
    [(shown, url)] = share.start()
    assert shown is None
    share(_qr("@a", FIRST, 1))
    page.goto(url)
    card = page.get_by_role("region", name="@a")
    expect(card.get_by_text("Waiting for you to scan")).to_be_visible()
    expect(card.get_by_text("Expires in")).to_be_visible()
    assert _shown_payload(page, "@a") == FIRST
    share({"event": "expired", "account": "@a", "attempt": 1})
    expect(card.get_by_text("This code has expired: a new one is coming")).to_be_visible()
    share(_qr("@a", SECOND, 2))
    expect(card.get_by_text("Code #2")).to_be_visible()
    assert _shown_payload(page, "@a") == SECOND
    share({"event": "accepted", "account": "@a", "codes": 2})
    expect(card.get_by_text("Accepted")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for @a")).to_have_count(0)
    share({"event": "done", "account": "@a", "already": False})
    expect(card.get_by_text("Accepted, thank you: all done")).to_be_visible()
    share({"event": "failed", "account": "@b", "status": "timed out", "message": "@b did not accept within 600 s"})
    expect(page.get_by_role("region", name="@b").get_by_text("Time is up")).to_be_visible()


OPERATORS_WORDS = re.compile(r"[Ss]tep \d|--|tiktok-runbook|Traceback|Error|expected one control|within \d+ s")


@pytest.mark.parametrize(
    ("status", "message", "owner_reads"),
    [
        (
            "timed out",
            'Step 6 "TikTok account owner scans the QR code and accepts": @b did not accept within 10 s. '
            "Nothing was assigned; run the same command again for a new QR code",
            "not accepted in time",
        ),
        (
            "failed at step 6",
            'Step 6 "…": expected one control "Close"; visible instead: "Close", "Close"',
            "The request was cancelled",
        ),
    ],
    ids=["timed-out", "failed-step"],
)
def test_the_owner_reads_plain_words_never_the_operators(share: SharePage, page: Page, status, message, owner_reads):
    [(_, url)] = share.start()
    share(_qr("@b", FIRST, 1))
    page.goto(url)
    card = page.get_by_role("region", name="@b")
    expect(card.get_by_text("Waiting for you to scan")).to_be_visible()
    share({"event": "failed", "account": "@b", "status": status, "message": message})
    expect(card.get_by_text(owner_reads)).to_be_visible()  # and the state, in the words each state has
    assert not OPERATORS_WORDS.search(page.locator("body").inner_text()), page.locator("body").inner_text()


def test_the_countdown_is_the_shorter_of_the_codes_life_and_the_runs_wait(share: SharePage, page: Page) -> None:
    """The code would scan for two more minutes, but the run waits 30 s more: the owner sees 30 s."""
    [(_, url)] = share.start()
    share(_qr("@a", FIRST, 1))
    page.goto(url)
    card = page.get_by_role("region", name="@a")
    expect(card.get_by_text(re.compile(r"Expires in 1:[45]\d"))).to_be_visible()
    share({"event": "waiting", "account": "@a", "seconds_left": 30, "qr": 1, "at": _in(0)})
    expect(card.get_by_text(re.compile(r"Expires in 0:[23]\d"))).to_be_visible()
    share(_qr("@a", SECOND, 2))  # a new code: still the run's clock, which ends first
    expect(card.get_by_text("Code #2")).to_be_visible()
    expect(card.get_by_text(re.compile(r"Expires in 0:[123]\d"))).to_be_visible()


def test_close_lingers_until_the_open_page_saw_the_final_status(share: SharePage, page: Page) -> None:
    [(shown, url)] = share.start()
    assert shown is None
    share(_qr("@a", FIRST, 1))
    page.goto(url)
    expect(page.get_by_text("Waiting for you to scan")).to_be_visible()
    closing = threading.Thread(target=share.close, kwargs={"linger": 30})
    share({"event": "done", "account": "@a", "already": False})
    share({"event": "summary", "accounts": [{"account": "@a", "status": "assigned", "codes": 1, "seconds": 9.5}]})
    closing.start()
    closing.join(timeout=25)
    assert not closing.is_alive(), "close() waited although the page had seen the final status"
    expect(page.get_by_text("This request has ended")).to_be_visible()
    expect(page.get_by_role("region", name="@a").get_by_text("all done")).to_be_visible()
    with pytest.raises(urllib.error.URLError):  # and then it stopped answering
        urllib.request.urlopen(url + "state", timeout=5)


def test_a_run_ending_without_a_summary_is_final_too(share: SharePage, page: Page) -> None:
    [(shown, url)] = share.start()
    assert shown is None
    share(_qr("@a", FIRST, 1))
    page.goto(url)
    expect(page.get_by_text("Waiting for you to scan")).to_be_visible()
    share.close(linger=30)  # returns once the page has seen that the run is over
    expect(page.get_by_text("This request has ended")).to_be_visible()


def test_without_the_token_there_is_nothing(share: SharePage, page: Page) -> None:
    [(shown, url)] = share.start()
    assert shown is None
    share(_qr("@a", FIRST, 1))
    root = url.split("/s/")[0]
    guesses = ("/", "/s/", "/s/notthetoken/", "/s/notthetoken/state", "/share.js")
    for guess in (root + path for path in guesses):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(guess, timeout=5)
        assert refused.value.code == 404
        assert refused.value.read() == b""
    answer = page.request.get(f"{root}/s/{url.split('/s/')[1][:-2]}/")  # one character short
    assert answer.status == 404 and answer.body() == b""


def test_a_per_account_link_shows_only_its_account(page: Page) -> None:
    share = SharePage(per_account=True, accounts=["@a", "@b"])
    try:
        links = dict(share.start())
        assert set(links) == {"@a", "@b"} and links["@a"] != links["@b"]
        share(_qr("@a", FIRST, 1))
        share(_qr("@b", SECOND, 1))
        page.goto(links["@b"])
        expect(page.get_by_role("region", name="@b")).to_be_visible()
        assert _shown_payload(page, "@b") == SECOND
        expect(page.get_by_role("region", name="@a")).to_have_count(0)
        expect(page.get_by_text("@a", exact=True)).to_have_count(0)
    finally:
        share.close(linger=0)


def test_the_page_fits_a_phone_screen(share: SharePage, page: Page) -> None:
    [(shown, url)] = share.start()
    assert shown is None
    share(_qr("@a", FIRST, 1))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(url)
    picture = page.get_by_role("img", name="QR code for @a")
    expect(picture).to_be_visible()
    box = picture.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert _shown_payload(page, "@a") == FIRST


def test_without_server_sent_events_the_page_polls(share: SharePage, page: Page) -> None:
    [(shown, url)] = share.start()
    assert shown is None
    page.add_init_script("delete window.EventSource")
    share(_qr("@a", FIRST, 1))
    page.goto(url)
    expect(page.get_by_text("refreshing every 2 s")).to_be_visible()
    assert _shown_payload(page, "@a") == FIRST
    share({"event": "done", "account": "@a", "already": True})
    expect(page.get_by_role("region", name="@a").get_by_text("all done")).to_be_visible()
    share.close(linger=30)  # the polling page is waited for, too
    expect(page.get_by_text("This request has ended")).to_be_visible()


def _fits(page: Page, width: int) -> None:
    """Nothing wider than the screen: no sideways scrolling, and every element inside it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    widest = page.evaluate(
        "Math.max(...[...document.body.querySelectorAll('*')].map((e) => e.getBoundingClientRect().right))"
    )
    assert widest <= width, widest


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 800)], ids=["phone", "desktop"])
def test_the_owner_reads_who_asks_and_what_accepting_grants(page: Page, tmp_path, width, height) -> None:
    share = SharePage(accounts=["@a"], notes={"@a": "Ana (WhatsApp)"})
    try:
        [(_, url)] = share.start()
        share({"event": "business_center", "name": "Northwind Agency"})
        share(_qr("@a", FIRST, 1))
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        expect(page.get_by_text("Northwind Agency asks for access to your TikTok account")).to_be_visible()
        card = page.get_by_role("region", name="@a")
        expect(card.get_by_text("Ana (WhatsApp)")).to_be_visible()
        grants = page.get_by_role("region", name="What accepting allows")
        expect(grants.get_by_text("Northwind Agency gets advertising access")).to_be_visible()
        expect(grants.get_by_text("Spark Ads")).to_be_visible()
        expect(grants.get_by_text("It cannot post, reply to comments or manage your profile")).to_be_visible()
        expect(grants.get_by_text("Settings › Privacy › Authorised Apps")).to_be_visible()
        # The phone that must scan cannot: the code as a link, or this page on another screen.
        expect(card.get_by_role("link", name="open the code in TikTok")).to_have_attribute("href", FIRST)
        expect(card.get_by_text("or open this page on another screen")).to_be_visible()
        assert _shown_payload(page, "@a") == FIRST
        _fits(page, width)
        page.screenshot(path=tmp_path / f"{width}-waiting.png", full_page=True)
    finally:
        share.close(linger=0)


def test_on_a_phone_a_new_code_swaps_in_place_and_the_end_says_what_to_do(page: Page, tmp_path) -> None:
    """At 360 px: waiting, expired and replaced (the same picture, a new code), accepted, and the end."""
    share = SharePage(accounts=["@a", "@b"])
    try:
        [(_, url)] = share.start()
        share({"event": "business_center", "name": "Northwind Agency"})
        share(_qr("@a", FIRST, 1))
        share(_qr("@b", SECOND, 1))
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(url)
        card = page.get_by_role("region", name="@a")
        picture = card.get_by_role("img", name="QR code for @a")
        expect(card.get_by_text(re.compile(r"Expires in \d:\d\d"))).to_be_visible()
        picture.evaluate("(img) => { img.dataset.seen = 'first' }")  # the element the owner is looking at
        _fits(page, 360)
        page.screenshot(path=tmp_path / "360-1-waiting.png", full_page=True)
        share({"event": "expired", "account": "@a", "attempt": 1})
        expect(card.get_by_text("This code has expired: a new one is coming")).to_be_visible()
        share(_qr("@a", "https://bc.example/authorize/00000000000000000000000000000002", 2))
        expect(card.get_by_text("Code #2")).to_be_visible()
        expect(card.get_by_text("Waiting for you to scan")).to_be_visible()
        assert picture.evaluate("(img) => img.dataset.seen") == "first"  # swapped in place, not redrawn
        assert _shown_payload(page, "@a").endswith("0002")
        _fits(page, 360)
        page.screenshot(path=tmp_path / "360-2-expired-and-replaced.png", full_page=True)
        share({"event": "accepted", "account": "@a", "codes": 2})
        expect(card.get_by_text("Accepted, thank you")).to_be_visible()
        expect(card.get_by_role("link", name="open the code in TikTok")).to_be_hidden()
        _fits(page, 360)
        page.screenshot(path=tmp_path / "360-3-accepted.png", full_page=True)
        share({"event": "done", "account": "@a", "already": False})
        share.close(linger=30)  # @b never accepted: the run ends with its code unscanned
        expect(page.get_by_text("This request has ended")).to_be_visible()
        expect(page.get_by_text("If you still want to accept, ask Northwind Agency for a new code")).to_be_visible()
        expect(page.get_by_role("img")).to_have_count(0)  # nothing left to scan
        expect(page.get_by_role("region", name="@b").get_by_text("Cancelled", exact=True)).to_be_visible()
        _fits(page, 360)
        page.screenshot(path=tmp_path / "360-4-ended.png", full_page=True)
    finally:
        share.close(linger=0)


def test_an_ended_page_follows_the_rerun_that_serves_its_link(page: Page) -> None:
    """The same command run again serves the same link (same port, same token): a page left open picks it up."""
    first = SharePage(accounts=["@a"], tokens=lambda shown: "k" * 32)
    [(_, url)] = first.start()
    first(_qr("@a", FIRST, 1))
    page.clock.install()  # the page's own timers, moved on at will: it looks for a rerun every 10 s
    page.goto(url)
    expect(page.get_by_text("Waiting for you to scan")).to_be_visible()
    first.close(linger=30)
    expect(page.get_by_text("This request has ended")).to_be_visible()
    rerun = SharePage(port=first.port, accounts=["@a"], tokens=lambda shown: "k" * 32)
    try:
        assert rerun.start() == [(None, url)]
        rerun(_qr("@a", SECOND, 1))
        page.clock.fast_forward(11_000)
        expect(page.get_by_text("This request has ended")).to_be_hidden()
        expect(page.get_by_text("Waiting for you to scan")).to_be_visible()
        assert _shown_payload(page, "@a") == SECOND
    finally:
        rerun.close(linger=0)
