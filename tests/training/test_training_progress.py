"""Progress figures from stored rows (pure): scores per area, weakest first, by day, merged for a class."""

from __future__ import annotations

from training_helpers import answer, at

from coach.training.progress import (
    COMPLAINT_HANDLING,
    merge,
    mistake_label,
    progress,
    roleplay_summary,
    titles,
)
from coach.training.report import bar, pct, spark

TRADE = ("principle.trade-concessions",)


def _rp(day: int, behaviours: list[tuple[str, bool, str, list[str]]], outcome: str = "fail") -> dict:
    session = {
        "id": day,
        "scenario": {"id": "walk-out", "title": {"en": "Walk-out", "zh": "离场"}},
        "lang": "en",
        "status": "finished",
        "outcome": outcome,
        "started_at": at(day),
        "scorecard": [],
        "transcript": [
            {
                "situation": situation,
                "retried": False,
                "behaviours": [{"id": b, "good": good, "principles": [{"id": p} for p in ps]}],
            }
            for b, good, situation, ps in behaviours
        ],
    }
    return roleplay_summary(session, f"uuid-{day}")


def test_area_score_is_the_mean_of_its_shares_and_weakest_come_first():
    rows = [
        answer("drill:1", 2, when=at(1), principles=TRADE),
        answer("drill:2", 0, when=at(1, 1), seq=1, principles=TRADE),  # drill 2/4
        answer("quiz:1", 1, when=at(2), kind="quiz", area="principle.trade-concessions", principles=TRADE),
        answer(
            "quiz:2", 0, when=at(2, 1), kind="quiz", area="principle.plan", principles=("principle.plan",)
        ),
    ]
    rps = [_rp(3, [("reply.conditional-concession", True, "tactic.nibble", list(TRADE))])]
    p = progress(rows, rps, titles(None))
    trade = next(a for a in p.areas if a.id == TRADE[0])
    assert (trade.drill.share, trade.quiz.share, trade.roleplay) == (0.5, 1.0, 1.0)
    assert trade.score == (0.5 + 1.0 + 1.0) / 3
    assert [a.id for a in p.areas[:2]] == ["principle.plan", TRADE[0]]  # 0% before 83%
    assert all(a.score is None for a in p.areas[2:])
    assert trade.history["2025-03-01"].right == 2 and trade.history["2025-03-01"].total == 4
    assert trade.trend() == [0.5, 1.0, 1.0]  # drill day, quiz day, role-play day
    assert spark(trade.trend()) == "▅██"


def test_complaint_replies_count_for_complaint_handling():
    rps = [_rp(1, [("reply.argues", False, "complaint.delivery", ["principle.professionalism"])])]
    p = progress([], rps, titles(None))
    handling = next(a for a in p.areas if a.id == COMPLAINT_HANDLING)
    assert (handling.good, handling.bad) == (0, 1)
    assert p.mistakes == {("roleplay", "reply.argues", "complaint.delivery"): 1}
    assert mistake_label(("roleplay", "reply.argues", "complaint.delivery"), titles(None), "zh").endswith(
        "（送货投诉）"
    )


def test_class_figures_are_pooled():
    a = progress([answer("drill:1", 2, when=at(1), principles=TRADE)], [], titles(None))
    b = progress([answer("drill:1", 0, when=at(1), principles=TRADE)], [_rp(2, [])], titles(None))
    whole = merge([a, b], titles(None))
    trade = next(x for x in whole.areas if x.id == TRADE[0])
    assert (trade.drill.right, trade.drill.total) == (2, 4)
    assert trade.history["2025-03-01"].total == 4
    assert (whole.drill_questions, whole.drill_right, whole.roleplays) == (2, 1, 1)
    assert [(s.id, s.played, s.outcomes) for s in whole.scenarios] == [("walk-out", 1, {"fail": 1})]


def test_rendering_helpers():
    assert pct(0.625) == "63%" and pct(None) == "-" and pct(0.0) == "0%"
    assert bar(0.5, 4) == "██░░" and bar(None, 3) == "···"
    assert spark([0.0, 1.0]) == "▁█"
