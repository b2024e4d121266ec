"""Accounts store (issue 13): schema version 6 and its append-only guarantees."""

from __future__ import annotations

import sqlite3

import pytest

from coach.store import accounts, db
from coach.store.db import MIGRATIONS, connect, latest_version
from coach.store.schema import APPEND_ONLY_TABLES


@pytest.fixture
def conn(db_target):
    c = connect(db_target)
    yield c
    c.close()


@pytest.mark.sqlite_only
def test_migration_6_holds_every_table_of_the_issue(conn):
    names = {m.version: m.name for m in MIGRATIONS}
    assert names[6] == "accounts" and names[5] == "training"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version() >= 6
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(APPEND_ONLY_TABLES) <= tables
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in APPEND_ONLY_TABLES:
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


# ------------------------------------------------------------------------------------ reads and writes


def test_names_differing_in_case_or_spacing_are_one_account(conn):
    acc = accounts.add(conn, "Lianhua  Supermarket", tier="全国性", stores="3,200", ours=["Li Wei"])
    assert (acc.name, acc.tier, acc.stores) == ("Lianhua Supermarket", "national", 3200)
    assert accounts.get(conn, "  LIANHUA supermarket ").id == acc.id
    with pytest.raises(accounts.AccountExists, match="exists already"):
        accounts.add(conn, "lianhua supermarket")
    assert conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == 1


def test_unknown_account_suggests_the_closest_name(conn):
    accounts.add(conn, "Lianhua")
    with pytest.raises(accounts.AccountNotFound, match="did you mean 'Lianhua'"):
        accounts.get(conn, "Lianhau")


def test_bad_values_are_refused_and_nothing_is_written(conn):
    accounts.add(conn, "Suguo", tier="local")
    before = conn.execute("SELECT count(*) FROM contact_versions").fetchone()[0]
    with pytest.raises(accounts.InvalidField, match="did you mean 'global'"):
        accounts.add(conn, "Carrefour", tier="globl")
    with pytest.raises(accounts.InvalidField, match="influence: must be 1 to 5"):
        accounts.add_contact(conn, "Suguo", "theirs", "Wu", influence=7)
    with pytest.raises(accounts.InvalidField, match="attitude: unknown value"):
        accounts.add_contact(conn, "Suguo", "theirs", "Wu", attitude="friendly")
    with pytest.raises(accounts.InvalidField, match="last_contact: .* is in the future"):
        accounts.add_contact(conn, "Suguo", "theirs", "Wu", last_contact="2999-01-01")
    with pytest.raises(accounts.AccountNotFound, match="reports_to"):
        accounts.add_contact(conn, "Suguo", "theirs", "Wu", reports_to="Nobody")
    assert conn.execute("SELECT count(*) FROM contact_versions").fetchone()[0] == before
    assert [a.name for a in accounts.list_accounts(conn)] == ["Suguo"]


def test_an_edit_adds_a_version_and_keeps_the_old_one(conn):
    accounts.add(conn, "Suguo", tier="local", stores=120)
    acc, changed = accounts.update(conn, "suguo", tier="national")
    assert changed and (acc.tier, acc.stores, acc.version) == ("national", 120, 2)
    acc, changed = accounts.update(conn, "suguo", tier="national")
    assert not changed and acc.version == 2
    assert [v.tier for v in accounts.history(conn, "Suguo")] == ["local", "national"]


def test_a_contact_who_changes_role_keeps_their_history(conn):
    accounts.add(conn, "Lianhua")
    accounts.add_contact(conn, "Lianhua", "theirs", "Chen Jie", role="Buyer", attitude="neutral", influence=2)
    updated, changed = accounts.update_contact(
        conn, "lianhua", "chen  jie", role="Category manager", influence=4
    )
    assert changed and (updated.role, updated.influence, updated.attitude, updated.version) == (
        "Category manager",
        4,
        "neutral",
        2,
    )
    _, changed = accounts.update_contact(conn, "Lianhua", "Chen Jie", role="Category manager")
    assert not changed
    assert [(v.version, v.role) for v in accounts.contact_history(conn, "Lianhua", "Chen Jie")] == [
        (1, "Buyer"),
        (2, "Category manager"),
    ]
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM contact_versions")


def test_reporting_lines_refuse_loops(conn):
    accounts.add(conn, "Lianhua")
    accounts.add_contact(conn, "Lianhua", "theirs", "Wang Fang", decision_role="dm")
    accounts.add_contact(conn, "Lianhua", "theirs", "Chen Jie", reports_to="wang fang")
    with pytest.raises(accounts.InvalidField, match="loop"):
        accounts.update_contact(conn, "Lianhua", "Wang Fang", reports_to="Chen Jie")
    with pytest.raises(accounts.InvalidField, match="themselves"):
        accounts.update_contact(conn, "Lianhua", "Wang Fang", reports_to="Wang Fang")


def test_link_versions_the_level_and_keeps_the_target(conn):
    accounts.add(conn, "Lianhua", ours=["Li Wei"])
    accounts.add_contact(conn, "Lianhua", "theirs", "Chen Jie")
    rel, changed = accounts.link(conn, "Lianhua", "li wei", "CHEN JIE", level=2, target=4)
    assert changed and (rel.level, rel.target, rel.version) == (2, 4, 1)
    rel, changed = accounts.link(conn, "Lianhua", "Li Wei", "Chen Jie", level=3)
    assert changed and (rel.level, rel.target, rel.version) == (3, 4, 2)
    _, changed = accounts.link(conn, "Lianhua", "Li Wei", "Chen Jie", level=3)
    assert not changed
    with pytest.raises(accounts.AccountNotFound, match="not among our people"):
        accounts.link(conn, "Lianhua", "Chen Jie", "Li Wei", level=1)
    with pytest.raises(accounts.InvalidField, match="level: must be 0 to 5"):
        accounts.link(conn, "Lianhua", "Li Wei", "Chen Jie", level=6)
    assert conn.execute("SELECT count(*) FROM relationship_versions").fetchone()[0] == 2


