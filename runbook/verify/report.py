"""The reports of a verify run, written from its Verdict: JSON for programs, HTML for people, JUnit for CI.

The HTML page is self-contained (screenshots as data: URIs, inline CSS, no script) so that one file can be
mailed or attached to a CI run and still show everything. `html_document` and `image_data_uri` are shared with
the guide.
"""

from __future__ import annotations

import base64
import html
import json
import mimetypes
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime
from pathlib import Path

from runbook.verify.summary import part_counts, summary_rows
from runbook.verify.verdict import BROKEN, DRIFT, KNOWN, SKIPPED, StepVerdict, Verdict

JSON_NAME = "report.json"
HTML_NAME = "report.html"
SUITE = "tutorial"
# How many nearest names a JUnit failure message lists: CI summaries show one line, the body has them all.
MESSAGE_NEAREST = 3
_FAILED = (DRIFT, BROKEN)

# The page may load images from data: URIs and use its own inline styles, nothing else: a report opened from
# an artifact never reaches the network, and a hostile label copied from the live site cannot run script.
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

_CSS = """
:root { color-scheme: light; font: 16px/1.5 system-ui, "Segoe UI", sans-serif; color: #1f2328; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .75rem; }
h2 { font-size: 1.2rem; margin: 0 0 .5rem; }
.badge { display: inline-block; padding: .05em .65em; border-radius: 1em; font-size: .8rem;
  font-weight: 700; letter-spacing: .04em; text-transform: uppercase; vertical-align: middle;
  color: #fff; background: #6e7781; }
.badge.ok { background: #1a7f37; }
.badge.drift { background: #f5b400; color: #2b1d00; }
.badge.broken { background: #cf222e; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0 1rem; }
dl.facts dt { font-weight: 600; color: #57606a; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ol.nearest { margin: 0; padding-left: 1.25rem; }
section.step { border: 1px solid #d0d7de; border-left: .5rem solid #6e7781; border-radius: .5rem;
  padding: 1rem 1.25rem; margin: 1.5rem 0; break-inside: avoid; }
section.step.ok { border-left-color: #1a7f37; }
section.step.drift { border-left-color: #f5b400; }
section.step.broken { border-left-color: #cf222e; }
figure { margin: 0; }
img { display: block; max-width: 100%; height: auto; border: 1px solid #d0d7de; border-radius: .25rem; }
.no-shot { color: #57606a; font-style: italic; }
p.part { margin: 2.5rem 0 0; padding-top: 1rem; border-top: 2px solid #d0d7de; color: #57606a; }
.badge.known { background: #8250df; }
section.step.known { border-left-color: #8250df; }
table.summary { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
table.summary th, table.summary td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #d0d7de;
  vertical-align: top; overflow-wrap: anywhere; }
details.passed { margin: 1.5rem 0; }
details.passed > summary { cursor: pointer; font-weight: 600; }
"""

