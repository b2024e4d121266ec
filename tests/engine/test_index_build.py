"""The build's fast paths give exactly what the plain loops they replace gave: same values (floats bit for
bit), same key order."""

from __future__ import annotations

import math
import random
from collections import Counter

from coach.engine.index import _count, _idf, _minus, _postings, _weigh, features_of
from coach.engine.normalize import CONCEPT, Synonyms

FEATURES = [f"w:{c}{d}" for c in "abcdefgh" for d in "xyz"]


def _random_counter(rng: random.Random, floats: bool = False, signs: bool = False) -> Counter[str]:
    c: Counter[str] = Counter()
    for f in rng.sample(FEATURES, rng.randint(0, len(FEATURES))):
        c[f] = rng.randint(1, 4)
        if floats and rng.random() < 0.4:
            c[f] += rng.choice([0.1, 0.25, 1.5, 3.0, 0.3333])
        if signs and rng.random() < 0.2:
            c[f] = rng.choice([0, -1, -2.5])
    return c


def _plain_weigh(feats: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vec = {f: (1 + math.log(n)) * idf.get(f, 0.0) for f, n in feats.items() if n > 0}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {f: v / norm for f, v in vec.items() if v > 0}


def test_weigh_is_the_plain_loop():
    rng = random.Random(1)
    for _ in range(300):
        doc = _random_counter(rng, floats=True, signs=True)
        idf = {f: rng.choice([0.0, 0.5, 1.7, 2.2]) for f in rng.sample(FEATURES, 15)}
        keys, weights = _weigh(doc, idf)
        expected = _plain_weigh(doc, idf)
        assert list(zip(keys, weights, strict=True)) == list(expected.items())


def test_postings_are_the_plain_loop():
    rng = random.Random(2)
    docs = [_random_counter(rng, floats=True) for _ in range(40)]
    idf = _idf(docs)
    expected: dict[str, list[tuple[int, float]]] = {}
    for r, doc in enumerate(docs):
        for f, w in _plain_weigh(doc, idf).items():
            expected.setdefault(f, []).append((r, w))
    got = _postings(docs, idf)
    assert list(got.items()) == list(expected.items())


def test_idf_is_the_plain_loop():
    rng = random.Random(3)
    docs = [_random_counter(rng) for _ in range(30)]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    expected = {f: math.log((len(docs) + 1) / (d + 0.5)) for f, d in df.items()}
    assert list(_idf(docs).items()) == list(expected.items())


def test_count_is_updating_one_counter():
    rng = random.Random(4)
    for _ in range(100):
        parts = [_random_counter(rng) for _ in range(rng.randint(0, 5))]
        expected: Counter[str] = Counter()
        for part in parts:
            expected.update(part)
        assert list(_count(parts).items()) == list(expected.items())


def test_minus_is_counter_subtraction():
    rng = random.Random(5)
    for i in range(300):
        doc = _random_counter(rng, floats=True, signs=i % 3 == 0)
        subs = [_random_counter(rng, signs=i % 5 == 0) for _ in range(rng.randint(1, 2))]
        expected = doc
        for sub in subs:
            expected = expected - sub
        assert list(_minus(doc, *subs).items()) == list(expected.items())


def test_features_keep_their_order_and_counts():
    toks = ["buyer", "the", "listing", "fees", CONCEPT + "rebate", "进场费太贵", "了", "buyer", "12", "x"]
    feats = features_of(toks)
    assert list(feats.items()) == [
        ("w:buyer", 2),
        ("w:list", 1),
        ("b:buyer list", 1),
        ("w:fee", 1),
        ("b:list fee", 1),
        ("c:rebate", 1),
        ("z:进场", 1),
        ("z:场费", 1),
        ("z:费太", 1),
        ("z:太贵", 1),
        ("u:了", 1),
    ]


def _plain_split(syn: Synonyms, run: str) -> tuple[list[str], list[tuple[str, str]]]:
    out: list[str] = []
    found: list[tuple[str, str]] = []
    buf_start = j = 0
    while j < len(run):
        for size in range(min(syn.cjk_max, len(run) - j), 0, -1):
            concept = syn.cjk.get(run[j : j + size])
            if concept:
                if buf_start < j:
                    out.append(run[buf_start:j])
                out.append(CONCEPT + concept)
                found.append((run[j : j + size], concept))
                j += size
                buf_start = j
                break
        else:
            j += 1
    if buf_start < len(run):
        out.append(run[buf_start:])
    return out, found


def test_chinese_runs_split_as_trying_every_length():
    syn = Synonyms.build({"fee": ["进场费", "进场"], "slow": ["太慢", "慢"], "pay": ["账期很长", "账期"]})
    rng = random.Random(6)
    chars = "进场费太慢账期很长了货"
    for _ in range(500):
        run = "".join(rng.choice(chars) for _ in range(rng.randint(1, 12)))
        found: list[tuple[str, str]] = []
        assert (syn._split_run(run, found), found) == _plain_split(syn, run)


def test_closest_phrases_of_a_few_rules_are_those_of_all():
    from coach.content.compiled import cached_index  # deferred: only this test needs the shipped index
    from coach.engine.match import _best_phrases, _query_vector

    lib, index = cached_index()
    rng = random.Random(7)
    texts = [t for rule in lib.rules.values() for t in (*rule.examples, *rule.counter_examples)]
    for text in rng.sample(texts, 60):
        qvec = _query_vector(index, index.analyse(text))
        every = _best_phrases(index, qvec)
        few = set(rng.sample(range(len(index.rule_ids)), 8))  # 8 x 4 < 42: the bisection path
        assert _best_phrases(index, qvec, few) == {r: v for r, v in every.items() if r in few}