def test_a_merge_is_followed_and_deletes_nothing(conn):
    accounts.add(conn, "Lianhua Supermarket", tier="national", ours=["Li Wei"])
    accounts.add(conn, "Lian hua")
    accounts.add_contact(conn, "Lian hua", "theirs", "Zhou Min")
    source, target = accounts.merge(conn, "lian hua", "LIANHUA SUPERMARKET", note="same chain")
    assert (source.name, target.name) == ("Lian hua", "Lianhua Supermarket")
    assert accounts.get(conn, "Lian Hua").name == "Lianhua Supermarket"
    m = accounts.account_map(conn, "lian hua")
    assert [c.name for c in m.contacts] == ["Li Wei", "Zhou Min"]
    accounts.link(conn, "Lian hua", "Li Wei", "Zhou Min", level=2)  # across the merge
    assert [a.name for a in accounts.list_accounts(conn)] == ["Lianhua Supermarket"]
    merged = {a.name: a.merged_into for a in accounts.list_accounts(conn, merged=True)}
    assert merged == {"Lian hua": "Lianhua Supermarket", "Lianhua Supermarket": None}
    assert conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == 2
    with pytest.raises(accounts.InvalidField, match="already one account"):
        accounts.merge(conn, "Lianhua Supermarket", "Lian hua")
    with pytest.raises(
        accounts.AccountExists, match="'Lian hua' exists already, merged into 'Lianhua Supermarket'"
    ):
        accounts.add(conn, "LIAN  HUA")


def test_a_merge_chain_is_followed(conn):
    for name in ("A Mart", "B Mart", "C Mart"):
        accounts.add(conn, name)
    accounts.merge(conn, "A Mart", "B Mart")
    accounts.merge(conn, "B Mart", "C Mart")
    assert accounts.get(conn, "a mart").name == "C Mart"
    assert accounts.group_keys(conn, "C Mart") == {"a mart", "b mart", "c mart"}


def test_existing_records_link_by_name_without_being_rewritten(conn):
    from coach.store import concessions

    accounts.add(conn, "Carrefour")
    accounts.add(conn, "Carrefour China")
    for account in ("Carrefour", "CARREFOUR", "carrefour china", "Walmart"):
        concessions.add(conn, concessions.validate_entry({"account": account, "type": "price", "give": "2%"}))
    practice = {"account": "carrefour", "type": "price", "give": "1%", "practice": True}
    concessions.add(conn, concessions.validate_entry(practice))
    assert accounts.linked_records(conn, "carrefour").concessions == 2
    assert accounts.linked_records(conn, "carrefour").practice == 1
    accounts.merge(conn, "Carrefour China", "Carrefour")
    linked = accounts.linked_records(conn, "Carrefour")
    assert linked.concessions == 3
    assert set(linked.names) == {"Carrefour", "CARREFOUR", "carrefour china", "carrefour"}
    assert sorted(r[0] for r in conn.execute("SELECT account FROM concessions")) == sorted(
        ["Carrefour", "CARREFOUR", "carrefour china", "Walmart", "carrefour"]
    )


def test_plans_sessions_and_walkthroughs_link_by_name(conn):
    import json

    accounts.add(conn, "Lianhua")
    plan = "INSERT INTO plans (account, meeting, created_at, updated_at) VALUES (?, ?, 'n', 'n')"
    conn.execute(plan, ("LIANHUA", "annual 2027"))
    conn.execute(plan, ("Suguo", "q1"))
    conn.execute(
        "INSERT INTO walkthroughs (rule_id, title, lang, label, started_at, saved_at) "
        "VALUES ('account.tiers', 't', 'en', ' lianhua ', 'n', 'n')"
    )
    scenario = {"id": "s", "persona": {"retailer": {"en": "Lianhua", "zh": "联华"}}}
    conn.execute(
        "INSERT INTO sessions (scenario_id, scenario, lang, started_at) VALUES ('s', ?, 'en', 'n')",
        (json.dumps(scenario),),
    )
    linked = accounts.linked_records(conn, "lianhua")
    assert (linked.plans, linked.walkthroughs, linked.sessions, linked.concessions) == (1, 1, 1, 0)


def test_same_name_on_both_sides_needs_a_side_and_a_merge_duplicate_is_usable(conn):
    accounts.add(conn, "Lianhua", ours=["Li Wei"])
    accounts.add_contact(conn, "Lianhua", "theirs", "Li Wei", role="Store manager")
    with pytest.raises(accounts.InvalidField, match="on both sides"):
        accounts.update_contact(conn, "Lianhua", "Li Wei", role="x")
    updated, _ = accounts.update_contact(conn, "Lianhua", "Li Wei", side="theirs", role="Area manager")
    assert (updated.side, updated.role) == ("theirs", "Area manager")
    accounts.add(conn, "Lianhua Supermarket")
    accounts.add_contact(conn, "Lianhua Supermarket", "theirs", "Zhou Min")
    accounts.add_contact(conn, "Lianhua", "theirs", "Zhou Min")
    accounts.merge(conn, "Lianhua Supermarket", "Lianhua")
    rel, _ = accounts.link(conn, "Lianhua", "Li Wei", "Zhou Min", level=2)
    assert [c.name for c in accounts.account_map(conn, "Lianhua").contacts].count("Zhou Min") == 2
    assert rel.level == 2