# Characters XML 1.0 cannot carry at all; ElementTree would write them and produce a file no parser accepts.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_reports(verdict: Verdict, folder: Path, junit: Path | None = None) -> dict[str, Path]:
    """Writes report.json and report.html into `folder` (and JUnit XML at `junit`); returns them by name."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {
        "json": _write_text(folder / JSON_NAME, json.dumps(verdict.to_json(), indent=2, ensure_ascii=False)),
        "html": _write_text(folder / HTML_NAME, render_html(verdict, folder)),
    }
    if junit is not None:
        written["junit"] = write_junit(verdict, folder, junit)
    return written


def _write_text(path: Path, text: str) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    return path


# --- HTML ---


def html_document(title: str, body: str) -> str:
    """A complete page around `body` (escaped HTML): inline CSS, and a CSP that forbids anything else."""
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>"
    )


def image_data_uri(path: Path) -> str:
    """The image file as a data: URI, so the page that shows it needs no file beside it."""
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


# Said once above the disconnect steps: they are the FAQ's, checked on a linked account but never confirmed.
_DISCONNECT_INTRO = (
    '<p class="part">Steps D1–D3: the FAQ\'s "How do I disconnect a TikTok account?", checked on an account the '
    "list shows as linked, up to the confirmation's button, which is never pressed.</p>"
)


def render_html(verdict: Verdict, folder: Path) -> str:
    """The summary table first; then the cards of the steps that drifted or broke (and known drift); then, in
    one collapsed block, the cards of the steps that passed."""
    rows = summary_rows(verdict)
    open_cards = [step for step in rows if step.status in (*_FAILED, KNOWN)]
    closed = [step for step in verdict.steps if step not in open_cards]
    body = [_header(verdict), "<main>", _summary_table(rows), *(_section(step, folder) for step in open_cards)]
    if closed:
        body.append(f'<details class="passed">\n<summary>{len(closed)} steps passed or were skipped</summary>')
        body += _cards(closed, folder)
        body.append("</details>")
    body.append("</main>")
    return html_document(f"Tutorial check: {verdict.status} — {verdict.base_url}", "\n".join(body))


def _cards(steps: list[StepVerdict], folder: Path) -> list[str]:
    cards: list[str] = []
    for before, step in zip([None, *steps], steps, strict=False):
        if step.part == "disconnect" and (before is None or before.part != "disconnect"):
            cards.append(_DISCONNECT_INTRO)
        cards.append(_section(step, folder))
    return cards


def _summary_table(rows: list[StepVerdict]) -> str:
    """One row per step (connect's and the FAQ's): status, kind, expected → seen, a link to its card."""
    e = html.escape
    head = "<tr><th>Step</th><th>Status</th><th>Kind</th><th>Expected → seen</th></tr>"
    body = "".join(
        f'<tr class="{e(step.status)}"><td><a href="#step-{e(step.ref)}">{e(step.ref)} {e(step.title)}</a></td>'
        f"<td>{_badge(step.status)}</td><td>{e(step.kind)}</td><td>{e(step.expected_seen)}</td></tr>"
        for step in rows
    )
    return f'<table class="summary" aria-label="Summary">\n<thead>{head}</thead>\n<tbody>{body}</tbody>\n</table>'


def _badge(status: str) -> str:
    return f'<span class="badge {html.escape(status)}">{html.escape(status)}</span>'


def _facts(rows: list[tuple[str, str]]) -> str:
    """A definition list of (label, HTML value) rows; labels are ours, values are escaped by the caller."""
    items = "".join(f"<dt>{html.escape(label)}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<dl class="facts">{items}</dl>'


def _header(verdict: Verdict) -> str:
    e = html.escape
    rows = [
        ("Steps", e(part_counts(verdict))),
        ("Base URL", _link(verdict.base_url)),
        ("Tutorial", f"<code>{e(verdict.tutorial)}</code> (sha256 {e(verdict.tutorial_hash or 'unknown')})"),
        ("Tool", e(f"tiktok-runbook {verdict.version}" if verdict.version else "tiktok-runbook")),
        ("Started", f'<time datetime="{e(verdict.started_at)}">{e(_when(verdict.started_at))}</time>'),
        ("Duration", e(_duration(verdict.seconds))),
    ]
    if verdict.baseline:
        rows.append(("Baseline", f"<code>{e(verdict.baseline)}</code>"))
    return f"<header>\n<h1>Tutorial check {_badge(verdict.status)}</h1>\n{_facts(rows)}\n</header>"


def _section(step: StepVerdict, folder: Path) -> str:
    e = html.escape
    anchor = f"step-{step.ref}"
    return (
        f'<section class="step {e(step.status)}" id="{anchor}" aria-labelledby="{anchor}-title">\n'
        f'<h2 id="{anchor}-title">Step {e(step.ref)} — {e(step.title)}</h2>\n'
        f"<p>{_badge(step.status)}</p>\n{_facts(_step_rows(step))}\n{_screenshot(step, folder)}\n</section>"
    )


def _step_rows(step: StepVerdict) -> list[tuple[str, str]]:
    e = html.escape
    rows = [("Expected", e(step.expected))]
    if step.kind:
        rows += [("Kind", e(step.kind)), ("Seen", e(step.shown))]
    if step.status in _FAILED:  # for a passing step the nearest names are noise
        rows.append(("Nearest visible", _nearest_list(step.nearest)))
    # Empty fields are left out rather than shown as blanks: a step that was skipped has no URL or path.
    optional = [("Matched path", e(step.path)), ("URL", _link(step.url)), ("Note", e(step.note))]
    return rows + [(label, value) for label, value in optional if value]


def _nearest_list(names: list[str]) -> str:
    if not names:
        return "<em>none visible</em>"
    first, *rest = (html.escape(name) for name in names)
    items = [f"<li><strong>{first}</strong></li>", *(f"<li>{name}</li>" for name in rest)]
    return f'<ol class="nearest">{"".join(items)}</ol>'


def _link(url: str) -> str:
    """A clickable URL, but only for http(s): a javascript: or data: URL from the page stays inert text."""
    if not url:
        return ""
    if url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
    return f"<code>{html.escape(url)}</code>"


def _screenshot(step: StepVerdict, folder: Path) -> str:
    if not step.screenshot:
        return '<p class="no-shot">no screenshot</p>'
    path = _inside(folder, step.screenshot)
    if path is None or not path.is_file():
        # A report is most needed after a bad run: a lost screenshot is said, not allowed to stop the report.
        return f'<p class="no-shot">screenshot not found: {html.escape(step.screenshot)}</p>'
    return f'<figure><img alt="Step {html.escape(step.ref)} screenshot" src="{image_data_uri(path)}"></figure>'


def _inside(folder: Path, name: str) -> Path | None:
    """The screenshot's file, only if inside the report folder: a report embeds nothing from elsewhere."""
    path = (folder / name).resolve()
    return path if path.is_relative_to(folder.resolve()) else None


def _when(started_at: str) -> str:
    try:
        return datetime.fromisoformat(started_at).strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    except ValueError:
        return started_at  # not ISO: show it as it was recorded


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


# --- JUnit XML ---


def write_junit(verdict: Verdict, folder: Path, junit: Path) -> Path:
    junit.parent.mkdir(parents=True, exist_ok=True)
    tree = ET.ElementTree(junit_element(verdict, folder, junit.parent))
    ET.indent(tree)
    tree.write(junit, encoding="utf-8", xml_declaration=True)
    return junit


def junit_element(verdict: Verdict, folder: Path, junit_dir: Path) -> ET.Element:
    """<testsuites> holding the one "tutorial" suite: a test case per step.

    A broken step is a <failure>, not an <error>: it is a finding about the site (the documented control and
    every known alternative are gone), the same kind of finding as drift, only worse. CI tools read <error> as
    "the test itself crashed", and the suite's `failures` count (drift + broken) then matches its elements.
    """
    counts = Counter(step.status for step in verdict.steps)
    totals = {
        "tests": str(len(verdict.steps)),
        "failures": str(counts[DRIFT] + counts[BROKEN]),
        "errors": "0",
        "skipped": str(counts[SKIPPED]),
        "time": f"{verdict.seconds:.3f}",
    }
    suites = ET.Element("testsuites", {"name": "tiktok-runbook verify", **totals})
    suite = ET.SubElement(suites, "testsuite", {"name": SUITE, "timestamp": _xml(verdict.started_at), **totals})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("base_url", verdict.base_url), ("status", verdict.status)):
        ET.SubElement(properties, "property", name=name, value=_xml(value))
    for step in verdict.steps:
        suite.append(_testcase(step, folder, junit_dir))
    return suites


def _testcase(step: StepVerdict, folder: Path, junit_dir: Path) -> ET.Element:
    # The ten keep their names ("step 04: …"); the disconnect steps are "step D2: …" in a class of their own.
    if step.part == "connect":
        case = ET.Element("testcase", classname=SUITE, name=_xml(f"step {step.number:02d}: {step.title}"))
    else:
        case = ET.Element("testcase", classname=f"{SUITE}.{step.part}", name=_xml(f"step {step.ref}: {step.title}"))
    case.set("time", f"{step.seconds:.3f}")
    shot = _shot_path(step, folder, junit_dir)
    properties = ET.SubElement(case, "properties")
    facts = [("status", str(step.status)), ("kind", step.kind)]
    # The attachment form GitLab, Jenkins and the JUnit report actions read: a property naming the file.
    facts += [("attachment", shot)] if step.screenshot else []
    for name, value in facts:
        if value:
            ET.SubElement(properties, "property", name=name, value=_xml(value))
    if step.status in _FAILED:
        failure = ET.SubElement(case, "failure", type=step.status, message=_xml(_failure_message(step)))
        failure.text = _xml(_failure_body(step))
    elif step.status == SKIPPED:
        ET.SubElement(case, "skipped", message=_xml(step.note or "skipped"))
    out = ET.SubElement(case, "system-out")
    out.text = _xml(f"url: {step.url or 'none'}\nscreenshot: {shot}\n")
    return case


def _failure_message(step: StepVerdict) -> str:
    """One line, as CI summaries show it: what the tutorial says, and what the page had closest to it."""
    shown = ", ".join(f'"{name}"' for name in step.nearest[:MESSAGE_NEAREST]) or "none"
    more = f" (+{len(step.nearest) - MESSAGE_NEAREST} more)" if len(step.nearest) > MESSAGE_NEAREST else ""
    kind = f" {step.kind}" if step.kind else ""
    return f"step {step.ref} {step.status}{kind}: expected {step.expected_seen}; nearest visible: {shown}{more}"


def _failure_body(step: StepVerdict) -> str:
    lines = [f"kind: {step.kind or 'none'}", f"expected: {step.expected}", f"seen: {step.shown}", "nearest visible:"]
    lines += [f"  {rank}. {name}" for rank, name in enumerate(step.nearest, start=1)] or ["  (none)"]
    lines += [f"matched path: {step.path or 'none'}", f"note: {step.note or 'none'}"]
    return "\n".join(lines)


def _shot_path(step: StepVerdict, folder: Path, junit_dir: Path) -> str:
    """Relative to the JUnit file when it sits beside or above the screenshots (they travel together in one
    artifact), absolute otherwise, so the path resolves from the XML file's folder either way."""
    if not step.screenshot:
        return "none"
    shot = (folder / step.screenshot).resolve()
    base = junit_dir.resolve()
    return os.path.relpath(shot, base) if shot.is_relative_to(base) else str(shot)


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
