"""Detect the behaviours in an account manager's reply (role-play feedback). Pure: no I/O.

Each behaviour adds up the weights of its signals found in the reply (words and phrases, matched
after the same normalisation and synonym mapping as situations; regular expressions, matched on the
lower-cased, half-width reply with its punctuation kept, so a question mark counts). Negative weights
are evidence against. A behaviour is present when its score reaches its threshold; then the
behaviours it ``suppresses`` are dropped (a conditional concession is not also unconditional).

A behaviour (or a single signal) may be scoped to the sentence: its signals then add up within one
sentence at a time and the best sentence counts, so a number in one sentence and "grew" in the next
do not make a fact, and "how about ...?" does not cancel a real question asked two sentences later.
Signals scoped to the reply count in every sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from coach.engine.index import needle, render, required_groups
from coach.engine.moves import Limit, Moves, Passed, offers, read_moves
from coach.engine.normalize import Synonyms, clean, surface  # noqa: F401 - surface: its home was here

if TYPE_CHECKING:
    from coach.content.loader import Library


_ABBREV = re.compile(
    r"(?:\b[a-z]\.[a-z]|\b(?:mr|mrs|ms|dr|vs|approx|etc|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec))\.$"
)
_END = re.compile(r"[!?]+|\.+(?=\s|$)")


def sentences(text: str) -> list[str]:
    """A surface text cut into sentences after . ! ? (full-width ones too, as ``surface`` makes them ASCII).

    A full stop counts only before a space or the end (so 2.5% stays whole) and not after an abbreviation
    such as p.m. or e.g.; ? and ! cut even when Chinese follows with no space. A semicolon joins
    two halves of one sentence, so it does not cut. Never empty: "" gives [""].
    """
    out: list[str] = []
    start = 0
    for m in _END.finditer(text):
        if m.group(0)[0] == "." and _ABBREV.search(text[start : m.end()]):
            continue
        piece = text[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail or not out:
        out.append(tail)
    return out


@dataclass(frozen=True)
class Detected:
    """A behaviour found in a reply, with its score and the signals that made it."""

    id: str
    good: bool
    score: float
    why: list[str]

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``coach assess --json``."""
        return {"id": self.id, "good": self.good, "score": round(self.score, 3), "why": self.why}


@dataclass(frozen=True)
class Assessment:
    """Everything found in one reply (empty ``behaviours`` when nothing is), with the moves read from it."""

    reply: str
    behaviours: list[Detected]
    moves: Moves | None = None

    def concessions(self) -> list[dict[str, object]]:
        """The JSON shape of the amounts given: item, amount, unit, whether traded for something real, and
        whether the item's total goes past its limit."""
        if self.moves is None:
            return []
        ids = {d.id for d in self.behaviours}
        over = {p.limit.item for p in self.moves.passed}
        return [
            {
                "item": g.item,
                "amount": round(g.value, 4),
                "unit": g.unit,
                "condition": "reply.conditional-concession" in ids,
                "over_limit": g.item in over or (g.item == "rebate" and "price" in over),
            }
            for g in self.moves.given
        ]


@dataclass
class BehaviourIndex:
    """Compiled behaviours: per behaviour its word needles and regexes with weights and scopes."""

    ids: list[str]
    good: dict[str, bool]
    threshold: dict[str, float]
    terms: dict[str, list[tuple[str, str, float, bool]]]
    """behaviour -> (label, needle in the rendered reply, weight, looked for per sentence)."""
    regexes: dict[str, list[tuple[str, float, bool]]]
    """behaviour -> (pattern, weight, looked for per sentence)."""
    suppresses: dict[str, list[str]]
    synonyms: Synonyms
    moves: dict[str, list[str]]
    """behaviour -> moves that make it present."""
    unless: dict[str, list[str]]
    """behaviour -> moves that rule it out."""
    regex_groups: dict[str, list[list[str]]] = field(default_factory=dict)
    """regex -> every set of strings one of which each match contains (``index.required_groups``): a
    pattern is compiled and run only when each set has a string in the reply. Kept in the playbook cache,
    as working them out costs about as much as compiling the patterns."""


