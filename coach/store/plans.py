"""Saved meeting plans, versioned: every edit adds a version and no version is ever changed or deleted.

Schema version 4 (1 is the concession log, 2 walk-throughs, 3 role-play sessions). One plan per account
and meeting (case does not matter); its versions hold the validated plan as JSON, so an old version
reads the same after the plan model gains optional fields. Saving checks the version it was based on,
so two editors never overwrite each other silently.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from coach.content.plans import Plan, PlanError, require_complete, validate
from coach.errors import CoachError
from coach.store.db import DatabaseError, database_name, now_iso, write_transaction
from coach.store.names import account_key, name_clause

MAX_NOTE = 500
"""Longest accepted note on a version (why it changed)."""


class PlanNotFound(CoachError):
    """No plan (or no such version) with that id."""


class PlanConflict(CoachError):
    """Saving would overwrite a change saved meanwhile, or a plan for that account and meeting exists."""


@dataclass(frozen=True)
class PlanSummary:
    """One plan in a listing: its identity, date, how many versions, when last saved."""

    id: int
    account: str
    meeting: str
    date: str | None
    versions: int
    created_at: str
    updated_at: str
    copied_from: int | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class StoredPlan:
    """One version of a saved plan."""

    id: int
    version: int
    latest: int
    saved_at: str
    note: str | None
    plan: Plan
    copied_from: int | None = None

    @property
    def is_latest(self) -> bool:
        """True when this is the plan's newest version."""
        return self.version == self.latest


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    text = " ".join(note.split())
    if len(text) > MAX_NOTE:
        raise CoachError(f"note: at most {MAX_NOTE} characters (got {len(text)})")
    return text or None


