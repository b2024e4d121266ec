"""Rank the rules of an ``Index`` against a situation text, explain every score, abstain when unsure.

Score of a rule = ``W_PHRASE`` x best phrase similarity (for a line) + ``W_CENTROID`` x similarity to the
rule as a whole in the text's language + ``W_KEYWORD`` x (1 - exp(-keyword weight / ``KEYWORD_SCALE``)), plus, for
a long text, ``W_STORY`` x similarity to the rule's long examples (its stories) instead of the phrase term. Similarities are
TF-IDF cosines over the features of ``coach.engine.index``.

Order: score (rounded to 4 places) high to low; exact ties by rule ``priority`` (higher first), then
category in course order (difficult, complaint, tactic, principle), then id alphabetically.
Abstain (no advice rather than a guess) when the best rule scores below ``ABSTAIN_BELOW``, when less
than ``MIN_COVERAGE`` of the text is playbook vocabulary, or when the text reads like the playbooks'
out-of-scope requests (weather, travel, office chores...) about as much as like the best rule, or
when it has the shape of a task for an assistant or a trivia question (the out-of-scope patterns) and
no rule fits it strongly (``REQUEST_OVERRIDE``).
Ambiguous: the runner-up is within ``AMBIGUOUS_GAP`` of the best.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from operator import itemgetter

from coach.engine.index import LONG_TEXT as LONG_TEXT
from coach.engine.index import Analysed, Index, query_anchors
from coach.engine.normalize import CONCEPT, is_cjk, language_of, stem, surface

W_PHRASE = 0.10
W_CENTROID = 0.70
W_KEYWORD = 0.20
W_STORY = 0.70
"""A long text (``LONG_TEXT`` features or more) also scores ``W_STORY`` x its similarity to the rule's stories."""
KEYWORD_SCALE = 10.0
ABSTAIN_BELOW = 0.045
ABSTAIN_BELOW_LONG = 0.035
MIN_COVERAGE = 0.45
"""Abstain when less than this share of the text is playbook vocabulary (see ``Index.coverage``)."""
OUT_OF_SCOPE_RATIO = 0.7
"""Abstain when the out-of-scope phrases are at least this close (relative to the best rule's similarity)."""
OUT_OF_SCOPE_RATIO_LONG = 1.0
"""A long text is abstained on when it is at least as close to the out-of-scope texts (with their long
posts and reports) as to the best rule: a story shares much everyday vocabulary with both."""
REQUEST_OVERRIDE = 0.35
"""A text shaped like a request or trivia question (out-of-scope patterns) still gets advice at this score."""
AMBIGUOUS_GAP = 0.03
FLOOR_SHARE = 0.3
"""Candidates after the best are listed only while they score at least this share of the best."""


