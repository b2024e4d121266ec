"""Authors' verify step: run every rule's examples and counter-examples through the engine."""

from __future__ import annotations

from coach.content.loader import Library
from coach.engine.index import Index, build_index
from coach.engine.match import rank

FOLDS = 5
"""Examples are checked in five rounds, each against an index built without a fifth of them."""


def _held_out(lib: Library, tokens: dict[str, list[str]] | None = None) -> dict[str, Index]:
    """For each example text, an index that did not learn it (one index per fold); ``tokens`` is shared by
    the builds (see ``build_index``)."""
    tokens = {} if tokens is None else tokens
    folds: list[set[str]] = [set() for _ in range(FOLDS)]
    for rule in lib.rules.values():
        for i, text in enumerate(rule.examples):
            folds[i % FOLDS].add(text)
    out: dict[str, Index] = {}
    for fold in folds:
        if fold:
            index = build_index(lib, leave_out=frozenset(fold), tokens=tokens)
            out.update(dict.fromkeys(fold, index))
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
    lib: Library, settled: set[str] | None = None, tokens: dict[str, list[str]] | None = None
) -> tuple[list[str], list[str]]:
    """Examples checked against an index built without them (five-fold cross-validation): (problems,
    warnings). Unseen, an example that its rule does not even reach (not in the first three) or that gets
    no advice is a problem: the rule does not cover that situation, or the example belongs elsewhere. One
    outranked by a neighbour is a warning: add vocabulary concepts or examples in the same vein. The
    examples that ranked their own rule first are added to ``settled`` when it is given."""
    problems: list[str] = []
    warnings: list[str] = []
    unseen = _held_out(lib, tokens)
    for rule_id, rule in lib.rules.items():
        src = lib.sources[rule_id]
        doc = lib.documents[src.file]
        for i, text in enumerate(rule.examples):
            miss = _miss(unseen[text], rule_id, text) if text in unseen else None
            if not miss and text in unseen and settled is not None:
                settled.add(text)
            if miss:
                line = doc.locate(("rules", src.index, "examples", i), f"unseen, it {miss}: {text!r}")
                (warnings if miss.startswith("outranked") else problems).append(line)
    return problems, warnings


def examples_check(lib: Library) -> tuple[list[str], list[str], list[str]]:
    """Everything ``coach validate`` learns by running the rules' examples through the engine: (problems,
    warnings about examples outranked unseen, warnings about keywords and patterns no example uses)."""
    from coach.content.lint import unsupported

    tokens: dict[str, list[str]] = {}
    index = build_index(lib, tokens=tokens)
    settled: set[str] = set()
    unlearnt, outranked = unlearnt_examples(lib, settled, tokens)  # each example against an index without it
    problems = verify_examples(lib, index, frozenset(settled)) + unlearnt
    return problems, outranked, unsupported(lib, index)


def verify_behaviours(lib: Library) -> list[str]:
    """One located line per behaviour example that is not detected, or counter-example that is."""
    from coach.engine.assess import assess, build_behaviour_index

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
