"""connect with several accounts: all owners waited for together, one account's failure not stopping the others,
a summary at the end, --accounts-file and --concurrency. Against the in-process mock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runbook.connect.accounts_file import read_accounts
from runbook.connect.options import ConnectOptions
from runbook.core.errors import BadInput
from runbook.core.handle import Handle
from runbook.fixtures.server import MockBusinessCenter
from tests.support.cli import Result, run_cli
from tests.support.matrix import cells


def connect(mock: MockBusinessCenter, tmp_path: Path, capsys, monkeypatch, *extra: str) -> Result:
    args = ["connect", "--base-url", mock.url, "--events", "-", "--run-dir", str(tmp_path / "run"), *extra]
    return run_cli(args, capsys, monkeypatch)


def events(result: Result) -> list[dict]:
    return [json.loads(line) for line in result.out.splitlines()]


def summary(evs: list[dict]) -> dict[str, tuple[str, int]]:
    [last] = [e for e in evs if e["event"] == "summary"]
    assert evs[-1] is last
    return {row["account"]: (row["status"], row["codes"]) for row in last["accounts"]}


def first(evs: list[dict], event: str, account: str) -> int:
    return next(i for i, e in enumerate(evs) if e["event"] == event and e.get("account") == account)


def test_owners_are_waited_for_together(mock, owner, tmp_path, capsys, monkeypatch) -> None:
    """Three codes out at once: one owner accepts, one lets a code expire and scans the next, one never does."""
    run = tmp_path / "run"
    # Nobody acts before all three codes are out: run one account after another, this would never end.
    with (
        owner(account="@a.one", shared=run / "a.one", after_codes=3) as a,
        owner(2, account="@b.two", shared=run / "b.two", after_codes=3, expire_others=True) as b,
        owner(None, account="@c.three", shared=run / "c.three", after_codes=3, expire_others=True) as c,
    ):
        result = connect(
            mock, tmp_path, capsys, monkeypatch, "-a", "@a.one", "-a", "@b.two", "-a", "@c.three", "--max-qr", "2"
        )
    assert result.code == 1, result.err
    evs = events(result)
    assert summary(evs) == {"@a.one": ("assigned", 1), "@b.two": ("assigned", 2), "@c.three": ("timed out", 2)}
    # The owners acted only once all three codes existed: walked one after another, the first account would have
    # waited out --wait for an owner who waited for the others. That two were assigned shows they waited together.
    assert [(e["account"], e["codes"]) for e in evs if e["event"] == "accepted"] in (
        [("@a.one", 1), ("@b.two", 2)],
        [("@b.two", 2), ("@a.one", 1)],
    )
    expired = sorted((e["account"], e["attempt"]) for e in evs if e["event"] == "expired")
    assert expired == [("@b.two", 1), ("@c.three", 1), ("@c.three", 2)]
    [failed] = [e for e in evs if e["event"] == "failed"]
    assert failed["account"] == "@c.three" and failed["status"] == "timed out" and failed["step"] == 6
    assert "expired 2 times" in failed["message"]
    assert {e["account"] for e in evs if e["event"] == "done"} == {"@a.one", "@b.two"}
    # Every event about one account says which; only step 1 (signing in), the Business Center it read, and the
    # summary are about the run.
    about_run = [e for e in evs if "account" not in e]
    assert {(e["event"], e.get("step")) for e in about_run} == {
        ("step", 1),
        ("business_center", None),
        ("summary", None),
    }
    assert a.scanned and b.scanned and len(b.expired) == 1 and len(c.expired) == 2 and not c.scanned
    accounts = mock.state()["accounts"]
    assert accounts["@a.one"] == accounts["@b.two"] == {"linked": True, "assigned": True}
    assert "@c.three" not in accounts
    # Each account's QR images in a folder of its own.
    assert (run / "b.two" / "qr.png").is_file() and (run / "b.two" / "qr-2.png").is_file()
    # People get the table and one line saying what is left to do.
    assert "account   status" in result.err and "@c.three  timed out" in result.err
    last = result.err.strip().splitlines()[-1]
    assert "1 of 3 accounts not connected: @c.three (timed out)" in last and "run the same command again" in last


def test_an_owner_who_never_scans_times_out_alone(mock, tmp_path, capsys, monkeypatch) -> None:
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@acme.official", "-a", "@slow.one", "--wait", "3")
    assert result.code == 1
    evs = events(result)
    assert summary(evs) == {"@acme.official": ("already", 0), "@slow.one": ("timed out", 1)}
    [failed] = [e for e in evs if e["event"] == "failed"]
    assert failed["account"] == "@slow.one" and "did not accept within 3 s" in failed["message"]
    assert mock.state()["mutations"] == 0


@pytest.mark.parametrize("waiting", cells(["parked", "keep-pages"], everyday=["parked"]))
def test_concurrency_queues_accounts_and_a_rerun_skips_them(
    waiting, mock, owner, tmp_path, capsys, monkeypatch
) -> None:
    run = tmp_path / "run"
    keep = ["--keep-pages"] if waiting == "keep-pages" else []
    with owner(account="@q.one", shared=run / "q.one"), owner(account="@q.two", shared=run / "q.two"):
        result = connect(
            mock, tmp_path, capsys, monkeypatch, "-a", "@q.one", "-a", "@q.two", "--concurrency", "1", *keep
        )
    assert result.code == 0, result.err
    evs = events(result)
    assert summary(evs) == {"@q.one": ("assigned", 1), "@q.two": ("assigned", 1)}
    if keep:  # one page at a time, held while its owner decides: the second account starts when the first is done
        assert first(evs, "done", "@q.one") < first(evs, "step", "@q.two")
    else:  # one page at work, none held while waiting: the second code goes out before the first is assigned
        assert first(evs, "qr", "@q.two") < first(evs, "done", "@q.one")
        # ...from the list the first code was requested on: the app is not loaded again, nothing to click.
        arrival = [e for e in evs if e["event"] == "step" and e.get("account") == "@q.two" and e["step"] in (2, 3)]
        ends = [e for e in arrival if e["status"] != "start"]
        assert [e["status"] for e in ends] == ["skipped", "skipped"], arrival
        assert "shows the TikTok accounts list already" in ends[0]["note"]
    mutations = mock.state()["mutations"]

    again = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@q.one", "-a", "@q.two")
    assert again.code == 0, again.err
    evs = events(again)
    assert summary(evs) == {"@q.one": ("already", 0), "@q.two": ("already", 0)}
    assert not [e for e in evs if e["event"] == "qr"]
    assert mock.state()["mutations"] == mutations


def test_accounts_file_with_notes_comments_header_and_repeats(tmp_path) -> None:
    listing = tmp_path / "accounts.csv"
    listing.write_text(
        "account,note\n# creators for the spring campaign\n\n@one,Ana (chat)\ntwo\n@One,again\n"
        '"three.3","Bo, by email"\n',
        encoding="utf-8",
    )
    read = read_accounts(listing)
    assert [(str(item.handle), item.note, item.line) for item in read] == [
        ("@one", "Ana (chat)", 4),
        ("@two", "", 5),
        ("@three.3", "Bo, by email", 7),
    ]
    plain = tmp_path / "accounts.txt"
    plain.write_text("@two   the second one\n@four\n", encoding="utf-8")
    options = ConnectOptions.build(["@four", "@one", "@Four"], accounts_file=plain)
    assert [str(h) for h in options.accounts] == ["@four", "@one", "@two"]
    assert options.notes == {Handle("two"): "the second one"}


@pytest.mark.parametrize(
    ("content", "line", "why"),
    [
        ("@ok\n@not-valid! a note\n", 2, "only letters"),
        ("# header comment\nhandle\n@\n", 3, "no username"),
        ("@fine\n@ends.in.period.\n", 2, "ends in a period"),
    ],
)
def test_a_bad_line_names_file_and_line(tmp_path, content, line, why) -> None:
    listing = tmp_path / "accounts.txt"
    listing.write_text(content, encoding="utf-8")
    with pytest.raises(BadInput) as bad:
        read_accounts(listing)
    assert str(bad.value).startswith(f"{listing}:{line}: ") and why in str(bad.value)


def test_bad_accounts_file_stops_before_a_browser_opens(mock, tmp_path, capsys, monkeypatch) -> None:
    listing = tmp_path / "accounts.txt"
    listing.write_text("@good\n@b@d\n", encoding="utf-8")
    result = connect(mock, tmp_path, capsys, monkeypatch, "--accounts-file", str(listing))
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"tiktok-runbook: {listing}:2: '@b@d' is not a TikTok handle: only letters, digits, '_' and '.' are allowed "
        "(example: @brand)"
    ]
    assert not (tmp_path / "run").exists()
    missing = connect(mock, tmp_path, capsys, monkeypatch, "--accounts-file", str(tmp_path / "nope.txt"))
    assert missing.code == 2 and "no such file" in missing.err
    zero = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@x", "--concurrency", "0")
    assert zero.code == 2 and "--concurrency" in zero.err


# In the matrix: one account's connect runs every day in both editions (test_connect.py, test_lookalike.py).
@pytest.mark.parametrize("edition", cells(["wizard", "lookalike"], everyday=[]))
def test_several_accounts_on_other_editions(edition, mock, owner, tmp_path, capsys, monkeypatch) -> None:
    """Today's wizard, and a look-alike whose list only a reload updates: each page finds out on its own."""
    mock.reset(edition=edition)
    run = tmp_path / "run"
    with owner(account="@e.one", shared=run / "e.one"), owner(account="@e.two", shared=run / "e.two"):
        result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@e.one", "-a", "@e.two")
    assert result.code == 0, result.err
    assert summary(events(result)) == {"@e.one": ("assigned", 1), "@e.two": ("assigned", 1)}
    accounts = mock.state()["accounts"]
    assert accounts["@e.one"] == accounts["@e.two"] == {"linked": True, "assigned": True}


