"""What is wrong on one page of the meeting-plan wizard, every problem at once, in the user's words:
"Tradeables, line 2: cost to us: unknown level 'x'", not "tradeables line 2: cost: ..." or a raw pydantic
message. No Textual here: the wizard calls ``field_problems`` for each field of the page it leaves."""

from __future__ import annotations

import re
from collections.abc import Mapping

from coach.tui.i18n import add_strings, tr

SINGLE_LINE = frozenset(
    {"account", "meeting", "date", "walk_away", "stage.opening", "stage.bargaining", "stage.closing"}
    | {"stage.after-deal"}
)
"""Fields typed on one line (the others take one item per line)."""

NAMES = {
    "en": {
        "account": "Account",
        "meeting": "Meeting",
        "date": "Date",
        "objectives": "Objectives",
        "value_delivered": "Value to restate",
        "facts": "Facts",
        "agenda": "Agenda",
        "ours": "Our team",
        "theirs": "Their team",
        "materials": "Materials to bring",
        "checklist": "Checklist",
        "walk_away": "Walk-away point",
        "limits": "Walk-away totals",
        "stage.opening": "Best alternative at the opening",
        "stage.bargaining": "Best alternative while bargaining",
        "stage.closing": "Best alternative at the close",
        "stage.after-deal": "Best alternative after the deal",
        "issues": "Issues",
        "tradeables": "Tradeables",
        "record": "To record",
        "expected_tactics": "Expected tactics",
    },
    "zh": {
        "account": "客户",
        "meeting": "会议",
        "date": "日期",
        "objectives": "目标",
        "value_delivered": "要重申的价值",
        "facts": "事实",
        "agenda": "议程",
        "ours": "我方人员",
        "theirs": "对方人员",
        "materials": "要带的资料",
        "checklist": "准备清单",
        "walk_away": "底线",
        "limits": "各类让步的累计底线",
        "stage.opening": "开场时的最佳选择",
        "stage.bargaining": "讨价还价时的最佳选择",
        "stage.closing": "收尾时的最佳选择",
        "stage.after-deal": "成交后的最佳选择",
        "issues": "议题",
        "tradeables": "可让步的项目",
        "record": "会后要记录的",
        "expected_tactics": "预计的手段",
    },
}
"""Each field as the wizard's label names it, without the "(one per line)" hints."""

PARTS = {
    "en": {
        "priority": "priority",
        "text": "text",
        "figure": "figure",
        "source": "source",
        "name": "name",
        "role": "role",
        "item": "item",
        "done": "tick",
        "type": "concession type",
        "max": "amount",
        "issue": "issue",
        "ours": "our position",
        "theirs": "their position",
        "cost": "cost to us",
        "value": "value to them",
        "ask": "what we ask back",
        "limit": "limit",
        "limit.value": "limit",
        "limit.unit": "limit's unit",
        "tactic": "tactic",
        "note": "note",
    },
    "zh": {
        "priority": "优先级",
        "text": "内容",
        "figure": "数据",
        "source": "来源",
        "name": "姓名",
        "role": "角色",
        "item": "项目",
        "done": "勾选",
        "type": "让步类型",
        "max": "金额",
        "issue": "议题",
        "ours": "我方立场",
        "theirs": "对方立场",
        "cost": "我方成本",
        "value": "对方价值",
        "ask": "要换回的",
        "limit": "上限",
        "limit.value": "上限",
        "limit.unit": "上限的单位",
        "tactic": "手段",
        "note": "备注",
    },
}
"""The cells of a line (``tradeables``: item | type | cost | value | ask | limit) in the user's words."""

_MISSING = ("Input should be a valid string", "required field is missing", "Field required")

add_strings(
    {
        "en": {
            "plan.problem": "{field}: {problem}",
            "plan.problem.line": "{field}, line {n}: {problem}",
            "plan.problem.missing": "missing (separate the cells with |)",
            "plan.problems": "Fix this before going on:",
            "plan.problem.part": "{part}: {problem}",
        },
        "zh": {
            "plan.problem": "{field}：{problem}",
            "plan.problem.line": "{field}第{n}行：{problem}",
            "plan.problem.missing": "缺少这一项（各项之间用 | 隔开）",
            "plan.problems": "请先改正：",
            "plan.problem.part": "{part}：{problem}",
        },
    }
)

_HEAD = re.compile(r"^([a-z_]+(?:\.[a-z_]+)?|[a-z_]+\[\d+\]\.[a-z_]+): (.*)$", re.S)


_GUESS = re.compile(r"\((did you mean '[^']*'\?)[^)]*\)")


def _split(message: str, lang: str) -> tuple[str | None, str]:
    """(the cell in the user's words or None, the problem) of a content-layer message; pydantic's wording
    for a missing cell becomes one sentence, and a list of choices after a "did you mean" is dropped."""
    head = _HEAD.match(message)
    part, rest = (head.group(1), head.group(2)) if head else (None, message)
    if rest.strip() in _MISSING or rest.startswith(_MISSING):
        rest = tr(lang, "plan.problem.missing")
    rest = _GUESS.sub(r"(\1)", rest)
    if part is None:
        return None, rest
    return PARTS[lang].get(part) or PARTS[lang].get(part.split(".")[0]), rest


def _words(messages: list[str], lang: str) -> list[str]:
    """Messages about one line or field, cells with the same problem named together."""
    grouped: dict[str, list[str]] = {}
    for message in messages:
        part, rest = _split(message, lang)
        names = grouped.setdefault(rest, [])
        if part and part not in names:
            names.append(part)
    sep = "、" if lang == "zh" else ", "
    return [
        tr(lang, "plan.problem.part", part=sep.join(names), problem=rest) if names else rest
        for rest, names in grouped.items()
    ]


def field_problems(field: str, fields: Mapping[str, str], lang: str) -> list[str]:
    """Every problem in one wizard field (empty list when it is fine; an empty field is fine here, required
    parts are named when saving)."""
    from coach.content.plans import PlanError, parse_items, plan_from_form

    text = fields.get(field) or ""
    if not text.strip():
        return []
    name = NAMES[lang].get(field, field)
    if field in SINGLE_LINE:
        try:
            plan_from_form({"account": "x", "meeting": "x", field: text})
        except PlanError as exc:
            found = [p.removeprefix("plan: ") for p in exc.problems]
            # "alternatives.walk_away: msg" / "alternatives.stages[0].alternative: msg" -> "msg"
            found = [p.split(": ", 1)[1] if ": " in p else p for p in found]
            return [tr(lang, "plan.problem", field=name, problem=p) for p in _words(found, lang)]
        return []
    out = []
    number = 0
    for raw in text.splitlines():
        if not raw.strip():
            continue
        number += 1
        try:
            parse_items(field, [raw])
        except PlanError as exc:
            # "tradeables line 1: cost: ..." -> "cost: ..."; the line is named in the user's words below
            found = [p.split(": ", 1)[1] if ": " in p else p for p in exc.problems]
            for problem in _words(found, lang):
                out.append(tr(lang, "plan.problem.line", field=name, n=number, problem=problem))
    return out


def step_problems(step_fields: tuple[str, ...], fields: Mapping[str, str], lang: str) -> list[str]:
    """Every problem on one page of the wizard, in field order."""
    return [p for field in step_fields for p in field_problems(field, fields, lang)]
