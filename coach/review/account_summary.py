"""A key account seen from the rest of the tool (issue 13, item 5 and the one-page summary). Pure: the
account's map, its business plan and reviews in; values, brief sections and a one-page ``Brief`` out.

- ``open_actions``: what must still be done this year — the plan's actions and the reviews' next
  actions not done yet — overdue first.
- ``room``: who of theirs will be in a meeting, matched to the map (decision role, attitude, influence,
  who of ours knows them), with the coach's warnings about the people in the room first.
- ``room_section``: that as a section of the meeting brief.
- ``summary``: the one-page account summary (tier and what it needs, the map's warnings, the plan's
  objectives and scorecard status, open actions, the year's concession totals) as a ``Brief``, so it
  prints as Markdown or HTML like the meeting brief and the review pack.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach.content.business_plans import BusinessPlan, Objective, Review, name_key, period_parts
from coach.i18n import tr
from coach.review.accounts import (
    ATTITUDE_LABELS,
    DECISION_LABELS,
    TIER_NEEDS,
    MapWarning,
    check,
    knowers,
)
from coach.review.brief import Brief, Section
from coach.review.business_plan import figure, latest_status, log_line
from coach.store.accounts import AccountMap, Contact
from coach.store.names import account_key

ROOM_CODES = ("unknown-decision-maker", "opponent-without-plan")
"""Warnings about one person: said first, and "in the room", when that person is attending."""
KEY_PEOPLE = 6
"""Most of their people listed on the one-page summary (decision makers and high influence first)."""


OFFER_ACTIONS = 5
"""Open actions of the key account offered to a meeting plan (overdue first)."""
OFFER_PEOPLE = 4
"""Their people offered to a meeting plan (decision makers and high influence first)."""


@dataclass(frozen=True)
class OpenAction:
    """Something the plan says must be done and is not done yet."""

    what: str
    owner: str | None
    due: str | None
    """YYYY-MM-DD, or None when no date was set."""
    overdue: bool
    """Due before today."""
    objective: str | None
    """The objective it serves (None for a review's next action)."""
    period: str | None = None
    """The review it came from (2027-Q1), or None for one of the plan's own actions."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)


def open_actions(
    plan: BusinessPlan | None, reviews: Sequence[Review] = (), today: date | None = None
) -> list[OpenAction]:
    """The plan's actions and its year's review actions that are not done, overdue first (oldest due date
    first), then by due date, then those without a date; an action named twice is listed once."""
    if plan is None:
        return []
    today = today or date.today()
    found: list[OpenAction] = []
    seen: set[str] = set()

    def add(what: str, owner: str | None, due: str | None, objective: str | None, period: str | None) -> None:
        key = name_key(what)
        if key in seen:
            return
        seen.add(key)
        late = bool(due) and due < today.isoformat()
        found.append(OpenAction(what, owner, due, late, objective, period))

    for o in plan.objectives:
        for a in o.actions:
            if not a.done:
                add(a.what, a.owner, a.due, o.text, None)
    for r in reviews:
        if period_parts(r.period)[0] != plan.year:
            continue
        for a in r.next_actions:
            if not a.done:
                add(a.what, a.owner, a.due, None, r.period)
    found.sort(key=lambda a: (not a.overdue, a.due is None, a.due or ""))
    return found


def when_text(action: OpenAction, lang: str) -> str:
    """When an open action is due: ``overdue since 2026-03-01``, ``by 2026-06-30`` or ``no date``."""
    if action.overdue:
        return tr(lang, "summary.overdue", due=action.due)
    return tr(lang, "summary.due", due=action.due) if action.due else tr(lang, "summary.no_due")


def agenda_line(action: OpenAction, lang: str) -> str:
    """An open action as a meeting agenda point: ``follow up: WHAT (OWNER, by DATE)``."""
    return tr(
        lang,
        "summary.offer.follow",
        what=action.what,
        who=action.owner or tr(lang, "summary.offer.owner"),
        when=when_text(action, lang),
    )


def offer_head(offered: Any, lang: str) -> str:
    """The first line of what a key account offers a meeting plan (``offered``: an ``AccountOffer``)."""
    plan = (
        tr(lang, "summary.offer.plan", year=offered.year)
        if offered.year
        else tr(lang, "summary.offer.no_plan")
    )
    return tr(lang, "summary.offer.head", account=offered.map.account.name, plan=plan)


def offer_lines(offered: Any, lang: str) -> list[tuple[str, list[str]]]:
    """What a key account offers a meeting plan, as (label, items): our objectives with their measure, theirs,
    their people who weigh most (role, decision role, influence, attitude, who of ours knows them) and the
    open actions, overdue first (marked ⚠). Both faces show these; empty parts are left out."""
    op, cp, comma = ("（", "）", "，") if lang == "zh" else (" (", ")", ", ")
    ours = [
        o.text + (f"{op}{o.measure}{cp}" if o.measure else "") for o in offered.objectives if o.side == "ours"
    ]
    theirs = [o.text for o in offered.objectives if o.side != "ours"]
    people = [f"{c.name}{op}{person_text(c, offered.map, lang)}{cp}" for c in offered.people[:OFFER_PEOPLE]]
    actions = [
        ("⚠ " if a.overdue else "") + f"{a.what}{op}{a.owner or '?'}{comma}{when_text(a, lang)}{cp}"
        for a in offered.actions[:OFFER_ACTIONS]
    ]
    parts = (
        ("offer.objectives", ours),
        ("offer.theirs", theirs),
        ("offer.people", people),
        ("offer.actions", actions),
    )
    return [(tr(lang, "summary." + key), items) for key, items in parts if items]


def open_objectives(plan: BusinessPlan | None) -> list[Objective]:
    """The plan's objectives, ours first (a meeting plan serves ours; theirs is what they will ask about)."""
    if plan is None:
        return []
    return [o for o in plan.objectives if o.side == "ours"] + [o for o in plan.objectives if o.side != "ours"]


def key_people(m: AccountMap, limit: int = KEY_PEOPLE) -> list[Contact]:
    """Their active people who weigh most: decision makers, then by influence, then by name."""
    theirs = m.people("theirs")
    theirs.sort(key=lambda c: (c.decision_role != "decision-maker", -(c.influence or 0), c.name.casefold()))
    return theirs[:limit]


def person_text(c: Contact, m: AccountMap, lang: str, *, role: str | None = None) -> str:
    """Role, decision role, influence, attitude and who of ours knows them: ``Buyer · decision maker ·
    influence 5 · skeptic · known by Li Wei 3``."""
    parts = [p for p in (role or c.role,) if p]
    if c.decision_role:
        parts.append(DECISION_LABELS[lang][c.decision_role])
    if c.influence:
        parts.append(tr(lang, "summary.influence", n=c.influence))
    if c.attitude:
        parts.append(ATTITUDE_LABELS[lang][c.attitude])
    known = knowers(m).get(c.id, [])
    if known:
        who = ("、" if lang == "zh" else ", ").join(f"{us.name} {lvl}" for us, lvl, _ in known)
        parts.append(tr(lang, "summary.known_by", who=who))
    else:
        parts.append(tr(lang, "summary.known_by_none"))
    return " · ".join(parts)


@dataclass(frozen=True)
class RoomPerson:
    """One of their people named in a meeting plan, and what the map says about them."""

    name: str
    """As the plan names them."""
    role: str | None
    """The role the plan gives, else the map's."""
    contact: Contact | None
    """The person in the map (names compared like account names), or None when not in it."""


@dataclass(frozen=True)
class Room:
    """Their people at a meeting with what the map says, and the coach's warnings (the room's first)."""

    account: str
    people: tuple[RoomPerson, ...]
    warnings: tuple[tuple[MapWarning, bool], ...]
    """Each warning with whether it is about someone in the room."""
    map: AccountMap


def room(m: AccountMap, attendees: Sequence[Any], today: date | None = None) -> Room:
    """Their ``attendees`` (anything with ``name`` and ``role``) matched to the map, with the map's warnings:
    those about someone attending first, then the account's other warnings that matter in a meeting
    (an unknown decision maker, an opponent without a plan, a single-threaded account, one holder)."""
    by_key = {account_key(c.name): c for c in m.people("theirs")}
    people = tuple(
        RoomPerson(a.name, a.role or None, by_key.get(account_key(a.name))) for a in attendees if a.name
    )
    present = {account_key(p.contact.name) for p in people if p.contact is not None}
    found = check(m, today=today)
    in_room = [(w, True) for w in found if w.who is not None and account_key(w.who) in present]
    others = [
        (w, False)
        for w in found
        if (w.who is None or account_key(w.who) not in present) and w.code not in ("not-seen",)
    ]
    return Room(m.account.name, people, tuple(in_room + others), m)


def room_section(r: Room, lang: str) -> Section:
    """The brief's "who is in the room" section: each of their people with decision role, attitude,
    influence and who of ours knows them, then the coach's warnings."""
    sec = Section("people", tr(lang, "summary.room"))
    if r.people:
        for p in r.people:
            if p.contact is None:
                text = " · ".join(x for x in (p.role, tr(lang, "summary.not_in_map", account=r.account)) if x)
            else:
                text = person_text(p.contact, r.map, lang, role=p.role)
            sec.items.append((p.name, text))
    else:
        decide = key_people(r.map, 3)
        if decide:
            sec.items.append(("", tr(lang, "summary.no_theirs", account=r.account)))
            sec.items += [(f"  {c.name}", person_text(c, r.map, lang)) for c in decide]
        else:
            sec.items.append(("", tr(lang, "summary.nobody", account=r.account)))
    for warning, here in r.warnings:
        sec.items.append(
            (tr(lang, "summary.warning_here") if here else tr(lang, "summary.warning"), warning.text(lang))
        )
    return sec


# ----------------------------------------------------------------------------------------- the summary


def shell_word(name: str) -> str:
    """A name as typed in a shell: as it is when it is one word (联华, Lianhua), else quoted."""

    return name if re.fullmatch(r"[\w.-]+", name) else shlex.quote(name)


def summary(
    m: AccountMap,
    lang: str = "en",
    *,
    year: int,
    plan: BusinessPlan | None = None,
    reviews: Sequence[Review] = (),
    log: Any = None,
    today: date | None = None,
) -> Brief:
    """The one-page account summary as a ``Brief``: tier and what it needs, key people, the map's warnings,
    the plan's objectives and scorecard status for ``year``, open actions (overdue first) and the
    concession log's totals for the year (``log``: a ``LogTotals``)."""

    today = today or date.today()
    acc = m.account
    shell = shell_word(acc.name)
    sections: list[Section] = []

    tier = Section("tier", tr(lang, "summary.tier"))
    if acc.tier:
        t = TIER_NEEDS[acc.tier]
        tier.items += [(t.label[lang], t.what[lang]), (tr(lang, "summary.needs"), t.needs[lang])]
    else:
        tier.items.append(("", tr(lang, "summary.tier_none", account=shell)))
    sections.append(tier)

    theirs, ours = m.people("theirs"), m.people("ours")
    people = Section("people", tr(lang, "summary.people", theirs=len(theirs), ours=len(ours)))
    people.items += [(c.name, person_text(c, m, lang)) for c in key_people(m)]
    if not theirs:
        people.items.append(("", tr(lang, "summary.nobody", account=acc.name)))
    if ours:
        people.items.append(
            (tr(lang, "summary.ours"), ("、" if lang == "zh" else ", ").join(c.name for c in ours))
        )
    sections.append(people)

    warnings = check(m, today=today)
    sections.append(
        Section(
            "warnings",
            tr(lang, "summary.map_warnings"),
            [("", "⚠ " + x.text(lang)) for x in warnings] or [("", tr(lang, "summary.no_warnings"))],
        )
    )

    if plan is None:
        sections.append(
            Section(
                "plan",
                tr(lang, "summary.plan", year=year),
                [("", tr(lang, "summary.no_plan", account=shell, year=year))],
            )
        )
    else:
        objectives = Section("plan", tr(lang, "summary.plan", year=year))
        for o in open_objectives(plan):
            objectives.items.append(
                (
                    f"[{tr(lang, 'summary.sides.' + o.side)}] {o.text}",
                    o.measure or tr(lang, "summary.no_measure"),
                )
            )
        if not objectives.items:
            objectives.items.append(("", tr(lang, "acbp.empty")))
        sections.append(objectives)
        if plan.scorecard:
            mine = [r for r in reviews if period_parts(r.period)[0] == plan.year]
            latest = latest_status(plan, mine)
            score = Section(
                "scorecard",
                tr(lang, "summary.scorecard", year=year),
                header=[
                    tr(lang, "summary.kpi"),
                    tr(lang, "summary.target"),
                    tr(lang, "summary.latest"),
                    tr(lang, "summary.status"),
                ],
            )
            for k in plan.scorecard:
                st = latest.get(name_key(k.name))
                score.rows.append(
                    [
                        k.name,
                        figure(k.target, k.unit, lang),
                        f"{st.period}: {figure(st.compared, k.unit, lang)}" if st else "—",
                        tr(lang, "acbp." + st.status) if st else "—",
                    ]
                )
            sections.append(score)

    actions = Section("actions", tr(lang, "summary.actions"))
    comma = "，" if lang == "zh" else ", "
    for a in open_actions(plan, reviews, today):
        who = a.owner or tr(lang, "summary.no_owner")
        actions.items.append((("⚠ " if a.overdue else "") + a.what, f"{who}{comma}{when_text(a, lang)}"))
    if plan is not None:
        sections.append(
            actions
            if actions.items
            else Section("actions", tr(lang, "summary.actions"), [("", tr(lang, "summary.no_actions"))])
        )

    line = log_line(log, acc.name, year, lang)
    if line:
        sections.append(Section("concessions", tr(lang, "summary.concessions", year=year), [("", line)]))

    sub = [TIER_NEEDS[acc.tier].label[lang] if acc.tier else "", acc.channel or ""]
    if acc.stores is not None:
        sub.append(tr(lang, "summary.stores", n=acc.stores))
    sub.append(tr(lang, "summary.as_of", day=today.isoformat()))
    return Brief(
        lang, tr(lang, "summary.summary", account=acc.name), " · ".join(s for s in sub if s), sections
    )
