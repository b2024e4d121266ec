"""`coach prep new|list|show|edit|export|import|brief` and `coach log review --meeting` end to end on a real
database file."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from cli_helpers import ok, run

from coach.cli import main

DATA = Path(__file__).parent.parent / "data"
SAMPLE = DATA / "plan_sample.yaml"
NEW = [
    "prep",
    "new",
    "--account",
    "Carrefour",
    "--meeting",
    "annual 2025",
    "--date",
    "2025-03-04",
    "--must",
    "List the 330ml cans in all 45 stores",
    "--nice",
    "Two DM pages",
    "--must",
    "Keep 60-day terms",
    "--walk-away",
    "No rebate above 3% in total",
    "--limit",
    "price: 3%",
    "--give",
    "Two promoter days per store | promotion | low | high | four facings | 2 units",
    "--give",
    "Growth rebate | price | high | high | +8% volume | 1%",
    "--give",
    "POS material | display | low | medium | an end-cap",
]


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "prep.sqlite3"
    monkeypatch.setenv("COACH_DB", str(path))
    return path


def shown(capsys, plan: int, *extra: str) -> dict:
    return json.loads(ok(capsys, "prep", "show", str(plan), "--json", *extra))


def log(capsys, *extra: str) -> int:
    return int(ok(capsys, "log", "add", "--account", "Carrefour", "--meeting", "annual 2025", *extra))


def test_new_from_options_then_list_and_show(db, capsys):
    assert ok(capsys, *NEW).strip() == "1"
    body = shown(capsys, 1)["body"]
    assert [(o["priority"], o["text"]) for o in body["objectives"]] == [
        ("must", "List the 330ml cans in all 45 stores"),
        ("nice", "Two DM pages"),
        ("must", "Keep 60-day terms"),
    ]
    assert body["tradeables"][0]["limit"] == {"value": 2.0, "unit": "units"}
    assert body["alternatives"]["limits"] == [{"type": "price", "max": {"value": 3.0, "unit": "percent"}}]
    out = ok(capsys, "prep", "list")
    assert out.startswith("#1  2025-03-04  Carrefour / annual 2025  v1  saved ")
    text = ok(capsys, "prep", "show", "1")
    assert "7. concession plan (give-get)" in text
    assert "   1. Two promoter days per store | promotion | low | high | four facings | 2 units" in text
    assert "Not prepared yet: " in text
    assert "7. 让步计划（给与换）" in ok(capsys, "prep", "show", "1", "--lang", "zh")
    assert json.loads(ok(capsys, "prep", "list", "--json"))["plans"][0]["versions"] == 1


def test_missing_required_parts_are_named_and_nothing_is_saved(db, capsys):
    code, out, err = run(
        capsys, "prep", "new", "--account", "Carrefour", "--meeting", "annual 2025", "--nice", "DM pages"
    )
    assert code == 2 and out == ""
    assert err.startswith(
        "coach: plan not saved, required parts missing: objectives: principle 1 needs at least "
        "one must-have objective; alternatives.walk_away: principle 5"
    )
    assert "tradeables: principle 7" in err and err.count("\n") == 1
    code, _, err = run(capsys, "prep", "new", "--meeting", "m")
    assert (
        code == 2
        and err == "coach: --account: required (say which customer and which meeting the plan is for)\n"
    )
    assert json.loads(ok(capsys, "prep", "list", "--json")) == {"plans": []}


def test_bad_option_names_the_option_and_field(db, capsys):
    code, _, err = run(capsys, *NEW, "--give", "Free goods | free-goods | cheap | high | x | 100 kg")
    assert code == 2
    assert err.startswith("coach: --give #4: limit.unit: unknown unit 'kg'")
    code, _, err = run(capsys, *NEW, "--tactic", "nibbel")
    assert code == 2 and "--tactic #1: tactic: unknown tactic 'nibbel' (did you mean 'tactic.nibble'?" in err
    code, _, err = run(capsys, *NEW, "--alternative", "later: walk")
    assert code == 2 and "--alternative #1: stage: unknown stage 'later'" in err
    code, _, err = run(capsys, *NEW, "--date", "2025-02-30")
    assert code == 2 and "date:" in err


def test_second_plan_for_the_same_meeting_is_refused(db, capsys):
    ok(capsys, *NEW)
    code, _, err = run(capsys, *NEW)
    assert code == 2 and "meeting plan 1 already exists for Carrefour / annual 2025" in err


def test_edit_from_options_adds_versions_and_keeps_history(db, capsys):
    ok(capsys, *NEW)
    out = ok(capsys, "prep", "edit", "1", "--fact", "Our SKUs +12% | scan data, 13 weeks", "--note", "facts")
    assert out.strip() == "meeting plan 1 (Carrefour, annual 2025, 2025-03-04) saved as version 2"
    assert (
        ok(capsys, "prep", "edit", "1", "--fact", "Our SKUs +12% | scan data, 13 weeks").strip()
        == "meeting plan 1 (Carrefour, annual 2025, 2025-03-04) unchanged (version 2)"
    )
    ok(capsys, "prep", "edit", "1", "--must", "Only this")
    latest = shown(capsys, 1)
    assert latest["version"] == 3 and [o["text"] for o in latest["body"]["objectives"]] == ["Only this"]
    assert latest["body"]["facts"] == [{"figure": "Our SKUs +12%", "source": "scan data, 13 weeks"}]
    assert len(shown(capsys, 1, "--version", "1")["body"]["objectives"]) == 3
    history = json.loads(ok(capsys, "prep", "show", "1", "--history", "--json"))["versions"]
    assert [(v["version"], v["note"]) for v in history] == [(1, None), (2, "facts"), (3, None)]
    # An edit that would leave a required part empty is refused; the plan is unchanged.
    code, _, err = run(capsys, "prep", "edit", "1", "--nice", "only a wish")
    assert code == 2 and "must-have" in err
    assert shown(capsys, 1)["version"] == 3


def test_edit_without_changes_outside_a_terminal_says_what_to_do(db, capsys):
    ok(capsys, *NEW)
    code, _, err = run(capsys, "prep", "edit", "1")
    assert code == 2 and err.startswith("coach: nothing to change")
    code, _, err = run(capsys, "prep", "edit", "9", "--must", "x")
    assert code == 2 and "there is no meeting plan 9" in err


def test_export_import_round_trip_through_a_file(db, capsys, tmp_path):
    assert (
        ok(capsys, "prep", "import", str(SAMPLE)).strip()
        == "created meeting plan 1 (Carrefour, annual 2025, 2025-03-04)"
    )
    exported = tmp_path / "plan.yaml"
    ok(capsys, "prep", "export", "1", "-o", str(exported))
    assert exported.read_text(encoding="utf-8") == ok(capsys, "prep", "export", "1")
    before = shown(capsys, 1)["body"]
    assert (
        ok(capsys, "prep", "import", str(exported)).strip()
        == "meeting plan 1 (Carrefour, annual 2025, 2025-03-04) unchanged (version 1)"
    )
    text = exported.read_text(encoding="utf-8").replace(
        "- What was agreed, with numbers and dates", "- What was agreed, with numbers, dates and owners"
    )
    exported.write_text(text, encoding="utf-8")
    assert (
        ok(capsys, "prep", "import", str(exported), "--note", "owners").strip()
        == "meeting plan 1 (Carrefour, annual 2025, 2025-03-04) saved as version 2"
    )
    after = shown(capsys, 1)
    assert after["body"]["record"][0] == "What was agreed, with numbers, dates and owners"
    assert {k: v for k, v in after["body"].items() if k != "record"} == {
        k: v for k, v in before.items() if k != "record"
    }
    code, _, err = run(capsys, "prep", "export", "1", "-o", str(exported))
    assert code == 2 and "already exists" in err


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "plans").glob("*.yaml")))
def test_bad_yaml_import_changes_nothing(db, capsys, name):
    ok(capsys, "prep", "import", str(SAMPLE))
    before = ok(capsys, "prep", "export", "1")
    bad = DATA / "plans" / name
    for args in (["prep", "import", str(bad)], ["prep", "edit", "1", "--file", str(bad)]):
        code, out, err = run(capsys, *args)
        assert code == 2 and out == ""
        assert err.startswith(f"coach: {bad}:"), err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert ok(capsys, "prep", "export", "1") == before
    assert len(json.loads(ok(capsys, "prep", "list", "--json"))["plans"]) == 1


def test_edit_in_the_editor_validates_before_saving(db, capsys, tmp_path, monkeypatch):
    ok(capsys, "prep", "import", str(SAMPLE))
    editor = tmp_path / "fake_editor.py"
    # First run writes a mistake; the second (after "edit again") fixes it.
    editor.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1]); t = p.read_text(encoding='utf-8')\n"
        f"flag = pathlib.Path({str(tmp_path / 'ran')!r})\n"
        "if not flag.exists():\n"
        "    flag.write_text('1')\n"
        "    p.write_text(t.replace('cost: low', 'cost: cheapish', 1), encoding='utf-8')\n"
        "else:\n"
        "    p.write_text(t.replace('cost: cheapish', 'cost: medium', 1), encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VISUAL", f'"{sys.executable}" "{editor}"')
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("y\n"))
    code, out, err = run(capsys, "prep", "edit", "1", "--editor", "--note", "via editor")
    assert code == 0, err
    assert "cost: unknown level 'cheapish'" in err and "coach-plan-1-" in err
    assert out.strip() == "meeting plan 1 (Carrefour, annual 2025, 2025-03-04) saved as version 2"
    assert shown(capsys, 1)["body"]["tradeables"][0]["cost"] == "medium"


def test_editor_mistake_given_up_keeps_the_edits_and_saves_nothing(db, capsys, tmp_path, monkeypatch):
    ok(capsys, "prep", "import", str(SAMPLE))
    editor = tmp_path / "bad_editor.py"
    editor.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text(encoding='utf-8') + 'surprise: 1\\n', encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f'"{sys.executable}" "{editor}"')
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("n\n"))
    code, out, err = run(capsys, "prep", "edit", "1", "--editor")
    assert code == 0 and out == ""
    assert "unknown field 'surprise'" in err
    kept = Path(err.strip().rsplit(" ", 1)[-1])
    assert "nothing saved; your edits are in" in err and kept.exists() and "surprise: 1" in kept.read_text()
    kept.unlink()
    assert shown(capsys, 1)["version"] == 1


def test_copy_last_starts_from_the_accounts_latest_plan(db, capsys):
    ok(capsys, "prep", "import", str(SAMPLE))
    code, out, err = run(
        capsys,
        "prep",
        "new",
        "--account",
        "carrefour",
        "--meeting",
        "mid-year review",
        "--date",
        "2025-07-01",
        "--copy-last",
    )
    assert code == 0 and out.strip() == "2"
    assert "starting from meeting plan 1 (Carrefour, annual 2025, 2025-03-04), version 1" in err
    body = shown(capsys, 2)["body"]
    assert body["meeting"] == "mid-year review" and body["date"] == "2025-07-01"
    assert body["tradeables"] == shown(capsys, 1)["body"]["tradeables"]
    assert all(not c["done"] for c in body["professionalism"]["checklist"])
    assert shown(capsys, 2)["copied_from"] == 1
    code, _, err = run(capsys, "prep", "new", "--account", "Tesco", "--meeting", "m", "--copy-last")
    assert code == 2 and "there is no earlier plan for Tesco" in err


def test_the_suggestion_hint_names_tactics_in_the_users_language(db, capsys):
    log(capsys, "--type", "price", "--give", "rebate", "--tactic", "nibble")
    code, _, err = run(capsys, *NEW, "--lang", "zh")
    assert code == 0
    assert (
        "根据这个客户的历史，预计对方会用：得寸进尺（让步记录中 1 次）（用 `coach prep edit 1 --suggest` 加入计划）"
        in err
    )
    assert "tactic." not in err
    out = ok(capsys, "prep", "show", "1", "--lang", "zh")
    assert out.rstrip().endswith("   得寸进尺（让步记录中 1 次）")


def test_messages_name_a_plan_by_its_number_account_meeting_and_date_in_both_languages(db, capsys, tmp_path):
    ok(capsys, *NEW)
    code, _, err = run(capsys, "prep", "brief", "1", "-o", str(tmp_path / "b.md"))
    assert code == 0
    assert (
        err
        == f"wrote the brief of meeting plan 1 (Carrefour, annual 2025, 2025-03-04) to {tmp_path / 'b.md'}\n"
    )
    code, _, err = run(capsys, "prep", "brief", "1", "--lang", "zh", "-o", str(tmp_path / "z.md"))
    assert err == f"已把会谈计划 1（Carrefour，annual 2025，2025-03-04）的简报写入 {tmp_path / 'z.md'}\n"
    assert "日期：2025-03-04 · 会谈计划 1，第 1 版" in (tmp_path / "z.md").read_text(encoding="utf-8")
    assert ok(capsys, "prep", "show", "1", "--lang", "zh").startswith(
        "会谈计划 1 · Carrefour / annual 2025 · "
    )
    history = ok(capsys, "prep", "show", "1", "--history")
    assert history.startswith("Versions of meeting plan 1 (Carrefour, annual 2025, 2025-03-04):\n")
    code, _, err = run(capsys, "prep", "export", "1", "-o", str(tmp_path / "p.yaml"))
    assert (
        err
        == f"wrote meeting plan 1 (Carrefour, annual 2025, 2025-03-04), version 1, to {tmp_path / 'p.yaml'}\n"
    )
    with pytest.raises(SystemExit) as bad:
        main(["prep", "show", "one"])
    err = capsys.readouterr().err
    assert bad.value.code == 2 and "expected a meeting plan's number" in err and "#" not in err


def test_suggestions_from_the_log_and_role_play(db, capsys):
    log(capsys, "--type", "price", "--give", "rebate", "--tactic", "nibble")
    log(capsys, "--type", "price", "--give", "rebate", "--tactic", "deadline-pressure", "--meeting", "other")
    log(
        capsys, "--type", "price", "--give", "rebate", "--tactic", "nibble", "--practice"
    )  # practice: not counted
    code, out, err = run(capsys, *NEW)
    assert code == 0
    assert (
        "expected tactics suggested by this account's history: The nibble (1× in the log); "
        "Deadline pressure (1× in the log)" in err
    )
    assert shown(capsys, 1)["suggested_tactics"][0] == {
        "tactic": "tactic.nibble",
        "in_log": 1,
        "in_roleplay": 0,
    }
    code, out, err = run(capsys, "prep", "edit", "1", "--suggest")
    assert code == 0 and "+ expected tactic The nibble (1× in the log)" in err
    assert "tradeables reordered" in err
    body = shown(capsys, 1)["body"]
    assert [t["tactic"] for t in body["expected_tactics"]] == ["tactic.nibble", "tactic.deadline-pressure"]
    assert body["expected_tactics"][0]["note"] == "1× in the log"
    assert [t["item"] for t in body["tradeables"]] == [
        "Two promoter days per store",
        "POS material",
        "Growth rebate",
    ]
    assert shown(capsys, 1)["suggested_tactics"] == []


def test_brief_md_and_html_to_files(db, capsys, tmp_path):
    ok(capsys, "prep", "import", str(SAMPLE))
    md = ok(capsys, "prep", "brief", "1")
    assert md.startswith("# Meeting brief: Carrefour — annual 2025")
    assert "## Expected tactics and counters" in md and "## Lines to say" in md
    out = tmp_path / "brief.html"
    ok(capsys, "prep", "brief", "1", "--format", "html", "--lang", "zh", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h2>让步计划（按此顺序提出）</h2>" in page
    assert "会前简报：Carrefour" in ok(capsys, "--lang", "zh", "prep", "brief", "1")
    if os.name == "posix":
        assert not stat.S_IMODE(out.stat().st_mode) & 0o002


def test_log_review_checks_the_meeting_against_its_plan(db, capsys):
    ok(capsys, *NEW)
    log(
        capsys,
        "--type",
        "listing-fee",
        "--give",
        "listing fee",
        "--value",
        "20000",
        "--unit",
        "CNY",
        "--get",
        "SKUs",
        "--when",
        "2025-03-04 10:00",
    )
    log(
        capsys,
        "--type",
        "promotion",
        "--give",
        "promoter days",
        "--value",
        "3",
        "--unit",
        "units",
        "--get",
        "four facings",
        "--when",
        "2025-03-04 10:05",
    )
    log(capsys, "--type", "display", "--give", "POS material", "--when", "2025-03-04 10:10")
    log(
        capsys,
        "--type",
        "price",
        "--give",
        "growth rebate",
        "--value",
        "1",
        "--unit",
        "%",
        "--get",
        "volume",
        "--when",
        "2025-03-04 10:15",
    )
    log(
        capsys,
        "--type",
        "price",
        "--give",
        "extra rebate",
        "--value",
        "2.5",
        "--unit",
        "%",
        "--get",
        "flyer",
        "--when",
        "2025-03-04 10:20",
        "--stage",
        "after-deal",
        "--tactic",
        "nibble",
    )
    out = ok(capsys, "log", "review", "--meeting", "annual 2025")
    plan_part = out[out.index("Plan check — meeting plan 1, version 1: Carrefour / annual 2025") :]
    assert "5 concessions checked against the plan" in plan_part
    assert "✗ Not among the plan's tradeables (1):\n  #1 " in plan_part
    assert "✗ Over the planned limit (2):\n  #2 " in plan_part
    assert "→ Two promoter days per store: 3 units in total, limit 2 units" in plan_part
    assert "→ Growth rebate: 3.5% in total, limit 1%" in plan_part
    assert (
        "✗ Given without the planned return (1):\n  #3 " in plan_part
        and "planned return: an end-cap" in plan_part
    )
    assert "✗ Past the walk-away point (1):\n  #5 " in plan_part
    assert "→ price/discount 3.5% in total, walk-away 3%" in plan_part
    data = json.loads(ok(capsys, "log", "review", "--meeting", "annual 2025", "--json"))
    assert "entries" in data  # the review itself is unchanged
    check = data["plan_checks"][0]
    assert [(f["kind"], f["entry"]) for f in check["findings"]] == [
        ("not-in-plan", 1),
        ("over-limit", 2),
        ("over-limit", 5),
        ("no-return", 3),
        ("past-walk-away", 5),
    ]
    zh = ok(capsys, "log", "review", "--meeting", "annual 2025", "--lang", "zh")
    assert "✗ 越过了底线（1 项）：" in zh
    assert "No plan for this meeting" in ok(capsys, "log", "review", "--meeting", "other")
    assert json.loads(ok(capsys, "log", "review", "--meeting", "other", "--json"))["plan_checks"] == []
    assert "Plan check" not in ok(capsys, "log", "review")  # only with --meeting


def test_user_text_is_printed_literally(db, capsys):
    ok(
        capsys,
        "prep",
        "new",
        "--account",
        "[bold red]Carrefour[/]",
        "--meeting",
        "m",
        "--must",
        "[link=http://x]x[/link]",
        "--walk-away",
        "w",
        "--give",
        "a | other | low | high | b",
    )
    assert "[bold red]Carrefour[/] / m" in ok(capsys, "prep", "list")
    assert "must: [link=http://x]x[/link]" in ok(capsys, "prep", "show", "1")
