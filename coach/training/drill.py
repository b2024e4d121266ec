"""The recognition drill: a situation is shown, the trainee names it, then picks the best line to say.

Items come from two places only: each playbook rule's ``examples`` (one language each, told apart by
their script) and the customer lines of the role-play scenarios (both languages, labelled with the turn's
situation). Evaluation sets are never read here: this module receives loaded models, not files.

Wrong situations offered are the ones a trainee is likely to confuse: the engine's runner-ups for the
text first, then entries of the same chapter, then any other. The lines offered are one of the correct
entry's ``say`` lines that fits the situation's timing (``coach.training.judge``: "before we sign" never
answers a nibble after signing) against the wrong situations' lines that are not also right for it (a trade
line answers a nibble too, so it is never offered as a wrong one); when a wrong situation has no such line,
another entry's fair line fills in.
"""

from __future__ import annotations

import hashlib
import random
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from coach.engine.match import rank
from coach.i18n import tr
from coach.training.judge import Judge, situation_timing
from coach.training.schedule import ItemState, Queue, pick

if TYPE_CHECKING:
    from coach.content.loader import Library
    from coach.content.models import Rule
    from coach.content.scenarios import Scenario
    from coach.engine.index import Index

OPTIONS = 4
"""Choices offered for the situation and for the line to say."""
MAX_POINTS = 2
"""One point for naming the situation, one for the line."""
RUNNER_UPS = 2
"""At most this many wrong situations come from the engine's runner-ups; the rest from the same chapter."""
COMPLAINT_HANDLING = "complaint-handling"
"""Progress area of the complaint-handling steps (next to the eight principles)."""


_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[A-Za-z]")  # the ASCII letters


