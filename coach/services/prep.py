"""Meeting plans (`coach prep` and the meeting-plan screen): the buyer tactics an account's history suggests,
a plan with them applied, and the playbook guidance its brief quotes. Connection or folders in, values out."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from coach import locations
from coach.content import compiled
from coach.content.loader import taxonomy
from coach.content.plans import Plan, tactic_choices, validate
from coach.errors import CoachError
from coach.files import FileProblem, free_stem, write_file
from coach.review.account_summary import room_section
from coach.review.brief import render
from coach.review.plans import (
    Guidance,
    TacticSuggestion,
    guidance,
    suggest_tactics,
    suggested_order,
    suggestion_lines,
    suggestion_note,
)
from coach.services.accounts import meeting_room
from coach.store.concessions import Filter, select
from coach.store.plans import roleplay_situations


def account_suggestions(
    conn: sqlite3.Connection, account: str, *, exclude: Iterable[str] = ()
) -> list[TacticSuggestion]:
    """Tactics seen with ``account`` (its real log entries and its role-play sessions), strongest first,
    leaving out ``exclude`` (the tactics a plan lists already)."""
    # Sequence[Any]: a stored Concession is a read-only named tuple, review.concessions.Row a protocol
    # with plain attributes, which mypy will not match (as in coach.services.plan_check).
    rows: Sequence[Any] = select(conn, Filter(account=account))
    return suggest_tactics(rows, roleplay_situations(conn, account), tactic_choices(), exclude=exclude)


def suggestions_for(conn: sqlite3.Connection, plan: Plan) -> list[TacticSuggestion]:
    """Tactics worth expecting from the plan's account that the plan does not list yet."""
    return account_suggestions(conn, plan.account, exclude=[t.tactic for t in plan.expected_tactics])


def apply_suggestions(conn: sqlite3.Connection, plan: Plan, lang: str = "en") -> tuple[Plan, list[str]]:
    """The plan with suggested tactics added (noting where they were seen) and tradeables in suggested order;
    returns (plan, lines describing what changed, each tactic named by its playbook title)."""
    found = suggestions_for(conn, plan)
    data = plan.body()
    lines = named_suggestions(found, lang)
    for s in found:
        data["expected_tactics"].append({"tactic": s.tactic, "note": suggestion_note(s, lang)})
    ordered = suggested_order(plan.tradeables)
    data["tradeables"] = [t.model_dump(mode="json") for t in ordered]
    changed = [("+ expected tactic " if lang == "en" else "+ 预计手段 ") + line for line in lines]
    if ordered != list(plan.tradeables):
        changed.append(
            "tradeables reordered: cheap to give, valuable to them first"
            if lang == "en"
            else "可让步项目已重新排序：成本低、对客户价值高的在前"
        )
    return validate(data, "plan"), changed


def playbook_guidance(
    ids: Iterable[str], playbooks: Sequence[str | Path] | None = None
) -> dict[str, Guidance]:
    """Guidance for rule ids from the playbooks (shipped, ``COACH_PLAYBOOKS`` and ``playbooks``); only the
    situations' names when the playbooks cannot load."""

    try:
        found = compiled.load(locations.user_playbook_dirs([str(p) for p in playbooks or []]))
        rules, tax = found.library(check=False).rules, found.taxonomy  # what loaded, even with a bad file
    except CoachError:
        rules, tax = {}, taxonomy()
    return guidance(rules, ids, _names(tax))


def guidance_from(rules: Mapping[str, Any], ids: Iterable[str]) -> dict[str, Guidance]:
    """Guidance for rule ids from rules already loaded (the UI's library, or none yet): a rule the
    playbooks lack is named as the taxonomy names it, never by its id."""

    return guidance(rules, ids, _names(taxonomy()))


def named_suggestions(found: Sequence[TacticSuggestion], lang: str = "en") -> list[str]:
    """One line per suggested tactic: its playbook title in ``lang`` and where it was seen."""
    return suggestion_lines(found, lang, tactic_titles(s.tactic for s in found)) if found else []


def tactic_titles(
    ids: Iterable[str], playbooks: Sequence[str | Path] | None = None
) -> dict[str, Mapping[str, str]]:
    """The playbooks' title of each rule id in both languages (the taxonomy's name when they lack it), to
    name suggested tactics by."""
    return {rule_id: g.title for rule_id, g in playbook_guidance(ids, playbooks).items()}


def _names(tax: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Situation id -> its name per language, from a taxonomy."""
    return {s["id"]: {"en": s["en"], "zh": s["zh"]} for group in tax["situations"].values() for s in group}


def write_brief(folder: Path, stem: str, render: Callable[[str], str]) -> Path:
    """Write the brief as ``STEM.md`` and ``STEM.html`` in ``folder`` (``STEM-2.md``... when taken: an earlier
    export is never overwritten), owner-only and whole or not at all; returns the Markdown file."""

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise FileProblem(folder, f"cannot create the folder ({exc.strerror or exc})") from None
    name = free_stem(folder, stem, ("md", "html"))
    for fmt in ("md", "html"):
        write_file(folder / f"{name}.{fmt}", render(fmt), force=None, option="export")
    return folder / f"{name}.md"


def export_brief(
    conn: sqlite3.Connection,
    plan: Plan,
    notes: Mapping[str, Guidance],
    lang: str,
    folder: Path,
    *,
    plan_id: int | None,
    version: int | None,
) -> Path:
    """Write the plan's brief in ``lang`` to ``folder`` as Markdown and HTML (``write_brief``), as ``coach prep
    brief`` renders it, with who of theirs is in the room read now; returns the Markdown file."""

    room = meeting_room(conn, plan.account, plan.professionalism.theirs)
    people = room_section(room, lang) if room is not None else None
    base = f"brief-plan-{plan_id}-v{version}" if plan_id else "brief-unsaved"
    return write_brief(
        folder,
        f"{base}-{lang}",
        lambda fmt: render(plan, notes, fmt, lang, plan_id=plan_id, version=version, people=people),
    )
