"""Role-play that reacts to what was said (issue 10, item 3). For every shipped scenario, four scripted
paths: going over the limit, a disguised give-away, blame, and the strong path. On each, the feedback, the
outcome and the debrief must agree: a concession past the limit is never praised and fails the attempt; a fail
is never followed by an ending's praise; the debrief tells what was given, the limits passed and the turning
point."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.content.loader import load_default as load_library
from coach.content.scenarios import load_default
from coach.roleplay import engine
from coach.roleplay.record import debrief_dict, exchange_dict, live_record
from coach.roleplay.render import debrief_text, feedback_lines

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = load_default().scenarios
KIT = engine.Kit.build(load_library([], situations=True, replies=True))

# Replies after the first one: a written follow-up, then replies that show nothing, until an ending.
FILL = ["I'll send you the written confirmation by Friday noon."] * 3 + ["Hello."] * 10

# Per scenario: a reply past the scenario's limit, a disguised give-away, blame (all at the first turn).
PATHS = {
    "anniversary-flyer": (
        "If you put us on the front page, we can give you 5%.",
        "Yes of course, the floor stacks are included, and we'll do the tastings.",
        "That's your problem, not ours. Your demand is ridiculous.",
    ),
    "billing-dispute": (
        "行，86400我们认了。",
        "好吧，那86400就先扣着。",
        "你们自己系统算错了，关我们什么事。",
    ),
    "delayed-decision": (
        "If you decide this week, we can give you an extra 3% off.",
        "好的好的，我回去跟领导申请一下，应该没问题。",
        "That's your head office's fault, not ours. You always waste our time.",
    ),
    "first-offer-rejected": (
        "If you sign today, we can go to 14,000 per SKU on the listing fee.",
        "行，进场费我们交。",
        "That's your problem. You didn't even read the proposal, that's ridiculous.",
    ),
    "good-cop-bad-cop": (
        "If you keep all 24 SKUs, we can give you a 6% rebate.",
        "好的好的，我回去跟领导申请一下，应该没问题。",
        "That's not true, you're just trying to squeeze us. It's your fault the range is slow.",
    ),
    "impossible-demand": (
        "If you sign today, we can cut the list price by 5%.",
        "好的好的，我回去跟领导申请一下，应该没问题。",
        "That's ridiculous, your demands are a joke.",
    ),
    "late-deliveries": (
        "We'll pay you 20,000 yuan compensation today.",
        "好的好的，我回去跟领导申请一下赔偿，应该没问题。",
        "你们自己仓库收货慢，关我们什么事。",
    ),
    "nibble-after-close": (
        "OK, if you order more in May, we can give you 90 days payment for the new stores.",
        "Sure, the opening stock is included, we'll take care of it.",
        "That's your problem, not ours. You signed the contract.",
    ),
    "time-pressed": (
        "If you give us a trial, we can give you 5% off.",
        "好的好的，我回去跟领导申请一下，应该没问题。",
        "You're always too busy, that's your problem, not ours.",
    ),
    "walk-out": (
        "OK, if you sit down we can do 15,000 per SKU.",
        "Yes of course, the listing fee is fine, and we'll do the launch display too.",
        "你们要价太离谱了，这是你们自己的问题。",
    ),
}
KINDS = ("over", "giveaway", "blame", "strong")
CASES = [(sid, kind) for sid in sorted(SHIPPED) for kind in KINDS]
GIVES = {"reply.unconditional-concession", "reply.over-limit"}


def _lang(texts: list[str]) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for t in texts for ch in t) else "en"


def play(sid: str, kind: str) -> tuple[engine.State, list[dict], str]:
    """Play one path to an ending; the state, the exchange dicts and the language."""
    sc = SHIPPED[sid]
    if kind == "strong":
        replies = [s.say for s in sc.rehearsals[0].steps]
        assert sc.rehearsals[0].outcome == "success"
    else:
        replies = [PATHS[sid][KINDS.index(kind)], *FILL]
    lang = _lang(replies[:1])
    state = engine.start(sc, KIT, lang)
    transcript = []
    for text in replies:
        if state.finished:
            break
        step = engine.reply(state, text)
        state = step.state
        transcript.append({**exchange_dict(step.exchange, KIT), "retried": False})
    assert state.finished, f"{sid} {kind}: no ending after {len(replies)} replies"
    return state, transcript, lang


def test_every_shipped_scenario_has_its_four_paths():
    assert set(PATHS) == set(SHIPPED)
    for sid, sc in SHIPPED.items():
        assert sc.limits_check and sc.over_limit == "blocker", sid


@pytest.mark.parametrize(("sid", "kind"), CASES, ids=[f"{s}:{k}" for s, k in CASES])
def test_feedback_outcome_and_debrief_agree(sid, kind):
    sc = SHIPPED[sid]
    state, transcript, lang = play(sid, kind)
    first = transcript[0]
    found = {b["id"] for b in first["behaviours"]}
    d = debrief_dict(engine.debrief(state), KIT)
    text = debrief_text(live_record(state, KIT, transcript, lang=lang), lang)
    feedback = "\n".join(line for ex in transcript for line in feedback_lines(ex, lang))
    lesson = d["debrief"][lang] if d["debrief"] else ""
    ending = sc.endings[state.node]

    # Common to every path: a trade past a limit is never praised, and the lesson never contradicts.
    for ex in transcript:
        ids = {b["id"] for b in ex["behaviours"]}
        if "reply.over-limit" in ids:
            assert not any(b["good"] and b["id"].endswith("concession") for b in ex["behaviours"])
            assert ex["passed"]  # the limits passed, with the running total
            turn = sc.turns[ex["turn"]]
            taken = turn.branches[ex["branch"]] if ex["branch"] is not None else None
            # the author's note is shown only when it was written for a reply past the limit
            assert ex["note"] is None or (taken and "reply.over-limit" in {*taken.when.has, *taken.when.any})
            assert sum(v for p, v in ex["scores"].items() if p == "principle.trade-concessions") < 0
    if state.outcome == ending.outcome:
        assert lesson == getattr(ending.debrief, lang)
    else:  # a blocker failed it: the ending's own lesson (maybe praise) is not shown
        assert state.outcome == "fail" and lesson != getattr(ending.debrief, lang)
        assert getattr(ending.title, lang) in lesson
    if state.outcome == "fail":
        for e in sc.endings.values():
            if e.outcome == "success":
                assert getattr(e.debrief, lang) not in text
    account = "\n".join(t[lang] for t in d["account"])
    assert ("转折点" if lang == "zh" else "The turning point") in account

    if kind == "over":
        assert "reply.over-limit" in found, (sid, found)
        assert state.outcome == "fail" and d["passed"]
        assert any(b["behaviour"] == "reply.over-limit" for b in d["blocked"])
        for p in d["passed"]:
            assert p["text"][lang] in account  # the limit passed, with its figures
        assert ("超出的底线" if lang == "zh" else "Limits passed") in account
        assert d["turning_point"] == 0 and first["reply"] in account
    elif kind == "giveaway":
        assert found & GIVES, (sid, found)
        assert state.outcome != "success"
        assert not any(b["good"] and b["id"].endswith("concession") for b in first["behaviours"])
        assert ("让出的东西" if lang == "zh" else "What you gave") in account
        assert ("做任何让步" if lang == "zh" else "You gave nothing away") not in account
        if found & {b.behaviour for b in sc.blockers} or "reply.over-limit" in found:
            assert state.outcome == "fail" and d["turning_point"] == 0
    elif kind == "blame":
        assert "reply.argues" in found, (sid, found)
        assert state.outcome != "success"
        assert not any(b["good"] for b in first["behaviours"])
        assert ("✗" in feedback) and (d["turning_point"] == 0)
    else:
        assert state.outcome == "success" and not d["blocked"] and not d["passed"]
        assert lesson == getattr(ending.debrief, lang)
        assert ("做到了的原则" if lang == "zh" else "Principles you showed") in account
        assert ("超出的底线" if lang == "zh" else "Limits passed") not in account
        assert not any(b["id"] == "reply.over-limit" for ex in transcript for b in ex["behaviours"])


def test_the_buyer_quotes_what_the_trainee_offered():
    """ "…for 15,000 each?" after an offer of 15,000, never the scenario's fixed "six thousand"."""
    sc = SHIPPED["walk-out"]
    state = engine.start(sc, KIT, "en")
    state = engine.reply(
        state, "If you give us a launch display, the listing fee can go to 7,000 per SKU."
    ).state
    assert state.node == "sit-down"
    assert "for 7,000 each?" in state.line().en and "six thousand" not in state.line().en
    assert "凭什么7000一个单品" in state.line().zh
    fresh = engine.reply(engine.start(sc, KIT, "en"), "I understand. What would you need to see?").state
    assert fresh.node == "sit-down" and "six thousand each?" in fresh.line().en  # nothing offered yet
    # the line as the trainee saw it is the one kept in the transcript
    step = engine.reply(state, "I'll send you the confirmation today.")
    assert "7,000" in step.exchange.line.en


