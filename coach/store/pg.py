"""A team database on PostgreSQL, used through the same calls as the SQLite file.

The store's SQL is written once, in the portable subset both engines run (``?`` parameters, ``COLLATE
NOCASE`` through a case-insensitive collation of that name, ``RETURNING id``, ``ON CONFLICT``, ``count(*)
FILTER``). :class:`Connection` gives a psycopg 3 connection the face of ``sqlite3.Connection`` that the
store uses (``execute``, ``executemany``, ``cursor``, ``in_transaction``, ``BEGIN``/``COMMIT``/``ROLLBACK``),
turns ``?`` into the driver's ``%s`` and reports failures as the DB-API classes the store already
handles (``sqlite3.IntegrityError`` for a refused row, ``sqlite3.OperationalError`` for a lost server,
``sqlite3.DatabaseError`` for the rest), so no record module knows which engine it writes to.

A write transaction takes one advisory lock, as ``BEGIN IMMEDIATE`` takes SQLite's write lock: writers
queue, and the read-then-insert of a new version number can never race.

psycopg is imported only when a ``postgresql://`` address is used: a single user's SQLite file never
pays for it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from coach.locations import db_secrets, shown_db
from coach.store.errors import DatabaseError

SCHEMES = ("postgresql://", "postgres://")
WRITE_LOCK = 0x636F6163  # "coac": the one advisory lock every write transaction takes
CONNECT_TIMEOUT_S = 10


def is_url(target: object) -> bool:
    """True when ``target`` names a PostgreSQL database (``postgresql://user@host/dbname``)."""
    return isinstance(target, str) and target.strip().lower().startswith(SCHEMES)


def describe(url: str) -> str:
    """The address as written, with its password (if any) as ``***``: for messages and hints."""
    return shown_db(url.strip())


def scrub(text: str, url: str) -> str:
    """``text`` (a driver's message) with the address's password taken out."""
    for secret in sorted(db_secrets(url), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


@lru_cache(maxsize=512)
def to_driver(sql: str) -> str:
    """The statement with each ``?`` parameter (outside quotes and comments) as ``%s`` and every ``%``
    doubled, as psycopg reads a statement that has parameters."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":  # a literal or quoted name: copied, with its % doubled
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:  # '' inside a literal
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i : j + 1].replace("%", "%%"))
            i = j + 1
        elif ch == "-" and sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j].replace("%", "%%"))
            i = j
        elif ch == "?":
            out.append("%s")
            i += 1
        elif ch == "%":
            out.append("%%")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _params(params: Sequence[Any] | None) -> tuple[Any, ...] | None:
    """Parameters as the columns hold them: a flag is 0 or 1 (the schema's integer flags)."""
    if not params:
        return None
    return tuple(int(p) if isinstance(p, bool) else p for p in params)


class Row(Sequence[Any]):
    """One result row read by position or by column name, like ``sqlite3.Row``."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: tuple[Any, ...]) -> None:
        self._names = names
        self._values = values

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            try:
                return self._values[self._names[key]]
            except KeyError:
                raise IndexError(f"no such column: {key}") from None
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return self._values == other._values and list(self._names) == list(other._names)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._names)


_BEGIN_IMMEDIATE = re.compile(r"^\s*BEGIN\s+IMMEDIATE\s*;?\s*$", re.IGNORECASE)
_BEGIN = re.compile(r"^\s*BEGIN\s*;?\s*$", re.IGNORECASE)
SNAPSHOT = "BEGIN ISOLATION LEVEL REPEATABLE READ"
"""What a plain ``BEGIN`` means here: as in SQLite, every read until COMMIT sees one snapshot."""
WRITE = "BEGIN ISOLATION LEVEL READ COMMITTED"
"""A write transaction: each statement after the write lock sees what the writer before committed."""


def _translate_error(exc: Exception, where: str = "the team database") -> Exception:
    """The DB-API class the store handles for a psycopg failure, with the server's own message; a lost
    connection is a ``DatabaseError`` of its own (nothing to roll back, nothing the store can retry)."""
    import psycopg  # deferred: only a PostgreSQL connection reaches here

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    state = getattr(exc, "sqlstate", None) or ""
    if isinstance(exc, psycopg.OperationalError) and (
        state.startswith("08") or state in ("57P01", "57P02", "57P03") or "connection is closed" in text
    ):
        return DatabaseError(
            f"{where}: the connection to the server was lost ({text}); what was not yet saved was not saved",
            "check that the server is running, then try again",
        )
    if isinstance(exc, psycopg.IntegrityError):
        return sqlite3.IntegrityError(text)
    if isinstance(exc, psycopg.OperationalError):
        return sqlite3.OperationalError(text)
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return sqlite3.OperationalError(f"not allowed: {text}")
    return sqlite3.DatabaseError(text)


class Cursor:
    """A cursor with the part of ``sqlite3.Cursor``'s face the store uses."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        try:
            self._cur = conn.raw.cursor()
        except Exception as exc:  # noqa: BLE001 - a closed connection, said in the store's terms
            raise _translate_error(exc, conn.name) from None
        self.row_factory: Any = conn.row_factory

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        """Run one statement (``?`` parameters)."""
        self._conn.run(self._cur, sql, params)
        return self

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Cursor:
        """Run one statement for each set of parameters."""
        for params in seq:
            self._conn.run(self._cur, sql, params)
        return self

    def _wrap(self, values: tuple[Any, ...]) -> Any:
        if self.row_factory is None:
            return values
        names = {d.name: i for i, d in enumerate(self._cur.description or ())}
        return Row(names, values)

    def fetchone(self) -> Any:
        """The next row, or None."""
        try:
            values = self._cur.fetchone() if self._cur.description else None
        except Exception as exc:  # noqa: BLE001 - every driver failure is said in the store's terms
            raise _translate_error(exc, self._conn.name) from None
        return None if values is None else self._wrap(values)

    def fetchall(self) -> list[Any]:
        """Every remaining row."""
        if not self._cur.description:
            return []
        try:
            rows = self._cur.fetchall()
        except Exception as exc:  # noqa: BLE001
            raise _translate_error(exc, self._conn.name) from None
        if self.row_factory is None:
            return list(rows)
        names = {d.name: i for i, d in enumerate(self._cur.description)}
        return [Row(names, r) for r in rows]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement."""
        return int(self._cur.rowcount)

    @property
    def description(self) -> Any:
        """Column descriptions of the last result."""
        return self._cur.description

    def close(self) -> None:
        """Release the cursor."""
        self._cur.close()


class Connection:
    """A psycopg 3 connection (in autocommit mode, transactions said in SQL) with the face of
    ``sqlite3.Connection`` that the store uses."""

    engine = "postgresql"

    def __init__(self, raw: Any, url: str) -> None:
        self.raw = raw
        self.url = url
        self.row_factory: Any = sqlite3.Row  # anything not None: rows by name and position

    @property
    def name(self) -> str:
        """``postgresql://user@host/dbname``, for messages."""
        return describe(self.url)

    @property
    def in_transaction(self) -> bool:
        """True inside BEGIN ... COMMIT/ROLLBACK."""
        from psycopg.pq import TransactionStatus  # deferred: psycopg is loaded by now

        # UNKNOWN (a lost connection) is no transaction: there is nothing left to roll back.
        status = self.raw.info.transaction_status
        return status in (TransactionStatus.INTRANS, TransactionStatus.INERROR, TransactionStatus.ACTIVE)

    def run(self, cur: Any, sql: str, params: Sequence[Any] | None) -> None:
        """Run one statement on ``cur``: ``BEGIN IMMEDIATE`` takes the write lock; failures are said
        as the store's DB-API classes."""
        try:
            if _BEGIN_IMMEDIATE.match(sql):  # the write lock, waited for without a limit
                cur.execute(WRITE)
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                return
            if _BEGIN.match(sql):
                cur.execute(SNAPSHOT)
                return
            values = _params(params)
            if values is None:  # sent as written: no parameter to place, no % to double
                cur.execute(sql)
            else:
                cur.execute(to_driver(sql), values)
        except Exception as exc:  # noqa: BLE001 - every driver failure is said in the store's terms
            raise _translate_error(exc, self.name) from None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        """Run one statement and return its cursor."""
        return Cursor(self).execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Cursor:
        """Run one statement for each set of parameters."""
        return Cursor(self).executemany(sql, seq)

    def cursor(self) -> Cursor:
        """A new cursor."""
        return Cursor(self)

    def close(self) -> None:
        """Roll back anything unfinished and close."""
        try:
            self.raw.close()
        except Exception:  # noqa: BLE001, S110 - closing a broken connection has nothing left to say
            pass


def _raw_connect(url: str) -> Any:
    """A psycopg connection in autocommit mode, or a one-line ``DatabaseError`` saying what to check."""
    try:
        import psycopg  # deferred: only a team database loads the driver
    except ImportError:  # pragma: no cover - psycopg is a dependency of coach
        raise DatabaseError(
            f"{describe(url)}: PostgreSQL support is not installed", "pip install 'psycopg[binary]'"
        ) from None
    try:
        return psycopg.connect(url.strip(), autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as exc:
        reason = scrub(" ".join(str(exc).split()) or type(exc).__name__, url)
        hint = "check that the server is running, and the user, host and database in --db or COACH_DB"
        if "permission denied for database" in reason:
            hint = "ask the team database's administrator to add you: coach db add-person NAME"
        raise DatabaseError(
            f"{describe(url)}: cannot connect ({reason[:300]}); nothing was changed", hint
        ) from None
    except (ValueError, TypeError) as exc:  # a malformed address
        raise DatabaseError(
            f"{describe(url)}: not a usable database address ({scrub(str(exc), url)})",
            "write it as postgresql://USER@HOST/DATABASE",
        ) from None


def schema_version(conn: Connection) -> int | None:
    """The schema version recorded in the database, or None when coach's tables are not there."""
    row = conn.execute("SELECT to_regclass('coach_schema') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    found = conn.execute("SELECT max(version) FROM coach_schema").fetchone()
    return int(found[0]) if found and found[0] is not None else None


def _newer(where: str, version: int, latest: int) -> DatabaseError:
    return DatabaseError(
        f"{where}: the database was set up by a newer coach (schema {version}, this one knows {latest}); "
        "it was left untouched",
        "upgrade coach",
    )


def connect(url: str, latest: int) -> Connection:
    """Open the team database at ``url``; its schema must be at ``latest`` (``coach db init`` sets it up)."""
    conn = Connection(_raw_connect(url), url)
    try:
        version = schema_version(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise DatabaseError(f"{conn.name}: cannot read the database ({exc}); nothing was changed") from None
    if version is None:
        conn.close()
        raise DatabaseError(
            f"{describe(url)}: has no coach tables yet; nothing was changed",
            f"set it up once with: coach db init {describe(url)}",
        )
    if version > latest:
        conn.close()
        raise _newer(describe(url), version, latest)
    if version < latest:  # pragma: no cover - no PostgreSQL schema step after the first yet
        conn.close()
        raise DatabaseError(
            f"{describe(url)}: the database is at schema {version}, this coach needs {latest}",
            f"upgrade it with: coach db init {describe(url)}",
        )
    return conn


def init(url: str, latest: int) -> tuple[Connection, bool]:
    """Create coach's tables in the database at ``url`` if they are not there (all or nothing, under the
    write lock, so two set-ups at once make one), with the team's roles and rights (``coach.store.pg_roles``:
    the groups are made if the server lacks them, each table's row-level security with the tables).
    Returns the connection and whether it created them."""
    from coach.store import pg_roles  # deferred: only set-up makes roles and rights
    from coach.store.schema_pg import SCHEMA_SQL  # deferred: only set-up needs the DDL

    conn = Connection(_raw_connect(url), url)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(conn)
            created = version is None
            if created:
                pg_roles.ensure_roles(conn)
                conn.execute(SCHEMA_SQL)
                conn.execute("CREATE TABLE coach_schema (version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
                conn.execute(
                    "INSERT INTO coach_schema (version, applied_at) VALUES (?, to_char(now() AT TIME ZONE "
                    "'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
                    (latest,),
                )
                pg_roles.secure(conn)
            elif version is not None and version > latest:
                raise _newer(conn.name, version, latest)
            else:  # set up already; the groups are the server's: made again if it lost them
                pg_roles.ensure_roles(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        conn.close()
        raise DatabaseError(
            f"{conn.name}: could not set up the database ({exc}); nothing was changed"
        ) from None
    except BaseException:
        conn.close()
        raise
    return conn, created


def begin_write(conn: Connection, timeout_s: float, first_ms: int, notice: Any) -> None:
    """Begin a write transaction holding the write lock, as SQLite's ``begin_immediate`` does: waited for
    silently up to ``first_ms``; then ``notice`` is told once (when given) and the lock is waited for up
    to ``timeout_s`` in all. A timeout is ``sqlite3.OperationalError`` ("busy"), as SQLite says it."""
    conn.execute(WRITE)
    try:
        if conn.execute("SELECT pg_try_advisory_xact_lock(?)", (WRITE_LOCK,)).fetchone()[0]:
            return
        # A lock wait that times out aborts the transaction: the first, silent wait runs in a savepoint.
        conn.execute("SAVEPOINT coach_first_wait")
        conn.execute(f"SET LOCAL lock_timeout = {max(1, int(first_ms))}")
        try:
            conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
        except sqlite3.OperationalError:
            conn.execute("ROLLBACK TO SAVEPOINT coach_first_wait")
        else:
            conn.execute("RELEASE SAVEPOINT coach_first_wait")
            conn.execute("SET LOCAL lock_timeout = 0")
            return
        if notice is not None:
            notice(
                f"waiting for another coach to finish writing to {conn.name} (up to {int(timeout_s)} s)..."
            )
        conn.execute(f"SET LOCAL lock_timeout = {max(1, int(timeout_s * 1000) - int(first_ms))}")
        try:
            conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
        except sqlite3.OperationalError as exc:
            raise sqlite3.OperationalError(f"database is busy: {exc}") from None
        conn.execute("SET LOCAL lock_timeout = 0")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
