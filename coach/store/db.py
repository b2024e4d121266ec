"""Open the user's SQLite database: create it owner-only, WAL, busy timeout, migrate on open.

Migrations are an ordered list; ``PRAGMA user_version`` holds the number applied. Each runs in its
own ``BEGIN IMMEDIATE`` transaction, so two processes opening an old database at once migrate it
once. Before migrating a database that already holds data, a backup copy is written beside it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from coach import locations
from coach.errors import CoachError, one_line
from coach.files import sync_folder
from coach.store import pg
from coach.store.errors import DatabaseError as DatabaseError  # the store's one error class
from coach.store.schema import MIGRATIONS as MIGRATIONS  # every schema step in order
from coach.store.schema import Migration as Migration

BUSY_TIMEOUT_S = 30.0
SQLITE_HEADER = b"SQLite format 3\x00"


def _check_existing(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot read the database ({exc.strerror or exc})") from None
    if head and head != SQLITE_HEADER:
        raise DatabaseError(
            f"{path}: not a coach database (not an SQLite file); it was left untouched",
            "move it away or choose another file with --db or COACH_DB",
        )


def _create(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot create the database ({exc.strerror or exc})") from None


def check_path(path: Path | str) -> None:
    """Refuse a database path that can never work (``DatabaseError``): a folder, or a file that is not an
    SQLite database. The file is only read; a path where nothing is yet passes (the database is made there).
    A PostgreSQL address is checked when it is opened."""
    if pg.is_url(path):
        return
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(
            f"{path}: is a folder, not a database file", "give a file path to --db or COACH_DB"
        )
    if path.is_file():
        _check_existing(path)


def connect(target: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the SQLite database at ``target``, or open the team database
    a ``postgresql://`` address names (set up by ``coach db init``); errors are ``DatabaseError``.

    A PostgreSQL connection has the part of ``sqlite3.Connection``'s face the store uses
    (``coach.store.pg.Connection``); it is typed as one so no record module tells the engines apart."""
    if isinstance(target, str) and pg.is_url(target):
        return cast(sqlite3.Connection, pg.connect(target, latest_version()))
    path = Path(target)
    if path.exists():
        # A FIFO would block the first read, a device is no file (a folder is check_path's to refuse).
        if not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
            raise DatabaseError(
                f"{path}: is not a regular file (a device, pipe or socket); it was left untouched",
                "give a file path to --db or COACH_DB",
            )
        check_path(path)
        if path.stat().st_size == 0:  # an empty file is ours to set up: owner-only like a new one
            try:
                os.chmod(path, 0o600)
            except OSError as exc:
                reason = exc.strerror or exc
                raise DatabaseError(f"{path}: cannot make the database owner-only ({reason})") from None
    else:
        _create(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: cannot open the database ({exc})") from None
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _check_before_changing(conn, path)
        mode = _switch_to_wal(conn)
        if mode.lower() != "wal":  # pragma: no cover - only on file systems without shared memory
            conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, path)
    except sqlite3.OperationalError as exc:  # the file may be fine: say what really stopped it
        conn.close()
        raise _operational(path, exc) from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(
            f"{path}: the database is damaged or not a coach database ({exc}); it was left untouched",
            "restore a backup or choose another file with --db",
        ) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _operational(path: Path, exc: sqlite3.OperationalError) -> DatabaseError:
    """A failure of the place, not of the file (read-only folder, full disk, a lock): one accurate line."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DatabaseError(
            f"{path}: cannot write to the database or beside it (read-only file or folder?) ({exc}); "
            "it was left untouched",
            "coach writes small journal files next to the database, even to read it: use a writable "
            "folder, or copy the file there and pass it with --db",
        )
    if "disk is full" in text or "no space" in text:
        return DatabaseError(
            f"{path}: the disk is full ({exc}); nothing was changed", "free some disk space and try again"
        )
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"{path}: the database is busy: another coach kept it locked ({exc}); nothing was changed",
            "try again when the other coach has finished",
        )
    return DatabaseError(f"{path}: cannot use the database ({exc}); it was left untouched")


def _wait_notice(message: str) -> None:
    print(f"coach: {message}", file=sys.stderr, flush=True)


WAIT_NOTICE: Callable[[str], None] | None = _wait_notice
"""Told once when a write has to wait for another coach's lock (None: say nothing)."""
FIRST_TRY_MS = 300
"""How long a write waits silently for a lock before it says that it is waiting."""


