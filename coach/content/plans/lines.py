"""The one-item-per-line format of a plan's list parts, shared by the command-line options and the wizard's
text boxes: ``must: TEXT``, ``ITEM | TYPE | COST | VALUE | ASK | LIMIT``, ``price: 3%``..."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from coach.content.plans.fields import Line
from coach.content.plans.model import (
    Amount,
    CheckItem,
    ExpectedTactic,
    Fact,
    Issue,
    Objective,
    Person,
    PlanError,
    PlanPart,
    StageAlternative,
    Tradeable,
    WalkAwayLimit,
    _error_lines,
)
from coach.content.yamlpos import format_path
from coach.domain.concessions import amount as _amount
from coach.engine.moves import Limit

if TYPE_CHECKING:
    from coach.engine.moves import Limit

# ------------------------------------------------------------------------------ one item per line format

LINE_FORMATS = {
    "objectives": "must: TEXT  or  nice: TEXT",
    "value_delivered": "TEXT",
    "facts": "FIGURE | SOURCE",
    "agenda": "TEXT",
    "ours": "NAME | ROLE",
    "theirs": "NAME | ROLE",
    "materials": "TEXT",
    "checklist": "[x] TEXT  or  [ ] TEXT",
    "limits": "TYPE: AMOUNT  (e.g. price: 3%)",
    "issues": "ISSUE | OUR POSITION | THEIR POSITION",
    "tradeables": "ITEM | TYPE | COST | VALUE | ASK IN RETURN | LIMIT",
    "record": "TEXT",
    "expected_tactics": "TACTIC | NOTE",
    "stages": "STAGE: ALTERNATIVE",
}
"""How each list part is written one item per line (command-line options and the wizard's text boxes)."""

_PREFIX = re.compile(r"^\s*([^:：|]{1,20})\s*[:：]\s*(.*)$", re.S)
_AMOUNT = re.compile(r"^\s*(?:([^\d\s.,-][^\d\s]*)\s*)?([-+]?\d[\d,]*(?:\.\d+)?)\s*([^\d\s].*)?$")


def _cells(line: str, n: int) -> list[str | None]:
    cells = [c.strip() for c in line.split("|")]
    if len(cells) > n:
        raise ValueError(f"expected at most {n} parts separated by |, found {len(cells)}")
    return [c or None for c in cells] + [None] * (n - len(cells))


def parse_amount(text: str) -> dict[str, Any]:
    """``3%``, ``60 days``, ``CNY 50000``, ``50,000 CNY`` -> ``{"value": ..., "unit": ...}``."""
    match = _AMOUNT.match(text.strip())
    if not match or (match.group(1) and match.group(3)):
        raise ValueError(f"{text.strip()[:40]!r} is not an amount (e.g. 3%, 60 days, CNY 50000)")
    unit = (match.group(1) or match.group(3) or "").strip()
    if not unit:
        raise ValueError(
            f"{text.strip()[:40]!r} needs a unit (percent, days, units or a currency such as CNY)"
        )
    return {"value": match.group(2), "unit": unit}  # "50,000" is read by the vocabulary's parse_number


def _item(part: str, line: str) -> Any:
    if part == "objectives":
        m = _PREFIX.match(line)
        if m and m.group(1).strip().casefold() in (
            "must",
            "nice",
            "must-have",
            "nice-to-have",
            "必须",
            "最好",
            "争取",
        ):
            return {"priority": m.group(1).strip(), "text": m.group(2)}
        return {"priority": "must", "text": line}
    if part == "facts":
        figure, source = _cells(line, 2)
        return {"figure": figure, "source": source}
    if part in ("ours", "theirs"):
        name, role = _cells(line, 2)
        return {"name": name, "role": role}
    if part == "checklist":
        m = re.match(r"^\s*\[([ xX✓✔])\]\s*(.*)$", line)
        if m:
            return {"item": m.group(2), "done": m.group(1) != " "}
        return {"item": line, "done": False}
    if part == "stages":
        m = _PREFIX.match(line)
        if not m:
            raise ValueError("expected STAGE: ALTERNATIVE, e.g. 'closing: keep the current range'")
        return {"stage": m.group(1), "alternative": m.group(2)}
    if part == "limits":
        m = _PREFIX.match(line)
        if not m:
            raise ValueError("expected TYPE: AMOUNT, e.g. 'price: 3%'")
        return {"type": m.group(1), "max": parse_amount(m.group(2))}
    if part == "issues":
        issue, ours, theirs = _cells(line, 3)
        return {"issue": issue, "ours": ours, "theirs": theirs}
    if part == "tradeables":
        item, type_, cost, value, ask, limit = _cells(line, 6)
        data: dict[str, Any] = {"item": item, "type": type_, "cost": cost, "value": value, "ask": ask}
        if limit:
            data["limit"] = parse_amount(limit)
        return {k: v for k, v in data.items() if v is not None}
    if part == "expected_tactics":
        tactic, note = _cells(line, 2)
        return {"tactic": tactic, "note": note}
    return line


_ITEM_MODELS: dict[str, Any] = {
    "objectives": Objective,
    "facts": Fact,
    "ours": Person,
    "theirs": Person,
    "checklist": CheckItem,
    "stages": StageAlternative,
    "limits": WalkAwayLimit,
    "issues": Issue,
    "tradeables": Tradeable,
    "expected_tactics": ExpectedTactic,
}


def parse_items(part: str, lines: Sequence[str], label: str | None = None) -> list[Any]:
    """Items of one list part from text lines (blank lines skipped); each line is checked on its own, and an
    error names the part, the line number and the field: ``tradeables line 2: cost: ...``."""

    label = label or part
    out = []
    number = 0
    for raw in lines:
        if not raw.strip():
            continue
        number += 1
        where = f"{label} #{number}" if label.startswith("--") else f"{label} line {number}"
        try:
            item = _item(part, raw.strip())
        except ValueError as exc:
            raise PlanError([f"{where}: {exc}"]) from None
        model = _ITEM_MODELS.get(part)
        try:
            if model is not None:
                model.model_validate(item)
            else:
                _LineModel.model_validate({"text": item})
        except ValidationError as exc:
            raise PlanError(
                _error_lines(
                    exc,
                    lambda loc, msg, w=where: (
                        f"{w}: {format_path(tuple(p for p in loc if p != 'text'))}: {msg}"
                        if [p for p in loc if p != "text"]
                        else f"{w}: {msg}"
                    ),
                )
            ) from None
        out.append(item)
    return out


class _LineModel(PlanPart):
    text: Line


def item_line(part: str, item: Any) -> str:
    """One item written in the one-per-line format (``parse_items`` reads it back)."""
    if part == "objectives":
        return f"{item.priority}: {item.text}"
    if part == "facts":
        return f"{item.figure} | {item.source}"
    if part in ("ours", "theirs"):
        return f"{item.name} | {item.role}" if item.role else item.name
    if part == "checklist":
        return f"[{'x' if item.done else ' '}] {item.item}"
    if part == "stages":
        return f"{item.stage}: {item.alternative}"
    if part == "limits":
        return f"{item.type}: {format_amount(item.max)}"
    if part == "issues":
        cells = [item.issue, item.ours or "", item.theirs or ""]
        return " | ".join(cells).rstrip(" |")
    if part == "tradeables":
        cells = [
            item.item,
            item.type,
            item.cost,
            item.value,
            item.ask,
            format_amount(item.limit) if item.limit else "",
        ]
        return " | ".join(cells).rstrip(" |")
    if part == "expected_tactics":
        return f"{item.tactic} | {item.note}" if item.note else item.tactic
    return str(item)


def format_amount(amount: Amount | None, lang: str = "en") -> str:
    """An amount as the log shows it: 3%, 60 days, CNY 50,000 (``parse_amount`` reads the English form)."""
    if amount is None:
        return ""
    return _amount(amount.value, amount.unit, lang)


def limits_from_text(values: Sequence[str]) -> tuple[Limit, ...]:
    """Limits written as in ``coach prep --limit`` ("price: 3%", "listing-fee: 8000 CNY", "rebate: 2%"), as
    the engine's limits; a ``PlanError`` names the first one that does not read."""

    out: list[Limit] = []
    for raw in values:
        try:
            lim = WalkAwayLimit.model_validate(parse_items("limits", [raw])[0])
        except PlanError as exc:
            detail = str(exc).split(": ", 1)[-1]
            raise PlanError([f"limit {raw.strip()[:60]!r}: {detail}"], _LIMIT_HINT) from None
        except (ValueError, ValidationError) as exc:
            detail = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            raise PlanError(
                [f"limit {raw.strip()[:60]!r}: {detail.removeprefix('Value error, ')}"], _LIMIT_HINT
            ) from None
        item = "rebate" if re.match(r"\s*(?:rebates?|返利|返点)\b", raw, re.IGNORECASE) else lim.type
        out.append(Limit(item, float(lim.max.value), lim.max.unit, raw.strip()))
    return tuple(out)


_LIMIT_HINT = "write ITEM: AMOUNT, e.g. 'price: 3%', 'listing-fee: 8000 CNY', 'payment-terms: 60 days'"
