"""Training records: trainee profiles, every drill and quiz answer, the spaced-repetition schedule, and
role-play summaries imported from other laptops.

Schema version 5 (1 concession log, 2 walk-throughs, 3 role-play sessions, 4 meeting plans). A profile is a
name on the machine (no password: a shared training laptop), unique whatever the case, in one class.
Every query that reads results takes a profile id, so one trainee's results are never shown as another's.
Answers are kept as given (no update, no delete); each has a uuid, so results merged from several laptops
are never counted twice. A trainee's own role-play sessions are read from ``coach.store.sessions``
(joined on the trainee's name); sessions played on other laptops arrive through ``import_class`` and are
kept here as summaries.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

from coach.domain.suggest import did_you_mean
from coach.errors import CoachError
from coach.store import sessions
from coach.store.db import DatabaseError, database_name, now_iso, write_transaction
from coach.training.progress import roleplay_summary
from coach.training.schedule import ItemState, replay, step

MAX_NAME = 80
"""Longest profile or class name."""
SESSION_NAMESPACE = uuidlib.UUID("6f1c2a52-8a5e-4d59-9f0e-3c8f3f2b7a10")
"""Namespace of the uuids given to role-play sessions of this machine when they are exported."""
_STATUS_RANK = {"open": 0, "left": 1, "finished": 2}


class UnknownProfile(CoachError):
    """No profile with that name."""


class UnknownClass(CoachError):
    """No profile in that class."""


def _read(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{database_name(conn)}: could not read training records ({exc})") from None


_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


def clean_name(value: str | None, field: str) -> str:
    """A profile or class name as stored: one line, spaces collapsed; a bad one is a one-line error."""
    if value is None or not value.strip():
        raise CoachError(f"{field}: a name is required")
    if _ESCAPE.search(value) or any(
        unicodedata.category(ch) in ("Cc", "Cf") for ch in value if ch not in " \t"
    ):
        raise CoachError(f"{field}: must be plain text on one line (no control characters)")
    name = " ".join(value.split())
    if len(name) > MAX_NAME:
        raise CoachError(f"{field}: at most {MAX_NAME} characters, not {len(name)}")
    return name


# ---------------------------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Profile:
    """A trainee on this machine."""

    id: int
    uuid: str
    name: str
    klass: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the export's shape)."""
        return {"uuid": self.uuid, "name": self.name, "class": self.klass, "created_at": self.created_at}


def _profile(row: sqlite3.Row) -> Profile:
    return Profile(row["id"], row["uuid"], row["name"], row["class"], row["created_at"])


def find_profile(conn: sqlite3.Connection, name: str) -> Profile | None:
    """The profile with ``name`` (case does not matter), or None."""
    rows = _read(
        conn, "SELECT * FROM training_profiles WHERE name = ? COLLATE NOCASE", (" ".join(name.split()),)
    )
    return _profile(rows[0]) if rows else None


def list_profiles(conn: sqlite3.Connection, klass: str | None = None) -> list[Profile]:
    """Profiles by class then name, optionally of one class (case does not matter)."""
    if klass is None:
        rows = _read(
            conn, "SELECT * FROM training_profiles ORDER BY class COLLATE NOCASE, name COLLATE NOCASE"
        )
    else:
        rows = _read(
            conn,
            "SELECT * FROM training_profiles WHERE class = ? COLLATE NOCASE ORDER BY name COLLATE NOCASE",
            (" ".join(klass.split()),),
        )
    return [_profile(r) for r in rows]


def class_profiles(conn: sqlite3.Connection, klass: str) -> list[Profile]:
    """The class's profiles; an unknown class is a one-line error listing the known ones."""
    name = clean_name(klass, "--class")
    found = list_profiles(conn, name)
    if not found:
        known = sorted({p.klass for p in list_profiles(conn)}, key=str.lower)
        hint = (
            f"classes here: {', '.join(known)}"
            if known
            else "no classes yet: `coach train drill --profile NAME --class CLASS` starts one"
        )
        raise UnknownClass(f"--class: no trainee in class {name!r}", hint)
    return found


