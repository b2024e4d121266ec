"""``coach validate``'s drill check: every drill question keys the line for its situation and timing, and
none of its wrong lines is also a right answer. ``check_drills`` is pure (loaded library and scenarios
in, located problems out); ``validate_drills`` loads the shipped scenarios for ``coach validate``.

Each drill item (a rule's example or a role-play customer line, in each language) is asked as the drill
would ask it, and the question is read back with ``coach.training.judge``: the keyed line must fit the
situation's timing (a nibble after signing is not answered with "before we sign") and the wrong lines must
not make a move the situation calls for (a trade line answers a nibble as well as the nibble's own lines).
A situation whose entry has no line fitting its timing is reported too: the trainer needs to add one.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from coach.content.loader import reply_ids, situation_ids
from coach.content.scenarios import load_default
from coach.training.drill import DrillItem, DrillQuestion, drill_items, make_question
from coach.training.judge import TIMING_WORDS, Judge

if TYPE_CHECKING:
    from coach.content.loader import Library
    from coach.content.scenarios import Scenario
    from coach.engine.index import Index

LANGS = ("en", "zh")
SEED = 0
"""Questions are drawn with this seed (the check is the same every run)."""


def question_problems(q: DrillQuestion, library: Library, judge: Judge) -> list[str]:
    """What is wrong with one question: a keyed line that is not right for it, a wrong line that is."""
    rule = library.rules[q.item.rule]
    timing = q.item.timing(q.lang, judge)
    out: list[str] = []
    key = q.responses[q.response_answer]
    own = {getattr(s, q.lang) for s in rule.response.say}
    if key.rule != rule.id or key.label not in own:
        out.append(f"the keyed line is not one of {rule.id}'s lines: {key.label!r}")
    elif not judge.fits(key.label, timing):
        out.append(f"keyed line {key.label!r} {judge.key_problem(rule, key.label, timing)}")
    elif (why := judge.key_problem(rule, key.label, timing)) and any(
        judge.key_problem(rule, line, timing) is None for line in own
    ):
        # Only when a cleaner line exists: if the assessor objects to every line, the assessor is the
        # thing to look at, not the drill.
        out.append(f"keyed line {key.label!r}: {why}")
    for i, choice in enumerate(q.responses):
        if i == q.response_answer:
            continue
        other = library.rules.get(choice.rule)
        if choice.label in own:
            out.append(f"wrong choice {choice.label!r} is one of {rule.id}'s own lines")
        elif other is not None and (why := judge.also_right(rule, other, choice.label)) is not None:
            out.append(f"wrong choice {choice.label!r} (from {other.id}) is also right: {why}")
    return out


def _where(item: DrillItem, lang: str) -> str:
    if item.scenario:
        return f"scenario {item.scenario} ({item.key.rsplit(':', 1)[-1]}, {lang})"
    text = item.text.get(lang, "")
    return f"example {text[:60] + ('…' if len(text) > 60 else '')!r}"


def check_drills(
    library: Library,
    scenarios: Sequence[Scenario] = (),
    *,
    index: Index | None = None,
    judge: Judge | None = None,
) -> list[str]:
    """One located line per drill question that keys a wrong line or offers a right one as wrong, and
    per situation whose entry has no line to say for its timing (``file:line:col: path: message``)."""
    judge = judge or Judge.build(library)
    problems: dict[str, None] = {}  # the same fault found through many items is reported once
    for lang in LANGS:
        for item in drill_items(library, scenarios, lang=lang):
            rule = library.rules[item.rule]
            locate = _locator(library, rule.id)
            timing = item.timing(lang, judge)
            if not judge.keys(rule, lang, timing):
                words = TIMING_WORDS[timing or "before"]["en"]
                message = f"no line to say fits a situation {words}: {_where(item, lang)}"
                problems[locate(("response", "say"), message)] = None
                continue
            rng = random.Random(f"{SEED}:{item.key}")
            q = make_question(item, library, index, lang, rng, judge=judge)
            for problem in question_problems(q, library, judge):
                message = f"drill question for {_where(item, lang)}: {problem}"
                problems[locate(("response", "say"), message)] = None
    return list(problems)


def _locator(library: Library, rule_id: str):  # noqa: ANN202
    """``locate(path, message)`` for a rule: ``file:line:col: rules[i].path: message``."""
    src = library.sources.get(rule_id)
    doc = library.documents.get(src.file) if src is not None else None

    def locate(path: tuple[object, ...], message: str) -> str:
        if doc is None or src is None:
            return f"{rule_id}: {message}"
        return doc.locate(("rules", src.index, *path), message)

    return locate


def validate_drills(library: Library) -> list[str]:
    """For ``coach validate``: the drill check over the library and the shipped scenarios' customer lines
    (the drill's own sources); nothing to check without rules."""
    if not library.rules:
        return []

    found = load_default(
        situations=set(situation_ids()) | set(library.rules),
        behaviours=set(reply_ids()) | set(library.behaviours),
    )
    return check_drills(library, [found.scenarios[k] for k in sorted(found.scenarios)])
