"""Compile a ``Library`` into an index the matcher can query fast (inverted postings, no I/O).

Features of a text:
- ``w:stem``   an English word (stop words dropped), lightly stemmed;
- ``b:s1 s2``  two neighbouring English words;
- ``c:id``     a trade concept from the vocabulary (language-neutral: 进场费 and slotting fee meet here);
- ``z:XY``     two neighbouring Chinese characters (bigrams; see ``benchmarks/zh_strategy.py``).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from coach.content.loader import Library
from coach.content.models import CATEGORY_ORDER, Rule
from coach.engine.normalize import CONCEPT, STOPWORDS, Synonyms, clean, is_cjk, stem, tokens

Vector = dict[str, float]


@dataclass(frozen=True)
class Analysed:
    """A text after cleaning, synonym mapping and tokenising, ready for scoring."""

    mapped: str
    toks: tuple[str, ...]
    rendered: str
    features: Counter[str]
    concepts: tuple[tuple[str, str], ...]
    corrections: tuple[tuple[str, str], ...] = ()


def render(toks: list[str]) -> str:
    """Tokens as one string: English words stemmed, for keyword and term look-up."""
    return " " + " ".join(t if (t.startswith(CONCEPT) or is_cjk(t)) else stem(t) for t in toks) + " "


def features_of(toks: list[str], zh_mode: str = "bigram") -> Counter[str]:
    """Bag of features of a token list (see module docstring)."""
    feats: Counter[str] = Counter()
    prev: str | None = None
    for tok in toks:
        if tok.startswith(CONCEPT):
            feats["c:" + tok[1:]] += 1
            prev = None
        elif is_cjk(tok):
            if zh_mode in ("bigram", "both"):
                for i in range(len(tok) - 1):
                    feats["z:" + tok[i : i + 2]] += 1
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


def term_regex(rendered_term: str) -> re.Pattern[str]:
    """A regex finding a rendered term in a rendered text, on word boundaries for English ends."""
    body = re.escape(rendered_term.strip())
    first, last = rendered_term.strip()[0], rendered_term.strip()[-1]
    left = "" if is_cjk(first) else r"(?<=\s)"
    right = "" if is_cjk(last) else r"(?=\s)"
    return re.compile(left + body + right)


@dataclass(frozen=True)
class Term:
    """A compiled keyword, pattern or required/excluded term of one rule."""

    rule: int
    label: str
    weight: float
    regex: re.Pattern[str]
    kind: str  # keyword | pattern | require | exclude
    rendered: str = ""


@dataclass
class Index:
    """Everything precomputed for matching; built once per loaded library."""

    rule_ids: list[str]
    rules: list[Rule]
    order: list[tuple[int, int, str]]
    synonyms: Synonyms
    idf: dict[str, float]
    centroid_postings: dict[str, list[tuple[int, float]]]
    phrase_postings: dict[str, list[tuple[int, float]]]
    phrase_rule: list[int]
    phrase_text: list[str]
    term_by_anchor: dict[str, list[Term]]
    patterns: list[Term]
    requires: dict[int, list[Term]]
    excludes: dict[int, list[Term]]
    vocab: dict[str, str] = field(default_factory=dict)
    vocab_list: list[str] = field(default_factory=list)
    zh_mode: str = "bigram"
    domain: frozenset[str] = frozenset()
    none: int | None = None

    def coverage(self, a: Analysed) -> float:
        """Share of the text the playbooks know: English content words, concepts, and Chinese characters
        inside a two-character sequence that some rule uses (cross-word pairs do not count against it)."""
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

    def analyse(self, text: str) -> Analysed:
        """Clean, map synonyms, correct typos and featurise a text."""
        mapped, concepts = self.synonyms.apply(clean(text))
        toks = tokens(mapped)
        toks, fixes = self._correct(toks)
        return Analysed(mapped, tuple(toks), render(toks), features_of(toks, self.zh_mode), tuple(concepts), fixes)

    def _correct(self, toks: list[str]) -> tuple[list[str], tuple[tuple[str, str], ...]]:
        """Replace unknown English words by the closest playbook word (rapidfuzz ratio >= 85)."""
        from rapidfuzz import fuzz, process

        out: list[str] = []
        fixes: list[tuple[str, str]] = []
        for tok in toks:
            if (
                len(tok) >= 5
                and tok.isalpha()
                and tok.isascii()
                and tok not in STOPWORDS
                and tok not in self.vocab
                and stem(tok) not in self.vocab_stems
            ):
                hit = process.extractOne(tok, self.vocab_list, scorer=fuzz.ratio, score_cutoff=85)
                if hit:
                    fixes.append((tok, hit[0]))
                    out.append(hit[0])
                    continue
            out.append(tok)
        return out, tuple(fixes)

    @property
    def vocab_stems(self) -> set[str]:
        """Stems of every English word in the playbooks (cached)."""
        cached = self.__dict__.get("_vocab_stems")
        if cached is None:
            cached = {stem(w) for w in self.vocab}
            self.__dict__["_vocab_stems"] = cached
        return cached


def _anchor(rendered_term: str) -> str:
    """The key under which a term is indexed: its first word, concept, or first Chinese bigram."""
    first = rendered_term.split()[0]
    if is_cjk(first):
        return "z:" + first[:2] if len(first) >= 2 else "u:" + first
    return "t:" + first


def query_anchors(a: Analysed) -> set[str]:
    """The anchors present in an analysed query (see ``_anchor``)."""
    keys: set[str] = set()
    for tok in a.rendered.split():
        if is_cjk(tok):
            keys.update("z:" + tok[i : i + 2] for i in range(len(tok) - 1))
            keys.update("u:" + ch for ch in tok)
        else:
            keys.add("t:" + tok)
    return keys


def _weigh(feats: Counter[str], idf: dict[str, float]) -> Vector:
    vec = {f: (1 + math.log(n)) * idf.get(f, 0.0) for f, n in feats.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {f: v / norm for f, v in vec.items() if v > 0}


def build_index(lib: Library, zh_mode: str = "bigram") -> Index:
    """Compile every rule's phrases, keywords, patterns and terms."""
    synonyms = Synonyms.build(lib.concepts)
    rule_ids = list(lib.rules)
    rules = [lib.rules[i] for i in rule_ids]

    def analyse(text: str) -> tuple[list[str], str]:
        mapped, _ = synonyms.apply(clean(text))
        toks = tokens(mapped)
        return toks, render(toks)

    vocab: dict[str, str] = {}
    doc_feats: list[Counter[str]] = []
    phrase_feats: list[Counter[str]] = []
    phrase_rule: list[int] = []
    phrase_text: list[str] = []
    terms: list[Term] = []
    patterns: list[Term] = []
    requires: dict[int, list[Term]] = defaultdict(list)
    excludes: dict[int, list[Term]] = defaultdict(list)

    for r, rule in enumerate(rules):
        doc: Counter[str] = Counter()
        for phrase in [*rule.match.phrases.en, *rule.match.phrases.zh]:
            toks, _ = analyse(phrase)
            for t in toks:
                if t.isalpha() and t.isascii() and len(t) >= 4:
                    vocab.setdefault(t, stem(t))
            f = features_of(toks, zh_mode)
            if f:
                phrase_feats.append(f)
                phrase_rule.append(r)
                phrase_text.append(phrase)
                doc.update(f)
        for title in (rule.title.en, rule.title.zh):
            doc.update(features_of(analyse(title)[0], zh_mode))
        for kw in rule.match.keywords:
            toks, rendered = analyse(kw.term)
            if not toks:
                continue
            for t in toks:
                if t.isalpha() and t.isascii() and len(t) >= 4:
                    vocab.setdefault(t, stem(t))
            for f, n in features_of(toks, zh_mode).items():
                doc[f] += n * kw.weight
            terms.append(Term(r, kw.term, kw.weight, term_regex(rendered), "keyword", rendered))
        for pat in rule.match.patterns:
            patterns.append(Term(r, pat.regex, pat.weight, re.compile(pat.regex), "pattern"))
        for kind, bucket, items in (("require", requires, rule.match.require_any), ("exclude", excludes, rule.match.exclude)):
            for item in items:
                toks, rendered = analyse(item)
                if toks:
                    bucket[r].append(Term(r, item, 0.0, term_regex(rendered), kind, rendered))
        doc_feats.append(doc)

    domain = frozenset(f for doc in doc_feats for f in doc)
    none: int | None = None
    if lib.out_of_scope:
        none = len(doc_feats)
        doc = Counter()
        for phrase in lib.out_of_scope:
            doc.update(features_of(analyse(phrase)[0], zh_mode))
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

    term_by_anchor: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        term_by_anchor[_anchor(term.rendered)].append(term)

    order = [(-rule.priority, CATEGORY_ORDER[rule.category.value], rid) for rid, rule in zip(rule_ids, rules)]
    return Index(
        rule_ids=rule_ids,
        rules=rules,
        order=order,
        synonyms=synonyms,
        idf=idf,
        centroid_postings=dict(centroid_postings),
        phrase_postings=dict(phrase_postings),
        phrase_rule=phrase_rule,
        phrase_text=phrase_text,
        term_by_anchor=dict(term_by_anchor),
        patterns=patterns,
        requires=dict(requires),
        excludes=dict(excludes),
        vocab=vocab,
        vocab_list=sorted(vocab),
        zh_mode=zh_mode,
        domain=domain,
        none=none,
    )

