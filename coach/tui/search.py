"""Search across playbook entries for the browser: fuzzy over titles, summaries, ids and keywords (both
languages), and by trade jargon through the same vocabulary concepts the engine uses.

A query such as ``堆头``, ``竞品``, ``listing fee`` or ``進場費`` (Traditional) is normalised and mapped to
concepts exactly as a situation is (``coach.engine.normalize``); the entries whose text mentions those
concepts — in any of their terms, in either language — are found even when no title contains the word.
Pure: no Textual, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, utils

from coach.engine.normalize import Synonyms, clean, is_cjk

if TYPE_CHECKING:
    from coach.content.models import Rule
    from coach.engine.normalize import Synonyms

CUTOFF = 62.0
"""Hits below this score (0-100) are not shown."""

FIELD_WEIGHTS = {
    "title": 1.0,
    "summary": 0.97,
    "advice": 0.94,
    "keyword": 0.92,
    "example": 0.9,
    "phrase": 0.88,
}
"""How much a concept counts by where the entry mentions it: its title most, its match phrases least."""

_PREFIX_MIN = {"latin": 4, "cjk": 2}
"""A query this long that starts a concept's term finds it while the term is still being typed."""


@dataclass(frozen=True)
class Hit:
    """One entry found by the search, with its score (0-100) and the field that matched best."""

    id: str
    score: float
    field: str


@dataclass(frozen=True)
class Jargon:
    """The trade vocabulary as the search uses it: the engine's synonyms, each concept's terms, and per
    entry the concepts its text mentions (best field weight, number of mentions)."""

    synonyms: Synonyms
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mentions: dict[str, dict[str, tuple[float, int]]] = field(default_factory=dict)

    def concepts_in(self, query: str) -> dict[str, float]:
        """Concepts the query names, with 1.0 for a whole term and 0.9 for a term still being typed."""

        cleaned = clean(query)
        if not cleaned:
            return {}
        _tokens, found = self.synonyms.apply(cleaned)
        named = {concept: 1.0 for _term, concept in found}
        if not named:
            kind = "cjk" if is_cjk(cleaned.replace(" ", "")) else "latin"
            if len(cleaned) >= _PREFIX_MIN[kind]:
                for concept, terms in self.terms.items():
                    if any(t.startswith(cleaned) for t in terms):
                        named[concept] = 0.9
        return named


def _texts(rule: Rule) -> list[tuple[str, str]]:
    """(field, text) pairs of an entry in which jargon is looked for."""
    out = [("title", rule.title.en), ("title", rule.title.zh)]
    out += [("summary", rule.summary.en), ("summary", rule.summary.zh)]
    for part in (rule.response.steps, rule.response.say, rule.response.avoid):
        out += [("advice", t.en) for t in part] + [("advice", t.zh) for t in part]
    out += [("keyword", k.term) for k in rule.match.keywords]
    out += [("example", t) for t in rule.examples]
    out += [("phrase", t) for t in (*rule.match.phrases.en, *rule.match.phrases.zh)]
    return out


def build_jargon(rules: Iterable[Rule], concepts: Mapping[str, list[str]]) -> Jargon:
    """Map every entry's text to vocabulary concepts once (a fraction of a second for the shipped
    playbooks: the browser builds it off the UI thread)."""

    synonyms = Synonyms.build(dict(concepts))
    terms = {cid: tuple(t for t in (clean(term) for term in ts) if t) for cid, ts in concepts.items()}
    mentions: dict[str, dict[str, tuple[float, int]]] = {}
    for rule in rules:
        found: dict[str, tuple[float, int]] = {}
        for name, text in _texts(rule):
            _tokens, pairs = synonyms.apply(clean(text))
            for _term, concept in pairs:
                weight, count = found.get(concept, (0.0, 0))
                found[concept] = (max(weight, FIELD_WEIGHTS[name]), count + 1)
        mentions[rule.id] = found
    return Jargon(synonyms, terms, mentions)


def _jargon_score(jargon: Jargon, rule_id: str, named: dict[str, float]) -> float:
    """0-100: the share of the query's concepts the entry mentions, where and how often."""
    found = jargon.mentions.get(rule_id, {})
    hits = [(found[c], strength) for c, strength in named.items() if c in found]
    if not hits:
        return 0.0
    coverage = sum(strength for _, strength in hits) / len(named)
    best = max(weight * strength for (weight, _count), strength in hits)
    often = min(sum(count for (_weight, count), _ in hits), 20) / 20
    return 100 * best * (0.5 + 0.5 * coverage) * (0.85 + 0.15 * often)


def _fields(rule: Rule) -> list[tuple[str, str, float]]:
    """(field name, text, weight) to search; titles weigh most."""
    out = [
        ("title", rule.title.en, 1.0),
        ("title", rule.title.zh, 1.0),
        ("id", rule.id.replace(".", " ").replace("-", " "), 0.95),
        ("summary", rule.summary.en, 0.9),
        ("summary", rule.summary.zh, 0.9),
    ]
    out += [("keyword", k.term, 0.85) for k in rule.match.keywords]
    return out


def search(rules: Iterable[Rule], query: str, limit: int = 30, jargon: Jargon | None = None) -> list[Hit]:
    """Entries matching ``query`` best first; ties by id so the order is stable. With ``jargon``, entries
    that mention the trade concepts the query names are found too (field ``jargon``)."""

    q = utils.default_process(query)
    if not q:
        return []
    named = jargon.concepts_in(query) if jargon is not None else {}
    hits = []
    for rule in rules:
        best, where = 0.0, ""
        for name, text, weight in _fields(rule):
            t = utils.default_process(text)
            if not t:
                continue
            # Short queries match inside longer text (partial); long ones compare word sets.
            score = fuzz.partial_ratio(q, t) if len(q) <= len(t) else fuzz.token_set_ratio(q, t)
            if len(q) >= 8:
                score = max(score, fuzz.token_set_ratio(q, t))
            score *= weight
            if score > best:
                best, where = score, name
        if named:
            score = _jargon_score(jargon, rule.id, named)  # type: ignore[arg-type]
            if score > best:
                best, where = score, "jargon"
        if best >= CUTOFF:
            hits.append(Hit(rule.id, round(best, 1), where))
    hits.sort(key=lambda h: (-h.score, h.id))
    return hits[:limit]
