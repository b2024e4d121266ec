"""Review of the concession log (principle 7, "use concessions well"): pure figures over rows, and their
text and JSON renderings in English and Chinese.

The review works on the current version of each entry (what ``store.concessions.select`` returns by
default). Withdrawn entries are counted but not added to any total. Playbook advice is passed in as
``Advice`` values, so this module reads no files and can run on any rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Protocol, TypeVar, overload

from coach.domain.concessions import STAGES, STATUSES, TYPES
from coach.domain.concessions import UNIT_WORDS as UNIT_WORDS
from coach.domain.concessions import amount as amount
from coach.domain.concessions import number as number

# How amounts are written is part of the concession vocabulary (plans write them the same way).
from coach.i18n import labels, tr

PRINCIPLE_RULE = "principle.trade-concessions"
"""The playbook rule whose advice goes with a concession that got nothing back."""
NIBBLE_RULE = "tactic.nibble"
"""The playbook rule whose counter goes with concessions made after the deal."""
TEXT_LIMIT = 20
"""Longest list shown in the text rendering (the JSON has everything)."""
SEQUENCE_STEPS = 12
"""Sizes shown per negotiation in the text rendering (the most recent ones)."""
GROWTH_SHOWN = 6
"""Steps where the size grew named per negotiation in the text rendering."""


class Row(Protocol):
    """What the review needs of an entry (``coach.store.concessions.Concession`` has it)."""

    id: int
    when: str
    account: str
    meeting: str | None
    type: str
    give: str
    value: float | None
    unit: str | None
    get: str | None
    get_value: float | None
    get_unit: str | None
    tactic: str | None
    stage: str
    status: str


T = TypeVar("T")


class Partial(Sequence[T]):
    """A list of which only the last items are at hand (a review computed in the database reads just the
    entries its text shows). ``len()`` is the length of the whole list; indexing and slicing reach the
    loaded items only, and anything else (iterating a list that is not whole) is an ``IndexError``."""

    def __init__(self, total: int, last: Sequence[T]) -> None:
        self.total = total
        self.last = list(last)
        self.start = total - len(self.last)
        """Position of the first loaded item in the whole list."""

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            lo, hi, step = index.indices(self.total)
            if step == 1 and (hi <= lo or lo >= self.start):
                return self.last[lo - self.start : hi - self.start] if hi > lo else []
            raise IndexError(f"only the last {len(self.last)} of {self.total} items are loaded")
        i = index + self.total if index < 0 else index
        if not self.start <= i < self.total:
            raise IndexError(f"item {index} is not loaded (only the last {len(self.last)} of {self.total})")
        return self.last[i - self.start]

    def __iter__(self) -> Iterator[T]:
        if self.start:
            raise IndexError(f"only the last {len(self.last)} of {self.total} items are loaded")
        return iter(self.last)


@dataclass(frozen=True)
class Advice:
    """Playbook advice in both languages: a title and a few lines (steps, then what to say)."""

    rule_id: str
    title: Mapping[str, str]
    lines: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def as_dict(self, lang: str) -> dict[str, Any]:
        """The advice in one language, JSON-ready."""
        return {
            "rule": self.rule_id,
            "title": self.title.get(lang, ""),
            "lines": list(self.lines.get(lang, [])),
        }


DEFAULT_ADVICE = Advice(
    PRINCIPLE_RULE,
    {"en": "Use concessions well", "zh": "善于利用让步"},
    {
        "en": [
            "Never give anything for nothing: ask for something back, and say it conditionally — "
            "'if you…, then we…'."
        ],
        "zh": ["绝不白给：每次让步都要换回东西，用条件句说——“如果你们……，我们就……”。"],
    },
)
"""Principle 7's advice when the playbooks cannot be read."""


def _say(lang: str, text: str) -> str:
    return f"Say: “{text}”" if lang == "en" else f"可以这样说：“{text}”"


