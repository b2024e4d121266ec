"""Key accounts across the tool, end to end on a real database file (issue 13, item 5 and the one-page
summary): `coach prep new --account` offers the account's plan, the brief names who is in the room,
`coach match` points account situations to the plan, `coach account export` writes the summary."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from coach.cli import main
from coach.store.schema import APPEND_ONLY_TABLES

SAMPLE = Path(__file__).parents[1] / "data" / "acbp" / "jinhai-2027.yaml"
YEAR = date.today().year
"""The plan is this year's: concessions cannot be logged in the future, and its 2027 dates become this
year's, so the January action is overdue whenever the test runs after January."""


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "coach.sqlite3"
    monkeypatch.setenv("COACH_DB", str(path))
    monkeypatch.chdir(tmp_path)
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *args: str) -> tuple[str, str]:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out, err


def one_line_error(code: int, err: str) -> str:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coach: ") and "Traceback" not in err, err
    return lines[0]


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [*APPEND_ONLY_TABLES, "plans", "plan_versions", "concessions"]
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


@pytest.fixture
def jinhai(db, capsys, tmp_path):
    """Jinhai Mart: a skeptic decision maker nobody of ours knows, a buyer Li Wei knows, an opponent of
    low influence; this year's plan (the sample's, moved to this year) and one concession."""
    ok(capsys, "account", "add", "Jinhai Mart", "--tier", "national", "--stores", "45")
    ok(capsys, "account", "add", "聯華", "--tier", "national")
    for person in (
        [
            "Wang Fang",
            "--role",
            "Purchasing director",
            "--decision",
            "decision-maker",
            "--influence",
            "5",
            "--attitude",
            "skeptic",
        ],
        ["Chen Jie", "--role", "Buyer", "--reports-to", "Wang Fang", "--attitude", "supporter"],
        ["Zhao Lei", "--role", "Store ops", "--influence", "2", "--attitude", "opponent"],
    ):
        ok(capsys, "account", "contact", "add", "Jinhai Mart", *person)
    ok(capsys, "account", "contact", "add", "Jinhai Mart", "Li Wei", "--ours")
    ok(capsys, "account", "link", "Jinhai Mart", "Li Wei", "Chen Jie", "--level", "3")
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("2027", str(YEAR)).replace(f"{YEAR}-09-01", "2099-09-01"),
        encoding="utf-8",
    )
    ok(capsys, "acbp", "import", str(plan))
    ok(
        capsys,
        "log",
        "add",
        "--account",
        "JINHAI mart",
        "--meeting",
        "annual",
        "--type",
        "price",
        "--give",
        "extra 1% off invoice",
        "--value",
        "1",
        "--unit",
        "percent",
        "--get",
        "2 end-caps",
        "--get-value",
        "2",
        "--get-unit",
        "units",
        "--when",
        f"{YEAR}-01-02",
    )
    return db


PARTS = [
    "--walk-away",
    "no rebate above 3%",
    "--give",
    "two promoter days | promotion | low | high | facings",
]


# ------------------------------------------------------------------------------------------ prep new


def test_prep_new_offers_the_accounts_objectives_people_and_open_actions(jinhai, capsys):
    out, err = ok(
        capsys,
        "prep",
        "new",
        "--account",
        "jinhai mart",
        "--meeting",
        "Q2",
        "--must",
        "end-caps",
        *PARTS,
        "--lang",
        "en",
    )
    assert out.strip().isdigit()
    assert f"Jinhai Mart is a key account (business plan {YEAR})" in err
    assert "objectives: Grow our sales in Jinhai to CNY 14m (sell-in CNY 14m (+13%))" in err
    assert "their objective: Jinhai wants category sales up 8%" in err
    assert "Wang Fang (Purchasing director · decision maker · influence 5 · skeptic · nobody of ours" in err
    actions = err.split("open actions, overdue first: ")[1].splitlines()[0]
    if date.today() > date(YEAR, 1, 31):
        assert actions.startswith(
            f"⚠ agree two end-caps per quarter in the annual negotiation (Li Wei, overdue since {YEAR}-01-31)"
        )
    assert actions.endswith("joint anniversary promotion in September (Wang Fang, by 2099-09-01)")
    assert "--from-account adds" in err
    assert not re.search(r"#\d|\bid\b", err)  # no internal ids


