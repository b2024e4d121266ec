"""The meeting-plan model: the eight parts in the course's order, each part a pydantic model (unknown keys
are errors), the required-parts check, and validation with every pydantic error in the plan's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from coach.content.loader import _did_you_mean
from coach.content.plans.fields import (
    MAX_ITEMS,
    ConcessionType,
    Level,
    Line,
    Name,
    Number,
    Priority,
    Stage,
    TacticId,
    Unit,
    _unique,
    parse_date,
)
from coach.content.yamlpos import format_path
from coach.errors import CoachError
from coach.i18n import labels

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

    if not isinstance(data, dict):
        raise PlanError([f"{source}: expected a mapping with account, meeting, objectives, ..."])
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(_error_lines(exc, lambda loc, msg: f"{source}: {format_path(loc)}: {msg}")) from None


def copy_for_meeting(plan: Plan, meeting: str, date: str | None = None) -> Plan:
    """A copy of ``plan`` for another meeting with the same account: checklist ticks cleared, new date."""
    data = plan.body()
    data["meeting"] = meeting
    data["date"] = date
    data["professionalism"]["checklist"] = [
        {**c, "done": False} for c in data["professionalism"]["checklist"]
    ]
    return validate(data, "plan")
