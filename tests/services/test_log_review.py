"""The concession review computed in the database (`coach log review`) says exactly what the review of
the rows says: text and JSON, both languages, every filter, folded names, long lists and sequences."""

from __future__ import annotations

import json
import random

import pytest

from coach.review.concessions import Partial, advice_from_rules, render_text, review, to_json
from coach.services.log_review import log_review
from coach.store import concessions as store
from coach.store.concession_rows import ENTRY_FIELDS
from coach.store.db import connect

ACCOUNTS = ["Carrefour", "carrefour", "CARREFOUR ", "聯華", "联华", "Straße", "STRASSE", "Ａｃｍｅ"]
MEETINGS = ["Annual 2025", "annual 2025", "Q3", "q3", "Mass", None]
UNITS = {
    "price": "percent",
    "payment-terms": "days",
    "listing-fee": "CNY",
    "free-goods": "units",
    "display": None,
}
TACTICS = [None, "tactic.nibble", "tactic.deadline-pressure", "tactic.walkout-pressure"]


def _advice():  # noqa: ANN202
    situations = [{"id": t, "en": t, "zh": t} for t in TACTICS if t]
    return advice_from_rules({}, situations)


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    """A log with folded names, withdrawals, corrections, practice, long lists and a rare tactic."""
    rng = random.Random(7)
    db = connect(tmp_path_factory.mktemp("log") / "coach.sqlite3")
    added = []
    for i in range(400):
        kind = rng.choice(list(UNITS))
        unit = UNITS[kind] if rng.random() > 0.1 else None
        value = None if unit is None else round(rng.uniform(0.1, 9.99 if unit == "percent" else 90_000), 3)
        got = rng.random() < 0.4
        get_value = rng.choice([None, 3, 0.1]) if got else None
        data = {
            "when": f"2025-{rng.randint(1, 3):02d}-{rng.randint(1, 4):02d}T{rng.randint(8, 9):02d}:00",
            "account": rng.choice(ACCOUNTS),
            "meeting": rng.choice(MEETINGS),
            "type": kind,
            "give": f"give {i}",
            "value": value,
            "unit": unit,
            "get": "two end-caps" if got else None,
            "get_value": get_value,
            "get_unit": "units" if get_value is not None else None,
            "tactic": "complaint.escalation" if i == 3 else rng.choice(TACTICS),
            "stage": rng.choice(["opening", "bargaining", "closing", "after-deal"]),
            "status": "withdrawn" if rng.random() < 0.05 else "agreed",
            "practice": rng.random() < 0.1,
        }
        added.append(store.add(db, store.validate_entry(data)))
    for k, old_id in enumerate(rng.sample(added, 30)):
        old = store.get(db, old_id)
        changes = {"status": "withdrawn"} if k % 3 == 0 else {"give": "corrected", "get": None}
        if old is not None and old.superseded_by is None:
            store.add(db, store.correction(old, {**changes, "get_value": None, "get_unit": None}))
    yield db
    db.close()


FILTERS = [
    store.Filter(),
    store.Filter(practice=True),
    store.Filter(practice=None),
    store.Filter(account="carrefour"),
    store.Filter(account="联华"),
    store.Filter(account="nobody"),
    store.Filter(meeting="ANNUAL 2025"),
    store.Filter(account="Straße", meeting="q3"),
    store.Filter(since="2025-02-01", until="2025-02-03"),
]


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_the_database_review_says_what_the_review_of_the_rows_says(conn, flt):
    advice, counters = _advice()
    expected = review(store.select(conn, flt), advice, counters)
    text = log_review(conn, flt, _advice)
    full = log_review(conn, flt, _advice, every_id=True)
    for lang in ("en", "zh"):
        assert render_text(text, lang, "scope") == render_text(expected, lang, "scope")
        assert json.dumps(to_json(full, lang)) == json.dumps(to_json(expected, lang))


def test_the_playbooks_are_asked_for_only_when_the_text_shows_advice(tmp_path):
    db = connect(tmp_path / "coach.sqlite3")
    asked: list[int] = []

    def advice():  # noqa: ANN202
        asked.append(1)
        return _advice()

    try:
        log_review(db, store.Filter(), advice)
        assert asked == []  # an empty log shows no advice
        entry = {"account": "Carrefour", "type": "price", "give": "1%", "value": 1, "unit": "percent"}
        store.add(db, store.validate_entry({**entry, "get": "an end-cap"}))
        log_review(db, store.Filter(), advice)
        assert asked == []  # everything got something back: no principle, no counter
        log_review(db, store.Filter(), advice, every_id=True)
        assert asked == [1]  # the JSON always carries the advice
    finally:
        db.close()


def test_a_partial_list_reaches_its_loaded_tail_only():
    rows = Partial(5, ["d", "e"])
    assert len(rows) == 5 and rows[-1] == "e" and rows[3] == "d" and rows[-2:] == ["d", "e"]
    assert rows[4:2] == []
    with pytest.raises(IndexError):
        rows[0]  # noqa: B018
    with pytest.raises(IndexError):
        rows[-3:]  # noqa: B018
    with pytest.raises(IndexError):
        list(rows)
    assert list(Partial(2, ["a", "b"])) == ["a", "b"]


def test_the_rows_module_knows_the_entry_models_fields():
    assert set(ENTRY_FIELDS) == set(store.NewConcession.model_fields)


def test_the_review_reads_the_log_through_its_index_alone(conn):
    """Every scan of the log is a scan of the review index (schema 10), and the sizes come in time order
    without a sort; only the few entries the text lists are read from the table, by id."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        log_review(conn, store.Filter(), _advice)
    finally:
        conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) >= 4
    for sql in selects:
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        scans = [step for step in plan if step.startswith("SCAN concessions")]
        assert all("COVERING INDEX concessions_review" in step for step in scans), (sql, plan)
        if "ORDER BY occurred_at, id" in sql:  # the sizes, added up in time order
            assert scans and not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan
