"""Meeting plans built on the eight principles: the pydantic model, YAML import/export with located errors,
the required-parts check, and the one-line-per-item text format shared by the command line and the wizard.

A plan belongs to one account and one meeting. Its parts follow the course: (1) objectives in priority
order, (2) value already delivered, (3) facts with their source, (4) professionalism (agenda, attendees,
materials, checklist), (5) the best alternative per stage and the walk-away point, (6) the issues on
the table, (7) the give-get matrix of tradeable items, (8) what will be recorded; plus the buyer tactics
expected from this account. List order is priority order (objectives) and offer order (tradeables).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from coach.domain.concessions import (
    ALIASES,
    STAGES,
    TYPES,
    parse_choice,
    parse_number,
    parse_unit,
    parse_when,
)
from coach.domain.concessions import amount as _amount
from coach.domain.concessions import parse_tactic as _parse_tactic
from coach.errors import CoachError
from coach.i18n import labels

if TYPE_CHECKING:
    from coach.engine.moves import Limit

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

PARTS: tuple[tuple[str, str], ...] = (
    ("objectives", "principle.plan"),
    ("value_delivered", "principle.restate-value"),
    ("facts", "principle.use-facts"),
    ("professionalism", "principle.professionalism"),
    ("alternatives", "principle.know-alternatives"),
    ("issues", "principle.dont-get-stuck"),
    ("tradeables", "principle.trade-concessions"),
    ("record", "principle.record"),
)
"""The plan's eight parts in the course's order, each with the principle rule that advises on it."""

PART_NAMES = labels("plan.part.", (*(part for part, _rule in PARTS), "expected_tactics"))
"""Names of the parts in messages and headings, per language (the words are in coach/i18n)."""


class PlanError(CoachError):
    """A plan (or a line of one) is not valid; ``problems`` lists every message, the first is shown."""

    def __init__(self, problems: list[str], hint: str | None = None) -> None:
        super().__init__(problems[0] if problems else "invalid plan", hint)
        self.problems = problems


class MissingParts(CoachError):
    """Required parts are empty; ``parts`` lists (field path, message) and nothing was saved."""

    def __init__(self, parts: list[tuple[str, str]]) -> None:
        named = "; ".join(f"{path}: {msg}" for path, msg in parts)
        super().__init__(
            f"plan not saved, required parts missing: {named}",
            "fill them in; `coach prep new --help` lists the options",
        )
        self.parts = parts


# ------------------------------------------------------------------------------------------ field types


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
    from coach.content.loader import situation_ids

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


# -------------------------------------------------------------------------------------------- the model


class PlanPart(BaseModel):
    """Base of every part of a plan: unknown keys are errors, text is stripped, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Objective(PlanPart):
    """Something we want from the meeting."""

    text: Line = Field(description="What we want, e.g. 'list the 330ml cans in all 45 stores'.")
    priority: Priority = Field("must", description="must (a must-have) or nice (a nice-to-have).")


class Fact(PlanPart):
    """A figure to speak with, and where it comes from."""

    figure: Line = Field(description="The fact, e.g. 'our sales in their stores +18% vs category +6%'.")
    source: Line = Field(description="Where it comes from, e.g. 'their scan data, last 13 weeks'.")


class Person(PlanPart):
    """Someone at the meeting."""

    name: Line = Field(description="Name.")
    role: Line | None = Field(None, description="Role, e.g. category buyer.")


class CheckItem(PlanPart):
    """One thing to have done before the meeting."""

    item: Line = Field(description="What to prepare, e.g. 'samples of the new flavour'.")
    done: bool = Field(False, description="Whether it is done.")


class Professionalism(PlanPart):
    """Principle 4: agenda, attendees on both sides, materials, and a checklist."""

    agenda: list[Line] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Agenda points in order."
    )
    ours: list[Person] = Field(default_factory=list, max_length=MAX_ITEMS, description="Who attends for us.")
    theirs: list[Person] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Who attends for them."
    )
    materials: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS, description="What to bring.")
    checklist: list[CheckItem] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Preparation checklist."
    )


