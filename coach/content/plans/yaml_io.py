"""A meeting plan as YAML: read a file or text with every problem located (``file:line:col: path:
message``), and write the commented, hand-editable file ``coach prep export`` gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from coach.content.plans.model import PARTS, Plan, PlanError, _error_lines, missing_parts
from coach.content.yamlpos import YamlProblem, load_text
from coach.files import FileProblem, read_bytes


def load_yaml_text(text: str, source: str, *, complete: bool = True) -> Plan:
    """Parse and validate a YAML plan; every problem is ``file:line:col: path: message`` (``PlanError``).
    With ``complete`` (the default) empty required parts are problems too."""

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

    def dump(obj: Any) -> str:
        return yaml.safe_dump(obj, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)

    data = _plain(plan.body())
    parts = [_HEADER, dump({k: data[k] for k in ("account", "meeting", "date")})]
    for key in [k for k, _ in PARTS] + ["expected_tactics"]:
        parts.append(f"\n# {_COMMENTS[key]}\n")
        parts.append(dump({key: data[key]}))
    return "".join(parts)
