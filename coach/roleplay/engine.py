"""The role-play state machine: a reply goes in, feedback and the customer's next move come out. Pure: no I/O.

States are immutable. ``reply`` returns a ``Step`` holding the new state; ``retry`` returns the state
before the last reply (the taken-back reply stays visible in ``State.retried``). Branches are tried in
order and the first whose condition holds is taken, else the turn's default; ``set`` is applied before
``add``. A blocker behaviour in any reply that stands fails the attempt, whatever ending is reached.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from coach.content.models import Text
from coach.content.scenarios import Branch, Ending, Move, Person, Scenario, Turn
from coach.engine.normalize import ESCAPES
from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.content.loader import Library
    from coach.engine.assess import BehaviourIndex

CONCESSIONS = ("reply.conditional-concession", "reply.unconditional-concession")
"""Behaviours that mean the trainee gave something (written to the concession log as practice)."""


class RoleplayError(CoachError):
    """A move the state does not allow (replying after the end, retrying before any reply, an empty reply)."""


def principle_ids() -> list[str]:
    """The eight principles, in the course's order (the scorecard's rows)."""
    from coach.content.loader import taxonomy

    return [s["id"] for s in taxonomy()["situations"]["principle"]]


@dataclass(frozen=True)
class Kit:
    """What the runner needs from the playbooks: the behaviours, their detector and the rules."""

    library: Library
    index: BehaviourIndex

    @classmethod
    def build(cls, library: Library) -> Kit:
        """Compile the library's reply behaviours."""
        from coach.engine.assess import build_behaviour_index

        return cls(library, build_behaviour_index(library))

    def title(self, rule_id: str) -> Text:
        """A rule's or principle's title in both languages (the taxonomy's name when no rule has it)."""
        rule = self.library.rules.get(rule_id)
        if rule is not None:
            return rule.title
        from coach.content.loader import taxonomy

        for group in taxonomy()["situations"].values():
            for s in group:
                if s["id"] == rule_id:
                    return Text(en=s["en"], zh=s["zh"])
        return Text(en=rule_id, zh=rule_id)

    def say_lines(self, situation: str) -> tuple[Text, ...]:
        """The playbook's lines to say for a situation (empty when no rule has it)."""
        rule = self.library.rules.get(situation)
        return tuple(rule.response.say) if rule is not None else ()


@dataclass(frozen=True)
class Feedback:
    """One behaviour found in a reply: good or bad, why it matters, the principles, better lines."""

    id: str
    good: bool
    title: Text
    why: Text
    signals: tuple[str, ...]
    """What in the reply made it (the detector's explanation)."""
    principles: tuple[str, ...]
    better: tuple[Text, ...] = ()
    """Lines to say instead (bad behaviours): the turn's playbook lines first, then the behaviour's own."""
    blocker: Text | None = None
    """Why it fails this scenario, when it is one of the scenario's blockers."""


@dataclass(frozen=True)
class Change:
    """A variable's value before and after a reply (``before`` None when it was not set)."""

    var: str
    before: int | None
    after: int


@dataclass(frozen=True)
class Exchange:
    """The customer's line and the trainee's reply, with what the reply did and where it led."""

    turn: str
    speaker: Text
    line: Text
    situation: str
    reply: str
    feedback: tuple[Feedback, ...]
    branch: int | None
    """Index of the branch taken; None for the default."""
    note: Text | None
    changes: tuple[Change, ...]
    goto: str
    scores: Mapping[str, int]
    """What this reply added to each principle's score."""

    def found(self) -> list[str]:
        """Ids of the behaviours found, in detector order."""
        return [f.id for f in self.feedback]


