"""Compile a ``Library`` into an index the matcher can query fast. Plain data only (dicts, lists,
tuples, strings, numbers), so a built index can be cached with ``marshal`` and loaded in milliseconds.

Features of a text:
- ``w:stem``   an English word (function words dropped), lightly stemmed;
- ``b:s1 s2``  two neighbouring English words;
- ``c:id``     a concept from the vocabulary (language-neutral: 进场费 and slotting fee meet here);
- ``z:XY``     two neighbouring Chinese characters. Chinese has no spaces, and bigrams beat single
  characters and trigrams on the playbooks' own examples (``benchmarks/zh_strategy.py``).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from coach.engine.normalize import CONCEPT, STOPWORDS, Synonyms, clean, is_cjk, stem

if TYPE_CHECKING:  # the engine takes a loaded library but never loads one (no YAML, no pydantic here)
    from coach.content.loader import Library

FORMAT = 3
"""Bump when the index layout changes (cached indexes of another format are rebuilt)."""

KeywordEntry = tuple[int, str, float, str]
"""(rule, label as written, weight, needle to find in the rendered text)."""


@dataclass(frozen=True)
class Analysed:
    """A text after cleaning, synonym mapping, typo correction and tokenising, ready for scoring."""

    toks: tuple[str, ...]
    rendered: str
    features: Counter[str]
    concepts: tuple[tuple[str, str], ...]
    corrections: tuple[tuple[str, str], ...] = ()

    @property
    def mapped(self) -> str:
        """The normalised text with concepts as ``§id`` tokens (what patterns are matched against)."""
        return " ".join(self.toks)


def render(toks: list[str] | tuple[str, ...]) -> str:
    """Tokens as one string with English words stemmed, padded with spaces, for term look-up."""
    return " " + " ".join(t if (t.startswith(CONCEPT) or is_cjk(t)) else stem(t) for t in toks) + " "


def needle(rendered_term: str) -> str:
    """What to look for in a rendered text: English ends must sit on token boundaries (spaces)."""
    core = rendered_term.strip()
    left = "" if is_cjk(core[0]) else " "
    right = "" if is_cjk(core[-1]) else " "
    return left + core + right


def features_of(toks: list[str] | tuple[str, ...], zh_mode: str = "bigram") -> Counter[str]:
    """Bag of features of a token list (see module docstring); zh_mode: bigram | unigram | both | trigram."""
    feats: Counter[str] = Counter()
    prev: str | None = None
    for tok in toks:
        if tok.startswith(CONCEPT):
            feats["c:" + tok[1:]] += 1
            prev = None
        elif is_cjk(tok):
            if zh_mode in ("bigram", "both", "trigram"):
                for i in range(len(tok) - 1):
                    feats["z:" + tok[i : i + 2]] += 1
            if zh_mode == "trigram":
                for i in range(len(tok) - 2):
                    feats["y:" + tok[i : i + 3]] += 1
            if zh_mode in ("unigram", "both") or len(tok) == 1:
                for ch in tok:
                    feats["u:" + ch] += 1
            prev = None
        else:
            if tok in STOPWORDS or tok.isdigit() or len(tok) < 2:
                continue
            s = stem(tok)
            feats["w:" + s] += 1
            if prev is not None:
                feats[f"b:{prev} {s}"] += 1
            prev = s
    return feats


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass
class Index:
    """Everything precomputed for matching; built once per loaded library (or loaded from the cache)."""

    rule_ids: list[str]
    meta: list[tuple[str, str, str]]
    order: list[tuple[int, int, str]]
    synonyms: Synonyms
    idf: dict[str, float]
    centroid_postings: dict[str, list[tuple[int, float]]]
    phrase_postings: dict[str, list[tuple[int, float]]]
    phrase_rule: list[int]
    phrase_text: list[str]
    keywords: dict[str, list[KeywordEntry]]
    patterns: list[tuple[int, str, float]]
    requires: dict[int, list[str]]
    excludes: dict[int, list[str]]
    vocab: frozenset[str] = frozenset()
    vocab_list: list[str] = field(default_factory=list)
    vocab_stems: frozenset[str] = frozenset()
    domain: frozenset[str] = frozenset()
    none: int = -1
    zh_mode: str = "bigram"

    def analyse(self, text: str) -> Analysed:
        """Clean, map synonyms, correct typos and featurise a text."""
        toks, concepts = self.synonyms.apply(clean(text))
        toks, fixes = self._correct(toks)
        return Analysed(tuple(toks), render(toks), features_of(toks, self.zh_mode), tuple(concepts), fixes)

    def _correct(self, toks: list[str]) -> tuple[list[str], tuple[tuple[str, str], ...]]:
        """Replace unknown English words by the closest playbook word (rapidfuzz ratio >= 85)."""
        out: list[str] = []
        fixes: list[tuple[str, str]] = []
        for tok in toks:
            if (
                len(tok) >= 5
                and tok.isascii()
                and tok.isalpha()
                and tok not in STOPWORDS
                and tok not in self.vocab
                and stem(tok) not in self.vocab_stems
            ):
                fixed = _closest(tok, self)
                if fixed:
                    fixes.append((tok, fixed))
                    out.append(fixed)
                    continue
            out.append(tok)
        return out, tuple(fixes)

    def pattern(self, regex: str) -> re.Pattern[str]:
        """A playbook pattern, compiled on first use."""
        return _compiled(regex)

    def coverage(self, a: Analysed) -> float:
        """Share of the text the playbooks know: English content words, concepts, and Chinese characters
        inside a two-character sequence some rule uses (pairs across word boundaries do not count against)."""
        known = total = 0
        for tok in a.toks:
            if tok.startswith(CONCEPT):
                known += 1
                total += 1
            elif is_cjk(tok):
                covered = [False] * len(tok)
                for i in range(len(tok) - 1):
                    if "z:" + tok[i : i + 2] in self.domain:
                        covered[i] = covered[i + 1] = True
                known += sum(covered)
                total += len(tok)
            elif tok not in STOPWORDS and tok.isalpha() and len(tok) > 1:
                known += ("w:" + stem(tok)) in self.domain
                total += 1
        return known / total if total else 0.0

    def to_plain(self) -> dict[str, object]:
        """The index as plain data for ``marshal`` (see ``from_plain``)."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["synonyms"] = dataclasses.asdict(self.synonyms)
        data["format"] = FORMAT
        return data

    @classmethod
    def from_plain(cls, data: dict[str, object]) -> Index:
        """Rebuild an index from ``to_plain`` data; raises ``ValueError`` if it is of another format."""
        if data.get("format") != FORMAT:
            raise ValueError("index format changed")
        data = dict(data)
        data.pop("format")
        data["synonyms"] = Synonyms(**data["synonyms"])  # type: ignore[arg-type]
        return cls(**data)  # type: ignore[arg-type]


