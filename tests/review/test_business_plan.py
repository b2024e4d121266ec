"""Annual customer business plan (issue 13, part B): the plan checks, the status rule, the chart, YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.content import business_plans as bp
from coach.i18n import tr
from coach.review import business_plan as rv

SAMPLE = Path(__file__).parents[1] / "data" / "acbp" / "jinhai-2027.yaml"


def plan(**parts):
    data = {"account": "Jinhai Mart", "year": 2027, **parts}
    return bp.validate(data)


def good_objective(**over):
    data = {
        "text": "Grow our sales to CNY 14m",
        "measure": "sell-in CNY 14m",
        "actions": [
            {"what": "agree end-caps", "owner": "Li Wei", "due": "2027-01-31"},
            {"what": "list cans in new stores", "owner": "Li Wei", "due": "2027-04-30"},
        ],
    }
    data.update(over)
    return data


def codes(p, kind=None):
    return [f.code for f in rv.check(p) if kind is None or f.kind == kind]


# ------------------------------------------------------------------------------------------------ checks


def test_the_sample_plan_has_no_problems():
    sample = bp.load_yaml_file(SAMPLE)
    assert rv.problems(rv.check(sample)) == []


def test_objective_without_a_measure_fires_and_names_it():
    p = plan(objectives=[good_objective(measure=None)])
    found = [f for f in rv.check(p) if f.code == "objective-no-measure"]
    assert len(found) == 1
    assert "Grow our sales to CNY 14m" in found[0].en and "Grow our sales to CNY 14m" in found[0].zh
    assert "objective-no-measure" not in codes(plan(objectives=[good_objective()]))


@pytest.mark.parametrize("n, fires", [(0, True), (1, True), (2, False), (3, False)])
def test_objective_with_fewer_than_two_actions(n, fires):
    actions = [{"what": f"step {i}", "owner": "Li", "due": "2027-02-01"} for i in range(n)]
    assert ("objective-few-actions" in codes(plan(objectives=[good_objective(actions=actions)]))) is fires


def test_action_without_owner_or_date():
    actions = [{"what": "agree end-caps", "due": "2027-01-31"}, {"what": "flyer", "owner": "Wang"}]
    found = {f.code: f for f in rv.check(plan(objectives=[good_objective(actions=actions)]))}
    assert "agree end-caps" in found["action-no-owner"].en
    assert "flyer" in found["action-no-date"].en and "flyer" in found["action-no-date"].zh
    assert {"action-no-owner", "action-no-date"}.isdisjoint(codes(plan(objectives=[good_objective()])))


@pytest.mark.parametrize(
    "sides, fires",
    [(["ours"], True), (["ours", "ours"], True), (["theirs"], True), (["ours", "theirs"], False)],
)
def test_investment_all_on_one_side(sides, fires):
    items = [{"side": s, "what": f"item {i}"} for i, s in enumerate(sides)]
    assert ("investment-one-sided" in codes(plan(investment=items))) is fires


def test_no_investment_is_named_as_missing_not_a_problem():
    found = codes(plan())
    assert "investment" in codes(plan(), "missing") and "investment-one-sided" not in found


@pytest.mark.parametrize(
    "kpi, code",
    [
        ({"name": "oos", "target": 3, "source": "audits"}, "kpi-no-baseline"),
        ({"name": "oos", "baseline": 6, "target": 3}, "kpi-no-source"),
        ({"name": "oos", "baseline": 6, "source": "audits"}, "kpi-no-target"),
    ],
)
def test_kpi_without_baseline_source_or_target(kpi, code):
    assert code in codes(plan(scorecard=[kpi]))
    full = {"name": "oos", "baseline": 6, "target": 3, "source": "audits"}
    assert [c for c in codes(plan(scorecard=[full])) if c.startswith("kpi-no-") and c != "kpi-no-owner"] == []


def test_missing_steps_are_named_and_do_not_fail():
    found = rv.check(plan())
    assert {f.code for f in found} >= {"situation-results", "situation-swot", "objectives", "scorecard"}
    assert rv.problems(found) == []


def test_messages_carry_the_users_words_in_both_languages_and_no_ids():
    p = plan(objectives=[good_objective(measure=None, actions=[])], investment=[{"what": "display fund"}])
    for f in rv.check(p):
        assert "#" not in f.en and "#" not in f.zh
        assert f.en != f.zh
    zh = rv.render_checks(rv.check(p), "zh")
    assert "衡量标准" in zh and "Grow our sales to CNY 14m" in zh


# ------------------------------------------------------------------------------------------ status rule


@pytest.mark.parametrize(
    "actual, expected",
    [
        (100, "on-track"),
        (95, "on-track"),
        (94.99, "at-risk"),
        (85, "at-risk"),
        (84.99, "off-track"),
        (0, "off-track"),
    ],
)
def test_status_rule_boundaries_higher_is_better(actual, expected):
    assert rv.judge("higher", actual, 100)[1] == expected


@pytest.mark.parametrize(
    "actual, expected",
    [
        (2, "on-track"),
        (3, "on-track"),
        (3.15, "on-track"),
        (3.16, "at-risk"),
        (3.45, "at-risk"),
        (3.46, "off-track"),
    ],
)
def test_status_rule_is_inverted_for_lower_is_better(actual, expected):
    assert rv.judge("lower", actual, 3)[1] == expected


def test_a_low_figure_is_good_only_when_lower_is_better():
    assert rv.judge("lower", 2.0, 3)[1] == "on-track"
    assert rv.judge("higher", 2.0, 3)[1] == "off-track"
    assert rv.judge("lower", 4.0, 3)[1] == "off-track"
    assert rv.judge("higher", 4.0, 3)[1] == "on-track"


def test_status_without_a_usable_target():
    assert rv.judge("higher", 5, None)[1] == "no-target"
    assert rv.judge("higher", 5, 0)[1] == "no-target"
    assert rv.judge("lower", 0, 0)[1] == "on-track" and rv.judge("lower", 1, 0)[1] == "off-track"


def _reviews(*items):
    return [
        bp.validate_review({"period": p, "actuals": [{"kpi": k, "actual": v} for k, v in a]})
        for p, a in items
    ]


def test_totals_are_judged_on_the_year_to_date_against_the_pro_rated_target():
    p = bp.load_yaml_file(SAMPLE)
    reviews = _reviews(
        ("2027-Q1", [("sales vs target", 3_500_000)]),
        ("2027-Q2", [("Sales VS target", 3_000_000)]),
        ("2027", [("sales vs target", 14_000_000)]),
    )
    got = {s.period: s for s in rv.statuses(p, reviews)}
    assert got["2027-Q1"].target == 3_500_000 and got["2027-Q1"].status == "on-track"
    assert got["2027-Q2"].compared == 6_500_000 and got["2027-Q2"].target == 7_000_000
    assert got["2027-Q2"].status == "at-risk" and got["2027-Q2"].quarters == 2  # 92.9%
    assert got["2027"].target == 14_000_000 and got["2027"].status == "on-track"


def test_levels_are_compared_with_the_target_as_it_is():
    p = bp.load_yaml_file(SAMPLE)
    got = rv.statuses(p, _reviews(("2027-Q3", [("out-of-stock rate", 3.4)])))
    assert got[0].target == 3 and got[0].status == "at-risk"


def test_reviews_of_another_year_are_not_judged_against_this_plan():
    p = bp.load_yaml_file(SAMPLE)
    assert rv.statuses(p, _reviews(("2026-Q4", [("out-of-stock rate", 9)]))) == []


def test_the_rule_is_shown_with_the_statuses():
    p = bp.load_yaml_file(SAMPLE)
    reviews = _reviews(("2027-Q1", [("out-of-stock rate", 4.1)]))
    for lang, word in (("en", "95%"), ("zh", "95%")):
        text = rv.render_reviews(p, reviews, lang)
        assert word in text and tr(lang, "acbp.off-track") in text
        assert "105%" in rv.chart(p, reviews, lang)


# ------------------------------------------------------------------------------------------------ chart


def test_chart_fits_80_columns_in_both_languages():
    p = bp.load_yaml_file(SAMPLE)
    long_name = bp.validate_kpi(
        {"name": "促销陈列执行率（全部四十五家门店，含社区店与大卖场）" * 2, "target": 90}
    )
    p = bp.replace_kpi(p, long_name)
    reviews = _reviews(
        *[
            (
                f"2027-Q{q}",
                [("sales vs target", 3_000_000 * q), ("out-of-stock rate", 2 + q), (long_name.name, 80 + q)],
            )
            for q in range(1, 5)
        ],
        ("2027", [("sales vs target", 99_000_000_000)]),
    )
    for lang in ("en", "zh"):
        text = rv.chart(p, reviews, lang)
        assert max(rv.width(line) for line in text.splitlines()) <= 80, text
        assert "Q4" in text and "█" in text and "░" in text


def test_chart_without_reviews_says_how_to_add_one():
    p = bp.load_yaml_file(SAMPLE)
    assert "review add" in rv.chart(p, [], "en")


# ------------------------------------------------------------------------------------- concession totals


class Row:
    def __init__(self, value, unit, status="agreed", get=None, get_value=None, get_unit=None):
        self.id, self.when, self.account, self.meeting = 1, "2027-02-01", "Jinhai Mart", None
        self.value, self.unit, self.status, self.stage, self.tactic = value, unit, status, "bargaining", None
        self.get, self.get_value, self.get_unit = get, get_value, get_unit


def test_concession_totals_appear_next_to_the_investment():
    rows = [
        Row(75000, "CNY", get="end-caps", get_value=2, get_unit="units"),
        Row(1, "percent"),
        Row(9, "percent", "withdrawn"),
    ]
    totals = rv.log_totals(rows)
    assert totals.given == {"CNY": 75000, "percent": 1} and totals.entries == 2 and totals.with_return == 1
    p = bp.load_yaml_file(SAMPLE)
    for lang, part in (("en", "CNY 75,000"), ("zh", "CNY 75,000")):
        text = rv.render_plan(p, [], totals, lang)
        section = text.split(tr(lang, "acbp.investment"))[1].split(tr(lang, "acbp.scorecard"))[0]
        assert part in section and "CNY 300,000" in section


# ------------------------------------------------------------------------------------------------- YAML


def test_yaml_round_trip_keeps_the_plan():
    p = bp.load_yaml_file(SAMPLE)
    assert bp.load_yaml_text(bp.to_yaml(p), "again.yaml") == p


@pytest.mark.parametrize(
    "text, where",
    [
        ("account: X\nyear: 2027\nobjectives:\n  - text: a\n    sidee: ours\n", "f.yaml:5:"),
        ("account: X\nyear: 3000\n", "f.yaml:2:"),
        ("account: X\nyear: 2027\nscorecard:\n  - name: a\n    direction: sideways\n", "f.yaml:5:"),
        ("account: X\nyear: 2027\ninvestment:\n  - what: fund\n    value: -5\n", "f.yaml:5:"),
    ],
)
def test_bad_yaml_is_located(text, where):
    with pytest.raises(bp.BusinessPlanError) as err:
        bp.load_yaml_text(text, "f.yaml")
    assert err.value.problems[0].startswith(where), err.value.problems


def test_periods():
    assert (
        bp.parse_period("Q2 2027")
        == "2027-Q2"
        == bp.parse_period("2027年第二季度")
        == bp.parse_period("2027q2")
    )
    assert bp.parse_period("2027") == "2027"
    with pytest.raises(ValueError):
        bp.parse_period("2027-Q5")


def test_starting_set_brings_unit_and_direction():
    k = bp.kpi_from_starter("out-of-stock", baseline=6)
    assert (k.name, k.unit, k.direction, k.baseline) == ("out-of-stock rate", "percent", "lower", 6)
    assert bp.kpi_from_starter("缺货率", "zh").name == "缺货率"
    assert bp.kpi_from_starter("shelf price index").direction == "higher"
    assert {s.direction for s in bp.STARTERS} == {"higher", "lower"} and len(bp.STARTERS) == 10


# ------------------------------------------------------------------------------------- the next year


def test_carry_over_starts_next_year_where_this_one_ended():
    p = bp.load_yaml_file(SAMPLE)
    reviews = _reviews(
        *[
            (f"2027-Q{q}", [("sales vs target", 3_600_000), ("out-of-stock rate", 5 - q)])
            for q in range(1, 5)
        ],
    )
    nxt = rv.carry_over(p, reviews, 2028)
    assert nxt.year == 2028 and [o.text for o in nxt.objectives] == [o.text for o in p.objectives]
    assert nxt.kpi("sales vs target").baseline == 14_400_000  # four quarters added up
    assert nxt.kpi("out-of-stock rate").baseline == 1  # a level: where the last quarter ended
    assert nxt.kpi("payment days").baseline == 75  # never reviewed: the old baseline stays
    assert all(k.target is None for k in nxt.scorecard)
    assert all(a.due is None and not a.done for o in nxt.objectives for a in o.actions)
    assert "kpi-no-target" in codes(nxt) and "action-no-date" in codes(nxt)


def test_each_step_renders_with_its_heading_and_the_review_step_has_the_chart():
    p = bp.load_yaml_file(SAMPLE)
    reviews = _reviews(("2027-Q1", [("out-of-stock rate", 4.1)]))
    for lang in ("en", "zh"):
        for step in rv.STEPS:
            text = rv.render_step(p, step, reviews, None, lang)
            assert text.splitlines()[0] in (tr(lang, "acbp." + step), tr(lang, "acbp.chart", year=2027))
        assert "█" in rv.render_step(p, "review", reviews, None, lang)
    assert [f.code for f in rv.step_findings(p, "objectives")] == ["objective-no-strategy"]