class Amount(PlanPart):
    """A number with its unit: percent, days, units or a currency code (the concession log's units)."""

    value: Number = Field(description="The number, zero or more.")
    unit: Unit = Field(description="percent (or %), days, units, or a currency code such as CNY.")

    @model_validator(mode="after")
    def _percent(self) -> Amount:
        if self.unit == "percent" and self.value > 100:
            raise ValueError(f"{self.value:g} percent is more than 100")
        return self


class StageAlternative(PlanPart):
    """Our best alternative if there is no agreement at one stage of the negotiation."""

    stage: Stage = Field(description="opening, bargaining, closing or after-deal.")
    alternative: Line = Field(
        description="What we do instead, e.g. 'keep current range, move money to in-store'."
    )


class WalkAwayLimit(PlanPart):
    """The most we give of one kind in this meeting, in total; past it we walk away."""

    type: ConcessionType = Field(
        description="Concession type: price, payment-terms, listing-fee, promotion, ..."
    )
    max: Amount = Field(description="The total we will not go past, e.g. {value: 3, unit: percent}.")


class Alternatives(PlanPart):
    """Principle 5: the best alternative at each stage, and the walk-away point."""

    stages: Annotated[list[StageAlternative], AfterValidator(_unique("stage", lambda s: s.stage))] = Field(
        default_factory=list, description="Best alternative per stage (each stage once)."
    )
    walk_away: Line | None = Field(None, description="The walk-away point in words.")
    limits: Annotated[
        list[WalkAwayLimit], AfterValidator(_unique("limit for", lambda lim: (lim.type, lim.max.unit)))
    ] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Walk-away totals per concession type; the log review checks them.",
    )


class Issue(PlanPart):
    """One issue on the table, with where each side stands."""

    issue: Line = Field(description="The issue, e.g. 'listing fee for the 6 new SKUs'.")
    ours: Line | None = Field(None, description="Our position.")
    theirs: Line | None = Field(None, description="Their (expected) position.")


class Tradeable(PlanPart):
    """One row of the give-get matrix; the list's order is the order to offer them."""

    item: Line = Field(description="What we could give, e.g. 'two promoter days per store'.")
    type: ConcessionType = Field(
        description="Its concession type (as in the log): price, display, promotion, ..."
    )
    cost: Level = Field(description="Cost to us: low, medium or high.")
    value: Level = Field(description="Value to the customer: low, medium or high.")
    ask: Line = Field(description="What we ask in return, e.g. 'four facings for the 330ml cans'.")
    limit: Amount | None = Field(None, description="The most we give of it, e.g. {value: 2, unit: percent}.")


class ExpectedTactic(PlanPart):
    """A buyer tactic we expect; its counter comes from the playbooks."""

    tactic: TacticId = Field(description="Taxonomy tactic id, e.g. tactic.nibble (or just nibble).")
    note: Line | None = Field(None, description="Why we expect it, or our own counter.")


class Plan(PlanPart):
    """A meeting plan built on the eight principles."""

    account: Name = Field(description="The customer (chain), e.g. Carrefour.")
    meeting: Name = Field(description="The meeting or negotiation, e.g. 'annual 2025'.")
    date: Annotated[str | None, BeforeValidator(parse_date)] = Field(
        None, description="Meeting date, YYYY-MM-DD."
    )
    objectives: list[Objective] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="1. What we want, in priority order."
    )
    value_delivered: list[Line] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="2. What we have already done for them: the value to restate.",
    )
    facts: list[Fact] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="3. Facts to speak with, each with its source.",
    )
    professionalism: Professionalism = Field(
        default_factory=Professionalism, description="4. Agenda, attendees, materials, checklist."
    )
    alternatives: Alternatives = Field(
        default_factory=Alternatives, description="5. Best alternative per stage and the walk-away point."
    )
    issues: list[Issue] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="6. The issues on the table, so no single one becomes a deadlock.",
    )
    tradeables: list[Tradeable] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="7. The give-get matrix, in the order to offer them.",
    )
    record: list[Line] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="8. What will be recorded after the meeting."
    )
    expected_tactics: Annotated[
        list[ExpectedTactic], AfterValidator(_unique("tactic", lambda t: t.tactic))
    ] = Field(
        default_factory=list,
        description="Buyer tactics expected from this account (counters from the playbooks).",
    )

    def body(self) -> dict[str, Any]:
        """The plan as JSON-ready data (the stored and exported shape)."""
        return self.model_dump(mode="json")


