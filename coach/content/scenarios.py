"""Role-play scenarios: YAML -> pydantic models, plus the checks a graph of turns needs (problems located).

A scenario is a small branching dialogue in the spirit of Ink and Yarn Spinner: ``variables`` are declared
with initial values (Ink ``VAR``, Yarn ``<<declare>>``); ``turns`` are the knots/nodes where the customer
speaks; each turn's ``branches`` are tried in order and the first whose ``when`` holds is taken (Ink's
conditional choices, Yarn's ``<<if>>``), updating variables with ``set``/``add`` (``~ x = 1``, ``<<set>>``)
and moving on with ``goto`` (Ink's divert ``->``, Yarn's ``<<jump>>``); ``default`` is taken when none holds.
``endings`` close the conversation with an outcome and a debrief. See docs/scenario-format.md.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from coach import locations
from coach.content.loader import pydantic_problems, reply_ids, situation_ids
from coach.content.models import NonEmpty, Strict, Text
from coach.content.plans import limits_from_text
from coach.content.yamlpos import Located, Path_, YamlProblem, load_file
from coach.domain.suggest import closest, did_you_mean
from coach.errors import CoachError, ContentError

if TYPE_CHECKING:
    from coach.engine.moves import Limit

NODE_ID = r"^[a-z][a-z0-9-]*$"
VAR_NAME = r"^[a-z][a-z0-9_]*$"
BEHAVIOUR_ID = r"^reply\.[a-z0-9][a-z0-9-]*$"
SITUATION_ID = r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$"

NodeId = Annotated[str, Field(pattern=NODE_ID, max_length=80)]
VarName = Annotated[str, Field(pattern=VAR_NAME, max_length=40)]
BehaviourId = Annotated[str, Field(pattern=BEHAVIOUR_ID, max_length=80)]
Value = Annotated[int, Field(ge=-1000, le=1000)]

AMOUNT_ITEMS = (
    *("price", "payment-terms", "listing-fee", "promotion", "free-goods", "display", "service", "other"),
    "rebate",
)
"""Items a line may quote the trainee's amounts for (the concession log's types, and rebate)."""
PLACEHOLDER = re.compile(r"\{(?P<kind>offered|given)\.(?P<item>[a-z-]+)\|(?P<fallback>[^{}]*)\}")
"""``{offered.ITEM|fallback}`` (the last amount offered on ITEM) or ``{given.ITEM|fallback}`` (the session's
total on ITEM) in a customer's line; the fallback is said when nothing was offered on ITEM yet."""

OUTCOMES = ("success", "partial", "fail")
"""How an ending closes the attempt."""
STAKES = ("price", "payment-terms", "listing-fee", "promotion", "free-goods", "display", "service", "other")
"""What a concession at a turn would give away (the concession log's types)."""
STAGES = ("opening", "bargaining", "closing", "after-deal")
"""Stage of the negotiation at a turn (the concession log's stages)."""
COMPARATORS = ("below", "above", "equals", "at_least", "at_most")
"""Ways a condition compares a variable with a number."""

Outcome = Literal["success", "partial", "fail"]
Stake = Literal[
    "price", "payment-terms", "listing-fee", "promotion", "free-goods", "display", "service", "other"
]
Stage = Literal["opening", "bargaining", "closing", "after-deal"]


class Person(Strict):
    """Someone on the customer's side of the table."""

    name: Text = Field(description="Name as the trainee would address them, per language.")
    role: Text = Field(description="Job title, e.g. category buyer for beverages.")
    temperament: Text | None = Field(None, description="How they behave in a negotiation.")


class Persona(Person):
    """The customer the trainee faces."""

    retailer: Text = Field(description="The chain they buy for.")
    temperament: Text = Field(description="How they behave in a negotiation.")