def _closest(word: str, index: Index) -> str | None:
    from rapidfuzz import fuzz, process

    hit = process.extractOne(word, index.vocab_list, scorer=fuzz.ratio, score_cutoff=85)
    return hit[0] if hit else None


def anchor(rendered_term: str) -> str:
    """The key under which a term is indexed: its first word or concept, or its first Chinese pair."""
    first = rendered_term.split()[0]
    if is_cjk(first):
        return "z:" + first[:2] if len(first) >= 2 else "u:" + first
    return "t:" + first


def query_anchors(a: Analysed) -> set[str]:
    """The anchors present in an analysed query (see ``anchor``)."""
    keys: set[str] = set()
    for tok in a.rendered.split():
        if is_cjk(tok):
            keys.update("z:" + tok[i : i + 2] for i in range(len(tok) - 1))
            keys.update("u:" + ch for ch in tok)
        else:
            keys.add("t:" + tok)
    return keys


def _weigh(feats: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vec = {f: (1 + math.log(n)) * idf.get(f, 0.0) for f, n in feats.items() if n > 0}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {f: v / norm for f, v in vec.items() if v > 0}


def build_index(lib: Library, zh_mode: str = "bigram") -> Index:
    """Compile every rule's phrases, keywords, patterns and terms."""
    from coach.content.models import CATEGORY_ORDER

    synonyms = Synonyms.build(lib.concepts)
    rule_ids = list(lib.rules)
    rules = [lib.rules[i] for i in rule_ids]

    def toks_of(text: str) -> list[str]:
        return synonyms.apply(clean(text))[0]

    vocab: set[str] = set()
    doc_feats: list[Counter[str]] = []
    phrase_feats: list[Counter[str]] = []
    phrase_rule: list[int] = []
    phrase_text: list[str] = []
    keywords: dict[str, list[KeywordEntry]] = defaultdict(list)
    patterns: list[tuple[int, str, float]] = []
    requires: dict[int, list[str]] = defaultdict(list)
    excludes: dict[int, list[str]] = defaultdict(list)

    def learn(toks: list[str]) -> None:
        vocab.update(t for t in toks if len(t) >= 4 and t.isascii() and t.isalpha())

    for r, rule in enumerate(rules):
        doc: Counter[str] = Counter()
        for phrase in [*rule.match.phrases.en, *rule.match.phrases.zh]:
            toks = toks_of(phrase)
            learn(toks)
            feats = features_of(toks, zh_mode)
            if feats:
                phrase_feats.append(feats)
                phrase_rule.append(r)
                phrase_text.append(phrase)
                doc.update(feats)
        for title in (rule.title.en, rule.title.zh):
            doc.update(features_of(toks_of(title), zh_mode))
        for kw in rule.match.keywords:
            toks = toks_of(kw.term)
            if not toks:
                continue
            learn(toks)
            for f, n in features_of(toks, zh_mode).items():
                doc[f] += n * kw.weight
            rendered = render(toks)
            keywords[anchor(rendered)].append((r, kw.term, kw.weight, needle(rendered)))
        for pat in rule.match.patterns:
            patterns.append((r, pat.regex, pat.weight))
        for bucket, items in ((requires, rule.match.require_any), (excludes, rule.match.exclude)):
            for item in items:
                toks = toks_of(item)
                if toks:
                    bucket[r].append(needle(render(toks)))
        doc_feats.append(doc)

    domain = frozenset(f for doc in doc_feats for f in doc)
    none = -1
    if lib.out_of_scope:
        none = len(doc_feats)
        doc = Counter()
        for phrase in lib.out_of_scope:
            doc.update(features_of(toks_of(phrase), zh_mode))
        doc_feats.append(doc)

    n_docs = max(len(doc_feats), 1)
    df: Counter[str] = Counter()
    for doc in doc_feats:
        df.update(doc.keys())
    idf = {f: math.log((n_docs + 1) / (d + 0.5)) for f, d in df.items()}

    centroid_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for r, doc in enumerate(doc_feats):
        for f, w in _weigh(doc, idf).items():
            centroid_postings[f].append((r, w))
    phrase_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for p, feats in enumerate(phrase_feats):
        for f, w in _weigh(feats, idf).items():
            phrase_postings[f].append((p, w))

    return Index(
        rule_ids=rule_ids,
        meta=[(rule.title.en, rule.title.zh, rule.category.value) for rule in rules],
        order=[(-rule.priority, CATEGORY_ORDER[rule.category.value], rid) for rid, rule in zip(rule_ids, rules)],
        synonyms=synonyms,
        idf=idf,
        centroid_postings=dict(centroid_postings),
        phrase_postings=dict(phrase_postings),
        phrase_rule=phrase_rule,
        phrase_text=phrase_text,
        keywords=dict(keywords),
        patterns=patterns,
        requires=dict(requires),
        excludes=dict(excludes),
        vocab=frozenset(vocab),
        vocab_list=sorted(vocab),
        vocab_stems=frozenset(stem(w) for w in vocab),
        domain=domain,
        none=none,
        zh_mode=zh_mode,
    )