def missing_parts(plan: Plan) -> list[tuple[str, str]]:
    """Required parts that are empty, as (field path, message); empty when the plan can be saved."""
    out = []
    if not plan.objectives:
        out.append(("objectives", "principle 1 needs at least one objective (what we want)"))
    elif not any(o.priority == "must" for o in plan.objectives):
        out.append(("objectives", "principle 1 needs at least one must-have objective"))
    if not plan.alternatives.walk_away and not plan.alternatives.limits:
        out.append(
            ("alternatives.walk_away", "principle 5 needs the walk-away point (in words or as limits)")
        )
    if not plan.tradeables:
        out.append(
            ("tradeables", "principle 7 needs at least one tradeable item (what we could give and ask back)")
        )
    return out


def require_complete(plan: Plan) -> Plan:
    """The plan, or ``MissingParts`` naming every required part that is empty."""
    missing = missing_parts(plan)
    if missing:
        raise MissingParts(missing)
    return plan


def gaps(plan: Plan) -> list[str]:
    """Optional parts left empty (advice, not errors): part names in the order of the principles."""
    empty = {
        "value_delivered": not plan.value_delivered,
        "facts": not plan.facts,
        "professionalism": plan.professionalism == Professionalism(),
        "issues": len(plan.issues) < 2,
        "record": not plan.record,
        "expected_tactics": not plan.expected_tactics,
    }
    return [name for name, is_empty in empty.items() if is_empty]


# --------------------------------------------------------------------------------------------- validation


def _error_lines(exc: ValidationError, locate: Callable[[tuple[Any, ...], str], str]) -> list[str]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            from coach.content.loader import _did_you_mean  # the playbooks' wording and suggestions

            msg = f"unknown field {loc[-1]!r}{_did_you_mean(Plan, loc[:-1], str(loc[-1]))}"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif (
            err["type"] in ("too_short", "string_too_short") and (err.get("ctx") or {}).get("min_length") == 1
        ):
            msg = "must not be empty"
        elif err["type"] in ("too_long", "string_too_long") and isinstance(err.get("input"), str):
            msg = f"at most {(err.get('ctx') or {}).get('max_length')} characters (got {len(err['input'])})"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        out.append(locate(loc, msg))
    return out


def validate(data: Any, source: str = "plan") -> Plan:
    """Validate plan data (a mapping); errors raise ``PlanError`` with ``source: path: message`` lines."""
    from coach.content.yamlpos import format_path

    if not isinstance(data, dict):
        raise PlanError([f"{source}: expected a mapping with account, meeting, objectives, ..."])
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(_error_lines(exc, lambda loc, msg: f"{source}: {format_path(loc)}: {msg}")) from None


def load_yaml_text(text: str, source: str, *, complete: bool = True) -> Plan:
    """Parse and validate a YAML plan; every problem is ``file:line:col: path: message`` (``PlanError``).
    With ``complete`` (the default) empty required parts are problems too."""
    from coach.content.yamlpos import YamlProblem, load_text

    try:
        located = load_text(text, source)
    except YamlProblem as exc:
        raise PlanError([str(exc)]) from None
    except ValueError as exc:  # PyYAML builds dates itself and fails on 2025-13-45 with a bare ValueError
        raise PlanError([_bad_scalar(text, source, exc)]) from None
    data = located.data
    if not isinstance(data, dict):
        raise PlanError(
            [located.locate((), "expected a mapping with account, meeting, objectives, ... (a plan)")]
        )
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(_error_lines(exc, located.locate)) from None
    missing = missing_parts(plan) if complete else []
    if missing:
        raise PlanError(
            [located.locate(tuple(path.split(".")), f"{msg}; nothing was saved") for path, msg in missing]
        )
    return plan


