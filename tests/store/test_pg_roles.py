"""Who may see and change what in a team database: each person connects as their own role; a trainee reads
and adds their own records and the team's shared ones but never changes another person's; a trainer reads
everything. Through the real store calls, with two trainees and a trainer connected as themselves.

Needs COACH_TEST_PG (skipped without), except the checks of the set-up script itself. Roles belong to the
whole test server, so each test names its people uniquely and drops them at the end."""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from coach.content.plans import load_yaml_file, validate
from coach.errors import CoachError
from coach.store import accounts, concession_rows, concessions, pg, pg_roles, plans, sessions
from coach.store import walkthroughs as wts
from coach.store.concessions import InvalidEntry, validate_entry
from coach.store.db import DatabaseError, connect, latest_version
from coach.store.schema_pg import APPEND_ONLY_TRIGGERS, KEPT_AS_WRITTEN, SCHEMA_SQL, WRITER
from tests.conftest import pg_as as as_role
from tests.conftest import pg_url

PLAN = Path(__file__).parent.parent / "data" / "plan_sample.yaml"
GOOD = {"account": "Carrefour", "type": "price", "give": "2% off invoice", "value": "2", "unit": "percent"}
NOT_ALLOWED = "not allowed: new row violates row-level security policy"
_numbers = itertools.count(1)


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["COACH_TEST_PG"], autocommit=True) as conn:
        conn.execute(sql)