@dataclass(frozen=True)
class State:
    """Where a role-play stands. Never changed: every move returns a new state."""

    scenario: Scenario
    kit: Kit = field(repr=False)
    node: str
    """The current turn, or the ending once finished."""
    variables: Mapping[str, int]
    exchanges: tuple[Exchange, ...] = ()
    """The replies that stand, in order."""
    retried: tuple[Exchange, ...] = ()
    """Replies taken back with ``retry``, in the order they were taken back."""
    scores: Mapping[str, int] = field(default_factory=dict)
    """Running score per principle: good behaviours add one, bad ones take one away."""
    blocked: tuple[tuple[str, str], ...] = ()
    """(behaviour, turn) of every blocker shown in a reply that stands."""
    previous: State | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        """True once an ending is reached."""
        return self.node in self.scenario.endings

    @property
    def turn(self) -> Turn | None:
        """The turn waiting for a reply (None when finished)."""
        return self.scenario.turns.get(self.node)

    @property
    def ending(self) -> Ending | None:
        """The ending reached (None while playing)."""
        return self.scenario.endings.get(self.node)

    @property
    def outcome(self) -> str | None:
        """The ending's outcome, ``fail`` when a blocker was shown; None while playing."""
        ending = self.ending
        if ending is None:
            return None
        return "fail" if self.blocked else ending.outcome

    def speaker(self) -> Person:
        """Who is speaking now (the persona at an ending)."""
        turn = self.turn
        return self.scenario.speaker(turn) if turn is not None else self.scenario.persona

    def line(self) -> Text | None:
        """What the customer says now: the turn's line, or the ending's last words."""
        if self.turn is not None:
            return self.turn.line
        return self.ending.line if self.ending is not None else None


@dataclass(frozen=True)
class Step:
    """What one reply produced."""

    state: State
    """The state after the reply."""
    exchange: Exchange

    @property
    def feedback(self) -> tuple[Feedback, ...]:
        """The behaviours found."""
        return self.exchange.feedback

    @property
    def changes(self) -> tuple[Change, ...]:
        """Variables the reply changed."""
        return self.exchange.changes

    @property
    def next_turn(self) -> Turn | None:
        """The customer's next turn (None when the conversation ended)."""
        return self.state.turn

    @property
    def ending(self) -> Ending | None:
        """The ending reached (None while it goes on)."""
        return self.state.ending


def start(scenario: Scenario, kit: Kit) -> State:
    """The scenario at its first turn, variables at their initial values, every principle at zero."""
    return State(
        scenario=scenario,
        kit=kit,
        node=scenario.start,
        variables=MappingProxyType(dict(scenario.variables)),
        scores=MappingProxyType({p: 0 for p in principle_ids()}),
    )


MAX_REPLY = 4000
"""Longest reply read, in characters (a spoken reply is a few sentences)."""




def clean_reply(text: str) -> str:
    """The reply as kept and shown: terminal escape sequences and control characters removed, spaces
    collapsed, at most ``MAX_REPLY`` characters. Markup-like text such as ``[bold]`` stays as typed."""
    text = ESCAPES.sub(" ", text[: MAX_REPLY * 4])
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return " ".join(text.split())[:MAX_REPLY]


def reply(state: State, text: str) -> Step:
    """Assess the reply, take the branch it earns, and return the feedback and the new state."""
    from coach.engine.assess import assess

    turn = state.turn
    if turn is None:
        raise RoleplayError("the role-play is over", "start it again to have another go")
    text = clean_reply(text)
    if not text:
        raise RoleplayError("empty reply", "type what you would say to the customer")
    detected = assess(state.kit.index, text).behaviours
    found = {d.id for d in detected}
    feedback = tuple(_feedback(state, turn, d.id, d.good, d.why) for d in detected)
    branch_no, move = choose(turn, found, state.variables)
    variables = dict(state.variables)
    changes = apply(move, variables)
    delta = score_delta(state.kit, found)
    scores = {p: state.scores.get(p, 0) + delta.get(p, 0) for p in state.scores}
    blockers = {b.behaviour for b in state.scenario.blockers}
    blocked = state.blocked + tuple((bid, state.node) for bid in found if bid in blockers)
    exchange = Exchange(
        turn=state.node,
        speaker=state.scenario.speaker(turn).name,
        line=turn.line,
        situation=turn.situation,
        reply=text,
        feedback=feedback,
        branch=branch_no,
        note=move.note,
        changes=tuple(changes),
        goto=move.goto,
        scores=MappingProxyType(delta),
    )
    new = replace(
        state,
        node=move.goto,
        variables=MappingProxyType(variables),
        exchanges=state.exchanges + (exchange,),
        scores=MappingProxyType(scores),
        blocked=blocked,
        previous=state,
    )
    return Step(new, exchange)


def retry(state: State) -> State:
    """Take back the last reply: the state before it, with the taken-back reply kept in ``retried``."""
    if state.previous is None or not state.exchanges:
        raise RoleplayError("nothing to retry yet", "reply to the customer first")
    return replace(state.previous, retried=state.retried + (state.exchanges[-1],))