def test_prep_new_from_account_fills_objectives_and_agenda_in_chinese(jinhai, capsys):
    out, err = ok(
        capsys,
        "prep",
        "new",
        "--account",
        "Jinhai Mart",
        "--meeting",
        "Q3",
        "--must",
        "端架",
        *PARTS,
        "--from-account",
        "--lang",
        "zh",
    )
    assert "已加入计划" in err and "客户方人员：Wang Fang（Purchasing director · 决策者" in err
    shown, _ = ok(capsys, "prep", "show", out.strip())
    assert "must: 端架" in shown and "nice: Grow our sales in Jinhai to CNY 14m" in shown
    assert "agenda: 跟进：agree two end-caps per quarter in the annual negotiation（Li Wei，" in shown
    assert "Jinhai wants category" not in shown  # their objective is theirs, not the meeting's


def test_prep_new_missing_parts_names_from_account_and_saves_nothing(jinhai, capsys):
    before = counts(jinhai)
    code, _, err = run(capsys, "prep", "new", "--account", "Jinhai Mart", "--meeting", "Q4", "--lang", "en")
    assert "--from-account adds the objectives and open actions of Jinhai Mart" in one_line_error(code, err)
    code, _, err = run(
        capsys, "prep", "new", "--account", "Nobody", "--meeting", "Q4", "--from-account", *PARTS
    )
    assert "--from-account: 'Nobody' is not a key account; nothing was saved" in one_line_error(code, err)
    assert counts(jinhai) == before


def test_prep_new_for_a_customer_that_is_no_key_account_says_nothing_more(db, capsys):
    out, err = ok(capsys, "prep", "new", "--account", "Carrefour", "--meeting", "Q1", "--must", "x", *PARTS)
    assert out.strip().isdigit() and "key account" not in err


def test_the_account_is_found_in_traditional_chinese_too(jinhai, capsys):
    ok(
        capsys,
        "account",
        "contact",
        "add",
        "联华",
        "王芳",
        "--decision",
        "decision-maker",
        "--influence",
        "5",
    )
    out, err = ok(
        capsys, "prep", "new", "--account", "聯華", "--meeting", "年度", "--must", "x", *PARTS, "--lang", "zh"
    )
    assert "聯華 是重点客户" in err and "王芳（决策者 · 影响力5 · 我方无人认识）" in err


# --------------------------------------------------------------------------------------------- brief


def test_the_brief_names_who_is_in_the_room_with_the_coachs_warnings(jinhai, capsys):
    out, _ = ok(
        capsys,
        "prep",
        "new",
        "--account",
        "Jinhai Mart",
        "--meeting",
        "Q2",
        "--must",
        "end-caps",
        *PARTS,
        "--theirs",
        "Wang Fang | Purchasing director",
        "--theirs",
        "Liu Yang | Finance",
    )
    plan = out.strip()
    md, _ = ok(capsys, "prep", "brief", plan)
    section = md.split("## Their people at the meeting")[1].split("\n## ")[0]
    assert (
        "**Wang Fang:** Purchasing director · decision maker · influence 5 · skeptic · nobody of ours"
        in section
    )
    assert "**Liu Yang:** Finance · not in the relationship map of Jinhai Mart" in section
    assert (
        "**⚠ Coach (at this meeting):** Wang Fang (Purchasing director) makes the decision and nobody"
        in section
    )
    assert (
        "**⚠ Coach (at this meeting):** Wang Fang (influence 5) is a skeptic and there is no plan" in section
    )
    assert "Their team:" not in md  # named once, with the map's view of them
    zh, _ = ok(capsys, "prep", "brief", plan, "--lang", "zh", "--format", "html")
    assert "<h2>到场的客户方人员</h2>" in zh and "⚠ 教练提醒（本次到场）" in zh and "拍板的人" in zh


def test_a_brief_for_a_customer_that_is_no_key_account_is_unchanged(db, capsys):
    out, _ = ok(
        capsys,
        "prep",
        "new",
        "--account",
        "Carrefour",
        "--meeting",
        "Q1",
        "--must",
        "x",
        *PARTS,
        "--theirs",
        "Ms Li | buyer",
    )
    md, _ = ok(capsys, "prep", "brief", out.strip())
    assert "Their people at the meeting" not in md and "Their team:** Ms Li (buyer)" in md


# --------------------------------------------------------------------------------------------- match


