"""Meeting plans built on the eight principles: the pydantic model, YAML import/export with located errors,
the required-parts check, and the one-line-per-item text format shared by the command line and the wizard.

A plan belongs to one account and one meeting. Its parts follow the course: (1) objectives in priority
order, (2) value already delivered, (3) facts with their source, (4) professionalism (agenda, attendees,
materials, checklist), (5) the best alternative per stage and the walk-away point, (6) the issues on
the table, (7) the give-get matrix of tradeable items, (8) what will be recorded; plus the buyer tactics
expected from this account. List order is priority order (objectives) and offer order (tradeables).

One module per seam: ``fields`` (the field types and their parsers), ``model`` (the parts, the required-parts
check, validation), ``yaml_io`` (YAML files in and out), ``lines`` (the one-item-per-line format) and
``form`` (the wizard's text fields). Every name is importable from here.
"""

from __future__ import annotations

from coach.content.plans.fields import (
    LEVELS,
    MAX_ITEMS,
    MAX_LINE,
    MAX_NAME,
    PRIORITIES,
    ConcessionType,
    Level,
    Line,
    Name,
    Number,
    Priority,
    Stage,
    TacticId,
    Unit,
    _concession_type,
    _stage,
    parse_date,
    parse_tactic,
    tactic_choices,
)
from coach.content.plans.form import form_from_plan, plan_from_form
from coach.content.plans.lines import (
    LINE_FORMATS,
    format_amount,
    item_line,
    limits_from_text,
    parse_amount,
    parse_items,
)
from coach.content.plans.model import (
    PART_NAMES,
    PARTS,
    Alternatives,
    Amount,
    CheckItem,
    ExpectedTactic,
    Fact,
    Issue,
    MissingParts,
    Objective,
    Person,
    Plan,
    PlanError,
    PlanPart,
    Professionalism,
    StageAlternative,
    Tradeable,
    WalkAwayLimit,
    copy_for_meeting,
    gaps,
    missing_parts,
    require_complete,
    validate,
)
from coach.content.plans.yaml_io import _bad_scalar, load_yaml_file, load_yaml_text, to_yaml

__all__ = [
    "LEVELS",
    "LINE_FORMATS",
    "MAX_ITEMS",
    "MAX_LINE",
    "MAX_NAME",
    "PARTS",
    "PART_NAMES",
    "PRIORITIES",
    "Alternatives",
    "Amount",
    "CheckItem",
    "ConcessionType",
    "ExpectedTactic",
    "Fact",
    "Issue",
    "Level",
    "Line",
    "MissingParts",
    "Name",
    "Number",
    "Objective",
    "Person",
    "Plan",
    "PlanError",
    "PlanPart",
    "Priority",
    "Professionalism",
    "Stage",
    "StageAlternative",
    "TacticId",
    "Tradeable",
    "Unit",
    "WalkAwayLimit",
    "_bad_scalar",
    "_concession_type",
    "_stage",
    "copy_for_meeting",
    "form_from_plan",
    "format_amount",
    "gaps",
    "item_line",
    "limits_from_text",
    "load_yaml_file",
    "load_yaml_text",
    "missing_parts",
    "parse_amount",
    "parse_date",
    "parse_items",
    "parse_tactic",
    "plan_from_form",
    "require_complete",
    "tactic_choices",
    "to_yaml",
    "validate",
]
