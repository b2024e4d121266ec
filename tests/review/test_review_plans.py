"""Plan checks (every kind), suggestions from history, the give-get order, guidance from rules."""

from __future__ import annotations

from pathlib import Path

from coach.content.loader import load_library, situation_ids
from coach.content.plans import load_yaml_file, validate
from coach.review.plans import (
    Pending,
    check,
    check_entry,
    guidance,
    match_tradeable,
    render_text,
    suggest_tactics,
    suggested_order,
    suggestion_lines,
    to_json,
)
from coach.store.concessions import Concession

DATA = Path(__file__).parent.parent / "data"
TACTICS = [i for i in situation_ids() if i.startswith("tactic.")]
_DEFAULTS = dict(
    uid="u",
    recorded_at="2025-01-01T00:00:00Z",
    when="2025-03-04",
    account="Carrefour",
    meeting="annual 2025",
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
    return Concession(id=id, **{**_DEFAULTS, "uid": f"u{id}", "when": f"2025-03-04T10:{id:02d}:00", **fields})


def plan():
    return load_yaml_file(DATA / "plan_sample.yaml")


def kinds(pc):
    return [(f.kind, f.entry.id) for f in pc.findings]


def test_a_meeting_that_kept_to_the_plan_is_ok():
    pc = check(
        plan(),
        [
            row(1, type="promotion", give="promoter days", value=2, unit="units", get="four facings"),
            row(2, type="price", give="growth rebate", value=1, unit="percent", get="+8% volume in writing"),
            row(3, type="display", give="summer POS", get="end-cap in July"),
        ],
        plan_id=4,
        version=2,
    )
    assert pc.ok and pc.findings == [] and pc.checked == 3
    assert pc.matched == {1: 0, 2: 1, 3: 2}
    text = render_text(pc)
    assert text.startswith("Plan check — meeting plan 4, version 2: Carrefour / annual 2025")
    assert "✓ Every concession kept to the plan." in text


def test_not_in_the_plans_tradeables():
    pc = check(
        plan(), [row(1, type="listing-fee", give="listing fee", value=20000, unit="CNY", get="6 SKUs")]
    )
    assert kinds(pc) == [("not-in-plan", 1)]
    assert "✗ Not among the plan's tradeables (1):" in render_text(pc)


def test_over_the_planned_limit_reports_each_entry_past_it():
    pc = check(
        plan(),
        [
            row(1, type="promotion", give="promoter days", value=1, unit="units", get="facings"),
            row(2, type="promotion", give="promoter day", value=1, unit="units", get="facings"),
            row(3, type="promotion", give="one more", value=1, unit="units", get="facings"),
            row(4, type="promotion", give="and another", value=0.5, unit="units", get="facings"),
        ],
    )
    assert kinds(pc) == [("over-limit", 3), ("over-limit", 4)]
    first = pc.findings[0]
    assert (first.total, first.limit.value, first.item) == (3, 2, "Two promoter days per store")
    assert "→ Two promoter days per store: 3 units in total, limit 2 units" in render_text(pc)


def test_given_without_the_planned_return():
    pc = check(plan(), [row(1, type="display", give="POS for summer")])
    assert kinds(pc) == [("no-return", 1)]
    assert pc.findings[0].ask == "An end-cap in July"
    assert "→ planned return: An end-cap in July" in render_text(pc)
    assert "计划换回：An end-cap in July" in render_text(pc, "zh")


def test_past_the_walk_away_point_counts_every_entry_of_the_type():
    pc = check(
        plan(),
        [
            row(1, type="price", give="growth rebate", value=1, unit="percent", get="volume"),
            row(2, type="price", give="promo discount", value=1.5, unit="percent", get="flyer"),
            row(
                3,
                type="price",
                give="extra rebate",
                value=1,
                unit="percent",
                get="nothing much",
                tactic="tactic.nibble",
            ),
        ],
    )
    assert kinds(pc) == [("over-limit", 2), ("over-limit", 3), ("past-walk-away", 3)]
    walk = pc.by_kind("past-walk-away")[0]
    assert (walk.type, walk.total, walk.limit.value) == ("price", 3.5, 3)
    assert "→ price/discount 3.5% in total, walk-away 3%" in render_text(pc)
    assert "价格/折扣累计 3.5%，底线 3%" in render_text(pc, "zh")


def test_payment_terms_walk_away_without_a_tradeable():
    pc = check(plan(), [row(1, type="payment-terms", give="terms", value=75, unit="days", get="volume")])
    assert kinds(pc) == [("not-in-plan", 1), ("past-walk-away", 1)]


def test_different_units_are_reported_not_guessed():
    pc = check(
        plan(),
        [
            row(1, type="promotion", give="promoter budget", value=5000, unit="CNY", get="facings"),
            row(2, type="price", give="rebate", value=30000, unit="CNY", get="volume"),
        ],
    )
    assert kinds(pc) == [("limit-unit", 1), ("limit-unit", 2), ("limit-unit", 2)]
    assert pc.ok  # nothing was proven broken
    text = render_text(pc)
    assert "? Limit not checked, the units differ (3):" in text
    assert "the limit is 2 units, this entry is in CNY" in text


def test_withdrawn_and_other_accounts_are_left_out():
    pc = check(
        plan(),
        [
            row(1, type="listing-fee", give="fee", status="withdrawn"),
            row(2, type="listing-fee", give="fee", account="Walmart"),
            row(3, type="display", give="POS", get="end-cap", account=" carrefour"),
        ],
    )
    assert pc.findings == [] and pc.checked == 1 and pc.other_accounts == 1
    assert "1 of other accounts with the same meeting name left out" in render_text(pc)


def test_time_order_decides_which_entry_crosses_the_limit():
    late_first = [
        row(2, type="promotion", give="b", value=1.5, unit="units", get="x", when="2025-03-05"),
        row(1, type="promotion", give="a", value=1.5, unit="units", get="x", when="2025-03-04"),
    ]
    assert kinds(check(plan(), late_first)) == [("over-limit", 2)]


def test_several_items_of_one_type_are_told_apart_by_text_and_unit():
    p = validate(
        {
            **plan().body(),
            "tradeables": [
                {
                    "item": "Promoter days in store",
                    "type": "promotion",
                    "cost": "low",
                    "value": "high",
                    "ask": "facings",
                    "limit": {"value": 2, "unit": "units"},
                },
                {
                    "item": "Flyer funding",
                    "type": "promotion",
                    "cost": "medium",
                    "value": "high",
                    "ask": "DM page",
                    "limit": {"value": 10000, "unit": "CNY"},
                },
                {
                    "item": "Anniversary gift sets",
                    "type": "other",
                    "cost": "low",
                    "value": "medium",
                    "ask": "gondola end",
                },
            ],
        }
    )
    assert match_tradeable(p, row(1, type="promotion", give="flyer money", value=8000, unit="CNY")) == 1
    assert match_tradeable(p, row(2, type="promotion", give="two promoter days", value=2, unit="units")) == 0
    assert match_tradeable(p, row(3, type="other", give="gift sets for the anniversary")) == 2
    assert match_tradeable(p, row(4, type="other", give="free delivery to the new DC")) is None


def test_check_entry_warns_about_the_concession_being_entered():
    earlier = [row(1, type="price", give="growth rebate", value=1, unit="percent", get="volume")]
    fine = Pending(account="Carrefour", type="display", give="POS", get="end-cap")
    assert check_entry(plan(), earlier, fine) == []
    bad = Pending(account="Carrefour", type="price", give="extra rebate", value=2.5, unit="percent")
    assert [f.kind for f in check_entry(plan(), earlier, bad)] == [
        "over-limit",
        "no-return",
        "past-walk-away",
    ]


def test_json_shape():
    pc = check(plan(), [row(1, type="display", give="POS")], plan_id=1, version=3)
    out = to_json(pc)
    assert out["plan"] == 1 and out["version"] == 3 and out["ok"] is False and out["checked"] == 1
    assert out["findings"] == [
        {
            "kind": "no-return",
            "entry": 1,
            "tradeable": 2,
            "item": "POS material for the summer",
            "total": None,
            "limit": None,
            "unit": None,
            "ask": "An end-cap in July",
            "type": None,
        }
    ]
    assert out["matched"] == {"1": 2}


def test_empty_meeting_text():
    assert "No concessions logged for this meeting yet." in render_text(check(plan(), []))
    assert "这次会议还没有让步记录。" in render_text(check(plan(), []), "zh")


def test_suggested_tactics_weigh_real_history_over_practice():
    log = [
        row(1, tactic="tactic.nibble"),
        row(2, tactic="tactic.nibble"),
        row(3, tactic="tactic.nibble", status="withdrawn"),
        row(4, tactic="complaint.delivery"),
        row(5, tactic="tactic.deadline-pressure"),
    ]
    played = [
        "tactic.deadline-pressure",
        "tactic.good-cop-bad-cop",
        "tactic.good-cop-bad-cop",
        "tactic.good-cop-bad-cop",
        "difficult.emotional",
    ]
    found = suggest_tactics(log, played, TACTICS)
    assert [(s.tactic, s.in_log, s.in_roleplay) for s in found] == [
        ("tactic.nibble", 2, 0),
        ("tactic.good-cop-bad-cop", 0, 3),
        ("tactic.deadline-pressure", 1, 1),
    ]
    titles = {"tactic.nibble": {"en": "The nibble", "zh": "得寸进尺"}}
    assert suggestion_lines(found[:1], titles=titles) == ["The nibble (2× in the log)"]
    assert suggestion_lines(found[:1], "zh", titles) == ["得寸进尺（让步记录中 2 次）"]
    assert suggestion_lines(found[2:], "zh") == ["Deadline pressure（让步记录中 1 次，角色扮演中 1 次）"]
    assert [s.tactic for s in suggest_tactics(log, played, TACTICS, exclude=["tactic.nibble"])][
        0
    ] == "tactic.good-cop-bad-cop"


def test_cheap_to_give_valuable_to_them_first():
    def t(item, cost, value):
        return {"item": item, "type": "other", "cost": cost, "value": value, "ask": "x"}

    p = validate(
        {
            "account": "A",
            "meeting": "M",
            "tradeables": [
                t("costly", "high", "high"),
                t("waste", "high", "low"),
                t("ideal", "low", "high"),
                t("fair", "medium", "high"),
                t("cheap-ok", "low", "medium"),
                t("meh", "low", "low"),
            ],
        }
    )
    assert [x.item for x in suggested_order(p.tradeables)] == [
        "ideal",
        "cheap-ok",
        "fair",
        "meh",
        "costly",
        "waste",
    ]


def test_guidance_from_rules_and_fallback_names():
    lib = load_library([DATA / "mini"])
    notes = guidance(
        lib.rules,
        ["tactic.nibble", "tactic.delay-decision"],
        {"tactic.delay-decision": {"en": "Delaying the decision", "zh": "拖延决定"}},
    )
    assert notes["tactic.nibble"].title["zh"] == "得寸进尺"
    assert notes["tactic.nibble"].steps["en"] == ["Treat it as a new request."]
    assert notes["tactic.delay-decision"].title["en"] == "Delaying the decision"
    assert not notes["tactic.delay-decision"].steps
    nameless = guidance({}, ["principle.restate-value"])["principle.restate-value"]
    assert nameless.title == {"en": "Restate value", "zh": "Restate value"}  # never the id
