"""Lookups by account name outside the accounts store fold the name as ``account_key`` does (issue 13):
Traditional and Simplified Chinese, case and spacing. `coach log list --account 聯華` finds entries saved as
联华, `coach prep --copy-last` finds the plan saved under the other spelling, and so do the plan's
suggestions from the log and role-play."""

from __future__ import annotations

import json

import pytest
from cli_helpers import ok, run

from coach.store import concessions, names, plans, sessions
from coach.store.db import connect

LOG = ["log", "add", "--meeting", "annual 2025", "--type", "price", "--give", "1% off invoice"]


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "fold.sqlite3"
    monkeypatch.setenv("COACH_DB", str(path))
    return path


def listed(capsys, account: str) -> list[str]:
    return [
        e["account"] for e in json.loads(ok(capsys, "log", "list", "--json", "--account", account))["entries"]
    ]


def test_log_list_finds_every_spelling_of_the_account(db, capsys):
    ok(capsys, *LOG, "--account", "联华", "--tactic", "nibble")
    ok(capsys, *LOG, "--account", "聯華 ")
    ok(capsys, *LOG, "--account", "Lianhua")
    ok(capsys, *LOG, "--account", "联华超市")  # another account: not folded into 联华
    assert listed(capsys, "聯華") == ["联华", "聯華"]
    assert listed(capsys, "  联华 ") == ["联华", "聯華"]
    assert listed(capsys, "LIANHUA") == ["Lianhua"]
    assert listed(capsys, "Walmart") == []
    code, out, _ = run(capsys, "log", "review", "--account", "聯華", "--json")
    assert code == 0 and json.loads(out)  # the review reads the same rows


def test_store_lookups_fold_names(tmp_path):
    conn = connect(tmp_path / "c.sqlite3")
    try:
        assert names.spellings(conn, "concessions", "聯華") == []
        assert names.name_clause(conn, "concessions", "聯華") == ("1 = 0", [])
        entry = concessions.validate_entry(
            {"account": "家乐福", "meeting": "m", "type": "price", "give": "x", "when": "2025-01-02"}
        )
        concessions.add(conn, entry)
        assert [r.account for r in concessions.select(conn, concessions.Filter(account="家樂福"))] == [
            "家乐福"
        ]
        assert names.name_clause(conn, "concessions", "家樂福") == ("account IN (?)", ["家乐福"])
    finally:
        conn.close()


def test_copy_last_finds_the_plan_under_the_other_spelling(db, capsys):
    new = ["prep", "new", "--meeting", "annual 2025", "--date", "2025-03-04", "--must", "List the 330ml cans"]
    new += [
        "--walk-away",
        "No rebate above 3%",
        "--give",
        "POS material | display | low | medium | an end-cap",
    ]
    assert ok(capsys, *new, "--account", "聯華").strip() == "1"
    code, out, err = run(capsys, "prep", "new", "--account", "联华", "--meeting", "mid-year", "--copy-last")
    assert code == 0 and out.strip() == "2", err
    assert "starting from meeting plan 1 (聯華, annual 2025, 2025-03-04), version 1" in err
    rows = json.loads(ok(capsys, "prep", "list", "--json", "--account", " 联华 "))
    assert sorted(p["id"] for p in rows["plans"]) == [1, 2]
    code, _, err = run(capsys, "prep", "new", "--account", "联华超市", "--meeting", "m", "--copy-last")
    assert code == 2 and "there is no earlier plan for 联华超市" in err


def test_suggestions_fold_the_account_in_the_log_and_role_play(db, capsys):
    ok(capsys, *LOG, "--account", "聯華", "--tactic", "nibble")
    conn = connect(db)
    try:
        scenario = {"id": "s1", "persona": {"retailer": {"en": "Lianhua", "zh": "聯華"}}}
        sid = sessions.begin(conn, scenario, "zh")
        sessions.add_exchange(conn, sid, 0, {"situation": "tactic.deadline-pressure"}, None)
        assert plans.roleplay_situations(conn, "联华") == ["tactic.deadline-pressure"]
        assert plans.roleplay_situations(conn, "LIANHUA") == ["tactic.deadline-pressure"]
        # the plan's suggestions read the log and role-play through these two lookups
        from coach.content.plans import tactic_choices
        from coach.review.plans import suggest_tactics

        rows = concessions.select(conn, concessions.Filter(account="联华"))
        found = suggest_tactics(rows, plans.roleplay_situations(conn, "联华"), tactic_choices())  # type: ignore[arg-type]
        assert {s.tactic for s in found} == {"tactic.nibble", "tactic.deadline-pressure"}
    finally:
        conn.close()
