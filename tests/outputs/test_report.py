"""runbook.report: report.json, the self-contained report.html (checked in Chromium) and JUnit XML.

Verdicts are built by hand with the tutorial's real titles; screenshots are small PNGs drawn with Pillow.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from runbook.core import tutorial
from runbook.verify.report import write_reports
from runbook.verify.verdict import BROKEN, DRIFT, OK, SKIPPED, StepVerdict, Verdict

BASE_URL = "https://business.tiktok.com"
# Text a live page could put into a verdict: markup, entities and both kinds of quote.
HOSTILE = """<img src=x onerror="alert('&')"> & "Tom's" </section>"""
DRIFT_STEP, BROKEN_STEP, SKIPPED_STEP = 4, 8, 6


def png(path: Path, color: str, size: tuple[int, int] = (48, 32)) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, format="PNG")
    return path.name


def step_verdict(folder: Path, number: int, status: str = OK, **fields: object) -> StepVerdict:
    step = tutorial.load().step(number)
    defaults: dict[str, object] = {
        "screenshot": png(folder / f"step-{number:02d}.png", f"#{number * 20:02x}6090"),
        "url": f"{BASE_URL}/manage/step/{number}",
        "path": "documented",
    }
    return StepVerdict(number, step.title, status, step.expected, **{**defaults, **fields})  # type: ignore[arg-type]


def make_verdict(folder: Path, statuses: dict[int, str] | None = None) -> Verdict:
    statuses = statuses or {}
    steps = [step_verdict(folder, number, statuses.get(number, OK)) for number in range(1, 11)]
    return Verdict(BASE_URL, "2026-11-25T12:00:00+00:00", 83.4, steps)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "out"


@pytest.fixture
def mixed(folder: Path) -> Verdict:
    """One step of each kind: drift (nearest names given), broken, skipped (no screenshot), the rest ok."""
    verdict = make_verdict(folder)
    verdict.steps[DRIFT_STEP - 1] = step_verdict(
        folder,
        DRIFT_STEP,
        DRIFT,
        nearest=["Link accounts", "Add a TikTok Account", "Requests"],
        path="Link accounts (renamed in 2026)",
        note="documented label missing; matched a known alternative",
    )
    verdict.steps[BROKEN_STEP - 1] = step_verdict(
        folder, BROKEN_STEP, BROKEN, nearest=["Add members"], path="", note="no path matched"
    )
    verdict.steps[SKIPPED_STEP - 1] = step_verdict(
        folder,
        SKIPPED_STEP,
        SKIPPED,
        screenshot=None,
        url="",
        path="",
        note="the owner's scan is not verified",
    )
    return verdict


def test_json_is_the_verdict_and_has_the_documented_keys(folder: Path, mixed: Verdict) -> None:
    written = write_reports(mixed, folder)

    assert set(written) == {"json", "html"}
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    assert data == mixed.to_json()
    assert data["status"] == BROKEN
    assert [step["number"] for step in data["steps"]] == list(range(1, 11))
    for step in data["steps"]:
        assert {"number", "title", "status", "expected", "nearest", "screenshot"} <= step.keys()
    assert data["steps"][DRIFT_STEP - 1]["nearest"][0] == "Link accounts"
    assert data["steps"][SKIPPED_STEP - 1]["screenshot"] is None


@pytest.mark.parametrize(
    ("statuses", "status"),
    [
        ({}, OK),
        ({DRIFT_STEP: DRIFT}, DRIFT),
        ({DRIFT_STEP: DRIFT, BROKEN_STEP: BROKEN}, BROKEN),
        ({BROKEN_STEP: BROKEN, SKIPPED_STEP: SKIPPED}, BROKEN),
        ({SKIPPED_STEP: SKIPPED}, OK),  # the owner's scan being skipped is no finding
    ],
)
def test_the_run_takes_its_worst_steps_status(folder: Path, statuses: dict[int, str], status: str) -> None:
    written = write_reports(make_verdict(folder, statuses), folder)

    assert json.loads(written["json"].read_text(encoding="utf-8"))["status"] == status
    page = written["html"].read_text(encoding="utf-8")
    assert f'<h1>Tutorial check <span class="badge {status}">{status}</span></h1>' in page


def suite_of(junit: Path) -> ET.Element:
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    return suite


def test_junit_has_a_case_per_step_with_failures_and_skips(folder: Path, mixed: Verdict) -> None:
    junit = folder / "junit.xml"
    written = write_reports(mixed, folder, junit=junit)

    assert written["junit"] == junit
    suite = suite_of(junit)
    assert suite.get("name") == "tutorial"
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("10", "2", "1")
    cases = suite.findall("testcase")
    titles = [step.title for step in tutorial.load().steps]
    assert [case.get("name") for case in cases] == [f"step {n:02d}: {t}" for n, t in enumerate(titles, 1)]
    assert {case.get("classname") for case in cases} == {"tutorial"}
    outcomes = {
        index: [child.tag for child in case if child.tag not in ("system-out", "properties")]
        for index, case in enumerate(cases, 1)
    }
    assert {n: tags for n, tags in outcomes.items() if tags} == {
        DRIFT_STEP: ["failure"],
        BROKEN_STEP: ["failure"],
        SKIPPED_STEP: ["skipped"],
    }

    drift = cases[DRIFT_STEP - 1].find("failure")
    assert drift is not None and drift.get("type") == DRIFT
    expected = tutorial.load().step(DRIFT_STEP).expected
    assert drift.get("message") == (
        f"step {DRIFT_STEP} drift: expected {expected}; nearest visible: "
        '"Link accounts", "Add a TikTok Account", "Requests"'
    )
    broken = cases[BROKEN_STEP - 1].find("failure")
    assert broken is not None and broken.get("type") == BROKEN
    message = broken.get("message") or ""
    assert tutorial.load().step(BROKEN_STEP).expected in message and '"Add members"' in message
    skipped = cases[SKIPPED_STEP - 1].find("skipped")
    assert skipped is not None and skipped.get("message") == "the owner's scan is not verified"


def system_out(case: ET.Element) -> dict[str, str]:
    out = case.findtext("system-out") or ""
    return dict(line.split(": ", 1) for line in out.strip().splitlines())


@pytest.mark.parametrize("where", ["inside", "outside"])
def test_junit_names_each_steps_url_and_screenshot(tmp_path: Path, folder: Path, mixed: Verdict, where: str) -> None:
    junit = folder / "junit.xml" if where == "inside" else tmp_path / "ci" / "results" / "junit.xml"
    write_reports(mixed, folder, junit=junit)

    cases = suite_of(junit).findall("testcase")
    first = system_out(cases[0])
    assert first["url"] == f"{BASE_URL}/manage/step/1"
    # Relative to the XML file's folder when the shots sit below it, else absolute: resolvable either way.
    assert (junit.parent / first["screenshot"]).resolve() == (folder / "step-01.png").resolve()
    assert Path(first["screenshot"]).is_absolute() is (where == "outside")
    assert system_out(cases[SKIPPED_STEP - 1]) == {"url": "none", "screenshot": "none"}


def test_text_from_the_page_is_escaped_everywhere(folder: Path, mixed: Verdict) -> None:
    drift = mixed.steps[DRIFT_STEP - 1]
    drift.title, drift.note, drift.nearest, drift.path = HOSTILE, HOSTILE, [HOSTILE, "B & <C>"], HOSTILE
    mixed.base_url = f"{BASE_URL}/?a=1&b=<2>"
    written = write_reports(mixed, folder, junit=folder / "junit.xml")

    page = written["html"].read_text(encoding="utf-8")
    assert HOSTILE not in page and "<C>" not in page
    assert f"<strong>{html.escape(HOSTILE)}</strong>" in page
    assert f"Step {DRIFT_STEP} — {html.escape(HOSTILE)}</h2>" in page
    assert page.count("<section") == 10 and page.count("</section>") == 10  # the hostile </section> stayed text
    assert html.escape(mixed.base_url) in page

    case = suite_of(written["junit"]).findall("testcase")[DRIFT_STEP - 1]
    assert case.get("name") == f"step {DRIFT_STEP:02d}: {HOSTILE}"
    failure = case.find("failure")
    assert failure is not None and HOSTILE in (failure.get("message") or "") and HOSTILE in (failure.text or "")
    assert json.loads(written["json"].read_text(encoding="utf-8"))["steps"][DRIFT_STEP - 1]["note"] == HOSTILE


def test_junit_stays_valid_xml_with_control_characters(folder: Path, mixed: Verdict) -> None:
    mixed.steps[BROKEN_STEP - 1].note = "terminal said \x1b[31mno\x1b[0m\x00"
    write_reports(mixed, folder, junit=folder / "junit.xml")

    failure = suite_of(folder / "junit.xml").findall("testcase")[BROKEN_STEP - 1].find("failure")
    assert failure is not None and "terminal said" in (failure.text or "")


def test_a_lost_or_outside_screenshot_is_said_not_embedded(tmp_path: Path, folder: Path, mixed: Verdict) -> None:
    png(tmp_path / "secret.png", "red")
    mixed.steps[0].screenshot = "gone.png"
    mixed.steps[1].screenshot = "../secret.png"
    page = write_reports(mixed, folder)["html"].read_text(encoding="utf-8")

    assert "screenshot not found: gone.png" in page
    assert "screenshot not found: ../secret.png" in page
    assert page.count("<img ") == 7  # ten steps, less the skipped one and these two


def mixed_off() -> tuple[int, ...]:
    return (BROKEN_STEP, DRIFT_STEP, SKIPPED_STEP)


def test_report_html_in_a_browser(page: Page, folder: Path, mixed: Verdict) -> None:
    report = write_reports(mixed, folder)["html"]
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(report.as_uri())

    titles = [f"Step {step.number} — {step.title}" for step in mixed.steps]
    # It opens on what changed: the summary table, broken first, then drift, then the rest in the tutorial's order.
    summary = page.get_by_role("table", name="Summary")
    expect(summary).to_be_in_viewport()
    rows = summary.get_by_role("row")
    expect(rows).to_have_count(11)
    order = [BROKEN_STEP, DRIFT_STEP, SKIPPED_STEP] + [n for n in range(1, 11) if n not in mixed_off()]
    expect(rows.nth(1)).to_contain_text(f"{BROKEN_STEP} {mixed.steps[BROKEN_STEP - 1].title}")
    links = summary.get_by_role("link")
    assert [link.get_attribute("href") for link in links.all()] == [f"#step-{n}" for n in order]
    # The cards of the steps that changed are open; the ones that passed are collapsed until asked for.
    expect(page.get_by_role("heading", level=2)).to_have_text([titles[BROKEN_STEP - 1], titles[DRIFT_STEP - 1]])
    page.get_by_text("steps passed or were skipped").click()
    expect(page.get_by_role("heading", level=2)).to_have_count(10)
    expect(page.locator("section")).to_have_count(10)
    expect(page.get_by_role("heading", level=1)).to_contain_text(BROKEN, ignore_case=True)
    expect(page.locator("header")).to_contain_text("connect 10: 7 ok, 1 drift, 1 broken, 1 skipped")

    images = page.get_by_role("img").all()
    assert sorted(image.get_attribute("alt") or "" for image in images) == sorted(
        f"Step {n} screenshot" for n in range(1, 11) if n != SKIPPED_STEP
    )
    for image in images:
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), image.get_attribute("alt")

    drift = page.locator("section", has=page.get_by_role("heading", name=titles[DRIFT_STEP - 1]))
    expect(drift.locator("strong")).to_have_text("Link accounts")
    expect(drift.get_by_role("listitem")).to_have_text(["Link accounts", "Add a TikTok Account", "Requests"])
    expect(drift).to_contain_text(tutorial.load().step(DRIFT_STEP).expected)
    skipped = page.locator("section", has=page.get_by_role("heading", name=titles[SKIPPED_STEP - 1]))
    expect(skipped.get_by_text("no screenshot")).to_be_visible()

    # Self-contained: the page itself is the only thing fetched, and nothing was refused by its CSP.
    assert [url for url in requests if not url.startswith("data:")] == [report.as_uri()]
    assert problems == []


def test_disconnect_steps_are_named_apart_from_the_ten(folder: Path) -> None:
    """D1-D3 share numbers 1-3 with the ten: in JSON, HTML and JUnit they are "D1".."D3", never "step 2" again."""
    verdict = make_verdict(folder)
    faq = tutorial.load().disconnect
    verdict.steps += [
        StepVerdict(
            step.number,
            step.title,
            DRIFT if step.number == 3 else OK,
            step.expected,
            nearest=["Yes, disconnect", "Cancel"] if step.number == 3 else [],
            screenshot=png(folder / f"step-D{step.number}.png", "#336699"),
            path='nearest visible control "Yes, disconnect"' if step.number == 3 else "documented",
            part="disconnect",
        )
        for step in faq
    ]
    junit = folder / "junit.xml"
    written = write_reports(verdict, folder, junit)

    steps = json.loads(written["json"].read_text(encoding="utf-8"))["steps"]
    assert [(s["ref"], s["part"]) for s in steps[9:]] == [
        ("10", "connect"),
        *((f"D{n}", "disconnect") for n in (1, 2, 3)),
    ]
    page = written["html"].read_text(encoding="utf-8")
    assert page.count('<p class="part">') == 1 and page.index('<p class="part">') > page.index('id="step-10"')
    assert '<h2 id="step-D3-title">Step D3 — Confirm that the account is to be disconnected</h2>' in page
    assert page.count('id="step-2"') == 1 and page.count('id="step-D2"') == 1
    cases = suite_of(junit).findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases[10:12]] == [
        ("tutorial.disconnect", "step D1: Find the account you want to remove"),
        ("tutorial.disconnect", "step D2: Click the options menu to disconnect it"),
    ]
    failure = cases[12].find("failure")
    assert failure is not None and failure.get("message", "").startswith(
        'step D3 drift: expected "Disconnect"; nearest visible: "Yes, disconnect", "Cancel"'
    )