@dataclass(frozen=True)
class RuleMatch:
    """One ranked rule with its score and the reasons for it."""

    id: str
    score: float
    why: list[str]
    ambiguous: bool = False
    title: str = ""
    category: str = ""
    evidence: tuple[tuple[str, str], ...] = ()
    """What a person reads as the reason: (the user's own words, the playbook term they matched), with the
    term empty when the words were matched as they are; never regex source or internal ids."""

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``coach match --json``."""
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "score": self.score,
            "ambiguous": self.ambiguous,
            "why": self.why,
        }


@dataclass(frozen=True)
class MatchResult:
    """Ranked matches for a text (empty when the engine abstains), with notes on the whole query."""

    query: str
    matches: list[RuleMatch]
    notes: list[str] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        """True when the best two were too close to call."""
        return bool(self.matches) and self.matches[0].ambiguous


def _dot(postings: dict[str, list[tuple[int, float]]], qvec: dict[str, float], size: int) -> dict[int, float]:
    """Item -> dot product of its vector with ``qvec`` (items numbered below ``size``; those with nothing in
    common are left out). Summed in a list, not a dict: a long text touches every rule many times."""
    acc = [0.0] * size
    get = postings.get
    for f, qw in qvec.items():
        posting = get(f)
        if posting:
            for item, w in posting:
                acc[item] += qw * w
    return {item: v for item, v in enumerate(acc) if v}


def _query_vector(index: Index, a: Analysed, idf: dict[str, float] | None = None) -> dict[str, float]:
    idf = index.idf if idf is None else idf
    vec = {f: (1 + math.log(n)) * idf[f] for f, n in a.features.items() if idf.get(f, 0.0) > 0.05}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {f: v / norm for f, v in vec.items()}


def _keyword_hits(
    index: Index, a: Analysed
) -> tuple[dict[int, float], dict[int, list[str]], dict[int, list[tuple[str, str]]]]:
    """Weight of keywords and patterns found per rule, with the reasons (for JSON) and the evidence (the
    user's own words and the playbook term, for people)."""
    kw: dict[int, float] = defaultdict(float)
    why: dict[int, list[str]] = defaultdict(list)
    said: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for key in query_anchors(a):
        for pin in index.needles.get(key, ()):
            if pin in a.rendered:
                words = user_words(a, pin)
                for r, label, weight in index.keywords[pin]:
                    kw[r] += weight
                    why[r].append(f'keyword "{label}" +{weight:g}')
                    said[r].append((words, "" if words == label else label))
    mapped = a.mapped
    by_literal, always, position, by_start = _pattern_literals(index)
    if len(mapped) < len(by_start):  # a short text: its own two-character starts, looked up
        starts = {mapped[i : i + 2] for i in range(len(mapped) - 1)}
        starts.update(mapped)
        present = starts.intersection(by_start)
    else:  # a long one: each known start searched for in it (fewer steps, each in C)
        present = {start for start in by_start if start in mapped}
    found = {
        regex for start in present for lit in by_start[start] if lit in mapped for regex in by_literal[lit]
    }
    groups = index.pattern_groups
    for regex in sorted(found.union(always), key=position.__getitem__):
        if not all(any(lit in mapped for lit in group) for group in groups.get(regex, ())):
            continue  # one of the strings every match needs is missing: no need to compile or run it
        users = index.patterns[regex][1]
        if m := index.pattern(regex).search(mapped):
            words = user_words(a, m.group(0))
            for r, weight in users:
                kw[r] += weight
                why[r].append(f"pattern /{regex}/ +{weight:g}")
                said[r].append((words, ""))
    return kw, why, said


def _pattern_literals(
    index: Index,
) -> tuple[dict[str, list[str]], list[str], dict[str, int], dict[str, list[str]]]:
    """Literal -> the patterns that need it (each literal is looked for once per text), the patterns with
    no known literal (always tried), each pattern's place (reasons keep the playbooks' order) and the
    literals by their first two characters (only those whose start is in the text are looked for);
    worked out once per index."""
    cached = index.__dict__.get("_by_literal")
    if cached is None:
        by_literal: dict[str, list[str]] = defaultdict(list)
        always = []
        for regex, (literals, _) in index.patterns.items():
            for lit in literals:
                by_literal[lit].append(regex)
            if not literals:
                always.append(regex)
        position = {regex: i for i, regex in enumerate(index.patterns)}
        by_start: dict[str, list[str]] = defaultdict(list)
        for lit in by_literal:
            by_start[lit[:2]].append(lit)
        cached = index.__dict__["_by_literal"] = (dict(by_literal), always, position, dict(by_start))
    return cached


def user_words(a: Analysed, rendered: str) -> str:
    """A stretch of the analysed text as the user wrote it: concept tokens back to the user's own term."""
    terms = dict((concept, term) for term, concept in a.concepts)
    out = []
    for tok in rendered.split():
        out.append(terms.get(tok[1:], tok[1:]) if tok.startswith(CONCEPT) else tok)
    return " ".join(out).strip()


def _best_phrases(
    index: Index, qvec: dict[str, float], rules: Collection[int] | None = None
) -> dict[int, tuple[float, int]]:
    """Rule -> (similarity, phrase) of its closest phrase or example (ties: the phrase written first), for
    every rule, or for ``rules`` only (the others may be left out)."""
    spans = _phrase_spans(index)
    acc = [0.0] * len(index.phrase_rule)
    get = index.phrase_postings.get
    if rules is not None and len(rules) * 4 < len(spans):  # a few rules of many: only their phrases
        wanted: Collection[int] = sorted(rules)
        first = itemgetter(0)
        for f, qw in qvec.items():
            posting = get(f)
            if not posting:
                continue
            for r in wanted:
                lo, hi = spans[r]
                i = bisect_left(posting, lo, key=first)  # a posting is in phrase order
                while i < len(posting) and posting[i][0] < hi:
                    p, w = posting[i]
                    acc[p] += qw * w
                    i += 1
    else:
        wanted = range(len(spans)) if rules is None else sorted(rules)
        for f, qw in qvec.items():
            posting = get(f)
            if posting:
                for p, w in posting:
                    acc[p] += qw * w
    best: dict[int, tuple[float, int]] = {}
    for r in wanted:
        lo, hi = spans[r]
        if lo < hi:
            sim = max(acc[lo:hi])
            if sim:  # a phrase sharing a feature has a positive sum (positive weights on both sides)
                best[r] = (sim, acc.index(sim, lo, hi))  # the first of equals
    return best


def _phrase_spans(index: Index) -> list[tuple[int, int]]:
    """Each rule's phrase numbers, [start, end): a rule's phrases are numbered one after the other; worked
    out once per index."""
    spans: list[tuple[int, int]] | None = index.__dict__.get("_phrase_spans")
    if spans is None:
        rule_of = index.phrase_rule
        spans = [(bisect_left(rule_of, r), bisect_right(rule_of, r)) for r in range(len(index.rule_ids))]
        index.__dict__["_phrase_spans"] = spans
    return spans


SHORTLIST = 40
"""Rules fully scored per query: the best by similarity + keywords (the phrase term, at most
``W_PHRASE``, is computed for these only; at the shipped playbooks' size that is every candidate)."""


def score_all(
    index: Index, a: Analysed, hits: tuple[dict, dict, dict] | None = None
) -> tuple[dict[int, tuple[float, list[str]]], float, float]:
    """Score the rules with any signal in the text: (rule index -> (score, reasons), best rule
    similarity, out-of-scope similarity)."""
    lang = _language(a)
    story: dict[int, float] = {}
    story_text = len(a.features) >= LONG_TEXT
    if story_text:
        long_by_lang, long_idf, story_by_lang, story_idf = index.long_parts()
        qvec = _query_vector(index, a, long_idf)
        by_lang = long_by_lang.get(lang)
        story = _dot(story_by_lang.get(lang, {}), _query_vector(index, a, story_idf), len(index.rule_ids) + 1)
    else:
        qvec = _query_vector(index, a)
        by_lang = index.centroid_by_lang.get(lang)
    size = len(index.rule_ids) + 1  # the rules and the out-of-scope entry
    centroid = _dot(index.centroid_postings if by_lang is None else by_lang, qvec, size)
    none_sim = centroid.pop(index.none, 0.0) + story.pop(index.none, 0.0)
    best_sim = max((sim + story.get(r, 0.0) for r, sim in centroid.items()), default=0.0)
    kw, kw_why, _ = hits if hits is not None else _keyword_hits(index, a)

    partial: dict[int, float] = {}
    rendered, excludes, requires = a.rendered, index.excludes, index.requires
    for r in set(centroid) | set(kw):
        if r in excludes and any(pin in rendered for pin in excludes[r]):
            continue
        if r in requires and not any(pin in rendered for pin in requires[r]):
            continue
        ks = 1 - math.exp(-kw[r] / KEYWORD_SCALE) if r in kw else 0.0
        partial[r] = (
            W_CENTROID * min(centroid.get(r, 0.0), 1.0) + W_STORY * story.get(r, 0.0) + W_KEYWORD * ks
        )
    if len(partial) > SHORTLIST:
        # only rules scoring at least the SHORTLIST-th best score can be among the first SHORTLIST
        floor = heapq.nlargest(SHORTLIST, partial.values())[-1]
        near = [r for r, v in partial.items() if v >= floor]
        keep = heapq.nsmallest(SHORTLIST, near, key=lambda r: (-partial[r], index.order[r]))
        partial = {r: partial[r] for r in keep}

    scored: dict[int, tuple[float, list[str]]] = {}
    # A line's closest phrase or example says much; a story's says little (one line shares a few words
    # with a long text, whatever it is about) and costs most of its time: a long text has its stories.
    closest = _best_phrases(index, qvec, partial) if not story_text else {}
    for r, base in partial.items():
        ps, p = closest.get(r, (0.0, -1))
        cs = centroid.get(r, 0.0)
        why = list(kw_why.get(r, ()))
        if p >= 0 and ps >= 0.15:
            why.append(f'close to phrase "{index.phrase_text[p]}" ({ps:.2f})')
        why.append(f"similarity to the whole entry {cs:.2f}")
        if story.get(r, 0.0) >= 0.01:
            why.append(f"similarity to its longer examples {story[r]:.2f}")
        scored[r] = (base + W_PHRASE * min(ps, 1.0), why)
    return scored, best_sim, none_sim


def _language(a: Analysed) -> str:
    """``zh`` for a text in Chinese only, ``en`` for one in English only, ``""`` for one that mixes both
    ("buyer一直拖"), which is compared with the rules' vectors over both languages."""
    cjk = any(is_cjk(t) for t in a.toks)
    latin = any(not t.startswith(CONCEPT) and t.isascii() and t.isalpha() and len(t) >= 2 for t in a.toks)
    return "" if cjk and latin else "zh" if cjk else "en"


def _top_features(index: Index, a: Analysed, r: int, qvec: dict[str, float], limit: int = 4) -> list[str]:
    """The query's words that weigh most for rule ``r`` (for the explanation); ``qvec`` is the query's
    vector on the lines' idf (``_query_vector(index, a)``)."""
    contrib = []
    for f, qw in qvec.items():
        posting = index.centroid_postings.get(f, ())
        i = bisect_left(posting, r, key=lambda item: item[0])
        if i < len(posting) and posting[i][0] == r:
            contrib.append((qw * posting[i][1], f))
    contrib.sort(reverse=True)
    raw = {stem(t): t for t in reversed(a.toks)}
    terms = dict((concept, term) for term, concept in a.concepts)
    out: list[str] = []
    for _, f in contrib:
        if f.startswith("c:"):
            word = terms.get(f[2:], "")  # a trade term, as the user wrote it
        elif f.startswith(("w:", "b:")):
            word = " ".join(raw.get(part, part) for part in f[2:].split(" "))
            if f.startswith("b:") and f" {word} " not in f" {' '.join(a.toks)} ":
                word = ""  # the two words were apart in the text (function words between them)
        else:
            word = ""  # a pair of Chinese characters means nothing on its own
        if word and word not in out:
            out.append(word)
        if len(out) == limit:
            break
    if len(out) < limit:
        out += [run for run in _chinese_runs(index, a, r) if run not in out][: limit - len(out)]
    return out


def _chinese_runs(index: Index, a: Analysed, r: int) -> list[str]:
    """Stretches of the user's Chinese (three characters or more) made of character pairs the rule knows,
    longest first: "送货太慢" rather than the pairs 货太 and 太慢."""

    def known(pair: str) -> bool:
        posting = index.centroid_postings.get("z:" + pair, ())
        i = bisect_left(posting, r, key=lambda item: item[0])
        return i < len(posting) and posting[i][0] == r

    runs: list[str] = []
    for tok in a.toks:
        if tok.startswith(CONCEPT) or not is_cjk(tok):
            continue
        start = None
        for i in range(len(tok) - 1):
            if known(tok[i : i + 2]):
                start = i if start is None else start
                end = i + 2
            elif start is not None:
                runs.append(tok[start:end])
                start = None
        if start is not None:
            runs.append(tok[start:end])
    return sorted((run for run in runs if len(run) >= 3), key=len, reverse=True)


def _is_request(index: Index, text: str) -> bool:
    if not index.requests:
        return False
    plain = surface(text)
    return any(index.pattern(p).search(plain) for p in index.requests)


def rank(index: Index, text: str, top: int = 3) -> MatchResult:
    """Best rules for ``text``, best first; empty when nothing reaches ``ABSTAIN_BELOW``."""
    a = index.analyse(text)
    notes = [f'read "{wrong}" as "{right}"' for wrong, right in a.corrections]
    hits = _keyword_hits(index, a)
    scored, best_sim, none_sim = score_all(index, a, hits)
    ordered = sorted(scored.items(), key=lambda kv: (-round(kv[1][0], 4), index.order[kv[0]]))
    best = f" (best: {index.rule_ids[ordered[0][0]]} {ordered[0][1][0]:.2f})" if ordered else ""
    floor = ABSTAIN_BELOW if len(a.features) < LONG_TEXT else ABSTAIN_BELOW_LONG
    if not ordered or ordered[0][1][0] < floor:
        return MatchResult(text, [], notes + [f"no rule reached {floor:.2f}{best}"])
    coverage = index.coverage(a)
    if coverage < MIN_COVERAGE:
        return MatchResult(
            text, [], notes + [f"only {coverage:.0%} of the text is playbook vocabulary{best}"]
        )
    ratio = OUT_OF_SCOPE_RATIO if len(a.features) < LONG_TEXT else OUT_OF_SCOPE_RATIO_LONG
    if none_sim > 0 and none_sim >= ratio * best_sim:
        return MatchResult(
            text, [], notes + [f"reads like a general request, not a customer situation{best}"]
        )
    if ordered[0][1][0] < REQUEST_OVERRIDE and _is_request(index, text):
        return MatchResult(
            text, [], notes + [f"reads like a task or a general question, not a customer situation{best}"]
        )
    best_score = ordered[0][1][0]
    kept = [(r, s, why) for r, (s, why) in ordered[: max(top, 1)] if s >= best_score * FLOOR_SHARE]
    close = len(kept) > 1 and best_score - kept[1][1] <= AMBIGUOUS_GAP
    out = []
    said = hits[2]
    line_vec = _query_vector(index, a)
    for pos, (r, s, why) in enumerate(kept):
        why = list(why)
        words = _top_features(index, a, r, line_vec)
        if words:
            why.append("shared words: " + ", ".join(words))
        evidence = list(dict.fromkeys(said.get(r, [])))
        seen = {w for w, _ in evidence}
        evidence += [(w, "") for w in words if w not in seen]
        if pos == 0 and len(ordered) > 1:
            runner, (rs, _) = ordered[1]
            why.append(f"ahead of {index.rule_ids[runner]} by {s - rs:.3f}")
        title, _, category = index.meta[r]
        out.append(
            RuleMatch(
                index.rule_ids[r], round(s, 4), why, close and pos < 2, title, category, tuple(evidence[:6])
            )
        )
    return MatchResult(text, out, notes)


_EXPLAIN = {
    "en": ('"{w}"', " (= {t})", "; "),
    "zh": ("「{w}」", "（即{t}）", "；"),
}


def explanation(match: RuleMatch, lang: str) -> str:
    """Why a rule matched, as a person reads it in ``lang``: the user's own words that mattered and the
    playbook term each matched, when it differs and is written in the reader's language; "" when there is
    nothing to show. Never regex source, internal ids or stray character pairs."""
    word, term, sep = _EXPLAIN["zh" if lang == "zh" else "en"]
    parts: list[str] = []
    shown: list[str] = []
    for w, t in match.evidence:
        if not w or any(w in earlier for earlier in shown):
            continue
        shown.append(w)
        same_script = t and language_of(t) == ("zh" if lang == "zh" else "en")
        parts.append(
            word.format(w=w) + (term.format(t=t) if same_script and t.casefold() != w.casefold() else "")
        )
    return sep.join(parts)
