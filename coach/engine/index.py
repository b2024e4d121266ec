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
import gc
import marshal
import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress, repeat, starmap
from operator import mul, truediv
from typing import TYPE_CHECKING

from coach.engine.normalize import CONCEPT, STOPWORDS, Synonyms, clean, is_cjk, language_of, stem

if TYPE_CHECKING:  # the engine takes a loaded library but never loads one (no YAML, no pydantic here)
    from coach.content.loader import Library

FORMAT = 20
"""Bump when the index layout changes (cached indexes of another format are rebuilt)."""

LONG_TEXT = 30
"""A text with this many features or more is read as a story, not a line: compared with the rules' stories
too, with no closest-phrase term, and abstained on only below ``match.ABSTAIN_BELOW_LONG`` (its similarity
to any one rule is diluted by its length, not by being out of scope)."""
STORY_FEATURES = 25
"""An example with this many features or more is a story (a post, a report, a long account): it is learnt
into the rule's story vector and its whole-entry vector for long texts, never into what a line is compared
with (see ``build_index``)."""

LONG_PARTS = ("long_by_lang", "long_idf", "story_by_lang", "story_idf")
"""Index fields only a long text needs (see ``Index.long_parts``)."""

KeywordEntry = tuple[int, str, float]
"""(rule, keyword as written, weight)."""


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
    out: list[str] = []  # in the order of the text, counted at the end (the counts keep that order)
    add = out.append
    pairs = zh_mode in ("bigram", "both", "trigram")
    singles = zh_mode in ("unigram", "both")
    prev: str | None = None
    for tok in toks:
        if tok.startswith(CONCEPT):
            add("c:" + tok[1:])
            prev = None
            continue
        s = _word(tok)
        if s is None:
            continue
        if not s:  # a run of Chinese characters
            if pairs:
                out.extend(["z:" + tok[i : i + 2] for i in range(len(tok) - 1)])
            if zh_mode == "trigram":
                out.extend(["y:" + tok[i : i + 3] for i in range(len(tok) - 2)])
            if singles or len(tok) == 1:
                out.extend(["u:" + ch for ch in tok])
            prev = None
        else:
            add("w:" + s)
            if prev is not None:
                add(f"b:{prev} {s}")
            prev = s
    return Counter(out)


@lru_cache(maxsize=1 << 16)  # the playbooks' words and a user's: each looked at and stemmed once
def _word(tok: str) -> str | None:
    """A token that is not a concept: "" for a run of Chinese characters, else its stem, or None for a
    function word, a number or a single letter."""
    if is_cjk(tok):
        return ""
    if tok in STOPWORDS or tok.isdigit() or len(tok) < 2:
        return None
    return stem(tok)


