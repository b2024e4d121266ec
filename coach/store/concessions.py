"""The concession log: an append-only table, the validated entry model, and the writes on it (the rows and
the reads are in ``coach.store.concession_rows``, without pydantic; their names are importable from here).

Entries are never changed or deleted (triggers refuse it). A correction or a withdrawal is a new entry
whose ``supersedes`` names the entry it replaces; each entry can be replaced once, so every history is
a chain and its last entry is the current one. Role-play entries carry ``practice = 1`` and are left out
of every query unless asked for, so practice never mixes into real figures.
"""

from __future__ import annotations

import sqlite3
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

# The vocabulary and its parsers live in coach.domain.concessions (meeting plans use them too); the names
# stay importable from here for the log's callers.
from coach.domain.concessions import ALIASES as ALIASES
from coach.domain.concessions import CURRENCIES as CURRENCIES
from coach.domain.concessions import MAX_VALUE as MAX_VALUE
from coach.domain.concessions import PLAIN_UNITS as PLAIN_UNITS
from coach.domain.concessions import STAGES as STAGES
from coach.domain.concessions import STATUSES as STATUSES
from coach.domain.concessions import TYPES as TYPES
from coach.domain.concessions import parse_choice, parse_number
from coach.domain.concessions import parse_tactic as _parse_tactic
from coach.domain.concessions import parse_unit as parse_unit
from coach.domain.concessions import parse_when as parse_when
from coach.errors import CoachError
from coach.store.concession_rows import ENTRY_FIELDS as ENTRY_FIELDS
from coach.store.concession_rows import FIELDS as FIELDS
from coach.store.concession_rows import SQL_COLUMNS
from coach.store.concession_rows import Concession as Concession
from coach.store.concession_rows import Filter as Filter
from coach.store.concession_rows import get as get
from coach.store.concession_rows import paused_gc as paused_gc
from coach.store.concession_rows import select as select
from coach.store.db import now_iso, write_transaction

MAX_LINE = {"account": 200, "meeting": 200, "give": 500, "get": 500, "asked_by": 200}
"""Longest accepted single-line texts, in characters."""
MAX_NOTE = 10_000
"""Longest accepted note, in characters."""


class InvalidEntry(CoachError):
    """An entry failed validation; ``field`` names the field, ``reason`` says what is wrong."""

    def __init__(self, field: str, reason: str, where: str = "") -> None:
        super().__init__(f"{where}{field}: {reason}")
        self.field = field
        self.reason = reason


def _fail(field: str, reason: str) -> PydanticCustomError:
    return PydanticCustomError("concession", "{field}: {reason}", {"field": field, "reason": reason})


def _choice(field: str, value: Any, choices: Sequence[str]) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected one of {', '.join(choices)}")
    return parse_choice(field, value, choices, ALIASES.get(field))


def _clean_text(value: Any, *, multiline: bool) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains bytes that are not valid UTF-8 text") from None
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    allowed = "\n\t" if multiline else ""
    for ch in value:
        if unicodedata.category(ch) == "Cc" and ch not in allowed:
            raise ValueError(f"contains a control character (U+{ord(ch):04X}); type plain text")
    return value.strip() if multiline else " ".join(value.split())


def _number(value: Any) -> float | None:
    return parse_number(value, negative_hint=" (record what was given; direction is implied)")


def tactic_ids() -> list[str]:
    """Ids a concession can name as the buyer tactic in play: the taxonomy's situation ids."""
    from coach.content.loader import situation_ids  # deferred: yaml, only when a tactic is given

    return situation_ids()


def parse_tactic(value: Any) -> str:
    """A taxonomy situation id; ``nibble`` is short for ``tactic.nibble``."""
    if not isinstance(value, str):
        raise ValueError("expected a taxonomy id such as tactic.nibble")
    ids = tactic_ids()
    short = {i.split(".", 1)[1]: i for i in ids}
    tactics = ", ".join(short for short, full in short.items() if full.startswith("tactic."))
    return _parse_tactic(
        value, ids, f"buyer tactics: {tactics}; other taxonomy ids such as complaint.escalation work too"
    )


