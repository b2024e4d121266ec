"""The concession review: figures over rows, and the same figures as text (English, Chinese) and JSON."""

from __future__ import annotations

import json

from coach.review.concessions import (
    DEFAULT_ADVICE,
    Advice,
    amount,
    render_text,
    review,
    to_json,
)
from coach.store.concessions import Concession

_DEFAULTS = dict(
    uid="u",
    recorded_at="2025-01-01T00:00:00Z",
    when="2025-03-01",
    account="Carrefour",
    meeting="annual",
    type="price",
    give="discount",
    value=None,
    unit=None,
    get=None,
    get_value=None,
    get_unit=None,
    asked_by=None,
    tactic=None,
    stage="bargaining",
    status="agreed",
    practice=False,
    supersedes=None,
    note=None,
    superseded_by=None,
)


def row(id: int, **fields) -> Concession:
    data = {**_DEFAULTS, "uid": f"u{id}", **fields}
    return Concession(id=id, **data)


NIBBLE = Advice(
    "tactic.nibble",
    {"en": "The nibble", "zh": "得寸进尺"},
    {"en": ["Say the deal is closed."], "zh": ["说明已经谈定。"]},
)


def test_totals_per_unit_and_share_with_return():
    rows = [
        row(1, value=2, unit="percent"),
        row(2, value=1.5, unit="percent", get="2 end-caps", get_value=2, get_unit="units"),
        row(3, value=20000, unit="CNY", get="new SKUs listed"),
        row(4, value=15, unit="days"),
        row(5, give="a promoter"),  # no value
    ]
    rv = review(rows)
    assert rv.given == {"percent": 3.5, "CNY": 20000, "days": 15}
    assert rv.received == {"units": 2}
    assert rv.given_without_value == 1
    assert (rv.with_return, rv.entries) == (2, 5)
    assert rv.share_with_return == 0.4
    assert [r.id for r in rv.nothing_in_return] == [1, 4, 5]


def test_withdrawn_entries_are_counted_apart_and_not_in_totals():
    rv = review([row(1, value=2, unit="percent"), row(2, value=9, unit="percent", status="withdrawn")])
    assert rv.entries == 1 and rv.withdrawn == 1
    assert rv.given == {"percent": 2}


def test_nothing_in_return_carries_the_advice_passed_in_or_the_builtin_one():
    own = Advice(
        "principle.trade-concessions", {"en": "Use concessions well"}, {"en": ["Trade, don't give."]}
    )
    assert review([row(1)], own).advice is own
    assert review([row(1)]).advice is DEFAULT_ADVICE
    text = render_text(review([row(1)], own))
    assert "Trade, don't give." in text and "Principle 7" in text


def test_concessions_under_a_tactic_are_grouped_with_its_counter():
    rows = [
        row(1, tactic="tactic.nibble", value=1, unit="percent"),
        row(2, tactic="tactic.deadline-pressure", value=5000, unit="CNY"),
        row(3, tactic="tactic.nibble", value=200, unit="units"),
    ]
    rv = review(rows, counters={"tactic.nibble": NIBBLE})
    assert [g.tactic for g in rv.tactics] == ["tactic.nibble", "tactic.deadline-pressure"]
    nibble = rv.tactics[0]
    assert [r.id for r in nibble.entries] == [1, 3]
    assert nibble.given == {"percent": 1, "units": 200}
    assert nibble.counter is NIBBLE
    assert rv.tactics[1].counter is None
    text = render_text(rv)
    assert "The nibble [tactic.nibble] — 2 concessions: 1% · 200 units" in text
    assert "Say the deal is closed." in text
    assert "no playbook loaded for this tactic" in text


def test_sizes_that_grow_are_flagged_per_meeting_and_unit():
    rows = [
        row(1, when="2025-03-01", value=2, unit="percent"),
        row(2, when="2025-03-02", value=1, unit="percent"),
        row(3, when="2025-03-03", value=1.5, unit="percent"),  # grew
        row(4, when="2025-03-01", value=30, unit="days"),
        row(5, when="2025-03-04", value=15, unit="days"),  # shrinking: fine
        row(6, when="2025-03-05", meeting="other", value=5, unit="percent"),  # alone in its meeting
        row(
            7, when="2025-03-06", account="carrefour", meeting="ANNUAL", value=0.5, unit="percent"
        ),  # same, by case
    ]
    rv = review(rows)
    by_unit = {s.unit: s for s in rv.sequences}
    assert set(by_unit) == {"percent", "days"}
    assert [r.id for r in by_unit["percent"].entries] == [1, 2, 3, 7]
    assert by_unit["percent"].growth == [(2, 3)]
    assert by_unit["days"].growth == []
    assert rv.sequences[0].unit == "percent"  # growing ones first
    text = render_text(rv)
    assert "⚠ Carrefour / annual: 2% → 1% → 1.5% → 0.5%" in text
    assert "grew instead of shrinking: #2 → #3" in text
    assert "✓ Carrefour / annual: 30 days → 15 days" in text