@lru_cache(maxsize=4096)  # every pattern of the playbooks (about 500 shipped) stays compiled
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
    """Feature -> (phrase, weight) over every rule's phrases and examples (closest-phrase look-up)."""
    phrase_text: list[str]
    phrase_rule: list[int]
    """Phrase -> the rule it belongs to."""
    needles: dict[str, list[str]]
    """Anchor (first word or Chinese pair) -> distinct keyword needles starting with it."""
    keywords: dict[str, list[KeywordEntry]]
    """Needle (a keyword as rendered, see ``needle``) -> the rules that use it."""
    patterns: dict[str, tuple[list[str], list[tuple[int, float]]]]
    """Regex -> (strings one of which every match contains, [] if unknown; the rules using it)."""
    pattern_groups: dict[str, list[list[str]]]
    """Regex -> every set of strings one of which each match contains (``required_groups``)."""
    requires: dict[int, list[str]]
    excludes: dict[int, list[str]]
    vocab: frozenset[str] = frozenset()
    vocab_list: list[str] = field(default_factory=list)
    """Typo-correction targets: words of keywords, concept terms and titles (signal words only, so an
    ordinary word the playbooks lack is not bent into a phrase word: "pretty" stays "pretty")."""
    vocab_by_letter: dict[str, list[str]] = field(default_factory=dict)
    vocab_stems: frozenset[str] = frozenset()
    domain: frozenset[str] = frozenset()
    none: int = -1
    requests: list[str] = field(default_factory=list)
    """Out-of-scope request patterns (see playbooks/out-of-scope.yaml)."""
    zh_mode: str = "bigram"
    centroid_by_lang: dict[str, dict[str, list[tuple[int, float]]]] = field(default_factory=dict)
    """The rules' whole-entry vectors per language: a Chinese text is compared with what each rule says in
    Chinese (and the concepts), an English one with its English, so a rule's balance of English and Chinese
    examples does not weigh on its similarity in either language."""
    long_by_lang: dict[str, dict[str, list[tuple[int, float]]]] = field(default_factory=dict)
    """Per language (and ``""`` for both): the rules' whole-entry vectors with their long examples, for a
    long text (``centroid_by_lang`` and ``centroid_postings`` leave the long examples out, for a line)."""
    long_idf: dict[str, float] = field(default_factory=dict)
    """Inverse document frequency over the rules' whole entries, stories included (for a long text)."""
    story_by_lang: dict[str, dict[str, list[tuple[int, float]]]] = field(default_factory=dict)
    """Per language (and ``""`` for both): each rule's vector over its long examples only (``STORY_FEATURES``
    features or more: stories, posts, reports), so a long text is also compared with the way the rule is
    told at length, not only with the short lines that make up most of its examples."""
    story_idf: dict[str, float] = field(default_factory=dict)
    """Inverse document frequency over the rules' stories (a word every story uses tells none apart)."""

    def analyse(self, text: str) -> Analysed:
        """Clean, map synonyms, correct typos and featurise a text."""
        words, fixes = self._correct(clean(text).split())
        toks, concepts = self.synonyms.apply(" ".join(words))
        return Analysed(tuple(toks), render(toks), features_of(toks, self.zh_mode), tuple(concepts), fixes)

    def _correct(self, toks: list[str]) -> tuple[list[str], tuple[tuple[str, str], ...]]:
        """Replace unknown English words by the closest playbook word (see ``_closest``)."""
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
                if len(tok) == 1:  # a lone particle left between concepts (又, 了): neither known nor unknown
                    continue
                covered = [False] * len(tok)
                if self.zh_mode == "unigram":
                    covered = [("u:" + ch) in self.domain for ch in tok]
                for i in range(len(tok) - 1):
                    if "z:" + tok[i : i + 2] in self.domain:
                        covered[i] = covered[i + 1] = True
                known += sum(covered)
                total += len(tok)
            elif tok not in STOPWORDS and tok.isalpha() and len(tok) > 1:
                known += ("w:" + stem(tok)) in self.domain
                total += 1
        return known / total if total else 0.0

    def long_parts(self) -> tuple[dict, dict, dict, dict]:  # type: ignore[type-arg]
        """``long_by_lang``, ``long_idf``, ``story_by_lang`` and ``story_idf``, decoded on first use: a
        cached index keeps them as bytes, since only a long text needs them (half the index's size)."""
        for name in LONG_PARTS:
            value = getattr(self, name)
            if isinstance(value, bytes):
                setattr(self, name, marshal.loads(value))
        return self.long_by_lang, self.long_idf, self.story_by_lang, self.story_idf

    def to_plain(self) -> dict[str, object]:
        """The index as plain data for ``marshal`` (see ``from_plain``)."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for name in LONG_PARTS:
            if not isinstance(data[name], bytes):
                data[name] = marshal.dumps(data[name])
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
    """The playbook signal word one edit away (a swap of neighbours counts as one, rapidfuzz optimal
    string alignment) that starts with the same letter; ties go to the alphabetically first. A real
    English word is never "corrected" ("export" stays "export", not "expert"), and real typos rarely
    touch the first letter while real words often differ there ("telling" / "yelling")."""
    from rapidfuzz import process  # deferred: rapidfuzz only for a word the playbooks lack (a typo)
    from rapidfuzz.distance import OSA

    same_start = index.vocab_by_letter.get(word[0])
    if not same_start:
        return None
    hit = process.extractOne(word, same_start, scorer=OSA.distance, score_cutoff=1)
    if not hit or is_english_word(word):
        return None
    return hit[0]


DICTIONARY: Callable[[str], frozenset[str]] | None = None
"""The dictionary's words that start with a given letter, when a faster source than loading the whole word
list is set (``coach.content.compiled`` keeps them split by letter in the cache); None: the whole list."""


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from english_words import get_english_words_set  # deferred: the 114k-word list, only for a typo

    return frozenset(get_english_words_set(["gcide"], lower=True, alpha=True))


def is_english_word(word: str) -> bool:
    """True when ``word`` or its uninflected form is in an English dictionary (GCIDE, 114k words)."""
    words = DICTIONARY(word[0]) if DICTIONARY is not None else _dictionary()  # every base starts alike
    if word in words:
        return True
    bases = []
    if word.endswith("ies") or word.endswith("ied"):
        bases.append(word[:-3] + "y")
    for suffix in ("es", "s", "ed", "ing", "er", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            bases += [base, base + "e"]
            if len(base) > 3 and base[-1] == base[-2]:
                bases.append(base[:-1])
    return any(b in words for b in bases)


def required_literals(regex: str) -> list[str]:
    """Strings of which every match of ``regex`` contains at least one ([] when nothing is certain),
    so a pattern whose strings are all absent is skipped without compiling or running it (compiling
    hundreds of regexes would otherwise dominate a cold start). Branches of an alternation each give
    their own string; lower-cased, since patterns run on lower-cased text. The most telling of
    ``required_groups``."""
    groups = _groups_of(regex)
    return list(groups[0]) if groups else []


def required_groups(regex: str) -> list[list[str]]:
    """Every set of strings of which a match of ``regex`` contains one (a match of ``buyer.{0,9}(fee|charge)``
    contains "buyer" and one of "fee", "charge"): a pattern is run only when each set has a string in the
    text; the most telling set first."""
    return [list(group) for group in _groups_of(regex)]


@lru_cache(maxsize=4096)  # a library is built several times over (cross-validation): parsed once
def _groups_of(regex: str) -> tuple[tuple[str, ...], ...]:
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]  # deferred: in the try, see below

        found = _required(sre_parse.parse(regex).data)
    except Exception:  # noqa: BLE001 - any parser change (re._parser gone) means no shortcut, never a wrong answer
        return ()
    groups = [tuple(sorted({lit.lower() for lit in group})) for group in found]
    return tuple(sorted(dict.fromkeys(groups), key=_selectivity))


def _selectivity(group: Sequence[str]) -> tuple[int, int]:
    # the most selective first: the longest shortest string ("the" or "我" is in most texts; a Chinese
    # character tells about as much as two letters; past six, all are rare enough), then fewest alternatives
    return (-min(_telling(x) for x in group), len(group))


def _required(items: list) -> list[list[str]]:  # type: ignore[type-arg]
    """For a parsed sequence: every set of alternative strings one of which must occur (all must hold)."""
    from re._constants import (  # type: ignore[attr-defined]  # deferred: as _groups_of's re._parser
        BRANCH,
        IN,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        SUBPATTERN,
    )

    def telling(run: str) -> bool:  # two characters or more, or one Chinese character
        return len(run.strip()) >= 2 or (len(run) == 1 and is_cjk(run))

    groups: list[list[str]] = []
    run = ""
    for op, arg in items:
        if op is LITERAL:
            run += chr(arg)
            continue
        if telling(run):
            groups.append([run])
        run = ""
        if op is SUBPATTERN:
            groups += _required(arg[-1].data)
        elif op is BRANCH:  # one branch or another: the best set of each, joined
            options: list[str] = []
            for branch in arg[1]:
                sub = _required(branch.data)
                if not sub:
                    options = []
                    break
                best: list[str] = min(sub, key=_selectivity)
                options.extend(best)
            if options:
                groups.append(options)
        elif op is IN:  # one of some Chinese characters ("放|搁|压" is parsed as a class)
            chars = [chr(v) for o, v in arg if o is LITERAL]
            if len(chars) == len(arg) and all(is_cjk(c) for c in chars):
                groups.append(chars)
        elif op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:
            groups += _required(arg[2].data)
    if telling(run):
        groups.append([run])
    return groups


def _telling(literal: str) -> int:
    """How rare a literal is likely to be, roughly: letters count one, Chinese characters two; at most 6."""
    return min(6, sum(2 if is_cjk(ch) else 1 for ch in literal.strip()))


def anchor(rendered_term: str) -> str:
    """The key under which a term is indexed: its first word or concept, or its first Chinese pair."""
    first = rendered_term.split()[0]
    if is_cjk(first):
        return "z:" + first[:2] if len(first) >= 2 else "u:" + first
    return "t:" + first


def query_anchors(a: Analysed) -> list[str]:
    """The anchors present in an analysed query (see ``anchor``), each once, in the order of the text (so
    the reasons come in the same order on every run)."""
    keys: dict[str, None] = {}
    for tok in a.rendered.split():
        if is_cjk(tok):
            keys.update(dict.fromkeys("z:" + tok[i : i + 2] for i in range(len(tok) - 1)))
            keys.update(dict.fromkeys("u:" + ch for ch in tok))
        else:
            keys["t:" + tok] = None
    return list(keys)


def _by_letter(words: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for w in words:
        out[w[0]].append(w)
    return dict(out)


def _by_anchor(keywords: dict[str, list[KeywordEntry]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for pin in keywords:
        out[anchor(pin)].append(pin)
    return dict(out)


def _idf(docs: list[Counter[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of each feature over ``docs``."""
    df: Counter[str] = Counter(chain.from_iterable(docs))
    n = max(len(docs), 1)
    by_count = {d: math.log((n + 1) / (d + 0.5)) for d in set(df.values())}  # one log per distinct count
    return dict(zip(df, map(by_count.__getitem__, df.values())))