def _drop_role(name: str) -> None:
    """Drop a test role (roles are the server's), with its right to connect to a test database."""
    import psycopg

    with psycopg.connect(os.environ["COACH_TEST_PG"], autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
            conn.execute(f'DROP OWNED BY "{name}"')  # also takes back CONNECT on every database
            conn.execute(f'DROP ROLE "{name}"')


class Team:
    """The database's owner (the test server's superuser), two trainees and a trainer, each connected as
    themselves."""

    def __init__(self, url: str) -> None:
        n = f"{os.getpid()}_{next(_numbers)}"
        self.url = url
        self.names = {"ann": f"ann_{n}", "bob": f"bob_{n}", "tess": f"tess_{n}"}
        self.conns: list[sqlite3.Connection] = []

    def join(self) -> None:
        """Add the three people (as the owner) and connect as each."""
        self.owner = self.open(None)
        pg_roles.add_person(self.owner, self.names["ann"])
        pg_roles.add_person(self.owner, self.names["bob"])
        pg_roles.add_person(self.owner, self.names["tess"], trainer=True)
        self.ann = self.open(self.names["ann"])
        self.bob = self.open(self.names["bob"])
        self.tess = self.open(self.names["tess"])

    def open(self, role: str | None) -> sqlite3.Connection:
        conn = connect(self.url if role is None else as_role(self.url, role))
        self.conns.append(conn)
        return conn

    def writers(self, table: str) -> list[str]:
        """Who wrote each row of ``table`` (sorted), as the owner sees it."""
        rows = self.owner.execute(f"SELECT {WRITER} FROM {table} ORDER BY 1").fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        for conn in self.conns:
            conn.close()
        for role in self.names.values():
            _drop_role(role)


@pytest.fixture
def team(pg_database):
    made = Team(pg_database)
    try:
        made.join()
        yield made
    finally:  # roles are the whole server's: none is left behind
        made.close()


def refused(conn: sqlite3.Connection, sql: str, params: tuple = (), match: str = "not allowed") -> None:
    """``sql`` is refused by the server with a message matching ``match``."""
    with pytest.raises(sqlite3.Error, match=match):
        conn.execute(sql, params)
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def changed(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> int:
    """How many rows ``sql`` changed (row-level security hides another person's rows: none)."""
    return conn.execute(sql, params).rowcount


# ------------------------------------------------------------------------------------------- personal


def test_a_trainees_concessions_are_theirs_alone_and_the_trainer_sees_everyones(team):
    ann_id = concessions.add(team.ann, validate_entry(GOOD))
    assert [c.id for c in concession_rows.select(team.ann)] == [ann_id]
    # The other trainee does not see it, by list or by id...
    assert concession_rows.select(team.bob) == []
    assert concession_rows.get(team.bob, ann_id) is None
    # ...cannot change or remove it (nobody may: concessions are kept as written; no right even to try)...
    for conn in (team.bob, team.ann, team.tess):
        refused(conn, "UPDATE concessions SET note = 'mine now' WHERE id = ?", (ann_id,), "permission denied")
        refused(conn, "DELETE FROM concessions WHERE id = ?", (ann_id,), "permission denied")
        refused(conn, "TRUNCATE concessions", match="permission denied")
    # ...cannot correct it through the store (not there for him) nor by hand...
    with pytest.raises(InvalidEntry, match="there is no entry"):
        concessions.add(team.bob, validate_entry({**GOOD, "supersedes": ann_id}))
    insert = "INSERT INTO concessions (uid, recorded_at, occurred_at, account, type, give, stage, status"
    refused(
        team.bob,
        f"{insert}, supersedes) VALUES ('x1', '2025-01-01', '2025-01-01', 'A', 'price', 'g', 'opening', "
        "'agreed', ?)",
        (ann_id,),
        NOT_ALLOWED,
    )
    # ...and cannot add a row in her name.
    refused(
        team.bob,
        f"{insert}, {WRITER}) VALUES ('x2', '2025-01-01', '2025-01-01', 'A', 'price', 'g', 'opening', "
        "'agreed', ?)",
        (team.names["ann"],),
        NOT_ALLOWED,
    )
    bob_id = concessions.add(team.bob, validate_entry({**GOOD, "give": "free delivery"}))
    assert [c.id for c in concession_rows.select(team.bob)] == [bob_id]
    assert [c.id for c in concession_rows.select(team.ann)] == [ann_id]
    # The trainer sees both trainees' entries; the owner sees who wrote each.
    assert sorted(c.id for c in concession_rows.select(team.tess)) == [ann_id, bob_id]
    assert team.writers("concessions") == sorted([team.names["ann"], team.names["bob"]])
    # Her own correction is hers to make.
    fixed = concessions.add(team.ann, validate_entry({**GOOD, "value": "1.5", "supersedes": ann_id}))
    assert [c.id for c in concession_rows.select(team.ann)] == [fixed]


def test_sessions_and_walkthroughs_change_only_for_their_writer(team):
    scenario = {"id": "engine-test", "title": {"en": "Test"}}
    sid = sessions.begin(team.ann, scenario, "en", trainee="Ann")
    sessions.add_exchange(team.ann, sid, 0, {"reply": "hello"}, None)
    assert [s.id for s in sessions.list_sessions(team.ann)] == [sid]
    assert sessions.list_sessions(team.bob) == []
    assert [s.id for s in sessions.list_sessions(team.tess)] == [sid]  # the trainer reads every session
    # Neither the other trainee nor the trainer can finish her session or add to it: nothing changes.
    for other in (team.bob, team.tess):
        sessions.finish(other, sid, "left", {"outcome": "fail"})
        assert changed(other, "UPDATE sessions SET status = 'left' WHERE id = ?", (sid,)) == 0
        assert changed(other, "DELETE FROM sessions WHERE id = ?", (sid,)) == 0
        assert changed(other, "UPDATE session_exchanges SET retried = 1 WHERE session_id = ?", (sid,)) == 0
        with pytest.raises(DatabaseError, match="row-level security"):
            sessions.add_exchange(other, sid, 1, {"reply": "not yours"}, None)
    assert sessions.get(team.ann, sid)["status"] == "open"
    assert len(sessions.get(team.ann, sid)["transcript"]) == 1
    sessions.finish(team.ann, sid, "finished", {"outcome": "success"})  # hers to finish
    assert sessions.get(team.tess, sid)["status"] == "finished"

    wt = wts.Walkthrough(
        rule_id="tactic.nibble",
        title="The nibble",
        lang="en",
        steps=[wts.StepRecord("step", "Pause.", False, "")],
    )
    wid = wts.save(team.ann, wt)
    assert wts.list_recent(team.bob) == []
    theirs = wts.get(team.tess, wid)  # the trainer reads it, but saving it again is not his to do
    theirs.label = "taken over"
    with pytest.raises(CoachError, match="no longer exists"):
        wts.save(team.tess, theirs)
    assert wts.get(team.ann, wid).label == ""
    assert changed(team.bob, "DELETE FROM walkthrough_steps WHERE walkthrough_id = ?", (wid,)) == 0
    assert len(wts.get(team.ann, wid).steps) == 1


# ------------------------------------------------------------------------------------------- shared


def test_shared_accounts_are_seen_by_everyone_and_added_to_as_oneself(team):
    accounts.add(team.ann, "Jinhai Mart", tier="national")
    for conn in (team.ann, team.bob, team.tess):
        assert [a.name for a in accounts.list_accounts(conn)] == ["Jinhai Mart"]
    # The team keeps the account together: Bob adds a version, as himself; nobody changes a row.
    accounts.update(team.bob, "Jinhai Mart", stores=120)
    assert accounts.get(team.ann, "Jinhai Mart").stores == 120
    assert team.writers("account_versions") == sorted([team.names["ann"], team.names["bob"]])
    refused(team.bob, "UPDATE accounts SET name = 'Mine'", match="permission denied")
    refused(team.bob, "DELETE FROM account_versions", match="permission denied")
    refused(
        team.bob,
        f"INSERT INTO accounts (key, name, created_at, {WRITER}) VALUES ('other', 'Other', 'now', ?)",
        (team.names["ann"],),
        NOT_ALLOWED,
    )
    accounts.add(team.tess, "Yonghui")  # a trainer adds shared records too, as herself
    assert [a.name for a in accounts.list_accounts(team.bob)] == ["Jinhai Mart", "Yonghui"]


def _plan(**changes):
    plan = load_yaml_file(PLAN)
    return validate({**plan.body(), **changes}) if changes else plan


def test_a_member_cannot_change_another_persons_meeting_plan(team):
    plan_id = plans.create(team.ann, _plan())
    edited = _plan(record=["Send the summary tonight"])
    for other in (team.bob, team.tess):
        assert plans.get(other, plan_id).plan == _plan()  # the team reads it...
        with pytest.raises(DatabaseError, match='row-level security policy for table "plan_versions"'):
            plans.save_version(other, plan_id, edited)  # ...but a new version would change her plan
        assert changed(other, "UPDATE plans SET meeting = 'Mine' WHERE id = ?", (plan_id,)) == 0
        assert changed(other, "DELETE FROM plans WHERE id = ?", (plan_id,)) == 0
        refused(other, "DELETE FROM plan_versions WHERE plan_id = ?", (plan_id,), "permission denied")
    stored = plans.get(team.owner, plan_id)
    assert (stored.latest, stored.plan) == (1, _plan())
    assert plans.save_version(team.ann, plan_id, edited) == (2, True)  # hers to change
    assert plans.get(team.bob, plan_id).plan == edited
    # Bob's own plan for another meeting is his.
    other_plan = _plan(meeting="Quarterly review")
    bob_plan = plans.create(team.bob, other_plan)
    assert sorted(p.id for p in plans.list_plans(team.ann)) == sorted([plan_id, bob_plan])


# ------------------------------------------------------------------------------------------- roles


def test_role_of_says_who_is_connected(team, tmp_path):
    assert pg_roles.role_of(team.owner) == "owner"
    assert pg_roles.role_of(team.ann) == "member"
    assert pg_roles.role_of(team.bob) == "member"
    assert pg_roles.role_of(team.tess) == "trainer"
    stranger = f"stranger_{os.getpid()}_{next(_numbers)}"
    _admin_sql(f'CREATE ROLE "{stranger}" LOGIN')
    try:
        url = as_role(team.url, stranger)
        conn = pg.Connection(pg._raw_connect(url), url)
        try:
            assert pg_roles.role_of(conn) is None
            refused(conn, "SELECT count(*) FROM concessions", match="permission denied")
        finally:
            conn.close()
    finally:
        _drop_role(stranger)
    lite = connect(tmp_path / "coach.sqlite3")
    try:
        assert pg_roles.role_of(lite) == "owner"  # one person's file
        with pytest.raises(DatabaseError, match="team database on PostgreSQL"):
            pg_roles.add_person(lite, "ann")
    finally:
        lite.close()


def test_a_trainee_cannot_add_people(team):
    with pytest.raises(DatabaseError, match="could not add") as caught:
        pg_roles.add_person(team.ann, f"carl_{os.getpid()}")
    assert "\n" not in caught.value.one_line()


def test_add_person_refuses_existing_roles_and_keywords_and_hashes_the_password(team):
    with pytest.raises(DatabaseError, match="already a role"):
        pg_roles.add_person(team.owner, team.names["ann"])
    with pytest.raises(DatabaseError, match="SQL keyword"):
        pg_roles.add_person(team.owner, "user")
    name = f"pat_{os.getpid()}_{next(_numbers)}"
    try:
        pg_roles.add_person(team.owner, name, trainer=True, password="s3cret 'quoted'")
        stored = team.owner.execute("SELECT rolpassword FROM pg_authid WHERE rolname = ?", (name,)).fetchone()
        assert stored[0].startswith("SCRAM-SHA-256$")  # hashed before it left this machine
        conn = connect(as_role(team.url, name))
        try:
            assert pg_roles.role_of(conn) == "trainer"
        finally:
            conn.close()
    finally:
        _drop_role(name)


@pytest.mark.parametrize(
    "name",
    [
        'ann"; DROP TABLE concessions; --',
        "Ann",
        "1st",
        "ann smith",
        "",
        "a" * 64,
        "pg_ann",
        "public",
        "coach_member",
        "anné",
        "ann\n",
    ],
)
def test_only_plain_role_names_are_taken(name):
    with pytest.raises(DatabaseError) as caught:
        pg_roles.check_name(name)
    assert "\n" not in caught.value.one_line()


def test_plain_role_names_pass():
    for name in ("ann", "bob_2", "_x", "a" * 63):
        assert pg_roles.check_name(name) == name


# ------------------------------------------------------------------------------------------- set-up


def test_every_table_has_a_writer_and_a_policy_in_the_script():
    tables = re.findall(r"^CREATE TABLE (\w+) \(", SCHEMA_SQL, re.MULTILINE)
    assert sorted(tables) == sorted(pg_roles.TABLES)
    assert len(set(pg_roles.PERSONAL) | set(pg_roles.SHARED)) == len(tables) == 26
    bodies = re.findall(r"^CREATE TABLE (\w+) \((.*?)^\);", SCHEMA_SQL, re.MULTILINE | re.DOTALL)
    assert len(bodies) == 26
    for table, body in bodies:
        assert re.search(rf"^    {WRITER} +TEXT NOT NULL DEFAULT session_user,?$", body, re.MULTILINE), table
    assert "TRUNCATE" not in pg_roles.SECURITY_SQL
    for table in tables:
        assert f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;" in pg_roles.SECURITY_SQL


def test_init_makes_the_triggers_roles_and_policies_and_runs_twice(pg_database):
    name = f"coach_roles_init_{os.getpid()}_{next(_numbers)}"
    url = urlunsplit(urlsplit(pg_database)._replace(path=f"/{name}"))
    _admin_sql(f'CREATE DATABASE "{name}"')  # another database on the server where the groups exist already
    try:
        conn, created = pg.init(url, latest_version())
        conn.close()
        conn, again = pg.init(url, latest_version())  # a second set-up changes nothing and does not fail
        try:
            assert (created, again) == (True, False)
            triggers = {r[0] for r in conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
            assert triggers == set(APPEND_ONLY_TRIGGERS)
            groups = conn.execute(
                "SELECT rolname FROM pg_roles WHERE rolname IN ('coach_member', 'coach_trainer') ORDER BY 1"
            ).fetchall()
            assert [g[0] for g in groups] == ["coach_member", "coach_trainer"]
            secured = dict(
                conn.execute(
                    "SELECT relname, relrowsecurity FROM pg_class WHERE relkind = 'r' "
                    "AND relnamespace = 'public'::regnamespace AND relname <> 'coach_schema'"
                ).fetchall()
            )
            assert secured == {t: True for t in pg_roles.TABLES}
            for table in pg_roles.TABLES:
                for group in pg_roles.GROUPS:
                    rights = {
                        right: conn.execute(
                            "SELECT has_table_privilege(?, ?, ?)", (group, table, right)
                        ).fetchone()[0]
                        for right in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
                    }
                    may_change = table not in KEPT_AS_WRITTEN
                    assert rights == {
                        "SELECT": True,
                        "INSERT": True,
                        "UPDATE": may_change,
                        "DELETE": may_change,
                        "TRUNCATE": False,
                    }, (table, group)
            sequences = conn.execute(
                "SELECT count(*) FILTER (WHERE has_sequence_privilege('coach_member', c.oid, 'USAGE')), count(*) "
                "FROM pg_class c WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
            ).fetchone()
            assert sequences[0] == sequences[1] > 0
            policies = {(r[0], r[1]) for r in conn.execute("SELECT tablename, policyname FROM pg_policies")}
            for table in pg_roles.TABLES:
                wanted = {"read_all", "add_own"} | ({"read_own"} if table in pg_roles.PERSONAL else set())
                if table not in KEPT_AS_WRITTEN:
                    wanted |= {"change_own", "remove_own"}
                assert {p for t, p in policies if t == table} == wanted, table
        finally:
            conn.close()
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ------------------------------------------------------------------------------------ one server, two teams


def test_a_person_opens_only_their_own_teams_database(pg_empty_database):
    """The groups are the server's: a member of one team's database cannot connect to another team's, and
    a login nobody added is told whom to ask."""
    import psycopg

    other = f"coach_other_team_{os.getpid()}_{next(_numbers)}"
    _admin_sql(f'CREATE DATABASE "{other}"')
    other_url = pg_url(other)
    kam, stranger = f"kam_{os.getpid()}_{next(_numbers)}", f"stranger_{os.getpid()}_{next(_numbers)}"
    try:
        for url in (pg_empty_database, other_url):
            conn, _ = pg.init(url, latest_version())
            conn.close()
        owner = connect(pg_empty_database)
        try:
            pg_roles.add_person(owner, kam)
        finally:
            owner.close()
        _admin_sql(f'CREATE ROLE "{stranger}" LOGIN')
        mine = connect(as_role(pg_empty_database, kam))
        try:
            assert pg_roles.role_of(mine) == "member"
        finally:
            mine.close()
        with pytest.raises(DatabaseError, match="permission denied for database") as caught:
            connect(as_role(other_url, kam))
        assert "coach db add-person" in caught.value.one_line()
        with pytest.raises(DatabaseError, match="permission denied for database"):
            connect(as_role(pg_empty_database, stranger))
    finally:
        _drop_role(kam)
        _drop_role(stranger)
        with psycopg.connect(os.environ["COACH_TEST_PG"], autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')


def test_a_row_written_after_set_role_names_the_login_not_the_group(team):
    team.ann.execute("SET ROLE coach_member")
    concessions.add(team.ann, validate_entry({"account": "Jinhai Mart", "type": "price", "give": "1% off"}))
    assert team.writers("concessions") == [team.names["ann"]]
