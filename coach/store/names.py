"""Account names as the store matches them: one key per account however its name is written (case,
spacing, Traditional or Simplified Chinese), and the SQL that finds every spelling of a name in a table.

Light on purpose: the concession log, the meeting plans and the account store all match names with it,
and listing concessions should not import the account store and its models.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_HAS_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc  # deferred: most names are Latin, and the library's data loads in a few ms

    return opencc.OpenCC("t2s").convert  # characters, not regional wording: a name is not translated


@lru_cache(maxsize=4096)
def account_key(name: str) -> str:
    """The key an account name is matched by: NFKC, Traditional Chinese as Simplified (OpenCC t2s: 聯華 and
    联华 are one account), casefold, runs of whitespace collapsed to one space."""
    text = unicodedata.normalize("NFKC", name)
    if _HAS_CJK.search(text):
        text = _t2s()(text)
    return " ".join(text.casefold().split())


def spellings(conn: sqlite3.Connection, table: str, name: str, column: str = "account") -> list[str]:
    """The ways ``name`` is spelled in ``table.column`` that are the same account (same ``account_key``:
    联华, 聯華 and "LIANHUA " for Lianhua...), for a lookup by name outside the accounts store. ``table`` and
    ``column`` are the caller's constants, never user text."""
    key = account_key(name)
    found = conn.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL").fetchall()
    return sorted(str(v) for (v,) in found if account_key(str(v)) == key)


def name_clause(
    conn: sqlite3.Connection, table: str, name: str, column: str = "account", *, alias: str = ""
) -> tuple[str, list[str]]:
    """A WHERE clause (and its parameters) matching every spelling of ``name`` in ``table.column``
    (``alias``: the table's alias in the query), or one that matches nothing when there is none."""
    names = spellings(conn, table, name, column)
    if not names:
        return "1 = 0", []
    return f"{alias + '.' if alias else ''}{column} IN ({', '.join('?' * len(names))})", names
