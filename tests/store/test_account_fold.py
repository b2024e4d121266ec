"""An account name in Traditional and Simplified Chinese is one account (issue 13): the key is folded
through OpenCC t2s, and schema 9 recomputes the keys an older coach wrote, keeping every row."""

from __future__ import annotations

import sqlite3

import pytest

from coach.store import accounts, db
from coach.store.db import MIGRATIONS, connect, latest_version


@pytest.fixture
def conn(db_target):
    c = connect(db_target)
    yield c
    c.close()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("聯華", "联华"),
        ("聯華 超市", "联华 超市"),
        ("家樂福", "家乐福"),
        ("ＣＡＲＲＥＦＯＵＲ 台灣", "carrefour 台湾"),
    ],
)
def test_the_key_folds_traditional_to_simplified(name, key):
    assert accounts.account_key(name) == key
    assert accounts.account_key(key) == key  # folding twice changes nothing


def test_traditional_and_simplified_names_are_one_account(conn):
    acc = accounts.add(conn, "聯華", tier="national")
    assert accounts.get(conn, "联华").id == acc.id
    with pytest.raises(accounts.AccountExists, match="exists already"):
        accounts.add(conn, "联华")
    assert conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == 1
    accounts.add_contact(conn, "联华", "theirs", "陳傑", decision_role="decision-maker")
    c, changed = accounts.update_contact(conn, "聯華", "陈杰", attitude="supporter")  # one person too
    assert changed and c.name == "陳傑" and c.attitude == "supporter"


def _version_8_database(path, rows, merges=()):
    """A database as schema 8 left it, with accounts keyed the old way (not folded)."""
    raw = sqlite3.connect(path)
    for m in MIGRATIONS:
        if m.version <= 8 and m.sql:
            raw.executescript(m.sql)
    raw.execute("PRAGMA user_version = 8")
    for n, (key, name) in enumerate(rows, 1):
        raw.execute(
            "INSERT INTO accounts (key, name, created_at) VALUES (?, ?, ?)", (key, name, f"2026-01-0{n}")
        )
        raw.execute("INSERT INTO account_versions (account_id, version, saved_at) VALUES (?, 1, 'x')", (n,))
        raw.execute("INSERT INTO contacts (account_id, side, created_at) VALUES (?, 'theirs', 'x')", (n,))
        raw.execute(
            "INSERT INTO contact_versions (contact_id, version, name, saved_at) VALUES (?, 1, ?, 'x')",
            (n, f"buyer of {name}"),
        )
    for from_key, into_key in merges:
        raw.execute(
            "INSERT INTO account_merges (from_key, into_key, merged_at) VALUES (?, ?, 'x')",
            (from_key, into_key),
        )
    raw.commit()
    raw.close()


def test_schema_9_folds_old_keys_keeps_every_row_and_the_backup(tmp_path):
    assert {m.version: m.name for m in MIGRATIONS}[9] == "account keys folded to simplified"
    path = tmp_path / "v8.sqlite3"
    rows = [
        ("聯華", "聯華"),
        ("联华", "联华"),
        ("家樂福", "家樂福"),
        ("大潤發", "大潤發"),
        ("suguo", "Suguo"),
    ]
    _version_8_database(path, rows, merges=[("suguo", "大潤發")])
    c = connect(path)
    try:
        assert c.execute("PRAGMA user_version").fetchone()[0] == latest_version() >= 9
        keys = dict(c.execute("SELECT name, key FROM accounts").fetchall())
        # 联华 held the folded key already and keeps it; 聯華 keeps its own, merged into it.
        assert keys == {
            "聯華": "聯華",
            "联华": "联华",
            "家樂福": "家乐福",
            "大潤發": "大润发",
            "Suguo": "suguo",
        }
        merges = {r[0]: r[1] for r in c.execute("SELECT from_key, into_key FROM account_merges")}
        assert merges == {"suguo": "大润发", "聯華": "联华"}  # the old merge follows the renamed key
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        lianhua = accounts.account_map(c, "聯華")
        assert lianhua.account.name == "联华"
        assert sorted(p.name for p in lianhua.contacts) == ["buyer of 联华", "buyer of 聯華"]
        assert accounts.get(c, "家乐福").name == "家樂福"
        assert [a.name for a in accounts.list_accounts(c)] == ["大潤發", "家樂福", "联华"]
        assert accounts.get(c, "Suguo").name == "大潤發"  # merged before, still merged
        for table in ("accounts", "account_versions", "account_merges", "contacts", "contact_versions"):
            with pytest.raises(sqlite3.IntegrityError, match="kept as written"):
                c.execute(f"DELETE FROM {table}")
        with pytest.raises(sqlite3.IntegrityError, match="kept as written"):
            c.execute("UPDATE accounts SET key = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="kept as written"):
            c.execute("UPDATE account_merges SET into_key = 'x'")
    finally:
        c.close()
    backup = sqlite3.connect(db.backup_path(path, 8))
    assert dict(backup.execute("SELECT name, key FROM accounts").fetchall())["家樂福"] == "家樂福"
    backup.close()


def test_schema_9_renames_a_traditional_key_when_nobody_holds_the_folded_one(tmp_path):
    path = tmp_path / "v8.sqlite3"
    _version_8_database(path, [("聯華", "聯華"), ("聯华", "聯华")])  # both fold to 联华; the first stays
    c = connect(path)
    try:
        keys = dict(c.execute("SELECT name, key FROM accounts").fetchall())
        assert keys == {"聯華": "联华", "聯华": "聯华"}
        merges = {r[0]: r[1] for r in c.execute("SELECT from_key, into_key FROM account_merges")}
        assert merges == {"聯华": "联华"}
        assert accounts.get(c, "联华").name == "聯華"
        assert len(accounts.account_map(c, "联华").contacts) == 2
    finally:
        c.close()


def test_schema_9_leaves_a_merge_people_made_between_the_two_spellings(tmp_path):
    path = tmp_path / "v8.sqlite3"
    _version_8_database(path, [("聯華", "聯華"), ("联华", "联华")], merges=[("联华", "聯華")])
    c = connect(path)
    try:
        merges = {r[0]: r[1] for r in c.execute("SELECT from_key, into_key FROM account_merges")}
        assert merges == {"联华": "聯華"}  # no row back: that would be a loop
        assert accounts.get(c, "聯華").name == "聯華"
        assert len(accounts.account_map(c, "联华").contacts) == 2
    finally:
        c.close()


def test_a_new_database_needs_no_backup(tmp_path):
    path = tmp_path / "new.sqlite3"
    connect(path).close()
    assert not list(tmp_path.glob("new.sqlite3.bak-*"))
