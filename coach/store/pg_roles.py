"""Who may see and change what in a team database on PostgreSQL: two group roles and row-level security.

Every row of every coach table says who wrote it: ``written_by``, filled by the server with the role that
inserted it (``DEFAULT session_user``: the login, even after SET ROLE, see ``coach.store.schema_pg``; the store's SQL never names it). Each
person connects as their own LOGIN role (``add_person``), a member of one of two groups:

- ``coach_member``, a KAM or trainee: reads and adds their own personal records, reads the team's shared
  records and adds to them as themselves; changes or removes only rows they wrote;
- ``coach_trainer``, a trainer or manager: reads everything; writes, like a member, only their own rows.

The role that owns the tables (the one that ran ``coach db init``) and a superuser are not limited: row-level
security is enabled, not forced.

Personal records (``PERSONAL``: concessions, role-play sessions, walk-throughs, training) are seen by their
writer and by trainers only. Shared records (``SHARED``: accounts and everything under them, business plans,
meeting plans) are seen by the whole team. A row that hangs under another one (a session's exchanges, a
walk-through's steps, a profile's answers, a meeting plan's versions, a correction of a concession) may be
added only under a row of one's own: adding a version to someone's meeting plan would change their plan
(and the plan's head row, which its writer alone may update, would not follow). The account records are
the exception by design: they are kept as versions, each row its writer's own, so the team builds the
account maps and business plans together without anyone changing another person's row.

Rights: SELECT and INSERT on every table; UPDATE and DELETE only on the tables whose rows may change (the
others have a trigger that keeps rows as written, ``schema_pg.KEPT_AS_WRITTEN``, and no group may even try);
never TRUNCATE, which row-level security does not filter. USAGE on each table's identity sequence, SELECT on
``coach_schema`` (opening the database reads the version). The write lock is an advisory lock
(``pg_advisory_xact_lock``), which every role may take: PUBLIC may call it unless an administrator revoked it.

Roles belong to the server, not to one database: the two groups are shared by every coach database on the
server, so ``pg.init`` makes them only when they are not there yet.

psycopg is imported only inside the functions that need it: a single user's SQLite file never pays for it.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Literal

from coach.store import pg
from coach.store.errors import DatabaseError
from coach.store.schema_pg import KEPT_AS_WRITTEN, WRITER

MEMBER = "coach_member"
"""The group of KAMs and trainees."""
TRAINER = "coach_trainer"
"""The group of trainers and managers."""
GROUPS = (MEMBER, TRAINER)

Role = Literal["trainer", "member", "owner"]

PERSONAL: dict[str, tuple[str, str] | None] = {
    # table: (column, table it points to) when a row may be added only under a row of one's own
    "concessions": ("supersedes", "concessions"),  # a correction or withdrawal: of one's own entry only
    "sessions": None,
    "session_exchanges": ("session_id", "sessions"),
    "walkthroughs": None,
    "walkthrough_steps": ("walkthrough_id", "walkthroughs"),
    "training_profiles": None,
    "training_attempts": ("profile_id", "training_profiles"),
    "training_schedule": ("profile_id", "training_profiles"),
    "training_roleplay": ("profile_id", "training_profiles"),
}
"""Each person's own records: seen by their writer and by trainers."""

SHARED: dict[str, tuple[str, str] | None] = {
    "accounts": None,
    "account_versions": None,
    "account_merges": None,
    "contacts": None,
    "contact_versions": None,
    "relationships": None,
    "relationship_versions": None,
    "business_plans": None,
    "business_plan_versions": None,
    "plan_items": None,
    "plan_item_versions": None,
    "kpis": None,
    "kpi_versions": None,
    "kpi_reviews": None,
    "plan_reviews": None,
    "plans": None,
    "plan_versions": ("plan_id", "plans"),  # a new version changes the plan: its writer's alone
}
"""The team's records: seen by everyone, added to by anyone as themselves."""

TABLES: tuple[str, ...] = (*PERSONAL, *SHARED)
"""Every coach table (``coach_schema``, the version bookkeeping, aside)."""

_MINE = f"{WRITER} = session_user"

ROLES_SQL = "".join(
    f"""DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{group}') THEN
        BEGIN
            CREATE ROLE {group} NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- made meanwhile by a set-up of another database on this server
        END;
    END IF;
END
$$;
"""
    for group in GROUPS
)
"""The two group roles, made when they are not on the server yet (existence is checked first, so a second
set-up needs no right to create roles)."""


def _add_check(table: str, parent: tuple[str, str] | None) -> str:
    if parent is None:
        return _MINE
    column, above = parent
    return (
        f"{_MINE} AND ({table}.{column} IS NULL OR EXISTS (SELECT 1 FROM {above} p "
        f"WHERE p.id = {table}.{column} AND p.{WRITER} = session_user))"
    )


