"""Which drill lines are right for a situation: its timing (before or after the deal is signed) and the
moves a line makes, read by the reply assessor. Used to build drill questions and to check them. Pure.

A line is the key for a situation when it is one of the situation's own playbook lines, its timing words
agree with the situation's ("before we sign" never answers a nibble that comes after signing), and the
assessor finds no bad behaviour in it. A line from another entry is a fair wrong choice only when it is
not also right: the assessor finds none of the good moves the situation's principles call for (a trade
line answers a nibble as well as the nibble's own lines do), its entry is not one the situation links to,
and it is not one of the situation's own lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.engine.assess import assess, build_behaviour_index

if TYPE_CHECKING:
    from coach.content.loader import Library
    from coach.content.models import Rule
    from coach.engine.assess import BehaviourIndex

BEFORE = "before"
AFTER = "after"
TIMING_WORDS = {
    "before": {"en": "before signing", "zh": "签约前"},
    "after": {"en": "after signing", "zh": "签约后"},
}
"""How a timing is named in a check's message."""

# What a situation says about when it happens: the deal already signed/agreed, or not yet.
_SITUATION_AFTER = re.compile(
    r"\b(?:signed|after (?:the )?(?:signing|signature|deal|contract|close)|(?:deal|contract|plan|agreement) "
    r"(?:is |was )?(?:done|closed|signed|agreed)|(?:we|they|you) (?:agreed|closed|shook)|shook hands|"
    r"once the deal|already agreed|day after|ink (?:is|was) (?:barely )?dry)\b"
    r"|签了|签完|签好|签字|签约后|合同签|已经签|已签|盖完章|盖了章|墨迹|成交后|谈定|谈完了|定下来了|敲定"
)
_SITUATION_BEFORE = re.compile(
    r"\b(?:before (?:we |you )?(?:sign|signing|close|closing)|not (?:yet )?signed|haven't signed|"
    r"before the (?:deal|contract|signature))\b|签之前|签约前|签合同前|还没签|成交前"
)
# What a line to say presumes: that the deal is still to be closed, or that it is already agreed.
_LINE_BEFORE = re.compile(
    r"\bbefore (?:we |you )?(?:sign|signing|close)\b|\bthen we close\b"
    r"|签之前|签约前|签合同前|没有的话我们就按这一整套签"
)
_LINE_AFTER = re.compile(
    r"\bwe (?:agreed|signed)\b|\bas agreed\b|\balready (?:agreed|signed)\b|\bthe contract we signed\b"
    r"|已经谈定|按约定|已签|签了的|已经签"
)
STAGE_TIMING = {"opening": BEFORE, "bargaining": BEFORE, "closing": BEFORE, "after-deal": AFTER}
"""A role-play turn's stage as a timing."""


def situation_timing(text: str, stage: str | None = None) -> str | None:
    """When the situation happens: a scenario turn's stage decides; else its words (None when unsaid)."""
    if stage is not None:
        return STAGE_TIMING.get(stage)
    low = text.casefold()
    after, before = bool(_SITUATION_AFTER.search(low)), bool(_SITUATION_BEFORE.search(low))
    if after == before:
        return None
    return AFTER if after else BEFORE


def line_timing(line: str) -> str | None:
    """When a line can be said: ``before`` the deal is signed, ``after`` it, or None (any time)."""
    low = line.casefold()
    before, after = bool(_LINE_BEFORE.search(low)), bool(_LINE_AFTER.search(low))
    if before == after:
        return None
    return BEFORE if before else AFTER


def fits(line: str, timing: str | None) -> bool:
    """Whether the line can answer a situation at ``timing``: a line without timing words always can; one
    that presumes a moment ("before we sign") only a situation known to be at that moment."""
    said = line_timing(line)
    return said is None or said == timing


# A give-get in a line: the move the assessor may miss in a playbook's compact wording ("I need something
# for it", "前提是..."). A line that trades answers every bargaining situation, so it is never a wrong choice
# where trading is right.
_TRADE = re.compile(
    r"\bif\b[^.?!]*\b(?:we|i)\b[^.?!]*\b(?:can|could|will|'ll)\b|\b(?:we|i) (?:can|could)\b[^.?!]*\bif\b"
    r"|\bi need\b[^.?!]*\b(?:in return|for it|against|if)\b|\bagainst\b|\bin return\b"
    r"|\bwhat can you (?:do|add|give|offer)\b"
    r"|前提是|如果[^。？！]*(?:我们|我)[^。？！]*(?:可以|来出|争取|考虑)"
    r"|需要[^。？！]*(?:东西|换|多给|多一个)|换回|(?:能|可以)给我们什么|能加点什么|要多给我们"
    r"|\bif you\b|如果[^，。？！]{0,10}(?:你们|您|贵司|销量)"
)
TRADE = "reply.conditional-concession"
"""The behaviour a give-get line counts as."""