def _postings(docs: list[Counter[str]], idf: dict[str, float]) -> dict[str, list[tuple[int, float]]]:
    """Feature -> (item, weight) over the items' normalised vectors (empty documents have none); the items
    are the documents' positions (rules, or phrases for the closest-phrase look-up)."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    posting = postings.__getitem__
    tf = _Tf()
    for r, doc in enumerate(docs):
        feats, weights = _weigh(doc, idf, tf)
        # postings[f].append((r, w)) for each feature, looped in C (a build appends millions)
        _consume(map(list.append, map(posting, feats), zip(repeat(r), weights)))
    return dict(postings)


class _Tf(dict[float, float]):
    """Count -> its term frequency weight, 1 + log(count), worked out once per distinct count."""

    def __missing__(self, n: float) -> float:
        value = self[n] = 1 + math.log(n)
        return value


_consume = deque(maxlen=0).extend
"""Runs an iterator to its end in C (for ``map`` over calls made for their effect)."""


def _weigh(
    feats: Counter[str], idf: dict[str, float], tf: _Tf | None = None
) -> tuple[list[str], list[float]]:
    """A document's features and their weights: (1 + log count) x idf, divided by the vector's length;
    features with a count or weight of zero or less are left out. The same arithmetic in the same order
    as one loop over the features (so the same floats), with the loops in C."""
    tf = _Tf() if tf is None else tf
    keys = list(feats)
    counts = list(feats.values())
    if counts and min(counts) <= 0:
        keep = [n > 0 for n in counts]
        keys = list(compress(keys, keep))
        counts = list(compress(counts, keep))
    vals = list(map(mul, map(tf.__getitem__, counts), map(idf.get, keys, repeat(0.0))))
    norm = math.sqrt(sum(map(mul, vals, vals))) or 1.0
    if vals and min(vals) <= 0:
        keep = [v > 0 for v in vals]
        keys = list(compress(keys, keep))
        vals = list(compress(vals, keep))
    return keys, list(map(truediv, vals, repeat(norm)))


def _learnable(toks: set[str]) -> set[str]:
    """The tokens typo correction may correct towards or leave alone: English words of four letters or more."""
    return {t for t in toks if len(t) >= 4 and t.isascii() and t.isalpha()}


def _count(parts: list[Counter[str]]) -> Counter[str]:
    """The sum of whole-number feature counts, in C: the same counts and order as updating one
    ``Counter`` with each part in turn."""
    return Counter(chain.from_iterable(starmap(repeat, chain.from_iterable(map(dict.items, parts)))))


def _minus(doc: Counter[str], *subs: Counter[str]) -> Counter[str]:
    """``doc - subs[0] - subs[1] ...`` as ``Counter`` subtracts (the same values, in the same order), looping
    over the subtracted features only when every count is positive (a story is a small part of a rule)."""
    if any(min(c.values(), default=1) <= 0 for c in (doc, *subs)):
        for sub in subs:
            doc = doc - sub
        return doc
    out = doc.copy()
    get, drop = out.get, out.pop  # dict's own (Counter's del is a Python method)
    for sub in subs:
        for f, n in sub.items():
            held = get(f)
            if held is not None:
                left = held - n
                if left > 0:
                    out[f] = left
                else:
                    drop(f)
    return out


def build_index(
    lib: Library,
    zh_mode: str = "bigram",
    leave_out: frozenset[str] = frozenset(),
    tokens: dict[str, tuple[list[str], Counter[str]]] | None = None,
) -> Index:
    """Compile every rule's examples, phrases, keywords, patterns and terms.

    A rule is learnt from its examples (the situations a trainer wrote for it) as much as from its
    match phrases: both are compared with the user's text by similarity. ``leave_out`` holds example
    texts to leave unlearnt, so that ``coach validate`` can check each example against an index that
    has not seen it (cross-validation), not against itself. ``tokens`` keeps each text's tokens and
    features for the next build of the same library with the same ``zh_mode`` (cross-validation builds
    it once per fold)."""
    with collector_paused():
        return _build(lib, zh_mode, leave_out, tokens)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused meanwhile (and in processes forked meanwhile, which inherit it):
    a build makes a million small objects (the postings) and no cycles, and each collection on the way would
    walk all of them again (a third of a build's time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(
    lib: Library,
    zh_mode: str,
    leave_out: frozenset[str],
    tokens: dict[str, tuple[list[str], Counter[str]]] | None,
) -> Index:
    from coach.content.models import CATEGORY_ORDER  # deferred: coach.content imports the engine

    synonyms = Synonyms.build(lib.concepts)
    rule_ids = list(lib.rules)
    rules = [lib.rules[i] for i in rule_ids]

    seen: dict[str, tuple[list[str], Counter[str]]] = {} if tokens is None else tokens

    def read(text: str) -> tuple[list[str], Counter[str]]:
        """A text's tokens and features (never changed by the callers: shared by the next build)."""
        held = seen.get(text)
        if held is None:
            toks = synonyms.apply(clean(text))[0]
            held = seen[text] = (toks, features_of(toks, zh_mode))
        return held

    def toks_of(text: str) -> list[str]:
        return read(text)[0]

    def feats_of(text: str) -> Counter[str]:
        return read(text)[1]

    langs: dict[str, str] = {}

    def lang_of(text: str) -> str:
        held = langs.get(text)
        if held is None:
            held = langs[text] = language_of(text)
        return held

    words: dict[str, list[str]] = {}

    def words_of(text: str) -> list[str]:
        """A term's or title's words as written (cleaned, no concepts): typo-correction targets."""
        held = words.get(text)
        if held is None:
            held = words[text] = clean(text).split()
        return held

    pins: dict[str, str] = {}

    def pin_of(text: str) -> str:
        """What to look for of a keyword or required term (see ``needle``); the text has tokens."""
        held = pins.get(text)
        if held is None:
            held = pins[text] = needle(render(toks_of(text)))
        return held

    learnt_toks: set[str] = set()
    signal_toks: set[str] = set()
    doc_feats: list[Counter[str]] = []
    phrase_feats: list[Counter[str]] = []
    phrase_rule: list[int] = []
    phrase_text: list[str] = []
    keywords: dict[str, list[KeywordEntry]] = defaultdict(list)
    patterns: dict[str, tuple[list[str], list[tuple[int, float]]]] = {}
    pattern_groups: dict[str, list[list[str]]] = {}
    requires: dict[int, list[str]] = defaultdict(list)
    excludes: dict[int, list[str]] = defaultdict(list)

    for terms in lib.concepts.values():
        for term in terms:
            signal_toks.update(words_of(term))

    by_lang: dict[str, list[Counter[str]]] = {"en": [], "zh": []}
    stories: dict[str, list[Counter[str]]] = {"en": [], "zh": []}
    for r, rule in enumerate(rules):
        # Each part's features are gathered, then counted in one pass: the same counts, in the same
        # order, as updating the rule's counters phrase by phrase (whole numbers, so any order sums alike).
        whole: list[Counter[str]] = []
        part: dict[str, list[Counter[str]]] = {"en": [], "zh": []}
        story: dict[str, list[Counter[str]]] = {"en": [], "zh": []}
        learnt = [e for e in rule.examples if e not in leave_out]
        for phrase in [*rule.match.phrases.en, *rule.match.phrases.zh, *learnt]:
            toks, feats = read(phrase)
            learnt_toks.update(toks)
            if feats:
                lang = lang_of(phrase)
                whole.append(feats)
                part[lang].append(feats)
                if len(feats) >= STORY_FEATURES:
                    story[lang].append(feats)
                # what a line can be closest to: any phrase or example, a story too (a line taken from a
                # story is closest to it; held-out examples reach their rule more often that way)
                phrase_rule.append(r)
                phrase_feats.append(feats)
                phrase_text.append(phrase)
        for lang, title in (("en", rule.title.en), ("zh", rule.title.zh)):
            signal_toks.update(words_of(title))
            whole.append(feats_of(title))
            part[lang].append(feats_of(title))
        doc = _count(whole)
        counts = {lang: _count(parts) for lang, parts in part.items()}
        # Two keywords that mean the same after synonym mapping (rebate / 返利) count once, at the higher weight.
        strongest: dict[str, tuple[float, str]] = {}
        for kw in rule.match.keywords:
            if toks_of(kw.term):
                signal_toks.update(words_of(kw.term))
                pin = pin_of(kw.term)
                if pin not in strongest or kw.weight > strongest[pin][0]:
                    strongest[pin] = (kw.weight, kw.term)
        for pin, (weight, label) in strongest.items():
            into = counts[lang_of(label)]
            for f, n in feats_of(label).items():
                doc[f] += n * weight
                into[f] += n * weight
            keywords[pin].append((r, label, weight))
        for pat in rule.match.patterns:
            if pat.regex not in patterns:  # parsed once, however many rules share it
                patterns[pat.regex] = (required_literals(pat.regex), [])
                pattern_groups[pat.regex] = required_groups(pat.regex)
            patterns[pat.regex][1].append((r, pat.weight))
        for bucket, items in ((requires, rule.match.require_any), (excludes, rule.match.exclude)):
            for item in items:
                if toks_of(item):
                    bucket[r].append(pin_of(item))
        doc_feats.append(doc)
        for lang in by_lang:
            by_lang[lang].append(counts[lang])
            stories[lang].append(_count(story[lang]))

    domain = frozenset(chain.from_iterable(doc_feats))
    none = -1
    if lib.out_of_scope:
        none = len(doc_feats)
        whole = []
        part = {"en": [], "zh": []}
        story = {"en": [], "zh": []}
        for phrase in lib.out_of_scope:
            feats = feats_of(phrase)
            whole.append(feats)
            part[lang_of(phrase)].append(feats)
            if len(feats) >= STORY_FEATURES:  # a long text that is no customer situation (a shopper's post)
                story[lang_of(phrase)].append(feats)
        doc_feats.append(_count(whole))
        for lang in by_lang:
            by_lang[lang].append(_count(part[lang]))
            stories[lang].append(_count(story[lang]))

    short = [_minus(doc, en, zh) for doc, en, zh in zip(doc_feats, stories["en"], stories["zh"])]
    idf = _idf(short)  # a word the rules use only in stories means nothing to a line
    long_idf = _idf(doc_feats)

    # A line is compared with what each rule says in lines, a long text with everything the rule says
    # (its stories included) and with its stories alone: the many short examples do not drown the few
    # long ones, and long examples do not pull short texts toward the rules that happen to have them.
    centroid_postings = _postings(short, idf)
    centroid_by_lang = {
        lang: _postings([_minus(d, s) for d, s in zip(by_lang[lang], stories[lang])], idf)
        for lang in ("en", "zh")
    }
    long_by_lang = {
        "en": _postings(by_lang["en"], long_idf),
        "zh": _postings(by_lang["zh"], long_idf),
        "": _postings(doc_feats, long_idf),
    }
    both = [en + zh for en, zh in zip(stories["en"], stories["zh"])]
    story_idf = _idf([doc for doc in both if doc])
    story_by_lang = {lang: _postings(docs, story_idf) for lang, docs in (*stories.items(), ("", both))}

    signal = _learnable(signal_toks)
    vocab = _learnable(learnt_toks) | signal
    targets = sorted(w for w in signal if len(w) >= 5)
    return Index(
        rule_ids=rule_ids,
        meta=[(rule.title.en, rule.title.zh, rule.category.value) for rule in rules],
        order=[
            (-rule.priority, CATEGORY_ORDER[rule.category.value], rid) for rid, rule in zip(rule_ids, rules)
        ],
        synonyms=synonyms,
        idf=idf,
        centroid_postings=centroid_postings,
        centroid_by_lang=centroid_by_lang,
        long_by_lang=long_by_lang,
        long_idf=long_idf,
        story_by_lang=story_by_lang,
        story_idf=story_idf,
        phrase_postings=_postings(phrase_feats, idf),
        phrase_rule=phrase_rule,
        phrase_text=phrase_text,
        needles=_by_anchor(keywords),
        keywords=dict(keywords),
        patterns=patterns,
        pattern_groups=pattern_groups,
        requires=dict(requires),
        excludes=dict(excludes),
        vocab=frozenset(vocab),
        vocab_list=targets,
        vocab_by_letter=_by_letter(targets),
        vocab_stems=frozenset(stem(w) for w in vocab),
        domain=domain,
        none=none,
        requests=list(lib.out_of_scope_patterns),
        zh_mode=zh_mode,
    )