def test_the_limit_is_checked_on_the_running_total():
    sc = SHIPPED["anniversary-flyer"]
    state = engine.start(sc, KIT, "en")
    one = engine.reply(state, "If you give us the front page, we can add 1.5% off invoice.")
    assert "reply.over-limit" not in one.exchange.found() and not one.state.blocked
    two = engine.reply(one.state, "And if you add the floor stacks, we can add another 1% on top.")
    assert "reply.over-limit" in two.exchange.found()
    assert two.exchange.passed and two.exchange.passed[0].total == pytest.approx(2.5)
    assert "reply.conditional-concession" in two.exchange.withheld  # the trade is not praised


def test_a_yes_to_the_buyer_repeating_the_offer_is_not_a_second_concession():
    sc = SHIPPED["first-offer-rejected"]
    steps = [s.say for s in sc.rehearsals[0].steps]
    state = engine.start(sc, KIT, "en")
    for text in steps:
        state = engine.reply(state, text).state
    assert state.outcome == "success" and not state.passed()
    assert sum(1 for g in state.given() if g.value == 10000) == 1


def test_better_lines_fit_the_buyer_and_the_language():
    sc = SHIPPED["late-deliveries"]
    state = engine.start(sc, KIT, "zh")
    step = engine.reply(state, "你们自己仓库收货慢，关我们什么事。")
    bad = [f for f in step.feedback if not f.good]
    assert bad and all(f.better for f in bad)
    for f in bad:
        for line in f.better:
            # nothing about facings or listing fees in a delivery complaint, no figure nobody mentioned
            assert "排面" not in line.zh and "进场费" not in line.zh and "facings" not in line.en


