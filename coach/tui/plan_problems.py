"""What is wrong on one page of the meeting-plan wizard, every problem at once, in the user's words:
"Tradeables, line 2: cost to us: unknown level 'x'", not "tradeables line 2: cost: ..." or a raw pydantic
message. No Textual here: the wizard calls ``field_problems`` for each field of the page it leaves."""

from __future__ import annotations

import re
from collections.abc import Mapping

from coach.content.plans import PlanError, parse_items, plan_from_form
from coach.i18n import CATALOGUES, tr

SINGLE_LINE = frozenset(
    {"account", "meeting", "date", "walk_away", "stage.opening", "stage.bargaining", "stage.closing"}
    | {"stage.after-deal"}
)
"""Fields typed on one line (the others take one item per line)."""

_MISSING = ("Input should be a valid string", "required field is missing", "Field required")

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
    for key in (f"plan.cell.{part}", f"plan.cell.{part.split('.')[0]}"):
        if key in CATALOGUES["en"]:
            return tr(lang, key), rest
    return None, rest


def _words(messages: list[str], lang: str) -> list[str]:
    """Messages about one line or field, cells with the same problem named together."""
    grouped: dict[str, list[str]] = {}
    for message in messages:
        part, rest = _split(message, lang)
        names = grouped.setdefault(rest, [])
        if part and part not in names:
            names.append(part)
    sep = tr(lang, "list.sep")
    return [
        tr(lang, "plan.problem.part", part=sep.join(names), problem=rest) if names else rest
        for rest, names in grouped.items()
    ]


def field_problems(field: str, fields: Mapping[str, str], lang: str) -> list[str]:
    """Every problem in one wizard field (empty list when it is fine; an empty field is fine here, required
    parts are named when saving)."""

    text = fields.get(field) or ""
    if not text.strip():
        return []
    name = tr(lang, f"plan.name.{field}") if f"plan.name.{field}" in CATALOGUES["en"] else field
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