@lru_cache(maxsize=1024)
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def build_behaviour_index(lib: Library) -> BehaviourIndex:
    """Compile the library's behaviours (and its vocabulary, for word signals)."""
    synonyms = Synonyms.build(lib.concepts)
    terms: dict[str, list[tuple[str, str, float, bool]]] = {}
    regexes: dict[str, list[tuple[str, float, bool]]] = {}
    groups: dict[str, list[list[str]]] = {}
    for bid, b in lib.behaviours.items():
        terms[bid] = []
        regexes[bid] = []
        for sig in b.detect.signals:
            per_sentence = (sig.scope or b.detect.scope) == "sentence"
            if sig.regex is not None:
                regexes[bid].append((sig.regex, sig.weight, per_sentence))
                groups[sig.regex] = required_groups(sig.regex)
            else:
                toks = synonyms.apply(clean(sig.term or ""))[0]
                if toks:
                    terms[bid].append((sig.term or "", needle(render(toks)), sig.weight, per_sentence))
    return BehaviourIndex(
        ids=list(lib.behaviours),
        good={bid: b.good for bid, b in lib.behaviours.items()},
        threshold={bid: b.detect.threshold for bid, b in lib.behaviours.items()},
        terms=terms,
        regexes=regexes,
        suppresses={bid: list(b.suppresses) for bid, b in lib.behaviours.items()},
        synonyms=synonyms,
        moves={bid: [m.value for m in b.detect.moves] for bid, b in lib.behaviours.items()},
        unless={bid: [m.value for m in b.detect.unless] for bid, b in lib.behaviours.items()},
        regex_groups=groups,
    )


def _absent(index: BehaviourIndex, text: str) -> frozenset[str]:
    """The regexes that cannot match ``text`` (nor any part of it): a string every match holds is not in it."""
    return frozenset(
        pattern
        for pattern, groups in index.regex_groups.items()
        if any(not any(s in text for s in group) for group in groups)
    )


def _signals(
    index: BehaviourIndex,
    bid: str,
    text: str,
    rendered: str,
    per_sentence: bool,
    absent: frozenset[str] = frozenset(),
) -> tuple[float, list[str]]:
    """Score and why of one behaviour's signals of one scope found in ``text`` (``rendered`` for terms);
    the regexes in ``absent`` are known not to match."""
    score = 0.0
    why: list[str] = []
    for label, pin, weight, scoped in index.terms[bid]:
        if scoped == per_sentence and pin in rendered:
            score += weight
            why.append(f'"{label}" {weight:+g}')
    for pattern, weight, scoped in index.regexes[bid]:
        if scoped == per_sentence and pattern not in absent:
            m = _rx(pattern).search(text)
            if m:
                score += weight
                why.append(f'"{m.group(0).strip()}" {weight:+g}')
    return score, why


_MOVE_TEXT = {
    "over-limit": ("past the limit: {what}", "超出底线：{what}"),
    "trade": ("asks for something concrete in return", "要求采购拿出具体的东西来换"),
    "agrees-to-ask": ("says yes to what the buyer asked", "答应了采购刚提的要求"),
    "offers-amount": ("puts a figure on the table", "主动报出了让步的数字"),
    "giveaway": ("gives it without saying so", "不动声色地让了步"),
    "vague-concession": ("the 'if' asks nothing of the buyer", "这个“如果”没有要求采购付出任何东西"),
    "blame": ("puts the blame on the buyer's side", "把责任推到采购一方"),
    "dismissal": ("brushes the problem off", "把问题轻描淡写地带过"),
    "disown": ("passes the problem on instead of owning it", "把问题推给别人，自己不管"),
    "repeat-request": ("asks to hear it again", "请对方再说一遍"),
    "echo": ("only repeats the buyer's own figures", "只是重复了采购自己的数字"),
    "softened-refusal": ("'sorry' only softens a refusal", "“不好意思”只是让拒绝听起来客气些"),
}


def present_moves(moves: Moves, reply: str, concession: bool = False) -> dict[str, str]:
    """The moves found, each with a short reason (English; the faces translate via ``move_reason``);
    ``concession`` says whether the signals already found a concession in the reply."""
    out: dict[str, str] = {}
    conceding = (
        concession
        or any(g.item != "other" for g in moves.given)
        or (bool(moves.given) and offers(reply))
        or moves.agrees_to_ask
        or moves.giveaway
        or moves.answers_offer
    )
    if moves.passed and conceding:
        out["over-limit"] = "; ".join(passed_text(p, "en") for p in moves.passed)
    for name, flag in (
        ("trade", moves.trade and conceding),
        ("agrees-to-ask", moves.agrees_to_ask),
        ("offers-amount", moves.offers_amount),
        ("giveaway", moves.giveaway),
        ("vague-concession", moves.vague_condition and conceding),
        ("blame", moves.blame),
        ("dismissal", moves.dismissal),
        ("disown", moves.disown),
        ("repeat-request", moves.repeat_request),
        ("echo", moves.echo),
        ("softened-refusal", moves.softened_refusal),
    ):
        if flag:
            out[name] = ""
    return out


