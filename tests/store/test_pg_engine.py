"""The PostgreSQL connection behind the store: parameters, rows, the write lock, set-up and the errors a
person sees. The server tests need COACH_TEST_PG (skipped without); the others run everywhere."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from coach.store import concession_rows, concessions, db, pg
from coach.store.concessions import validate_entry
from coach.store.errors import DatabaseError


@pytest.mark.parametrize(
    ("sql", "driver"),
    [
        ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = %s AND b = %s"),
        ("SELECT '?', \"x?\" FROM t WHERE a = ?", "SELECT '?', \"x?\" FROM t WHERE a = %s"),
        ("SELECT 'it''s ?' WHERE a LIKE '5%' AND b = ?", "SELECT 'it''s ?' WHERE a LIKE '5%%' AND b = %s"),
        ("SELECT 1 -- why? 100%\nWHERE a = ?", "SELECT 1 -- why? 100%%\nWHERE a = %s"),
        ("SELECT a % 2 FROM t WHERE b = ?", "SELECT a %% 2 FROM t WHERE b = %s"),
    ],
)
def test_question_marks_become_the_drivers_placeholders(sql, driver):
    assert pg.to_driver(sql) == driver


def test_rows_read_by_name_and_position():
    row = pg.Row({"id": 0, "name": 1}, (7, "Jinhai"))
    assert row["name"] == "Jinhai" and row[0] == 7 and tuple(row) == (7, "Jinhai")
    assert dict(zip(row.keys(), row, strict=True)) == {"id": 7, "name": "Jinhai"}
    with pytest.raises(IndexError, match="no such column"):
        row["nope"]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://kam:s3cret@db.example.com:5433/team", "postgresql://kam:***@db.example.com:5433/team"),
        ("postgresql://kam@db.example.com/team", "postgresql://kam@db.example.com/team"),
        ("postgres://:pw@/team?host=/run/pg", "postgres://:***@/team?host=/run/pg"),
        (
            "postgresql://kam@/team?host=/run/pg&password=S3CRET&port=5",
            "postgresql://kam@/team?host=/run/pg&password=***&port=5",
        ),
        ("postgresql://kam:S3C#R?E/T@db/team", "postgresql://kam:***@db/team"),
        ("postgresql://u:pw@[::1/db", "postgresql://u:***@[::1/db"),
    ],
)
def test_an_address_is_shown_without_its_password(url, shown):
    assert pg.is_url(url)
    assert pg.describe(url) == shown


def test_a_password_in_a_drivers_message_is_taken_out():
    url = "postgresql://kam:S3%ZZCRET@db/team"
    assert (
        pg.scrub('invalid percent-encoded token: "S3%ZZCRET"', url) == 'invalid percent-encoded token: "***"'
    )
    with pytest.raises(DatabaseError) as caught:
        db.connect(url)
    assert "S3%ZZCRET" not in caught.value.one_line() and "S3" not in caught.value.one_line()


def test_a_path_is_not_an_address():
    assert not pg.is_url("/home/kam/coach.sqlite3") and not pg.is_url("postgresql.db")


def _entry(i: int):
    return validate_entry(
        {
            "account": "Jinhai Mart",
            "type": "price",
            "give": f"{i / 10:.1f}% off",
            "value": i / 10,
            "unit": "percent",
        }
    )


def test_a_server_that_is_not_there_is_one_line_and_no_password(tmp_path):
    url = f"postgresql://kam:s3cret@/team?host={tmp_path}&port=1"
    with pytest.raises(DatabaseError) as caught:
        db.connect(url)
    text = caught.value.one_line()
    assert "\n" not in text and "s3cret" not in text
    assert "cannot connect" in text and "nothing was changed" in text


def test_an_empty_database_says_how_to_set_it_up(pg_empty_database):
    with pytest.raises(DatabaseError) as caught:
        db.connect(pg_empty_database)
    assert "has no coach tables yet" in str(caught.value)
    assert f"coach db init {pg_empty_database}" in caught.value.one_line()


def test_set_up_is_once_and_a_newer_schema_is_refused(pg_empty_database):
    conn, created = pg.init(pg_empty_database, db.latest_version())
    conn.close()
    again, created_again = pg.init(pg_empty_database, db.latest_version())
    assert created and not created_again
    again.execute(
        "INSERT INTO coach_schema (version, applied_at) VALUES (?, 'later')", (db.latest_version() + 5,)
    )
    again.close()
    with pytest.raises(DatabaseError, match="set up by a newer coach"):
        db.connect(pg_empty_database)


def test_writers_at_once_lose_nothing(pg_database):
    errors: list[BaseException] = []

    def write(k: int) -> None:
        conn = db.connect(pg_database)
        try:
            for i in range(20):
                concessions.add(conn, _entry(k * 100 + i))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    conn = db.connect(pg_database)
    try:
        rows = concession_rows.select(conn)
    finally:
        conn.close()
    assert len(rows) == 80 and len({r.id for r in rows}) == 80


def test_a_writer_waits_for_the_lock_says_so_and_gives_up_in_one_line(pg_database, monkeypatch):
    told: list[str] = []
    monkeypatch.setattr(db, "WAIT_NOTICE", told.append)
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.6)
    holder = db.connect(pg_database)
    other = db.connect(pg_database)
    try:
        db.begin_immediate(holder)
        with pytest.raises(DatabaseError, match="busy"):
            concessions.add(other, _entry(1))
        assert told and "waiting for another coach" in told[0]
        holder.execute("ROLLBACK")
        assert concessions.add(other, _entry(2)) >= 1  # the lock is free again
        assert not other.in_transaction
    finally:
        holder.close()
        other.close()


def test_a_lost_connection_is_one_line_and_leaves_nothing_half_written(pg_database):
    import psycopg

    conn = db.connect(pg_database)
    try:
        concessions.add(conn, _entry(1))
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(pg_database, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(DatabaseError) as caught:
            concessions.add(conn, _entry(2))
        assert "connection to the server was lost" in caught.value.one_line()
        assert not conn.in_transaction
    finally:
        conn.close()
    again = db.connect(pg_database)
    try:
        assert len(concession_rows.select(again)) == 1
    finally:
        again.close()


def test_saving_a_walk_through_waits_for_the_lock_no_longer_than_any_writer(pg_database, monkeypatch):
    from coach.store import walkthroughs

    monkeypatch.setattr(db, "WAIT_NOTICE", None)
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.6)
    holder, other = db.connect(pg_database), db.connect(pg_database)
    try:
        db.begin_immediate(holder)
        record = walkthroughs.Walkthrough(
            rule_id="complaint.delivery",
            title="Late deliveries",
            lang="en",
            steps=[walkthroughs.StepRecord(kind="step", text="Listen first")],
        )
        with pytest.raises(sqlite3.OperationalError, match="busy"):
            walkthroughs.save(other, record)
        assert not other.in_transaction
    finally:
        holder.close()
        other.close()


def test_a_refused_row_is_the_integrity_error_the_store_handles(pg_database):
    conn = db.connect(pg_database)
    try:
        concessions.add(conn, _entry(3))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM concessions")
    finally:
        conn.close()
