"""Key accounts over the year: accounts, their people on both sides, who knows whom, and the annual
customer business plan with its scorecard and reviews (issue 13).

Schema version 6 holds every table of the issue. Nothing is ever changed or deleted (triggers refuse
it). Each record has a small identity row (what never changes: which account, which side) and numbered
version rows; an edit adds a version, and the current view is the latest version of each record, so a
contact who changes role keeps their history. A review is corrected the way the concession log is: a
new row whose ``supersedes`` names the row it replaces.

Account names are matched by their key (``account_key``: Unicode NFKC, Traditional Chinese folded to
Simplified through OpenCC t2s, casefold, whitespace collapsed), so "Carrefour", "carrefour " and
"CARREFOUR" are one account, and so are 聯華 and 联华. A merge of two real duplicates is a row saying key
X is now key Y; the merged account and its records stay, reads follow the merge.

Schema version 9 recomputes the keys written before the fold (see ``fold_keys``).
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from coach.domain.accounts import (
    ATTITUDES,
    CONTACT_STATUSES,
    DECISION_ROLES,
    SIDES,
    TIERS,
)
from coach.domain.suggest import did_you_mean
from coach.errors import CoachError
from coach.store.db import now_iso, write_transaction
from coach.store.names import account_key


def fold_keys(conn: sqlite3.Connection) -> None:
    """Schema 9: account keys written before ``account_key`` folded Traditional Chinese get the folded key.

    The tables stay append-only: only the ``_no_update`` triggers of ``accounts`` and ``account_merges``
    are lifted for the length of this migration's transaction (all or nothing, after the backup that every
    migration of a database with data makes) and put back exactly as they were. Two accounts whose names
    differ only in script (聯華 and 联华) become one the way ``merge`` does it: the one already under the
    folded key (else the first added) keeps it, the other keeps its own key and a merge row points it
    there, so no row is lost and both show their people and records under one name.
    """
    rows = conn.execute("SELECT id, key FROM accounts ORDER BY id").fetchall()
    groups: dict[str, list[str]] = {}
    for _, key in rows:
        groups.setdefault(account_key(key), []).append(key)
    renames: dict[str, str] = {}
    joins: list[tuple[str, str]] = []
    merges = _merges(conn)
    for folded, keys in groups.items():
        survivor = folded if folded in keys else keys[0]
        if survivor != folded:
            renames[survivor] = folded
        for key in keys:
            # A key merged already stays merged (someone decided where it goes), and one the survivor
            # already leads to needs nothing: a row back would make a loop.
            if key != survivor and key not in merges and _follow(survivor, merges) != key:
                joins.append((key, folded))
    if renames:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # keys and the merges naming them change together
        triggers = {}
        for table in ("accounts", "account_merges"):
            name = f"{table}_no_update"
            row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,))
            triggers[name] = row.fetchone()[0]
            conn.execute(f"DROP TRIGGER {name}")
        for old, new in renames.items():
            conn.execute("UPDATE accounts SET key = ? WHERE key = ?", (new, old))
            conn.execute("UPDATE account_merges SET from_key = ? WHERE from_key = ?", (new, old))
            conn.execute("UPDATE account_merges SET into_key = ? WHERE into_key = ?", (new, old))
        for sql in triggers.values():
            conn.execute(sql)
    for key, folded in joins:
        conn.execute(
            "INSERT INTO account_merges (from_key, into_key, merged_at, note) VALUES (?, ?, ?, ?)",
            (key, folded, now_iso(), "same name in Traditional and Simplified Chinese (schema 9)"),
        )


# ================================================================================= reads and writes

MAX_NAME = 200
"""Longest accepted name, role, channel (one line)."""
MAX_TEXT = 10_000
"""Longest accepted notes or plan text."""

ALIASES: dict[str, dict[str, str]] = {
    "tier": {
        "全球": "global",
        "全球性": "global",
        "国际": "international",
        "国际性": "international",
        "全国": "national",
        "全国性": "national",
        "地方": "local",
        "地方性": "local",
        "regional": "local",
        "战略": "strategic",
        "战略性": "strategic",
    },
    "side": {
        "their": "theirs",
        "customer": "theirs",
        "客户": "theirs",
        "客户方": "theirs",
        "对方": "theirs",
        "our": "ours",
        "us": "ours",
        "we": "ours",
        "我方": "ours",
        "我们": "ours",
    },
    "decision_role": {
        "decision-maker": "decision-maker",
        "decisionmaker": "decision-maker",
        "dm": "decision-maker",
        "决策者": "decision-maker",
        "决策人": "decision-maker",
        "拍板": "decision-maker",
        "影响者": "influencer",
        "影响人": "influencer",
        "使用者": "user",
        "用户": "user",
        "把关者": "gatekeeper",
        "守门人": "gatekeeper",
        "gate-keeper": "gatekeeper",
    },
    "attitude": {
        "enemy": "opponent",
        "against": "opponent",
        "反对": "opponent",
        "反对者": "opponent",
        "sceptic": "skeptic",
        "skeptical": "skeptic",
        "sceptical": "skeptic",
        "怀疑": "skeptic",
        "怀疑者": "skeptic",
        "中立": "neutral",
        "支持": "supporter",
        "支持者": "supporter",
        "coach": "champion",
        "拥护者": "champion",
        "铁杆": "champion",
        "内线": "champion",
    },
    "status": {"gone": "left", "离职": "left", "在职": "active"},
}
"""Words users type for the canonical values (matched case-insensitively)."""

CHOICES: dict[str, tuple[str, ...]] = {
    "tier": TIERS,
    "side": SIDES,
    "decision_role": DECISION_ROLES,
    "attitude": ATTITUDES,
    "status": CONTACT_STATUSES,
}


class InvalidField(CoachError):
    """A value was refused; ``field`` names the field (as the model spells it), ``reason`` says why."""

    def __init__(self, field: str, reason: str, hint: str | None = None) -> None:
        super().__init__(f"{field}: {reason}", hint)
        self.field = field
        self.reason = reason


class AccountNotFound(CoachError):
    """No account (or no contact in it) has that name."""


class AccountExists(CoachError):
    """An account or a contact with that name exists already."""


def choice(field: str, value: str) -> str:
    """``value`` as one of the field's canonical values (aliases and any case accepted)."""
    choices = CHOICES[field]
    key = " ".join(value.split()).casefold().replace("_", "-").replace(" ", "-")
    if key in choices:
        return key
    alias = ALIASES.get(field, {}).get(key) or ALIASES.get(field, {}).get(key.replace("-", ""))
    if alias:
        return alias
    raise InvalidField(
        field,
        f"unknown value {value.strip()[:40]!r} ({did_you_mean(key, choices)}one of {', '.join(choices)})",
    )


