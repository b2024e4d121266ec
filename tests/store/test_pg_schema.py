"""The PostgreSQL schema is the SQLite one: same tables, columns, NOT NULLs, keys, indexes and the same
append-only triggers with the same messages, checked on a fresh database of each engine after every
migration (a table rebuild would drop a trigger silently). Needs COACH_TEST_PG (skipped without)."""

from __future__ import annotations

import re
import sqlite3

import pytest

from coach.store.db import connect
from coach.store.schema_pg import APPEND_ONLY_TRIGGERS

WRITER_DEFAULT = "session_user"
"""A column only a team database has says who wrote the row: the server fills it with the login's name."""


@pytest.fixture
def engines(tmp_path, pg_database):
    lite = connect(tmp_path / "coach.sqlite3")
    team = connect(pg_database)
    yield lite, team
    lite.close()
    team.close()


def _sqlite_tables(lite: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in lite.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY name"
        )
    ]


def _pg_columns(team, table: str) -> list[tuple[str, bool]]:
    rows = team.execute(
        "SELECT column_name, is_nullable, column_default FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [(r[0], r[1] == "NO") for r in rows if (r[2] or "").lower() != WRITER_DEFAULT]


def test_same_tables_and_columns(engines):
    lite, team = engines
    tables = _sqlite_tables(lite)
    on_pg = [
        r[0]
        for r in team.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'coach_schema' "
            "ORDER BY tablename"
        )
    ]
    assert on_pg == tables
    for table in tables:
        info = lite.execute(f"PRAGMA table_info({table})").fetchall()
        theirs = _pg_columns(team, table)
        assert [c[1] for c in info] == [name for name, _ in theirs], table
        for (_, name, _, notnull, _, pk), (_, pg_notnull) in zip(info, theirs, strict=True):
            if not pk:  # a primary key is NOT NULL on PostgreSQL whatever SQLite says
                assert bool(notnull) == pg_notnull, f"{table}.{name}"


def test_same_indexes_and_foreign_keys(engines):
    lite, team = engines
    named = {
        r[0]: r[1]
        for r in lite.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    }
    on_pg = {
        r[0]: r[1]
        for r in team.execute("SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'public'")
    }
    for name, table in named.items():
        assert on_pg.get(name) == table, name
    keys = sorted(
        (t, r[3], r[2]) for t in _sqlite_tables(lite) for r in lite.execute(f"PRAGMA foreign_key_list({t})")
    )
    pg_keys = sorted(
        tuple(r)
        for r in team.execute(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] WHERE c.contype = 'f'"
        )
    )
    assert pg_keys == keys


def _sqlite_triggers(lite: sqlite3.Connection) -> dict[str, tuple[str, str, str]]:
    found = {}
    for name, sql in lite.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"):
        m = re.fullmatch(
            r"CREATE TRIGGER (\w+) BEFORE (UPDATE|DELETE) ON (\w+)\s+BEGIN\s+SELECT RAISE\(ABORT, '([^']*)'\);\s+END",
            sql.strip(),
        )
        assert m, sql
        found[name] = (m.group(3), m.group(2), m.group(4))
    return found


def test_every_append_only_trigger_is_on_both_engines_with_its_message(engines):
    lite, team = engines
    ours = _sqlite_triggers(lite)
    theirs = {}
    for name, table, kind, args in team.execute(
        "SELECT tgname, tgrelid::regclass::text, tgtype, tgargs FROM pg_trigger WHERE NOT tgisinternal"
    ):
        event = "UPDATE" if kind & 16 else "DELETE" if kind & 8 else "?"
        theirs[name] = (table, event, bytes(args).split(b"\x00")[0].decode())
    assert theirs == ours
    assert sorted(APPEND_ONLY_TRIGGERS) == sorted(ours)
    assert len(ours) == 36


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_updates_and_deletes_are_refused_on_both(engine, tmp_path, pg_database):
    from coach.store import accounts

    conn = connect(tmp_path / "coach.sqlite3" if engine == "sqlite" else pg_database)
    try:
        accounts.add(conn, "Jinhai Mart", tier="national")
        for sql in ("UPDATE accounts SET name = 'x'", "DELETE FROM account_versions"):
            with pytest.raises(sqlite3.IntegrityError, match="kept as written"):
                conn.execute(sql)
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        assert [a.name for a in accounts.list_accounts(conn)] == ["Jinhai Mart"]
    finally:
        conn.close()
