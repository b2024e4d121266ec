"""A key account as the rest of the tool needs it (issue 13, item 5): what it offers a meeting plan, who
will be in the room for the brief, and the one-page account summary. Connection in, values out; the
command line and the terminal UI both call these."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from coach.content.business_plans import BusinessPlan, Objective, Review, name_key
from coach.review.account_summary import (
    OFFER_ACTIONS,
    OpenAction,
    Room,
    agenda_line,
    key_people,
    open_actions,
    open_objectives,
    room,
)
from coach.review.account_summary import summary as build
from coach.review.business_plan import log_totals
from coach.store import accounts, business_plans
from coach.store.accounts import AccountMap, Contact


@dataclass(frozen=True)
class AccountOffer:
    """What a key account offers a meeting plan: the year's plan objectives, their people, open actions."""

    map: AccountMap
    year: int | None
    """The business plan's year, or None when the account has no plan."""
    objectives: list[Objective] = field(default_factory=list)
    people: list[Contact] = field(default_factory=list)
    """Their active people who weigh most first."""
    actions: list[OpenAction] = field(default_factory=list)
    """Overdue first."""

    @property
    def empty(self) -> bool:
        """True when there is nothing to offer."""
        return not (self.objectives or self.people or self.actions)


def plan_year(conn: sqlite3.Connection, account: str, when: date) -> int | None:
    """The business plan a meeting on ``when`` belongs to: that year's, else the latest before it, else the
    earliest after it; None when the account has no plan."""

    have = business_plans.years(conn, account)
    if not have:
        return None
    if when.year in have:
        return when.year
    before = [y for y in have if y < when.year]
    return max(before) if before else min(have)


def _plan(
    conn: sqlite3.Connection, account: str, year: int | None
) -> tuple[BusinessPlan | None, list[Review]]:
    if year is None:
        return None, []
    stored = business_plans.load(conn, account, year)
    return (stored.plan, list(stored.reviews)) if stored else (None, [])


def _meeting_day(meeting_date: str | None, today: date) -> date:
    try:
        return date.fromisoformat(meeting_date) if meeting_date else today
    except ValueError:
        return today


def offer(
    conn: sqlite3.Connection, account: str, *, meeting_date: str | None = None, today: date | None = None
) -> AccountOffer | None:
    """What the key account ``account`` offers a meeting plan, or None when it is not a key account."""

    today = today or date.today()
    if accounts.find(conn, account) is None:
        return None
    m = accounts.account_map(conn, account)
    year = plan_year(conn, account, _meeting_day(meeting_date, today))
    plan, reviews = _plan(conn, account, year)
    return AccountOffer(m, year, open_objectives(plan), key_people(m), open_actions(plan, reviews, today))


def with_offer(data: dict[str, Any], offered: AccountOffer, lang: str) -> dict[str, Any]:
    """A meeting plan's body (or the part of it being edited: ``objectives`` and
    ``professionalism.agenda``) with what the key account offers added: the business plan's own objectives
    as nice-to-have (unless already there) and its open actions, overdue first, as agenda points (unless
    already there). ``coach prep new --from-account`` and the meeting-plan screen both call this."""

    data = {**data, "professionalism": dict(data.get("professionalism") or {})}
    objectives = list(data.get("objectives") or [])
    have = {name_key(o["text"] if isinstance(o, dict) else o.text) for o in objectives}
    for o in offered.objectives:
        if o.side == "ours" and name_key(o.text) not in have:
            objectives.append({"text": o.text, "priority": "nice"})
            have.add(name_key(o.text))
    data["objectives"] = objectives
    agenda = list(data["professionalism"].get("agenda") or [])
    for a in offered.actions[:OFFER_ACTIONS]:
        line = agenda_line(a, lang)
        if name_key(line) not in {name_key(x) for x in agenda}:
            agenda.append(line)
    data["professionalism"]["agenda"] = agenda
    return data


def meeting_room(
    conn: sqlite3.Connection, account: str, attendees: Sequence[Any], today: date | None = None
) -> Room | None:
    """Their people at the meeting matched to the account's map, with the coach's warnings; None when the
    plan's account is not a key account."""

    if accounts.find(conn, account) is None:
        return None
    return room(accounts.account_map(conn, account), attendees, today)


def summary(
    conn: sqlite3.Connection,
    account: str,
    lang: str = "en",
    *,
    year: int | None = None,
    today: date | None = None,
) -> Any:
    """The one-page account summary (a ``coach.review.brief.Brief``) for ``year`` (default: the plan that
    covers today, else this year). ``AccountNotFound`` when there is no such account."""

    today = today or date.today()
    m = accounts.account_map(conn, account)
    year = year or plan_year(conn, account, today) or today.year
    plan, reviews = _plan(conn, account, year)
    totals = log_totals(business_plans.concession_rows(conn, account, year))
    return build(m, lang, year=year, plan=plan, reviews=reviews, log=totals, today=today)
