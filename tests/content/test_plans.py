"""Plan model: YAML round trip, located errors (a bad file per failure mode), line format, required parts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.content.plans import (
    MissingParts,
    Plan,
    PlanError,
    copy_for_meeting,
    form_from_plan,
    gaps,
    load_yaml_file,
    load_yaml_text,
    missing_parts,
    parse_items,
    plan_from_form,
    require_complete,
    to_yaml,
    validate,
)

DATA = Path(__file__).parent.parent / "data"
SAMPLE = DATA / "plan_sample.yaml"
BAD = DATA / "plans"


def sample() -> Plan:
    return load_yaml_file(SAMPLE)


def test_sample_loads_with_every_part():
    plan = sample()
    assert plan.account == "Carrefour" and plan.meeting == "annual 2025" and plan.date == "2025-03-04"
    assert [o.priority for o in plan.objectives] == ["must", "must", "nice"]
    assert plan.facts[0].source == "their scan data, last 13 weeks"
    assert plan.professionalism.checklist[0].done is True and plan.professionalism.checklist[1].done is False
    assert [s.stage for s in plan.alternatives.stages] == ["opening", "closing"]
    assert [(lim.type, lim.max.value, lim.max.unit) for lim in plan.alternatives.limits] == [
        ("price", 3, "percent"),
        ("payment-terms", 60, "days"),
    ]
    assert [t.type for t in plan.tradeables] == ["promotion", "price", "display"]
    assert plan.tradeables[2].limit is None
    assert [e.tactic for e in plan.expected_tactics] == ["tactic.nibble", "tactic.higher-authority"]
    assert missing_parts(plan) == [] and gaps(plan) == []


def test_yaml_export_import_round_trip():
    plan = sample()
    text = to_yaml(plan)
    assert text.startswith("# Meeting plan (coach)")
    assert "# 7. Concession plan (give-get)" in text
    again = load_yaml_text(text, "exported.yaml")
    assert again == plan
    assert to_yaml(again) == text  # stable: exporting the import gives the same file


def test_chinese_text_and_aliases_round_trip():
    plan = validate(
        {
            "account": "家乐福",
            "meeting": "2025 年度谈判",
            "date": "2025/03/04",
            "objectives": [{"text": "45 家门店全部上架 330ml 罐装", "priority": "必须"}],
            "alternatives": {
                "walk_away": "返利不超过 3%",
                "limits": [{"type": "返利", "max": {"value": 3, "unit": "%"}}],
            },
            "tradeables": [
                {"item": "每店两天促销员", "type": "促销", "cost": "低", "value": "高", "ask": "四个排面"}
            ],
            "expected_tactics": [{"tactic": "nibble", "note": "去年签完又要加促销员"}],
        }
    )
    assert plan.date == "2025-03-04" and plan.objectives[0].priority == "must"
    assert plan.alternatives.limits[0].type == "price" and plan.alternatives.limits[0].max.unit == "percent"
    assert plan.tradeables[0].type == "promotion" and plan.tradeables[0].cost == "low"
    text = to_yaml(plan)
    assert "家乐福" in text  # written as text, not \u escapes
    assert load_yaml_text(text, "zh.yaml") == plan


# (file, line, column, field path, words in the message)
BAD_FILES = [
    ("syntax.yaml", 5, 13, "", "invalid YAML"),
    ("unknown_field.yaml", 4, 3, "objectivs", "did you mean 'objectives'?"),
    ("missing_field.yaml", 7, 5, "tradeables[0].ask", "required field is missing"),
    ("wrong_type.yaml", 3, 13, "objectives", "valid list"),
    ("bad_level.yaml", 7, 38, "tradeables[0].cost", "unknown level 'cheapish'"),
    ("bad_type.yaml", 7, 23, "tradeables[0].type", "did you mean 'display'?"),
    ("bad_unit.yaml", 9, 29, "alternatives.limits[0].max.unit", "unknown unit 'kg'"),
    ("negative_limit.yaml", 12, 20, "tradeables[0].limit.value", "must be zero or more"),
    ("percent_over_100.yaml", 8, 26, "alternatives.limits[0].max", "300 percent is more than 100"),
    ("unknown_tactic.yaml", 9, 14, "expected_tactics[0].tactic", "did you mean 'tactic.nibble'?"),
    ("duplicate_tactic.yaml", 9, 3, "expected_tactics", "'tactic.nibble' appears twice"),
    ("duplicate_stage.yaml", 8, 5, "alternatives.stages", "stage 'closing' appears twice"),
    ("bad_date.yaml", 3, 7, "", "month must be in 1..12"),
    ("duplicate_key.yaml", 8, 1, "account", "duplicate key"),
    ("not_mapping.yaml", 1, 1, "", "expected a mapping"),
    ("python_tag.yaml", 1, 10, "", "could not determine a constructor"),
    ("empty_text.yaml", 4, 12, "objectives[0].text", "must not be empty"),
    ("missing_account.yaml", 1, 1, "account", "required field is missing"),
    ("missing_parts.yaml", 4, 3, "objectives", "at least one must-have objective; nothing was saved"),
]


def test_every_bad_file_has_a_case():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(name for name, *_ in BAD_FILES)


@pytest.mark.parametrize(("name", "line", "col", "path", "words"), BAD_FILES)
def test_bad_plan_files_are_located(name, line, col, path, words):
    shown = f"plans/{name}"
    with pytest.raises(PlanError) as info:
        load_yaml_file(BAD / name, shown)
    first = info.value.problems[0]
    prefix = f"{shown}:{line}:{col}: " + (f"{path}: " if path else "")
    assert first.startswith(prefix), first
    assert words in first
    assert "\n" not in info.value.one_line()


def test_missing_parts_are_all_named():
    with pytest.raises(PlanError) as info:
        load_yaml_file(BAD / "missing_parts.yaml", "m.yaml")
    text = "\n".join(info.value.problems)
    assert "objectives" in text and "alternatives.walk_away" in text and "tradeables" in text
    # Without the completeness check the same file is a valid (partial) plan.
    partial = load_yaml_file(BAD / "missing_parts.yaml", "m.yaml", complete=False)
    with pytest.raises(MissingParts) as missing:
        require_complete(partial)
    assert [p for p, _ in missing.value.parts] == ["objectives", "alternatives.walk_away", "tradeables"]
    assert "principle 5" in missing.value.one_line() and "plan not saved" in missing.value.one_line()


def test_line_format_parses_each_part_and_names_the_bad_line():
    items = parse_items(
        "tradeables",
        [
            "Two promoter days | promotion | low | high | four facings | 2 units",
            "",
            "Growth rebate | 返利 | high | high | +8% volume | 1%",
            "POS | display | l | m | an end-cap",
        ],
    )
    assert items[0]["limit"] == {"value": "2", "unit": "units"}
    assert items[1]["type"] == "返利" and "limit" not in items[2]
    with pytest.raises(PlanError) as info:
        parse_items("tradeables", ["ok | display | low | high | x", "bad | display | cheapish | high | x"])
    assert info.value.problems == [
        "tradeables line 2: cost: unknown level 'cheapish' (one of low, medium, high)"
    ]
    with pytest.raises(PlanError) as info:
        parse_items("facts", ["a | b | c"])
    assert "facts line 1: expected at most 2 parts" in info.value.problems[0]
    with pytest.raises(PlanError) as info:
        parse_items("limits", ["price 3%"], label="--limit")
    assert info.value.problems[0].startswith("--limit #1: expected TYPE: AMOUNT")
    with pytest.raises(PlanError) as info:
        parse_items("tradeables", ["a | display | low | high | x | lots"])
    assert "'lots' is not an amount" in info.value.problems[0]
    assert parse_items("checklist", ["[x] samples", "[ ] sheet", "agenda"]) == [
        {"item": "samples", "done": True},
        {"item": "sheet", "done": False},
        {"item": "agenda", "done": False},
    ]
    assert parse_items("objectives", ["nice: DM pages", "Volume: +10%"]) == [
        {"priority": "nice", "text": "DM pages"},
        {"priority": "must", "text": "Volume: +10%"},
    ]


def test_form_fields_round_trip():
    plan = sample()
    fields = form_from_plan(plan)
    assert (
        fields["tradeables"].splitlines()[0] == "Two promoter days per store | promotion | low | high | "
        "Four facings for the 330ml cans | 2 units"
    )
    assert fields["stage.closing"].startswith("Keep the current range")
    assert plan_from_form(fields) == plan


def test_control_characters_and_long_text_are_refused():
    with pytest.raises(PlanError) as info:
        validate({"account": "Carre\x1b[31mfour", "meeting": "m"})
    assert "account: contains a control character (U+001B)" in info.value.problems[0]
    with pytest.raises(PlanError) as info:
        validate({"account": "a", "meeting": "m", "value_delivered": ["x" * 501]})
    assert "value_delivered[0]: at most 500 characters (got 501)" in info.value.problems[0]


def test_copy_for_another_meeting_clears_ticks():
    plan = sample()
    copy = copy_for_meeting(plan, "mid-year review", "2025-07-01")
    assert copy.meeting == "mid-year review" and copy.date == "2025-07-01"
    assert all(not c.done for c in copy.professionalism.checklist)
    assert copy.tradeables == plan.tradeables and copy.account == plan.account


_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40).filter(
    lambda s: s.strip() and "|" not in s
)


@settings(max_examples=60, deadline=None)
@given(account=_text, items=st.lists(_text, min_size=1, max_size=4), ask=_text)
def test_any_text_survives_yaml_and_the_form(account, items, ask):
    plan = validate(
        {
            "account": account,
            "meeting": "m",
            "objectives": [{"text": i} for i in items],
            "alternatives": {"walk_away": ask},
            "tradeables": [
                {"item": i, "type": "other", "cost": "low", "value": "high", "ask": ask} for i in items
            ],
            "value_delivered": items,
        }
    )
    assert load_yaml_text(to_yaml(plan), "h.yaml") == plan
    assert plan_from_form(form_from_plan(plan)) == plan