class Condition(Strict):
    """When a branch is taken: every test given must hold (reply behaviours and/or one variable test)."""

    has: list[BehaviourId] = Field(
        default_factory=list, description="Every one of these behaviours is in the reply."
    )
    any: list[BehaviourId] = Field(default_factory=list, description="At least one of these is in the reply.")
    lacks: list[BehaviourId] = Field(default_factory=list, description="None of these is in the reply.")
    var: VarName | None = Field(
        None, description="Variable compared by one of below/above/equals/at_least/at_most."
    )
    below: int | None = Field(None, description="The variable is less than this.")
    above: int | None = Field(None, description="The variable is more than this.")
    equals: int | None = Field(None, description="The variable is exactly this.")
    at_least: int | None = Field(None, description="The variable is this or more.")
    at_most: int | None = Field(None, description="The variable is this or less.")

    @model_validator(mode="after")
    def _well_formed(self) -> Condition:
        given = [c for c in COMPARATORS if getattr(self, c) is not None]
        if self.var is None and given:
            raise ValueError(f"`{given[0]}` needs `var:` naming the variable it compares")
        if self.var is not None and len(given) != 1:
            raise ValueError(f"`var: {self.var}` needs exactly one of {', '.join(COMPARATORS)}")
        if not (self.has or self.any or self.lacks or self.var):
            raise ValueError("an empty condition always holds; use `default:` instead")
        return self

    def comparator(self) -> tuple[str, int] | None:
        """The variable test as (comparator, number), if any."""
        for name in COMPARATORS:
            value = getattr(self, name)
            if value is not None:
                return name, value
        return None


class Move(Strict):
    """What happens after a reply: variable updates and the next turn or ending."""

    set: dict[VarName, Value] = Field(
        default_factory=dict, description="Variables given a value (applied first)."
    )
    add: dict[VarName, Value] = Field(
        default_factory=dict, description="Numbers added to variables (negative to subtract)."
    )
    goto: NodeId = Field(description="Id of the next turn or ending.")
    note: Text | None = Field(
        None, description="The coach's remark on what the reply caused, shown with the feedback."
    )


class Branch(Move):
    """A move taken when its condition holds."""

    when: Condition = Field(description="What the reply must show (and/or a variable test).")


class Turn(Strict):
    """The customer speaks; the trainee's reply picks the branch."""

    situation: str = Field(
        pattern=SITUATION_ID, description="Taxonomy id of the tactic or complaint in play."
    )
    speaker: NodeId | None = Field(
        None, description="Id from `cast:` when someone other than the persona speaks."
    )
    line: Text = Field(description="What the customer says.")
    stake: Stake | None = Field(
        None, description="What a concession here would give away (default: the scenario's)."
    )
    stage: Stage = Field(
        "bargaining", description="Stage of the negotiation (recorded with practice concessions)."
    )
    branches: list[Branch] = Field(
        default_factory=list, description="Tried in order; the first that holds is taken."
    )
    default: Move = Field(description="Taken when no branch holds.")


class Ending(Strict):
    """Where the conversation stops, with the lesson."""

    outcome: Outcome = Field(description="success, partial or fail.")
    title: Text | None = Field(
        None, description="A short name for the trainee, e.g. 'Traded, in writing' (the outcome when absent)."
    )
    line: Text | None = Field(None, description="The customer's last words.")
    debrief: Text = Field(description="What the trainee should take away.")


class Blocker(Strict):
    """A behaviour that fails the attempt whatever else happens."""

    behaviour: BehaviourId = Field(description="Reply behaviour id, e.g. reply.unconditional-concession.")
    why: Text = Field(description="Why it fails the attempt in this scenario.")


class RehearsalStep(Strict):
    """One scripted reply and what it must produce."""

    say: NonEmpty = Field(description="The reply.")
    shows: list[BehaviourId] = Field(default_factory=list, description="Behaviours the reply must show.")
    goto: NodeId | None = Field(None, description="The turn or ending the reply must lead to.")


class Rehearsal(Strict):
    """A scripted run the author expects to work (checked by `coach validate`, like a rule's examples)."""

    name: NonEmpty = Field(description="What the run shows, e.g. 'good path'.")
    steps: list[RehearsalStep] = Field(min_length=1, description="The replies, in order.")
    ending: NodeId | None = Field(None, description="The ending the run must reach.")
    outcome: Outcome | None = Field(None, description="The outcome it must get (blockers included).")