def create_profile(
    conn: sqlite3.Connection, name: str, klass: str, *, uuid: str | None = None, created_at: str | None = None
) -> Profile:
    """Add a trainee to a class; the name must be new on this machine."""
    name = clean_name(name, "--profile")
    klass = clean_name(klass, "--class")
    if find_profile(conn, name) is not None:
        raise CoachError(
            f"--profile: {name!r} already exists", "names are unique on this machine, whatever the case"
        )
    with write_transaction(conn, "the profile"):
        cur = conn.execute(
            "INSERT INTO training_profiles (uuid, name, class, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            (uuid or str(uuidlib.uuid4()), name, klass, created_at or now_iso()),
        )
        new_id = int(cur.fetchone()[0])
    row = _read(conn, "SELECT * FROM training_profiles WHERE id = ?", (new_id,))
    return _profile(row[0])


def resolve_profile(
    conn: sqlite3.Connection, name: str | None, klass: str | None = None, *, create: bool = True
) -> Profile:
    """The trainee named on the command line: an existing profile (its class must match ``klass`` when
    given), or a new one when ``klass`` is given and ``create`` allows it."""
    name = clean_name(name, "--profile")
    if klass is not None:
        klass = clean_name(klass, "--class")
    found = find_profile(conn, name)
    if found is not None:
        if klass is not None and found.klass.lower() != klass.lower():
            raise CoachError(
                f"--class: {found.name!r} is in class {found.klass!r}, not {klass!r}; nothing was written",
                "leave out --class, or pick another profile name",
            )
        return found
    if klass is None or not create:
        known = [p.name for p in list_profiles(conn)]

        hint = did_you_mean(name, known)
        how = "give --class CLASS to create it" if create else "`coach train profiles` lists them"
        raise UnknownProfile(f"--profile: no trainee named {name!r}", f"{hint}{how}")
    return create_profile(conn, name, klass)


# ---------------------------------------------------------------------------------------------- answers


def _insert_attempt(conn: sqlite3.Connection, profile_id: int, rec: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO training_attempts (uuid, profile_id, run, seq, kind, item, area, principles, lang, "
        "score, max_score, detail, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            rec["uuid"],
            profile_id,
            rec["run"],
            rec["seq"],
            rec["kind"],
            rec["item"],
            rec["area"],
            json.dumps(list(rec["principles"]), ensure_ascii=False),
            rec["lang"],
            rec["score"],
            rec["max_score"],
            json.dumps(rec.get("detail", {}), ensure_ascii=False, sort_keys=True),
            rec["answered_at"],
        ),
    )


def _save_state(conn: sqlite3.Connection, profile_id: int, item: str, state: ItemState) -> None:
    conn.execute(
        'INSERT INTO training_schedule (profile_id, item, box, due_at, seen, "right", last_at) '
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (profile_id, item) DO UPDATE SET box = excluded.box, "
        'due_at = excluded.due_at, seen = excluded.seen, "right" = excluded."right", last_at = excluded.last_at',
        (profile_id, item, state.box, state.due_at, state.seen, state.right, state.last_at),
    )


def add_attempt(conn: sqlite3.Connection, profile_id: int, rec: dict[str, Any]) -> ItemState:
    """Save one answer and move its item in the profile's schedule, in one transaction; returns its state."""
    with write_transaction(conn, "the answer"):
        _insert_attempt(conn, profile_id, rec)
        before = _state(conn, profile_id, rec["item"])
        after = step(before, rec["score"] == rec["max_score"], rec["answered_at"])
        _save_state(conn, profile_id, rec["item"], after)
    return after


def _state(conn: sqlite3.Connection, profile_id: int, item: str) -> ItemState | None:
    row = conn.execute(
        'SELECT box, due_at, seen, "right", last_at FROM training_schedule WHERE profile_id = ? AND item = ?',
        (profile_id, item),
    ).fetchone()
    return ItemState(row[0], row[1], row[2], row[3], row[4]) if row else None


def schedule(conn: sqlite3.Connection, profile_id: int, prefix: str = "") -> dict[str, ItemState]:
    """The profile's item states (optionally only items whose key starts with ``prefix``)."""
    rows = _read(
        conn,
        'SELECT item, box, due_at, seen, "right", last_at FROM training_schedule '
        "WHERE profile_id = ? AND substr(item, 1, ?) = ?",
        (profile_id, len(prefix), prefix),
    )
    return {r["item"]: ItemState(r["box"], r["due_at"], r["seen"], r["right"], r["last_at"]) for r in rows}


