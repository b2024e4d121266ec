"""`coach account ...` end to end on a real database file: add, list, show, merge, contacts, link, map,
coverage, check; bad input is one line, exit 2, and changes nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest
from cli_helpers import ok, run

from coach.cli import main
from coach.store.schema import APPEND_ONLY_TABLES


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "coach.sqlite3"
    monkeypatch.setenv("COACH_DB", str(path))
    return path


def counts(path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in APPEND_ONLY_TABLES}
    finally:
        conn.close()


def lianhua(capsys) -> None:
    """A national chain with a director nobody of ours knows and a buyer only Li Wei knows."""
    ok(capsys, "account", "add", "Lianhua", "--tier", "national", "--stores", "3200", *OURS)
    ok(capsys, "account", "contact", "add", "lianhua", "Wang Fang", *WANG)
    ok(capsys, "account", "contact", "add", "LIANHUA ", "Chen Jie", *CHEN)
    ok(capsys, "account", "link", "Lianhua", "Li Wei", "Chen Jie", "--level", "3", "--target", "4")


OURS = ["--ours", "Li Wei", "--ours", "Zhang Min"]
WANG = ["--role", "Purchasing director", "--decision", "decision-maker", "--influence", "5"]
WANG += ["--attitude", "skeptic", "--last-contact", "2026-01-05"]
CHEN = ["--role", "Buyer", "--reports-to", "wang fang", "--influence", "3", "--attitude", "supporter"]


def test_add_list_json_and_case_insensitive_names(db, capsys):
    out = ok(capsys, "account", "add", "  Lianhua   Supermarket ", "--tier", "全国性")
    assert out == "Added account Lianhua Supermarket (national).\n"
    ok(capsys, "account", "add", "Suguo", "--tier", "local")
    data = json.loads(ok(capsys, "account", "list", "--json"))
    assert [(a["name"], a["tier"]) for a in data] == [
        ("Lianhua Supermarket", "national"),
        ("Suguo", "local"),
    ]
    code, out, err = run(capsys, "account", "add", "LIANHUA SUPERMARKET")
    assert code == 2 and out == "" and "exists already" in err
    assert "全国性" in ok(capsys, "account", "list", "--lang", "zh")


def test_map_shows_the_tree_and_who_knows_whom(db, capsys):
    lianhua(capsys)
    out = ok(capsys, "account", "map", "lianhua")
    lines = out.splitlines()
    assert lines[0] == "Lianhua · national account"
    assert lines[2].startswith("  Wang Fang · Purchasing director · decision maker · influence 5 · skeptic")
    assert lines[2].endswith("known by nobody")
    assert lines[3] == "  └─ Chen Jie · Buyer · influence 3 · supporter · known by Li Wei 3→4"
    assert "Zhang Min · knows 0" in out
    zh = ok(capsys, "account", "map", "Lianhua", "--lang", "zh")
    assert "全国性客户" in zh and "决策者" in zh and "我方无人认识" in zh
    data = json.loads(ok(capsys, "account", "map", "Lianhua", "--json"))
    assert {c["name"]: c["reports_to"] for c in data["contacts"]}["Chen Jie"] == "Wang Fang"
    assert data["relationships"] == [
        {"ours": "Li Wei", "theirs": "Chen Jie", "level": 3, "target": 4, "note": None}
    ]


def test_check_exits_1_with_warnings_and_0_without(db, capsys):
    lianhua(capsys)
    code, out, _ = run(capsys, "account", "check", "Lianhua")
    assert code == 1
    assert "Wang Fang (Purchasing director) makes the decision and nobody on our side knows them" in out
    assert "Wang Fang (influence 5) is a skeptic and there is no plan for them" in out
    assert "Not seen for 90 days or more: Wang Fang" in out
    code, out, _ = run(capsys, "account", "check", "Lianhua", "--lang", "zh", "--json")
    assert code == 1 and "是拍板的人" in out
    ok(capsys, "account", "contact", "add", "Lianhua", "Zhao Lei", "--reports-to", "Wang Fang")
    ok(capsys, "account", "link", "Lianhua", "Zhang Min", "Wang Fang", "--level", "2")
    ok(capsys, "account", "link", "Lianhua", "Zhang Min", "Zhao Lei", "--level", "1")
    ok(capsys, "account", "contact", "update", "Lianhua", "Wang Fang", "--plan", "Top-to-top in March",
       "--last-contact", "today")  # fmt: skip
    code, out, _ = run(capsys, "account", "check", "Lianhua")
    assert (code, out) == (0, "Lianhua: no warnings.\n")


def test_contact_update_keeps_history(db, capsys):
    lianhua(capsys)
    out = ok(capsys, "account", "contact", "update", "Lianhua", "chen jie", "--role", "Category manager")
    assert out.startswith("Saved as version 2: Chen Jie · Category manager")
    assert "no change" in ok(
        capsys, "account", "contact", "update", "Lianhua", "Chen Jie", "--role", "Category manager"
    )
    out = ok(capsys, "account", "contact", "history", "Lianhua", "Chen Jie")
    lines = [line.split("  ", 2)[-1] for line in out.splitlines()]
    assert lines == ["Chen Jie · Buyer · influence 3 · supporter", "Chen Jie: role: Buyer → Category manager"]
    ok(
        capsys,
        "account",
        "contact",
        "update",
        "Lianhua",
        "Chen Jie",
        "--plan",
        "lunch",
        "--attitude",
        "champion",
    )
    out = ok(capsys, "account", "contact", "history", "Lianhua", "Chen Jie", "--lang", "zh")
    assert out.splitlines()[-1].endswith("Chen Jie: 态度: 支持者 → 拥护者；应对计划: 已填写")
    versions = json.loads(ok(capsys, "account", "contact", "history", "Lianhua", "Chen Jie", "--json"))[
        "versions"
    ]
    assert [v["role"] for v in versions] == ["Buyer", "Category manager", "Category manager"]


def test_merge_follows_and_show_counts_linked_records(db, capsys):
    lianhua(capsys)
    ok(capsys, "account", "add", "Lianhua Supermarket")
    ok(capsys, "account", "contact", "add", "Lianhua Supermarket", "Zhou Min", "--role", "Store manager")
    ok(
        capsys,
        "log",
        "add",
        "--account",
        "LIANHUA SUPERMARKET",
        "--type",
        "price",
        "--give",
        "1% off invoice",
    )
    ok(capsys, "log", "add", "--account", "lianhua", "--type", "display", "--give", "end-cap in March")
    out = ok(capsys, "account", "merge", "Lianhua Supermarket", "lianhua")
    assert out.startswith("Lianhua Supermarket is now part of Lianhua")
    shown = ok(capsys, "account", "show", "lianhua supermarket")
    assert shown.startswith("Lianhua\nTier: national — across our own country (Hualian, Lianhua)\n")
    assert "Records: 2 concessions" in shown
    assert "Zhou Min" in ok(capsys, "account", "map", "Lianhua")
    assert [a["name"] for a in json.loads(ok(capsys, "account", "list", "--json"))] == ["Lianhua"]
    code, _, err = run(capsys, "account", "merge", "Lianhua", "Lianhua Supermarket")
    assert code == 2 and "already one account" in err


def test_coverage_fits_80_columns(db, capsys):
    lianhua(capsys)
    out = ok(capsys, "account", "coverage", "Lianhua")
    assert max(len(line) for line in out.splitlines()) <= 80
    assert out.splitlines()[0].split() == ["Li", "Wei", "Zhang", "Min"]
    data = json.loads(ok(capsys, "account", "coverage", "Lianhua", "--json"))
    assert data["cells"]["Chen Jie"] == {"Li Wei": {"level": 3, "target": 4}}


ADD = ["account", "add", "Carrefour"]
NEW = ["account", "contact", "add", "Lianhua", "Wu"]
UPDATE = ["account", "contact", "update", "Lianhua"]
LINK = ["account", "link", "Lianhua"]
BAD = [
    ([*ADD, "--tier", "globl"], "--tier: unknown value 'globl' (did you mean 'global'?"),
    ([*ADD, "--stores", "many"], "--stores: expected a whole number"),
    (["account", "add", "   "], "NAME: required"),
    (
        ["account", "edit", "Lianhau", "--tier", "local"],
        "NAME: no account 'Lianhau' (did you mean 'Lianhua'?)",
    ),
    ([*NEW, "--influence", "9"], "--influence: must be 1 to 5, not 9"),
    ([*NEW, "--attitude", "friendly"], "--attitude: unknown value"),
    ([*NEW, "--decision", "boss"], "--decision: unknown value 'boss'"),
    ([*NEW, "--last-contact", "soon"], "--last-contact: 'soon' is not a date"),
    ([*NEW, "--reports-to", "Wang Fan"], "--reports-to: 'Wang Fan' is not among"),
    (["account", "contact", "add", "Lianhua", "chen  JIE"], "NAME: 'Chen Jie' is already among their people"),
    (["account", "contact", "add", "Lianhua", "Bad\x1b[2J"], "NAME: contains a control character"),
    ([*UPDATE, "Wang Fang", "--reports-to", "Chen Jie"], "--reports-to: Chen Jie reports to Wang Fang"),
    ([*UPDATE, "Nobody", "--role", "x"], "NAME: 'Nobody' is not among"),
    ([*UPDATE, "Wang Fang"], "nothing to change"),
    (["account", "edit", "Lianhua"], "nothing to change"),
    (
        [*LINK, "Li Wie", "Chen Jie", "--level", "2"],
        "OURS: 'Li Wie' is not among our people on Lianhua (did you",
    ),
    ([*LINK, "Li Wei", "Chen Jie", "--level", "7"], "--level: must be 0 to 5, not 7"),
    ([*LINK, "Li Wei", "Chen Jie", "--level", "2", "--target", "0"], "--target: must be 1 to 5"),
    (["account", "merge", "Lianhua", "Nowhere"], "INTO: no account 'Nowhere'"),
    (["account", "map", "Lianhau"], "NAME: no account 'Lianhau'"),
]


@pytest.mark.parametrize(
    ("args", "message"), BAD, ids=[" ".join(b[0][1:3]) + str(i) for i, b in enumerate(BAD)]
)
def test_bad_input_one_line_exit_2_nothing_written(db, capsys, args, message):
    lianhua(capsys)
    before = counts(db)
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith(f"coach: {message}"), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert counts(db) == before


def test_bad_input_before_any_database_creates_none(tmp_path, monkeypatch, capsys):
    path = tmp_path / "fresh.sqlite3"
    monkeypatch.setenv("COACH_DB", str(path))
    code, _, err = run(capsys, "account", "add", "Carrefour", "--tier", "huge")
    assert code == 2 and "--tier" in err and not path.exists()


def test_usage_errors_exit_2(db, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["account", "check", "Lianhua", "--days", "0"])
    assert stop.value.code == 2 and "expected 1 to 3650 days" in capsys.readouterr().err
