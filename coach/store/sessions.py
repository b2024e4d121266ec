"""Role-play sessions: every reply saved as it is made, the debrief when it ends, the practice concessions.

Schema version 3 (1 is the concession log, 2 the walk-throughs). A session keeps what it showed (the
scenario's persona and texts, each exchange with its feedback, in both languages) as JSON, so it stays
readable after the scenario or the playbooks change. Replies are written one by one, so a session
cut short by a closed terminal keeps everything said up to then (its status stays ``open``).

Concessions the trainee makes (a conditional or unconditional concession detected in a reply) go to the
concession log with ``practice = 1``; a reply taken back with retry gets a withdrawal entry there. The
log's queries leave practice entries out unless asked, so they never mix into real figures.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Any

from coach.content.loader import situation_ids
from coach.errors import CoachError
from coach.store import concessions
from coach.store.concessions import validate_entry
from coach.store.db import DatabaseError, database_name, now_iso, write_transaction

STATUSES = ("open", "finished", "left")
"""open: being played (or cut short); finished: an ending was reached; left: the trainee quit early."""
LANGS = ("en", "zh")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------------------------- writing


def begin(conn: sqlite3.Connection, scenario: dict[str, Any], lang: str, trainee: str | None = None) -> int:
    """Create a session for ``scenario`` (its ``scenario_dict``); returns the session id."""
    if lang not in LANGS:
        raise CoachError(f"lang: must be en or zh, not {lang!r}")
    trainee = _line(trainee or "", 200) or None
    with write_transaction(conn, "the session"):
        cur = conn.execute(
            "INSERT INTO sessions (scenario_id, scenario, lang, trainee, started_at) VALUES (?, ?, ?, ?, ?) "
            "RETURNING id",
            (scenario["id"], _dump(scenario), lang, trainee, now_iso()),
        )
        session_id = int(cur.fetchone()[0])
    return session_id


def add_exchange(
    conn: sqlite3.Connection,
    session_id: int,
    position: int,
    exchange: dict[str, Any],
    concession_id: int | None,
) -> None:
    """Save one reply with its feedback at ``position`` (0-based, in the order replies were made)."""
    with write_transaction(conn, "the session"):
        conn.execute(
            "INSERT INTO session_exchanges (session_id, position, exchange, concession_id, recorded_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (session_id, position, _dump(exchange), concession_id, now_iso()),
        )


def mark_retried(conn: sqlite3.Connection, session_id: int, position: int) -> None:
    """Mark the reply at ``position`` as taken back (it stays in the transcript, flagged)."""
    with write_transaction(conn, "the session"):
        conn.execute(
            "UPDATE session_exchanges SET retried = 1 WHERE session_id = ? AND position = ?",
            (session_id, position),
        )


def finish(conn: sqlite3.Connection, session_id: int, status: str, debrief: dict[str, Any]) -> None:
    """Close the session: ``finished`` (an ending was reached) or ``left``, with its debrief."""
    if status not in ("finished", "left"):
        raise CoachError(f"status: must be finished or left, not {status!r}")
    with write_transaction(conn, "the session"):
        conn.execute(
            "UPDATE sessions SET status = ?, outcome = ?, ending = ?, scorecard = ?, debrief = ?, "
            "ended_at = ? "
            "WHERE id = ?",
            (
                status,
                debrief.get("outcome"),
                debrief.get("ending"),
                _dump(debrief.get("scorecard", [])),
                _dump(debrief),
                now_iso(),
                session_id,
            ),
        )


def reopen(conn: sqlite3.Connection, session_id: int) -> None:
    """Open a closed session again (the trainee took back the reply that ended it, to try that turn again)."""
    with write_transaction(conn, "the session"):
        conn.execute(
            "UPDATE sessions SET status = 'open', outcome = NULL, ending = NULL, debrief = NULL, "
            "ended_at = NULL WHERE id = ?",
            (session_id,),
        )


_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


def _line(value: str, limit: int) -> str:
    """One line of plain text: escapes and control characters dropped, at most ``limit`` characters."""
    value = _CONTROL.sub(" ", value)
    value = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


_IF = re.compile(
    r"\b(if you\b[^.;!?]{1,160}|provided (that )?you\b[^.;!?]{1,160}|in (return|exchange)\b[^.;!?]{0,160})",
    re.IGNORECASE,
)
_IF_ZH = re.compile(r"(如果|只要|前提是)[^。；！？]{1,80}")


def asked_in_return(reply: str) -> str | None:
    """The part of a conditional concession that asks for something back ("if you ...", "如果…")."""
    m = _IF.search(reply) or _IF_ZH.search(reply)
    return _line(m.group(0), 500) if m else None


def practice_concession(
    *,
    session_id: int,
    scenario: dict[str, Any],
    lang: str,
    exchange: dict[str, Any],
    stake: str,
    stage: str,
) -> Any:
    """The concession-log entry (validated, ``practice``) for a reply that gave something, or None."""

    # A trade past a limit is not praised, so it is withheld from the feedback: it is still a concession.
    ids = [b["id"] for b in exchange["behaviours"]] + list(exchange.get("withheld", []))
    conditional = "reply.conditional-concession" in ids
    if not conditional and "reply.unconditional-concession" not in ids:
        return None
    retailer = scenario["persona"]["retailer"][lang]
    title = scenario["title"][lang]
    note = (
        f"Role-play practice: scenario {scenario['id']}, turn {exchange['turn']}."
        if lang == "en"
        else f"角色扮演练习：场景 {scenario['id']}，环节 {exchange['turn']}。"
    )
    got = None
    if conditional:
        got = asked_in_return(exchange["reply"]) or (
            "what the reply asked in return" if lang == "en" else "回复中要求的交换条件"
        )
    return validate_entry(
        {
            "account": _line(retailer, 200),
            "meeting": _line(f"role-play #{session_id}: {title}", 200),
            "type": stake,
            "give": _line(exchange["reply"], 500),
            "get": got,
            "asked_by": _line(exchange["speaker"][lang], 200),
            "tactic": exchange["situation"] if exchange["situation"] in situation_ids() else None,
            "stage": stage,
            "status": "offered" if conditional else "agreed",
            "note": note,
            "practice": True,
        }
    )


def withdraw_practice(conn: sqlite3.Connection, concession_id: int) -> int | None:
    """Add a withdrawal for a practice concession whose reply was taken back; returns the new entry's id."""

    old = concessions.get(conn, concession_id)
    if old is None or not old.practice or old.superseded_by is not None:
        return None
    return concessions.add(conn, concessions.correction(old, {"status": "withdrawn"}))