def attempts(conn: sqlite3.Connection, profile_id: int, kind: str | None = None) -> list[dict[str, Any]]:
    """The profile's answers in the order they were given (optionally only drills or quizzes)."""
    sql = "SELECT * FROM training_attempts WHERE profile_id = ?"
    params: tuple[Any, ...] = (profile_id,)
    if kind is not None:
        sql += " AND kind = ?"
        params += (kind,)
    rows = _read(conn, sql + " ORDER BY answered_at, run, seq, uuid", params)
    return [
        {
            "uuid": r["uuid"],
            "run": r["run"],
            "seq": r["seq"],
            "kind": r["kind"],
            "item": r["item"],
            "area": r["area"],
            "principles": json.loads(r["principles"]),
            "lang": r["lang"],
            "score": r["score"],
            "max_score": r["max_score"],
            "detail": json.loads(r["detail"]),
            "answered_at": r["answered_at"],
        }
        for r in rows
    ]


def rebuild_schedule(conn: sqlite3.Connection, profile_id: int) -> None:
    """Recompute the profile's schedule from all its answers (inside the caller's transaction)."""
    rows = conn.execute(
        "SELECT item, score, max_score, answered_at FROM training_attempts WHERE profile_id = ? "
        "ORDER BY answered_at, run, seq, uuid",
        (profile_id,),
    ).fetchall()
    states = replay((r[0], r[1] == r[2], r[3]) for r in rows)
    conn.execute("DELETE FROM training_schedule WHERE profile_id = ?", (profile_id,))
    for item, state in states.items():
        _save_state(conn, profile_id, item, state)


# ---------------------------------------------------------------------------------------------- role-plays


def session_uuid(session: dict[str, Any]) -> str:
    """The stable uuid a role-play session of this machine carries in exports."""
    trainee = (session.get("trainee") or "").lower()
    key = f"{session['started_at']}|{session['scenario']['id']}|{session['id']}|{trainee}"
    return str(uuidlib.uuid5(SESSION_NAMESPACE, key))


def roleplays(conn: sqlite3.Connection, profile: Profile) -> list[dict[str, Any]]:
    """The profile's role-play summaries, oldest first: sessions played here under its name, then those
    imported from other laptops (see ``coach.training.progress.roleplay_summary`` for the shape)."""

    out: dict[str, dict[str, Any]] = {}
    for s in sessions.list_sessions(conn, trainee=profile.name):
        record = sessions.get(conn, s.id)
        uid = session_uuid(record)
        out[uid] = roleplay_summary(record, uid)
    for r in _read(conn, "SELECT uuid, body FROM training_roleplay WHERE profile_id = ?", (profile.id,)):
        out.setdefault(r["uuid"], json.loads(r["body"]))
    return sorted(out.values(), key=lambda x: (x["started_at"], x["uuid"]))


# ---------------------------------------------------------------------------------------------- export/import

FORMAT = "coach-training"
VERSION = 1


def export_class(conn: sqlite3.Connection, klass: str) -> dict[str, Any]:
    """Everything recorded for a class: profiles, answers and role-play summaries, in a stable order."""
    profiles = class_profiles(conn, klass)
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "class": profiles[0].klass,
        "exported_at": now_iso(),
        "profiles": [p.as_dict() for p in profiles],
        "attempts": [],
        "roleplays": [],
    }
    for p in profiles:
        data["attempts"].extend({**a, "profile": p.uuid} for a in attempts(conn, p.id))
        data["roleplays"].extend({**r, "profile": p.uuid} for r in roleplays(conn, p))
    return data


@dataclass(frozen=True)
class ImportReport:
    """What an import changed."""

    profiles_new: int
    attempts_new: int
    attempts_known: int
    roleplays_new: int
    roleplays_updated: int
    roleplays_known: int

    def as_dict(self) -> dict[str, int]:
        """JSON-ready."""
        return dict(self.__dict__)


def _body(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k != "profile"}


def _same_attempt(row: sqlite3.Row, rec: dict[str, Any]) -> bool:
    return (
        row["kind"] == rec["kind"]
        and row["item"] == rec["item"]
        and row["score"] == rec["score"]
        and row["max_score"] == rec["max_score"]
        and row["answered_at"] == rec["answered_at"]
    )