@pytest.mark.slow
def test_match_points_account_situations_to_the_plan_in_both_languages(db, capsys):
    out, _ = ok(capsys, "match", "nobody on our team knows the purchasing director, only the buyer")
    assert "The relationship map: coach account map ACCOUNT" in out and "coach acbp show" not in out
    out, _ = ok(capsys, "match", "how do I go through the annual plan's scorecard with the buyer")
    assert "Open the plan: coach acbp show ACCOUNT (in the terminal UI: Key accounts, then p)" in out
    out, _ = ok(capsys, "match", "怎么给重点客户做年度客户业务计划和打分卡")
    assert "打开客户计划：coach acbp show 客户名称（终端界面：重点客户，按 p）" in out
    out, _ = ok(capsys, "match", "the buyer walked out when I refused the extra listing fee")
    assert "coach acbp show" not in out


@pytest.mark.parametrize(
    "rule_id, lang, pointers",
    [
        ("account.business-plan", "en", ["Open the plan: coach acbp show ACCOUNT"]),
        ("account.business-plan", "zh", ["打开客户计划：coach acbp show 客户名称"]),
        ("account.relationship", "en", ["The relationship map: coach account map ACCOUNT"]),
        ("account.relationship", "zh", ["客情关系图：coach account map 客户名称"]),
        ("account.tiers", "en", []),
        ("account.kam-role", "en", []),
        ("account.cross-department", "zh", []),
        ("tactic.nibble", "en", []),
    ],
)
def test_match_points_to_the_account_records_only_where_they_answer(rule_id, lang, pointers):
    from types import SimpleNamespace

    from coach.commands.match import render_text
    from coach.content import compiled
    from coach.engine.match import MatchResult, RuleMatch

    rules = compiled.load().rule_views()
    out = render_text(SimpleNamespace(rules=rules), MatchResult("x", [RuleMatch(rule_id, 0.5, [])]), lang)
    shown = [line for line in out.splitlines() if "coach acbp" in line or "coach account" in line]
    assert [line for line in shown if not any(line.startswith(p) for p in pointers)] == []
    assert len(shown) == len(pointers)


# ------------------------------------------------------------------------------------ account export


def test_export_writes_the_one_page_summary(jinhai, capsys, tmp_path):
    md, _ = ok(capsys, "account", "export", "jinhai mart", "--lang", "en")
    flat = md.replace("\\", "")
    for part in (
        "# Account summary — Jinhai Mart",
        "national · 45 stores · as of",
        "**What it needs:** one head office, many cities",
        "⚠ Wang Fang (Purchasing director) makes the decision and nobody on our side knows them",
        f"## Business plan {YEAR}: objectives",
        "[ours] Grow our sales in Jinhai to CNY 14m:** sell-in CNY 14m (+13%)",
        "| out-of-stock rate | 3% | — | — |",
        "## Open actions (overdue first)",
        f"Concession log {YEAR}: given 1%; received 2 units (1 concession, 1 with something back)",
    ):
        assert part in flat, part
    assert not re.search(r"#\d", md)
    page = tmp_path / "jinhai.html"
    _, err = ok(
        capsys, "account", "export", "Jinhai Mart", "--format", "html", "--lang", "zh", "-o", str(page)
    )
    html = page.read_text(encoding="utf-8")
    assert err.strip() == f"客户概览已写入 {page}"
    assert "<h1>客户概览 — Jinhai Mart</h1>" in html and "这一级要什么" in html and "给出 1%" in html
    assert "<script" not in html


def test_export_bad_input_is_one_line_and_writes_nothing(jinhai, capsys, tmp_path):
    before = counts(jinhai)
    code, _, err = run(capsys, "account", "export", "Jinhia Mart")
    assert "NAME: no account 'Jinhia Mart' (did you mean 'Jinhai Mart'?)" in one_line_error(code, err)
    code, _, err = run(capsys, "account", "export", "Jinhai Mart", "--year", "27")
    assert "expected a year such as 2027" in one_line_error(code, err)
    taken = tmp_path / "taken.md"
    taken.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "account", "export", "Jinhai Mart", "-o", str(taken))
    assert "--force" in one_line_error(code, err)
    assert taken.read_text(encoding="utf-8") == "keep me"
    assert counts(jinhai) == before


def test_export_of_a_year_without_a_plan_says_how_to_start_one(jinhai, capsys):
    md, _ = ok(capsys, "account", "export", "Jinhai Mart", "--year", "2030", "--lang", "en")
    assert "No business plan for 2030 yet: start one with `coach acbp new 'Jinhai Mart' --year 2030`" in (
        md.replace("\\", "")
    )
