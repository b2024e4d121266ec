"""The meeting-plan wizard's text fields as a plan and back: one field per single-line value, one text box
per list part (one item per line)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coach.content.plans.lines import item_line, parse_items
from coach.content.plans.model import Plan, validate
from coach.domain.concessions import STAGES


def plan_from_form(fields: Mapping[str, str]) -> Plan:
    """A plan from the wizard's text fields (one item per line in the list fields); errors name the field."""

    def lines(key: str) -> list[str]:
        return (fields.get(key) or "").splitlines()

    data: dict[str, Any] = {
        "account": fields.get("account", ""),
        "meeting": fields.get("meeting", ""),
        "date": fields.get("date") or None,
        "objectives": parse_items("objectives", lines("objectives")),
        "value_delivered": parse_items("value_delivered", lines("value_delivered")),
        "facts": parse_items("facts", lines("facts")),
        "professionalism": {
            key: parse_items(key, lines(key))
            for key in ("agenda", "ours", "theirs", "materials", "checklist")
        },
        "alternatives": {
            "stages": [
                {"stage": stage, "alternative": " ".join(fields[f"stage.{stage}"].split())}
                for stage in _stages()
                if (fields.get(f"stage.{stage}") or "").strip()
            ],
            "walk_away": (fields.get("walk_away") or "").strip() or None,
            "limits": parse_items("limits", lines("limits")),
        },
        "issues": parse_items("issues", lines("issues")),
        "tradeables": parse_items("tradeables", lines("tradeables")),
        "record": parse_items("record", lines("record")),
        "expected_tactics": parse_items("expected_tactics", lines("expected_tactics")),
    }
    return validate(data, "plan")


def _stages() -> tuple[str, ...]:
    return STAGES


def form_from_plan(plan: Plan) -> dict[str, str]:
    """The wizard's text fields for a plan (``plan_from_form`` reads them back to an equal plan)."""
    p, a = plan.professionalism, plan.alternatives
    fields = {
        "account": plan.account,
        "meeting": plan.meeting,
        "date": plan.date or "",
        "walk_away": a.walk_away or "",
    }
    for part, items in (
        ("objectives", plan.objectives),
        ("value_delivered", plan.value_delivered),
        ("facts", plan.facts),
        ("agenda", p.agenda),
        ("ours", p.ours),
        ("theirs", p.theirs),
        ("materials", p.materials),
        ("checklist", p.checklist),
        ("limits", a.limits),
        ("issues", plan.issues),
        ("tradeables", plan.tradeables),
        ("record", plan.record),
        ("expected_tactics", plan.expected_tactics),
    ):
        fields[part] = "\n".join(item_line(part, i) for i in items)
    by_stage = {s.stage: s.alternative for s in a.stages}
    for stage in _stages():
        fields[f"stage.{stage}"] = by_stage.get(stage, "")
    return fields
