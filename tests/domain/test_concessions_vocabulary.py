"""The concession vocabulary (coach.domain.concessions): one parser for the log and for meeting plans, so
the two accept the same words (they drifted: "1,000" was a number in a plan and not in the log)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.content import plans
from coach.domain import concessions as vocab
from coach.store import concessions as log
from coach.store.concessions import InvalidEntry, validate_entry

COACH = Path(__file__).resolve().parents[2] / "coach"
ENTRY = {
    "account": "Carrefour",
    "type": "listing-fee",
    "give": "listing fee for 3 SKUs",
    "value": "1",
    "unit": "CNY",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,000", 1000.0), ("12,345,678.5", 12345678.5), (" 2.5 ", 2.5), ("1e3", 1000.0), ("0", 0.0), (7, 7.0)],
)
def test_parse_number_reads_thousands_separators(text, expected):
    assert vocab.parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,5", "'1,5' is not a number"),  # a decimal comma is refused, never read as 15
        ("1,00", "'1,00' is not a number"),
        (",100", "',100' is not a number"),
        ("-1,000", "must be zero or more, not -1000"),
        ("nan", "must be a finite number"),
        ("2e12", "2e+12 is too large (at most 1e+12)"),
        (True, "expected a number"),
    ],
)
def test_parse_number_refuses(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        vocab.parse_number(text)


@pytest.mark.parametrize("text", ["1,000", "1000", "1,000.0"])
def test_the_log_and_a_plan_read_1000_alike(text):
    assert validate_entry({**ENTRY, "value": text}).value == 1000.0
    (limit,) = plans.parse_items("limits", [f"listing-fee: CNY {text}"])
    plan_amount = plans.Amount.model_validate(limit["max"])
    assert plan_amount.value == 1000.0 and plan_amount.unit == "CNY"
    assert plans.Amount.model_validate({"value": text, "unit": "CNY"}).value == 1000.0


def test_the_log_and_a_plan_refuse_a_decimal_comma_alike():
    with pytest.raises(InvalidEntry, match="'1,5' is not a number"):
        validate_entry({**ENTRY, "value": "1,5"})
    with pytest.raises(plans.PlanError, match="'1,5' is not a number"):
        plans.parse_items("limits", ["listing-fee: CNY 1,5"])


def test_the_log_keeps_its_own_words_for_a_negative_amount():
    with pytest.raises(InvalidEntry, match=re.escape("not -5 (record what was given; direction is implied)")):
        validate_entry({**ENTRY, "value": "-5"})


@pytest.mark.parametrize("typed", ["nibbel", "nible", "deadline", "walkout"])
def test_a_mistyped_tactic_gets_one_suggestion_in_the_log_and_a_plan(typed):
    """The cutoff was 75 in the log and 70 in a plan; both now follow coach.domain.suggest."""
    with pytest.raises(ValueError) as in_log:
        log.parse_tactic(typed)
    with pytest.raises(ValueError) as in_plan:
        plans.parse_tactic(typed)
    guess = re.compile(r"did you mean '[^']+'\?")
    assert (
        guess.search(str(in_log.value))
        and guess.search(str(in_log.value)).group() == guess.search(str(in_plan.value)).group()
    )


def test_a_tactic_is_read_alike_in_the_log_and_a_plan():
    for typed in ("nibble", "Tactic.Nibble", " tactic.nibble "):
        assert log.parse_tactic(typed) == plans.parse_tactic(typed) == "tactic.nibble"


@pytest.mark.parametrize(
    ("field", "typed", "expected"),
    [
        ("type", "Listing Fee", "listing-fee"),
        ("type", "进场费", "listing-fee"),
        ("stage", "close", "closing"),
    ],
)
def test_types_and_stages_are_read_alike(field, typed, expected):
    assert validate_entry({**ENTRY, field: typed}).model_dump()[field] == expected
    parser = {"type": plans._concession_type, "stage": plans._stage}[field]
    assert parser(typed) == expected


def test_one_copy_of_the_vocabulary():
    for name in (
        "TYPES",
        "STAGES",
        "STATUSES",
        "PLAIN_UNITS",
        "CURRENCIES",
        "ALIASES",
        "parse_unit",
        "parse_when",
    ):
        assert getattr(log, name) is getattr(vocab, name)
    from coach.review import concessions as review

    assert review.amount is vocab.amount and review.number is vocab.number
    assert plans.format_amount(plans.Amount(value=50000, unit="CNY")) == "CNY 50,000"
    assert vocab.amount(1, "days") == "1 day" and vocab.amount(3, "percent", "zh") == "3%"


def test_the_vocabulary_imports_only_the_domain():
    source = (COACH / "domain" / "concessions.py").read_text(encoding="utf-8")
    imported = re.findall(r"^\s*(?:from|import)\s+(coach[\w.]*)", source, re.MULTILINE)
    assert imported and all(name.startswith("coach.domain") for name in imported)


def test_stored_ids_are_unchanged():
    """The CHECK constraints of migration 1 are written from these tuples: they must not change."""
    assert vocab.TYPES == (
        "price", "payment-terms", "listing-fee", "promotion", "free-goods", "display", "service", "other"
    )  # fmt: skip
    assert vocab.STAGES == ("opening", "bargaining", "closing", "after-deal")
    assert vocab.STATUSES == ("offered", "agreed", "withdrawn")
    assert vocab.PLAIN_UNITS == ("percent", "days", "units")