def test_over_limit_as_feedback_only(tmp_path):
    from coach.content.scenarios import load_scenarios

    text = (
        (ROOT / "scenarios" / "walk-out.yaml")
        .read_text(encoding="utf-8")
        .replace("id: walk-out", "id: walk-out-soft")
        .replace("limits_check: [", "over_limit: feedback\nlimits_check: [")
    )
    (tmp_path / "soft.yaml").write_text(text, encoding="utf-8")
    found = load_scenarios([tmp_path / "soft.yaml"])
    assert not found.problems, found.problems
    sc = found.scenarios["walk-out-soft"]
    step = engine.reply(engine.start(sc, KIT, "en"), "OK, if you sit down we can do 15,000 per SKU.")
    over = [f for f in step.feedback if f.id == "reply.over-limit"]
    assert over and over[0].blocker is None
    assert "reply.over-limit" not in {bid for bid, _ in step.state.blocked}


def test_bad_limits_and_placeholders_are_located(tmp_path):
    from coach.content.scenarios import load_scenarios

    text = (
        (ROOT / "scenarios" / "walk-out.yaml")
        .read_text(encoding="utf-8")
        .replace('limits_check: ["listing-fee: 8000 CNY"]', 'limits_check: ["listing-fee: eight"]')
        .replace("{offered.listing-fee|six thousand}", "{offered.listing-feee|six thousand}")
    )
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    problems = load_scenarios([tmp_path / "bad.yaml"]).problems
    assert any("limits_check[0]" in p and "listing-fee: eight" in p for p in problems), problems
    assert any("unknown item 'listing-feee'" in p and "did you mean 'listing-fee'" in p for p in problems)
