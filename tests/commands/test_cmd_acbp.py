"""`coach acbp` end to end on a real database file: plan, scorecard, reviews, chart, YAML round trip."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from coach.cli import main

SAMPLE = Path(__file__).parents[1] / "data" / "acbp" / "jinhai-2027.yaml"
TABLES = (
    "business_plans",
    "business_plan_versions",
    "plan_item_versions",
    "kpi_versions",
    "kpi_reviews",
    "plan_reviews",
)


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "coach.sqlite3"
    monkeypatch.setenv("COACH_DB", str(path))
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str) -> str:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coach: ") and "Traceback" not in err, err
    return lines[0]


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


@pytest.fixture
def jinhai(db, capsys):
    assert run(capsys, "account", "add", "Jinhai Mart", "--tier", "national")[0] == 0
    code, out, err = run(capsys, "acbp", "import", str(SAMPLE))
    assert code == 0 and "v1" in out, err
    return db


def test_new_then_check_names_what_is_missing(db, capsys):
    run(capsys, "account", "add", "Jinhai Mart", "--tier", "national")
    code, out, err = run(capsys, "acbp", "new", "jinhai mart", "--year", "2027", "--starter-kpis")
    assert code == 0 and "2027" in out, err
    code, out, _ = run(capsys, "acbp", "check", "Jinhai Mart", "--year", "2027")
    assert code == 1 and "out-of-stock rate" in out and "no baseline" in out
    code, out, _ = run(capsys, "acbp", "check", "Jinhai Mart", "--lang", "zh", "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and any("基数" in c["message"] for c in data["checks"])
    assert one_line_error(*run(capsys, "acbp", "new", "Jinhai Mart", "--year", "2027")[::2])


def test_the_sample_checks_clean_and_imports_once(jinhai, capsys):
    assert run(capsys, "acbp", "check", "Jinhai Mart")[0] == 0
    code, out, _ = run(capsys, "acbp", "import", str(SAMPLE))
    assert code == 0 and "unchanged" in out


def test_plan_for_an_unknown_account_is_one_line(db, capsys):
    line = one_line_error(*run(capsys, "acbp", "show", "Nowhere")[::2])
    assert "Nowhere" in line


BAD_FILES = {
    "unknown key": ("objectives:\n", "objectives:\n  - text: x\n    mesure: y\n", "mesure"),
    "bad number": ("    value: 300000\n", "    value: lots\n", "value"),
    "bad direction": ("    direction: lower\n", "    direction: sideways\n", "direction"),
    "bad date": ("        due: 2027-01-31\n", "        due: 2027-02-30\n", "due"),
    "twice the same objective": (
        "  - text: Jinhai wants category sales up 8% with better margin\n",
        "  - text: Grow our sales in Jinhai to CNY 15m\n",
        "appears twice",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_import_of_a_bad_file_writes_nothing(jinhai, capsys, tmp_path, name):
    old, new, word = BAD_FILES[name]
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    # a valid change too, so a file read in part would write something
    edited = text.replace(
        "text: Grow our sales in Jinhai to CNY 14m\n", "text: Grow our sales in Jinhai to CNY 15m\n"
    )
    edited = edited.replace(old, new, 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(edited, encoding="utf-8")
    before = counts(jinhai)
    line = one_line_error(*run(capsys, "acbp", "import", str(bad))[::2])
    assert word in line and str(bad) in line
    assert counts(jinhai) == before


def test_import_of_a_bad_file_creates_no_database(db, capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("account: Jinhai Mart\nyear: 2027\nscorecard: 5\n", encoding="utf-8")
    one_line_error(*run(capsys, "acbp", "import", str(bad))[::2])
    assert not db.exists()


def test_import_for_an_account_not_added_writes_nothing(db, capsys):
    run(capsys, "account", "add", "Other Mart")
    before = counts(db)
    line = one_line_error(*run(capsys, "acbp", "import", str(SAMPLE))[::2])
    assert "Jinhai Mart" in line and counts(db) == before


def test_export_edit_import_round_trip(jinhai, capsys, tmp_path):
    out_file = tmp_path / "plan.yaml"
    assert run(capsys, "acbp", "export", "Jinhai Mart", "-o", str(out_file))[0] == 0
    assert one_line_error(*run(capsys, "acbp", "export", "Jinhai Mart", "-o", str(out_file))[::2])
    text = out_file.read_text(encoding="utf-8").replace("target: 3\n", "target: 2.5\n")
    out_file.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "acbp", "import", str(out_file), "--note", "tighter OOS target")
    assert code == 0 and "v2" in out
    code, out, _ = run(capsys, "acbp", "show", "Jinhai Mart", "--json", "--history")
    data = json.loads(out)
    kpi = next(k for k in data["plan"]["scorecard"] if k["name"] == "out-of-stock rate")
    assert kpi["target"] == 2.5 and [h["note"] for h in data["history"]] == [None, "tighter OOS target"]


def test_kpi_add_from_the_starting_set_and_change_one_field(jinhai, capsys):
    code, out, err = run(
        capsys,
        "acbp",
        "kpi",
        "add",
        "Jinhai Mart",
        "share-of-category",
        "--baseline",
        "31",
        "--target",
        "33",
        "--source",
        "Nielsen",
    )
    assert code == 0, err
    code, out, err = run(
        capsys, "acbp", "kpi", "add", "Jinhai Mart", "Share of Category", "--owner", "Li Wei"
    )
    assert code == 0 and "changed" in out, err
    data = json.loads(run(capsys, "acbp", "show", "Jinhai Mart", "--json")[1])
    kpi = next(k for k in data["plan"]["scorecard"] if k["name"] == "share of category")
    assert (kpi["unit"], kpi["direction"], kpi["baseline"], kpi["owner"]) == (
        "percent",
        "higher",
        31,
        "Li Wei",
    )


def test_kpi_add_with_a_bad_value_names_the_option_and_writes_nothing(jinhai, capsys):
    before = counts(jinhai)
    line = one_line_error(*run(capsys, "acbp", "kpi", "add", "Jinhai Mart", "oos", "--baseline", "six")[::2])
    assert line.startswith("coach: --baseline:") and counts(jinhai) == before


def test_review_add_shows_the_status_and_the_rule(jinhai, capsys):
    code, out, err = run(
        capsys,
        "acbp",
        "review",
        "add",
        "Jinhai Mart",
        "2027-Q1",
        "--actual",
        "out-of-stock rate=4.1",
        "--actual",
        "sales vs target=3,600,000",
        "--learned",
        "flyer late",
        "--action",
        "weekly OOS report | Zhang Min | 2027-04-15",
    )
    assert code == 0, err
    assert "off track" in out and "on track" in out
    code, out, _ = run(capsys, "acbp", "review", "show", "Jinhai Mart", "--lang", "zh")
    assert "落后" in out and "95%" in out and "weekly OOS report" in out


@pytest.mark.parametrize(
    "args, option",
    [
        (["2027-Q1", "--actual", "nps=40"], "actual"),
        (["2027-Q1", "--actual", "out-of-stock rate=high"], "--actual"),
        (["2027-Q1", "--actual", "no value"], "--actual"),
        (["2027-Q5", "--actual", "out-of-stock rate=4"], "PERIOD"),
        (["2027-Q1", "--action", "a | b | c | d"], "--action"),
        (["2027-Q1", "--action", "call | Li | someday"], "--action"),
        (["2027-Q1"], "nothing to record"),
        (["2031-Q1", "--actual", "out-of-stock rate=4"], "2031"),
    ],
)
def test_bad_review_input_is_one_line_and_writes_nothing(jinhai, capsys, args, option):
    before = counts(jinhai)
    line = one_line_error(*run(capsys, "acbp", "review", "add", "Jinhai Mart", *args)[::2])
    assert option in line and counts(jinhai) == before


def test_concession_totals_appear_next_to_the_investment(jinhai, capsys):
    for who, when, value in (
        ("Jinhai Mart", "2027-02-03", "75000"),
        ("JINHAI MART", "2027-06-01", "5000"),
        ("Jinhai Mart", "2026-06-01", "999"),
    ):
        assert (
            run(
                capsys,
                "log",
                "add",
                "--account",
                who,
                "--when",
                when,
                "--type",
                "display",
                "--give",
                "fund",
                "--value",
                value,
                "--unit",
                "CNY",
            )[0]
            == 0
        )
    code, out, _ = run(capsys, "acbp", "show", "Jinhai Mart")
    investment = out.split("5. Resources and investment")[1].split("6. Scorecard")[0]
    assert "Concession log 2027: given CNY 80,000" in investment and "999" not in investment
    data = json.loads(run(capsys, "acbp", "show", "Jinhai Mart", "--json")[1])
    assert data["concession_log"]["given"] == {"CNY": 80000} and data["concession_log"]["entries"] == 2


def test_chart_fits_80_columns(jinhai, capsys):
    for q, sales, oos in ((1, "3600000", "4.1"), (2, "3000000", "3.1"), (3, "3900000", "2.8")):
        run(
            capsys,
            "acbp",
            "review",
            "add",
            "Jinhai Mart",
            f"2027-Q{q}",
            "--actual",
            f"sales vs target={sales}",
            "--actual",
            f"out-of-stock rate={oos}",
        )
    for lang in ("en", "zh"):
        code, out, _ = run(capsys, "acbp", "chart", "Jinhai Mart", "--lang", lang)
        assert code == 0 and "Q3" in out
        from coach.review.business_plan import width

        assert max(width(line) for line in out.splitlines()) <= 80
    assert one_line_error(*run(capsys, "acbp", "chart", "Jinhai Mart", "--kpi", "nps")[::2])


def test_review_pack_as_markdown_and_html(jinhai, capsys, tmp_path):
    run(
        capsys,
        "acbp",
        "review",
        "add",
        "Jinhai Mart",
        "2027-Q1",
        "--actual",
        "out-of-stock rate=4.1",
        "--learned",
        "<script>alert(1)</script> flyer late",
    )
    run(
        capsys,
        "log",
        "add",
        "--account",
        "Jinhai Mart",
        "--when",
        "2027-02-03",
        "--type",
        "display",
        "--give",
        "fund",
        "--value",
        "75000",
        "--unit",
        "CNY",
    )
    code, md, err = run(capsys, "acbp", "export", "Jinhai Mart", "--format", "md")
    assert code == 0, err
    assert "| 2027-Q1 | out-of-stock rate |" in md and "off track" in md and "CNY 75,000" in md
    assert "95%" in md  # the rule
    page = tmp_path / "pack.html"
    code, _, err = run(
        capsys, "acbp", "export", "Jinhai Mart", "--format", "html", "--lang", "zh", "-o", str(page)
    )
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html and "落后" in html and "CNY 75,000" in html


def test_a_yaml_bomb_is_one_line(db, capsys, tmp_path):
    bomb = tmp_path / "bomb.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    bomb.write_text("\n".join(lines) + "\naccount: X\nyear: 2027\n", encoding="utf-8")
    one_line_error(*run(capsys, "acbp", "import", str(bomb))[::2])
    assert not db.exists()


def test_chart_and_starters_as_json(jinhai, capsys):
    run(capsys, "acbp", "review", "add", "Jinhai Mart", "2027-Q1", "--actual", "sales vs target=3600000")
    data = json.loads(run(capsys, "acbp", "chart", "Jinhai Mart", "--json")[1])
    assert data["points"] == [
        {
            "kpi": "sales vs target",
            "period": "2027-Q1",
            "target": 3_500_000,
            "actual": 3_600_000,
            "status": "on-track",
        }
    ]
    assert "95%" in data["rule"]
    starters = json.loads(run(capsys, "acbp", "kpi", "starters", "--json")[1])["starters"]
    assert {s["key"]: s["direction"] for s in starters}["payment-days"] == "lower"


def test_a_review_action_can_be_marked_done_and_leaves_the_open_actions(jinhai, capsys, tmp_path):
    code, _, err = run(
        capsys,
        "acbp",
        "review",
        "add",
        "Jinhai Mart",
        "2027-Q1",
        "--action",
        "weekly OOS report | Zhang Min | 2027-04-15",
    )
    assert code == 0, err
    summary = tmp_path / "summary.md"
    run(capsys, "account", "export", "Jinhai Mart", "--year", "2027", "-o", str(summary))
    assert "weekly OOS report" in summary.read_text(encoding="utf-8")

    code, out, err = run(capsys, "acbp", "action", "done", "Jinhai Mart", "weekly oos")
    assert code == 0, err
    assert out == "Marked done: “weekly OOS report” (from the 2027-Q1 review).\n"
    code, out, _ = run(capsys, "acbp", "review", "show", "Jinhai Mart")
    assert "    [x] weekly OOS report — Zhang Min, 2027-04-15" in out
    code, md, _ = run(capsys, "acbp", "export", "Jinhai Mart", "--format", "md")
    assert "weekly OOS report (done)" in md
    run(capsys, "account", "export", "Jinhai Mart", "--year", "2027", "-o", str(summary), "--force")
    assert "weekly OOS report" not in summary.read_text(encoding="utf-8")

    code, out, _ = run(capsys, "acbp", "action", "done", "Jinhai Mart", "weekly OOS report", "--lang", "zh")
    assert code == 0 and out == "“weekly OOS report”之前已完成，没有改动。\n"


def test_one_of_the_plans_actions_marked_done_in_chinese(jinhai, capsys):
    code, out, err = run(capsys, "acbp", "action", "done", "Jinhai Mart", "330ml", "--lang", "zh")
    assert code == 0, err
    assert out == "已标记为完成：“list 330ml cans in the 15 new stores”（计划中的行动，已保存为版本 2）。\n"
    data = json.loads(run(capsys, "acbp", "show", "Jinhai Mart", "--json", "--history")[1])
    assert data["plan"]["objectives"][0]["actions"][1]["done"] is True
    assert data["history"][-1]["note"] == "已完成：list 330ml cans in the 15 new stores"


@pytest.mark.parametrize(
    "args, word",
    [
        (["Jinhai Mart", "nothing like it"], "no action 'nothing like it'"),
        (["Jinhai Mart", "in the"], "more than one action"),
        (["Jinhai Mart", "  "], "WHAT"),
        (["Jinhai Mart", "330ml", "--year", "2031"], "2031"),
        (["Nowhere Mart", "330ml"], "Nowhere Mart"),
    ],
)
def test_marking_done_with_bad_input_is_one_line_and_writes_nothing(jinhai, capsys, args, word):
    before = counts(jinhai)
    line = one_line_error(*run(capsys, "acbp", "action", "done", *args)[::2])
    assert word in line and counts(jinhai) == before