def test_a_refused_save_leaves_the_account_linked_not_assigned(mock, tmp_path, capsys, monkeypatch) -> None:
    mock.reset(fail_save=True)
    result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@linked.only", "-a", "@acme.official")
    assert result.code == 1
    evs = events(result)
    assert summary(evs) == {"@linked.only": ("linked-not-assigned", 0), "@acme.official": ("already", 0)}
    [failed] = [e for e in evs if e["event"] == "failed"]
    assert failed["account"] == "@linked.only" and failed["step"] == 10
    assert 'Step 10 "' in failed["message"] and "screenshot" in failed["message"]
    assert f"@linked.only: {failed['message']}" in result.err
    assert (tmp_path / "run" / "linked.only" / "step-10-failed.png").is_file()


def test_waiting_accounts_hold_no_page_and_a_lost_watcher_page_is_replaced(
    mock, owner, tmp_path, capsys, monkeypatch
) -> None:
    """Three accounts on two work pages: each waits without a page (the watcher's one page sees them accepted and
    a code expired), and the watcher's page, closed mid-run, is replaced without losing any account."""
    from runbook.connect.watcher import ListWatcher

    looks = ListWatcher.look
    pages: list[int] = []
    lost: list[ListWatcher] = []

    def look(self: ListWatcher, parked):  # the page is lost once, at its first look
        page = self.page()
        if page is not None:
            pages.append(len(page.context.pages))
            if not lost:
                lost.append(self)
                page.close()
        return looks(self, parked)

    monkeypatch.setattr(ListWatcher, "look", look)
    run = tmp_path / "run"
    with (
        owner(account="@p.one", shared=run / "p.one", after_codes=3),
        owner(2, account="@p.two", shared=run / "p.two", after_codes=3, expire_others=True) as two,
        owner(account="@p.three", shared=run / "p.three", after_codes=3),
    ):
        result = connect(
            mock, tmp_path, capsys, monkeypatch, "-a", "@p.one", "-a", "@p.two", "-a", "@p.three", "--concurrency", "2"
        )
    assert result.code == 0, result.err
    evs = events(result)
    assert summary(evs) == {"@p.one": ("assigned", 1), "@p.two": ("assigned", 2), "@p.three": ("assigned", 1)}
    assert len(two.expired) == 1
    # Two work pages and the watcher's: never a page per waiting account (with the run's, that would be four).
    assert pages and max(pages) <= 3
    [watcher] = lost
    assert watcher.reopened == 1


