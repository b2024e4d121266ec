"""The role-play state machine: branches, variables, blockers, retry, scorecard, debrief; checks, autoplay."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.content.loader import load_default
from coach.content.scenarios import load_scenarios
from coach.engine.assess import surface
from coach.engine.moves import find_amounts, items_in
from coach.roleplay import engine
from coach.roleplay.checks import autoplay, autoplay_problems, rehearse, reply_pool
from coach.roleplay.engine import Kit, RoleplayError, debrief, principle_ids, reply, retry, start
from coach.roleplay.record import debrief_dict, exchange_dict

DATA = Path(__file__).parent.parent / "data"

# Replies whose behaviours are unambiguous (each is one of the behaviours' own examples or close to it).
GIVE = "Fine, we'll give you the extra 2%."
TRADE = "If you give us the second end-cap in July, we can add half a point to the rebate."
ARGUE = "That's not true, your own team signed for the delivery."
SORRY = "I'm really sorry about the late delivery on Tuesday."
FOLLOW = "I'll send you the corrected invoice by Friday noon."
NOTHING = "Hello."


@pytest.fixture(scope="module")
def kit():
    lib = load_default(situations=True, replies=True)
    assert not lib.problems, lib.problems[:3]
    return Kit.build(lib)


@pytest.fixture(scope="module")
def scenarios():
    found = load_scenarios([DATA / "scenarios-ok"])
    assert not found.problems
    return found


@pytest.fixture
def sc(scenarios):
    return scenarios.scenarios["engine-test"]


def found(step):
    return step.exchange.found()


def test_detector_sees_the_test_replies(kit):
    from coach.engine.assess import assess

    for text, bid in (
        (GIVE, "reply.unconditional-concession"),
        (TRADE, "reply.conditional-concession"),
        (ARGUE, "reply.argues"),
        (SORRY, "reply.apologizes"),
        (FOLLOW, "reply.commits-follow-up"),
    ):
        assert bid in [d.id for d in assess(kit.index, text).behaviours], text
    assert assess(kit.index, NOTHING).behaviours == []


def test_start_sets_variables_and_a_zero_scorecard(sc, kit):
    state = start(sc, kit)
    assert state.node == "ask" and dict(state.variables) == {"patience": 2, "given": 0}
    assert list(state.scores) == principle_ids() and set(state.scores.values()) == {0}
    assert not state.finished and state.outcome is None
    assert state.line().en == "One more small thing?" and state.speaker().name.en == "Ms Buyer"


def test_first_branch_that_holds_wins_and_updates_variables(sc, kit):
    step = reply(start(sc, kit), GIVE)
    assert step.exchange.branch == 1 and step.exchange.goto == "more"
    assert [(c.var, c.before, c.after) for c in step.changes] == [("given", 0, 1)]
    assert step.state.variables["given"] == 1 and step.next_turn is sc.turns["more"]
    fb = step.feedback[0]
    assert fb.id == "reply.unconditional-concession" and not fb.good
    assert fb.principles == ("principle.trade-concessions",)
    assert fb.better and fb.better[0] == kit.say_lines("tactic.nibble")[0]  # the turn's playbook line first
    assert step.state.scores["principle.trade-concessions"] == -1


def test_default_branch_and_variable_test_before_updates(sc, kit):
    state = start(sc, kit)
    step = reply(state, NOTHING)
    assert (
        step.exchange.branch is None and step.exchange.goto == "ask" and step.state.variables["patience"] == 1
    )
    step = reply(step.state, NOTHING)
    assert step.state.node == "ask" and step.state.variables["patience"] == 0
    step = reply(step.state, TRADE)  # patience < 1 is tested first, before the trade branch
    assert step.exchange.branch == 0 and step.state.node == "no-deal" and step.state.outcome == "fail"


def test_any_lacks_set_and_second_speaker(sc, kit):
    step = reply(start(sc, kit), SORRY)
    assert step.exchange.branch == 3 and step.state.node == "boss"
    assert step.exchange.note.en == "The boss comes in."
    assert [(c.var, c.before, c.after) for c in step.changes] == [("mood", None, 1)]
    assert step.state.speaker().name.en == "Mr Boss"
    step = reply(step.state, FOLLOW)
    assert step.state.node == "deal" and step.state.outcome == "success"
    assert step.ending.line.en == "Deal."
    # the same apology together with an argument is excluded by `lacks`
    step = reply(start(sc, kit), f"{SORRY} {ARGUE}")
    assert "reply.argues" in found(step) and step.state.node == "ask"


def test_a_blocker_fails_the_attempt_at_a_good_ending(sc, kit):
    step = reply(start(sc, kit), ARGUE)
    assert step.feedback[0].blocker.en == "Arguing fails this test."
    assert step.state.blocked == (("reply.argues", "ask"),)
    step = reply(step.state, TRADE)
    assert step.state.node == "deal" and step.state.ending.outcome == "success"
    assert step.state.outcome == "fail"
    d = debrief(step.state)
    assert d.outcome == "fail" and d.blocked[0][:2] == ("reply.argues", "ask")


def test_retry_restores_the_state_and_keeps_the_taken_back_reply(sc, kit):
    first = start(sc, kit)
    bad = reply(first, ARGUE).state
    again = retry(bad)
    assert again.node == "ask" and again.blocked == () and dict(again.variables) == dict(first.variables)
    assert again.exchanges == () and [e.reply for e in again.retried] == [ARGUE]
    assert set(again.scores.values()) == {0}
    good = reply(again, TRADE).state
    assert good.outcome == "success" and [e.reply for e in good.retried] == [ARGUE]
    assert retry(good).node == "ask"  # the last turn can be retried even after an ending
    with pytest.raises(RoleplayError):
        retry(first)


def test_replies_after_the_end_or_empty_are_refused(sc, kit):
    state = start(sc, kit)
    with pytest.raises(RoleplayError, match="empty reply"):
        reply(state, "   ")
    done = reply(state, TRADE).state
    with pytest.raises(RoleplayError, match="over"):
        reply(done, TRADE)


def test_states_are_not_changed_by_moves(sc, kit):
    state = start(sc, kit)
    reply(state, GIVE)
    assert state.node == "ask" and state.variables["given"] == 0 and state.exchanges == ()
    with pytest.raises(TypeError):
        state.variables["given"] = 5  # type: ignore[index]


def test_debrief_has_transcript_scores_and_best_lines(sc, kit):
    state = reply(reply(start(sc, kit), SORRY).state, FOLLOW).state
    d = debrief(state)
    assert d.ending_id == "deal" and d.outcome == "success"
    assert [e.turn for e in d.exchanges] == ["ask", "boss"]
    assert d.scores["principle.professionalism"] == 2 and d.scores["principle.record"] == 1
    assert [b.situation for b in d.best_lines] == ["tactic.nibble", "tactic.good-cop-bad-cop"]
    assert all(b.lines for b in d.best_lines)
    data = debrief_dict(d, kit)
    assert data["outcome"] == "success" and data["debrief"] == {"en": "Traded.", "zh": "交换成功。"}
    assert [r["id"] for r in data["scorecard"]] == principle_ids()
    ex = exchange_dict(d.exchanges[1], kit)
    assert ex["speaker"]["en"] == "Mr Boss" and ex["behaviours"][0]["id"] == "reply.commits-follow-up"


def test_reply_text_is_kept_literally_without_escapes_and_capped(sc, kit):
    hostile = "[bold red]no[/] \x1b[31mred\x1b[0m\x07 \x1b]0;title\x07\n" + "x" * 10_000
    step = reply(start(sc, kit), hostile)
    assert step.exchange.reply.startswith("[bold red]no[/] red x")
    assert "\x1b" not in step.exchange.reply and "\x07" not in step.exchange.reply
    assert len(step.exchange.reply) == engine.MAX_REPLY


# ----------------------------------------------------------------------------------- rehearsals, autoplay


def test_rehearsal_that_expects_the_wrong_turn_is_reported(kit):
    found = load_scenarios([DATA / "scenarios-bad" / "rehearsal_fails.yaml"])
    sc = found.scenarios["mini"]
    problems = rehearse(sc, kit, found.documents["mini"])
    assert len(problems) == 1
    assert (
        "rehearsals[0].steps[0].goto: expects a deal: at 'ask' the reply leads to 'no-deal', not 'deal'"
        in problems[0]
    )


def test_autoplay_is_seeded_and_reaches_every_node_of_a_good_scenario(sc, kit):
    one = autoplay(sc, kit, 150, seed=7)
    two = autoplay(sc, kit, 150, seed=7)
    assert one.reached == two.reached and one.outcomes == two.outcomes and one.replies == two.replies
    assert one.never_reached(sc) == [] and one.unfinished == 0
    assert sum(one.outcomes.values()) == 150
    assert (
        autoplay(sc, kit, 150, seed=8).replies != one.replies
        or autoplay(sc, kit, 150, seed=9).replies != one.replies
    )


def test_autoplay_reports_runs_that_never_end(kit):
    found = load_scenarios([DATA / "scenarios-bad" / "autoplay_never_ends.yaml"])
    sc = found.scenarios["mini"]
    report = autoplay(sc, kit, 5, cap=20)
    assert report.unfinished == 5 and report.replies == 100 and report.stuck_at["ask"] == 5
    problems = autoplay_problems(sc, report, found.documents["mini"], cap=20)
    assert any(
        "5 of 5 autoplay runs never ended within 20 replies (stopped at ask (5))" in p for p in problems
    )
    assert any("endings.deal: never reached in 5 autoplay runs" in p for p in problems)


def test_autoplay_reports_turns_never_reached(kit):
    found = load_scenarios([DATA / "scenarios-bad" / "autoplay_unreached.yaml"])
    sc = found.scenarios["mini"]
    report = autoplay(sc, kit, 50)
    problems = autoplay_problems(sc, report, found.documents["mini"])
    assert report.unfinished == 0
    assert [p.split(": ", 2)[1:] for p in problems] == [["turns.rare", "never reached in 50 autoplay runs"]]


def test_reply_pool_is_the_behaviours_examples(kit):
    pool = reply_pool(kit)
    assert GIVE in pool and len(pool) == sum(
        len(b.examples) + len(b.counter_examples) for b in kit.library.behaviours.values()
    )


def test_the_kit_remembers_what_each_text_names(kit):
    """The amounts and trade items a text names are read once per kit, the same as read afresh."""
    kit = Kit(kit.library, kit.index)
    for text in (TRADE, ARGUE, SORRY, FOLLOW, NOTHING, "返利加0.5个点，换7月第二个端架", TRADE):
        assert kit.named(text) == {a.value for a in find_amounts(surface(text))}
        assert kit.about(text) == set(items_in(surface(text).lower()))
    assert (
        set(kit.amounts)
        == set(kit.items)
        == {TRADE, ARGUE, SORRY, FOLLOW, NOTHING, "返利加0.5个点，换7月第二个端架"}
    )
