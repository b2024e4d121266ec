"""``coach db init`` and ``coach db check`` on an SQLite file and on a team's PostgreSQL database (the
latter need COACH_TEST_PG)."""

from __future__ import annotations

import json
import os

import pytest

from tests.commands.cli_helpers import ok, run
from tests.conftest import pg_as


@pytest.mark.sqlite_only
def test_init_makes_the_file_once_and_check_reports_it(capsys, tmp_path):
    path = tmp_path / "kam" / "coach.sqlite3"
    first = ok(capsys, "db", "init", str(path))
    assert f"{path}: set up" in first and "SQLite (one person)" in first
    assert path.is_file()
    again = ok(capsys, "db", "init", "--db", str(path))
    assert "already set up; nothing was changed" in again
    found = json.loads(ok(capsys, "db", "check", str(path), "--json"))
    assert found == {
        "engine": "sqlite",
        "database": str(path),
        "schema": found["latest"],
        "latest": found["latest"],
        "role": "owner",
    }


def test_a_team_database_is_set_up_once_then_used_by_every_verb(capsys, pg_empty_database, monkeypatch):
    code, _, err = run(capsys, "db", "check", pg_empty_database)
    assert code != 0 and "has no coach tables yet" in err and "coach db init" in err
    assert "set up" in ok(capsys, "db", "init", pg_empty_database)
    assert "already set up" in ok(capsys, "db", "init", pg_empty_database)
    monkeypatch.setenv("COACH_DB", pg_empty_database)
    found = json.loads(ok(capsys, "db", "check", "--json"))
    assert found["engine"] == "postgresql" and found["schema"] == found["latest"]
    entry_id = ok(capsys, "log", "add", "--account", "Jinhai Mart", "--type", "price", "--give", "1% off")
    listed = json.loads(ok(capsys, "log", "list", "--json"))
    assert [e["id"] for e in listed["entries"]] == [int(entry_id)]


def test_a_wrong_address_is_one_line_without_the_password(capsys, tmp_path):
    code, out, err = run(capsys, "db", "check", f"postgresql://kam:s3cret@/team?host={tmp_path}&port=1")
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "s3cret" not in err and "kam:***@" in err and "cannot connect" in err


def test_people_get_their_own_login_and_check_says_who_they_are(capsys, pg_database):
    import psycopg

    kam, boss = f"kam_{os.getpid()}", f"trainer_{os.getpid()}"
    try:
        assert "added as a member" in ok(capsys, "db", "add-person", kam, "--db", pg_database)
        assert "added as a trainer" in ok(capsys, "db", "add-person", boss, "--trainer", "--db", pg_database)
        assert "owner" in ok(capsys, "db", "check", pg_database)
        assert json.loads(ok(capsys, "db", "check", pg_as(pg_database, kam), "--json"))["role"] == "member"
        assert "trainer (reads the team's records" in ok(capsys, "db", "check", pg_as(pg_database, boss))
        code, _, err = run(
            capsys, "db", "add-person", "Robert'); DROP TABLE concessions; --", "--db", pg_database
        )
        assert code != 0 and err.count("\n") == 1
        code, _, err = run(capsys, "db", "add-person", "someone", "--db", pg_as(pg_database, kam))
        assert code != 0 and "could not add someone" in err
    finally:  # roles belong to the whole server: leave none behind
        with psycopg.connect(pg_database, autocommit=True) as conn:
            for role in (kam, boss):
                if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                    conn.execute(f'DROP OWNED BY "{role}"')
                    conn.execute(f'DROP ROLE "{role}"')


@pytest.mark.sqlite_only
def test_people_are_added_to_a_team_database_only(capsys, tmp_path):
    code, _, err = run(capsys, "db", "add-person", "kam_li", "--db", str(tmp_path / "coach.sqlite3"))
    assert code != 0 and "not to an SQLite file" in err