def _table_sql(table: str, parent: tuple[str, str] | None, *, personal: bool) -> str:
    both = f"{MEMBER}, {TRAINER}"
    changes = table not in KEPT_AS_WRITTEN
    rights = "SELECT, INSERT, UPDATE, DELETE" if changes else "SELECT, INSERT"
    check = _add_check(table, parent)
    out = [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;", f"GRANT {rights} ON {table} TO {both};"]
    if personal:
        out += [
            f"CREATE POLICY read_own ON {table} FOR SELECT TO {MEMBER} USING ({_MINE});",
            f"CREATE POLICY read_all ON {table} FOR SELECT TO {TRAINER} USING (true);",
        ]
    else:
        out.append(f"CREATE POLICY read_all ON {table} FOR SELECT TO {both} USING (true);")
    out.append(f"CREATE POLICY add_own ON {table} FOR INSERT TO {both} WITH CHECK ({check});")
    if changes:
        out += [
            f"CREATE POLICY change_own ON {table} FOR UPDATE TO {both} USING ({_MINE}) WITH CHECK ({check});",
            f"CREATE POLICY remove_own ON {table} FOR DELETE TO {both} USING ({_MINE});",
        ]
    return "\n".join(out) + "\n"


def _sequences_sql() -> str:
    tables = ", ".join(f"'{t}'" for t in TABLES)
    return f"""DO $$
DECLARE
    seq text;
BEGIN
    FOR seq IN
        SELECT pg_get_serial_sequence(c.oid::regclass::text, a.attname)
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.oid = ANY (ARRAY[{tables}]::regclass[]) AND a.attidentity <> '' AND NOT a.attisdropped
    LOOP
        EXECUTE format('GRANT USAGE ON SEQUENCE %s TO {MEMBER}, {TRAINER}', seq);
    END LOOP;
END
$$;
"""


ONLY_ITS_PEOPLE = (
    "DO $$ BEGIN EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database()); END $$;\n"
)
"""The groups are the server's, shared by every coach database on it: only the people added to this
database (``add_person`` grants each CONNECT) may open it, so one team's members never reach another's."""

SECURITY_SQL = (
    "".join(_table_sql(t, p, personal=True) for t, p in PERSONAL.items())
    + "".join(_table_sql(t, p, personal=False) for t, p in SHARED.items())
    + _sequences_sql()
    + "GRANT SELECT ON coach_schema TO PUBLIC;\n"  # so a login with no rights is told so, not refused
    + "REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n"  # no one but the owner makes objects (before 15)
    + ONLY_ITS_PEOPLE
    + f"GRANT EXECUTE ON FUNCTION coach_refuse() TO {MEMBER}, {TRAINER};\n"
)
"""Rights and row-level security on every coach table, for the set-up transaction (after ``SCHEMA_SQL`` and
``coach_schema``; the groups must exist)."""


def ensure_roles(conn: pg.Connection) -> None:
    """Make the two group roles if the server does not have them yet, and let only this database's people
    connect to it (inside the caller's transaction); a one-line ``DatabaseError`` when the caller may not
    create roles."""
    try:
        conn.execute(ROLES_SQL)
        conn.execute(ONLY_ITS_PEOPLE)
    except sqlite3.OperationalError as exc:
        if "not allowed" not in str(exc):
            raise
        raise DatabaseError(
            f"{conn.name}: cannot create the roles {MEMBER} and {TRAINER} ({exc}); nothing was changed",
            f"set up the database as a role that may create roles (CREATEROLE), or ask the server's "
            f"administrator to run: CREATE ROLE {MEMBER} NOLOGIN; CREATE ROLE {TRAINER} NOLOGIN",
        ) from None


def secure(conn: pg.Connection) -> None:
    """Grant the groups their rights and turn on row-level security (inside the set-up transaction)."""
    conn.execute(SECURITY_SQL)


# ------------------------------------------------------------------------------------------------ people

NAME = re.compile(r"[a-z_][a-z0-9_]*")
MAX_NAME = 63  # PostgreSQL's NAMEDATALEN - 1
_RESERVED = frozenset({"public", "none", "current_user", "session_user", "current_role", *GROUPS})


def check_name(name: str) -> str:
    """``name`` when it is a plain role name (lower-case letters, digits, ``_``; not starting with a digit
    or ``pg_``; at most 63 characters; not a name PostgreSQL or coach keeps), else a one-line
    ``DatabaseError``. Only such a name ever reaches SQL, and then quoted as an identifier."""
    if not isinstance(name, str) or not NAME.fullmatch(name) or len(name) > MAX_NAME:
        shown = repr(name)[:80]
        raise DatabaseError(
            f"{shown} is not a plain role name",
            f"use lower-case letters, digits and _ (not starting with a digit), at most {MAX_NAME} characters",
        )
    if name.startswith("pg_") or name in _RESERVED:
        raise DatabaseError(f"{name!r} is a name PostgreSQL or coach keeps for itself", "choose another name")
    return name


def _team(conn: sqlite3.Connection, what: str) -> pg.Connection:
    if not isinstance(conn, pg.Connection):
        raise DatabaseError(
            f"cannot {what}: people and their rights are for a team database on PostgreSQL; an SQLite file "
            "is one person's",
            "give a postgresql:// address with --db or COACH_DB",
        )
    return conn


def _check_free(team: pg.Connection, role: str, group: str) -> None:
    """Refuse a reserved SQL keyword, a role the server already has, and a server without coach's groups."""
    reserved = team.execute("SELECT catcode <> 'U' FROM pg_get_keywords() WHERE word = ?", (role,)).fetchone()
    if reserved and reserved[0]:
        raise DatabaseError(f"{role!r} is an SQL keyword", "choose another name")
    if team.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (role,)).fetchone():
        raise DatabaseError(
            f"{team.name}: there is already a role {role!r} on this server; nothing was changed",
            f"choose another name, or give that role coach's rights with: GRANT {group} TO {role}",
        )
    for needed in GROUPS:
        if not team.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (needed,)).fetchone():
            raise DatabaseError(
                f"{team.name}: the server has no role {needed}; nothing was changed",
                f"set the database up first: coach db init {team.name}",
            )