def advice_from_rules(
    rules: Mapping[str, Any], situations: Sequence[Mapping[str, str]]
) -> tuple[Advice, dict[str, Advice]]:
    """Principle 7's advice (first three steps and a line to say) and, for each taxonomy situation, the
    counter from its playbook rule (first two steps and a line to say; just the title when no rule is
    loaded). ``rules`` maps ids to playbook rules; ``situations`` are taxonomy entries (id, en, zh)."""

    def from_rule(rule_id: str, steps: int, title: Mapping[str, str]) -> Advice:
        rule = rules.get(rule_id)
        if rule is None:
            return Advice(rule_id, dict(title))
        r = rule.response
        lines = {
            lang: [getattr(s, lang) for s in r.steps[:steps]]
            + [_say(lang, getattr(s, lang)) for s in r.say[:1]]
            for lang in ("en", "zh")
        }
        return Advice(rule_id, {"en": rule.title.en, "zh": rule.title.zh}, lines)

    principle = from_rule(PRINCIPLE_RULE, 3, DEFAULT_ADVICE.title)
    counters = {s["id"]: from_rule(s["id"], 2, {"en": s["en"], "zh": s["zh"]}) for s in situations}
    return (principle if principle.lines else DEFAULT_ADVICE), counters


@dataclass
class TacticGroup:
    """Concessions made under one buyer tactic, with the counter from that tactic's playbook."""

    tactic: str
    entries: Sequence[Row]
    given: dict[str, float]
    counter: Advice | None


@dataclass
class SizeSequence:
    """Concession sizes in one negotiation (account + meeting) in one unit, in time order."""

    account: str
    meeting: str
    unit: str
    entries: list[Row]
    """The entries in time order (each has a value in ``unit``)."""
    growth: list[tuple[int, int]]
    """(earlier id, later id) for each step where the size grew instead of shrinking."""


@dataclass
class Review:
    """Every figure of a review."""

    entries: int
    withdrawn: int
    given: dict[str, float]
    received: dict[str, float]
    given_without_value: int
    with_return: int
    nothing_in_return: Sequence[Row]
    advice: Advice
    tactics: list[TacticGroup]
    sequences: list[SizeSequence]
    after_deal: Sequence[Row]
    after_deal_counter: Advice | None

    @property
    def share_with_return(self) -> float | None:
        """Share of counted concessions that got something back (None when there are none)."""
        return self.with_return / self.entries if self.entries else None


def _add(totals: dict[str, float], unit: str | None, value: float | None) -> None:
    if unit is not None and value is not None:
        totals[unit] = totals.get(unit, 0.0) + value


_WHEN = attrgetter("when")
_WHEN_ID = attrgetter("when", "id")


def _fold_case(groups: Mapping[tuple[str, str, str], list[Row]]) -> list[list[Row]]:
    """Merge groups whose account and meeting differ only in case ("Carrefour" / "carrefour")."""
    folded: dict[tuple[str, str, str], list[list[Row]]] = {}
    for (account, meeting, unit), group in groups.items():
        folded.setdefault((account.casefold(), meeting.casefold(), unit), []).append(group)
    out = []
    for parts in folded.values():
        if len(parts) == 1:
            out.append(parts[0])
        else:
            out.append(sorted((r for part in parts for r in part), key=_WHEN_ID))
    return out


def sized(
    counted: Sequence[Row],
) -> tuple[dict[str, float], dict[str, float], dict[str, dict[str, float]], list[SizeSequence]]:
    """What counted entries (in time order) add up to: given and received per unit, given per tactic and
    unit, and the size sequences. Sizes are added in time order (so totals do not depend on how the rows
    were read); entries with neither a size nor a return change nothing here."""
    given: dict[str, float] = {}
    received: dict[str, float] = {}
    by_tactic: dict[str, dict[str, float]] = {}
    by_meeting: dict[tuple[str, str, str], list[Row]] = {}
    for row in counted:
        value, unit = row.value, row.unit
        if value is not None and unit is not None:
            given[unit] = given.get(unit, 0.0) + value
            if row.meeting:
                key = (row.account, row.meeting, unit)
                group = by_meeting.get(key)
                if group is None:
                    by_meeting[key] = [row]
                else:
                    group.append(row)
            if row.tactic:
                totals = by_tactic.get(row.tactic)
                if totals is None:
                    by_tactic[row.tactic] = {unit: 0.0 + value}  # as a first addition to 0.0
                else:
                    totals[unit] = totals.get(unit, 0.0) + value
        if row.get is not None:
            _add(received, row.get_unit, row.get_value)
    sequences = []
    for group in _fold_case(by_meeting):
        if len(group) < 2:
            continue
        growth = [
            (a.id, b.id) for a, b in zip(group, group[1:], strict=False) if (b.value or 0) > (a.value or 0)
        ]
        first = group[0]
        sequences.append(SizeSequence(first.account, first.meeting or "", first.unit or "", group, growth))
    sequences.sort(key=lambda s: (not s.growth, s.account.casefold(), s.meeting.casefold(), s.unit))
    return given, received, by_tactic, sequences