def clean_line(field: str, value: str, limit: int = MAX_NAME) -> str | None:
    """One line of text (whitespace collapsed); ``None`` when empty; refuses control characters."""
    text = _no_control(field, value, multiline=False)
    text = " ".join(text.split())
    if len(text) > limit:
        raise InvalidField(field, f"at most {limit} characters (got {len(text)})")
    return text or None


def clean_text(field: str, value: str, limit: int = MAX_TEXT) -> str | None:
    """Free text (lines kept, ends stripped); ``None`` when empty."""
    text = _no_control(field, value, multiline=True).replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limit:
        raise InvalidField(field, f"at most {limit:,} characters (got {len(text):,})")
    return text or None


def _no_control(field: str, value: str, *, multiline: bool) -> str:
    if not isinstance(value, str):
        raise InvalidField(field, "expected text")
    allowed = "\n\r\t" if multiline else "\t"
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed:
            raise InvalidField(field, f"contains a control character (U+{ord(ch):04X}); type plain text")
    return value


def clean_level(field: str, value: int | str, low: int) -> int:
    """A whole number from ``low`` to 5."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidField(
            field, f"expected a whole number from {low} to 5, not {str(value)[:20]!r}"
        ) from None
    if not low <= number <= 5:
        raise InvalidField(field, f"must be {low} to 5, not {number}")
    return number


def clean_date(field: str, value: str, today: date | None = None) -> str:
    """``YYYY-MM-DD`` (``today`` and ``YYYY/MM/DD`` accepted); not in the future."""
    text = value.strip()
    today = today or date.today()
    if text.casefold() in ("today", "今天"):
        return today.isoformat()
    try:
        parsed = date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise InvalidField(field, f"{text[:40]!r} is not a date (use YYYY-MM-DD or today)") from None
    if parsed > today:
        raise InvalidField(field, f"{parsed.isoformat()} is in the future")
    if parsed.year < 1970:
        raise InvalidField(field, f"{parsed.isoformat()} is before 1970; check the year")
    return parsed.isoformat()


class Account(BaseModel):
    """An account as it stands now (its latest version)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    """Row id (never shown to users)."""
    key: str
    """The matching key of the name (``account_key``)."""
    name: str
    """The name as first written."""
    tier: str | None = None
    """One of ``TIERS``."""
    channel: str | None = None
    """Trade channel, e.g. hypermarket, convenience, cinema."""
    stores: int | None = None
    """How many stores."""
    notes: str | None = None
    """Free notes."""
    version: int = 1
    """Latest version number of the details."""
    created_at: str
    """When the account was added (UTC)."""
    saved_at: str
    """When the latest version was saved (UTC)."""
    merged_into: str | None = None
    """The name of the account this one was merged into (None when it stands on its own)."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, without the row id."""
        return self.model_dump(exclude={"id"})


