"""The principle quiz is generated from the playbooks: an edited playbook gives an edited quiz."""

from __future__ import annotations

import io
import random
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from coach.cli import main
from coach.content.loader import load_default
from coach.training.drill import COMPLAINT_HANDLING
from coach.training.quiz import QuizResult, QuizRun, make_question, principles, quiz_bank, record

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2025, 3, 1, 9, tzinfo=UTC)

NEW_TITLE = {"en": "Write everything down at once", "zh": "当场全部记下来"}
NEW_STEPS = [
    {"en": "Open the meeting notebook before the buyer speaks.", "zh": "采购开口之前先把会议本打开。"},
    {"en": "Read the agreed points back before you stand up.", "zh": "起身之前把谈定的几点念一遍。"},
    {"en": "Mail the minutes within the hour.", "zh": "一小时之内把会议纪要发出去。"},
]
NEW_COMPLAINT_STEPS = [
    {"en": "Thank the buyer for raising the invoice problem.", "zh": "先谢谢采购把发票问题提出来。"},
    {"en": "Pull the three disputed invoices with finance.", "zh": "和财务一起把三张有争议的发票调出来。"},
    {"en": "Agree the credit note amount and date.", "zh": "把红字发票的金额和日期定下来。"},
    {"en": "Check next month's statement together.", "zh": "下个月的对账单一起再核一遍。"},
]


def _rule(file: str, rule_id: str) -> dict:
    data = yaml.safe_load((ROOT / "playbooks" / file).read_text(encoding="utf-8"))
    return next(r for r in data["rules"] if r["id"] == rule_id)


@pytest.fixture()
def edited(tmp_path) -> Path:
    """A trainer's folder replacing principle.record and complaint.billing with edited copies."""
    record_rule = _rule("principles.yaml", "principle.record")
    record_rule["title"] = NEW_TITLE
    record_rule["response"]["steps"] = NEW_STEPS
    billing = _rule("complaints.yaml", "complaint.billing")
    billing["response"]["steps"] = NEW_COMPLAINT_STEPS
    folder = tmp_path / "trainer"
    folder.mkdir()
    (folder / "edits.yaml").write_text(
        yaml.safe_dump({"rules": [record_rule, billing]}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def shipped():
    lib = load_default()
    lib.raise_if_problems()
    return lib


def test_bank_covers_the_principles_and_complaint_steps(shipped):
    bank = quiz_bank(shipped)
    kinds = {k: [i for i in bank if i.kind == k] for k in ("summary", "step", "first", "next")}
    pr = principles(shipped)
    assert [p.id for p in pr][:8] == [
        "principle.plan",
        "principle.restate-value",
        "principle.use-facts",
        "principle.professionalism",
        "principle.know-alternatives",
        "principle.dont-get-stuck",
        "principle.trade-concessions",
        "principle.record",
    ]
    assert len(kinds["summary"]) == len(pr)
    assert len(kinds["step"]) == sum(len(p.response.steps) for p in pr)
    complaints = [r for r in shipped.rules.values() if r.category.value == "complaint"]
    assert len(kinds["first"]) == len(complaints)
    assert len(kinds["next"]) == sum(len(r.response.steps) - 1 for r in complaints)
    assert {i.area for i in kinds["next"]} == {COMPLAINT_HANDLING}
    assert len({i.key for i in bank}) == len(bank)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_question_has_its_right_answer_once(shipped, lang):
    rng = random.Random(5)
    for item in quiz_bank(shipped):
        q = make_question(item, shipped, lang, rng)
        assert len(q.options) == len(set(q.options)) >= 2
        rule = shipped.rules[item.rule]
        right = q.options[q.answer]
        if item.kind in ("summary", "step"):
            assert right == getattr(rule.title, lang)
            shown = rule.summary if item.kind == "summary" else rule.response.steps[item.step]
            assert getattr(shown, lang) in q.prompt
        elif item.kind == "first":
            assert right == getattr(rule.response.steps[0], lang)
        else:
            assert right == getattr(rule.response.steps[item.step + 1], lang)
            assert getattr(rule.response.steps[item.step], lang) in q.prompt


def test_edited_playbook_changes_the_quiz(shipped, edited):
    lib = load_default([edited])
    lib.raise_if_problems()
    old = {i.key for i in quiz_bank(shipped)}
    new_bank = quiz_bank(lib)
    new = {i.key for i in new_bank}
    gone, added = old - new, new - old
    assert gone and added
    assert all(":principle.record:" in k or ":complaint.billing:" in k for k in gone | added)
    rng = random.Random(0)
    asked = [make_question(i, lib, "en", rng) for i in new_bank]
    record_steps = [q for q in asked if q.item.kind == "step" and q.item.rule == "principle.record"]
    assert [q.prompt.split("\n")[1] for q in record_steps] == [f"“{s['en']}”" for s in NEW_STEPS]
    assert all(q.options[q.answer] == NEW_TITLE["en"] for q in record_steps)
    shipped_record = shipped.rules["principle.record"]
    text = "\n".join(q.prompt + "\n" + "\n".join(q.options) for q in asked)
    assert shipped_record.title.en not in text
    assert all(s.en not in text for s in shipped_record.response.steps)
    nxt = [q for q in asked if q.item.kind == "next" and q.item.rule == "complaint.billing"]
    assert [q.options[q.answer] for q in nxt] == [s["en"] for s in NEW_COMPLAINT_STEPS[1:]]


def test_edited_playbook_changes_the_quiz_on_the_command_line(edited, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n" * 400))
    code = main(
        [
            "train",
            "quiz",
            "--profile",
            "Ann",
            "--class",
            "C1",
            "--playbooks",
            str(edited),
            "-n",
            "200",
            "--seed",
            "1",
            "--lang",
            "zh",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert NEW_TITLE["zh"] in out and NEW_STEPS[0]["zh"] in out and NEW_COMPLAINT_STEPS[2]["zh"] in out
    assert "记录" not in out.split("\n")  # the shipped title is no longer an option line on its own
    assert "  2) 记录" not in out and "  1) 记录" not in out


def test_quiz_scoring_and_record(shipped):
    run = QuizRun(shipped, quiz_bank(shipped), {}, lang="en", count=3, seed=2, now=NOW)
    q = run.next()
    result, requeued = run.answer(q, (q.answer + 1) % len(q.options))
    assert not result.right and result.score == 0 and requeued and run.total == 4
    rec = record(result, run=run.run, seq=0, at="2025-03-01T09:00:00Z")
    assert rec["kind"] == "quiz" and rec["max_score"] == 1 and rec["principles"] == [q.item.area]
    assert rec["detail"]["expected"] == q.options[q.answer]
    assert QuizResult(q, q.answer).right


def test_new_questions_spread_over_the_areas(shipped):
    run = QuizRun(shipped, quiz_bank(shipped), {}, lang="en", count=9, seed=3, now=NOW)
    areas = [run.next().item.area for _ in range(9)]
    assert len(set(areas)) == 9  # eight principles and complaint handling, one each
