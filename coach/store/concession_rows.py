"""The concession log's stored rows and the queries that read them: the row type, the filter, and the
reads of ``coach log list`` and ``coach log review`` (``concession_review`` for the review's figures).

No pydantic: listing and reviewing never validate an entry, so they do not pay for importing it and
building the entry model (``coach.store.concessions`` holds the model and the writes, and names all of
these too). A row is current unless a later entry's ``supersedes`` names it.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import Any, NamedTuple

from coach.store.db import DatabaseError, database_name
from coach.store.names import name_clause

FIELDS = (
    "id",
    "uid",
    "recorded_at",
    "when",
    "account",
    "meeting",
    "type",
    "give",
    "value",
    "unit",
    "get",
    "get_value",
    "get_unit",
    "asked_by",
    "tactic",
    "stage",
    "status",
    "practice",
    "supersedes",
    "note",
)
"""Every stored field, in column order (the CSV/JSON export shape)."""

SQL_COLUMNS = ", ".join("occurred_at" if f == "when" else f for f in FIELDS)
"""The columns of ``FIELDS``, in order (``when`` is stored as ``occurred_at``)."""

ENTRY_FIELDS = FIELDS[3:]
"""The fields a user enters (the entry model's fields): every stored field but the id, uid and time."""


class Concession(NamedTuple):
    """A stored entry (one row); ``superseded_by`` is the id of the entry that replaced it, if any.

    A named tuple rather than a model: reviews read 100,000 of these and tuples build fastest.
    """

    id: int
    uid: str
    recorded_at: str
    when: str
    account: str
    meeting: str | None
    type: str
    give: str
    value: float | None
    unit: str | None
    get: str | None
    get_value: float | None
    get_unit: str | None
    asked_by: str | None
    tactic: str | None
    stage: str
    status: str
    practice: bool
    supersedes: int | None
    note: str | None
    superseded_by: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """Every field, JSON-ready."""
        return self._asdict()

    def fields(self) -> dict[str, Any]:
        """The user-entered fields, for building a correction from this entry."""
        return {k: getattr(self, k) for k in ENTRY_FIELDS}


@dataclass(frozen=True)
class Filter:
    """Which entries a query returns; ``practice``: False real (default), True practice only, None all."""

    account: str | None = None
    meeting: str | None = None
    since: str | None = None
    until: str | None = None
    practice: bool | None = False
    history: bool = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or analysing many rows.

    Creating 100,000 row tuples wakes the collector again and again over a growing heap, which more
    than doubles the time of a read or a review. Rows and review results hold no reference cycles,
    so nothing is lost by collecting afterwards instead.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def filter_clauses(conn: sqlite3.Connection, flt: Filter) -> tuple[list[str], list[Any]]:
    """The SQL conditions (joined with AND) and their parameters that pick the entries ``flt`` asks for,
    leaving out only replaced entries (``flt.history`` is the caller's to apply)."""
    clauses: list[str] = []
    params: list[Any] = []
    if flt.practice is not None:
        clauses.append("practice = ?")
        params.append(int(flt.practice))
    if flt.account:  # every spelling of the account: case, spacing, Traditional or Simplified
        clause, names = name_clause(conn, "concessions", flt.account)
        clauses.append(clause)
        params += names
    if flt.meeting:
        clauses.append("meeting = ? COLLATE NOCASE")
        params.append(" ".join(flt.meeting.split()))
    if flt.since:
        clauses.append("occurred_at >= ?")
        params.append(flt.since)
    if flt.until:
        clauses.append("occurred_at < ?")  # ``until`` is a date: everything on that day is < the next day
        params.append(_day_after(flt.until))
    return clauses, params


def _where(conn: sqlite3.Connection, flt: Filter) -> tuple[str, list[Any]]:
    clauses, params = filter_clauses(conn, flt)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _day_after(day: str) -> str:
    return (date.fromisoformat(day[:10]) + timedelta(days=1)).isoformat()


_SELECT = f"SELECT {SQL_COLUMNS} FROM concessions"
_PRACTICE_AT = FIELDS.index("practice")


def _rows(conn: sqlite3.Connection, where: str, params: Sequence[Any], *, history: bool) -> list[Concession]:
    """Rows in id order, each with ``superseded_by``; replaced ones left out unless ``history``.

    Which entries were replaced comes from a second, tiny query on the ``supersedes`` index rather
    than a join, which costs a b-tree search per row; both run in one read transaction (one snapshot).
    """
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples: several times faster than sqlite3.Row over 100,000 rows
    make = Concession._make
    at = _PRACTICE_AT
    own = not conn.in_transaction
    try:
        if own:
            cur.execute("BEGIN")
        try:
            replaced = dict(
                cur.execute("SELECT supersedes, id FROM concessions WHERE supersedes IS NOT NULL")
            )
            with paused_gc():
                rows = cur.execute(f"{_SELECT}{where} ORDER BY id", params)
                if history:
                    return [make((*r[:at], bool(r[at]), *r[at + 1 :], replaced.get(r[0]))) for r in rows]
                return [
                    make((*r[:at], bool(r[at]), *r[at + 1 :], None)) for r in rows if r[0] not in replaced
                ]
        finally:
            if own:
                cur.execute("COMMIT")
    except sqlite3.DatabaseError as exc:  # a damaged page found while reading; reading changed nothing
        raise DatabaseError(
            f"{database_name(conn)}: the database is damaged ({exc}); it was left untouched",
            "restore a backup or choose another file with --db",
        ) from None


_BY_WHEN = attrgetter("when")


def select(conn: sqlite3.Connection, flt: Filter = Filter()) -> list[Concession]:
    """Entries matching the filter, oldest first (by when, then id); current versions unless ``history``."""
    where, params = _where(conn, flt)
    rows = _rows(conn, where, params, history=flt.history)
    rows.sort(key=_BY_WHEN)  # stable: rows at the same time stay in id order
    return rows


def get(conn: sqlite3.Connection, entry_id: int) -> Concession | None:
    """One entry by id (any version, with ``superseded_by``), or None."""
    found = _rows(conn, " WHERE id = ?", (entry_id,), history=True)
    return found[0] if found else None
