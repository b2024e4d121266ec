"""The principle quiz, generated from the loaded playbooks, so a trainer who edits a playbook edits the quiz.

Four kinds of question:

- ``summary``: a principle's summary is shown; which principle is it? (the principles' titles offered)
- ``step``: one of a principle's steps is shown; which principle does it belong to?
- ``first``: a complaint entry's title; which of its steps comes first?
- ``next``: a complaint entry's step; which of its steps comes next?

Principles are the ``principle`` rules (the taxonomy's eight, plus any a trainer adds); complaint-handling
questions come from the ``complaint`` rules' ordered steps. An item's key is built from the text it asks
about, so an edited step is a new question with its own spaced-repetition history.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from coach.content.loader import taxonomy
from coach.i18n import tr
from coach.training.drill import COMPLAINT_HANDLING, OPTIONS
from coach.training.schedule import ItemState, Queue, pick

if TYPE_CHECKING:
    from coach.content.loader import Library
    from coach.content.models import Rule

KINDS = ("summary", "step", "first", "next")


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class QuizItem:
    """A question in the bank: its kind, the rule it asks about and which step (for step questions)."""

    key: str
    kind: str
    rule: str
    step: int = -1

    @property
    def area(self) -> str:
        """The progress area it counts for: the principle, or complaint handling."""
        return COMPLAINT_HANDLING if self.kind in ("first", "next") else self.rule


def principles(library: Library) -> list[Rule]:
    """The principle rules: the taxonomy's order first, then any others in load order."""

    order = {s["id"]: i for i, s in enumerate(taxonomy()["situations"]["principle"])}
    found = [r for r in library.rules.values() if r.category.value == "principle"]
    return sorted(found, key=lambda r: (order.get(r.id, len(order)), list(library.rules).index(r.id)))


def complaints(library: Library) -> list[Rule]:
    """The complaint rules in load order."""
    return [r for r in library.rules.values() if r.category.value == "complaint"]


def quiz_bank(library: Library) -> list[QuizItem]:
    """Every question the playbooks allow, in a stable order."""
    bank: list[QuizItem] = []
    pr = principles(library)
    if len(pr) >= 2:
        for rule in pr:
            s = rule.summary
            bank.append(QuizItem(f"quiz:summary:{rule.id}:{_digest(s.en, s.zh)}", "summary", rule.id))
        for rule in pr:
            for i, st in enumerate(rule.response.steps):
                bank.append(QuizItem(f"quiz:step:{rule.id}:{_digest(st.en, st.zh)}", "step", rule.id, i))
    for rule in complaints(library):
        steps = rule.response.steps
        if len(steps) < 2:
            continue
        first = steps[0]
        bank.append(QuizItem(f"quiz:first:{rule.id}:{_digest(first.en, first.zh)}", "first", rule.id, 0))
        if len(steps) < 3:  # a "next" question needs at least one other step to offer as wrong
            continue
        for i in range(len(steps) - 1):
            a, b = steps[i], steps[i + 1]
            bank.append(
                QuizItem(f"quiz:next:{rule.id}:{_digest(a.en, a.zh, b.en, b.zh)}", "next", rule.id, i)
            )
    return bank


@dataclass(frozen=True)
class QuizQuestion:
    """One quiz question as shown: the prompt, the options, the right one."""

    item: QuizItem
    lang: str
    prompt: str
    options: tuple[str, ...]
    answer: int
    again: bool = False


def make_question(
    item: QuizItem, library: Library, lang: str, rng: random.Random, *, again: bool = False
) -> QuizQuestion:
    """Build the question for ``item`` with options drawn and shuffled by ``rng``."""
    rule = library.rules[item.rule]
    if item.kind in ("summary", "step"):
        others = [p for p in principles(library) if p.id != rule.id]
        rng.shuffle(others)
        options = [getattr(rule.title, lang)] + [getattr(p.title, lang) for p in others[: OPTIONS - 1]]
        shown = rule.summary if item.kind == "summary" else rule.response.steps[item.step]
        prompt = tr(lang, f"quiz.{item.kind}", text=getattr(shown, lang))
    else:
        steps = [getattr(s, lang) for s in rule.response.steps]
        title = getattr(rule.title, lang)
        if item.kind == "first":
            right, wrong = steps[0], steps[1:]
            prompt = tr(lang, "quiz.first", title=title)
        else:
            right = steps[item.step + 1]
            wrong = [s for j, s in enumerate(steps) if j not in (item.step, item.step + 1)]
            prompt = tr(lang, "quiz.next", title=title, step=steps[item.step])
        wrong = [w for w in dict.fromkeys(wrong) if w != right]
        rng.shuffle(wrong)
        options = [right] + wrong[: OPTIONS - 1]
    correct = options[0]
    rng.shuffle(options)
    return QuizQuestion(item, lang, prompt, tuple(options), options.index(correct), again)


@dataclass(frozen=True)
class QuizResult:
    """How one quiz question went."""

    question: QuizQuestion
    choice: int

    @property
    def right(self) -> bool:
        """The right option was chosen."""
        return self.choice == self.question.answer

    @property
    def score(self) -> int:
        """1 when right, else 0."""
        return int(self.right)


def record(result: QuizResult, *, run: str, seq: int, at: str) -> dict[str, Any]:
    """The stored form of a quiz answer (see ``coach.store.training.add_attempt``)."""
    q = result.question
    return {
        "uuid": str(uuid.uuid4()),
        "run": run,
        "seq": seq,
        "kind": "quiz",
        "item": q.item.key,
        "area": q.item.rule,
        "principles": [q.item.area],
        "lang": q.lang,
        "score": result.score,
        "max_score": 1,
        "answered_at": at,
        "detail": {
            "question": q.item.kind,
            "prompt": q.prompt,
            "expected": q.options[q.answer],
            "chosen": q.options[result.choice],
            "again": q.again,
        },
    }


class QuizRun:
    """One quiz sitting: spaced repetition picks the questions; wrong ones come back in the sitting."""

    def __init__(
        self,
        library: Library,
        bank: list[QuizItem],
        states: dict[str, ItemState],
        *,
        lang: str,
        count: int,
        seed: int | None,
        now: datetime,
    ) -> None:
        self.library = library
        self.lang = lang
        self.rng = random.Random(seed)
        self.run = str(uuid.uuid4())
        """Id shared by the sitting's stored answers."""
        self.results: list[QuizResult] = []
        self._by_key = {i.key: i for i in bank}
        self._asked: set[str] = set()
        # New questions are spread over the areas (each principle, complaint handling) before repeating one.
        self.queue = Queue(pick([(i.key, i.area) for i in bank], states, now, count, self.rng))

    @property
    def total(self) -> int:
        """Questions asked so far plus those still to come."""
        return self.queue.asked + len(self.queue)

    def next(self) -> QuizQuestion | None:
        """The next question, or None when the sitting is over."""
        key = self.queue.next()
        if key is None:
            return None
        again = key in self._asked
        self._asked.add(key)
        return make_question(self._by_key[key], self.library, self.lang, self.rng, again=again)

    def answer(self, question: QuizQuestion, choice: int) -> tuple[QuizResult, bool]:
        """Score an answer (0-based); returns the result and whether the question was put back."""
        if not 0 <= choice < len(question.options):
            raise ValueError(f"choice {choice + 1} is not between 1 and {len(question.options)}")
        result = QuizResult(question, choice)
        self.results.append(result)
        return result, self.queue.answered(question.item.key, result.right)