class Scenario(Strict):
    """A role-play: who the customer is, what the trainee wants, and the graph of turns."""

    id: NodeId = Field(description="Stable id, e.g. nibble-after-close; saved sessions refer to it.")
    title: Text
    persona: Persona
    cast: dict[NodeId, Person] = Field(default_factory=dict, description="Other people who speak, by id.")
    setting: Text = Field(description="Where and when the meeting happens, what is at stake.")
    objective: Text = Field(description="What the trainee wants to get.")
    limits: list[Text] = Field(default_factory=list, description="What the trainee must not go beyond.")
    limits_check: list[NonEmpty] = Field(
        default_factory=list,
        description="The limits in figures, as `coach prep --limit` writes them ('listing-fee: 8000 CNY', "
        "'price: 2%'): checked against the session's running total of every amount the trainee gives.",
    )
    over_limit: Literal["blocker", "feedback"] = Field(
        "blocker",
        description="Going past a `limits_check` limit fails the attempt (blocker, the default) or is only "
        "flagged in the feedback (feedback).",
    )
    stake: Stake = Field(
        "other", description="What a concession would give away, unless a turn says otherwise."
    )
    variables: dict[VarName, Value] = Field(
        default_factory=dict, description="Variables and their initial values."
    )
    blockers: list[Blocker] = Field(default_factory=list, description="Behaviours that fail the attempt.")
    start: NodeId = Field(description="Id of the first turn.")
    turns: dict[NodeId, Turn] = Field(min_length=1, description="The customer's turns, by id.")
    endings: dict[NodeId, Ending] = Field(min_length=1, description="How it can end, by id.")
    rehearsals: list[Rehearsal] = Field(
        default_factory=list, description="Scripted runs checked by `coach validate`."
    )

    def limit_values(self) -> tuple[Limit, ...]:
        """``limits_check`` as the engine's limits (empty if one is unreadable: validate says so)."""

        try:
            return limits_from_text(self.limits_check)
        except CoachError:
            return ()

    def node_kind(self, node: str) -> str | None:
        """``turn``, ``ending`` or None for an unknown id."""
        if node in self.turns:
            return "turn"
        if node in self.endings:
            return "ending"
        return None

    def speaker(self, turn: Turn) -> Person:
        """Who says the turn's line."""
        if turn.speaker and turn.speaker in self.cast:
            return self.cast[turn.speaker]
        return self.persona

    def situations(self) -> list[str]:
        """The taxonomy ids in play, in order of first appearance."""
        seen: dict[str, None] = {}
        for turn in self.turns.values():
            seen.setdefault(turn.situation, None)
        return list(seen)


# --------------------------------------------------------------------------------------------- loading


