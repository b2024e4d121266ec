"""Warnings for ``coach validate``: content that loads and works but should be written differently.

Nothing here stops a file from loading (problems do that); each warning is one located line.
"""

from __future__ import annotations

from coach.content import regex_safety
from coach.content.loader import Library
from coach.content.models import Rule
from coach.engine.index import Analysed, Index, needle, render
from coach.engine.normalize import clean

MAX_MATCH_ENTRIES = 60
"""A rule's own match lists (phrases in both languages, keywords, patterns, exclude, require_any) should
hold at most this many entries; what the engine needs beyond that comes from the examples and the
vocabulary concepts (docs/playbook-format.md, "How much match data a rule may carry")."""


def match_entries(rule: Rule) -> int:
    """How many hand-written match entries a rule carries."""
    m = rule.match
    return (
        len(m.phrases.en)
        + len(m.phrases.zh)
        + len(m.keywords)
        + len(m.patterns)
        + len(m.exclude)
        + len(m.require_any)
    )


def unsupported(lib: Library, index: Index) -> list[str]:
    """Located warning lines for keywords and patterns that none of their rule's own examples or phrases
    contain: a string tuned to some other text, which no trainer can check (docs/playbook-format.md)."""
    out: list[str] = []
    seen: dict[str, Analysed] = {}
    for rule_id, rule in lib.rules.items():
        src = lib.sources[rule_id]
        doc = lib.documents[src.file]
        texts = [
            seen.setdefault(t, index.analyse(t))
            for t in (*rule.examples, *rule.match.phrases.en, *rule.match.phrases.zh)
        ]
        for j, kw in enumerate(rule.match.keywords):
            toks = index.synonyms.apply(clean(kw.term))[0]
            pin = needle(render(toks)) if toks else ""
            if pin and not any(pin in a.rendered for a in texts):
                out.append(
                    doc.locate(
                        ("rules", src.index, "match", "keywords", j),
                        f"keyword {kw.term!r} is in none of this rule's examples or phrases; add an example that uses it, or drop it",
                    )
                )
        for j, pattern in enumerate(rule.match.patterns):
            rx = index.pattern(pattern.regex)
            if not any(rx.search(a.mapped) for a in texts):
                out.append(
                    doc.locate(
                        ("rules", src.index, "match", "patterns", j),
                        "pattern matches none of this rule's examples or phrases; add an example it is for, or drop it",
                    )
                )
    return out


def warnings(lib: Library) -> list[str]:
    """Located warning lines: rules whose match lists grow past :data:`MAX_MATCH_ENTRIES`, and patterns
    that are quadratic on long runs of one kind of character (``regex_safety.slow``)."""
    out: list[str] = []
    for rule_id, rule in lib.rules.items():
        src = lib.sources[rule_id]
        doc = lib.documents[src.file]
        count = match_entries(rule)
        if count > MAX_MATCH_ENTRIES:
            out.append(
                doc.locate(
                    ("rules", src.index, "match"),
                    f"{count} match entries (phrases, keywords, patterns, exclude, require_any), more than "
                    f"{MAX_MATCH_ENTRIES}; add examples or vocabulary concepts instead of more strings",
                )
            )
        for j, pattern in enumerate(rule.match.patterns):
            out += _slow(doc, ("rules", src.index, "match", "patterns", j, "regex"), pattern.regex)
    for bid, behaviour in lib.behaviours.items():
        src = lib.sources[bid]
        doc = lib.documents[src.file]
        for j, signal in enumerate(behaviour.detect.signals):
            if signal.regex is not None:
                out += _slow(doc, ("behaviours", src.index, "detect", "signals", j, "regex"), signal.regex)
    for doc in lib.documents.values():
        data = doc.data if isinstance(doc.data, dict) else {}
        section = data.get("out_of_scope")
        patterns = section.get("patterns") if isinstance(section, dict) else None
        for j, pattern in enumerate(patterns if isinstance(patterns, list) else []):
            if isinstance(pattern, str):
                out += _slow(doc, ("out_of_scope", "patterns", j), pattern)
    return out


def _slow(doc, path: tuple[str | int, ...], pattern: str) -> list[str]:  # noqa: ANN001
    reason = regex_safety.slow(pattern)
    return [doc.locate(path, regex_safety.message(reason))] if reason else []
