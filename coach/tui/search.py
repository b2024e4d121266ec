"""Fuzzy search across playbook entries for the browser (titles, summaries, ids, keywords; both languages)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.content.models import Rule

CUTOFF = 62.0
"""Hits below this rapidfuzz score (0-100) are not shown."""


@dataclass(frozen=True)
class Hit:
    """One entry found by the search, with its score (0-100) and the field that matched best."""

    id: str
    score: float
    field: str


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


def search(rules: Iterable[Rule], query: str, limit: int = 30) -> list[Hit]:
    """Entries matching ``query`` best first; ties by id so the order is stable."""
    from rapidfuzz import fuzz, utils

    q = utils.default_process(query)
    if not q:
        return []
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
        if best >= CUTOFF:
            hits.append(Hit(rule.id, round(best, 1), where))
    hits.sort(key=lambda h: (-h.score, h.id))
    return hits[:limit]