@dataclass
class ScenarioSet:
    """Scenarios by id, where each came from, and every problem found loading or checking them."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    documents: dict[str, Located] = field(default_factory=dict, repr=False)
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def raise_if_problems(self) -> None:
        """Stop with a ``ContentError`` if anything failed to load."""
        if self.problems:
            raise ContentError(self.problems)

    def get(self, key: str) -> Scenario:
        """A scenario by id (or a unique prefix); a one-line error with suggestions otherwise."""

        if key in self.scenarios:
            return self.scenarios[key]
        starts = [i for i in self.scenarios if i.startswith(key)]
        if len(starts) == 1:
            return self.scenarios[starts[0]]

        hint = did_you_mean(key, self.scenarios)
        raise CoachError(f"no scenario {key!r}", f"{hint}`coach roleplay --list` shows them")


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_scenarios(
    paths: list[Path], *, situations: set[str] | None = None, behaviours: set[str] | None = None
) -> ScenarioSet:
    """Load scenario files/folders in order (a later file with the same id replaces an earlier one) and
    check each graph. ``situations`` and ``behaviours`` are the known ids (default: the taxonomy's)."""

    known_situations = situations if situations is not None else set(situation_ids())
    known_behaviours = behaviours if behaviours is not None else set(reply_ids())
    out = ScenarioSet()
    for base in paths:
        if not base.exists():
            out.problems.append(f"{_display(base)}:1:1: no such file or folder")
            continue
        for file in _yaml_files(base):
            shown = _display(file)
            try:
                located = load_file(file, shown)
            except YamlProblem as exc:
                out.problems.append(str(exc))
                continue
            if not isinstance(located.data, dict) or "turns" not in located.data:
                out.problems.append(
                    located.locate((), "expected a scenario: a mapping with `id:`, `persona:`, `turns:`, ...")
                )
                continue
            try:
                scenario = Scenario.model_validate(located.data)
            except ValidationError as exc:
                out.problems.extend(_problems(exc, located, pydantic_problems))
                continue
            problems = check_scenario(scenario, located, known_situations, known_behaviours)
            if problems:
                out.problems.extend(problems)
                continue
            line, col = located.where(("id",))
            here = f"{shown}:{line}:{col}"
            if scenario.id in out.scenarios:
                previous = out.sources[scenario.id]
                if previous.rsplit(":", 2)[0] in {_display(f) for f in _yaml_files(base)}:
                    out.problems.append(
                        located.locate(
                            ("id",), f"duplicate scenario id {scenario.id!r} (first at {previous})"
                        )
                    )
                    continue
                out.notices.append(f"{here}: scenario {scenario.id!r} replaces the one from {previous}")
            out.scenarios[scenario.id] = scenario
            out.sources[scenario.id] = here
            out.documents[scenario.id] = located
    return out


def load_default(
    extra: list[Path] | None = None, *, behaviours: set[str] | None = None, situations: set[str] | None = None
) -> ScenarioSet:
    """The shipped scenarios, then the given files or folders."""

    return load_scenarios(
        [locations.shipped_scenarios_dir(), *(extra or [])], situations=situations, behaviours=behaviours
    )


def _model_at(loc: tuple[object, ...]) -> type[Strict] | None:
    """The content model reached by following ``loc`` (field names only) from ``Scenario``."""

    current: object = Scenario
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, Strict)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = info.annotation
        for _ in range(3):  # list[X], dict[K, X], X | None -> X
            args = [a for a in typing.get_args(current) if a is not type(None)]
            if args and not (isinstance(current, type) and issubclass(current, Strict)):
                current = args[-1]
    return current if isinstance(current, type) and issubclass(current, Strict) else None


_KEYED = {"turns", "endings", "cast", "variables"}
"""Fields that are mappings keyed by an id: the id is not a field name."""


def _problems(exc: ValidationError, located: Located, fallback) -> list[str]:  # noqa: ANN001
    """Located pydantic errors; an unknown key gets the closest field name of the model it sits in."""
    out = []
    for err, line in zip(exc.errors(include_url=False), fallback(exc, located, Scenario), strict=True):
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            names = [
                p
                for i, p in enumerate(loc[:-1])
                if not isinstance(p, int) and not (i > 0 and loc[i - 1] in _KEYED)
            ]
            parent = _model_at(tuple(names))
            if parent is not None:
                fields = list(parent.model_fields)
                hint = _suggest(str(loc[-1]), fields) or f"; allowed: {', '.join(sorted(fields))}"
                line = located.locate(loc, f"unknown field {loc[-1]!r}{hint}")
        out.append(line)
    return out


# ---------------------------------------------------------------------------------------------- checks


def _suggest(value: str, choices: list[str]) -> str:
    best = closest(value, choices)
    return f"; did you mean {best!r}?" if best else ""


def moves(turn: Turn) -> list[tuple[Path_, Move]]:
    """The turn's branches then its default, each with its path inside the turn."""
    out: list[tuple[Path_, Move]] = [(("branches", i), b) for i, b in enumerate(turn.branches)]
    out.append((("default",), turn.default))
    return out