def script(text: str) -> str:
    """``zh`` when most letters of ``text`` are Chinese characters, else ``en``."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if han and han * 3 >= latin else "en"


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class DrillItem:
    """A situation to recognise: its text per language, the playbook entry it is, where it came from."""

    key: str
    """Stable id for spaced repetition (does not change when the text's language changes)."""
    rule: str
    text: dict[str, str]
    scenario: str | None = None
    """The scenario id when the text is a role-play customer line."""
    scenario_title: dict[str, str] | None = None
    stage: str | None = None
    """The role-play turn's stage (e.g. ``after-deal``): when the customer's line is said."""

    def timing(self, lang: str, judge: Judge | None = None) -> str | None:
        """``before`` or ``after`` the deal is signed, when the item says so (``coach.training.judge``;
        remembered by ``judge`` when given)."""
        read = judge.situation_timing if judge is not None else situation_timing
        return read(self.text.get(lang, ""), self.stage)


def drill_items(
    library: Library, scenarios: Sequence[Scenario] = (), *, lang: str, category: str | None = None
) -> list[DrillItem]:
    """Every drill item available in ``lang`` (optionally one chapter), in a stable order."""
    items: list[DrillItem] = []
    seen: set[str] = set()
    for rule in library.rules.values():
        if not _eligible(rule, category):
            continue
        for example in rule.examples:
            norm = " ".join(example.split())
            if script(norm) != lang or norm.lower() in seen:
                continue
            seen.add(norm.lower())
            items.append(
                DrillItem(key=f"drill:ex:{rule.id}:{_digest(norm)}", rule=rule.id, text={lang: norm})
            )
    for sc in scenarios:
        for turn_id, turn in sc.turns.items():
            rule = library.rules.get(turn.situation)
            if rule is None or not _eligible(rule, category):
                continue
            text = " ".join(getattr(turn.line, lang).split())
            if text.lower() in seen:
                continue
            seen.add(text.lower())
            items.append(
                DrillItem(
                    key=f"drill:sc:{sc.id}:{turn_id}",
                    rule=rule.id,
                    text={"en": " ".join(turn.line.en.split()), "zh": " ".join(turn.line.zh.split())},
                    scenario=sc.id,
                    scenario_title={"en": sc.title.en, "zh": sc.title.zh},
                    stage=turn.stage,
                )
            )
    return items


def _eligible(rule: Rule, category: str | None) -> bool:
    return bool(rule.response.say) and (category is None or rule.category.value == category)


@dataclass(frozen=True)
class Choice:
    """One option: the playbook entry it stands for and the text shown."""

    rule: str
    label: str


@dataclass(frozen=True)
class DrillQuestion:
    """One drill question: the situation text, the situations offered, the lines offered."""

    item: DrillItem
    lang: str
    text: str
    situations: tuple[Choice, ...]
    situation_answer: int
    responses: tuple[Choice, ...]
    response_answer: int
    again: bool = False
    """True when the item is asked a second time in the sitting after a wrong answer."""


def areas_for(rule: Rule) -> list[str]:
    """Progress areas a result on ``rule`` counts for: the principle itself, the principles it links to,
    and complaint handling for complaints."""
    out: list[str] = []
    if rule.category.value == "principle":
        out.append(rule.id)
    out.extend(p for p in rule.response.principles if p not in out)
    if rule.category.value == "complaint":
        out.append(COMPLAINT_HANDLING)
    return out


def distractors(
    item: DrillItem, library: Library, index: Index | None, lang: str, rng: random.Random
) -> list[str]:
    """Wrong situations to offer: the engine's runner-ups, then the same chapter, then any other entry."""
    rule = library.rules[item.rule]
    usable = [r.id for r in library.rules.values() if r.id != rule.id and r.response.say]
    chosen: list[str] = []
    if index is not None:
        for m in rank(index, item.text[lang], top=OPTIONS + 2).matches:
            if m.id in usable and m.id not in chosen and len(chosen) < RUNNER_UPS:
                chosen.append(m.id)
    same = [r for r in usable if library.rules[r].category == rule.category and r not in chosen]
    other = [r for r in usable if library.rules[r].category != rule.category and r not in chosen]
    rng.shuffle(same)
    rng.shuffle(other)
    for candidate in same + other:
        if len(chosen) >= OPTIONS - 1:
            break
        chosen.append(candidate)
    return chosen


def make_question(
    item: DrillItem,
    library: Library,
    index: Index | None,
    lang: str,
    rng: random.Random,
    *,
    again: bool = False,
    judge: Judge | None = None,
) -> DrillQuestion:
    """Build the question for ``item``: options drawn and shuffled with ``rng``. The keyed line fits the
    situation's timing; no wrong line is also right for it (``judge``: built from ``library`` if absent)."""
    judge = judge or Judge(library)
    rule = library.rules[item.rule]
    wrong = distractors(item, library, index, lang, rng)
    situations = [Choice(rule.id, getattr(rule.title, lang))] + [
        Choice(w, getattr(library.rules[w].title, lang)) for w in wrong
    ]
    rng.shuffle(situations)
    keys = judge.keys(rule, lang, item.timing(lang, judge)) or [getattr(s, lang) for s in rule.response.say]
    lines = [Choice(rule.id, rng.choice(keys))]
    own = {getattr(s, lang) for s in rule.response.say}
    others = [r for r in library.rules.values() if r.id not in wrong and r.id != rule.id and r.response.say]
    fill = [r.id for r in others if r.category == rule.category] + [  # same chapter first, in file order
        r.id for r in others if r.category != rule.category
    ]
    for w in [*wrong, *fill]:
        if len(lines) >= OPTIONS:
            break
        other = library.rules[w]
        offered = {c.label for c in lines}
        fair = judge.fair_lines(
            rule,
            other,
            [
                line
                for line in (getattr(s, lang) for s in other.response.say)
                if line not in own and line not in offered
            ],
        )
        if fair:
            lines.append(Choice(w, rng.choice(fair)))
    rng.shuffle(lines)
    return DrillQuestion(
        item=item,
        lang=lang,
        text=item.text[lang],
        situations=tuple(situations),
        situation_answer=next(i for i, c in enumerate(situations) if c.rule == rule.id),
        responses=tuple(lines),
        response_answer=next(i for i, c in enumerate(lines) if c.rule == rule.id),
        again=again,
    )


@dataclass(frozen=True)
class DrillResult:
    """How one drill question went, ready to be stored (``record``)."""

    question: DrillQuestion
    situation_choice: int
    response_choice: int

    @property
    def situation_right(self) -> bool:
        """The trainee named the situation."""
        return self.situation_choice == self.question.situation_answer

    @property
    def response_right(self) -> bool:
        """The trainee picked the entry's own line."""
        return self.response_choice == self.question.response_answer

    @property
    def score(self) -> int:
        """Points: one per part right."""
        return int(self.situation_right) + int(self.response_right)

    @property
    def right(self) -> bool:
        """Every part right (what moves the item up a box)."""
        return self.score == MAX_POINTS


def record(result: DrillResult, library: Library, *, run: str, seq: int, at: str) -> dict[str, Any]:
    """The stored form of a drill answer (see ``coach.store.training.add_attempt``)."""
    q = result.question
    rule = library.rules[q.item.rule]
    return {
        "uuid": str(uuid.uuid4()),
        "run": run,
        "seq": seq,
        "kind": "drill",
        "item": q.item.key,
        "area": rule.id,
        "principles": areas_for(rule),
        "lang": q.lang,
        "score": result.score,
        "max_score": MAX_POINTS,
        "answered_at": at,
        "detail": {
            "text": q.text,
            "scenario": q.item.scenario,
            "expected": rule.id,
            "chosen": q.situations[result.situation_choice].rule,
            "line_expected": q.responses[q.response_answer].label,
            "line_chosen": q.responses[result.response_choice].label,
            "line_rule": q.responses[result.response_choice].rule,
            "options": [c.rule for c in q.situations],
            "again": q.again,
        },
    }


def entry_lines(rule: Rule, lang: str) -> list[str]:
    """A playbook entry as short lines for feedback: title, summary, steps, lines to say, what to avoid."""
    out = [tr(lang, "drill.entry", title=getattr(rule.title, lang), id=rule.id), getattr(rule.summary, lang)]
    out.append(tr(lang, "drill.steps"))
    out.extend(f"  {i}. {getattr(s, lang)}" for i, s in enumerate(rule.response.steps, 1))
    if rule.response.say:
        out.append(tr(lang, "drill.say"))
        out.extend(f"  - {getattr(s, lang)}" for s in rule.response.say)
    if rule.response.avoid:
        out.append(tr(lang, "drill.avoid"))
        out.extend(f"  - {getattr(s, lang)}" for s in rule.response.avoid)
    return out


class DrillRun:
    """One sitting: which items to ask (spaced repetition), the questions, the results so far."""

    def __init__(
        self,
        library: Library,
        index: Index | None,
        items: list[DrillItem],
        states: dict[str, ItemState],
        *,
        lang: str,
        count: int,
        seed: int | None,
        now: datetime,
    ) -> None:
        self.library = library
        self.index = index
        self.judge = Judge.build(library)
        """Reads the lines offered (timing, moves), so no wrong choice is also a right answer."""
        self.lang = lang
        self.rng = random.Random(seed)
        self.run = str(uuid.uuid4())
        """Id shared by the sitting's stored answers."""
        self.results: list[DrillResult] = []
        self._by_key = {i.key: i for i in items}
        self._asked: set[str] = set()
        self.queue = Queue(pick([(i.key, i.rule) for i in items], states, now, count, self.rng))

    @property
    def total(self) -> int:
        """Questions asked so far plus those still to come."""
        return self.queue.asked + len(self.queue)

    def next(self) -> DrillQuestion | None:
        """The next question, or None when the sitting is over."""
        key = self.queue.next()
        if key is None:
            return None
        again = key in self._asked
        self._asked.add(key)
        return make_question(
            self._by_key[key], self.library, self.index, self.lang, self.rng, again=again, judge=self.judge
        )

    def answer(self, question: DrillQuestion, situation: int, response: int) -> tuple[DrillResult, bool]:
        """Score an answer (0-based choices); returns the result and whether the item was put back."""
        for value, options in ((situation, question.situations), (response, question.responses)):
            if not 0 <= value < len(options):
                raise ValueError(f"choice {value + 1} is not between 1 and {len(options)}")
        result = DrillResult(question, situation, response)
        self.results.append(result)
        return result, self.queue.answered(question.item.key, result.right)
