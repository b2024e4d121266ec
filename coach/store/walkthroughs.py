"""Saved walk-throughs: a playbook entry taken step by step, with a tick and notes per step.

Schema version 2 (version 1 is the concession log). A walk-through keeps the text of every step as it
was shown, so a record stays readable after the playbook changes.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from coach.clock import local_time
from coach.errors import CoachError
from coach.files import free_stem, write_file
from coach.i18n import tr
from coach.store.db import begin_immediate

KINDS = ("step", "say", "avoid")
"""What a page of a walk-through holds: a step to take, a line to say, or a thing to avoid."""

LANGS = ("en", "zh")
MAX_NOTES = 20_000
"""Notes longer than this are refused (a page of notes is a few hundred characters)."""


@dataclass
class StepRecord:
    """One page of a walk-through: what it said, whether it was done, and the notes taken."""

    kind: str
    text: str
    done: bool = False
    notes: str = ""


@dataclass
class Walkthrough:
    """A walk-through of one playbook entry, saved or not yet saved (``id`` is None)."""

    rule_id: str
    title: str
    lang: str
    steps: list[StepRecord] = field(default_factory=list)
    label: str = ""
    id: int | None = None
    started_at: str = ""
    saved_at: str = ""
    situation: str = ""
    """What the user typed in the situation coach before this walk-through (empty when not started there)."""

    @property
    def done_count(self) -> int:
        """How many pages were ticked."""
        return sum(1 for s in self.steps if s.done)


def now_iso() -> str:
    """The current UTC time, to the second, as ISO 8601."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _check(wt: Walkthrough) -> None:
    """Refuse a record that would not read back the same; names the field at fault."""
    if not wt.rule_id.strip():
        raise CoachError("walkthrough.rule_id: must not be empty")
    if wt.lang not in LANGS:
        raise CoachError(f"walkthrough.lang: must be en or zh, not {wt.lang!r}")
    if not wt.steps:
        raise CoachError("walkthrough.steps: a walk-through needs at least one step")
    if len(wt.label) > 200:
        raise CoachError("walkthrough.label: at most 200 characters")
    if len(wt.situation) > MAX_NOTES:
        raise CoachError(f"walkthrough.situation: at most {MAX_NOTES} characters")
    for i, step in enumerate(wt.steps):
        if step.kind not in KINDS:
            raise CoachError(
                f"walkthrough.steps[{i}].kind: must be one of {', '.join(KINDS)}, not {step.kind!r}"
            )
        if len(step.notes) > MAX_NOTES:
            raise CoachError(f"walkthrough.steps[{i}].notes: at most {MAX_NOTES} characters")


