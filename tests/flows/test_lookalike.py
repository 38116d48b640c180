"""The "lookalike" edition: the tutorial's labels in Ant Design's markup, and the runbook run against it.

The first half checks that the mock draws what the edition promises (so a runbook failure below is the runbook's,
not the mock's); the second half runs connect and verify against it, as a person would from a shell.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from runbook import qr as codes
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli

ORG = "7623379731659948049"


@pytest.fixture
def lookalike(mock: MockBusinessCenter) -> MockBusinessCenter:
    mock.reset(edition="lookalike")
    return mock


# -- the edition itself ----------------------------------------------------------------------------------------


def test_menu_is_an_aside_with_menuitems_and_no_okee_markup(lookalike: MockBusinessCenter, page: Page) -> None:
    page.goto(f"/manage/overview?org_id={ORG}")
    menu = page.locator("aside").get_by_role("menu").first
    expect(menu.get_by_role("menuitem", name="Overview")).to_be_visible()
    assert page.get_by_role("navigation").count() == 0
    assert page.get_by_role("link", name="Accounts").count() == 0
    # The sub-menu shows once its page is open, and its items navigate too.
    expect(page.get_by_role("menuitem", name="TikTok accounts")).to_have_count(0)
    page.get_by_role("menuitem", name="Accounts", exact=True).click()
    expect(page).to_have_url(re.compile(r"/manage/accounts/adv\?org_id="))
    expect(page.get_by_role("menuitem", name="Accounts", exact=True)).to_have_attribute("aria-expanded", "true")
    submenu = menu.get_by_role("menu")
    expect(submenu.get_by_role("menuitem")).to_have_text(["Ad accounts", "TikTok accounts"])
    submenu.get_by_role("menuitem", name="TikTok accounts").click()
    expect(page.get_by_role("heading", name="TikTok accounts")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("@acme.official"))).to_contain_text("Authorized")
    assert page.evaluate("document.querySelectorAll('[class*=\"bc-okee\"]').length") == 0
    assert page.evaluate("document.querySelectorAll('.ant-btn.ant-btn-primary').length") == 1


def test_request_access_qr_is_an_unnamed_canvas_and_the_table_waits_for_refresh(
    lookalike: MockBusinessCenter, page: Page
) -> None:
    page.goto(f"/manage/accounts/tiktok-accounts?org_id={ORG}")
    page.get_by_role("button", name="Request Access").click()
    dialog = page.get_by_role("dialog", name="Request Access")
    assert dialog.get_attribute("aria-label") == "Request Access" and dialog.get_attribute("aria-labelledby") is None
    assert dialog.evaluate("d => d.closest('.ant-modal-root').parentElement === document.body")
    expect(dialog.get_by_role("button", name="Close").locator("svg")).to_have_count(1)
    deliver = dialog.get_by_role("radio", name="Deliver ads")
    expect(deliver).to_be_checked()
    expect(deliver).to_have_class("ant-radio-input")
    dialog.get_by_role("radio", name="Manage account").click()  # the transparent input takes the click itself
    expect(dialog.get_by_role("radio", name="Manage account")).to_be_checked()
    dialog.get_by_role("textbox", name=re.compile("TikTok username")).fill("@new.brand")
    dialog.get_by_role("button", name="Generate QR code").click()

    canvas = dialog.locator("figure canvas")
    expect(canvas).to_be_visible()
    assert canvas.get_attribute("role") is None and canvas.get_attribute("aria-label") is None
    expect(dialog.get_by_role("img")).to_have_count(0)
    expect(dialog.locator("figcaption")).to_have_text(re.compile(r"^Valid for 1(19|1\d) s$"))
    payload = mock_payload(lookalike)
    assert codes.decode(canvas.screenshot()) == payload

    with urllib.request.urlopen(payload, timeout=5) as answer:  # the owner scans and accepts
        answer.read()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="@new.brand accepted")).to_be_visible()
    page.wait_for_timeout(1000)  # long enough for any re-fetch the page might do (none, on purpose)
    expect(page.get_by_role("row", name=re.compile("@new.brand"))).to_have_count(0)
    page.get_by_role("button", name="Refresh").click()
    expect(page.get_by_role("row", name=re.compile("@new.brand"))).to_contain_text("Authorized")


def mock_payload(mock: MockBusinessCenter) -> str:
    [code] = mock.state()["qr_codes"]
    return code["payload"]


def test_expired_qr_is_covered_with_refresh(mock: MockBusinessCenter, page: Page) -> None:
    mock.reset(edition="lookalike")
    page.goto(f"/manage/accounts/tiktok-accounts?org_id={ORG}")
    page.get_by_role("button", name="Request Access").click()
    dialog = page.get_by_role("dialog", name="Request Access")
    dialog.get_by_role("button", name="Generate QR code").click()
    expect(dialog.locator("canvas")).to_be_visible()
    assert mock.expire() == 1  # the test decides when the code runs out, whatever the machine's load
    expect(dialog.get_by_text("QR code expired")).to_be_visible()
    dialog.get_by_role("button", name="Refresh").click()
    expect(dialog.get_by_text("QR code expired")).to_be_hidden()
    assert len(mock.state()["qr_codes"]) == 2
    assert codes.decode(dialog.locator("canvas").screenshot()) == mock.state()["qr_codes"][1]["payload"]


def test_add_assets_tabs_and_a_table_of_unlabelled_checkboxes(lookalike: MockBusinessCenter, page: Page) -> None:
    page.goto(f"/manage/accounts/adv?org_id={ORG}")
    page.get_by_role("button", name="Add Assets").click()
    dialog = page.get_by_role("dialog", name="Add Assets")
    expect(dialog.get_by_role("tablist").get_by_role("tab")).to_have_text(["Ad accounts", "TikTok Accounts", "Pixels"])
    assert dialog.get_by_role("radio").count() == 0
    dialog.get_by_role("tab", name="TikTok Accounts").click()
    assigned = dialog.get_by_role("row", name=re.compile("@acme.official"))
    expect(assigned).to_contain_text("Assigned")
    expect(assigned.get_by_role("checkbox")).to_be_checked()
    expect(assigned.get_by_role("checkbox")).to_be_disabled()
    # No checkbox is named after its account: the name is in the row's other cells.
    expect(dialog.get_by_role("checkbox", name=re.compile("@"))).to_have_count(0)
    save = dialog.get_by_role("button", name="Save")
    expect(save).to_be_disabled()
    dialog.get_by_role("row", name=re.compile("@linked.only")).get_by_role("checkbox").check()
    save.click()
    expect(page.get_by_role("status").filter(has_text="Added successfully")).to_be_visible()
    expect(dialog).to_be_hidden()
    assert lookalike.state()["accounts"]["@linked.only"] == {"linked": True, "assigned": True}


# -- the runbook against it ------------------------------------------------------------------------------------


def connect(mock: MockBusinessCenter, tmp_path: Path, capsys, monkeypatch, *extra: str) -> Result:
    """As tests/flows/test_connect.py runs it."""
    args = ["connect", "--base-url", mock.url, "--events", "-", "--run-dir", str(tmp_path / "run"), "--wait", "30"]
    return run_cli([*args, *extra], capsys, monkeypatch)


def step_status(result: Result) -> dict[int, str]:
    events = [json.loads(line) for line in result.out.splitlines()]
    return {e["step"]: e["status"] for e in events if e["event"] == "step" and e["status"] != "start"}


# pages/add_assets.py finds the account's checkbox only by its own accessible name
# (dialog.get_by_role("checkbox", name=handle.pattern)); a table row's selection checkbox has none: the handle is
# in the next cell of the same row. has_account() waits --timeout for it and step 10 fails with "expected a
# checkbox for @x; visible instead: nothing close", while the dialog shows row "X @x -" with an unticked checkbox
# (row "Acme Official @acme.official Assigned" with a ticked, disabled one).
def test_connect_links_and_assigns(lookalike: MockBusinessCenter, owner, tmp_path, capsys, monkeypatch) -> None:
    with owner() as scanner:
        result = connect(lookalike, tmp_path, capsys, monkeypatch, "--account", "@x")
    assert result.code == 0, result.err
    assert step_status(result) == dict.fromkeys(range(1, 11), "ok")
    assert len(scanner.scanned) == 1
    assert lookalike.state()["accounts"]["@x"] == {"linked": True, "assigned": True}


def test_connect_already_linked_and_assigned(lookalike: MockBusinessCenter, tmp_path, capsys, monkeypatch) -> None:
    before = lookalike.state()
    result = connect(lookalike, tmp_path, capsys, monkeypatch, "-a", "@acme.official")
    assert result.code == 0, result.err
    status = step_status(result)
    assert [status[n] for n in (4, 5, 6, 10)] == ["skipped"] * 4
    assert lookalike.state() == before


def test_verify_finds_no_drift(lookalike: MockBusinessCenter, tmp_path, capsys, monkeypatch) -> None:
    """The ten steps match as documented. The FAQ names no labels for disconnecting: the row's own "Remove" and
    the confirm modal's "OK" are words the data knows for those steps, so D2 and D3 pass, naming the route."""
    before = lookalike.state()
    out = tmp_path / "out"
    args = ["verify", "--base-url", lookalike.url, "--report", str(out), "--timeout", "2"]
    result = run_cli(args, capsys, monkeypatch)
    assert result.code == 0, result.err
    steps = {s["ref"]: s for s in json.loads((out / "report.json").read_text())["steps"]}
    connect = {ref: s["status"] for ref, s in steps.items() if s["part"] == "connect"}
    assert connect == {**{str(n): "ok" for n in range(1, 11)}, "6": "skipped"}
    assert steps["D1"]["status"] == "ok"
    taken = {ref: (steps[ref]["status"], steps[ref]["path"]) for ref in ("D2", "D3")}
    assert taken == {
        "D2": ("ok", "Remove button in the row (Ant Design style)"),
        "D3": ("ok", "OK button (Ant Design confirm)"),
    }
    after = lookalike.state()
    assert (after["accounts"], after["mutations"]) == (before["accounts"], 0)
