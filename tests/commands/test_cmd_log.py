"""`coach log add|list|review|export|import` end to end on a real database file."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main

ADD = [
    "log",
    "add",
    "--account",
    "Carrefour",
    "--meeting",
    "annual 2025",
    "--type",
    "price",
    "--give",
    "2% off invoice",
    "--value",
    "2",
    "--unit",
    "%",
    "--when",
    "2025-03-01",
]


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "log.sqlite3"
    monkeypatch.setenv("COACH_DB", str(path))
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys, *extra: str) -> int:
    code, out, err = run(capsys, *ADD, *extra)
    assert code == 0, err
    return int(out)


def entries(capsys, *filters: str) -> list[dict]:
    code, out, err = run(capsys, "log", "list", "--json", "--history", *filters)
    assert code == 0, err
    return json.loads(out)["entries"]


def test_add_prints_the_new_id_and_list_shows_it(db, capsys):
    assert add(capsys) == 1
    assert (
        add(capsys, "--get", "two end-caps", "--get-value", "2", "--get-unit", "units", "--tactic", "nibble")
        == 2
    )
    code, out, _ = run(capsys, "log", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(
        "#1  2025-03-01  Carrefour / annual 2025  price/discount: 2% off invoice (2%)  ← nothing"
    )
    assert "← two end-caps (2 units)" in lines[1] and "tactic.nibble" in lines[1]
    assert db.exists()


def test_db_option_beats_the_environment(db, capsys, tmp_path):
    other = tmp_path / "other.sqlite3"
    add(capsys, "--db", str(other))
    assert other.exists() and not db.exists()


BAD = [
    (["--value", "-5"], "--value: must be zero or more"),
    (["--value", "lots"], "--value: 'lots' is not a number"),
    (["--type", "bribe"], "--type: unknown type 'bribe'"),
    (["--unit", "parsecs"], "--unit: unknown unit 'parsecs'"),
    (["--tactic", "mind-control"], "--tactic: unknown tactic 'mind-control'"),
    (["--stage", "dessert"], "--stage: unknown stage 'dessert'"),
    (["--status", "maybe"], "--status: unknown status 'maybe'"),
    (["--when", "next week"], "--when: 'next week' is not a date"),
    (["--note", "x" * 10_000_001], "--note: at most 10,000 characters"),
    (["--give", "\x1b[2J cleared"], "--give: contains a control character"),
    (["--get-value", "3", "--get-unit", "units"], "--get: get_value is given"),
    (["--status", "withdrawn"], "--status: withdrawn needs the entry it withdraws"),
    (["--status", "撤回"], "--status: withdrawn needs the entry it withdraws"),
]


@pytest.mark.parametrize(
    ("extra", "message"), BAD, ids=[b[1].split(":")[0] + str(i) for i, b in enumerate(BAD)]
)
def test_bad_input_one_line_exit_2_nothing_written(db, capsys, extra, message):
    add(capsys)  # the database exists and holds one entry
    before = db.read_bytes()
    code, out, err = run(capsys, *ADD, *extra)
    assert code == 2 and out == ""
    assert err.startswith(f"coach: {message}"), err
    assert err.count("\n") == 1 and "Traceback" not in err and len(err) < 400
    assert len(entries(capsys)) == 1
    assert db.read_bytes() == before


def test_bad_input_on_an_empty_path_creates_no_database(db, capsys):
    code, _, err = run(capsys, *ADD, "--value", "-1")
    assert code == 2 and "--value" in err
    assert not db.exists()


def test_missing_required_option(db, capsys):
    code, _, err = run(capsys, "log", "add", "--account", "A", "--type", "price")
    assert code == 2 and err.startswith("coach: --give: required")


def test_ten_megabyte_note_from_standard_input_is_refused(db, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("x" * 10_000_000))
    code, _, err = run(capsys, *ADD, "--note", "-")
    assert code == 2 and err.startswith("coach: --note: at most 10,000 characters")
    assert not db.exists()


def test_note_from_standard_input(db, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("he asked twice\nand then again\n"))
    add(capsys, "--note", "-")
    assert entries(capsys)[0]["note"] == "he asked twice\nand then again"


def test_markup_is_stored_and_printed_literally(db, capsys):
    add(capsys, "--give", "[bold red]free[/] <b>goods</b>", "--note", "[link=https://x]click[/link]")
    code, out, _ = run(capsys, "log", "list")
    assert "[bold red]free[/] <b>goods</b>" in out and "[link=https://x]click[/link]" in out
    code, out, _ = run(capsys, "log", "review")
    assert "[bold red]free[/] <b>goods</b>" in out


def test_corrections_and_withdrawals_keep_the_history(db, capsys):
    first = add(capsys)
    code, out, err = run(capsys, "log", "add", "--corrects", str(first), "--value", "1.5")
    assert code == 0, err
    fixed = int(out)
    code, out, err = run(capsys, "log", "add", "--withdraws", str(fixed), "--note", "buyer agreed without it")
    assert code == 0, err
    gone = int(out)
    history = entries(capsys)
    assert [(e["id"], e["value"], e["status"], e["supersedes"], e["superseded_by"]) for e in history] == [
        (first, 2, "agreed", None, fixed),
        (fixed, 1.5, "agreed", first, gone),
        (gone, 1.5, "withdrawn", fixed, None),
    ]
    code, out, _ = run(capsys, "log", "list", "--json")
    assert [e["id"] for e in json.loads(out)["entries"]] == [gone]
    code, _, err = run(capsys, "log", "add", "--corrects", str(first), "--value", "3")
    assert code == 2 and f"already replaced by #{fixed}" in err
    code, _, err = run(capsys, "log", "add", "--withdraws", str(gone))
    assert code == 2 and "already withdrawn" in err
    code, _, err = run(capsys, "log", "add", "--corrects", "999", "--value", "3")
    assert code == 2 and err.startswith("coach: --corrects: there is no entry #999")
    code, _, err = run(capsys, "log", "add", "--corrects", str(gone), "--value", "-3")
    assert code == 2 and err.startswith("coach: --value:")
    assert len(entries(capsys)) == 3


def test_list_filters(db, capsys):
    add(capsys)
    add(capsys, "--account", "Lianhua", "--when", "2025-04-02")
    add(capsys, "--practice")
    assert [e["account"] for e in entries(capsys, "--account", "lianhua")] == ["Lianhua"]
    assert [e["account"] for e in entries(capsys, "--since", "2025-04-01")] == ["Lianhua"]
    assert [e["practice"] for e in entries(capsys, "--practice")] == [True]
    assert len(entries(capsys)) == 2
    code, _, err = run(capsys, "log", "list", "--since", "someday")
    assert code == 2 and err.startswith("coach: --since:")


def test_review_text_and_json(db, capsys):
    add(capsys, "--tactic", "deadline-pressure")
    add(
        capsys,
        "--value",
        "3",
        "--when",
        "2025-03-02",
        "--get",
        "end-cap",
        "--get-value",
        "1",
        "--get-unit",
        "units",
    )
    add(
        capsys,
        "--type",
        "free-goods",
        "--give",
        "200 cases",
        "--value",
        "200",
        "--unit",
        "units",
        "--stage",
        "after-deal",
        "--when",
        "2025-03-09",
    )
    add(capsys, "--practice", "--value", "50")  # never in real figures
    code, out, err = run(capsys, "log", "review", "--account", "carrefour")
    assert code == 0, err
    assert out.startswith("Concession review — carrefour")
    assert "Given: 5% · 200 units" in out
    assert "Got something in return: 1 of 3 (33%)" in out
    assert "✗ Nothing in return (2):" in out and "Principle 7" in out
    assert "[tactic.deadline-pressure]" in out
    assert "grew instead of shrinking: #1 → #2" in out
    assert "After the deal (nibbles) (1):" in out
    code, out, _ = run(capsys, "log", "review", "--json")
    data = json.loads(out)
    assert data["given"] == {"percent": 5, "units": 200} and data["entries"] == 3
    assert data["nothing_in_return"]["ids"] == [1, 3]
    assert data["nothing_in_return"]["advice"]["rule"] == "principle.trade-concessions"
    assert data["tactics"][0]["tactic"] == "tactic.deadline-pressure"
    assert data["sequences"][0]["grows"] is True
    assert data["after_deal"]["ids"] == [3]
    code, out, _ = run(capsys, "log", "review", "--json", "--practice")
    assert json.loads(out)["given"] == {"percent": 50}


def test_review_in_chinese(db, capsys):
    add(capsys)
    code, out, _ = run(capsys, "log", "review", "--lang", "zh")
    assert out.startswith("让步回顾 — 全部客户") and "给出：2%" in out and "原则7" in out


def test_review_of_an_empty_log(db, capsys):
    code, out, _ = run(capsys, "log", "review")
    assert code == 0 and "coach log add" in out


# ------------------------------------------------------------------------------------------ export / import


def _fill(capsys):
    add(
        capsys,
        "--get",
        "end-cap",
        "--get-value",
        "1",
        "--get-unit",
        "units",
        "--tactic",
        "nibble",
        "--asked-by",
        "Mr Wang",
        "--note",
        'line one\nline two, with "quotes"',
    )
    add(
        capsys,
        "--give",
        '=HYPERLINK("http://evil")',
        "--account",
        "+Lianhua",
        "--value",
        "20000",
        "--unit",
        "CNY",
    )
    add(
        capsys,
        "--give",
        "'-already quoted",
        "--stage",
        "closing",
        "--status",
        "offered",
        "--meeting",
        "Q3 | review",
    )
    code, out, _ = run(capsys, "log", "add", "--corrects", "1", "--value", "1.25")
    assert code == 0
    code, out, _ = run(capsys, "log", "add", "--withdraws", "3")
    assert code == 0
    add(capsys, "--practice", "--give", "role-play giveaway")


def test_export_csv_then_import_into_an_empty_database_gives_the_same_entries(db, capsys, tmp_path):
    _fill(capsys)
    original = entries(capsys)
    practice = entries(capsys, "--practice")
    files = []
    for flag in ([], ["--practice"]):
        target = tmp_path / f"export{len(files)}.csv"
        code, _, err = run(capsys, "log", "export", "--format", "csv", "--output", str(target), *flag)
        assert code == 0, err
        files.append(target)
    fresh = tmp_path / "fresh.sqlite3"
    for file in files:
        code, out, err = run(capsys, "log", "import", str(file), "--db", str(fresh))
        assert code == 0, err
    assert out.startswith("imported 1 entry")
    assert entries(capsys, "--db", str(fresh)) == original
    assert entries(capsys, "--db", str(fresh), "--practice") == practice
    # importing again adds nothing: every uid is already there
    code, out, _ = run(capsys, "log", "import", str(files[0]), "--db", str(fresh))
    assert out.startswith("imported 0 entries; 5 already in the database")
    assert entries(capsys, "--db", str(fresh)) == original


def test_csv_defuses_spreadsheet_formulas(db, capsys):
    _fill(capsys)
    code, out, _ = run(capsys, "log", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[1]["give"] == '\'=HYPERLINK("http://evil")' and rows[1]["account"] == "'+Lianhua"
    assert rows[2]["give"] == "''-already quoted"


def test_export_to_stdout_has_no_bom_and_file_has_one(db, capsys, tmp_path):
    add(capsys)
    code, out, _ = run(capsys, "log", "export", "--format", "csv")
    assert out.startswith("id,uid,recorded_at,when,account")
    target = tmp_path / "x.csv"
    run(capsys, "log", "export", "--format", "csv", "-o", str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid,uid")
    code, _, err = run(capsys, "log", "export", "--format", "csv", "-o", str(target))
    assert code == 2 and "already exists" in err


def test_export_json_and_markdown(db, capsys):
    _fill(capsys)
    code, out, _ = run(capsys, "log", "export", "--format", "json")
    assert len(json.loads(out)["entries"]) == 5
    code, out, _ = run(capsys, "log", "export", "--format", "md")
    assert out.startswith("# Concession log\n")
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + 5
    assert all(line.count(" | ") == 14 for line in table)  # a | in the text does not make a new cell
    assert "Q3 \\| review" in out and "line one<br>line two" in out
    code, out, _ = run(capsys, "log", "export", "--format", "md", "--lang", "zh", "--current")
    assert out.startswith("# 让步记录\n") and out.count("\n| ") == 1 + 3


def test_a_hand_made_csv_imports(db, capsys, tmp_path):
    file = tmp_path / "mine.csv"
    file.write_text(
        "Account,Type,Give,Value,Unit,Get,When\n"
        "Carrefour,discount,1% more,1,%,,2025-01-05\n"
        "华联,进场费,进场费打折,5000,元,新品进店,2025/02/01\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "log", "import", str(file))
    assert code == 0, err
    got = entries(capsys)
    assert [(e["account"], e["type"], e["unit"], e["get"]) for e in got] == [
        ("Carrefour", "price", "percent", None),
        ("华联", "listing-fee", "CNY", "新品进店"),
    ]


IMPORT_BAD = [
    ("account,type,give,value\nA,price,x,-3\n", "bad.csv:2: value: must be zero or more"),
    ("account,type,give,valeu\nA,price,x,3\n", "bad.csv:1: unknown column 'valeu' (did you mean 'value'?"),
    ("account,type\nA,price\n", "bad.csv:1: missing column 'give'"),
    ("account,type,give\nA,price,x\nB,price\n", "bad.csv:3: expected 3 cells, found 2"),
    (
        "account,type,give,when\nA,price,x,2025-01-01\nB,price,y,soon\n",
        "bad.csv:3: when: 'soon' is not a date",
    ),
    (
        "account,type,give,tactic\nA,price,x,nibble\nB,price,y,tactic.bogus\n",
        "bad.csv:3: tactic: unknown tactic",
    ),
    ("account,type,give,note\nA,price,x," + "n" * 10_000_001 + "\n", "bad.csv:2: note: at most 10,000"),
    (
        "account,type,give,id,supersedes\nA,price,x,1,\nB,price,y,2,5\n",
        "bad.csv:3: supersedes: refers to id 5",
    ),
    ("", "bad.csv: empty file"),
]


@pytest.mark.parametrize(("content", "message"), IMPORT_BAD, ids=[str(i) for i in range(len(IMPORT_BAD))])
def test_a_bad_import_file_writes_nothing(db, capsys, tmp_path, monkeypatch, content, message):
    add(capsys)
    monkeypatch.chdir(tmp_path)
    Path("bad.csv").write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "log", "import", "bad.csv")
    assert code == 2 and out == ""
    assert err.startswith(f"coach: {message}"), err
    assert err.count("\n") == 1 and len(err) < 400
    assert len(entries(capsys)) == 1


def test_import_of_a_file_that_is_not_text(db, capsys, tmp_path):
    file = tmp_path / "x.csv"
    file.write_bytes(b"\xff\xfe\x00garbage")
    code, _, err = run(capsys, "log", "import", str(file))
    assert code == 2 and "not UTF-8" in err
    code, _, err = run(capsys, "log", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "cannot read" in err


# ----------------------------------------------------------------------------------------- the real process


def test_a_damaged_database_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n")
    out = subprocess.run(
        [sys.executable, "-m", "coach", "log", "list", "--db", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(f"coach: {path}: not a coach database") and out.stderr.count("\n") == 1
    assert path.read_text() == "not a database\n"


def test_add_as_a_real_process(tmp_path):
    path = tmp_path / "p.sqlite3"
    out = subprocess.run(
        [sys.executable, "-m", "coach", *ADD, "--db", str(path)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0 and out.stdout == "1\n", out.stderr
    assert oct(path.stat().st_mode & 0o777) == "0o600"