class Recorder:
    """Saves a role-play as it is played: the session is created with the first reply (a role-play left
    before any reply leaves nothing behind), then a row per reply, retries, and the debrief at the end."""

    def __init__(
        self, conn: sqlite3.Connection, scenario: dict[str, Any], lang: str, trainee: str | None = None
    ):
        if lang not in LANGS:
            raise CoachError(f"lang: must be en or zh, not {lang!r}")
        self.conn = conn
        self.scenario = scenario
        self.lang = lang
        self.trainee = trainee
        self.id: int | None = None
        """The session's id, once the first reply is saved."""
        self._position = 0
        self._standing: list[tuple[int, int | None]] = []
        self._closed = False
        self.concessions: list[int] = []
        """Ids of the practice concessions written (withdrawals included)."""

    def replied(self, exchange: dict[str, Any], *, stake: str, stage: str) -> int | None:
        """Save a reply (its ``exchange_dict``); a concession in it is logged as practice."""

        if self.id is None:
            self.id = begin(self.conn, self.scenario, self.lang, self.trainee)
        if self._closed:  # a reply after the end: only after a retry, which reopens; be safe anyway
            reopen(self.conn, self.id)
            self._closed = False
        entry = practice_concession(
            session_id=self.id,
            scenario=self.scenario,
            lang=self.lang,
            exchange=exchange,
            stake=stake,
            stage=stage,
        )
        concession_id = concessions.add(self.conn, entry) if entry is not None else None
        if concession_id is not None:
            self.concessions.append(concession_id)
        add_exchange(self.conn, self.id, self._position, exchange, concession_id)
        self._standing.append((self._position, concession_id))
        self._position += 1
        return concession_id

    def retried(self) -> None:
        """The last standing reply was taken back: flag it, withdraw its practice concession, and reopen
        the session if that reply had ended it."""
        if self.id is None or not self._standing:
            return
        if self._closed:
            reopen(self.conn, self.id)
            self._closed = False
        position, concession_id = self._standing.pop()
        mark_retried(self.conn, self.id, position)
        if concession_id is not None:
            withdrawal = withdraw_practice(self.conn, concession_id)
            if withdrawal is not None:
                self.concessions.append(withdrawal)

    def finished(self, debrief: dict[str, Any], *, left: bool = False) -> bool:
        """Close the session with its debrief (``left`` when the trainee quit before an ending).
        Returns False, saving nothing, when no reply was ever made."""
        if self.id is None:
            return False
        finish(self.conn, self.id, "left" if left else "finished", debrief)
        self._closed = True
        return True