def _bad_scalar(text: str, source: str, exc: ValueError) -> str:
    """Locate the value PyYAML could not build (an impossible date) by building each scalar on its own."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        stack = [loader.get_single_node()]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                stack.extend(v for pair in reversed(node.value) for v in reversed(pair))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(reversed(node.value))
            elif node is not None:
                try:
                    loader.construct_object(node)
                except ValueError as err:
                    mark = node.start_mark
                    return f"{source}:{mark.line + 1}:{mark.column + 1}: invalid value {node.value!r}: {err}"
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return f"{source}:1:1: invalid value: {exc}"


def load_yaml_file(path: Path, display: str | None = None, *, complete: bool = True) -> Plan:
    """Read and validate a YAML plan file (UTF-8)."""
    from coach.files import FileProblem, read_bytes

    source = display or str(path)
    try:  # kind and size checked before reading: a FIFO or /dev/zero is refused, never read
        raw = read_bytes(path, 1_000_000, source)
    except FileProblem as exc:
        reason = "is a folder, not a plan file" if exc.reason.startswith("is a folder") else exc.reason
        hint = "; a plan is a page or two" if exc.reason.startswith("is larger") else ""
        raise PlanError([f"{source}:1:1: {reason}{hint}"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError(
            [f"{source}:1:1: not UTF-8 text (byte {exc.start}); save the file as UTF-8"]
        ) from None
    return load_yaml_text(text, source, complete=complete)


# ------------------------------------------------------------------------------------------------ export

_HEADER = """\
# Meeting plan (coach). Edit and import it back with `coach prep import FILE`
# or `coach prep edit PLAN --file FILE`; a mistake is reported with its line and nothing is saved.
# Units: percent (or %), days, units, or a currency code such as CNY.
# Concession types: price, payment-terms, listing-fee, promotion, free-goods, display, service, other.
"""

_COMMENTS = {
    "objectives": "1. What we want, in priority order; priority: must or nice",
    "value_delivered": "2. What we have already done for them: the value to restate",
    "facts": "3. Facts to speak with: figure and source",
    "professionalism": "4. Professionalism: agenda, attendees (ours / theirs), materials, checklist",
    "alternatives": "5. Best alternative per stage (opening, bargaining, closing, after-deal) and the "
    "walk-away point;\n"
    "#    limits: the most we give in total per concession type (checked by `coach log review`)",
    "issues": "6. The issues on the table, so no single one becomes a deadlock",
    "tradeables": "7. Concession plan (give-get), in the order to offer them: cost to us and value to them\n"
    "#    (low, medium, high), what to ask in return, and a limit for each",
    "record": "8. What we will record after the meeting",
    "expected_tactics": "Buyer tactics we expect (taxonomy ids such as tactic.nibble); counters come from "
    "the playbooks",
}


def _plain(value: Any) -> Any:
    """Whole floats as ints (``2`` rather than ``2.0``), recursively, for a tidy file."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None or k in ("date", "walk_away")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def to_yaml(plan: Plan) -> str:
    """The plan as commented, hand-editable YAML (``load_yaml_text`` reads it back to an equal plan)."""
    import yaml

    def dump(obj: Any) -> str:
        return yaml.safe_dump(obj, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)

    data = _plain(plan.body())
    parts = [_HEADER, dump({k: data[k] for k in ("account", "meeting", "date")})]
    for key in [k for k, _ in PARTS] + ["expected_tactics"]:
        parts.append(f"\n# {_COMMENTS[key]}\n")
        parts.append(dump({key: data[key]}))
    return "".join(parts)


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
    from coach.content.yamlpos import format_path

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


def copy_for_meeting(plan: Plan, meeting: str, date: str | None = None) -> Plan:
    """A copy of ``plan`` for another meeting with the same account: checklist ticks cleared, new date."""
    data = plan.body()
    data["meeting"] = meeting
    data["date"] = date
    data["professionalism"]["checklist"] = [
        {**c, "done": False} for c in data["professionalism"]["checklist"]
    ]
    return validate(data, "plan")


__all__ = [
    "Plan",
    "PlanError",
    "MissingParts",
    "missing_parts",
    "require_complete",
    "gaps",
    "validate",
    "load_yaml_text",
    "load_yaml_file",
    "to_yaml",
    "parse_items",
    "item_line",
    "plan_from_form",
    "form_from_plan",
    "copy_for_meeting",
]


def limits_from_text(values: Sequence[str]) -> tuple[Limit, ...]:
    """Limits written as in ``coach prep --limit`` ("price: 3%", "listing-fee: 8000 CNY", "rebate: 2%"), as
    the engine's limits; a ``PlanError`` names the first one that does not read."""
    from coach.engine.moves import Limit

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