def save(conn: sqlite3.Connection, wt: Walkthrough) -> int:
    """Insert the walk-through, or replace the saved one with its id, in one transaction; returns the id."""
    _check(wt)
    wt.started_at = wt.started_at or now_iso()
    saved_at = now_iso()
    begin_immediate(conn)  # the write lock, waited for as every writer waits (busy timeout, notice)
    try:
        if wt.id is None:
            cur = conn.execute(
                "INSERT INTO walkthroughs (rule_id, title, lang, label, started_at, saved_at, situation)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (wt.rule_id, wt.title, wt.lang, wt.label, wt.started_at, saved_at, wt.situation),
            )
            new_id = int(cur.fetchone()[0])
        else:
            cur = conn.execute(
                "UPDATE walkthroughs SET title = ?, lang = ?, label = ?, saved_at = ?, situation = ?"
                " WHERE id = ?",
                (wt.title, wt.lang, wt.label, saved_at, wt.situation, wt.id),
            )
            if cur.rowcount != 1:
                raise CoachError(f"walk-through {wt.id} no longer exists", "save it again as a new one")
            new_id = wt.id
            conn.execute("DELETE FROM walkthrough_steps WHERE walkthrough_id = ?", (new_id,))
        conn.executemany(
            "INSERT INTO walkthrough_steps (walkthrough_id, position, kind, text, done, notes)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(new_id, i, s.kind, s.text, int(bool(s.done)), s.notes) for i, s in enumerate(wt.steps)],
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    wt.id = new_id
    wt.saved_at = saved_at
    return new_id


def list_recent(conn: sqlite3.Connection, limit: int = 200) -> list[Walkthrough]:
    """Saved walk-throughs, newest first, with their steps."""
    rows = conn.execute(
        "SELECT * FROM walkthroughs ORDER BY saved_at DESC, id DESC LIMIT ?", (max(1, limit),)
    ).fetchall()
    return [_with_steps(conn, row) for row in rows]


def get(conn: sqlite3.Connection, wt_id: int) -> Walkthrough:
    """One saved walk-through; a ``CoachError`` naming the id when there is none."""
    row = conn.execute("SELECT * FROM walkthroughs WHERE id = ?", (wt_id,)).fetchone()
    if row is None:
        raise CoachError(f"no walk-through with id {wt_id}", "`coach walkthroughs list` shows the saved ones")
    return _with_steps(conn, row)


def _with_steps(conn: sqlite3.Connection, row: sqlite3.Row) -> Walkthrough:
    steps = [
        StepRecord(s["kind"], s["text"], bool(s["done"]), s["notes"])
        for s in conn.execute(
            "SELECT kind, text, done, notes FROM walkthrough_steps"
            " WHERE walkthrough_id = ? ORDER BY position",
            (row["id"],),
        )
    ]
    return Walkthrough(
        rule_id=row["rule_id"],
        title=row["title"],
        lang=row["lang"],
        steps=steps,
        label=row["label"],
        id=row["id"],
        started_at=row["started_at"],
        saved_at=row["saved_at"],
        situation=row["situation"],
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(text: str) -> str:
    """User or playbook text made literal in Markdown (no headings, links, emphasis or HTML)."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # A leading "1." or "-" would start a list; a leading "+" or "=" too in some renderers.
    return re.sub(r"(?m)^(\s*)(\d+)\.", r"\1\2\\.", re.sub(r"(?m)^(\s*)([-+=])", r"\1\\\2", text))


def to_markdown(wt: Walkthrough) -> str:
    """The walk-through as a Markdown document in its own language, all text escaped."""
    c = tr(wt.lang, "walk.md.colon")
    lines = [f"# {tr(wt.lang, 'walk.md.title')}{c}{md_escape(wt.title)}", ""]
    if wt.label:
        lines.append(f"- {tr(wt.lang, 'walk.md.label')}{c}{md_escape(wt.label)}")
    if wt.situation.strip():
        lines.append(f"- {tr(wt.lang, 'walk.md.situation')}{c}{md_escape(' '.join(wt.situation.split()))}")
    if wt.started_at:
        lines.append(f"- {tr(wt.lang, 'walk.md.started')}{c}{local_time(wt.started_at)}")
    if wt.saved_at:
        lines.append(f"- {tr(wt.lang, 'walk.md.saved')}{c}{local_time(wt.saved_at)}")
    lines.append(f"- {tr(wt.lang, 'walk.md.progress', done=wt.done_count, total=len(wt.steps))}")
    for i, step in enumerate(wt.steps, 1):
        box = "x" if step.done else " "
        lines += [
            "",
            f"## {i}. {tr(wt.lang, 'walk.md.' + step.kind)}",
            "",
            f"- [{box}] {md_escape(' '.join(step.text.split()))}",
        ]
        if step.notes.strip():
            lines += ["", f"{tr(wt.lang, 'walk.md.notes')}{c.rstrip()}", ""]
            lines += [
                f"> {md_escape(line)}" if line.strip() else ">" for line in step.notes.strip().splitlines()
            ]
    return "\n".join(lines) + "\n"


def write_markdown(wt: Walkthrough, folder: Path) -> Path:
    """Write ``to_markdown(wt)`` to a new file in ``folder`` (never overwriting one); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    who = f"{wt.id}" if wt.id is not None else "unsaved"
    stem = f"walkthrough-{who}-{re.sub(r'[^a-z0-9.-]+', '-', wt.rule_id.lower())}-{stamp}"

    path = folder / f"{free_stem(folder, stem, ('md',), first=1)}.md"
    write_file(
        path, to_markdown(wt).encode("utf-8"), force=None, option="export"
    )  # owner-only, whole or not at all
    return path
