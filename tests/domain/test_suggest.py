"""The one "did you mean" policy (coach.domain.suggest) and that nothing else in coach guesses on its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.domain.suggest import CUTOFF, closest, did_you_mean

COACH = Path(__file__).resolve().parents[2] / "coach"


@pytest.mark.parametrize(
    ("typed", "choices", "expected"),
    [
        ("dael", ["deal", "ask", "walk"], "deal"),  # a swap of two letters
        ("valeu", ["account", "value", "get_value"], "value"),
        ("objectivs", ["objectives", "facts"], "objectives"),
        ("nibbel", ["nibble", "deadline-pressure"], "nibble"),
        ("walkout", ["walkout-pressure", "nibble"], "walkout-pressure"),  # a typed prefix of a long id
        ("matc", ["match", "assess", "validate"], "match"),
        ("--jsn", ["--json", "--jsonl", "--lang"], "--json"),
        ("z", ["en", "zh"], "zh"),
        ("lianhau", ["Carrefour", "Lianhua"], "Lianhua"),  # case does not count; the choice is returned as is
    ],
)
def test_a_slip_gets_the_closest_choice(typed, choices, expected):
    assert closest(typed, choices) == expected


@pytest.mark.parametrize(
    "typed",
    ["foo", "abc", "q", "zzzzzz", "anger", ""],  # lower cutoffs guessed 'promotion' etc. from one letter
)
def test_nothing_close_gets_no_guess(typed):
    tactics = ["promotion", "unreasonable", "product-quality", "competitor-leverage", "nibble", "demanding"]
    assert closest(typed, tactics) is None
    assert did_you_mean(typed, tactics) == ""


def test_no_choices_no_guess():
    assert closest("deal", []) is None
    assert closest("deal", iter(())) is None


def test_ties_go_to_the_earlier_choice():
    assert closest("ab", ["abx", "aby"]) == "abx"
    assert closest("ab", ["aby", "abx"]) == "aby"


def test_did_you_mean_is_a_prefix_for_a_list_of_choices():
    assert did_you_mean("globl", ("local", "regional", "national", "global")) == "did you mean 'global'? "
    assert did_you_mean("globl", {"global": 1}) == "did you mean 'global'? "  # any iterable of strings


def test_the_cutoff_is_one_documented_number():
    assert CUTOFF == 70
    assert "``CUTOFF``" in (COACH / "domain" / "suggest.py").read_text(encoding="utf-8")


def test_the_suggestion_module_imports_nothing_from_coach():
    source = (COACH / "domain" / "suggest.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import)\s+coach\b", source, re.MULTILINE)


# Fuzzy matching that is not a "did you mean": the engine's spelling correction of a typed situation
# (edit distance 1) and the UI's and plan review's similarity search.
_NOT_SUGGESTIONS = {"engine/index.py", "tui/search.py", "review/plans.py", "domain/suggest.py"}


def test_no_other_module_makes_its_own_guess():
    guessing = re.compile(r"difflib|get_close_matches|extractOne|score_cutoff")
    found = [
        str(path.relative_to(COACH))
        for path in sorted(COACH.rglob("*.py"))
        if str(path.relative_to(COACH)) not in _NOT_SUGGESTIONS and guessing.search(path.read_text("utf-8"))
    ]
    assert found == []