def _encode(plan: Plan) -> str:
    return json.dumps(plan.body(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _decode(conn: sqlite3.Connection, body: str, plan_id: int, version: int) -> Plan:
    try:
        return validate(json.loads(body), f"meeting plan {plan_id}, version {version}")
    except (ValueError, PlanError) as exc:
        detail = exc.problems[0] if isinstance(exc, PlanError) else str(exc)
        raise DatabaseError(
            f"{database_name(conn)}: saved meeting plan {plan_id}, version {version}, cannot be read ({detail})",
            "export an older version, or restore a backup",
        ) from None


def _same_meeting(conn: sqlite3.Connection, plan: Plan, other_than: int | None = None) -> int | None:
    row = conn.execute(
        "SELECT id FROM plans WHERE account = ? COLLATE NOCASE AND meeting = ? COLLATE NOCASE",
        (plan.account, plan.meeting),
    ).fetchone()
    if row is None or row[0] == other_than:
        return None
    return int(row[0])


def create(
    conn: sqlite3.Connection, plan: Plan, *, note: str | None = None, copied_from: int | None = None
) -> int:
    """Save a new plan (version 1) and return its id; refuses an incomplete plan or a second plan for the
    same account and meeting."""
    require_complete(plan)
    note = _clean_note(note)
    with write_transaction(conn, "the plan"):
        existing = _same_meeting(conn, plan)
        if existing is not None:
            raise PlanConflict(
                f"meeting plan {existing} already exists for {plan.account} / {plan.meeting}",
                f"change it with `coach prep edit {existing}`",
            )
        now = now_iso()
        cur = conn.execute(
            "INSERT INTO plans (account, meeting, meeting_date, created_at, updated_at, copied_from) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (plan.account, plan.meeting, plan.date, now, now, copied_from),
        )
        plan_id = int(cur.fetchone()[0])
        conn.execute(
            "INSERT INTO plan_versions (plan_id, version, saved_at, note, body) VALUES (?, 1, ?, ?, ?)",
            (plan_id, now, note, _encode(plan)),
        )
    return plan_id


def save_version(
    conn: sqlite3.Connection,
    plan_id: int,
    plan: Plan,
    *,
    base_version: int | None = None,
    note: str | None = None,
) -> tuple[int, bool]:
    """Add a version to a plan; returns (version, changed). Nothing is added when the plan equals the latest
    version. With ``base_version``, refuses if someone saved a newer version meanwhile."""
    require_complete(plan)
    note = _clean_note(note)
    body = _encode(plan)
    with write_transaction(conn, "the plan"):
        row = conn.execute(
            "SELECT version, body FROM plan_versions WHERE plan_id = ? ORDER BY version DESC LIMIT 1",
            (plan_id,),
        ).fetchone()
        if row is None or row[0] is None:
            raise PlanNotFound(f"there is no meeting plan {plan_id}", "see `coach prep list`")
        latest, latest_body = int(row[0]), row[1]
        if base_version is not None and base_version != latest:
            raise PlanConflict(
                f"meeting plan {plan_id} was saved as version {latest} after you opened version {base_version}; "
                "nothing was saved",
                f"look at `coach prep show {plan_id}` and edit again",
            )
        if body == latest_body:
            return latest, False
        clash = _same_meeting(conn, plan, other_than=plan_id)
        if clash is not None:
            raise PlanConflict(
                f"meeting plan {clash} already covers {plan.account} / {plan.meeting}; nothing was saved",
                "keep this plan's account and meeting, or edit that plan",
            )
        now = now_iso()
        conn.execute(
            "INSERT INTO plan_versions (plan_id, version, saved_at, note, body) VALUES (?, ?, ?, ?, ?)",
            (plan_id, latest + 1, now, note, body),
        )
        conn.execute(
            "UPDATE plans SET account = ?, meeting = ?, meeting_date = ?, updated_at = ? WHERE id = ?",
            (plan.account, plan.meeting, plan.date, now, plan_id),
        )
    return latest + 1, True


def save(conn: sqlite3.Connection, plan: Plan, *, note: str | None = None) -> tuple[int, int, bool]:
    """Save by account and meeting: a new plan, or a new version of the plan for them. Returns
    (plan id, version, changed)."""
    require_complete(plan)
    found = find(conn, account=plan.account, meeting=plan.meeting)
    if not found:
        return create(conn, plan, note=note), 1, True
    version, changed = save_version(conn, found[0].id, plan, note=note)
    return found[0].id, version, changed


def get(conn: sqlite3.Connection, plan_id: int, version: int | None = None) -> StoredPlan:
    """One version of a plan (the latest by default); ``PlanNotFound`` when there is none."""
    head = conn.execute(
        "SELECT (SELECT MAX(version) FROM plan_versions WHERE plan_id = p.id), p.copied_from FROM plans p "
        "WHERE p.id = ?",
        (plan_id,),
    ).fetchone()
    if head is None or head[0] is None:
        raise PlanNotFound(f"there is no meeting plan {plan_id}", "see `coach prep list`")
    latest = int(head[0])
    wanted = latest if version is None else version
    row = conn.execute(
        "SELECT saved_at, note, body FROM plan_versions WHERE plan_id = ? AND version = ?", (plan_id, wanted)
    ).fetchone()
    if row is None:
        raise PlanNotFound(f"meeting plan {plan_id} has no version {wanted} (versions 1 to {latest})")
    return StoredPlan(
        plan_id, wanted, latest, row[0], row[1], _decode(conn, row[2], plan_id, wanted), head[1]
    )


def history(conn: sqlite3.Connection, plan_id: int) -> list[tuple[int, str, str | None]]:
    """(version, saved at, note) of every version, oldest first."""
    rows = conn.execute(
        "SELECT version, saved_at, note FROM plan_versions WHERE plan_id = ? ORDER BY version", (plan_id,)
    ).fetchall()
    if not rows:
        raise PlanNotFound(f"there is no meeting plan {plan_id}", "see `coach prep list`")
    return [(int(v), s, n) for v, s, n in rows]


_SUMMARY = (
    "SELECT p.id, p.account, p.meeting, p.meeting_date, (SELECT COUNT(*) FROM plan_versions v "
    "WHERE v.plan_id = p.id), p.created_at, p.updated_at, p.copied_from FROM plans p"
)


def find(
    conn: sqlite3.Connection, *, account: str | None = None, meeting: str | None = None
) -> list[PlanSummary]:
    """Plans for an account (spelled in any way ``account_key`` folds) and/or a meeting (case does not
    matter), newest meeting first."""

    clauses: list[str] = []
    params: list[str] = []
    if account and account.strip():  # every spelling of the account: case, spacing, Traditional or Simplified
        clause, names = name_clause(conn, "plans", account, alias="p")
        clauses.append(clause)
        params += names
    if meeting and meeting.strip():
        clauses.append("p.meeting = ? COLLATE NOCASE")
        params.append(" ".join(meeting.split()))
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    order = (
        " ORDER BY COALESCE(p.meeting_date, substr(p.created_at, 1, 10)) DESC, p.updated_at DESC, p.id DESC"
    )
    return [PlanSummary(*row) for row in conn.execute(_SUMMARY + where + order, params)]


def list_plans(conn: sqlite3.Connection, account: str | None = None) -> list[PlanSummary]:
    """Every plan (or one account's), newest meeting first."""
    return find(conn, account=account)


def last_for_account(
    conn: sqlite3.Connection, account: str, *, exclude: int | None = None
) -> StoredPlan | None:
    """The latest version of the account's most recent plan (by meeting date, then last save), if any."""
    for summary in find(conn, account=account):
        if summary.id != exclude:
            return get(conn, summary.id)
    return None


def account_names(conn: sqlite3.Connection) -> list[str]:
    """Accounts with a plan, alphabetically (for completion in the wizard)."""
    return [r[0] for r in conn.execute("SELECT DISTINCT account FROM plans ORDER BY account COLLATE NOCASE")]


def roleplay_situations(conn: sqlite3.Connection, account: str) -> list[str]:
    """Situation ids met in past role-play sessions with this account's buyers, once per exchange.

    A session's scenario names the retailer the persona buys for (in both languages); sessions whose
    retailer is ``account`` count. Replies taken back (retried) do not.
    """
    wanted = account_key(account)
    out: list[str] = []
    try:
        sessions = conn.execute("SELECT id, scenario FROM sessions").fetchall()
        for session_id, scenario in sessions:
            try:
                retailer = json.loads(scenario).get("persona", {}).get("retailer") or {}
            except (ValueError, AttributeError):
                continue
            names = {account_key(str(v)) for v in retailer.values()} if isinstance(retailer, dict) else set()
            if wanted not in names:
                continue
            for (exchange,) in conn.execute(
                "SELECT exchange FROM session_exchanges WHERE session_id = ? AND retried = 0 "
                "ORDER BY position",
                (session_id,),
            ):
                try:
                    situation = json.loads(exchange).get("situation")
                except (ValueError, AttributeError):
                    continue
                if isinstance(situation, str):
                    out.append(situation)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{database_name(conn)}: could not read role-play sessions ({exc}); nothing was changed"
        ) from None
    return out
