"""Authors' verify step: run every rule's examples and counter-examples through the engine."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from coach.content.lint import unsupported
from coach.content.loader import Library
from coach.engine.assess import assess, build_behaviour_index
from coach.engine.index import Index, build_index, collector_paused
from coach.engine.match import rank

FOLDS = 5
"""Examples are checked in five rounds, each against an index built without a fifth of them."""

Texts = dict[str, tuple[list[str], Counter[str]]]
"""Each text's tokens and features, kept from one build of the library for the next (``build_index``)."""


def _folds(lib: Library) -> list[frozenset[str]]:
    """The example texts of each round (the i-th example of every rule goes to round i mod ``FOLDS``)."""
    folds: list[set[str]] = [set() for _ in range(FOLDS)]
    for rule in lib.rules.values():
        for i, text in enumerate(rule.examples):
            folds[i % FOLDS].add(text)
    return [frozenset(fold) for fold in folds if fold]


def _fold_misses(
    lib: Library, fold: frozenset[str], tokens: Texts | None = None
) -> dict[tuple[str, int], str | None]:
    """(rule id, example number) -> how the example misses its rule (None: ranked first), for the examples
    of one round, against an index built without them."""
    index = build_index(lib, leave_out=fold, tokens=tokens)
    return {
        (rule_id, i): _miss(index, rule_id, text)
        for rule_id, rule in lib.rules.items()
        for i, text in enumerate(rule.examples)
        if text in fold
    }


_FORKED: tuple[Library, Texts] | None = None
"""The library a forked worker checks and the texts already read (set before the workers are started,
inherited by them)."""


def _forked_fold(fold: frozenset[str]) -> dict[tuple[str, int], str | None]:
    assert _FORKED is not None
    return _fold_misses(_FORKED[0], fold, _FORKED[1])


def _all_folds(lib: Library, tokens: Texts) -> dict[tuple[str, int], str | None]:
    """Every round's misses. The rounds are independent, so on a machine with more than one core they run
    in forked worker processes side by side (each builds its own index); where that is not possible they
    run one after the other, with the same result."""
    global _FORKED
    folds = _folds(lib)
    workers = min(len(folds), os.cpu_count() or 1)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        _FORKED = (lib, tokens)
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                out: dict[tuple[str, int], str | None] = {}
                for part in pool.map(_forked_fold, folds):
                    out.update(part)
                return out
        except (OSError, BrokenProcessPool):
            pass  # no processes to be had (limits, memory): the rounds run here instead
        finally:
            _FORKED = None
    out = {}
    for fold in folds:
        out.update(_fold_misses(lib, fold, tokens))
    return out


def verify_examples(lib: Library, index: Index, settled: frozenset[str] = frozenset()) -> list[str]:
    """One located line per example that misses its rule, counter-example that hits, or shared example
    (ranked by the full index: a rule that does not rank its own example first even after learning it has
    a real problem). Examples in ``settled`` already ranked their rule first from an index that had not
    learnt them (``unlearnt_examples``) and are not ranked again."""
    problems: list[str] = []
    owners: dict[str, str] = {}
    for rule_id, rule in lib.rules.items():
        src = lib.sources[rule_id]
        doc = lib.documents[src.file]
        for i, text in enumerate(rule.examples):
            key = " ".join(text.split()).casefold()
            if key in owners and owners[key] != rule_id:
                problems.append(
                    doc.locate(
                        ("rules", src.index, "examples", i), f"also listed under {owners[key]}: {text!r}"
                    )
                )
            owners.setdefault(key, rule_id)
            miss = None if text in settled else _miss(index, rule_id, text)
            if miss:
                problems.append(doc.locate(("rules", src.index, "examples", i), f"{miss}: {text!r}"))
        for i, text in enumerate(rule.counter_examples):
            ids = [m.id for m in rank(index, text, top=1).matches]
            if ids and ids[0] == rule_id:
                problems.append(
                    doc.locate(
                        ("rules", src.index, "counter_examples", i), f"ranks this rule first: {text!r}"
                    )
                )
    return problems


def _miss(index: Index, rule_id: str, text: str) -> str | None:
    ids = [m.id for m in rank(index, text, top=3).matches]
    if not ids:
        return "matches no rule (engine abstains)"
    if rule_id not in ids:
        return f"does not reach this rule (got {ids[0]})"
    if ids[0] != rule_id:
        return f"outranked by {ids[0]}"
    return None


def unlearnt_examples(
    lib: Library, settled: set[str] | None = None, tokens: Texts | None = None
) -> tuple[list[str], list[str]]:
    """Examples checked against an index built without them (five-fold cross-validation): (problems,
    warnings). Unseen, an example that its rule does not even reach (not in the first three) or that gets
    no advice is a problem: the rule does not cover that situation, or the example belongs elsewhere. One
    outranked by a neighbour is a warning: add vocabulary concepts or examples in the same vein. The
    examples that ranked their own rule first are added to ``settled`` when it is given."""
    problems: list[str] = []
    warnings: list[str] = []
    misses = _all_folds(lib, {} if tokens is None else tokens)
    for rule_id, rule in lib.rules.items():
        src = lib.sources[rule_id]
        doc = lib.documents[src.file]
        for i, text in enumerate(rule.examples):
            miss = misses.get((rule_id, i))
            if not miss and (rule_id, i) in misses and settled is not None:
                settled.add(text)
            if miss:
                line = doc.locate(("rules", src.index, "examples", i), f"unseen, it {miss}: {text!r}")
                (warnings if miss.startswith("outranked") else problems).append(line)
    return problems, warnings


def examples_check(lib: Library) -> tuple[list[str], list[str], list[str]]:
    """Everything ``coach validate`` learns by running the rules' examples through the engine: (problems,
    warnings about examples outranked unseen, warnings about keywords and patterns no example uses)."""
    # the collector off, in the forked workers too: the check builds six indexes and ranks thousands of
    # texts, and the collections found nothing to free (about a tenth of a round's CPU time)
    with collector_paused():
        tokens: Texts = {}
        index = build_index(lib, tokens=tokens)
        settled: set[str] = set()
        unlearnt, outranked = unlearnt_examples(
            lib, settled, tokens
        )  # each example against an index without it
        problems = verify_examples(lib, index, frozenset(settled)) + unlearnt
        return problems, outranked, unsupported(lib, index)


def verify_behaviours(lib: Library) -> list[str]:
    """One located line per behaviour example that is not detected, or counter-example that is."""
    index = build_behaviour_index(lib)
    problems: list[str] = []
    for bid, behaviour in lib.behaviours.items():
        src = lib.sources[bid]
        doc = lib.documents[src.file]
        for i, text in enumerate(behaviour.examples):
            if bid not in {d.id for d in assess(index, text).behaviours}:
                problems.append(
                    doc.locate(("behaviours", src.index, "examples", i), f"not detected: {text!r}")
                )
        for i, text in enumerate(behaviour.counter_examples):
            if bid in {d.id for d in assess(index, text).behaviours}:
                problems.append(
                    doc.locate(("behaviours", src.index, "counter_examples", i), f"detected: {text!r}")
                )
    return problems
