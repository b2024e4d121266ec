"""Drill questions that are right: the keyed line fits the situation and its timing, no wrong choice is
also a right answer; `coach validate` checks every question and catches both faults from the issue."""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pytest
import yaml

from coach.cli import main
from coach.content.loader import load_default
from coach.content.scenarios import load_default as load_scenarios
from coach.training.checks import check_drills, question_problems
from coach.training.drill import Choice, DrillQuestion, drill_items, make_question
from coach.training.judge import TRADE, Judge, fits, line_timing, situation_timing

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kit():
    lib = load_default()
    scenarios = load_scenarios(situations=set(lib.rules), behaviours=set(lib.behaviours) | {"reply.argues"})
    return lib, [scenarios.scenarios[k] for k in sorted(scenarios.scenarios)], Judge.build(lib)


def _nibble_after_signing(lib, scenarios, lang):
    return next(
        i for i in drill_items(lib, scenarios, lang=lang) if i.key == "drill:sc:nibble-after-close:opening"
    )


def test_timing_words():
    assert line_timing("Before we sign: is there anything else you want in?") == "before"
    assert line_timing("签之前再确认一下，还有没有要加进来的？") == "before"
    assert line_timing("We agreed the package yesterday, so let's keep it as agreed.") == "after"
    assert line_timing("Happy to look at it — what can you add on your side?") is None
    assert situation_timing("Annual deal closed yesterday. This morning: can you also do...") == "after"
    assert situation_timing("合同盖完章，他又说能不能送一批赠品") == "after"
    assert situation_timing("nothing agreed yet and he already wants free delivery") is None
    assert situation_timing("whatever the words", "after-deal") == "after"
    assert situation_timing("whatever the words", "bargaining") == "before"
    assert not fits("Before we sign: anything else?", "after")
    assert not fits("Before we sign: anything else?", None)  # a timed line needs a situation known to fit
    assert fits("What can you add on your side?", "after")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_nibble_after_signing_is_never_keyed_before_we_sign(kit, lang):
    lib, scenarios, judge = kit
    item = _nibble_after_signing(lib, scenarios, lang)
    before = next(
        getattr(s, lang) for s in lib.rules["tactic.nibble"].response.say if line_timing(s.en) == "before"
    )
    for seed in range(40):
        q = make_question(item, lib, None, lang, random.Random(seed), judge=judge)
        assert q.responses[q.response_answer].label != before
        assert not question_problems(q, lib, judge)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_trade_line_is_never_a_wrong_choice_for_a_nibble(kit, lang):
    lib, scenarios, judge = kit
    items = [i for i in drill_items(lib, scenarios, lang=lang) if i.rule == "tactic.nibble"]
    assert len(items) >= 5
    for n, item in enumerate(items):
        q = make_question(item, lib, None, lang, random.Random(n), judge=judge)
        wrong = [c for i, c in enumerate(q.responses) if i != q.response_answer]
        assert len(wrong) >= 2
        for c in wrong:
            assert TRADE not in judge.moves(c.label)[0], c.label
            assert c.rule not in ("principle.trade-concessions", "tactic.always-wants-more"), c


def test_the_check_catches_both_faults_from_the_issue(kit):
    """The two wrong answer keys seen in the issue, built by hand: the check reports each."""
    lib, scenarios, judge = kit
    item = _nibble_after_signing(lib, scenarios, "en")
    nibble = lib.rules["tactic.nibble"]
    before = next(s.en for s in nibble.response.say if s.en.startswith("Before we sign"))
    trade = lib.rules["tactic.always-wants-more"].response.say[0].en  # "Yes, I can add ... — if ..."
    fair = lib.rules["complaint.delivery"].response.say[0].en
    q = DrillQuestion(
        item=item,
        lang="en",
        text=item.text["en"],
        situations=(Choice("tactic.nibble", nibble.title.en),),
        situation_answer=0,
        responses=(
            Choice("tactic.nibble", before),
            Choice("tactic.always-wants-more", trade),
            Choice("complaint.delivery", fair),
        ),
        response_answer=0,
    )
    problems = question_problems(q, lib, judge)
    assert any("keyed line 'Before we sign" in p and "after signing" in p for p in problems), problems
    assert any("is also right" in p and "tactic.always-wants-more" in p for p in problems), problems
    assert not any("complaint.delivery" in p for p in problems)


def test_shipped_drill_questions_are_all_right(kit):
    lib, scenarios, judge = kit
    assert check_drills(lib, scenarios, judge=judge) == []


def test_validate_reports_a_drill_with_no_line_for_its_timing(tmp_path, monkeypatch, capsys):
    """A trainer's nibble whose only lines presume the deal is not signed yet: the after-signing customer
    lines of nibble-after-close have no right answer, and `coach validate` says so, located."""
    shipped = yaml.safe_load((ROOT / "playbooks" / "tactics.yaml").read_text(encoding="utf-8"))
    rule = next(r for r in shipped["rules"] if r["id"] == "tactic.nibble")
    rule["response"]["say"] = [
        {
            "en": "Before we sign: is there anything else you want in?",
            "zh": "签之前再确认一下，还有没有要加进来的？",
        }
    ]
    (tmp_path / "nibble.yaml").write_text(
        yaml.safe_dump({"rules": [rule]}, allow_unicode=True), encoding="utf-8"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(["validate", "-q", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert code == 1
    lines = [x for x in out.splitlines() if "no line to say fits a situation after signing" in x]
    assert lines and all("nibble.yaml:" in x and ": rules[0].response.say: " in x for x in lines)
    assert any("scenario nibble-after-close (opening, en)" in x for x in lines)


def test_the_judge_remembers_by_content_not_by_entry(kit):
    """What the judge remembers of a situation is keyed on the entry's content: an entry with the same id
    but other lines (a trainer's copy) is read afresh, and the remembered answers equal fresh ones."""
    lib, _, judge = kit
    nibble = lib.rules["tactic.nibble"]
    trade = lib.rules["tactic.always-wants-more"].response.say[0]
    plain = nibble.model_copy(update={"response": nibble.response.model_copy(update={"say": []})})
    traded = nibble.model_copy(update={"response": nibble.response.model_copy(update={"say": [trade]})})
    fresh = Judge.build(lib)
    for rule in (nibble, plain, traded, nibble):
        assert judge.right_moves(rule) == fresh.right_moves(rule) == Judge.build(lib).right_moves(rule)
    assert judge.right_moves(traded) >= judge.moves(trade.en)[0]
    assert TRADE in judge.right_moves(traded)


def test_fair_lines_are_the_lines_also_right_finds_nothing_against(kit):
    lib, _, judge = kit
    for rule in list(lib.rules.values())[::5]:
        for other in lib.rules.values():
            for lang in ("en", "zh"):
                lines = [getattr(s, lang) for s in other.response.say]
                fair = [line for line in lines if judge.also_right(rule, other, line) is None]
                assert judge.fair_lines(rule, other, lines) == fair


def test_remembered_timings_are_the_timings(kit):
    lib, scenarios, judge = kit
    for lang in ("en", "zh"):
        for item in drill_items(lib, scenarios, lang=lang)[::7]:
            assert item.timing(lang, judge) == item.timing(lang) == item.timing(lang, judge)
    for rule in lib.rules.values():
        for s in rule.response.say:
            for timing in ("before", "after", None):
                assert judge.fits(s.zh, timing) == fits(s.zh, timing)
                assert judge.line_timing(s.en) == line_timing(s.en)
