"""verify and guide against the faithful mock and its drifted twins."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import expect

from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli
from tests.support.matrix import cells

ALL_OK: dict[int | str, tuple[str, str | None]] = {}
# Per edition: the steps that do not pass as documented, with the name the report must suggest first. The ten
# steps by number; the FAQ's disconnect steps, walked after them on a linked account, as "D1".."D3".
# (The faithful "tutorial" edition has a test of its own below, with the reports; "lookalike", whose disconnect
# takes the data's alternatives, is in tests/flows/test_lookalike.py.)
TWINS: dict[str, dict[int | str, tuple[str, str | None]]] = {
    "announcement": ALL_OK,  # the runbook dismisses it: not drift
    "canvas-qr": ALL_OK,  # the runbook reads a canvas QR: not drift
    "wizard": {4: ("drift", "Add a TikTok Account")},
    "renamed-menu": {2: ("drift", "Assets"), 7: ("drift", "Assets")},
    "add-menu": {4: ("drift", "Add")},
    "no-add-assets": {8: ("broken", None), 9: ("skipped", None), 10: ("skipped", None)},
    # The confirmation's button says "Yes, disconnect": in no data file, so drift to the nearest visible control.
    "renamed-confirm": {"D3": ("drift", "Yes, disconnect")},
}
REFS = [*map(str, range(1, 11)), "D1", "D2", "D3"]


def verify(mock: MockBusinessCenter, folder: Path, capsys, monkeypatch, *extra: str) -> Result:
    args = ["verify", "--base-url", mock.url, "--report", str(folder), "--junit", str(folder / "junit.xml")]
    return run_cli([*args, "--timeout", "2", *extra], capsys, monkeypatch)


def key(step: dict) -> int | str:
    return step["number"] if step["part"] == "connect" else step["ref"]


def persistent(state: dict) -> dict:
    """What a run can change for good: the accounts and the count of changes. (A QR shown is not a change.)"""
    return {"accounts": state["accounts"], "mutations": state["mutations"]}


# Every twin in today's markup; the twins that drift (and the faithful edition) in the other dialects too: a
# dialect without ARIA ("bare") and Material UI's DOM ("mui") must not change a single verdict.
CASES = [(edition, "aria") for edition in TWINS] + [
    (edition, markup)
    for markup in ("bare", "mui")
    for edition in ("tutorial", "wizard", "renamed-menu", "add-menu", "no-add-assets")
]
TWINS["tutorial"] = ALL_OK


# Every aria cell but announcement's runs in `make test`, and one drift each in the other dialects; the rest in
# `make test-matrix` (announcements are dismissed every day in tests/eyes/test_controls.py and test_status.py).
@pytest.mark.parametrize(
    ("edition", "markup"),
    cells(
        CASES,
        everyday=[c for c in CASES if c[1] == "aria" and c[0] != "announcement"]
        + [("renamed-menu", "bare"), ("add-menu", "mui")],
    ),
)
def test_verify_reports_exactly_the_drifted_steps(edition, markup, mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(edition=edition, markup=markup, delay=0.03)
    before = mock.state()
    result = verify(mock, tmp_path / "out", capsys, monkeypatch)
    expected = TWINS[edition]
    assert result.code == (0 if not expected else 1), result.err
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    steps = report["steps"]
    assert [s["ref"] for s in steps] == REFS
    off = {key(s): s for s in steps if s["status"] != "ok" and key(s) != 6}
    assert {n: s["status"] for n, s in off.items()} == {n: status for n, (status, _) in expected.items()}
    for number, (_, first) in expected.items():
        if first:
            assert off[number]["nearest"][0] == first, off[number]
    assert steps[5]["status"] == "skipped"
    statuses = {status for status, _ in expected.values()}
    assert report["status"] == ("broken" if "broken" in statuses else "drift" if statuses else "ok")
    assert persistent(mock.state()) == persistent(before) and mock.state()["mutations"] == 0
    assert all(code["status"] != "accepted" for code in mock.state()["qr_codes"])
    if "D3" in expected:  # found, never clicked: the nearest control is named, and its confirmation was cancelled
        assert off["D3"]["path"] == 'nearest visible control "Yes, disconnect"' and off["D3"]["screenshot"]


def test_faithful_mock_writes_all_reports(mock, tmp_path, capsys, monkeypatch, page) -> None:
    out = tmp_path / "out"
    before = mock.state()
    result = verify(mock, out, capsys, monkeypatch, "--events", "-")
    assert result.code == 0, result.err
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "ok"
    assert [s["status"] for s in report["steps"]] == ["ok"] * 5 + ["skipped"] + ["ok"] * 7
    assert [(s["ref"], s["part"]) for s in report["steps"][10:]] == [(f"D{n}", "disconnect") for n in (1, 2, 3)]
    assert report["steps"][10]["note"].startswith("checked on @acme.official (the first linked account")
    events = [json.loads(line) for line in result.out.splitlines()]
    ends = [(e["step"], e.get("ref"), e["status"]) for e in events if e["event"] == "step" and e["status"] != "start"]
    assert ends[-4:] == [(10, None, "ok"), (1, "D1", "ok"), (2, "D2", "ok"), (3, "D3", "ok")]
    assert persistent(mock.state()) == persistent(before) and mock.state()["mutations"] == 0
    assert all((out / s["screenshot"]).is_file() for s in report["steps"])
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    assert suite is not None and len(suite.findall("testcase")) == 13 and suite.get("failures") == "0"
    names = [(case.get("classname"), case.get("name")) for case in suite.findall("testcase")]
    assert names[0] == ("tutorial", "step 01: Login to TikTok Business Center")
    assert names[11] == ("tutorial.disconnect", "step D2: Click the options menu to disconnect it")
    page.goto((out / "report.html").as_uri())
    # The first screen is the summary table; every step passed, so their cards are collapsed below it.
    expect(page.get_by_role("table", name="Summary")).to_be_in_viewport()
    expect(page.get_by_role("table", name="Summary").get_by_role("row")).to_have_count(14)
    expect(page.locator("header")).to_contain_text("connect 10: 9 ok, 1 skipped · disconnect 3: 3 ok")
    page.get_by_text("13 steps passed or were skipped").click()
    sections = page.get_by_role("heading", level=2)
    assert sections.count() == 13
    titles = sections.all_inner_texts()
    assert titles[0].startswith("Step 1 ") and titles[10].startswith("Step D1 ")
    images = page.get_by_role("img")
    assert images.count() == 13
    assert all(img.evaluate("i => i.complete && i.naturalWidth > 0") for img in images.all())


def test_commit_assigns_but_never_disconnects(mock, tmp_path, capsys, monkeypatch) -> None:
    """--commit presses Save for --account; the disconnect steps are checked on that account's row all the same,
    and the confirmation is cancelled: verify never disconnects."""
    result = verify(mock, tmp_path / "out", capsys, monkeypatch, "--commit", "--account", "@linked.only")
    assert result.code == 0, result.err
    steps = json.loads((tmp_path / "out" / "report.json").read_text())["steps"]
    assert [s["status"] for s in steps[10:]] == ["ok"] * 3
    assert steps[10]["note"].startswith("checked on @linked.only (--account)")
    state = mock.state()
    assert state["accounts"] == {
        "@acme.official": {"linked": True, "assigned": True},
        "@linked.only": {"linked": True, "assigned": True},
    }
    assert state["mutations"] == 1  # the assignment, and nothing else


def test_commit_needs_an_account(mock, tmp_path, capsys, monkeypatch) -> None:
    result = verify(mock, tmp_path / "out", capsys, monkeypatch, "--commit")
    assert result.code == 2 and "--commit needs --account" in result.err


def test_not_signed_in_is_exit_2(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(require_login=True)
    result = verify(mock, tmp_path / "out", capsys, monkeypatch)
    assert result.code == 2 and "tiktok-runbook login" in result.err


def test_guide_has_ten_steps_with_real_screenshots(mock, tmp_path, capsys, monkeypatch) -> None:
    """On today's wizard: the screenshots show today's UI, and step 4 says how it differs from the tutorial."""
    mock.reset(edition="wizard")
    out = tmp_path / "docs"
    before = mock.state()
    result = run_cli(["guide", "--base-url", mock.url, "--out", str(out)], capsys, monkeypatch)
    assert result.code == 0, result.err
    markdown = (out / "guide.md").read_text()
    assert [f"## Step {n} " in markdown for n in range(1, 11)] == [True] * 10
    for number in range(1, 11):
        shot = out / "images" / f"step-{number:02d}.png"
        assert f"images/step-{number:02d}.png" in markdown
        with Image.open(shot) as image:
            # The page, or the dialog the step acted in (the Request Access and Add Assets dialogs are narrower).
            assert image.format == "PNG" and image.width >= 300
            # A real screenshot, not a blank canvas: its pixels vary.
            assert max(ImageStat.Stat(image.convert("L")).stddev) > 5
    assert (out / "guide.html").is_file()
    step4 = markdown.split("## Step 4 ")[1].split("## Step 5 ")[0]
    assert 'Changed (added): the tutorial says "Request Access"; Business Center shows "Add a TikTok' in step4
    assert "Click **Add a TikTok Account** › **Link an existing TikTok account**" in step4
    assert markdown.count("Changed (") == 1
    assert persistent(mock.state()) == persistent(before)
