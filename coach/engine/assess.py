"""Detect the behaviours in an account manager's reply (role-play feedback). Pure: no I/O.

Each behaviour adds up the weights of its signals found in the reply (words and phrases, matched
after the same normalisation and synonym mapping as situations; regular expressions, matched on the
lower-cased, half-width reply with its punctuation kept, so a question mark counts). Negative weights
are evidence against. A behaviour is present when its score reaches its threshold; then the
behaviours it ``suppresses`` are dropped (a conditional concession is not also unconditional).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from coach.engine.index import needle, render
from coach.engine.normalize import MAX_CHARS, Synonyms, clean

if TYPE_CHECKING:
    from coach.content.loader import Library

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")


def surface(text: str) -> str:
    """The reply as patterns see it: half-width, lower case, no control characters, one space between
    words, punctuation kept (full-width punctuation becomes its ASCII form: ， -> , ？ -> ?)."""
    text = _ANSI.sub(" ", text[:MAX_CHARS])
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'").replace("‘", "'")
    text = text.replace("。", ". ").replace("、", ", ").replace("“", '"').replace("”", '"')
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(text.split())


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
    """Compiled behaviours: per behaviour its word needles and regexes with weights."""

    ids: list[str]
    good: dict[str, bool]
    threshold: dict[str, float]
    terms: dict[str, list[tuple[str, str, float]]]
    """behaviour -> (label, needle in the rendered reply, weight)."""
    regexes: dict[str, list[tuple[str, float]]]
    suppresses: dict[str, list[str]]
    synonyms: Synonyms


@lru_cache(maxsize=1024)
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def build_behaviour_index(lib: Library) -> BehaviourIndex:
    """Compile the library's behaviours (and its vocabulary, for word signals)."""
    synonyms = Synonyms.build(lib.concepts)
    terms: dict[str, list[tuple[str, str, float]]] = {}
    regexes: dict[str, list[tuple[str, float]]] = {}
    for bid, b in lib.behaviours.items():
        terms[bid] = []
        regexes[bid] = []
        for sig in b.detect.signals:
            if sig.regex is not None:
                regexes[bid].append((sig.regex, sig.weight))
            else:
                toks = synonyms.apply(clean(sig.term or ""))[0]
                if toks:
                    terms[bid].append((sig.term or "", needle(render(toks)), sig.weight))
    return BehaviourIndex(
        ids=list(lib.behaviours),
        good={bid: b.good for bid, b in lib.behaviours.items()},
        threshold={bid: b.detect.threshold for bid, b in lib.behaviours.items()},
        terms=terms,
        regexes=regexes,
        suppresses={bid: list(b.suppresses) for bid, b in lib.behaviours.items()},
        synonyms=synonyms,
    )


def assess(index: BehaviourIndex, reply: str) -> Assessment:
    """The behaviours present in ``reply``, in taxonomy order of the library, each with why."""
    text = surface(reply)
    rendered = render(index.synonyms.apply(clean(reply))[0])
    found: dict[str, tuple[float, list[str]]] = {}
    for bid in index.ids:
        score = 0.0
        why: list[str] = []
        for label, pin, weight in index.terms[bid]:
            if pin in rendered:
                score += weight
                why.append(f'"{label}" {weight:+g}')
        for pattern, weight in index.regexes[bid]:
            m = _rx(pattern).search(text)
            if m:
                score += weight
                why.append(f'"{m.group(0).strip()}" {weight:+g}')
        if score >= index.threshold[bid] - 1e-9:
            found[bid] = (score, why)
    for bid in index.ids:
        if bid in found:
            for other in index.suppresses.get(bid, ()):
                found.pop(other, None)
    out = [Detected(bid, index.good[bid], score, why) for bid, (score, why) in found.items()]
    return Assessment(reply, out)
