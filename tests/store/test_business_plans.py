"""Business plans on the issue-13 tables: versions, dropped and revived items, reviews, concession totals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coach.content import business_plans as bp
from coach.store import accounts, concessions
from coach.store import business_plans as store
from coach.store.db import MIGRATIONS, connect

SAMPLE = Path(__file__).parents[1] / "data" / "acbp" / "jinhai-2027.yaml"


@pytest.fixture
def conn(db_target):
    c = connect(db_target)
    accounts.add(c, "Jinhai Mart", tier="national")
    yield c
    c.close()


def sample():
    return bp.load_yaml_file(SAMPLE)


def count(conn, table):
    return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.mark.sqlite_only
def test_migration_7_adds_the_kpi_kind(conn):
    assert {m.version: m.name for m in MIGRATIONS}[7] == "business plan kpi kinds"
    columns = {r[1] for r in conn.execute("PRAGMA table_info(kpi_versions)")}
    assert "kind" in columns
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"kpi_versions_no_update", "kpi_versions_no_delete"} <= triggers


def test_save_and_load_round_trip(conn):
    version, changed = store.save(conn, sample(), create=True)
    assert (version, changed) == (1, True)
    stored = store.get(conn, "JINHAI   mart", 2027)
    assert stored.plan == sample() and stored.version == 1


def test_saving_the_same_plan_adds_nothing(conn):
    store.save(conn, sample())
    before = {t: count(conn, t) for t in ("business_plan_versions", "plan_item_versions", "kpi_versions")}
    assert store.save(conn, sample()) == (1, False)
    assert {t: count(conn, t) for t in before} == before


def test_an_item_left_out_is_dropped_and_comes_back_with_its_history(conn):
    plan = sample()
    store.save(conn, plan)
    first = plan.objectives[0]
    shorter = plan.model_copy(
        update={"objectives": [first.model_copy(update={"actions": first.actions[:1]}), *plan.objectives[1:]]}
    )
    assert store.save(conn, shorter, note="one action done elsewhere") == (2, True)
    assert len(store.get(conn, "Jinhai Mart", 2027).plan.objectives[0].actions) == 1
    assert store.save(conn, plan) == (3, True)
    assert store.get(conn, "Jinhai Mart", 2027).plan == plan
    statuses = [r[0] for r in conn.execute("SELECT status FROM plan_item_versions")]
    assert "dropped" in statuses
    assert count(conn, "plan_items") == 4 + 2 + 1 + 4  # revived, not added again
    assert [v for v, _, _ in store.history(conn, "Jinhai Mart", 2027)] == [1, 2, 3]


def test_rows_are_never_updated(conn):
    store.save(conn, sample())
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE kpi_versions SET target = 1")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM plan_item_versions")


def test_create_refuses_a_second_plan_and_changes_nothing(conn):
    store.save(conn, sample(), create=True)
    with pytest.raises(Exception, match="exists already"):
        store.save(conn, sample().model_copy(update={"scorecard": []}), create=True)
    assert len(store.get(conn, "Jinhai Mart", 2027).plan.scorecard) == 3


def test_unknown_account_writes_nothing(conn):
    with pytest.raises(accounts.AccountNotFound):
        store.save(conn, sample().model_copy(update={"account": "Nowhere Mart"}))
    assert count(conn, "business_plans") == 0


def test_reviews_supersede_per_kpi_and_period(conn):
    store.save(conn, sample())
    review = bp.validate_review(
        {
            "period": "2027-Q1",
            "actuals": [{"kpi": "OUT-OF-STOCK rate", "actual": 4.1}],
            "learned": ["flyer late"],
        }
    )
    store.add_review(conn, "Jinhai Mart", review)
    store.add_review(
        conn,
        "Jinhai Mart",
        bp.validate_review({"period": "2027-Q1", "actuals": [{"kpi": "out-of-stock rate", "actual": 3.9}]}),
    )
    reviews = store.get(conn, "Jinhai Mart", 2027).reviews
    assert len(reviews) == 1 and reviews[0].actuals[0].actual == 3.9 and reviews[0].learned == ["flyer late"]
    assert count(conn, "kpi_reviews") == 2  # the first figure is kept, superseded


def test_review_of_a_kpi_not_on_the_scorecard_writes_nothing(conn):
    store.save(conn, sample())
    bad = bp.validate_review(
        {
            "period": "2027-Q1",
            "actuals": [{"kpi": "out-of-stock rate", "actual": 4}, {"kpi": "nps", "actual": 1}],
        }
    )
    with pytest.raises(bp.BusinessPlanError, match="nps"):
        store.add_review(conn, "Jinhai Mart", bad)
    assert count(conn, "kpi_reviews") == 0


def test_concession_rows_are_the_accounts_for_the_year(conn):
    for account, when, value, practice in (
        ("Jinhai Mart", "2027-02-01", 75000, False),
        ("jinhai  MART", "2027-12-31", 5000, False),
        ("Jinhai Mart", "2026-12-31", 999, False),
        ("Jinhai Mart", "2027-05-01", 111, True),
        ("Other Mart", "2027-05-01", 222, False),
    ):
        entry = concessions.validate_entry(
            {
                "account": account,
                "when": when,
                "type": "display",
                "give": "fund",
                "value": value,
                "unit": "CNY",
                "practice": practice,
            }
        )
        concessions.add(conn, entry)
    rows = store.concession_rows(conn, "Jinhai Mart", 2027)
    assert sorted(r.value for r in rows) == [5000, 75000]


def _review_with_action(conn, period="2027-Q1", what="weekly OOS report"):
    review = bp.validate_review(
        {
            "period": period,
            "learned": ["flyer late"],
            "next_actions": [{"what": what, "owner": "Zhang Min", "due": "2027-04-15"}],
        }
    )
    store.add_review(conn, "Jinhai Mart", review)


def test_closing_a_review_action_supersedes_the_review_row_and_keeps_the_first(conn):
    store.save(conn, sample())
    _review_with_action(conn)
    first = conn.execute("SELECT id, learned, actions FROM plan_reviews").fetchall()
    closing = store.close_action(conn, "jinhai  MART", 2027, "Weekly OOS report")
    assert closing.what == "weekly OOS report" and closing.version is None
    assert [(c.what, c.period) for c in closing.closed] == [("weekly OOS report", "2027-Q1")]
    stored = store.get(conn, "Jinhai Mart", 2027)
    assert stored.reviews[0].next_actions[0].done and stored.reviews[0].learned == ["flyer late"]
    assert stored.version == 1  # the plan itself did not change
    rows = conn.execute("SELECT id, learned, actions, supersedes FROM plan_reviews ORDER BY id").fetchall()
    assert [tuple(r[:3]) for r in rows[:1]] == [tuple(first[0])]  # the first record is kept as it was
    assert len(rows) == 2 and rows[1][3] == rows[0][0] and rows[1][1] == "flyer late"
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE plan_reviews SET actions = NULL")


def test_closing_an_action_again_writes_nothing(conn):
    store.save(conn, sample())
    _review_with_action(conn)
    store.close_action(conn, "Jinhai Mart", 2027, "weekly OOS report")
    before = count(conn, "plan_reviews"), count(conn, "business_plan_versions")
    closing = store.close_action(conn, "Jinhai Mart", 2027, "weekly OOS report")
    assert (
        closing.closed == []
        and (count(conn, "plan_reviews"), count(conn, "business_plan_versions")) == before
    )


def test_closing_one_of_the_plans_actions_is_a_new_version_with_the_note(conn):
    store.save(conn, sample())
    closing = store.close_action(conn, "Jinhai Mart", 2027, "330ml cans", note="done: {what}")
    assert closing.what == "list 330ml cans in the 15 new stores" and closing.version == 2
    plan = store.get(conn, "Jinhai Mart", 2027).plan
    assert [a.done for a in plan.objectives[0].actions] == [False, True]
    assert store.history(conn, "Jinhai Mart", 2027)[-1][2] == "done: list 330ml cans in the 15 new stores"


def test_an_action_in_the_plan_and_a_review_is_closed_in_both(conn):
    store.save(conn, sample())
    _review_with_action(conn, what="Category review with their buyer using scan data")
    closing = store.close_action(
        conn, "Jinhai Mart", 2027, "category review with their buyer using scan data"
    )
    assert sorted(str(c.period) for c in closing.closed) == ["2027-Q1", "None"]
    stored = store.get(conn, "Jinhai Mart", 2027)
    assert stored.plan.objectives[1].actions[0].done and stored.reviews[0].next_actions[0].done


@pytest.mark.parametrize(
    "words, message",
    [
        ("stock report", "no action 'stock report'"),
        ("report", "no action"),
        ("in the", "more than one action"),
    ],
)
def test_words_that_name_no_action_or_several_write_nothing(conn, words, message):
    store.save(conn, sample())
    _review_with_action(conn, what="weekly OOS check")
    before = count(conn, "plan_reviews"), count(conn, "business_plan_versions")
    with pytest.raises(store.ActionNotFound, match=message):
        store.close_action(conn, "Jinhai Mart", 2027, words)
    assert (count(conn, "plan_reviews"), count(conn, "business_plan_versions")) == before
