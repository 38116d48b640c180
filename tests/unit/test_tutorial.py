"""The tutorial data file: ten steps in the tutorial's words, and the only place a UI label is written."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from runbook.core import tutorial

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT.parent / "shared" / "tutorial" / "connect-tiktok-account.txt"


def all_labels() -> set[str]:
    data = tutorial.load()
    steps = data.steps + data.disconnect
    labels = {label for step in steps for route in step.routes for label in route.labels}
    labels |= {text for step in steps for texts in step.extra.values() for text in texts}
    labels |= set(data.dismiss) | set(data.close)
    return labels


def looks_like_label(text: str, labels: set[str]) -> bool:
    """As written in the UI ("Save"), or any casing of a label of several words ("request access").

    One lower-case word is an identifier as often as not (the "done" event, the "close" key, the "accepted"
    event, which accepted_texts also lists), so it is let be.
    """
    text = text.strip()
    identifier = " " not in text and text.islower()
    return (text in labels and not identifier) or (
        " " in text and text.casefold() in {label.casefold() for label in labels}
    )


def test_ten_numbered_steps_with_documented_paths() -> None:
    steps = tutorial.load().steps
    assert [step.number for step in steps] == list(range(1, 11))
    assert all(step.documented.documented for step in steps)
    assert tutorial.load().step(4).documented.labels == ("Request Access",)
    assert "Add a TikTok Account" in tutorial.load().step(4).alternatives[0].labels


@pytest.mark.skipif(not PUBLISHED.is_file(), reason="the published tutorial lives in ../shared")
def test_titles_are_the_published_tutorials() -> None:
    text = PUBLISHED.read_text(encoding="utf-8")
    published = re.findall(r"^(\d+)\n\n(.+)$", text, re.MULTILINE)
    assert [(int(n), title.strip()) for n, title in published] == [
        (step.number, step.title) for step in tutorial.load().steps
    ]


def test_the_faqs_disconnect_steps() -> None:
    steps = tutorial.load().disconnect
    assert [step.number for step in steps] == [1, 2, 3]
    assert all(step.part == "disconnect" for step in steps)
    assert tutorial.load().step(2).part == "connect"
    assert steps[1].documented.labels[-1] == "Disconnect" and steps[1].alternatives
    assert "OK" in {label for route in steps[2].routes for label in route.labels}


def test_labels_match_case_insensitively_and_whole() -> None:
    pattern = tutorial.label_pattern(["TikTok Accounts"])
    assert pattern.match("TikTok accounts") and pattern.match(" tiktok ACCOUNTS ")
    assert not pattern.match("TikTok accounts (3)")
    assert not tutorial.label_pattern(["Accounts"]).match("Ad accounts")


def _string_literals(source: Path) -> list[tuple[int, str]]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("package", ["runbook", "pages"])
def test_no_code_hard_codes_a_ui_label(package: str) -> None:
    """A UI label changes in one place: no string in the runbook's or page objects' code is a label."""
    labels = all_labels()
    found = [
        f"{source.relative_to(ROOT)}:{line}: {text!r}"
        for source in sorted((ROOT / package).rglob("*.py"))
        for line, text in _string_literals(source)
        if looks_like_label(text, labels)
    ]
    assert found == []


# -- the data file is read strictly -------------------------------------------------------------------------------

DATA = (ROOT / "runbook" / "tutorial.toml").read_text(encoding="utf-8")


def broken(old: str, new: str) -> str:
    assert old in DATA, old
    return DATA.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('saved_texts = ["', 'saved_text = ["', "'saved_text'"),
        ('dismiss = ["', 'dismis = ["', "'dismis'"),
        ('title = "Connect TikTok', 'titel = "Connect TikTok', "'titel'"),
        ('name = "Link accounts', 'nam = "Link accounts', "'nam'"),
    ],
)
def test_a_misspelt_key_is_an_error_naming_file_and_key(old: str, new: str, key: str) -> None:
    with pytest.raises(tutorial.TutorialError) as error:
        tutorial.parse(broken(old, new), "tutorial.toml")
    assert "tutorial.toml" in str(error.value) and key in str(error.value)


def test_an_empty_label_list_is_an_error() -> None:
    data = broken('expired_texts = ["QR code has expired", "QR code expired"]', "expired_texts = []")
    with pytest.raises(tutorial.TutorialError, match=r"tutorial\.toml.*expired_texts.*empty"):
        tutorial.parse(data)
    with pytest.raises(tutorial.TutorialError, match=r"close.*empty"):
        tutorial.parse(broken('close = ["Done", "Close", "Cancel"]', "close = []"))


def test_disconnect_steps_share_the_step_schema() -> None:
    # One more step after the shipped file's own disconnect steps, which are numbered 1, 2, 3 …
    extra = f"""
[[disconnect]]
number = {len(tutorial.load().disconnect) + 1}
title = "Open the account's menu"
instruction = "On TikTok accounts, open the row's menu."
action = "click"
area = "page"
path = ["More actions"]
confirm_buttons = ["Disconnect"]
"""
    data = tutorial.parse(DATA + extra)
    assert data.disconnect[-1].documented.labels == ("More actions",)
    assert data.disconnect[-1].texts("confirm_buttons") == ("Disconnect",)
    with pytest.raises(tutorial.TutorialError, match=r"\[\[disconnect\]\].*'confirm_button'"):
        tutorial.parse(DATA + extra.replace("confirm_buttons", "confirm_button"))


def test_the_shipped_file_is_valid() -> None:
    assert tutorial.parse(DATA) == tutorial.load()
