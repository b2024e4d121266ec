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
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from coach.engine.index import needle, render
from coach.engine.normalize import ESCAPES, MAX_CHARS, Synonyms, clean, to_simplified

if TYPE_CHECKING:
    from coach.content.loader import Library

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN_CJK = re.compile(f"(?<=[a-z])(?=[{_CJK}])|(?<=[{_CJK}])(?=[a-z])")


def surface(text: str) -> str:
    r"""The reply as patterns see it: half-width, lower case, no control characters, one space between
    words, punctuation kept (full-width punctuation becomes its ASCII form: ， -> , ？ -> ?), and a space
    where an English word meets Chinese ("sorry啊" -> "sorry 啊"), so ``\b`` works in mixed replies."""
    text = ESCAPES.sub(" ", text[:MAX_CHARS])
    text = to_simplified(unicodedata.normalize("NFKC", text)).casefold().replace("’", "'").replace("‘", "'")
    text = text.replace("。", ". ").replace("、", ", ").replace("“", '"').replace("”", '"')
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = _LATIN_CJK.sub(" ", text)
    return " ".join(text.split())


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
    """Everything found in one reply (empty ``behaviours`` when nothing is)."""

    reply: str
    behaviours: list[Detected]


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


@lru_cache(maxsize=1024)
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def build_behaviour_index(lib: Library) -> BehaviourIndex:
    """Compile the library's behaviours (and its vocabulary, for word signals)."""
    synonyms = Synonyms.build(lib.concepts)
    terms: dict[str, list[tuple[str, str, float, bool]]] = {}
    regexes: dict[str, list[tuple[str, float, bool]]] = {}
    for bid, b in lib.behaviours.items():
        terms[bid] = []
        regexes[bid] = []
        for sig in b.detect.signals:
            per_sentence = (sig.scope or b.detect.scope) == "sentence"
            if sig.regex is not None:
                regexes[bid].append((sig.regex, sig.weight, per_sentence))
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
    )


def _signals(
    index: BehaviourIndex, bid: str, text: str, rendered: str, per_sentence: bool
) -> tuple[float, list[str]]:
    """Score and why of one behaviour's signals of one scope found in ``text`` (``rendered`` for terms)."""
    score = 0.0
    why: list[str] = []
    for label, pin, weight, scoped in index.terms[bid]:
        if scoped == per_sentence and pin in rendered:
            score += weight
            why.append(f'"{label}" {weight:+g}')
    for pattern, weight, scoped in index.regexes[bid]:
        if scoped == per_sentence:
            m = _rx(pattern).search(text)
            if m:
                score += weight
                why.append(f'"{m.group(0).strip()}" {weight:+g}')
    return score, why


def assess(index: BehaviourIndex, reply: str) -> Assessment:
    """The behaviours present in ``reply``, in taxonomy order of the library, each with why."""
    text = surface(reply)
    rendered = render(index.synonyms.apply(clean(reply))[0])
    parts: list[tuple[str, str]] | None = None
    found: dict[str, tuple[float, list[str]]] = {}
    for bid in index.ids:
        score, why = _signals(index, bid, text, rendered, False)
        if any(s[2] for s in index.regexes[bid]) or any(t[3] for t in index.terms[bid]):
            if parts is None:
                parts = [(s, render(index.synonyms.apply(clean(s))[0])) for s in sentences(text)]
            best: tuple[float, list[str]] | None = None
            for part, part_rendered in parts:
                got = _signals(index, bid, part, part_rendered, True)
                if best is None or got[0] > best[0]:
                    best = got
            assert best is not None
            score, why = score + best[0], why + best[1]
        if score >= index.threshold[bid] - 1e-9:
            found[bid] = (score, why)
    for bid in index.ids:
        if bid in found:
            for other in index.suppresses.get(bid, ()):
                found.pop(other, None)
    out = [Detected(bid, index.good[bid], score, why) for bid, (score, why) in found.items()]
    return Assessment(reply, out)