def review(
    rows: Sequence[Row], advice: Advice | None = None, counters: Mapping[str, Advice] | None = None
) -> Review:
    """Analyse current entries: totals, share with a return, nothing-back, tactics, size sequences, nibbles.

    Rows are put in time order; the sort is stable, so rows with the same time keep the order given
    (the store gives them by id).
    """
    counters = counters or {}
    counted = [r for r in rows if r.status != "withdrawn"]
    withdrawn = len(rows) - len(counted)
    counted.sort(key=_WHEN)
    without_value = 0
    nothing: list[Row] = []
    with_return = 0
    by_tactic: dict[str, list[Row]] = {}
    after: list[Row] = []
    for row in counted:
        if row.value is None:
            without_value += 1
        if row.get is None:
            nothing.append(row)
        else:
            with_return += 1
        if row.tactic:
            by_tactic.setdefault(row.tactic, []).append(row)
        if row.stage == "after-deal":
            after.append(row)
    given, received, tactic_given, sequences = sized(counted)
    tactics = [
        TacticGroup(tactic, group, tactic_given.get(tactic, {}), counters.get(tactic))
        for tactic, group in sorted(by_tactic.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    return Review(
        entries=len(counted),
        withdrawn=withdrawn,
        given=given,
        received=received,
        given_without_value=without_value,
        with_return=with_return,
        nothing_in_return=nothing,
        advice=advice or DEFAULT_ADVICE,
        tactics=tactics,
        sequences=sequences,
        after_deal=after,
        after_deal_counter=counters.get(NIBBLE_RULE),
    )


# ----------------------------------------------------------------------------------------- renderings


TYPE_LABELS = labels("concession.type.", TYPES)
"""Each concession type in the reader's language (the words are in coach/i18n)."""
STAGE_LABELS = labels("concession.stage.", STAGES)
STATUS_LABELS = labels("concession.status.", STATUSES)


def _totals(totals: Mapping[str, float], lang: str) -> str:
    if not totals:
        return tr(lang, "log.report.nothing")
    return " · ".join(amount(v, u, lang) for u, v in sorted(totals.items()))


def _percent(share: float) -> str:
    return f"{math.floor(share * 100 + 0.5)}%"


def entry_line(row: Row, lang: str = "en") -> str:
    """One entry on one line: id, date, account / meeting, type: what was given (amount) ← what came back."""
    where = row.account + (f" / {row.meeting}" if row.meeting else "")
    given = f"{TYPE_LABELS[lang][row.type]}: {row.give}"
    size = amount(row.value, row.unit, lang)
    if size:
        given += f" ({size})"
    back = row.get or tr(lang, "log.report.nothing")
    back_size = amount(row.get_value, row.get_unit, lang)
    if row.get and back_size:
        back += f" ({back_size})"
    return f"#{row.id}  {row.when[:10]}  {where}  {given}  ← {back}"


def _limited(rows: Sequence[Row], lang: str, indent: str = "  ") -> list[str]:
    shown = list(rows[-TEXT_LIMIT:])  # the most recent ones matter most before the next meeting
    lines = [indent + entry_line(r, lang) for r in shown]
    if len(rows) > len(shown):
        lines.insert(0, indent + tr(lang, "log.report.more", n=len(rows) - len(shown)))
    return lines


def _advice_lines(advice: Advice, lang: str, indent: str) -> list[str]:
    return [f"{indent}- {line}" for line in advice.lines.get(lang, [])]


def render_text(rv: Review, lang: str = "en", scope: str | None = None) -> str:
    """The review as readable text; user text appears literally (callers print it without markup)."""
    head = f"{tr(lang, 'log.report.title')} — {scope or tr(lang, 'log.report.all')}"
    if rv.entries == 0 and rv.withdrawn == 0:
        return f"{head}\n\n{tr(lang, 'log.report.empty')}"
    counts = tr(lang, "log.report.counted", n=rv.entries)
    if rv.withdrawn:
        counts += tr(lang, "log.report.withdrawn", n=rv.withdrawn)
    given = _totals(rv.given, lang)
    if rv.given_without_value:
        given += tr(lang, "log.report.no_value", n=rv.given_without_value)
    received = _totals(rv.received, lang)
    if not rv.received and rv.with_return:
        received = tr(lang, "log.report.described_only", n=rv.with_return)
    lines = [
        head,
        counts,
        "",
        tr(lang, "log.report.given", v=given),
        tr(lang, "log.report.received", v=received),
    ]
    if rv.share_with_return is not None:
        lines.append(
            tr(lang, "log.report.share", a=rv.with_return, b=rv.entries, p=_percent(rv.share_with_return))
        )
    if rv.nothing_in_return:
        lines += ["", tr(lang, "log.report.nothing_back", n=len(rv.nothing_in_return))]
        lines += _limited(rv.nothing_in_return, lang)
        lines.append("  " + tr(lang, "log.report.principle", title=rv.advice.title.get(lang, "")))
        lines += _advice_lines(rv.advice, lang, "    ")
    if rv.tactics:
        lines += ["", tr(lang, "log.report.tactics")]
        for group in rv.tactics:
            title = group.counter.title.get(lang, "") if group.counter else ""
            name = f"{title} [{group.tactic}]" if title else f"[{group.tactic}]"
            n = len(group.entries)
            lines.append("  " + tr(lang, "log.report.group", name=name, n=n, v=_totals(group.given, lang)))
            lines += _limited(group.entries, lang, "    ")
            if group.counter and group.counter.lines.get(lang):
                lines.append("    " + tr(lang, "log.report.counter"))
                lines += _advice_lines(group.counter, lang, "      ")
            else:
                lines.append("    " + tr(lang, "log.report.no_counter"))
    if rv.sequences:
        lines += ["", tr(lang, "log.report.sequences")]
        shown = rv.sequences[:TEXT_LIMIT]
        for seq in shown:
            steps = " → ".join(amount(r.value, seq.unit, lang) for r in seq.entries[-SEQUENCE_STEPS:])
            if len(seq.entries) > SEQUENCE_STEPS:
                steps = "… → " + steps
            lines.append(f"  {'⚠' if seq.growth else '✓'} {seq.account} / {seq.meeting}: {steps}")
            if seq.growth:
                pairs = ", ".join(f"#{a} → #{b}" for a, b in seq.growth[:GROWTH_SHOWN])
                if len(seq.growth) > GROWTH_SHOWN:
                    pairs += ", …"
                lines.append("    " + tr(lang, "log.report.grew", pairs=pairs))
        if len(rv.sequences) > len(shown):
            lines.append("  " + tr(lang, "log.report.more", n=len(rv.sequences) - len(shown)))
    if rv.after_deal:
        lines += ["", tr(lang, "log.report.after_deal", n=len(rv.after_deal))]
        lines += _limited(rv.after_deal, lang)
        if rv.after_deal_counter and rv.after_deal_counter.lines.get(lang):
            lines.append(
                "  " + tr(lang, "log.report.counter_of", title=rv.after_deal_counter.title.get(lang, ""))
            )
            lines += _advice_lines(rv.after_deal_counter, lang, "    ")
    return "\n".join(lines)


def _ids(rows: Sequence[Row]) -> list[int]:
    return [r.id for r in rows]


def to_json(rv: Review, lang: str = "en", scope: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The same figures as the text, as one JSON-ready object (entries by id, advice in ``lang``)."""
    return {
        "scope": dict(scope or {}),
        "entries": rv.entries,
        "withdrawn": rv.withdrawn,
        "given": dict(sorted(rv.given.items())),
        "received": dict(sorted(rv.received.items())),
        "given_without_value": rv.given_without_value,
        "with_return": rv.with_return,
        "share_with_return": rv.share_with_return,
        "nothing_in_return": {
            "count": len(rv.nothing_in_return),
            "ids": _ids(rv.nothing_in_return),
            "advice": rv.advice.as_dict(lang),
        },
        "tactics": [
            {
                "tactic": g.tactic,
                "count": len(g.entries),
                "given": dict(sorted(g.given.items())),
                "ids": _ids(g.entries),
                "counter": g.counter.as_dict(lang) if g.counter else None,
            }
            for g in rv.tactics
        ],
        "sequences": [
            {
                "account": s.account,
                "meeting": s.meeting,
                "unit": s.unit,
                "ids": _ids(s.entries),
                "when": [r.when for r in s.entries],
                "values": [r.value for r in s.entries],
                "grows": bool(s.growth),
                "growth": [{"from": a, "to": b} for a, b in s.growth],
            }
            for s in rv.sequences
        ],
        "after_deal": {
            "count": len(rv.after_deal),
            "ids": _ids(rv.after_deal),
            "counter": rv.after_deal_counter.as_dict(lang) if rv.after_deal_counter else None,
        },
    }