def check_scenario(sc: Scenario, doc: Located, situations: set[str], behaviours: set[str]) -> list[str]:
    """Every problem in a scenario's graph, one located line each: unknown node, speaker, taxonomy or
    behaviour ids; unreachable turns or endings; turns with no way out; variables used before they are set."""
    problems: list[str] = []
    nodes = [*sc.turns, *sc.endings]

    def bad(path: Path_, message: str) -> None:
        problems.append(doc.locate(path, message))

    for node in sc.turns:
        if node in sc.endings:
            bad(("endings", node), f"{node!r} is both a turn and an ending; give them different ids")
    if sc.start not in sc.turns:
        what = (
            "an ending, not a turn"
            if sc.start in sc.endings
            else f"not a turn{_suggest(sc.start, list(sc.turns)) or ' (turns: ' + ', '.join(sc.turns) + ')'}"
        )
        bad(("start",), f"unknown node {sc.start!r}: {what}")
    for i, blocker in enumerate(sc.blockers):
        if blocker.behaviour not in behaviours:
            bad(
                ("blockers", i, "behaviour"),
                f"unknown reply behaviour {blocker.behaviour!r}"
                f"{_suggest(blocker.behaviour, sorted(behaviours))}",
            )
    if sc.limits_check:
        for i, raw in enumerate(sc.limits_check):
            try:
                limits_from_text([raw])
            except CoachError as exc:
                bad(("limits_check", i), f"{exc.message}; {exc.hint}" if exc.hint else exc.message)
    lines: list[tuple[Path_, Text | None]] = [(("turns", tid, "line"), t.line) for tid, t in sc.turns.items()]
    lines += [(("endings", eid, "line"), e.line) for eid, e in sc.endings.items()]
    for path, line in lines:
        for lang in ("en", "zh"):
            problem = _placeholder_problem(getattr(line, lang) if line is not None else "")
            if problem:
                bad((*path, lang), problem)
    for tid, turn in sc.turns.items():
        if sc.limits_check:
            caught = False
            for i, branch in enumerate(turn.branches):
                named = {*branch.when.has, *branch.when.any}
                if "reply.over-limit" in named:
                    caught = True
                elif "reply.conditional-concession" in named and not caught and branch.note is not None:
                    bad(
                        ("turns", tid, "branches", i, "note"),
                        "this note would praise a concession that goes past a limit in `limits_check`; "
                        "catch `reply.over-limit` in a branch before it",
                    )
        if turn.situation not in situations:
            bad(
                ("turns", tid, "situation"),
                f"unknown taxonomy id {turn.situation!r}{_suggest(turn.situation, sorted(situations))}",
            )
        if turn.speaker is not None and turn.speaker not in sc.cast:
            bad(
                ("turns", tid, "speaker"),
                f"unknown speaker {turn.speaker!r} (add it under `cast:`)"
                f"{_suggest(turn.speaker, list(sc.cast))}",
            )
        for path, move in moves(turn):
            where = ("turns", tid, *path)
            if move.goto not in sc.turns and move.goto not in sc.endings:
                bad((*where, "goto"), f"unknown node {move.goto!r}{_suggest(move.goto, nodes)}")
            if isinstance(move, Branch):
                for key in ("has", "any", "lacks"):
                    for j, bid in enumerate(getattr(move.when, key)):
                        if bid not in behaviours:
                            bad(
                                (*where, "when", key, j),
                                f"unknown reply behaviour {bid!r}{_suggest(bid, sorted(behaviours))}",
                            )
    for r, rehearsal in enumerate(sc.rehearsals):
        for s, step in enumerate(rehearsal.steps):
            if step.goto is not None and step.goto not in nodes:
                bad(
                    ("rehearsals", r, "steps", s, "goto"),
                    f"unknown node {step.goto!r}{_suggest(step.goto, nodes)}",
                )
            for j, bid in enumerate(step.shows):
                if bid not in behaviours:
                    bad(
                        ("rehearsals", r, "steps", s, "shows", j),
                        f"unknown reply behaviour {bid!r}{_suggest(bid, sorted(behaviours))}",
                    )
        if rehearsal.ending is not None and rehearsal.ending not in sc.endings:
            bad(
                ("rehearsals", r, "ending"),
                f"unknown ending {rehearsal.ending!r}{_suggest(rehearsal.ending, list(sc.endings))}",
            )
    if problems:
        return problems  # the graph checks below need every id to resolve
    problems += _check_reach(sc, doc)
    problems += _check_variables(sc, doc)
    return problems