# --------------------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Summary:
    """One line of ``coach sessions list``."""

    id: int
    scenario_id: str
    title: dict[str, str]
    lang: str
    trainee: str | None
    status: str
    outcome: str | None
    started_at: str
    ended_at: str | None
    replies: int
    retries: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "scenario": self.scenario_id,
            "title": self.title,
            "lang": self.lang,
            "trainee": self.trainee,
            "status": self.status,
            "outcome": self.outcome,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "replies": self.replies,
            "retries": self.retries,
        }


def _read(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{database_name(conn)}: could not read sessions ({exc}); nothing was changed"
        ) from None


def list_sessions(
    conn: sqlite3.Connection, *, scenario: str | None = None, trainee: str | None = None, limit: int = 10_000
) -> list[Summary]:
    """Sessions, newest first, optionally for one scenario or one trainee (case does not matter)."""
    clauses, params = [], []
    if scenario:
        clauses.append("s.scenario_id = ?")
        params.append(scenario)
    if trainee:
        clauses.append("s.trainee = ? COLLATE NOCASE")
        params.append(" ".join(trainee.split()))
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = _read(
        conn,
        "SELECT s.*, "
        "(SELECT COUNT(*) FROM session_exchanges e WHERE e.session_id = s.id AND e.retried = 0) AS replies, "
        "(SELECT COUNT(*) FROM session_exchanges e WHERE e.session_id = s.id AND e.retried = 1) AS retries "
        f"FROM sessions s{where} ORDER BY s.started_at DESC, s.id DESC LIMIT ?",
        (*params, max(1, limit)),
    )
    return [
        Summary(
            id=r["id"],
            scenario_id=r["scenario_id"],
            title=json.loads(r["scenario"]).get("title", {}),
            lang=r["lang"],
            trainee=r["trainee"],
            status=r["status"],
            outcome=r["outcome"],
            started_at=r["started_at"],
            ended_at=r["ended_at"],
            replies=r["replies"],
            retries=r["retries"],
        )
        for r in rows
    ]


def get(conn: sqlite3.Connection, session_id: int) -> dict[str, Any]:
    """One session with its whole transcript (taken-back replies flagged ``retried``), JSON-ready."""
    rows = _read(conn, "SELECT * FROM sessions WHERE id = ?", (session_id,))
    if not rows:
        raise CoachError(f"no session with id {session_id}", "`coach sessions list` shows the saved ones")
    row = rows[0]
    transcript = []
    for e in _read(
        conn, "SELECT * FROM session_exchanges WHERE session_id = ? ORDER BY position", (session_id,)
    ):
        item = json.loads(e["exchange"])
        item["retried"] = bool(e["retried"])
        item["concession_id"] = e["concession_id"]
        item["recorded_at"] = e["recorded_at"]
        transcript.append(item)
    return {
        "id": row["id"],
        "scenario": json.loads(row["scenario"]),
        "lang": row["lang"],
        "trainee": row["trainee"],
        "status": row["status"],
        "outcome": row["outcome"],
        "ending": row["ending"],
        "started_at": row["started_at"],
        "ended_at": row["ended_at"],
        "scorecard": json.loads(row["scorecard"]),
        "debrief": json.loads(row["debrief"]) if row["debrief"] else None,
        "transcript": transcript,
    }
