"""The queries behind the concession review (``coach log review``) over a long log.

``coach.review.concessions.review`` works on rows; reading 100,000 entries in full into Python first
costs most of the time. Here the database counts (how many entries, withdrawn, without a size, with a
return, after the deal, per buyer tactic) and picks the few entries a list shows (the most recent ones),
and Python reads only what has to be added up in time order: a narrow row (``Brief``) of each entry with
a size or a return. The sums stay in Python, in time order as the review adds them: SQLite's ``sum()``
adds in an order of its own and newer versions compensate rounding, so the totals would not match to the
last bit. Every query reads the same snapshot (``snapshot``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from coach.store.concession_rows import FIELDS, SQL_COLUMNS, Concession, Filter, filter_clauses, paused_gc
from coach.store.db import DatabaseError, database_name

CURRENT = "id NOT IN (SELECT supersedes FROM concessions WHERE supersedes IS NOT NULL)"
"""Entries no later entry replaced (what ``select`` returns unless ``history``)."""
COUNTED = "status != 'withdrawn'"
"""Entries the figures count (withdrawn ones are only counted apart)."""


class Brief(NamedTuple):
    """What the review reads of an entry, and no more (a tuple sorts by time, then id)."""

    when: str
    id: int
    account: str
    meeting: str | None
    value: float | None
    unit: str | None
    get: int | None
    """1 when something came back, else None (the words themselves are not read)."""
    get_value: float | None
    get_unit: str | None
    tactic: str | None
    stage: str
    status: str


_brief = partial(tuple.__new__, Brief)
"""A ``Brief`` from a row (as ``Brief._make`` does, without a Python call per row)."""

_BRIEF = (
    "occurred_at, id, account, meeting, value, unit, CASE WHEN get IS NOT NULL THEN 1 END, get_value, "
    "get_unit, tactic, stage, status"
)


@dataclass(frozen=True)
class Counts:
    """How many current entries each part of the review has."""

    entries: int
    """Counted (not withdrawn)."""
    withdrawn: int
    without_value: int
    with_return: int
    after_deal: int
    tactics: list[tuple[str, int]]
    """(tactic, entries made under it), most used first, then by id."""


class Scope:
    """The WHERE clause and parameters of the current entries a filter picks (``flt.history`` ignored)."""

    def __init__(self, conn: sqlite3.Connection, flt: Filter) -> None:
        clauses, self.params = filter_clauses(conn, flt)
        self.where = " AND ".join([*clauses, CURRENT])


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
    """A cursor returning plain tuples, all of whose reads see one snapshot of the database; a damaged
    page found meanwhile is a ``DatabaseError`` (reading changed nothing)."""
    cur = conn.cursor()
    cur.row_factory = None
    own = not conn.in_transaction
    try:
        if own:
            cur.execute("BEGIN")
        try:
            with paused_gc():
                yield cur
        finally:
            if own:
                cur.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{database_name(conn)}: the database is damaged ({exc}); it was left untouched",
            "restore a backup or choose another file with --db",
        ) from None


def counts(cur: sqlite3.Cursor, scope: Scope) -> Counts:
    """The review's counts, in two scans of the log and no sort."""
    tactics = [
        t
        for (t,) in cur.execute(
            f"SELECT DISTINCT tactic FROM concessions WHERE {scope.where} AND {COUNTED} AND tactic != ''",
            scope.params,
        )
    ]
    per_tactic = "".join(f", count(*) FILTER (WHERE {COUNTED} AND tactic = ?)" for _ in tactics)
    found = cur.execute(
        f"SELECT count(*) FILTER (WHERE {COUNTED}), count(*) FILTER (WHERE status = 'withdrawn'), "
        f"count(*) FILTER (WHERE {COUNTED} AND value IS NULL), "
        f"count(*) FILTER (WHERE {COUNTED} AND get IS NOT NULL), "
        f"count(*) FILTER (WHERE {COUNTED} AND stage = 'after-deal'){per_tactic} "
        f"FROM concessions WHERE {scope.where}",
        [*tactics, *scope.params],
    ).fetchone()
    by_tactic = sorted(zip(tactics, found[5:], strict=True), key=lambda tn: (-tn[1], tn[0]))
    entries, withdrawn, without_value, with_return, after_deal = found[:5]
    return Counts(entries, withdrawn, without_value, with_return, after_deal, by_tactic)


def sized(cur: sqlite3.Cursor, scope: Scope, *, every_entry: bool = False) -> list[Brief]:
    """Counted entries with a size or a return (``every_entry``: every current entry, withdrawn ones
    too), narrow and in time order (by when, then id)."""
    wanted = (
        ""
        if every_entry
        else f" AND {COUNTED} AND ((value IS NOT NULL AND unit IS NOT NULL) "
        "OR (get IS NOT NULL AND get_value IS NOT NULL AND get_unit IS NOT NULL))"
    )
    # In the order of the review index (schema 10), which holds every column read: a scan of the index
    # alone, no sort in the database; sorting rows that come in order is one pass.
    query = f"SELECT {_BRIEF} FROM concessions WHERE {scope.where}{wanted} ORDER BY occurred_at, id"
    rows = list(map(_brief, cur.execute(query, scope.params)))
    rows.sort()  # (when, id) decide: ids are unique
    return rows


PARTS = {
    "nothing": f"{COUNTED} AND get IS NULL",
    "after-deal": f"{COUNTED} AND stage = 'after-deal'",
    "tactic": f"{COUNTED} AND tactic = ?",
}
"""The lists of the review: nothing in return, after the deal, made under a tactic (its id the parameter)."""


def recent(
    cur: sqlite3.Cursor, scope: Scope, part: str, n: int, *, of: int, tactic: str | None = None
) -> list[Concession]:
    """The ``n`` most recent entries of one list (``of`` entries in it), in full and in time order. Their
    ids come from the review index, read backwards until ``n`` are found (the index holds every column
    the lists are told apart by, so no row is read to find them); then only those rows are read."""
    if n <= 0 or of <= 0:
        return []
    make = Concession._make
    at = FIELDS.index("practice")
    picked = (
        f"SELECT id FROM concessions WHERE {scope.where} AND {PARTS[part]} "
        "ORDER BY occurred_at DESC, id DESC LIMIT ?"
    )
    rows = cur.execute(
        f"SELECT {SQL_COLUMNS} FROM concessions WHERE id IN ({picked}) ORDER BY occurred_at DESC, id DESC",
        [*scope.params, *([tactic] if part == "tactic" else []), n],
    ).fetchall()
    return [make((*r[:at], bool(r[at]), *r[at + 1 :], None)) for r in reversed(rows)]
