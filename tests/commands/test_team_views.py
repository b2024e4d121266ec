"""A trainer and a manager on a team database (PostgreSQL, each person their own login): the class report
is read straight from the database and covers every trainee; the concession review covers the team. A
trainee sees only their own. Needs COACH_TEST_PG."""

from __future__ import annotations

import json
import os

import pytest

from coach.store import concessions, db, pg_roles, training
from coach.store.concessions import validate_entry
from tests.commands.cli_helpers import ok
from tests.conftest import pg_as
from tests.training.training_helpers import answer, at


@pytest.fixture
def team(pg_database):
    """Ann and Bob (trainees) and Tess (their trainer), each with a login on the same database."""
    import psycopg

    suffix = os.getpid()
    names = {"ann": f"ann_{suffix}", "bob": f"bob_{suffix}", "tess": f"tess_{suffix}"}
    owner = db.connect(pg_database)
    try:
        for who, role in names.items():
            pg_roles.add_person(owner, role, trainer=who == "tess")
    finally:
        owner.close()
    yield {who: pg_as(pg_database, role) for who, role in names.items()}
    with psycopg.connect(pg_database, autocommit=True) as conn:
        for role in names.values():
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')


def _practise(url: str, name: str, score: int, give: str) -> None:
    """A trainee's own drill answer and a concession, written through their own login."""
    conn = db.connect(url)
    try:
        me = training.create_profile(conn, name, "Spring")
        training.add_attempt(
            conn, me.id, answer("drill:n0", score, when=at(1), principles=("principle.plan",))
        )
        concessions.add(conn, validate_entry({"account": "Jinhai Mart", "type": "display", "give": give}))
    finally:
        conn.close()


def test_the_trainer_reads_the_whole_class_and_each_trainee_only_themselves(capsys, team):
    _practise(team["ann"], "Ann", 2, "an extra end-cap week")
    _practise(team["bob"], "Bob", 0, "free delivery to 12 stores")

    report = ok(capsys, "report", "--class", "spring", "--format", "csv", "--db", team["tess"])
    assert "Ann" in report and "Bob" in report
    own = ok(capsys, "report", "--class", "spring", "--format", "csv", "--db", team["ann"])
    assert "Ann" in own and "Bob" not in own

    review = json.loads(ok(capsys, "log", "review", "--json", "--db", team["tess"]))
    assert review["entries"] == 2
    mine = json.loads(ok(capsys, "log", "review", "--json", "--db", team["bob"]))
    assert mine["entries"] == 1
    listed = json.loads(ok(capsys, "log", "list", "--json", "--db", team["bob"]))
    assert [e["give"] for e in listed["entries"]] == ["free delivery to 12 stores"]