def add_person(
    conn: sqlite3.Connection, name: str, *, trainer: bool = False, password: str | None = None
) -> str:
    """Create a LOGIN role ``name`` in ``coach_trainer`` (``trainer``) or ``coach_member``, with
    ``password`` when given (sent to the server already hashed, never as clear text); returns the name.
    The caller must be allowed to create roles (the database's owner with CREATEROLE, or a superuser).
    A refused name, an existing role or a missing right is a one-line ``DatabaseError``."""
    import psycopg  # deferred: only a team database loads the driver
    from psycopg import sql  # deferred: as psycopg

    team = _team(conn, "add a person")
    role = check_name(name)
    group = TRAINER if trainer else MEMBER
    if password is not None and (not password or "\x00" in password):
        raise DatabaseError(f"{role}: a password must be non-empty text", "or add the person without one")
    try:
        _check_free(team, role, group)
        secret: sql.Composable = sql.SQL("NULL")
        if password is not None:
            hashed = team.raw.pgconn.encrypt_password(password.encode(), role.encode())
            secret = sql.Literal(hashed.decode("ascii"))
        statement = sql.SQL("CREATE ROLE {} LOGIN INHERIT PASSWORD {} IN ROLE {}").format(
            sql.Identifier(role), secret, sql.Identifier(group)
        )
        team.execute(statement.as_string(team.raw))
        # The groups are the server's; connecting is per database: this team's database only.
        database = team.execute("SELECT current_database()").fetchone()[0]
        grant = sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(role)
        )
        team.execute(grant.as_string(team.raw))
    except (sqlite3.Error, psycopg.Error) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DatabaseError(
            f"{team.name}: could not add {role} ({reason}); nothing was changed",
            "people are added by the role that set up the database, or another role allowed to create roles",
        ) from None
    return role


_ROLE_OF = f"""
SELECT
    r.rolsuper OR COALESCE(pg_has_role(current_user, c.relowner, 'USAGE'), false),
    EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = '{TRAINER}' AND pg_has_role(current_user, g.oid, 'USAGE')),
    EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = '{MEMBER}' AND pg_has_role(current_user, g.oid, 'USAGE'))
FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('coach_schema')
WHERE r.rolname = current_user
"""


def role_of(conn: sqlite3.Connection) -> Role | None:
    """What the connected person is: ``"owner"`` (a superuser, or the role that owns coach's tables: not
    limited; an SQLite file's one user too), ``"trainer"``, ``"member"``, or None (a role with no coach
    rights)."""
    if not isinstance(conn, pg.Connection):
        return "owner"
    try:
        row = conn.execute(_ROLE_OF).fetchone()
    except sqlite3.Error as exc:
        raise DatabaseError(f"{conn.name}: cannot read who you are ({exc})") from None
    if row is None:
        return None
    owner, trainer, member = (bool(v) for v in row)
    if owner:
        return "owner"
    if trainer:
        return "trainer"
    if member:
        return "member"
    return None