def _amount(value: float, unit: str, lang: str) -> str:
    num = f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit == "percent":
        return f"{num}%" if lang == "en" else f"{num}个点"
    if unit == "days":
        return f"{num} days" if lang == "en" else f"{num}天"
    if unit == "units":
        return f"{num} units" if lang == "en" else f"{num}件"
    return num if lang == "en" else f"{num}元"


_ITEM_NAMES = {
    "price": ("price/rebate", "价格/返利"),
    "rebate": ("rebate", "返利"),
    "payment-terms": ("payment terms", "账期"),
    "listing-fee": ("listing fee", "进场费"),
    "promotion": ("promotion money", "促销费用"),
    "display": ("display", "陈列费"),
    "free-goods": ("free goods", "赠品"),
    "other": ("other", "其他"),
}


def item_name(item: str, lang: str) -> str:
    """A concession item as a person reads it."""
    en, zh = _ITEM_NAMES.get(item, (item, item))
    return zh if lang == "zh" else en


def passed_text(p: Passed, lang: str) -> str:
    """ "listing fee 15,000 given, limit 8,000" in the reader's language."""
    name = item_name(p.limit.item, lang)
    got, lim = (
        _amount(p.total, p.limit.unit if p.limit.unit in ("percent", "days", "units") else "money", lang),
        _amount(
            p.limit.value, p.limit.unit if p.limit.unit in ("percent", "days", "units") else "money", lang
        ),
    )
    return f"{name} {got} given, limit {lim}" if lang == "en" else f"{name}给了{got}，底线是{lim}"


def move_reason(name: str, lang: str, moves: Moves | None = None) -> str:
    """Why a move counted, in the reader's language."""
    en, zh = _MOVE_TEXT[name]
    if name == "over-limit" and moves is not None:
        what = "; ".join(passed_text(p, lang) for p in moves.passed)
        return (en if lang == "en" else zh).format(what=what)
    return en if lang == "en" else zh


def assess(
    index: BehaviourIndex, reply: str, context: str = "", limits: tuple[Limit, ...] = ()
) -> Assessment:
    """The behaviours present in ``reply`` said after the buyer's ``context`` with ``limits`` in force, in
    taxonomy order of the library, each with why."""
    text = surface(reply)
    rendered = render(index.synonyms.apply(clean(reply))[0])
    parts: list[tuple[str, str]] | None = None
    found: dict[str, tuple[float, list[str]]] = {}
    absent = _absent(index, text)
    for bid in index.ids:
        score, why = _signals(index, bid, text, rendered, False, absent)
        if any(s[2] for s in index.regexes[bid]) or any(t[3] for t in index.terms[bid]):
            if parts is None:
                parts = [(s, render(index.synonyms.apply(clean(s))[0])) for s in sentences(text)]
            best: tuple[float, list[str]] | None = None
            for part, part_rendered in parts:
                got = _signals(index, bid, part, part_rendered, True, absent)
                if best is None or got[0] > best[0]:
                    best = got
            assert best is not None
            score, why = score + best[0], why + best[1]
        if (
            index.threshold[bid] > 0
            and score >= index.threshold[bid] - 1e-9
            and (index.regexes[bid] or index.terms[bid])
        ):
            found[bid] = (score, why)
    moves = read_moves(text, surface(context), limits)
    conceded = "reply.conditional-concession" in found or "reply.unconditional-concession" in found
    present = present_moves(moves, text, conceded)
    for bid in index.ids:
        if any(m in present for m in index.unless[bid]):
            found.pop(bid, None)
    for bid in index.ids:
        hits = [m for m in index.moves[bid] if m in present]
        if hits and bid not in found:
            found[bid] = (float(len(hits)), [f"move: {m}" for m in hits])
    for bid in index.ids:
        if bid in found:
            for other in index.suppresses.get(bid, ()):
                found.pop(other, None)
    out = [Detected(bid, index.good[bid], score, why) for bid, (score, why) in found.items()]
    return Assessment(reply, out, moves)