class NewConcession(BaseModel):
    """A concession as the user enters it, validated; the store adds the id and the recording time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    when: str = Field(
        default_factory=lambda: datetime.now().replace(microsecond=0).isoformat(),
        description="When it was made: YYYY-MM-DD or an ISO date-time; default now.",
    )
    account: str = Field(description="The customer (chain) it was made to.")
    meeting: str | None = Field(None, description="The negotiation or meeting it belongs to.")
    type: str = Field(description="What kind of thing was given; one of TYPES.")
    give: str = Field(description="What was given, in words.")
    value: float | None = Field(None, description="How much was given, in ``unit``.")
    unit: str | None = Field(None, description="percent, days, units or a currency code.")
    get: str | None = Field(None, description="What was received in return; empty means nothing.")
    get_value: float | None = Field(None, description="How much was received, in ``get_unit``.")
    get_unit: str | None = Field(None, description="Unit of ``get_value``.")
    asked_by: str | None = Field(None, description="Who asked for the concession.")
    tactic: str | None = Field(None, description="The buyer tactic in play: a taxonomy id.")
    stage: str = Field("bargaining", description="opening, bargaining, closing or after-deal.")
    status: str = Field("agreed", description="offered, agreed or withdrawn.")
    note: str | None = Field(None, description="Free notes (at most 10,000 characters).")
    practice: bool = Field(False, description="Made in role-play: kept out of real figures.")
    supersedes: int | None = Field(None, ge=1, description="Id of the entry this one corrects or withdraws.")

    @field_validator("when", mode="before")
    @classmethod
    def _when(cls, value: Any) -> str:
        return parse_when(value)

    @field_validator("account", "give", mode="before")
    @classmethod
    def _required_line(cls, value: Any, info: Any) -> str:
        text = _clean_text(value, multiline=False)
        if not text:
            raise ValueError("must not be empty")
        if len(text) > MAX_LINE[info.field_name]:
            raise ValueError(f"at most {MAX_LINE[info.field_name]} characters (got {len(text)})")
        return text

    @field_validator("meeting", "get", "asked_by", mode="before")
    @classmethod
    def _optional_line(cls, value: Any, info: Any) -> str | None:
        if value is None:
            return None
        text = _clean_text(value, multiline=False)
        if len(text) > MAX_LINE[info.field_name]:
            raise ValueError(f"at most {MAX_LINE[info.field_name]} characters (got {len(text)})")
        return text or None

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and len(value) > MAX_NOTE * 4:  # reject huge input before scanning it
            raise ValueError(f"at most {MAX_NOTE:,} characters (got {len(value):,})")
        text = _clean_text(value, multiline=True)
        if len(text) > MAX_NOTE:
            raise ValueError(f"at most {MAX_NOTE:,} characters (got {len(text):,})")
        return text or None

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> str:
        return _choice("type", value, TYPES)

    @field_validator("stage", mode="before")
    @classmethod
    def _stage(cls, value: Any) -> str:
        return _choice("stage", value, STAGES)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> str:
        return _choice("status", value, STATUSES)

    @field_validator("value", "get_value", mode="before")
    @classmethod
    def _numbers(cls, value: Any) -> float | None:
        return _number(value)

    @field_validator("unit", "get_unit", mode="before")
    @classmethod
    def _units(cls, value: Any) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return parse_unit(value)

    @field_validator("tactic", mode="before")
    @classmethod
    def _tactic(cls, value: Any) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return parse_tactic(value)

    @model_validator(mode="after")
    def _consistent(self) -> NewConcession:
        for amount, unit in (("value", "unit"), ("get_value", "get_unit")):
            number, unit_id = getattr(self, amount), getattr(self, unit)
            if number is not None and unit_id is None:
                raise _fail(
                    unit, f"say what {amount} {number:g} is in (percent, days, units or a currency code)"
                )
            if number is None and unit_id is not None:
                raise _fail(amount, f"a unit ({unit_id}) is given but no amount")
            if unit_id == "percent" and number is not None and number > 100:
                raise _fail(amount, f"{number:g} percent is more than 100")
        if self.get is None and self.get_value is not None:
            raise _fail("get", "get_value is given but not what was received; describe it")
        return self


def validate_entry(data: dict[str, Any], where: str = "") -> NewConcession:
    """Validate raw field values (strings or typed) into a ``NewConcession``; errors name the field."""
    try:
        return NewConcession.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        ctx = err.get("ctx") or {}
        if err["type"] == "concession":
            raise InvalidEntry(ctx["field"], ctx["reason"], where) from None
        field = str(err["loc"][0]) if err["loc"] else "entry"
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "required"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        raise InvalidEntry(field, msg, where) from None


def _check_supersedes(conn: sqlite3.Connection, entry: NewConcession, where: str = "") -> None:
    if entry.supersedes is None:
        return
    row = conn.execute(
        "SELECT c.practice, s.id FROM concessions c LEFT JOIN concessions s ON s.supersedes = c.id "
        "WHERE c.id = ?",
        (entry.supersedes,),
    ).fetchone()
    if row is None:
        raise InvalidEntry("supersedes", f"there is no entry #{entry.supersedes}", where)
    if row[1] is not None:
        raise InvalidEntry(
            "supersedes",
            f"entry #{entry.supersedes} was already replaced by #{row[1]}; correct #{row[1]} instead",
            where,
        )
    if bool(row[0]) != entry.practice:
        raise InvalidEntry(
            "practice", "a correction must stay practice or real like the entry it corrects", where
        )


_INSERT = (
    f"INSERT INTO concessions ({SQL_COLUMNS.removeprefix('id, ')}) "
    f"VALUES ({', '.join('?' for _ in FIELDS[1:])}) RETURNING id"
)
"""A new entry (the database numbers it)."""


def _insert(conn: sqlite3.Connection, entry: NewConcession, uid: str, recorded_at: str) -> int:
    data = entry.model_dump()
    values = [uid, recorded_at, *(data[f] for f in FIELDS[3:])]
    values[FIELDS.index("practice") - 1] = int(entry.practice)
    cur = conn.execute(_INSERT, values)
    return int(cur.fetchone()[0])


def _integrity(exc: sqlite3.IntegrityError, where: str = "") -> InvalidEntry:
    text = str(exc)
    if "supersedes" in text:
        return InvalidEntry(
            "supersedes", "that entry was replaced meanwhile; list the log and correct the newest", where
        )
    return InvalidEntry("entry", f"refused by the database ({text})", where)


def add(conn: sqlite3.Connection, entry: NewConcession) -> int:
    """Save one entry durably and return its id (the commit has happened when this returns)."""
    try:
        with write_transaction(
            conn,
            hint="if the file is damaged, restore a backup or choose another file with --db",
            passthrough=(sqlite3.IntegrityError,),
            busy_hint="another coach may be importing",
        ):
            _check_supersedes(conn, entry)
            return _insert(conn, entry, uuid.uuid4().hex, now_iso())
    except sqlite3.IntegrityError as exc:
        raise _integrity(exc) from None


@dataclass(frozen=True)
class Imported:
    """One validated row of an import file: the entry plus what the file says about its identity."""

    entry: NewConcession
    where: str
    """Prefix for error messages, e.g. ``log.csv:4: ``."""
    file_id: int | None = None
    uid: str | None = None
    recorded_at: str | None = None
    file_supersedes: int | None = None


def import_entries(conn: sqlite3.Connection, rows: Sequence[Imported]) -> tuple[int, int]:
    """Insert validated rows in one transaction; rows whose uid is already stored are skipped.

    ``file_supersedes`` refers to another row's ``file_id`` in the same file (earlier in it).
    Returns (added, skipped). On any error nothing is written.
    """
    added = skipped = 0
    ids: dict[int, int] = {}
    try:
        with write_transaction(
            conn,
            hint="if the file is damaged, restore a backup or choose another file with --db",
            passthrough=(sqlite3.IntegrityError,),
            busy_hint="another coach may be importing",
        ):
            for row in rows:
                where = row.where
                entry = row.entry
                if row.file_supersedes is not None:
                    if row.file_supersedes not in ids:
                        raise InvalidEntry(
                            "supersedes",
                            f"refers to id {row.file_supersedes}, which is not an earlier row of this file",
                            where,
                        )
                    entry = entry.model_copy(update={"supersedes": ids[row.file_supersedes]})
                existing = (
                    conn.execute("SELECT id FROM concessions WHERE uid = ?", (row.uid,)).fetchone()
                    if row.uid
                    else None
                )
                if existing:
                    new_id = existing[0]
                    skipped += 1
                else:
                    _check_supersedes(conn, entry, where)
                    try:
                        new_id = _insert(
                            conn, entry, row.uid or uuid.uuid4().hex, row.recorded_at or now_iso()
                        )
                    except sqlite3.IntegrityError as exc:
                        raise _integrity(exc, where) from None
                    added += 1
                if row.file_id is not None:
                    if row.file_id in ids:
                        raise InvalidEntry("id", f"id {row.file_id} appears twice in the file", where)
                    ids[row.file_id] = new_id
    except sqlite3.IntegrityError as exc:  # pragma: no cover - all known constraint failures are mapped above
        raise _integrity(exc) from None
    return added, skipped


def correction(old: Concession, changes: dict[str, Any]) -> NewConcession:
    """A new entry replacing ``old``: its fields with ``changes`` applied (validated)."""
    data = old.fields()
    data.update(changes)
    data["supersedes"] = old.id
    return validate_entry(data)
