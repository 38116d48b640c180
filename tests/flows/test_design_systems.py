"""The runbook on markup rendered by real component libraries (ByteDance's Arco Design and Semi Design, the closest
public relatives of Business Center's own), an agency's Business Center with 150 more accounts (the big edition:
lists of a page at a time, search boxes, a scrolling picker), and a QR code in a frame from another origin.

Each test takes one Business Center through the commands a person runs on it, one after another, with the
mock's state checked after each: what a run leaves is the next one's starting point, as for a person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli
from tests.support.markup import ORG
from tests.support.matrix import cells

LIBRARIES = ["arco", "semi"]
MARKUPS = ["aria", "bare", "mui", *LIBRARIES]
SOUTHWIND = "7623379731659948050"


def run(mock: MockBusinessCenter, tmp_path: Path, capsys, monkeypatch, command: str, *extra: str) -> Result:
    folder = tmp_path / command
    args = [command, "--base-url", mock.url, "--events", "-", "--run-dir", str(folder), *extra]
    return run_cli(args, capsys, monkeypatch)


def events(result: Result) -> list[dict]:
    """stdout carries the events (and, for status, its table after them)."""
    return [json.loads(line) for line in result.out.splitlines() if line.startswith('{"event"')]


def steps(result: Result) -> dict[str, str]:
    """The last status of every step, by its reference ("4", "D2")."""
    return {
        str(e.get("ref", e["step"])): e["status"]
        for e in events(result)
        if e["event"] == "step" and e["status"] != "start"
    }


def listed(result: Result) -> dict[str, dict]:
    [status] = [e for e in events(result) if e["event"] == "status"]
    return {row["account"]: row for row in status["accounts"]}


@pytest.mark.parametrize("markup", cells(LIBRARIES, everyday=["semi"]))
def test_a_real_library_through_every_command(markup, mock, owner, tmp_path, capsys, monkeypatch) -> None:
    """connect, a rerun, verify, status and disconnect, on markup the library renders itself: a modal whose corner
    icon and footer button both say Close, a nameless "···" row menu, an assigned account shown as a locked box
    that is not ticked beside an "Assigned" tag."""
    mock.reset(markup=markup, delay=0.03)
    with owner(delay=0.3, shared=tmp_path / "connect"):
        connected = run(mock, tmp_path, capsys, monkeypatch, "connect", "-a", "@lib.brand", "--wait", "40")
    assert connected.code == 0, connected.err
    assert mock.state()["accounts"]["@lib.brand"] == {"linked": True, "assigned": True}
    assert set(steps(connected).values()) == {"ok"}

    again = run(mock, tmp_path, capsys, monkeypatch, "connect", "-a", "@lib.brand", "--wait", "40")
    assert again.code == 0, again.err
    assert [e["already"] for e in events(again) if e["event"] == "done"] == [True]  # assigned, not assigned twice

    verified = run(mock, tmp_path, capsys, monkeypatch, "verify")
    assert verified.code == 0, verified.err
    assert steps(verified) == {
        **dict.fromkeys(map(str, range(1, 11)), "ok"),
        "6": "skipped",
        "D1": "ok",
        "D2": "ok",
        "D3": "ok",
    }

    status = run(mock, tmp_path, capsys, monkeypatch, "status")
    assert status.code == 0, status.err
    rows = listed(status)
    assert rows["@lib.brand"]["assigned"] and rows["@acme.official"]["assigned"]
    assert rows["@linked.only"]["linked"] and not rows["@linked.only"]["assigned"]

    gone = run(mock, tmp_path, capsys, monkeypatch, "disconnect", "-a", "@lib.brand", "--yes")
    assert gone.code == 0, gone.err
    assert mock.state()["accounts"]["@lib.brand"] == {"linked": False, "assigned": False}


# In the matrix: several accounts at once run every day on aria (tests/flows/test_connect.py, test_parallel_connect.py)
# and a real library every day in the test above.
@pytest.mark.parametrize("markup", cells(LIBRARIES, everyday=[]))
def test_a_real_library_with_several_accounts(markup, mock, owner, tmp_path, capsys, monkeypatch) -> None:
    """Pages opened at once on an app that boots for a while (a few megabytes of library): none is read before
    its app has drawn. Each page opens on the Business Center picker, and each account's walk chooses the one
    asked for there."""
    mock.reset(markup=markup, delay=0.03, business_centers=[(ORG, "Northwind Agency"), (SOUTHWIND, "Southwind")])
    folder = tmp_path / "connect"
    with owner(account="@lib.one", shared=folder / "lib.one"), owner(account="@lib.two", shared=folder / "lib.two"):
        result = run(
            mock,
            tmp_path,
            capsys,
            monkeypatch,
            "connect",
            "-a",
            "@lib.one",
            "-a",
            "@lib.two",
            "-a",
            "@acme.official",
            "--bc",
            "Southwind",
            "--wait",
            "40",
        )
    assert result.code == 0, result.err
    assert {code["org_id"] for code in mock.state()["qr_codes"]} == {SOUTHWIND}
    accounts = mock.state()["accounts"]
    assert accounts["@lib.one"] == accounts["@lib.two"] == {"linked": True, "assigned": True}
    [summary] = [e for e in events(result) if e["event"] == "summary"]
    assert {row["account"]: row["status"] for row in summary["accounts"]} == {
        "@lib.one": "assigned",
        "@lib.two": "assigned",
        "@acme.official": "already",
    }


@pytest.mark.parametrize("markup", cells(MARKUPS, everyday=["aria"]))
def test_an_agencys_business_center_of_many_accounts(markup, mock, owner, tmp_path, capsys, monkeypatch) -> None:
    """152 linked accounts, 10 a page: the new account is found by the search box (it is on the last page),
    status reads every page, and disconnect finds an account far down the list."""
    mock.reset(edition="big", markup=markup, delay=0.02)
    with owner(delay=0.3, shared=tmp_path / "connect"):
        connected = run(mock, tmp_path, capsys, monkeypatch, "connect", "-a", "@agency.new", "--wait", "40")
    assert connected.code == 0, connected.err
    assert mock.state()["accounts"]["@agency.new"] == {"linked": True, "assigned": True}

    status = run(mock, tmp_path, capsys, monkeypatch, "status")
    assert status.code == 0, status.err
    rows = listed(status)
    assert len(rows) == 153
    assert rows["@client.148"]["assigned"] and not rows["@client.149"]["assigned"]  # every third from the first
    assert rows["@agency.new"]["assigned"]

    gone = run(mock, tmp_path, capsys, monkeypatch, "disconnect", "-a", "@client.077", "--yes")
    assert gone.code == 0, gone.err
    assert mock.state()["accounts"]["@client.077"] == {"linked": False, "assigned": False}


@pytest.mark.parametrize("markup", cells(MARKUPS, everyday=["aria"]))
def test_a_qr_code_in_a_frame_from_another_origin(markup, mock, owner, expirer, tmp_path, capsys, monkeypatch) -> None:
    """The code, its countdown and its expired cover with Refresh are a widget from another origin: the code is
    read, replaced once it expires (Refresh inside the frame), and the owner's scan of the second is seen."""
    mock.reset(edition="frame-qr", markup=markup, delay=0.03)
    folder = tmp_path / "connect"
    with expirer(folder / "qr.png"), owner(2, delay=0.3, shared=folder):
        result = run(mock, tmp_path, capsys, monkeypatch, "connect", "-a", "@framed.brand", "--wait", "40")
    assert result.code == 0, result.err
    codes = [e for e in events(result) if e["event"] == "qr"]
    assert len(codes) == 2 and codes[0]["payload"] != codes[1]["payload"]
    assert all(code["expires_at"] for code in codes)  # the countdown is read inside the frame
    assert mock.state()["accounts"]["@framed.brand"] == {"linked": True, "assigned": True}
