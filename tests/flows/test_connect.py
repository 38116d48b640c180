"""connect, end to end against the mock Business Center: the CLI as a person runs it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from runbook.core import tutorial
from tests.support.matrix import cells
from tests.support.runs import connect, connect_one_code, events, step_status

WIZARD = tutorial.load().step(4).alternatives[0].name


# Every edition in aria and the tutorial's without ARIA (bare) run in `make test`; the rest in `make test-matrix`
# (mui's verdicts run every day in test_verify.py).
CONNECT_CASES = [
    (edition, markup) for markup in ("aria", "bare", "mui") for edition in ("tutorial", "wizard", "add-menu")
]


@pytest.mark.parametrize(
    ("edition", "markup"),
    cells(CONNECT_CASES, everyday=[c for c in CONNECT_CASES if c[1] == "aria"] + [("tutorial", "bare")]),
)
def test_connect_links_and_assigns(edition, markup, mock, owner, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(edition=edition, markup=markup, delay=0.03)
    result, evs, qr = connect_one_code(mock, owner, tmp_path, capsys, monkeypatch)
    assert Path(qr["png"]).is_file()
    assert evs[-1]["event"] == "done" and evs[-1]["account"] == "@x" and evs[-1]["already"] is False
    assert mock.state()["accounts"]["@x"] == {"linked": True, "assigned": True}
    step4 = next(e for e in evs if e["event"] == "step" and e["step"] == 4 and e["status"] == "ok")
    assert step4["path"] == {"tutorial": "documented", "wizard": WIZARD, "add-menu": 'behind the "Add" menu'}[edition]
    # People read progress and the terminal QR on stderr.
    assert "▀" in result.err or "▄" in result.err
    assert "connected and assigned" in result.err


def test_expired_qr_is_replaced_and_shared_again(mock, owner, expirer, tmp_path, capsys, monkeypatch) -> None:
    with owner(scan_nth=2) as scanner, expirer(tmp_path / "run" / "qr.png", count=1):
        result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@late.owner", "--max-qr", "3")
    assert result.code == 0, result.err
    qrs = [e for e in events(result) if e["event"] == "qr"]
    assert len(qrs) >= 2 and qrs[0]["payload"] != qrs[1]["payload"]
    assert scanner.scanned == [qrs[1]["payload"]]
    assert Path(qrs[1]["png"]).is_file() and qrs[1]["png"] != qrs[0]["png"]
    assert mock.state()["accounts"]["@late.owner"]["assigned"] is True


def test_gives_up_after_max_qr_codes(mock, expirer, tmp_path, capsys, monkeypatch) -> None:
    with expirer(tmp_path / "run" / "qr.png", count=2):
        result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@away", "--max-qr", "2")
    assert result.code == 1
    assert "expired 2 times" in result.err and "run the same command again" in result.err
    assert len([e for e in events(result) if e["event"] == "qr"]) == 2
    assert "@away" not in mock.state()["accounts"]


def test_approval_timeout_says_how_to_resume(mock, tmp_path, capsys, monkeypatch) -> None:
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@slow", "--wait", "2")
    assert result.code == 1
    last = result.err.strip().splitlines()[-1]
    assert "did not accept within 2 s" in last and "run the same command again" in last
    assert step_status(events(result))[6] == "failed"
    assert mock.state()["mutations"] == 0


def test_reruns_skip_what_is_done(mock, tmp_path, capsys, monkeypatch) -> None:
    """Linked and assigned: nothing to do. Linked only (a run that stopped after step 6): resumes at Add Assets."""
    before = mock.state()["accounts"]["@acme.official"]
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@acme.official", "-a", "linked.only")
    assert result.code == 0, result.err
    evs = events(result)  # the two accounts' steps go on side by side: each read apart
    both_done = [e for e in evs if e.get("account") == "@acme.official"]
    resumed = [e for e in evs if e.get("account") == "@linked.only"]
    status = step_status(both_done)
    assert [status[n] for n in (4, 5, 6, 10)] == ["skipped"] * 4
    assert both_done[-1] == {**both_done[-1], "account": "@acme.official", "already": True}
    assert "@acme.official was already linked and assigned: nothing to do" in result.err
    status = step_status(resumed)
    assert [status[n] for n in (4, 5, 6)] == ["skipped"] * 3 and status[10] == "ok"
    assert resumed[-1] == {**resumed[-1], "account": "@linked.only", "already": False}
    accounts = mock.state()["accounts"]
    assert accounts["@acme.official"] == before
    assert accounts["@linked.only"]["assigned"] is True
    assert mock.state()["mutations"] == 1  # the one assignment, nothing else


def test_not_signed_in(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(require_login=True)
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@x")
    assert result.code == 2
    assert "not signed in" in result.err and "tiktok-runbook login" in result.err
    assert mock.state()["mutations"] == 0


@pytest.mark.parametrize("markup", cells(["aria", "bare", "mui"], everyday=["aria"]))
def test_renamed_menu_stops_at_that_step(markup, mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(edition="renamed-menu", markup=markup, delay=0.03)
    before = mock.state()
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@x", "--timeout", "2", "--trace")
    assert result.code == 1
    last = result.err.strip().splitlines()[-1]
    assert 'Step 2 "Navigate to Accounts (left-hand menu)"' in last
    trace = tmp_path / "run" / "trace.zip"
    assert f"trace: {trace}" in last
    assert stat.S_IMODE(trace.stat().st_mode) == 0o600
    assert stat.S_IMODE(trace.parent.stat().st_mode) == 0o700  # written there by Playwright, never readable
    assert not list(trace.parent.glob(".trace-*"))  # Playwright's private working folder is gone
    assert '"Accounts"' in last and '"Assets"' in last
    shot = Path(last.split("screenshot: ")[1].split(";")[0])
    assert shot.is_file() and shot.read_bytes()[:4] == b"\x89PNG"
    assert step_status(events(result)) == {1: "ok", 2: "failed"}
    assert mock.state() == before


def test_several_business_centers_need_bc(mock, owner, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(business_centers=[("7623379731659948049", "Northwind Agency"), ("7623379731659948050", "Southwind")])
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@acme.official")
    assert result.code == 2
    assert "2 Business Centers" in result.err and "--bc" in result.err and "Southwind" in result.err
    with owner() as scanner:
        chosen = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@new.one", "--bc", "southwind")
    assert chosen.code == 0, chosen.err
    # The code was requested in Southwind, not in the first Business Center of the picker.
    assert [code["org_id"] for code in mock.state()["qr_codes"]] == ["7623379731659948050"]
    assert len(scanner.scanned) == 1


def test_save_refused_names_step_10_and_the_rerun_assigns(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(fail_save=True)
    before = mock.state()
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@linked.only", "--timeout", "3")
    assert result.code == 1
    last = result.err.strip().splitlines()[-1]
    assert 'Step 10 "' in last and "Something went wrong" in last and "Traceback" not in result.err
    assert step_status(events(result))[10] == "failed"
    assert mock.state() == before
    mock.reset()  # Business Center works again
    rerun = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@linked.only")
    assert rerun.code == 0, rerun.err
    assert mock.state()["accounts"]["@linked.only"] == {"linked": True, "assigned": True}
    assert mock.state()["mutations"] == 1


def test_several_accounts_in_one_run(mock, owner, tmp_path, capsys, monkeypatch) -> None:
    with owner(shared=tmp_path / "run") as scanner:
        result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@acme.official", "-a", "@new.one")
    assert result.code == 0, result.err
    done = [e["account"] for e in events(result) if e["event"] == "done"]
    assert done == ["@acme.official", "@new.one"]
    assert len(scanner.scanned) == 1
    assert mock.state()["accounts"]["@new.one"] == {"linked": True, "assigned": True}


def test_a_page_slower_than_the_timeout_says_so(mock, tmp_path, capsys, monkeypatch) -> None:
    """Not "visible instead: nothing close" alone: the step says that it timed out, and which option to raise."""
    mock.reset(delay=3.0)
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@x", "--timeout", "1")
    assert result.code == 1
    last = result.err.strip().splitlines()[-1]
    assert last.startswith("tiktok-runbook: Step 1 ")
    assert "timed out" in last and "--timeout" in last
    assert mock.state()["mutations"] == 0


def test_buttons_re_rendered_before_the_click_are_found_again(mock, owner, tmp_path, capsys, monkeypatch) -> None:
    """A framework that swaps a control's node for a fresh one: the click addresses the control anew."""
    mock.reset(markup="bare", rerender=0.2, delay=0.03)
    with owner(delay=0.3, shared=tmp_path / "run"):
        result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@x")
    assert result.code == 0, result.err
    assert mock.state()["accounts"]["@x"] == {"linked": True, "assigned": True}
