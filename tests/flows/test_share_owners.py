"""The owners' side of connect --share, as an agency runs it: links through a reverse proxy that stay the same on a
rerun, every owner's page live in a real browser, and a page that never shows the operator's words."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from runbook import qr
from runbook.fixtures.config import MockConfig
from tests.flows.test_agency_share import _unused_port, connect_process
from tests.support.cli import run_cli
from tests.support.owners import expire_code
from tests.support.proxy import reverse_proxy

BC_NAME = MockConfig().business_centers[0][1]  # what the mock's header shows: "Northwind Agency"
# What only the operator reads: step numbers, options, commands, errors, the run's own timings.
OPERATORS_WORDS = re.compile(
    r"[Ss]tep \d|--|tiktok-runbook|Traceback|Error|expected |visible instead|within \d+ s|run the same command"
)


def _events(run: subprocess.Popen[str], log: Path) -> Iterator[dict]:
    assert run.stdout is not None
    for line in run.stdout:  # ends when the run exits; the run is bounded by --wait
        yield json.loads(line)
    raise AssertionError(f"the run ended early; stderr:\n{log.read_text()}")


def _shares(events: Iterator[dict], count: int) -> dict[str, str]:
    links: dict[str, str] = {}
    for event in events:
        if event["event"] == "share":
            links[event["account"]] = event["url"]
            if len(links) == count:
                return links
    raise AssertionError("not every share link was printed")


@pytest.mark.matrix  # slow: make test-matrix (CI) runs it
def test_three_owners_follow_their_links_through_a_proxy_and_a_rerun_serves_the_same_links(
    mock, page: Page, tmp_path: Path
) -> None:
    mock.reset(delay=0.02)  # no realistic API delay: the owners' side is what this is about
    accounts = ["@o.one", "@o.two", "@o.three"]
    port = _unused_port()
    with reverse_proxy(port) as public:
        args = [a for account in accounts for a in ("-a", account)]
        share = ["--share", "--share-port", str(port), "--share-url", public, "--share-url-per-account"]
        with connect_process(mock, tmp_path, *args, *share) as (run, log):
            events = _events(run, log)
            links = _shares(events, 3)
            assert all(link.startswith(public + "s/") for link in links.values()), links
            assert all(link in log.read_text() for link in links.values())  # the lines the operator reads say them
            pages = {account: page.context.new_page() for account in accounts}
            for account, link in links.items():
                pages[account].goto(link)
            # The links go out before step 1; the Business Center's name once step 1 has read it.
            assert next(event for event in events if event["event"] == "business_center")["name"] == BC_NAME
            for account in accounts:
                expect(pages[account].get_by_text(f"{BC_NAME} asks for access")).to_be_visible()
            codes: dict[str, str] = {}
            for event in events:
                if event["event"] == "qr":
                    assert event["business_center"] == BC_NAME  # the events say who asks, as the page does
                    codes[event["account"]] = event["payload"]
                    if len(codes) == 3:
                        break
            for account, payload in codes.items():
                card = pages[account].get_by_role("region", name=account)
                expect(card.get_by_text("Waiting for you to scan")).to_be_visible()
                expect(card.get_by_text(re.compile(r"Expires in \d+:\d\d"))).to_be_visible()
                assert qr.decode(card.get_by_role("img", name=f"QR code for {account}").screenshot()) == payload
                expect(pages[account].get_by_role("main").get_by_role("region")).to_have_count(
                    1
                )  # its own account only
            for account, payload in codes.items():
                with urllib.request.urlopen(payload, timeout=10) as scan:  # each owner scans their code
                    assert scan.status == 200
                expect(pages[account].get_by_role("region", name=account).get_by_text("Accepted")).to_be_visible(
                    timeout=60_000
                )
            for account in accounts:
                expect(pages[account].get_by_text("all done")).to_be_visible(timeout=60_000)
            assert run.wait(timeout=60) == 0, log.read_text()
        saved = list((tmp_path / "state" / "tiktok-runbook" / "share").glob("*.json"))
        assert len(saved) == 1 and saved[0].stat().st_mode & 0o777 == 0o600  # the tokens are kept privately
        # The same command again: nothing left to do, and the links already sent are the ones served.
        with connect_process(mock, tmp_path, *args, *share) as (rerun, log):
            again = _shares(_events(rerun, log), 3)
            assert again == links
            pages["@o.two"].reload()
            expect(pages["@o.two"].get_by_text("all done")).to_be_visible(timeout=60_000)
            assert rerun.wait(timeout=60) == 0, log.read_text()


@pytest.mark.matrix  # slow: make test-matrix (CI) runs it
def test_the_owners_page_shows_none_of_the_operators_words(mock, page: Page, tmp_path: Path) -> None:
    """A timeout, an expiry with no code left, and a failed step (Save refused): the operator's events say
    "Step 10 … failed: expected …", "--max-qr", "run the same command again"; the owners read plain words."""
    mock.reset(fail_save=True, delay=0.02)
    port = _unused_port()
    args = ["-a", "@f.wait", "-a", "@f.expire", "-a", "@f.save", "--max-qr", "1", "--wait", "8"]
    with connect_process(mock, tmp_path, *args, "--share", "--share-port", str(port)) as (run, log):
        events = _events(run, log)
        link = next(event for event in events if event["event"] == "share")["url"]
        page.goto(link)
        failed: dict[str, str] = {}
        for event in events:
            if event["event"] == "qr" and event["account"] == "@f.expire":
                expire_code(mock, event["payload"].rsplit("/", 1)[1])
            elif event["event"] == "qr" and event["account"] == "@f.save":
                with urllib.request.urlopen(event["payload"], timeout=10):
                    pass
            elif event["event"] == "failed":
                failed[event["account"]] = event["message"]
            elif event["event"] == "summary":
                break
        assert set(failed) == {"@f.wait", "@f.expire", "@f.save"}, failed
        assert all(OPERATORS_WORDS.search(message) for message in failed.values()), failed  # what the page hides
        expect(page.get_by_text("This request has ended")).to_be_visible(timeout=30_000)
        wait, expire, save = (page.get_by_role("region", name=name) for name in ("@f.wait", "@f.expire", "@f.save"))
        expect(wait.get_by_text(f"not accepted in time. Ask {BC_NAME} for a new link")).to_be_visible()
        expect(expire.get_by_text(f"Ask {BC_NAME} for a new link")).to_be_visible()
        expect(save.get_by_text("Thank you: you accepted")).to_be_visible()
        shown = page.locator("body").inner_text()
        assert not OPERATORS_WORDS.search(shown), shown
        assert run.wait(timeout=60) == 1, log.read_text()


def test_a_share_port_in_use_is_one_line(mock, capsys, monkeypatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ["connect", "--base-url", mock.url, "-a", "@x", "--share", "--share-port", str(port)]
        result = run_cli(args, capsys, monkeypatch)
    assert result.code == 2, result.err
    [line] = result.err.strip().splitlines()
    assert line.startswith(f"tiktok-runbook: --share-port {port} is in use"), line
