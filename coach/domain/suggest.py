"""The one "did you mean" policy for every mistyped id, name, field, option or choice.

Policy: the choice with the highest rapidfuzz ``WRatio`` score (0-100, compared case-insensitively) is
suggested when it scores at least ``CUTOFF``; on a tie the earlier choice wins; nothing is suggested
otherwise. ``WRatio`` rewards a typed prefix or part of a long id ("walkout" -> "walkout-pressure",
"deadline" -> "deadline-pressure"), which plain edit distance does not. 70 keeps every one-or-two-letter
slip of the words coach knows ("dael" -> "deal" scores 75, "valeu" -> "value" 80) and drops the guesses a
lower cutoff makes from a single shared letter in a long list ("foo" -> "promotion" and "q" ->
"product-quality" score 60). A suggestion is only ever a hint: no caller accepts a guess in place of what
was typed.

This module imports nothing from coach, so any layer may use it.
"""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 70
"""Lowest ``WRatio`` score (0-100) at which the closest choice is suggested."""


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to a mistyped ``value`` under the policy above, or None when none is close."""
    options = list(choices)
    if not options or not value:
        return None
    from rapidfuzz import fuzz, process  # deferred: only on the error path; coach match runs without it

    best = process.extractOne(value, options, scorer=fuzz.WRatio, processor=str.casefold, score_cutoff=CUTOFF)
    return best[0] if best else None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``"did you mean 'X'? "`` for the closest choice (to put before a list of the choices), or ``""``."""
    found = closest(value, choices)
    return f"did you mean {found!r}? " if found else ""