def _placeholder_problem(text: str) -> str | None:
    """Why a line's ``{...}`` is not a placeholder the runner can fill (None when every one is)."""
    rest = text
    for m in PLACEHOLDER.finditer(text):
        if m.group("item") not in AMOUNT_ITEMS:
            return (
                f"unknown item {m.group('item')!r} in {m.group(0)!r}"
                f"{_suggest(m.group('item'), list(AMOUNT_ITEMS))}"
            )
        rest = rest.replace(m.group(0), "", 1)
    if "{" in rest or "}" in rest:
        return "a `{` or `}` that is not a placeholder: write {offered.ITEM|what to say before any offer}"
    return None


def _edges(sc: Scenario) -> dict[str, list[str]]:
    return {tid: [m.goto for _, m in moves(turn)] for tid, turn in sc.turns.items()}


def _check_reach(sc: Scenario, doc: Located) -> list[str]:
    """Turns and endings the start cannot reach; turns from which no ending can be reached."""
    edges = _edges(sc)
    reached = {sc.start}
    todo = [sc.start]
    while todo:
        node = todo.pop()
        for nxt in edges.get(node, []):
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    problems = []
    for tid in sc.turns:
        if tid not in reached:
            problems.append(
                doc.locate(("turns", tid), f"unreachable: no branch leads here from the start ({sc.start!r})")
            )
    for eid in sc.endings:
        if eid not in reached:
            problems.append(
                doc.locate(("endings", eid), f"unreachable: no branch leads to this ending from {sc.start!r}")
            )
    # Backwards from the endings: a turn that cannot get to any ending traps the trainee for ever.
    reverse: dict[str, list[str]] = {}
    for src, targets in edges.items():
        for dst in targets:
            reverse.setdefault(dst, []).append(src)
    out = set(sc.endings)
    todo = list(sc.endings)
    while todo:
        node = todo.pop()
        for prev in reverse.get(node, []):
            if prev not in out:
                out.add(prev)
                todo.append(prev)
    for tid in sc.turns:
        if tid in reached and tid not in out:
            problems.append(doc.locate(("turns", tid), "no way out: no ending can be reached from this turn"))
    return problems


def _check_variables(sc: Scenario, doc: Located) -> list[str]:
    """Variables read (in a condition or by ``add``) where some path from the start has not set them yet."""
    everywhere = set(sc.variables)
    for turn in sc.turns.values():
        for _, move in moves(turn):
            everywhere |= set(move.set)
    # Must-analysis: a variable is set at a turn when every path from the start sets it before.
    assigned: dict[str, set[str]] = {tid: set(everywhere) for tid in sc.turns}
    assigned[sc.start] = set(sc.variables)
    changed = True
    while changed:
        changed = False
        incoming: dict[str, set[str] | None] = {tid: None for tid in sc.turns}
        incoming[sc.start] = set(sc.variables)
        for tid, turn in sc.turns.items():
            for _, move in moves(turn):
                if move.goto not in sc.turns:
                    continue
                out = assigned[tid] | set(move.set)
                now = incoming[move.goto]
                incoming[move.goto] = out if now is None else now & out
        for tid in sc.turns:
            new = incoming[tid] if incoming[tid] is not None else set(everywhere)
            if tid == sc.start:
                new = set(sc.variables) & new
            if new != assigned[tid]:
                assigned[tid] = new
                changed = True
    problems = []
    for tid, turn in sc.turns.items():
        known = assigned[tid]
        for path, move in moves(turn):
            where = ("turns", tid, *path)
            if isinstance(move, Branch) and move.when.var is not None:
                var = move.when.var
                if var not in known:
                    problems.append(doc.locate((*where, "when", "var"), _unset(var, everywhere, sc)))
            for var in move.add:
                if var not in known and var not in move.set:
                    problems.append(doc.locate((*where, "add", var), _unset(var, everywhere, sc)))
    return problems


def _unset(var: str, everywhere: set[str], sc: Scenario) -> str:
    if var not in everywhere:
        return (
            f"unknown variable {var!r}: it is never set (declare it under `variables:` with an initial value)"
            f"{_suggest(var, sorted(everywhere))}"
        )
    return (
        f"variable {var!r} is used before it is set on some path from the start "
        "(give it an initial value under `variables:`)"
    )