@dataclass
class Judge:
    """Reads drill lines with the reply assessor (when the playbooks have reply behaviours). What it reads
    is remembered for as long as the judge lives (one check, one sitting), keyed on the text read: a line's
    moves and timing, a situation's timing, and the moves an entry's situation calls for (keyed on the entry's id, chapter,
    principles and lines)."""

    library: Library
    index: BehaviourIndex | None = None
    _moves: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict, repr=False)
    _timings: dict[str, str | None] = field(default_factory=dict, repr=False)
    _timings_of: dict[tuple[str, str | None], str | None] = field(default_factory=dict, repr=False)
    _situations: dict[tuple[object, ...], _Situation] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, library: Library) -> Judge:
        """A judge over the library's reply behaviours (without them only timing and links are judged)."""
        if not library.behaviours:
            return cls(library)

        return cls(library, build_behaviour_index(library))

    def moves(self, line: str) -> tuple[frozenset[str], frozenset[str]]:
        """The good and the bad behaviours the assessor finds in ``line``."""
        found = self._moves.get(line)
        if found is None:
            good: set[str] = set()
            bad: set[str] = set()
            if self.index is not None:
                for d in assess(self.index, line).behaviours:
                    (good if d.good else bad).add(d.id)
            if TRADE in self.library.behaviours and _TRADE.search(line.casefold()):
                good.add(TRADE)
                bad.discard("reply.unconditional-concession")
            found = self._moves[line] = (frozenset(good), frozenset(bad))
        return found

    def line_timing(self, line: str) -> str | None:
        """``line_timing(line)``, remembered."""
        try:
            return self._timings[line]
        except KeyError:
            said = self._timings[line] = line_timing(line)
            return said

    def situation_timing(self, text: str, stage: str | None = None) -> str | None:
        """``situation_timing(text, stage)``, remembered."""
        key = (text, stage)
        try:
            return self._timings_of[key]
        except KeyError:
            when = self._timings_of[key] = situation_timing(text, stage)
            return when

    def fits(self, line: str, timing: str | None) -> bool:
        """``fits(line, timing)``, with the line's timing remembered."""
        said = self.line_timing(line)
        return said is None or said == timing

    def _situation(self, rule: Rule) -> _Situation:
        """What the judge needs to know about ``rule``'s situation, remembered under the entry's content
        that decides it (its id, chapter, principles and lines)."""
        response = rule.response
        key = (
            rule.id,
            rule.category.value,
            tuple(response.principles),
            tuple((s.en, s.zh) for s in response.say),
        )
        found = self._situations.get(key)
        if found is None:
            principles = set(response.principles) | (
                {rule.id} if rule.category.value == "principle" else set()
            )
            right = {
                b.id for b in self.library.behaviours.values() if b.good and principles & set(b.principles)
            }
            for line in response.say:
                right |= self.moves(line.en)[0] | self.moves(line.zh)[0]
            found = self._situations[key] = _Situation(frozenset(right))
        return found

    def right_moves(self, rule: Rule) -> set[str]:
        """Good behaviours that answer the situation: those about a principle the entry links to (or is),
        and those its own lines make (in either language)."""
        return set(self._situation(rule).right)

    def linked(self, rule: Rule, other: Rule) -> bool:
        """Whether one entry names the other as its principle or as related (their lines answer both)."""
        ours, theirs = rule.response, other.response
        return (
            other.id in ours.principles
            or other.id in ours.see_also
            or rule.id in theirs.principles
            or rule.id in theirs.see_also
        )

    def key_problem(self, rule: Rule, line: str, timing: str | None) -> str | None:
        """Why ``line`` cannot be the key for ``rule``'s situation at ``timing`` (None if it can)."""
        if not self.fits(line, timing):
            return f"says it is {self.line_timing(line)} signing, but the situation is {timing} signing"
        _, bad = self.moves(line)
        if bad:
            return "the reply assessor reads it as " + ", ".join(
                self.library.behaviours[b].title.en for b in sorted(bad) if b in self.library.behaviours
            )
        return None

    def also_right(self, rule: Rule, other: Rule, line: str) -> str | None:
        """Why ``line`` (from entry ``other``) would also be a right answer for ``rule``'s situation; None
        when it is a fair wrong choice."""
        if other.id == rule.id:
            return "it is one of the entry's own lines"
        if self.linked(rule, other):
            return f"{other.id} is linked to {rule.id}"
        good, bad = self.moves(line)
        if bad:
            return None
        shared = good & self._situation(rule).right
        if shared:
            names = ", ".join(self.library.behaviours[b].title.en for b in sorted(shared))
            return f"it makes a move the situation calls for ({names})"
        return None

    def fair_lines(self, rule: Rule, other: Rule, lines: list[str]) -> list[str]:
        """The lines of ``lines`` (from entry ``other``) that are fair wrong choices for ``rule``'s
        situation, in order: those ``also_right`` finds nothing against."""
        if other.id == rule.id or self.linked(rule, other):
            return []
        right = self._situation(rule).right
        out: list[str] = []
        for line in lines:
            good, bad = self.moves(line)
            if bad or not good & right:
                out.append(line)
        return out

    def keys(self, rule: Rule, lang: str, timing: str | None) -> list[str]:
        """The entry's lines that can be the keyed answer at ``timing``, in file order (all that fit the
        timing when the assessor objects to every one; empty when none fits the timing)."""
        lines = [getattr(s, lang) for s in rule.response.say]
        timed = [line for line in lines if self.fits(line, timing)]
        clean = [line for line in timed if self.key_problem(rule, line, timing) is None]
        return clean or timed


@dataclass(frozen=True)
class _Situation:
    """What a judge remembers of an entry's situation."""

    right: frozenset[str]
    """``Judge.right_moves``."""
