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

from coach.content.loader import taxonomy
from coach.content.models import Text
from coach.content.scenarios import Branch, Ending, Move, Person, Scenario, Turn
from coach.engine.assess import assess, build_behaviour_index, surface
from coach.engine.moves import Given as Amount
from coach.engine.moves import check_limits, find_amounts, items_in, totals
from coach.engine.moves import limit_unit as kind
from coach.engine.normalize import ESCAPES
from coach.errors import CoachError
from coach.roleplay.compose import (
    Account,
    Concession,
    account_lines,
    blocked_lesson,
    fill_text,
    money_item,
    over_limit_why,
)
from coach.store.sessions import asked_in_return

if TYPE_CHECKING:
    from coach.content.loader import Library
    from coach.engine.assess import BehaviourIndex
    from coach.engine.moves import Given, Limit, Passed

CONCESSIONS = ("reply.conditional-concession", "reply.unconditional-concession")
"""Behaviours that mean the trainee gave something (written to the concession log as practice)."""
OVER_LIMIT = "reply.over-limit"
"""The behaviour of a reply that takes the session's total past a limit in the scenario's ``limits_check``."""


class RoleplayError(CoachError):
    """A move the state does not allow (replying after the end, retrying before any reply, an empty reply)."""


def principle_ids() -> list[str]:
    """The eight principles, in the course's order (the scorecard's rows)."""

    return [s["id"] for s in taxonomy()["situations"]["principle"]]


@dataclass(frozen=True)
class Kit:
    """What the runner needs from the playbooks: the behaviours, their detector and the rules."""

    library: Library
    index: BehaviourIndex
    cache: dict[tuple[str, ...], bool] = field(default_factory=dict, repr=False, compare=False)
    """Whether a playbook line fits a buyer's line (better lines are checked once per turn and language)."""
    amounts: dict[str, frozenset[float]] = field(default_factory=dict, repr=False, compare=False)
    """The values of the amounts each text read names (``named``)."""
    items: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    """The trade items each text read is about (``about``)."""

    @classmethod
    def build(cls, library: Library) -> Kit:
        """Compile the library's reply behaviours."""

        return cls(library, build_behaviour_index(library))

    def named(self, text: str) -> frozenset[float]:
        """The values of the amounts ``text`` names, remembered (a buyer's line and its scenario are read
        for every line that may answer it)."""
        found = self.amounts.get(text)
        if found is None:
            found = self.amounts[text] = frozenset(a.value for a in find_amounts(surface(text)))
        return found

    def about(self, text: str) -> frozenset[str]:
        """The trade items ``text`` is about, remembered."""
        found = self.items.get(text)
        if found is None:
            found = self.items[text] = frozenset(items_in(surface(text).lower()))
        return found

    def title(self, rule_id: str) -> Text:
        """A rule's or principle's title in both languages (the taxonomy's name when no rule has it)."""
        rule = self.library.rules.get(rule_id)
        if rule is not None:
            return rule.title

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
    given: tuple[Given, ...] = ()
    """Amounts the reply gave (the assessor's moves)."""
    passed: tuple[Passed, ...] = ()
    """Limits the session's running total went past with this reply (totals against the full limits)."""
    withheld: tuple[str, ...] = ()
    """Good behaviours found but not shown as praise (a trade that goes past a limit is not a good trade)."""
    asked: str | None = None
    """The trainee's own words asking for something in return, in a conditional concession."""

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
    lang: str = "en"
    """The session's language: the buyer's line in it is the context each reply is judged in."""
    limits: tuple[Limit, ...] = ()
    """The scenario's ``limits_check``, checked against the running total of what was given."""

    def offers(self) -> tuple[tuple[Given, ...], ...]:
        """The amounts given by each standing reply, oldest first."""
        return tuple(ex.given for ex in self.exchanges)

    def given(self) -> list[Given]:
        """Every amount given in the replies that stand."""
        return [g for ex in self.exchanges for g in ex.given]

    def passed(self) -> list[Passed]:
        """The limits the session's running total went past."""

        return check_limits(self.given(), self.limits)

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
        """What the customer says now: the turn's line, or the ending's last words, with the amounts the
        trainee offered filled in."""

        line = self.turn.line if self.turn is not None else (self.ending.line if self.ending else None)
        return fill_text(line, self.offers(), self.limits) if line is not None else None


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