def test_a_wrong_expiry_from_the_list_is_checked_before_a_new_code(mock, owner, tmp_path, capsys, monkeypatch) -> None:
    """The watcher says a parked account's code ran out (a row it missed) while the list shows the request waiting
    and the code has time left: no new code is requested; the owner's scan of the first one is waited for."""
    from runbook.connect.parking import Wake
    from runbook.connect.watcher import ListWatcher

    looks = ListWatcher.look
    told: list[Handle] = []

    def look(self: ListWatcher, parked):
        wakes = looks(self, parked)
        mine = [park.handle for park in parked if park.handle == Handle.parse("@w.one")]
        if mine and not told:
            told.append(mine[0])
            wakes[mine[0]] = Wake.EXPIRED
        return wakes

    monkeypatch.setattr(ListWatcher, "look", look)
    run = tmp_path / "run"
    with owner(account="@w.one", shared=run / "w.one", delay=3.0), owner(account="@w.two", shared=run / "w.two"):
        result = connect(mock, tmp_path, capsys, monkeypatch, "-a", "@w.one", "-a", "@w.two")
    assert result.code == 0, result.err
    evs = events(result)
    assert told, "the watcher never looked while @w.one was parked"
    assert summary(evs) == {"@w.one": ("assigned", 1), "@w.two": ("assigned", 1)}
    assert not [e for e in evs if e["event"] == "expired"]
