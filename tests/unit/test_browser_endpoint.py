"""--browser-endpoint, --browser-header and --expose-network, checked before anything connects; secrets (a header's
value, the endpoint's query) never in a line, a repr or an event. The connections themselves:
tests/flows/test_browser_service.py."""

from __future__ import annotations

import pytest

from runbook.browser.remote import LOOPBACK, Endpoint, parse_headers, refusal, shown
from runbook.browser.settings import Settings
from runbook.core.errors import BadInput, BrowserServiceGone, BrowserServiceRefused, ExitCode
from tests.support.cli import run_cli

SECRET = "hunter2-token"


@pytest.mark.parametrize(
    ("url", "named"),
    [
        (f"wss://chrome.example.com?token={SECRET}", "wss://chrome.example.com/?…"),
        (f"ws://user:{SECRET}@10.0.0.5:3000/playwright", "ws://10.0.0.5:3000/playwright"),
        ("http://[::1]:9222/", "http://[::1]:9222/"),
    ],
)
def test_the_endpoint_is_named_without_its_secrets(url: str, named: str) -> None:
    assert shown(url) == named
    assert SECRET not in repr(Settings(browser_endpoint=url, browser_headers=(f"X-Token={SECRET}",)))


def test_headers_are_checked_and_a_bad_one_is_named_by_place_never_by_value() -> None:
    assert parse_headers(["Authorization=Bearer a=b", "X-Key= v "]) == {"Authorization": "Bearer a=b", "X-Key": " v "}
    for bad in (f"no-equals-{SECRET}", f"bad name={SECRET}", "X-Empty=", f"X-Line=a\n{SECRET}"):
        with pytest.raises(BadInput) as refused:
            parse_headers(["Ok=1", bad])
        assert "--browser-header #2" in refused.value.message and SECRET not in refused.value.message


def test_loopback_is_exposed_by_default_only_for_a_local_base_url(monkeypatch) -> None:
    monkeypatch.delenv("TIKTOK_RUNBOOK_BROWSER_HEADERS", raising=False)
    local = Endpoint.build("ws://pw:3000/", (), None, base_url="http://127.0.0.1:8765")
    assert local.expose_network == LOOPBACK and not local.cdp
    assert Endpoint.build("ws://pw:3000/", (), None, base_url="https://business.tiktok.com").expose_network is None
    assert Endpoint.build("ws://pw:3000/", (), "", base_url="http://localhost:1").expose_network is None
    assert Endpoint.build("ws://pw:3000/", (), "*.corp", base_url="https://x.example").expose_network == "*.corp"
    cdp = Endpoint.build("http://pw:9222/", (), None, base_url="http://127.0.0.1:8765")
    assert cdp.cdp and cdp.expose_network is None
    with pytest.raises(BadInput, match="CDP endpoint cannot reach"):
        Endpoint.build("http://pw:9222/", (), LOOPBACK, base_url="http://127.0.0.1:8765")


def test_headers_come_from_the_environment_when_none_is_given(monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_RUNBOOK_BROWSER_HEADERS", f"Authorization=Bearer {SECRET}\n\nX-Team=ads\n")
    built = Endpoint.build("wss://pw.example/", (), None, base_url="https://x.example")
    assert built.headers == {"Authorization": f"Bearer {SECRET}", "X-Team": "ads"}
    assert Endpoint.build("wss://pw.example/", ("A=1",), None, base_url="https://x.example").headers == {"A": "1"}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--browser-endpoint", "ftp://pw:3000/"], "must be a ws:// or wss:// URL"),
        (["--browser-endpoint", "ws:///nohost"], "with a host"),
        (["--browser-header", "A=1"], "need --browser-endpoint"),
        (["--expose-network", LOOPBACK], "need --browser-endpoint"),
        (["--browser-endpoint", "ws://pw:3000/", "--browser-path", "/usr/bin/chromium"], "--browser-path launches"),
        (["--browser-endpoint", "ws://pw:3000/", "--trace"], "--trace needs a browser launched here"),
    ],
)
def test_options_that_cannot_work_are_refused_before_a_browser(args, says, capsys, monkeypatch) -> None:
    result = run_cli(["status", *args], capsys, monkeypatch)
    assert result.code == ExitCode.BAD_INPUT and says in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1


def test_the_endpoint_comes_from_the_environment(capsys, monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_RUNBOOK_BROWSER_ENDPOINT", f"ftp://pw:3000/?token={SECRET}")
    result = run_cli(["status"], capsys, monkeypatch)
    assert result.code == 2 and "--browser-endpoint must be" in result.err and SECRET not in result.err


def test_what_the_service_answered_becomes_one_of_two_errors() -> None:
    """Messages as Playwright 1.65's client gives them (measured against run-server and a 401 server)."""
    endpoint = Endpoint(f"ws://pw:3000/?token={SECRET}")
    cases = {
        "BrowserType.connect: WebSocket error: connect ECONNREFUSED 10.0.0.5:3000\nCall log:": BrowserServiceGone,
        "BrowserType.connect: WebSocket error: getaddrinfo ENOTFOUND pw\nCall log:": BrowserServiceGone,
        "BrowserType.connect: Timeout 60000ms exceeded.": BrowserServiceGone,
        "BrowserType.connect: WebSocket error: ws://pw:3000/ 503 Service Unavailable": BrowserServiceGone,
        f"BrowserType.connect: WebSocket error: ws://pw:3000/?token={SECRET} 401 Unauthorized\n": BrowserServiceRefused,
        "BrowserType.connect: Executable doesn't exist at /ms-playwright/chromium": BrowserServiceRefused,
    }
    for message, kind in cases.items():
        error = refusal(endpoint, message)
        assert type(error) is kind, message
        assert SECRET not in error.message and "ws://pw:3000/?…" in error.message
    cdp = refusal(
        Endpoint("http://pw:3000/"),
        """BrowserType.connect_over_cdp: Unexpected token 'R', "Running" is not valid JSON""",
    )
    assert type(cdp) is BrowserServiceRefused and "is not a CDP endpoint" in cdp.message
