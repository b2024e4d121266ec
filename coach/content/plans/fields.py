"""The field types of a meeting plan: single-line text, the concession vocabulary (types, stages, units,
numbers) read as the log reads it, levels, priorities, tactic ids and dates, each a pydantic annotated type."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from coach.content.loader import situation_ids
from coach.domain.concessions import (
    ALIASES,
    STAGES,
    TYPES,
    parse_choice,
    parse_number,
    parse_unit,
    parse_when,
)
from coach.domain.concessions import parse_tactic as _parse_tactic

MAX_LINE = 500
"""Longest accepted single-line text in a plan, in characters."""
MAX_NAME = 200
"""Longest accepted account or meeting name (the concession log's limit)."""
MAX_ITEMS = 100
"""Most items accepted in one part of a plan (a plan is read five minutes before a meeting)."""

LEVELS = ("low", "medium", "high")
"""Scale of a tradeable's cost to us and value to the customer."""
PRIORITIES = ("must", "nice")
"""An objective is a must-have or a nice-to-have."""


def _clean_line(value: Any) -> Any:
    """Single-line text: runs of whitespace become one space; control characters are refused."""
    if not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value  # pydantic reports the type
        value = f"{value:g}" if isinstance(value, float) else str(value)
    for ch in value:
        if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r":
            raise ValueError(f"contains a control character (U+{ord(ch):04X}); type plain text")
    return " ".join(value.split())


Line = Annotated[str, BeforeValidator(_clean_line), Field(min_length=1, max_length=MAX_LINE)]
Name = Annotated[str, BeforeValidator(_clean_line), Field(min_length=1, max_length=MAX_NAME)]


def _choice(
    choices: Sequence[str], aliases: Mapping[str, str] | None = None, what: str = "value"
) -> Callable:
    def check(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return parse_choice(what, value, choices, aliases)

    return check


def _concession_type(value: Any) -> Any:
    return _choice(TYPES, ALIASES["type"], "type")(value)


def _stage(value: Any) -> Any:
    return _choice(STAGES, ALIASES["stage"], "stage")(value)


def _unit(value: Any) -> Any:
    return parse_unit(value)


def _number(value: Any) -> Any:
    """The concession log's numbers ("1,000" included); anything but text or a number goes on to pydantic,
    which names the type it expected."""
    if isinstance(value, str) and not value.strip():
        raise ValueError(f"{value.strip()!r} is not a number")
    if isinstance(value, str | int | float):
        return parse_number(value)
    return value


def tactic_choices() -> list[str]:
    """The buyer-tactic ids of the taxonomy (what a plan can expect)."""

    return [i for i in situation_ids() if i.startswith("tactic.")]


def parse_tactic(value: Any) -> Any:
    """A taxonomy tactic id; ``nibble`` is short for ``tactic.nibble``."""
    if not isinstance(value, str):
        return value
    ids = tactic_choices()
    return _parse_tactic(value, ids, f"one of {', '.join(ids)}")


def parse_date(value: Any) -> Any:
    """A meeting date as ``YYYY-MM-DD`` (2025/03/04 is accepted too)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_when(value)[:10]


ConcessionType = Annotated[str, BeforeValidator(_concession_type)]
Stage = Annotated[str, BeforeValidator(_stage)]
Unit = Annotated[str, BeforeValidator(_unit)]
Number = Annotated[float, BeforeValidator(_number)]
Level = Annotated[
    Literal["low", "medium", "high"],
    BeforeValidator(
        _choice(
            LEVELS,
            {
                "l": "low",
                "lo": "low",
                "cheap": "low",
                "低": "low",
                "m": "medium",
                "med": "medium",
                "mid": "medium",
                "中": "medium",
                "h": "high",
                "hi": "high",
                "expensive": "high",
                "高": "high",
            },
            "level",
        )
    ),
]
Priority = Annotated[
    Literal["must", "nice"],
    BeforeValidator(
        _choice(
            PRIORITIES,
            {
                "must-have": "must",
                "required": "must",
                "必须": "must",
                "nice-to-have": "nice",
                "optional": "nice",
                "最好": "nice",
                "争取": "nice",
            },
            "priority",
        )
    ),
]
TacticId = Annotated[str, BeforeValidator(parse_tactic)]


def _unique(what: str, key: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    def check(items: list[Any]) -> list[Any]:
        seen: set[Any] = set()
        for item in items:
            k = key(item)
            if k in seen:
                raise ValueError(f"{what} {k!r} appears twice")
            seen.add(k)
        return items

    return check
