"""--shard K/N and status --merge: a stable split of an accounts list, and shards' status outputs as one table."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from runbook.connect.options import ConnectOptions
from runbook.connect.shard import Shard, shard_of
from runbook.core.errors import BadInput
from runbook.core.handle import Handle
from tests.support.cli import run_cli

HANDLES = [Handle(f"brand.{n}") for n in range(200)]


def test_known_answers_stay_the_same_on_every_machine_and_python() -> None:
    """sha256 of the case-folded username, not Python's hash() (salted per process): pinned, so a change that
    would move accounts between shards (and so between CI jobs mid-campaign) fails here."""
    assert [shard_of(Handle(name), 2) for name in ("r.one", "r.two", "r.seven", "r.three")] == [2, 1, 2, 1]
    assert [shard_of(Handle(name), 7) for name in ("r.one", "r.two", "r.seven", "r.three")] == [
        shard_of(Handle(name), 7) for name in ("R.ONE", "R.Two", "r.SEVEN", "R.three")
    ]
    assert shard_of(Handle("acme.official"), 4) == 2
    assert shard_of(Handle("acme.official"), 1) == 1


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_every_account_is_in_exactly_one_shard_whatever_the_order(count: int, tmp_path: Path) -> None:
    shuffled = HANDLES[:]
    random.Random(count).shuffle(shuffled)
    parts = []
    for index in range(1, count + 1):
        shard = f"{index}/{count}"
        parts.append(set(ConnectOptions.build([str(h) for h in HANDLES], shard=shard).accounts))
        assert parts[-1] == set(ConnectOptions.build([str(h) for h in shuffled], shard=shard).accounts)
    assert sum(len(part) for part in parts) == len(HANDLES) and set().union(*parts) == set(HANDLES)
    if count > 1:  # spread out: no shard holds more than twice its share of 200
        assert max(len(part) for part in parts) < 2 * len(HANDLES) / count


@pytest.mark.parametrize("text", ["0/2", "3/2", "1/0", "2", "a/b", "1/2/3", "-1/2", "1/1001"])
def test_a_shard_that_is_not_k_of_n_is_refused(text: str) -> None:
    with pytest.raises(BadInput, match="--shard takes K/N"):
        Shard.parse(text)


def test_connect_with_an_empty_shard_has_nothing_to_do(tmp_path: Path, capsys, monkeypatch) -> None:
    """A job whose part of the file is empty ends at once, successfully, without a browser."""
    accounts = tmp_path / "accounts.txt"
    accounts.write_text("@r.two\n@r.three\n")  # both in shard 1 of 2
    result = run_cli(
        ["connect", "--accounts-file", str(accounts), "--shard", "2/2", "--events", "-"], capsys, monkeypatch
    )
    assert result.code == 0, result.err
    assert "Shard 2/2: 0 of the 2 accounts named" in result.err
    assert [json.loads(line)["event"] for line in result.out.splitlines()] == ["summary"]
    result = run_cli(["connect", "--accounts-file", str(accounts), "--shard", "3/2"], capsys, monkeypatch)
    assert result.code == 2 and "--shard takes K/N" in result.err


def listing(path: Path, *rows: tuple[str, bool, bool, bool]) -> str:
    keys = ("account", "linked", "pending", "assigned")
    path.write_text(json.dumps({"accounts": [dict(zip(keys, row, strict=True)) for row in rows]}))
    return str(path)


def test_status_merge_shows_each_account_as_far_as_any_shard_saw_it(tmp_path: Path, capsys, monkeypatch) -> None:
    first = listing(
        tmp_path / "1.json", ("@a", True, False, True), ("@b", False, True, False), ("@c", True, False, False)
    )
    second = listing(
        tmp_path / "2.json", ("@B", True, False, True), ("@c", True, False, False), ("@d", False, True, False)
    )
    result = run_cli(["status", "--merge", first, second, "--json"], capsys, monkeypatch)
    assert result.code == 0, result.err
    assert json.loads(result.out)["accounts"] == [
        {"account": "@a", "linked": True, "pending": False, "assigned": True},
        {"account": "@b", "linked": True, "pending": False, "assigned": True},  # pending in 1, done by 2's time
        {"account": "@c", "linked": True, "pending": False, "assigned": False},
        {"account": "@d", "linked": False, "pending": True, "assigned": False},
    ]
    table = run_cli(["status", "--merge", first, second], capsys, monkeypatch)
    assert table.out.splitlines()[0].split() == ["ACCOUNT", "LINKED", "PENDING", "ASSIGNED"]
    assert table.out.splitlines()[2].split() == ["@b", "yes", "-", "yes"]


def test_status_merge_refuses_what_is_not_a_status_output(tmp_path: Path, capsys, monkeypatch) -> None:
    bad = tmp_path / "bad.json"
    for text in ("not json", '{"accounts": [{"account": "@a"}]}', "[1, 2]"):
        bad.write_text(text)
        result = run_cli(["status", "--merge", str(bad)], capsys, monkeypatch)
        assert result.code == 2 and result.err.startswith(f"tiktok-runbook: --merge {bad}: not"), result.err
    result = run_cli(["status", "--merge", str(tmp_path / "missing.json")], capsys, monkeypatch)
    assert result.code == 2 and "no such file" in result.err
    assert "takes the files" in run_cli(["status", "--merge"], capsys, monkeypatch).err
    assert "takes the files" in run_cli(["status", str(bad)], capsys, monkeypatch).err