class Contact(BaseModel):
    """A person on the account (theirs or ours) as they stand now."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    """Row id (never shown to users)."""
    account_id: int
    """The account row the contact was added to (a merged account's contacts belong to the survivor)."""
    side: str
    """``theirs`` or ``ours``."""
    name: str
    """The person's name."""
    role: str | None = None
    """Job title, e.g. purchasing director."""
    reports_to: int | None = None
    """The contact they report to (same side)."""
    decision_role: str | None = None
    """One of ``DECISION_ROLES``."""
    influence: int | None = None
    """1 (little) to 5 (decisive)."""
    attitude: str | None = None
    """One of ``ATTITUDES``."""
    last_contact: str | None = None
    """Date of the last meeting or call (YYYY-MM-DD)."""
    plan: str | None = None
    """What we do about this person (e.g. how to win over a skeptic)."""
    status: str = "active"
    """``active`` or ``left``."""
    note: str | None = None
    """Free notes."""
    version: int = 1
    """Latest version number."""
    saved_at: str
    """When the latest version was saved (UTC)."""

    def as_dict(self, names: Mapping[int, str] | None = None) -> dict[str, Any]:
        """JSON-ready, without row ids (``reports_to`` as a name when ``names`` is given)."""
        out = self.model_dump(exclude={"id", "account_id", "reports_to"})
        out["reports_to"] = (names or {}).get(self.reports_to) if self.reports_to else None
        return out


class Relationship(BaseModel):
    """Who on our side knows whom on theirs, as it stands now."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    """Row id (never shown to users)."""
    ours_id: int
    """Our contact."""
    theirs_id: int
    """Their contact."""
    level: int
    """Current level, 0 (no longer in touch) to 5 (trusted)."""
    target: int | None = None
    """Where we want it to be, 1 to 5."""
    note: str | None = None
    """Free notes."""
    version: int = 1
    """Latest version number."""
    saved_at: str
    """When the latest version was saved (UTC)."""


class AccountMap(BaseModel):
    """An account with its people and who knows whom: what the map, the matrix and the checks read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    account: Account
    contacts: tuple[Contact, ...] = ()
    """Every contact, ``left`` ones included, in the order they were added."""
    relationships: tuple[Relationship, ...] = ()
    """Every relationship with its latest level (level 0 included)."""

    def by_id(self) -> dict[int, Contact]:
        """Contacts by row id."""
        return {c.id: c for c in self.contacts}

    def people(self, side: str, *, include_left: bool = False) -> list[Contact]:
        """The contacts of one side (active only unless ``include_left``)."""
        return [c for c in self.contacts if c.side == side and (include_left or c.status == "active")]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the account, its people by name, and the relationships by name."""
        names = {c.id: c.name for c in self.contacts}
        return {
            "account": self.account.as_dict(),
            "contacts": [c.as_dict(names) for c in self.contacts],
            "relationships": [
                {
                    "ours": names.get(r.ours_id),
                    "theirs": names.get(r.theirs_id),
                    "level": r.level,
                    "target": r.target,
                    "note": r.note,
                }
                for r in self.relationships
            ],
        }


# ------------------------------------------------------------------------------------------ accounts


def _merges(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT from_key, into_key FROM account_merges")}


def _follow(key: str, merges: Mapping[str, str]) -> str:
    seen = {key}
    while key in merges:
        key = merges[key]
        if key in seen:  # pragma: no cover - merges refuse cycles
            break
        seen.add(key)
    return key


def resolve_key(conn: sqlite3.Connection, name: str) -> str:
    """The key ``name`` stands for once merges are followed (the name's own key when not merged)."""
    return _follow(account_key(name), _merges(conn))


def group_keys(conn: sqlite3.Connection, name: str) -> set[str]:
    """Every key that now means the same account as ``name``: its own and those merged into it."""
    merges = _merges(conn)
    final = _follow(account_key(name), merges)
    return {final} | {k for k in merges if _follow(k, merges) == final}


_ACCOUNT_SQL = (
    "SELECT a.id, a.key, a.name, a.created_at, v.tier, v.channel, v.stores, v.notes, v.version, v.saved_at, "
    "m.into_key FROM accounts a JOIN account_versions v ON v.account_id = a.id AND v.version = "
    "(SELECT MAX(version) FROM account_versions WHERE account_id = a.id) "
    "LEFT JOIN account_merges m ON m.from_key = a.key"
)


_INSERT_ACCOUNT_VERSION = (
    "INSERT INTO account_versions (account_id, version, tier, channel, stores, notes, saved_at, author) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _account(row: sqlite3.Row, names: Mapping[str, str]) -> Account:
    return Account(
        id=row["id"],
        key=row["key"],
        name=row["name"],
        created_at=row["created_at"],
        tier=row["tier"],
        channel=row["channel"],
        stores=row["stores"],
        notes=row["notes"],
        version=row["version"],
        saved_at=row["saved_at"],
        merged_into=names.get(row["into_key"]) if row["into_key"] else None,
    )


def list_accounts(conn: sqlite3.Connection, *, merged: bool = False) -> list[Account]:
    """Every account by name (those merged into another only with ``merged``)."""
    rows = conn.execute(_ACCOUNT_SQL + " ORDER BY a.key").fetchall()
    names = {r["key"]: r["name"] for r in rows}
    merges = _merges(conn)
    out = []
    for row in rows:
        if row["into_key"] and not merged:
            continue
        final = _follow(row["key"], merges)
        out.append(_account(row, {row["into_key"]: names.get(final, final)} if row["into_key"] else {}))
    return out


def find(conn: sqlite3.Connection, name: str) -> Account | None:
    """The account ``name`` means (merges followed), or None."""
    key = resolve_key(conn, name)
    row = conn.execute(_ACCOUNT_SQL + " WHERE a.key = ?", (key,)).fetchone()
    return _account(row, {}) if row else None


def get(conn: sqlite3.Connection, name: str, field: str = "account") -> Account:
    """The account ``name`` means; ``AccountNotFound`` (with a did-you-mean) when there is none."""
    found = find(conn, name)
    if found is None:
        names = [a.name for a in list_accounts(conn)]
        guess = did_you_mean(name.strip(), names)
        raise AccountNotFound(
            f"{field}: no account {name.strip()[:60]!r}{' (' + guess.strip() + ')' if guess else ''}",
            "see `coach account list`, or add it with `coach account add NAME`",
        )
    return found


def _account_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in fields.items():
        if value is None:
            continue
        if field == "tier":
            out[field] = choice("tier", value) if str(value).strip() else None
        elif field == "channel":
            out[field] = clean_line(field, value)
        elif field == "stores":
            text = str(value).strip()
            if not text:
                out[field] = None
                continue
            try:
                number = int(text.replace(",", ""))
            except ValueError:
                raise InvalidField(field, f"expected a whole number, not {text[:20]!r}") from None
            if not 0 <= number <= 1_000_000:
                raise InvalidField(field, f"must be 0 to 1,000,000, not {number}")
            out[field] = number
        elif field == "notes":
            out[field] = clean_text(field, value)
        else:
            raise InvalidField(field, "not a field of an account")
    return out


def check_account_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Validate account details (tier, channel, stores, notes) without writing; returns the clean values."""
    return _account_fields(fields)


def add(
    conn: sqlite3.Connection, name: str, *, author: str | None = None, ours: Iterable[str] = (), **fields: Any
) -> Account:
    """Add an account (details: tier, channel, stores, notes) with our people on it; refuses a name that
    differs from an existing one only in case or spacing."""
    clean = clean_line("name", name)
    if not clean:
        raise InvalidField("name", "required")
    details = _account_fields(fields)
    people = [p for p in (clean_line("ours", o) for o in ours) if p]
    key = account_key(clean)
    with write_transaction(conn, "the account"):
        existing = conn.execute("SELECT name FROM accounts WHERE key = ?", (key,)).fetchone()
        if existing is not None:
            final = _follow(key, _merges(conn))
            survivor = conn.execute("SELECT name FROM accounts WHERE key = ?", (final,)).fetchone()
            where = "" if final == key else f", merged into {survivor[0]!r}"
            raise AccountExists(
                f"name: account {existing[0]!r} exists already{where}; nothing was added",
                "names that differ only in case or spacing are one account",
            )
        now = now_iso()
        cur = conn.execute(
            "INSERT INTO accounts (key, name, created_at, author) VALUES (?, ?, ?, ?) RETURNING id",
            (key, clean, now, author),
        )
        account_id = int(cur.fetchone()[0])
        conn.execute(
            _INSERT_ACCOUNT_VERSION,
            (
                account_id,
                1,
                details.get("tier"),
                details.get("channel"),
                details.get("stores"),
                details.get("notes"),
                now,
                author,
            ),
        )
        seen: set[str] = set()
        for person in people:
            if account_key(person) in seen:
                continue
            seen.add(account_key(person))
            _insert_contact(conn, account_id, "ours", {"name": person}, now, author)
    found = find(conn, clean)
    assert found is not None
    return found


def update(
    conn: sqlite3.Connection, name: str, *, author: str | None = None, **fields: Any
) -> tuple[Account, bool]:
    """Save a new version of the account's details (only the fields given change; ``""`` clears one).
    Returns (account, changed); nothing is written when nothing changes."""
    details = _account_fields(fields)
    with write_transaction(conn, "the account", passthrough=(CoachError,)):
        acc = get(conn, name)
        current = {"tier": acc.tier, "channel": acc.channel, "stores": acc.stores, "notes": acc.notes}
        new = {**current, **details}
        if new == current:
            return acc, False
        conn.execute(
            _INSERT_ACCOUNT_VERSION,
            (
                acc.id,
                acc.version + 1,
                new["tier"],
                new["channel"],
                new["stores"],
                new["notes"],
                now_iso(),
                author,
            ),
        )
    return get(conn, name), True


def merge(
    conn: sqlite3.Connection,
    from_name: str,
    into_name: str,
    *,
    note: str | None = None,
    author: str | None = None,
) -> tuple[Account, Account]:
    """Record that account ``from_name`` is the same as ``into_name``; both keep their records, reads of
    either now show the survivor with everything of both. Returns (merged, survivor)."""
    clean_note = clean_text("note", note) if note else None
    with write_transaction(conn, "the merge", passthrough=(CoachError,)):
        source = get(conn, from_name, "from")
        target = get(conn, into_name, "into")
        if source.key == target.key:
            raise InvalidField(
                "into", f"{from_name.strip()!r} and {into_name.strip()!r} are already one account"
            )
        conn.execute(
            "INSERT INTO account_merges (from_key, into_key, merged_at, author, note) VALUES (?, ?, ?, ?, ?)",
            (source.key, target.key, now_iso(), author, clean_note),
        )
    return source, target


def history(conn: sqlite3.Connection, name: str) -> list[Account]:
    """Every version of the account's details, oldest first."""
    acc = get(conn, name)
    rows = conn.execute(
        "SELECT a.id, a.key, a.name, a.created_at, v.tier, v.channel, v.stores, v.notes, v.version, "
        "v.saved_at, NULL AS into_key FROM accounts a JOIN account_versions v ON v.account_id = a.id "
        "WHERE a.id = ? ORDER BY v.version",
        (acc.id,),
    ).fetchall()
    return [_account(r, {}) for r in rows]


def _group_ids(conn: sqlite3.Connection, acc: Account) -> list[int]:
    keys = sorted(group_keys(conn, acc.key))
    marks = ", ".join("?" for _ in keys)
    return [int(r[0]) for r in conn.execute(f"SELECT id FROM accounts WHERE key IN ({marks})", keys)]


# ------------------------------------------------------------------------------------------ contacts

CONTACT_FIELDS = (
    "name",
    "role",
    "reports_to",
    "decision_role",
    "influence",
    "attitude",
    "last_contact",
    "plan",
    "status",
    "note",
)
"""Fields of a contact version, in table order."""


def _contact_fields(fields: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in fields.items():
        if value is None:
            continue
        text = str(value)
        if field in ("name", "role"):
            out[field] = clean_line(field, text)
        elif field in ("decision_role", "attitude", "status"):
            out[field] = choice(field, text) if text.strip() else None
        elif field == "influence":
            out[field] = clean_level(field, text, 1) if text.strip() else None
        elif field == "last_contact":
            out[field] = clean_date(field, text, today) if text.strip() else None
        elif field in ("plan", "note"):
            out[field] = clean_text(field, text)
        elif field == "reports_to":
            out[field] = clean_line(field, text)  # a name; resolved against the account's people
        else:
            raise InvalidField(field, "not a field of a contact")
    if "name" in out and not out["name"]:
        raise InvalidField("name", "required")
    if "status" in out and out["status"] is None:
        raise InvalidField("status", "one of active, left")
    return out


def check_contact_fields(fields: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """Validate contact fields without writing (``reports_to`` stays a name); returns the clean values."""
    return _contact_fields(fields, today)


_CONTACT_SQL = (
    "SELECT c.id, c.account_id, c.side, v.* FROM contacts c JOIN contact_versions v ON v.contact_id = c.id "
    "AND v.version = (SELECT MAX(version) FROM contact_versions WHERE contact_id = c.id)"
)


def _contact(row: sqlite3.Row) -> Contact:
    return Contact(
        id=row["id"],
        account_id=row["account_id"],
        side=row["side"],
        **{f: row[f] for f in CONTACT_FIELDS},
        version=row["version"],
        saved_at=row["saved_at"],
    )


def _contacts(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Contact]:
    marks = ", ".join("?" for _ in ids)
    rows = conn.execute(
        _CONTACT_SQL + f" WHERE c.account_id IN ({marks}) ORDER BY c.id", list(ids)
    ).fetchall()
    return [_contact(r) for r in rows]


def _find_contact(
    people: Sequence[Contact], name: str, side: str | None, field: str, account: str
) -> Contact:
    key = account_key(name)
    pool = [c for c in people if side is None or c.side == side]
    hits = [c for c in pool if account_key(c.name) == key]
    if len(hits) == 1:
        return hits[0]
    if len({c.side for c in hits}) > 1:
        raise InvalidField(
            field, f"{name.strip()!r} is on both sides of {account}", "say which with --theirs or --ours"
        )
    if hits:  # one side, two people of one name (brought together by a merge): the one added first
        return hits[0]
    whose = {"theirs": "their people", "ours": "our people", None: "the people"}[side]
    guess = did_you_mean(name.strip(), [c.name for c in pool])
    raise AccountNotFound(
        f"{field}: {name.strip()[:60]!r} is not among {whose} on {account}"
        + (f" ({guess.strip()})" if guess else ""),
        f"add them with `coach account contact add {account!r} NAME"
        + (" --ours`" if side == "ours" else "`"),
    )


def _insert_contact(
    conn: sqlite3.Connection,
    account_id: int,
    side: str,
    values: Mapping[str, Any],
    now: str,
    author: str | None,
) -> int:
    cur = conn.execute(
        "INSERT INTO contacts (account_id, side, created_at, author) VALUES (?, ?, ?, ?) RETURNING id",
        (account_id, side, now, author),
    )
    contact_id = int(cur.fetchone()[0])
    _insert_contact_version(conn, contact_id, 1, values, now, author)
    return contact_id


def _insert_contact_version(
    conn: sqlite3.Connection,
    contact_id: int,
    version: int,
    values: Mapping[str, Any],
    now: str,
    author: str | None,
) -> None:
    conn.execute(
        f"INSERT INTO contact_versions (contact_id, version, {', '.join(CONTACT_FIELDS)}, saved_at, author) "
        f"VALUES (?, ?, {', '.join('?' for _ in CONTACT_FIELDS)}, ?, ?)",
        (
            contact_id,
            version,
            *[values.get(f, "active" if f == "status" else None) for f in CONTACT_FIELDS],
            now,
            author,
        ),
    )


def _boss(
    people: Sequence[Contact], side: str, name: str | None, account: str, me: Contact | None
) -> int | None:
    if not name:
        return None
    boss = _find_contact(people, name, side, "reports_to", account)
    if me is not None and boss.id == me.id:
        raise InvalidField("reports_to", "a person cannot report to themselves")
    chain = {c.id: c.reports_to for c in people}
    step: int | None = boss.id
    seen: set[int] = set()
    while step is not None and step not in seen:
        if me is not None and step == me.id:
            raise InvalidField(
                "reports_to",
                f"{boss.name} reports to {me.name} already, directly or not: that would make a loop",
            )
        seen.add(step)
        step = chain.get(step)
    return boss.id


def add_contact(
    conn: sqlite3.Connection,
    account: str,
    side: str,
    name: str,
    *,
    author: str | None = None,
    today: date | None = None,
    **fields: Any,
) -> Contact:
    """Add a person to the account (side ``theirs`` or ``ours``); refuses a second person of the same name
    on the same side."""
    side = choice("side", side)
    values = _contact_fields({"name": name, **fields}, today)
    with write_transaction(conn, "the contact", passthrough=(CoachError,)):
        acc = get(conn, account)
        people = _contacts(conn, _group_ids(conn, acc))
        key = account_key(values["name"])
        same = [c for c in people if c.side == side and account_key(c.name) == key]
        if same:
            raise AccountExists(
                f"name: {same[0].name!r} is already among {'their' if side == 'theirs' else 'our'} people "
                f"on {acc.name}; nothing was added",
                f"change them with `coach account contact update {acc.name!r} {same[0].name!r} ...`",
            )
        values["reports_to"] = _boss(people, side, values.get("reports_to"), acc.name, None)
        contact_id = _insert_contact(conn, acc.id, side, values, now_iso(), author)
    return next(c for c in _contacts(conn, [acc.id]) if c.id == contact_id)


def update_contact(
    conn: sqlite3.Connection,
    account: str,
    name: str,
    *,
    side: str | None = None,
    author: str | None = None,
    today: date | None = None,
    **fields: Any,
) -> tuple[Contact, bool]:
    """Save a new version of a contact: the fields given change (``""`` clears one), the old version stays.
    Returns (contact, changed); nothing is written when nothing changes."""
    side = choice("side", side) if side else None
    values = _contact_fields(fields, today)
    with write_transaction(conn, "the contact", passthrough=(CoachError,)):
        acc = get(conn, account)
        people = _contacts(conn, _group_ids(conn, acc))
        who = _find_contact(people, name, side, "name", acc.name)
        if values.get("name") and account_key(values["name"]) != account_key(who.name):
            key = account_key(values["name"])
            if any(c.side == who.side and account_key(c.name) == key for c in people):
                raise AccountExists(f"name: {values['name']!r} is already on {acc.name}; nothing was changed")
        if "reports_to" in values:
            values["reports_to"] = _boss(people, who.side, values["reports_to"], acc.name, who)
        current = {f: getattr(who, f) for f in CONTACT_FIELDS}
        new = {**current, **values}
        if new == current:
            return who, False
        _insert_contact_version(conn, who.id, who.version + 1, new, now_iso(), author)
    updated = next(c for c in _contacts(conn, [who.account_id]) if c.id == who.id)
    return updated, True


def contact_history(
    conn: sqlite3.Connection, account: str, name: str, side: str | None = None
) -> list[Contact]:
    """Every version of one contact, oldest first."""
    acc = get(conn, account)
    who = _find_contact(
        _contacts(conn, _group_ids(conn, acc)), name, side and choice("side", side), "name", acc.name
    )
    rows = conn.execute(
        "SELECT c.id, c.account_id, c.side, v.* FROM contacts c "
        "JOIN contact_versions v ON v.contact_id = c.id WHERE c.id = ? ORDER BY v.version",
        (who.id,),
    ).fetchall()
    return [_contact(r) for r in rows]


# ------------------------------------------------------------------------------------- relationships

_REL_SQL = (
    "SELECT r.id, r.ours_id, r.theirs_id, v.level, v.target, v.note, v.version, v.saved_at "
    "FROM relationships r JOIN relationship_versions v ON v.relationship_id = r.id AND v.version = "
    "(SELECT MAX(version) FROM relationship_versions WHERE relationship_id = r.id)"
)


def _relationships(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Relationship]:
    marks = ", ".join("?" for _ in ids)
    rows = conn.execute(_REL_SQL + f" WHERE r.account_id IN ({marks}) ORDER BY r.id", list(ids)).fetchall()
    return [Relationship(**dict(r)) for r in rows]


def link(
    conn: sqlite3.Connection,
    account: str,
    ours: str,
    theirs: str,
    *,
    level: int | str,
    target: int | str | None = None,
    note: str | None = None,
    author: str | None = None,
) -> tuple[Relationship, bool]:
    """Record how well one of our people knows one of theirs (level 0-5, target 1-5); a change is a new
    version. Returns (relationship, changed)."""
    lvl = clean_level("level", level, 0)
    tgt = clean_level("target", target, 1) if target not in (None, "") else None
    text = clean_text("note", note) if note else None
    with write_transaction(conn, "the relationship", passthrough=(CoachError,)):
        acc = get(conn, account)
        ids = _group_ids(conn, acc)
        people = _contacts(conn, ids)
        us = _find_contact(people, ours, "ours", "ours", acc.name)
        them = _find_contact(people, theirs, "theirs", "theirs", acc.name)
        now = now_iso()
        existing = next(
            (r for r in _relationships(conn, ids) if r.ours_id == us.id and r.theirs_id == them.id), None
        )
        if existing is None:
            cur = conn.execute(
                "INSERT INTO relationships (account_id, ours_id, theirs_id, created_at, author) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (acc.id, us.id, them.id, now, author),
            )
            rel_id, version = int(cur.fetchone()[0]), 1
        else:
            if target in (None, ""):
                tgt = existing.target if target is None else None
            if note is None:
                text = existing.note
            if (existing.level, existing.target, existing.note) == (lvl, tgt, text):
                return existing, False
            rel_id, version = existing.id, existing.version + 1
        conn.execute(
            "INSERT INTO relationship_versions (relationship_id, version, level, target, note, saved_at, "
            "author) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rel_id, version, lvl, tgt, text, now, author),
        )
    return next(r for r in _relationships(conn, ids) if r.id == rel_id), True


def account_map(conn: sqlite3.Connection, name: str) -> AccountMap:
    """The account with every contact and relationship (merged accounts' included), as they stand now."""
    acc = get(conn, name)
    ids = _group_ids(conn, acc)
    return AccountMap(
        account=acc, contacts=tuple(_contacts(conn, ids)), relationships=tuple(_relationships(conn, ids))
    )


# ------------------------------------------------------------------------------------ linked records


@dataclass(frozen=True)
class Linked:
    """How many existing records carry the account's name (or a name merged into it)."""

    concessions: int = 0
    """Real entries in the concession log (current versions)."""
    practice: int = 0
    """Role-play entries in the concession log."""
    plans: int = 0
    """Saved meeting plans."""
    sessions: int = 0
    """Role-play sessions whose customer has the account's name."""
    walkthroughs: int = 0
    """Walk-throughs labelled with the account's name."""
    names: tuple[str, ...] = ()
    """The spellings found in those records."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {**self.__dict__, "names": list(self.names)}


def linked_records(conn: sqlite3.Connection, name: str) -> Linked:
    """Count the records that belong to the account by name (no record is rewritten; merges followed)."""
    keys = group_keys(conn, name)
    names: set[str] = set()

    def count(sql: str) -> int:
        total = 0
        for spelled, n in conn.execute(sql):
            if isinstance(spelled, str) and account_key(spelled) in keys:
                total += n
                names.add(spelled)
        return total

    live = (
        "SELECT account, COUNT(*) FROM concessions c WHERE practice = {} AND status <> 'withdrawn' "
        "AND NOT EXISTS (SELECT 1 FROM concessions n WHERE n.supersedes = c.id) GROUP BY account"
    )
    concessions = count(live.format(0))
    practice = count(live.format(1))
    plans = count("SELECT account, COUNT(*) FROM plans GROUP BY account")
    walks = count("SELECT label, COUNT(*) FROM walkthroughs WHERE label <> '' GROUP BY label")
    sessions = 0
    for (body,) in conn.execute("SELECT scenario FROM sessions"):
        try:
            retailer = json.loads(body).get("persona", {}).get("retailer") or {}
        except (ValueError, AttributeError):
            continue
        spelled = [v for v in retailer.values() if isinstance(v, str)] if isinstance(retailer, dict) else []
        hit = [s for s in spelled if account_key(s) in keys]
        if hit:
            sessions += 1
            names.add(hit[0])
    return Linked(concessions, practice, plans, sessions, walks, tuple(sorted(names, key=str.casefold)))
