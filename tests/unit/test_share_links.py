"""The share links a rerun serves again: the port and the tokens kept per site and Business Center, privately."""

from __future__ import annotations

import json

import pytest

from runbook.share.links import ALL_ACCOUNTS, DEFAULT_SHARE_PORT, SavedLinks, links_path


def test_tokens_and_the_port_are_kept_per_business_center() -> None:
    saved = SavedLinks.load("https://business.tiktok.com", None)
    assert saved.port_for(None) == DEFAULT_SHARE_PORT and saved.port_for(0) == 0 and saved.port_for(9001) == 9001
    first = {key: saved.token(key) for key in ("@a", "@b", ALL_ACCOUNTS)}
    assert len(set(first.values())) == 3 and saved.token("@a") == first["@a"]
    saved.save(43210)
    again = SavedLinks.load("https://business.tiktok.com/", None)
    assert again.port_for(None) == 43210  # the port the last run listened on, when none is given
    assert {key: again.token(key) for key in first} == first
    assert SavedLinks.load("https://business.tiktok.com", "Other Center").tokens == {}  # another Business Center
    assert saved.path.stat().st_mode & 0o777 == 0o600 and saved.path.parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("written", ["not json", "[1, 2]", json.dumps({"port": "x", "tokens": {"@a": "<script>"}})])
def test_a_file_that_is_not_ours_is_a_fresh_start(written: str) -> None:
    path = links_path("https://b.example", None)
    path.parent.mkdir(parents=True)
    path.write_text(written)
    saved = SavedLinks.load("https://b.example", None)
    assert saved.port is None and saved.tokens == {}