def start(scenario: Scenario, kit: Kit, lang: str = "en") -> State:
    """The scenario at its first turn, variables at their initial values, every principle at zero; replies
    are judged after the buyer's lines in ``lang``."""
    return State(
        scenario=scenario,
        kit=kit,
        node=scenario.start,
        variables=MappingProxyType(dict(scenario.variables)),
        scores=MappingProxyType({p: 0 for p in principle_ids()}),
        lang=lang if lang in ("en", "zh") else "en",
        limits=scenario.limit_values(),
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

    turn = state.turn
    if turn is None:
        raise RoleplayError("the role-play is over", "start it again to have another go")
    text = clean_reply(text)
    if not text:
        raise RoleplayError("empty reply", "type what you would say to the customer")
    line = state.line() or turn.line
    context = getattr(line, state.lang) or line.en
    before = state.given()
    # The assessor judges the reply against what is left of each limit, so a reply that takes the
    # session's running total past it is over the limit even when its own amount is not.
    assessment = assess(state.kit.index, text, context, remaining(state.limits, before))
    moves = assessment.moves
    read = [resolve(g, state.limits) for g in (moves.given if moves is not None else [])]
    confirmed = [g for g in read if _same(g, before)]
    if confirmed and OVER_LIMIT in {d.id for d in assessment.behaviours}:
        # An amount already given (often the buyer's line repeating the trainee's own offer) is confirmed,
        # not given twice: judge the reply against the limits as they were before that amount.
        rest = list(before)
        for g in confirmed:
            rest.remove(next(h for h in rest if _same(g, [h])))
        assessment = assess(state.kit.index, text, context, remaining(state.limits, rest))
        moves = assessment.moves
    given = tuple(g for g in read if not _same(g, before))
    detected = list(assessment.behaviours)
    if (read and not given) or (not read and before and _restates(context, before)):
        # A yes to the buyer's line that only repeats what was already given confirms the deal; it is not
        # a new concession (it still counts when the reply's own words give something).
        detected = [d for d in detected if not (d.id in CONCESSIONS and _only_agrees(d.why))]
    found = {d.id for d in detected}
    passed: tuple[Passed, ...] = ()
    if OVER_LIMIT in found:
        over = {p.limit.item for p in (moves.passed if moves is not None else [])}
        passed = tuple(p for p in check_limits([*before, *given], state.limits) if p.limit.item in over)
    # A trade past the limit is never praised: its good concession stays out of the feedback and the score
    # (it still picks the branch and goes to the concession log).
    withheld = tuple(d.id for d in detected if OVER_LIMIT in found and d.good and d.id in CONCESSIONS)
    shown = [d for d in detected if d.id not in withheld]
    feedback = tuple(_feedback(state, turn, context, d.id, d.good, d.why, passed) for d in shown)
    branch_no, move = choose(turn, found, state.variables)
    variables = dict(state.variables)
    changes = apply(move, variables)
    delta = score_delta(state.kit, found - set(withheld))
    scores = {p: state.scores.get(p, 0) + delta.get(p, 0) for p in state.scores}
    blockers = blocker_ids(state.scenario)
    blocked = state.blocked + tuple((bid, state.node) for bid in found if bid in blockers)
    note = move.note
    if (
        OVER_LIMIT in found
        and isinstance(move, Branch)
        and OVER_LIMIT not in {*move.when.has, *move.when.any}
    ):
        note = None  # the author's remark was written for a reply within the limits
    asked = None
    if "reply.conditional-concession" in found or (moves is not None and moves.trade):
        asked = asked_in_return(text)
    exchange = Exchange(
        turn=state.node,
        speaker=state.scenario.speaker(turn).name,
        line=line,
        situation=turn.situation,
        reply=text,
        feedback=feedback,
        branch=branch_no,
        note=note,
        changes=tuple(changes),
        goto=move.goto,
        scores=MappingProxyType(delta),
        given=given,
        passed=passed,
        withheld=withheld,
        asked=asked,
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


def resolve(g: Given, limits: tuple[Limit, ...]) -> Given:
    """An amount with its item: money given with no item named is about the only money limit in force
    (as ``check_limits`` counts it)."""

    item = money_item(limits)
    if g.item == "other" and item is not None and g.unit not in ("percent", "days", "units"):
        return replace(g, item=item)
    return g


def _only_agrees(why: list[str]) -> bool:
    """Whether a behaviour was found only because the reply says yes to the buyer's line (or to the trade
    the line proposes)."""
    return bool(why) and all(w in ("move: agrees-to-ask", "move: trade") for w in why)


def _restates(context: str, before: list[Given]) -> bool:
    """Whether the buyer's line quotes figures, all of them already given by the trainee (the buyer sums up
    the deal: "All right: two points, the front page...")."""

    quoted = [a for a in find_amounts(surface(context)) if a.unit in ("percent", "money", "days", "units")]
    return bool(quoted) and all(_same(Amount("other", a.value, a.unit, a.text), before) for a in quoted)


def limit_unit(unit: str) -> str:
    """The kind of a unit (percent, days, units or money)."""

    return kind(unit)


def _same(g: Given, earlier: list[Given]) -> bool:
    """Whether the same amount in the same unit was already given (the buyer repeating a figure may name
    it under another item: "ten thousand per SKU, with the flyer")."""
    return any(limit_unit(h.unit) == limit_unit(g.unit) and abs(h.value - g.value) < 1e-9 for h in earlier)


def blocker_ids(scenario: Scenario) -> set[str]:
    """The behaviours that fail the attempt: the scenario's blockers, and going past a limit in its
    ``limits_check`` unless it says ``over_limit: feedback``."""
    ids = {b.behaviour for b in scenario.blockers}
    if scenario.limits_check and scenario.over_limit == "blocker":
        ids.add(OVER_LIMIT)
    return ids


def remaining(limits: tuple[Limit, ...], given: list[Given]) -> tuple[Limit, ...]:
    """Each limit less what was already given on its item (one checker: ``check_limits`` sums it)."""
    if not limits or not given:
        return limits

    spent = check_limits(given, [replace(lim, value=0.0) for lim in limits])
    used = {(p.limit.item, p.limit.unit): p.total for p in spent}
    return tuple(replace(lim, value=lim.value - used.get((lim.item, lim.unit), 0.0)) for lim in limits)


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


def _feedback(
    state: State,
    turn: Turn,
    context: str,
    bid: str,
    good: bool,
    signals: list[str],
    passed: tuple[Passed, ...] = (),
) -> Feedback:
    behaviour = state.kit.library.behaviours[bid]
    better: tuple[Text, ...] = ()
    if not good:
        better = better_lines(state, turn, context, bid)
    blocker = next((b.why for b in state.scenario.blockers if b.behaviour == bid), None)
    if blocker is None and bid == OVER_LIMIT and bid in blocker_ids(state.scenario) and passed:
        blocker = over_limit_why(passed)
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


def better_lines(state: State, turn: Turn, context: str, bid: str) -> tuple[Text, ...]:
    """Lines to say instead of a bad behaviour: up to two of the playbook lines for the buyer's line (the
    turn's situation) that fit it, then one of the behaviour's own. A line fits when, said after the buyer's
    line in the session's language, it shows no bad behaviour, quotes no figure foreign to the scenario
    (no "2 million" nobody mentioned) and, for the behaviour's generic lines, names no trade item the
    conversation is not about."""
    kit = state.kit
    lang = state.lang
    world = _world(state, context)
    rule = [t for t in kit.say_lines(turn.situation) if _fits(kit, t, lang, context, world, topical=False)]
    own = [t for t in kit.library.behaviours[bid].better if _fits(kit, t, lang, context, world, topical=True)]
    return tuple(rule[:2]) + tuple(own[: 1 if rule else 2])


def _world(state: State, context: str) -> str:
    """What the conversation is about, as text: the buyer's line, the setting, objective and limits."""
    sc = state.scenario
    parts = [context, *(getattr(t, state.lang) for t in (sc.setting, sc.objective, *sc.limits))]
    return " ".join(parts)


def _fits(kit: Kit, line: Text, lang: str, context: str, world: str, *, topical: bool) -> bool:
    said = getattr(line, lang) or line.en
    key = (said, lang, context, world if topical else "", "t" if topical else "")
    hit = kit.cache.get(key)
    if hit is not None:
        return hit

    ok = True
    if not kit.named(said) <= kit.named(world):  # a figure nobody mentioned
        ok = False
    if ok and topical:
        ok = not (kit.about(said) - kit.about(world) - {"other"})
    if ok:
        ok = not any(not d.good for d in assess(kit.index, said, context).behaviours)
    kit.cache[key] = ok
    return ok


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
    lesson: Text | None = None
    """The ending's lesson when the outcome is the ending's own; when a blocker failed the attempt, a line
    that says so instead (an ending's praise never follows a fail)."""
    account: tuple[Text, ...] = ()
    """What happened, composed from the session's moves: what was given and asked back, limits passed,
    principles shown and missed, the turning point."""
    passed: tuple[Passed, ...] = ()
    """Limits the session's total went past."""
    turning_point: int | None = None
    """Index in ``exchanges`` of the reply that decided the outcome."""
    last_line: Text | None = None
    """The customer's last words at the ending, with the trainee's amounts filled in."""


def turning_point(state: State) -> int | None:
    """The reply that decided the outcome: the first blocker; else, short of success, the first reply with
    a bad behaviour (or the first that moved nothing); on success, the first good reply that moved the
    conversation on."""
    exchanges = state.exchanges
    if not exchanges:
        return None
    blocked = {turn for _, turn in state.blocked}
    bids = {bid for bid, _ in state.blocked}
    for i, ex in enumerate(exchanges):
        if ex.turn in blocked and bids & set(ex.found()):
            return i
    if state.outcome in ("fail", "partial"):
        for i, ex in enumerate(exchanges):
            if any(not f.good for f in ex.feedback):
                return i
        for i, ex in enumerate(exchanges):
            if ex.branch is None:
                return i
        return len(exchanges) - 1
    if state.outcome == "success":
        for i, ex in enumerate(exchanges):
            if ex.branch is not None and any(f.good for f in ex.feedback):
                return i
    return None


def account(state: State, point: int | None) -> tuple[Text, ...]:
    """The session's moves in sentences (``coach.roleplay.compose``)."""

    concessions = []
    for n, ex in enumerate(state.exchanges, 1):
        ids = set(ex.found()) | set(ex.withheld)
        if ex.given or ids & set(CONCESSIONS):
            traded = "reply.conditional-concession" in ids
            concessions.append(Concession(n, ex.given, ex.asked if traded else None, traded, bool(ex.passed)))
    given = state.given()
    sums = totals(given)
    rows = tuple((item, value, unit) for item, (value, unit) in sums.items())
    kit = state.kit
    shown = tuple(kit.title(p) for p, v in state.scores.items() if v > 0)
    missed = tuple(kit.title(p) for p, v in state.scores.items() if v < 0)
    turn = None
    if point is not None:
        ex = state.exchanges[point]
        bad = [f.title for f in ex.feedback if not f.good]
        good = [f.title for f in ex.feedback if f.good]
        what = tuple(bad if (bad and state.outcome != "success") else good or bad)
        if what:
            turn = (point + 1, ex.reply, what)
    return account_lines(
        Account(
            concessions=tuple(concessions),
            totals=rows,
            passed=tuple(check_limits(given, state.limits)),
            limits=state.limits,
            shown=shown,
            missed=missed,
            turn=turn,
        )
    )


def debrief(state: State) -> Debrief:
    """Everything the trainee should see at the end (or when leaving early)."""

    why = {b.behaviour: b.why for b in state.scenario.blockers}
    for bid, turn in state.blocked:
        if bid not in why:  # the implicit over-limit blocker: its why carries the figures
            found = [
                f.blocker for ex in state.exchanges if ex.turn == turn for f in ex.feedback if f.id == bid
            ]
            why[bid] = next((w for w in found if w is not None), None) or over_limit_why(state.passed())
    seen: dict[str, None] = {}
    for ex in state.exchanges:
        seen.setdefault(ex.situation, None)
    if state.turn is not None:
        seen.setdefault(state.turn.situation, None)
    best = tuple(
        BestLines(s, state.kit.title(s), state.kit.say_lines(s)[:3]) for s in seen if state.kit.say_lines(s)
    )
    ending = state.ending
    lesson: Text | None = None
    if ending is not None:
        if state.outcome == ending.outcome:
            lesson = ending.debrief
        else:
            titles = []
            for bid, _ in state.blocked:
                b = state.kit.library.behaviours.get(bid)
                if b is not None and b.title not in titles:
                    titles.append(b.title)
            lesson = blocked_lesson(ending.title or Text(en=ending.outcome, zh=ending.outcome), titles)
    point = turning_point(state)
    return Debrief(
        scenario=state.scenario,
        ending_id=state.node if state.finished else None,
        ending=ending,
        outcome=state.outcome,
        blocked=tuple((bid, turn, why[bid]) for bid, turn in state.blocked),
        exchanges=state.exchanges,
        retried=state.retried,
        scores=state.scores,
        best_lines=best,
        lesson=lesson,
        account=account(state, point) if state.exchanges else (),
        passed=tuple(check_limits(state.given(), state.limits)),
        turning_point=point,
        last_line=state.line() if ending is not None else None,
    )