def holds(branch: Branch, found: set[str], variables: Mapping[str, int]) -> bool:
    """Whether the branch's condition holds for the behaviours found and the variables."""
    when = branch.when
    if when.has and not all(b in found for b in when.has):
        return False
    if when.any and not any(b in found for b in when.any):
        return False
    if when.lacks and any(b in found for b in when.lacks):
        return False
    test = when.comparator()
    if when.var is not None and test is not None:
        value = variables.get(when.var, 0)
        name, number = test
        ok = {
            "below": value < number,
            "above": value > number,
            "equals": value == number,
            "at_least": value >= number,
            "at_most": value <= number,
        }[name]
        if not ok:
            return False
    return True


def choose(turn: Turn, found: set[str], variables: Mapping[str, int]) -> tuple[int | None, Move]:
    """The first branch that holds (its index), else the default (None)."""
    for i, branch in enumerate(turn.branches):
        if holds(branch, found, variables):
            return i, branch
    return None, turn.default


def apply(move: Move, variables: dict[str, int]) -> list[Change]:
    """Apply ``set`` then ``add`` to ``variables`` in place; the changes, in order."""
    changes: list[Change] = []
    for var, value in move.set.items():
        before = variables.get(var)
        variables[var] = value
        if before != value:
            changes.append(Change(var, before, value))
    for var, amount in move.add.items():
        before = variables.get(var)
        variables[var] = (before or 0) + amount
        if amount:
            changes.append(Change(var, before, variables[var]))
    return changes


def score_delta(kit: Kit, found: set[str]) -> dict[str, int]:
    """What the behaviours found add to each principle: +1 per good behaviour, -1 per bad one."""
    delta: dict[str, int] = {}
    for bid in found:
        behaviour = kit.library.behaviours.get(bid)
        if behaviour is None:
            continue
        for p in behaviour.principles:
            delta[p] = delta.get(p, 0) + (1 if behaviour.good else -1)
    return delta


def _feedback(state: State, turn: Turn, bid: str, good: bool, signals: list[str]) -> Feedback:
    behaviour = state.kit.library.behaviours[bid]
    better: tuple[Text, ...] = ()
    if not good:
        better = tuple(state.kit.say_lines(turn.situation)[:2]) + tuple(behaviour.better[:2])
    blocker = next((b.why for b in state.scenario.blockers if b.behaviour == bid), None)
    return Feedback(
        id=bid,
        good=good,
        title=behaviour.title,
        why=behaviour.why,
        signals=tuple(signals),
        principles=tuple(behaviour.principles),
        better=better,
        blocker=blocker,
    )


# ---------------------------------------------------------------------------------------------- debrief


@dataclass(frozen=True)
class BestLines:
    """The playbook's lines for a situation the trainee met."""

    situation: str
    title: Text
    lines: tuple[Text, ...]


@dataclass(frozen=True)
class Debrief:
    """The end of a role-play: outcome, lesson, transcript with feedback, scorecard, the lines to learn."""

    scenario: Scenario
    ending_id: str | None
    ending: Ending | None
    outcome: str | None
    """success, partial or fail; None when the role-play was left before an ending."""
    blocked: tuple[tuple[str, str, Text], ...]
    """(behaviour, turn, why it fails the scenario) for every blocker shown."""
    exchanges: tuple[Exchange, ...]
    retried: tuple[Exchange, ...]
    scores: Mapping[str, int]
    best_lines: tuple[BestLines, ...]


def debrief(state: State) -> Debrief:
    """Everything the trainee should see at the end (or when leaving early)."""
    why = {b.behaviour: b.why for b in state.scenario.blockers}
    seen: dict[str, None] = {}
    for ex in state.exchanges:
        seen.setdefault(ex.situation, None)
    if state.turn is not None:
        seen.setdefault(state.turn.situation, None)
    best = tuple(
        BestLines(s, state.kit.title(s), state.kit.say_lines(s)[:3]) for s in seen if state.kit.say_lines(s)
    )
    return Debrief(
        scenario=state.scenario,
        ending_id=state.node if state.finished else None,
        ending=state.ending,
        outcome=state.outcome,
        blocked=tuple((bid, turn, why[bid]) for bid, turn in state.blocked),
        exchanges=state.exchanges,
        retried=state.retried,
        scores=state.scores,
        best_lines=best,
    )
