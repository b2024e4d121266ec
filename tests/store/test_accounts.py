"""Accounts store (issue 13): schema version 6 and its append-only guarantees."""

from __future__ import annotations

import sqlite3

import pytest

from coach.store import accounts, db
from coach.store.db import MIGRATIONS, connect, latest_version


@pytest.fixture
def conn(tmp_path):
    c = connect(tmp_path / "coach.sqlite3")
    yield c
    c.close()


def test_migration_6_holds_every_table_of_the_issue(conn):
    names = {m.version: m.name for m in MIGRATIONS}
    assert names[6] == "accounts" and names[5] == "training"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version() >= 6
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(accounts.APPEND_ONLY_TABLES) <= tables
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in accounts.APPEND_ONLY_TABLES:
        assert {f"{table}_no_update", f"{table}_no_delete"} <= triggers


def test_rows_refuse_update_and_delete(conn):
    conn.execute("INSERT INTO accounts (key, name, created_at) VALUES ('lianhua', 'Lianhua', 'now')")
    conn.execute(
        "INSERT INTO account_versions (account_id, version, tier, saved_at) VALUES (1, 1, 'national', 'now')"
    )
    with pytest.raises(sqlite3.IntegrityError, match="kept as written"):
        conn.execute("UPDATE accounts SET name = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="add a new version instead"):
        conn.execute("UPDATE account_versions SET tier = 'local'")
    with pytest.raises(sqlite3.IntegrityError, match="kept as written"):
        conn.execute("DELETE FROM account_versions")
    assert conn.execute("SELECT tier FROM account_versions").fetchone()[0] == "national"


def test_checks_refuse_values_outside_the_lists(conn):
    conn.execute("INSERT INTO accounts (key, name, created_at) VALUES ('suguo', 'Suguo', 'now')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO account_versions (account_id, version, tier, saved_at) VALUES (1,1,'x','')")
    conn.execute("INSERT INTO contacts (account_id, side, created_at) VALUES (1, 'theirs', 'now')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO contact_versions (contact_id, version, name, influence, saved_at) "
            "VALUES (1, 1, 'A', 6, 'n')"
        )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO accounts (key, name, created_at) VALUES ('suguo', 'SUGUO', 'now')")


def test_a_version_5_database_migrates_to_6_without_loss(tmp_path):
    path = tmp_path / "v5.sqlite3"
    raw = sqlite3.connect(path)
    for m in MIGRATIONS:
        if m.version <= 5:
            raw.executescript(m.sql)
    raw.execute("PRAGMA user_version = 5")
    for i in range(3):
        raw.execute(
            "INSERT INTO concessions (uid, recorded_at, occurred_at, account, type, give, stage, status) "
            "VALUES (?, '2026-01-01T00:00:00Z', '2026-01-02', 'Lianhua', 'price', ?, 'bargaining', 'agreed')",
            (f"u{i}", f"give {i}"),
        )
    raw.commit()
    raw.close()
    c = connect(path)
    try:
        assert c.execute("PRAGMA user_version").fetchone()[0] == latest_version() >= 6
        gives = [r[0] for r in c.execute("SELECT give FROM concessions ORDER BY id")]
        assert gives == ["give 0", "give 1", "give 2"]
        assert c.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0
    finally:
        c.close()
    backup = sqlite3.connect(db.backup_path(path, 5))
    assert backup.execute("SELECT count(*) FROM concessions").fetchone()[0] == 3
    backup.close()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Lianhua", "lianhua"),
        ("  LIANHUA  Supermarket ", "lianhua supermarket"),
        ("Ｌｉａｎｈｕａ", "lianhua"),
        ("联华\u3000超市", "联华 超市"),
    ],
)
def test_account_key_ignores_case_and_spacing(name, key):
    assert accounts.account_key(name) == key