def test_sequence_order_is_by_time_not_by_id():
    rows = [
        row(1, when="2025-03-05", value=1, unit="percent"),
        row(2, when="2025-03-01", value=3, unit="percent"),
    ]
    seq = review(rows).sequences[0]
    assert [r.id for r in seq.entries] == [2, 1]
    assert seq.growth == []


def test_after_the_deal_entries_are_the_nibbles_with_the_nibble_counter():
    rows = [row(1), row(2, stage="after-deal", give="free delivery to 2 stores")]
    rv = review(rows, counters={"tactic.nibble": NIBBLE})
    assert [r.id for r in rv.after_deal] == [2]
    assert rv.after_deal_counter is NIBBLE
    assert "After the deal (nibbles) (1):" in render_text(rv)


def test_json_has_the_same_figures():
    rows = [
        row(1, value=2, unit="percent", tactic="tactic.nibble", stage="after-deal"),
        row(2, value=3, unit="percent", when="2025-03-02", get="end-cap", get_value=1, get_unit="units"),
    ]
    data = to_json(review(rows, counters={"tactic.nibble": NIBBLE}), "zh", {"account": "Carrefour"})
    json.dumps(data)  # serialisable
    assert data["scope"] == {"account": "Carrefour"}
    assert data["given"] == {"percent": 5} and data["received"] == {"units": 1}
    assert data["share_with_return"] == 0.5
    assert data["nothing_in_return"]["ids"] == [1]
    assert data["nothing_in_return"]["advice"]["lines"] == list(DEFAULT_ADVICE.lines["zh"])
    assert data["tactics"] == [
        {
            "tactic": "tactic.nibble",
            "count": 1,
            "given": {"percent": 2},
            "ids": [1],
            "counter": {"rule": "tactic.nibble", "title": "得寸进尺", "lines": ["说明已经谈定。"]},
        }
    ]
    assert data["sequences"][0]["grows"] is True
    assert data["sequences"][0]["growth"] == [{"from": 1, "to": 2}]
    assert data["sequences"][0]["values"] == [2, 3]
    assert data["after_deal"]["ids"] == [1]


def test_chinese_text():
    rows = [row(1, value=2, unit="percent"), row(2, value=15, unit="days", get="堆头")]
    text = render_text(review(rows), "zh", "家乐福")
    assert text.startswith("让步回顾 — 家乐福")
    assert "给出：15天 · 2%" in text
    assert "有回报的让步：2 项中 1 项（50%）" in text
    assert "没有换回任何东西（1 项）" in text
    assert "原则7 — 善于利用让步" in text


def test_empty_log_says_how_to_start():
    assert "coach log add" in render_text(review([]))
    assert review([]).share_with_return is None


def test_user_text_is_kept_literally():
    text = render_text(review([row(1, give="[bold]50% off[/bold] <b>x</b>", account="[red]A")]))
    assert "[bold]50% off[/bold] <b>x</b>" in text and "[red]A" in text


def test_amount_formatting():
    assert amount(5000, "CNY") == "CNY 5,000"
    assert amount(2.5, "percent") == "2.5%"
    assert amount(30, "days") == "30 days"
    assert amount(30, "days", "zh") == "30天"
    assert amount(1, "days") == "1 day" and amount(1, "units") == "1 unit"
    assert amount(1234.5, "units") == "1,234.5 units"
    assert amount(None, "CNY") == ""


def test_returns_without_amounts_are_not_shown_as_nothing():
    described = render_text(review([row(1, value=20000, unit="CNY", get="second end-cap in July")]))
    assert "Received: no amounts recorded (1 described only)" in described
    assert "Received: nothing" in render_text(review([row(1, value=2, unit="percent")]))
    assert "换回：没有填数值（1 项只有描述）" in render_text(review([row(1, get="多两个排面")]), "zh")
