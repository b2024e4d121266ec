"""The recognition drill: items from playbook examples and scenario lines only, confusable options,
scoring, and a sitting that brings wrong items back."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from coach.content.loader import load_default
from coach.content.scenarios import load_default as load_scenarios
from coach.engine import build_index, rank
from coach.training.drill import (
    COMPLAINT_HANDLING,
    MAX_POINTS,
    DrillResult,
    DrillRun,
    areas_for,
    distractors,
    drill_items,
    entry_lines,
    make_question,
    record,
    script,
)

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2025, 3, 1, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def kit():
    lib = load_default()
    lib.raise_if_problems()
    scenarios = load_scenarios(situations=set(lib.rules), behaviours=set(lib.behaviours) | {"reply.argues"})
    return lib, build_index(lib), [scenarios.scenarios[k] for k in sorted(scenarios.scenarios)]


def test_script_tells_chinese_from_english():
    assert script("采购说总部还没批") == "zh"
    assert script("buyer给了deadline，说今天必须定") == "zh"
    assert script("the buyer wants 5% more") == "en"
    assert script("KA系统 promo 没做 in 12 stores of Carrefour Beijing") == "en"


def test_script_counts_han_characters_and_ascii_letters():
    """The letters counted: CJK ideographs (extension A, unified, compatibility) and ASCII letters only."""

    def by_hand(text: str) -> str:
        han = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")
        latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
        return "zh" if han and han * 3 >= latin else "en"

    rng = random.Random(3)
    alphabet = "aZ中\u3400\u33ff\u9fff\ua000\uf900\ufaff\ufb00é ,ßΩＡａ1"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        assert script(text) == by_hand(text), text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_items_come_from_examples_and_scenario_lines_in_the_language(kit, lang):
    lib, _, scenarios = kit
    items = drill_items(lib, scenarios, lang=lang)
    assert len({i.key for i in items}) == len(items) > 100
    examples = {" ".join(e.split()) for r in lib.rules.values() for e in r.examples}
    lines = {" ".join(getattr(t.line, lang).split()) for sc in scenarios for t in sc.turns.values()}
    for item in items:
        assert script(item.text[lang]) == lang or item.scenario
        assert item.text[lang] in (lines if item.scenario else examples)
        assert lib.rules[item.rule].response.say
    assert any(i.scenario for i in items) and any(not i.scenario for i in items)


def _evaluation_texts() -> set[str]:
    texts: set[str] = set()
    files = list((ROOT / "tests" / "data").glob("situations-independent*.yaml"))
    files += list((ROOT.parent / "shared" / "eval").glob("*.yaml"))
    assert files
    for f in files:
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        rows = data if isinstance(data, list) else next((v for v in data.values() if isinstance(v, list)), [])
        texts |= {" ".join(str(r.get("text", "")).split()).lower() for r in rows if isinstance(r, dict)}
    return texts - {""}


def test_no_item_is_evaluation_data(kit):
    lib, _, scenarios = kit
    held_out = _evaluation_texts()
    for lang in ("en", "zh"):
        for item in drill_items(lib, scenarios, lang=lang):
            assert item.text[lang].lower() not in held_out, item.key


def test_category_filter(kit):
    lib, _, scenarios = kit
    items = drill_items(lib, scenarios, lang="en", category="tactic")
    assert items and all(i.rule.startswith("tactic.") for i in items)


def test_wrong_situations_are_the_engines_runner_ups_then_the_same_chapter(kit):
    lib, index, scenarios = kit
    items = drill_items(lib, scenarios, lang="en")
    checked = 0
    for item in items[:: max(1, len(items) // 200)][
        :200
    ]:  # a sample across every chapter, not the first rules only
        runner_ups = [m.id for m in rank(index, item.text["en"], top=6).matches if m.id != item.rule]
        wrong = distractors(item, lib, index, "en", random.Random(0))
        assert len(wrong) == 3 and item.rule not in wrong and len(set(wrong)) == 3
        if runner_ups:
            assert wrong[0] == runner_ups[0]
            checked += 1
        same = [w for w in wrong if w not in runner_ups]
        chapter = lib.rules[item.rule].category
        others_in_chapter = [r for r in lib.rules.values() if r.category == chapter and r.id != item.rule]
        if len(others_in_chapter) >= 3:
            assert all(lib.rules[w].category == chapter for w in same)
    assert checked > 20


def test_question_has_one_right_situation_and_the_entrys_own_line(kit):
    lib, index, scenarios = kit
    for item in drill_items(lib, scenarios, lang="zh")[::25]:
        q = make_question(item, lib, index, "zh", random.Random(3))
        assert [c.rule for c in q.situations].count(item.rule) == 1
        assert q.situations[q.situation_answer].rule == item.rule
        assert q.situations[q.situation_answer].label == lib.rules[item.rule].title.zh
        say = {s.zh for s in lib.rules[item.rule].response.say}
        assert q.responses[q.response_answer].label in say
        for i, c in enumerate(q.responses):
            assert c.label in {s.zh for s in lib.rules[c.rule].response.say}
            assert (c.rule == item.rule) == (i == q.response_answer)
        # Lines come from the wrong situations offered, or (when all of theirs are also right) other entries.
        assert len(q.responses) >= 2


def test_same_seed_same_question(kit):
    lib, index, scenarios = kit
    item = drill_items(lib, scenarios, lang="en")[10]
    a = make_question(item, lib, index, "en", random.Random(9))
    assert a == make_question(item, lib, index, "en", random.Random(9))


def test_scoring(kit):
    lib, index, scenarios = kit
    item = next(i for i in drill_items(lib, scenarios, lang="en") if i.rule == "complaint.delivery")
    q = make_question(item, lib, index, "en", random.Random(1))
    wrong_s = (q.situation_answer + 1) % len(q.situations)
    wrong_r = (q.response_answer + 1) % len(q.responses)
    both = DrillResult(q, q.situation_answer, q.response_answer)
    assert (both.score, both.right) == (MAX_POINTS, True)
    named = DrillResult(q, q.situation_answer, wrong_r)
    assert (named.score, named.right, named.situation_right, named.response_right) == (1, False, True, False)
    line = DrillResult(q, wrong_s, q.response_answer)
    assert (line.score, line.right) == (1, False)
    assert DrillResult(q, wrong_s, wrong_r).score == 0
    rec = record(named, lib, run="r", seq=0, at="2025-03-01T09:00:00Z")
    assert rec["score"] == 1 and rec["max_score"] == 2 and rec["kind"] == "drill"
    assert rec["area"] == "complaint.delivery" and rec["item"] == item.key
    assert rec["detail"]["expected"] == rec["detail"]["chosen"] == "complaint.delivery"
    assert rec["detail"]["line_chosen"] == q.responses[wrong_r].label
    assert COMPLAINT_HANDLING in rec["principles"]
    assert rec["principles"] == areas_for(lib.rules["complaint.delivery"])


def test_areas_for_a_principle_include_itself(kit):
    lib, _, _ = kit
    areas = areas_for(lib.rules["principle.record"])
    assert areas[0] == "principle.record" and COMPLAINT_HANDLING not in areas
    assert areas_for(lib.rules["tactic.nibble"]) == list(lib.rules["tactic.nibble"].response.principles)


def test_feedback_shows_the_playbook_entry(kit):
    lib, _, _ = kit
    rule = lib.rules["tactic.nibble"]
    lines = entry_lines(rule, "zh")
    assert rule.title.zh in lines[0] and rule.id not in "\n".join(lines)  # a title, never an id
    assert lines[1] == rule.summary.zh
    assert f"  1. {rule.response.steps[0].zh}" in lines
    assert f"  - {rule.response.say[0].zh}" in lines


def test_a_sitting_brings_a_wrong_item_back(kit):
    lib, index, scenarios = kit
    items = drill_items(lib, scenarios, lang="en")
    run = DrillRun(lib, index, items, {}, lang="en", count=5, seed=4, now=NOW)
    assert run.total == 5
    first = run.next()
    result, requeued = run.answer(first, (first.situation_answer + 1) % 4, first.response_answer)
    assert requeued and not result.right and run.total == 6
    seen = [run.next() for _ in range(3)]
    again = run.next()
    assert again.item == first.item and again.again and all(not s.again for s in seen)
    with pytest.raises(ValueError):
        run.answer(again, 4, 0)
    _, requeued = run.answer(again, (again.situation_answer + 1) % 4, again.response_answer)
    assert not requeued  # back once only


def test_a_sitting_follows_the_schedule(kit):
    lib, index, scenarios = kit
    from coach.training.schedule import replay

    items = drill_items(lib, scenarios, lang="en")
    states = replay(
        [(items[7].key, False, "2025-03-01T08:00:00Z"), (items[8].key, True, "2025-03-01T08:00:00Z")]
    )
    run = DrillRun(lib, index, items, states, lang="en", count=4, seed=1, now=NOW)
    keys = [run.next().item.key for _ in range(4)]
    assert keys[0] == items[7].key and items[8].key not in keys
