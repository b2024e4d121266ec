"""Setting up and checking the database a person or a team works in (``coach db``): an SQLite file for
one person, a PostgreSQL database for a team. Address in, facts out; the command line says them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from coach import locations
from coach.store import db, pg, pg_roles


@dataclass(frozen=True)
class Status:
    """What ``coach db init`` did or ``coach db check`` found."""

    engine: str
    """``sqlite`` or ``postgresql``."""
    where: str
    """The file, or the server and database (never a password)."""
    version: int
    """The schema version the database is at."""
    latest: int
    """The schema version this coach writes."""
    created: bool = False
    """``init`` only: the tables were made now (False: they were there already)."""
    role: str | None = "owner"
    """Who the connected person is: ``owner`` (sets up, adds people; an SQLite file's one user), ``trainer``
    (reads the team's records), ``member`` (a KAM or trainee: their own and the team's shared records) or
    None (no coach rights on this database)."""


def target(override: str | os.PathLike[str] | None) -> Path | str:
    """The database ``--db`` (or ``COACH_DB``, else the data folder) names."""
    return locations.db_path(override)


def init(override: str | os.PathLike[str] | None) -> Status:
    """Make the database ready: create coach's tables (a team database, once, by its administrator) or
    create and bring up to date the SQLite file. Safe to run again: nothing is changed when it is ready."""
    where = target(override)
    latest = db.latest_version()
    if isinstance(where, str) and pg.is_url(where):
        team, created = pg.init(where, latest)
        try:
            version = pg.schema_version(team) or 0
        finally:
            team.close()
        return Status("postgresql", pg.describe(where), version, latest, created)
    path = Path(where)
    existed = path.exists() and path.stat().st_size > 0
    with db.session(path) as conn:
        version = db.schema_version(conn)
    return Status("sqlite", str(path), version, latest, not existed)


def check(override: str | os.PathLike[str] | None) -> Status:
    """Open the database as every verb does (an SQLite file is created and brought up to date on first
    use; a team database must have been set up) and say what it is."""
    where = target(override)
    with db.session(where) as conn:
        version = db.schema_version(conn)
        role = pg_roles.role_of(conn)
    team = isinstance(where, str) and pg.is_url(where)
    shown = pg.describe(where) if isinstance(where, str) else str(where)
    return Status("postgresql" if team else "sqlite", shown, version, db.latest_version(), role=role)


def add_person(
    override: str | os.PathLike[str] | None, name: str, *, trainer: bool = False, password: str | None = None
) -> str:
    """Give ``name`` their own login on the team database, as a trainer or a member (KAM, trainee); done
    by the role that set the database up. Returns the role's name."""
    where = target(override)
    if not (isinstance(where, str) and pg.is_url(where)):
        raise db.DatabaseError(
            f"{where}: people are added to a team database (PostgreSQL), not to an SQLite file",
            "give the team database's address: coach db add-person NAME --db postgresql://…",
        )
    with db.session(where) as conn:
        return pg_roles.add_person(conn, name, trainer=trainer, password=password)