def begin_immediate(conn: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE`` (take the write lock now); if another coach holds it, say so once, then wait
    for the rest of the connection's busy timeout instead of sitting silent for up to 30 s. On PostgreSQL
    the same: one advisory lock (``coach.store.pg``), waited for up to the same time."""
    if isinstance(conn, pg.Connection):
        pg.begin_write(conn, BUSY_TIMEOUT_S, FIRST_TRY_MS, WAIT_NOTICE)
        return
    timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    first = min(FIRST_TRY_MS, timeout)
    conn.execute(f"PRAGMA busy_timeout = {first}")
    try:
        conn.execute("BEGIN IMMEDIATE")
        return
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {timeout}")
    if WAIT_NOTICE is not None:
        WAIT_NOTICE(
            f"waiting for another coach to finish writing to {database_name(conn)} "
            f"(up to {max(0, timeout - first) // 1000} s)..."
        )
    conn.execute(f"PRAGMA busy_timeout = {max(0, timeout - first)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {timeout}")


def _switch_to_wal(conn: sqlite3.Connection) -> str:
    """Set WAL mode, retrying while another process is creating the same new file.

    On a brand-new file both processes are still in rollback-journal mode; when both try to take the
    write lock for the switch, SQLite breaks the deadlock by failing one at once with "database is
    locked" (no busy wait). The loser only has to try again: the winner's switch is then visible.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _check_before_changing(conn: sqlite3.Connection, path: Path) -> None:
    """Before the first write to an existing file (switch to WAL, migrate), make sure it is intact.

    A damaged page can pass the header check and the schema read; writing to such a file would
    change it, so it is checked once, only when something is about to change.
    """
    if path.stat().st_size == 0:
        return
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > latest_version():
        raise _newer(path, version, latest_version())
    if mode.lower() == "wal" and version == latest_version():
        return
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise sqlite3.DatabaseError(f"integrity check failed: {' '.join(str(result).split())[:160]}")


def _newer(path: Path, current: int, latest: int) -> DatabaseError:
    return DatabaseError(
        f"{path}: the database was written by a newer coach (schema {current}, this one knows {latest}); "
        "it was left untouched",
        "upgrade coach",
    )


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version the open database is at (0: coach's tables are not there)."""
    if isinstance(conn, pg.Connection):
        return pg.schema_version(conn) or 0
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def latest_version() -> int:
    """The schema version this code writes."""
    return MIGRATIONS[-1].version if MIGRATIONS else 0


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    latest = latest_version()
    if current > latest:
        raise _newer(path, current, latest)
    if current == latest:
        return
    has_data = current > 0
    if has_data:
        write_backup(conn, path, current)
    for migration in MIGRATIONS:
        if migration.version <= current:
            continue
        begin_immediate(conn)
        try:
            now = conn.execute("PRAGMA user_version").fetchone()[0]
            if now >= migration.version:  # another process migrated meanwhile
                conn.execute("COMMIT")
                continue
            if migration.sql:
                for statement in _statements(migration.sql):
                    conn.execute(statement)
            if migration.apply:
                migration.apply(conn)
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of a version-``version`` database is kept before it is migrated."""
    return path.with_name(f"{path.name}.bak-v{version}")


def _is_complete_backup(backup: Path, version: int) -> bool:
    """True when ``backup`` is an intact SQLite copy at ``version`` (a partial one is not)."""
    try:
        probe = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError, ValueError):
        return False
    try:
        ok = probe.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        return ok and probe.execute("PRAGMA user_version").fetchone()[0] == version
    except sqlite3.Error:
        return False
    finally:
        probe.close()


def write_backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database beside itself before a migration: whole or not at all, owner-only from the start.

    The copy is written under a temporary name (created 0600), flushed to disk, then renamed, so a kill
    never leaves a partial backup under the real name. An intact backup of the same version is kept; a
    damaged or partial one (left by an older coach) is replaced. If no backup can be written, the
    migration does not go ahead: ``DatabaseError``, and the database is left as it was.
    """
    backup = backup_path(path, version)
    if backup.exists() and _is_complete_backup(backup, version):
        os.chmod(backup, 0o600)
        return backup
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{backup.name}.", suffix=".tmp", dir=backup.parent)
        os.close(fd)
        target = sqlite3.connect(tmp)
        try:
            conn.backup(target)
        finally:
            target.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, backup)
        tmp = None
        sync_folder(backup.parent)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise DatabaseError(
            f"{path}: could not write the backup {backup.name} before upgrading the database "
            f"({reason}); the database was left as it was",
            "free some disk space or check the folder's permissions, then run coach again",
        ) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return backup


def _statements(script: str) -> list[str]:
    """Split a migration script into complete statements (sqlite3.complete_statement aware)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def open_db(override: str | os.PathLike[str] | None = None) -> sqlite3.Connection:
    """Open the user's database (``--db`` > ``COACH_DB`` > data folder): a file, or a team's
    ``postgresql://`` address."""

    return connect(locations.db_path(override))


SESSION_ERRORS: tuple[type[Exception], ...] = (CoachError, sqlite3.Error, OSError)
"""What opening the database or working in it can raise; a face shows it as ``coach.errors.one_line``."""


FAILED = object()
"""What ``in_session`` returns once it has said the failure."""


def in_session(
    override: str | os.PathLike[str] | None,
    work: Callable[[sqlite3.Connection], Any],
    failed: Callable[[str], Any],
) -> Any:
    """``work(conn)`` in a ``session`` (for a worker thread): its result, or ``FAILED`` once ``failed`` was
    called with the error's one line (``coach.errors.one_line``)."""
    try:
        with session(override) as conn:
            return work(conn)
    except SESSION_ERRORS as exc:
        failed(one_line(exc))
        return FAILED


@contextmanager
def session(override: str | os.PathLike[str] | None = None) -> Iterator[sqlite3.Connection]:
    """The user's database for one piece of work, closed after it, whatever happens (``--db`` >
    ``COACH_DB`` > data folder; a screen passes the path the app resolved). The one way verbs and screens
    open it: ``with session(db_path) as conn: ...``."""
    conn = open_db(override)
    try:
        yield conn
    finally:
        conn.close()


def now_iso() -> str:
    """The current UTC time, to the second, ISO 8601 with ``Z`` (how records store their times)."""

    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def database_name(conn: sqlite3.Connection) -> str:
    """The file behind a connection, for messages ("the database" when it cannot be told); a team
    database's address without its password."""
    if isinstance(conn, pg.Connection):
        return conn.name
    try:
        return str(conn.execute("PRAGMA database_list").fetchone()[2]) or "the database"
    except sqlite3.Error:
        return "the database"


@contextmanager
def write_transaction(
    conn: sqlite3.Connection,
    what: str = "",
    hint: str | None = None,
    passthrough: tuple[type[BaseException], ...] = (),
    busy_hint: str | None = None,
) -> Iterator[None]:
    """One write transaction taken up front (concurrent writers queue on the busy timeout); all or
    nothing. A storage failure becomes one ``DatabaseError`` line saying nothing was written;
    exceptions in ``passthrough`` (e.g. an integrity error the caller explains) are re-raised as they are."""
    try:
        begin_immediate(conn)
    except sqlite3.OperationalError as exc:
        raise DatabaseError(f"the database is busy ({exc}); try again", busy_hint) from None
    try:
        yield
        conn.execute("COMMIT")
    except passthrough:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        target = f" {what}" if what else ""
        raise DatabaseError(
            f"{database_name(conn)}: could not save{target} ({exc}); nothing was written", hint
        ) from None
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