def import_class(conn: sqlite3.Connection, files: list[tuple[dict[str, Any], str]]) -> ImportReport:
    """Merge exports (each ``(data, source)``, already checked by ``coach.training.transfer``) in one
    transaction: profiles by uuid, else by name; answers and role-plays by uuid, so importing a file twice
    changes nothing. Any conflict rolls the whole import back."""
    counts = [0] * 6
    touched: set[int] = set()
    with write_transaction(conn, "the import"):
        for data, source in files:
            for i, n in enumerate(_import_one(conn, data, source, touched)):
                counts[i] += n
        for profile_id in sorted(touched):
            rebuild_schedule(conn, profile_id)
    return ImportReport(*counts)


def _import_one(
    conn: sqlite3.Connection, data: dict[str, Any], source: str, touched: set[int]
) -> tuple[int, ...]:
    klass = data["class"]
    new_profiles = attempts_new = attempts_known = rp_new = rp_updated = rp_known = 0
    ids: dict[str, Profile] = {}
    for p in data["profiles"]:
        row = conn.execute("SELECT * FROM training_profiles WHERE uuid = ?", (p["uuid"],)).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT * FROM training_profiles WHERE name = ? COLLATE NOCASE", (p["name"],)
            ).fetchone()
        if row is not None:
            local = _profile(row)
            if local.klass.lower() != klass.lower():
                raise CoachError(
                    f"{source}: profiles: {p['name']!r} is in class {local.klass!r} here, the file says "
                    f"{klass!r}; nothing was written"
                )
        else:
            cur = conn.execute(
                "INSERT INTO training_profiles (uuid, name, class, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                (p["uuid"], p["name"], klass, p["created_at"]),
            )
            new_id = int(cur.fetchone()[0])
            local = _profile(
                conn.execute("SELECT * FROM training_profiles WHERE id = ?", (new_id,)).fetchone()
            )
            new_profiles += 1
        ids[p["uuid"]] = local
    for i, a in enumerate(data["attempts"]):
        local = ids[a["profile"]]
        row = conn.execute("SELECT * FROM training_attempts WHERE uuid = ?", (a["uuid"],)).fetchone()
        if row is not None:
            if row["profile_id"] != local.id or not _same_attempt(row, a):
                raise CoachError(
                    f"{source}: attempts[{i}]: uuid {a['uuid']} is already here with other content; "
                    "nothing was written"
                )
            attempts_known += 1
            continue
        _insert_attempt(conn, local.id, a)
        attempts_new += 1
        touched.add(local.id)
    local_sessions = _local_session_uuids(conn, ids.values())
    for r in data["roleplays"]:
        local = ids[r["profile"]]
        if r["uuid"] in local_sessions:
            rp_known += 1
            continue
        row = conn.execute(
            "SELECT profile_id, body FROM training_roleplay WHERE uuid = ?", (r["uuid"],)
        ).fetchone()
        body = _body(r)
        if row is None:
            conn.execute(
                "INSERT INTO training_roleplay (uuid, profile_id, scenario_id, started_at, body) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    r["uuid"],
                    local.id,
                    r["scenario"],
                    r["started_at"],
                    json.dumps(body, ensure_ascii=False, sort_keys=True),
                ),
            )
            rp_new += 1
        elif _further(body, json.loads(row["body"])):
            conn.execute(
                "UPDATE training_roleplay SET body = ? WHERE uuid = ?",
                (json.dumps(body, ensure_ascii=False, sort_keys=True), r["uuid"]),
            )
            rp_updated += 1
        else:
            rp_known += 1
    return new_profiles, attempts_new, attempts_known, rp_new, rp_updated, rp_known


def _further(incoming: dict[str, Any], stored: dict[str, Any]) -> bool:
    """A session exported again after more replies (or after it ended) replaces the earlier summary."""
    a = (_STATUS_RANK.get(incoming.get("status", "open"), 0), incoming.get("replies", 0))
    b = (_STATUS_RANK.get(stored.get("status", "open"), 0), stored.get("replies", 0))
    return a > b


def _local_session_uuids(conn: sqlite3.Connection, profiles: Any) -> set[str]:
    out: set[str] = set()
    for p in profiles:
        for s in sessions.list_sessions(conn, trainee=p.name):
            row = conn.execute(
                "SELECT id, started_at, scenario_id, trainee FROM sessions WHERE id = ?", (s.id,)
            ).fetchone()
            out.add(
                session_uuid(
                    {
                        "id": row["id"],
                        "started_at": row["started_at"],
                        "scenario": {"id": row["scenario_id"]},
                        "trainee": row["trainee"],
                    }
                )
            )
    return out
