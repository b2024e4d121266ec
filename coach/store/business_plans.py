"""Annual customer business plans on the tables of schema version 6 (``coach.store.accounts``): reads and
writes. Connection in, values out; nothing is ever changed or deleted.

A plan is one row per account and year. Its situation (where are we) is the JSON body of
``business_plan_versions``; a version is added whenever anything in the plan changes, so the plan has
one version number. Objectives, strategies, actions and investment are ``plan_items`` (a strategy's
and an action's parent is its objective) and KPIs are ``kpis``; an edit adds a version to the item, and
an item left out of a saved plan gets a version with status ``dropped`` (kept, with its history, and
revived if it comes back under the same name). Items are matched by their words: an objective by its
text, an action by what is done (within its objective), a KPI by its name — case and spacing ignored.

Reviews are rows of ``kpi_reviews`` (one KPI's actual for a period) and ``plan_reviews`` (what was
learned and the actions that follow); recording a period again adds rows that supersede the earlier
ones, like corrections in the concession log. Marking a review's action done (``close_action``) is such a
row too: the review's current row again, with the action done; a plan's own action done is a version.

Schema version 7 adds the one thing version 6 lacks: whether a KPI is a level or a total (a total adds
up over the year, so its quarter is judged against a pro-rated target).
"""

from __future__ import annotations

import json
import shlex
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.content.business_plans import (
    Action,
    Actual,
    BusinessPlan,
    BusinessPlanError,
    Investment,
    Kpi,
    Objective,
    Review,
    Situation,
    name_key,
    period_parts,
    reviews_in_order,
    unknown_kpis,
)
from coach.domain.suggest import did_you_mean
from coach.errors import CoachError
from coach.store import accounts
from coach.store.concessions import Filter, select
from coach.store.db import DatabaseError, database_name, now_iso, write_transaction

_DIRECTION_TO_DB = {"higher": "up", "lower": "down"}
_DIRECTION_FROM_DB = {v: k for k, v in _DIRECTION_TO_DB.items()}


def _q(name: str) -> str:
    """An account name as typed in a shell (quoted when it has spaces)."""

    return shlex.quote(" ".join(name.split()))


class PlanNotFound(CoachError):
    """No business plan for that account and year."""


@dataclass(frozen=True)
class StoredBusinessPlan:
    """A plan as it stands now, with its reviews."""

    plan: BusinessPlan
    version: int
    saved_at: str
    reviews: list[Review] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ accounts


def _account(conn: sqlite3.Connection, name: str) -> tuple[int, str, list[int]]:
    """(account id, its name, ids of every account row that means it) — ``AccountNotFound`` if none."""

    acc = accounts.get(conn, name)
    keys = sorted(accounts.group_keys(conn, acc.key))
    marks = ", ".join("?" for _ in keys)
    ids = [int(r[0]) for r in conn.execute(f"SELECT id FROM accounts WHERE key IN ({marks})", keys)]
    return acc.id, acc.name, [acc.id] + [i for i in ids if i != acc.id]


def _plan_row(conn: sqlite3.Connection, ids: Sequence[int], year: int) -> int | None:
    for account_id in ids:  # the surviving account's plan first, then those of accounts merged into it
        row = conn.execute(
            "SELECT id FROM business_plans WHERE account_id = ? AND year = ?", (account_id, year)
        ).fetchone()
        if row:
            return int(row[0])
    return None


def years(conn: sqlite3.Connection, account: str) -> list[int]:
    """The years the account has a plan for, newest first."""
    _, _, ids = _account(conn, account)
    marks = ", ".join("?" for _ in ids)
    rows = conn.execute(
        f"SELECT DISTINCT year FROM business_plans WHERE account_id IN ({marks}) ORDER BY year DESC", ids
    )
    return [int(r[0]) for r in rows]


# ------------------------------------------------------------------------------------------------ reads

_ITEMS = (
    "SELECT i.id, i.kind, i.parent_id, v.version, v.text, v.side, v.owner, v.due, v.measure, v.amount, "
    "v.unit, v.status, v.note FROM plan_items i JOIN plan_item_versions v ON v.item_id = i.id "
    "AND v.version = "
    "(SELECT MAX(version) FROM plan_item_versions WHERE item_id = i.id) WHERE i.plan_id = ? ORDER BY i.id"
)
_KPIS = (
    "SELECT k.id, v.version, v.name, v.unit, v.baseline, v.target, v.direction, v.source, v.owner, v.status, "
    "v.note, v.kind FROM kpis k JOIN kpi_versions v ON v.kpi_id = k.id AND v.version = "
    "(SELECT MAX(version) FROM kpi_versions WHERE kpi_id = k.id) WHERE k.plan_id = ? ORDER BY k.id"
)


def _items(conn: sqlite3.Connection, plan_id: int) -> list[sqlite3.Row]:
    cur = conn.execute(_ITEMS, (plan_id,))
    cur.row_factory = sqlite3.Row
    return cur.fetchall()


def _kpis(conn: sqlite3.Connection, plan_id: int) -> list[sqlite3.Row]:
    cur = conn.execute(_KPIS, (plan_id,))
    cur.row_factory = sqlite3.Row
    return cur.fetchall()


def _unreadable(conn: sqlite3.Connection, what: str, exc: Exception) -> DatabaseError:
    detail = exc.problems[0] if isinstance(exc, BusinessPlanError) else str(exc)
    return DatabaseError(
        f"{database_name(conn)}: the saved business plan cannot be read ({what}: {detail})",
        "restore a backup, or save the plan again from an export",
    )


def _build(conn: sqlite3.Connection, plan_id: int, account: str, year: int, body: str) -> BusinessPlan:
    try:
        situation = Situation.model_validate(json.loads(body).get("situation") or {})
    except (ValueError, AttributeError) as exc:
        raise _unreadable(conn, "situation", exc) from None
    rows = [r for r in _items(conn, plan_id) if r["status"] != "dropped"]
    try:
        objectives = []
        for o in (r for r in rows if r["kind"] == "objective"):
            children = [r for r in rows if r["parent_id"] == o["id"]]
            objectives.append(
                Objective(
                    text=o["text"],
                    side=o["side"] or "ours",
                    measure=o["measure"],
                    strategies=[r["text"] for r in children if r["kind"] == "strategy"],
                    actions=[
                        Action(what=r["text"], owner=r["owner"], due=r["due"], done=r["status"] == "done")
                        for r in children
                        if r["kind"] == "action"
                    ],
                )
            )
        investment = [
            Investment(side=r["side"] or "ours", what=r["text"], value=r["amount"], unit=r["unit"])
            for r in rows
            if r["kind"] == "investment"
        ]
        scorecard = [
            Kpi(
                name=k["name"],
                unit=k["unit"],
                direction=_DIRECTION_FROM_DB.get(k["direction"], "higher"),
                kind=k["kind"] or "level",
                baseline=k["baseline"],
                target=k["target"],
                source=k["source"],
                owner=k["owner"],
            )
            for k in _kpis(conn, plan_id)
            if k["status"] != "dropped"
        ]
        return BusinessPlan(
            account=account,
            year=year,
            situation=situation,
            objectives=objectives,
            investment=investment,
            scorecard=scorecard,
        )
    except ValueError as exc:
        raise _unreadable(conn, "items", exc) from None


def load(conn: sqlite3.Connection, account: str, year: int) -> StoredBusinessPlan | None:
    """The account's plan for ``year`` with its reviews, or None when there is none.
    ``AccountNotFound`` when the account does not exist."""
    _, name, ids = _account(conn, account)
    plan_id = _plan_row(conn, ids, year)
    if plan_id is None:
        return None
    head = conn.execute(
        "SELECT version, body, saved_at FROM business_plan_versions WHERE plan_id = ? "
        "ORDER BY version DESC LIMIT 1",
        (plan_id,),
    ).fetchone()
    version, body, saved_at = (int(head[0]), head[1], head[2]) if head else (0, "{}", "")
    plan = _build(conn, plan_id, name, year, body)
    return StoredBusinessPlan(plan, version, saved_at, _reviews(conn, plan_id))


def get(conn: sqlite3.Connection, account: str, year: int) -> StoredBusinessPlan:
    """Like ``load``, but ``PlanNotFound`` (with what to do) when there is no plan."""
    found = load(conn, account, year)
    if found is None:
        have = years(conn, account)
        other = f"; it has plans for {', '.join(map(str, have))}" if have else ""
        raise PlanNotFound(
            f"{account.strip()}: no business plan for {year}{other}",
            f"start one with `coach acbp new {_q(account)} --year {year}`",
        )
    return found


def history(conn: sqlite3.Connection, account: str, year: int) -> list[tuple[int, str, str | None]]:
    """(version, saved at, note) of every version of the plan, oldest first."""
    _, _, ids = _account(conn, account)
    plan_id = _plan_row(conn, ids, year)
    if plan_id is None:
        return []
    rows = conn.execute(
        "SELECT version, saved_at, note FROM business_plan_versions WHERE plan_id = ? ORDER BY version",
        (plan_id,),
    )
    return [(int(v), s, n) for v, s, n in rows]


def _reviews(conn: sqlite3.Connection, plan_id: int) -> list[Review]:
    names = {int(k["id"]): k["name"] for k in _kpis(conn, plan_id) if k["status"] != "dropped"}
    actuals: dict[str, list[Actual]] = {}
    rows = conn.execute(
        "SELECT r.kpi_id, r.period, r.actual, r.note FROM kpi_reviews r JOIN kpis k ON k.id = r.kpi_id "
        "WHERE k.plan_id = ? AND NOT EXISTS (SELECT 1 FROM kpi_reviews n WHERE n.supersedes = r.id) "
        "ORDER BY r.id",
        (plan_id,),
    )
    for kpi_id, period, actual, note in rows:
        if int(kpi_id) in names and actual is not None:
            actuals.setdefault(period, []).append(Actual(kpi=names[int(kpi_id)], actual=actual, note=note))
    learned: dict[str, tuple[list[str], list[Action]]] = {}
    for period, text, actions in conn.execute(
        "SELECT period, learned, actions FROM plan_reviews r WHERE plan_id = ? AND NOT EXISTS "
        "(SELECT 1 FROM plan_reviews n WHERE n.supersedes = r.id) ORDER BY id",
        (plan_id,),
    ):
        try:
            follow = [Action.model_validate(a) for a in json.loads(actions or "[]")]
        except (ValueError, TypeError) as exc:
            raise _unreadable(conn, f"review {period}", exc) from None
        learned[period] = ([t for t in (text or "").split("\n") if t.strip()], follow)
    out = []
    for period in sorted(set(actuals) | set(learned)):
        lines, follow = learned.get(period, ([], []))
        out.append(Review(period=period, actuals=actuals.get(period, []), learned=lines, next_actions=follow))

    return reviews_in_order(out)


# ----------------------------------------------------------------------------------------------- writes


def _item_fields(kind: str, item: Any) -> dict[str, Any]:
    """The version columns of a plan item (text, side, owner, due, measure, amount, unit, status)."""
    base = dict(
        text=None, side=None, owner=None, due=None, measure=None, amount=None, unit=None, status="open"
    )
    if kind == "objective":
        base.update(text=item.text, side=item.side, measure=item.measure)
    elif kind == "strategy":
        base.update(text=item)
    elif kind == "action":
        base.update(text=item.what, owner=item.owner, due=item.due, status="done" if item.done else "open")
    else:
        base.update(text=item.what, side=item.side, amount=item.value, unit=item.unit)
    return base


_ITEM_COLUMNS = ("text", "side", "owner", "due", "measure", "amount", "unit", "status")
_KPI_COLUMNS = ("name", "unit", "baseline", "target", "direction", "source", "owner", "status", "kind")


def _item_key(kind: str, parent: int | None, fields: dict[str, Any]) -> tuple[Any, ...]:
    side = fields["side"] if kind == "investment" else None
    return (kind, parent, side, name_key(fields["text"]))


class _Writer:
    """Diff a plan against the stored rows and append only what changed (inside one transaction)."""

    def __init__(self, conn: sqlite3.Connection, plan_id: int, now: str) -> None:
        self.conn, self.plan_id, self.now = conn, plan_id, now
        self.changed = False
        self.items = {_item_key(r["kind"], r["parent_id"], dict(r)): r for r in _items(conn, plan_id)}
        self.kpis = {name_key(r["name"]): r for r in _kpis(conn, plan_id)}
        self.kept: set[int] = set()
        self.kept_kpis: set[int] = set()

    def item(self, kind: str, parent: int | None, item: Any) -> int:
        fields = _item_fields(kind, item)
        row = self.items.get(_item_key(kind, parent, fields))
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO plan_items (plan_id, kind, parent_id, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                (self.plan_id, kind, parent, self.now),
            )
            item_id, version = int(cur.fetchone()[0]), 1
        else:
            item_id, version = int(row["id"]), int(row["version"]) + 1
            if all(row[c] == fields[c] for c in _ITEM_COLUMNS):
                self.kept.add(item_id)
                return item_id
        self._item_version(item_id, version, fields)
        self.kept.add(item_id)
        return item_id

    def _item_version(self, item_id: int, version: int, fields: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO plan_item_versions (item_id, version, text, side, owner, due, measure, amount, "
            "unit, status, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item_id, version, *(fields[c] for c in _ITEM_COLUMNS), self.now),
        )
        self.changed = True

    def kpi(self, kpi: Kpi) -> None:
        fields = {
            "name": kpi.name,
            "unit": kpi.unit,
            "baseline": kpi.baseline,
            "target": kpi.target,
            "direction": _DIRECTION_TO_DB[kpi.direction],
            "source": kpi.source,
            "owner": kpi.owner,
            "status": "open",
            "kind": kpi.kind,
        }
        row = self.kpis.get(name_key(kpi.name))
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO kpis (plan_id, created_at) VALUES (?, ?) RETURNING id", (self.plan_id, self.now)
            )
            kpi_id, version = int(cur.fetchone()[0]), 1
        else:
            kpi_id, version = int(row["id"]), int(row["version"]) + 1
            if all(row[c] == fields[c] for c in _KPI_COLUMNS):
                self.kept_kpis.add(kpi_id)
                return
        self._kpi_version(kpi_id, version, fields)
        self.kept_kpis.add(kpi_id)

    def _kpi_version(self, kpi_id: int, version: int, fields: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO kpi_versions (kpi_id, version, name, unit, baseline, target, direction, source, "
            "owner, status, kind, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (kpi_id, version, *(fields[c] for c in _KPI_COLUMNS), self.now),
        )
        self.changed = True

    def drop_the_rest(self) -> None:
        for row in self.items.values():
            if int(row["id"]) not in self.kept and row["status"] != "dropped":
                fields = {c: row[c] for c in _ITEM_COLUMNS} | {"status": "dropped"}
                self._item_version(int(row["id"]), int(row["version"]) + 1, fields)
        for row in self.kpis.values():
            if int(row["id"]) not in self.kept_kpis and row["status"] != "dropped":
                fields = {c: row[c] for c in _KPI_COLUMNS} | {"status": "dropped"}
                self._kpi_version(int(row["id"]), int(row["version"]) + 1, fields)


def _body(plan: BusinessPlan) -> str:
    return json.dumps(
        {"situation": plan.situation.model_dump(mode="json")},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def save(
    conn: sqlite3.Connection, plan: BusinessPlan, *, note: str | None = None, create: bool | None = None
) -> tuple[int, bool]:
    """Save the plan for its account and year: a new plan, or a new version of it. Returns (version,
    changed); nothing is written when nothing changed. ``create`` True refuses an existing plan, False a
    missing one. ``AccountNotFound`` when the account does not exist."""
    account_id, _, ids = _account(conn, plan.account)
    _check_unique(plan)
    with write_transaction(conn, "the business plan", passthrough=(CoachError,)):
        return _save_in(conn, plan, account_id, ids, note=note, create=create)


def _save_in(
    conn: sqlite3.Connection,
    plan: BusinessPlan,
    account_id: int,
    ids: Sequence[int],
    *,
    note: str | None = None,
    create: bool | None = None,
) -> tuple[int, bool]:
    """``save`` inside a write transaction the caller holds."""
    now = now_iso()
    plan_id = _plan_row(conn, ids, plan.year)
    if plan_id is not None and create is True:
        raise CoachError(
            f"{plan.account}: a business plan for {plan.year} exists already; nothing was changed",
            f"see `coach acbp show {_q(plan.account)} --year {plan.year}`",
        )
    if plan_id is None and create is False:
        raise PlanNotFound(
            f"{plan.account}: no business plan for {plan.year}; nothing was changed",
            f"start one with `coach acbp new {_q(plan.account)} --year {plan.year}`",
        )
    if plan_id is None:
        cur = conn.execute(
            "INSERT INTO business_plans (account_id, year, created_at) VALUES (?, ?, ?) RETURNING id",
            (account_id, plan.year, now),
        )
        plan_id = int(cur.fetchone()[0])
    writer = _Writer(conn, plan_id, now)
    for objective in plan.objectives:
        parent = writer.item("objective", None, objective)
        for strategy in objective.strategies:
            writer.item("strategy", parent, strategy)
        for action in objective.actions:
            writer.item("action", parent, action)
    for investment in plan.investment:
        writer.item("investment", None, investment)
    for kpi in plan.scorecard:
        writer.kpi(kpi)
    writer.drop_the_rest()
    head = conn.execute(
        "SELECT version, body FROM business_plan_versions WHERE plan_id = ? ORDER BY version DESC LIMIT 1",
        (plan_id,),
    ).fetchone()
    body = _body(plan)
    latest = int(head[0]) if head else 0
    if head is not None and head[1] == body and not writer.changed:
        return latest, False
    conn.execute(
        "INSERT INTO business_plan_versions (plan_id, version, body, note, saved_at) VALUES (?, ?, ?, ?, ?)",
        (plan_id, latest + 1, body, note, now),
    )
    return latest + 1, True


def _check_unique(plan: BusinessPlan) -> None:
    """Items are matched by their words, so two with the same words in one place cannot both be kept."""
    seen: set[tuple[Any, ...]] = set()

    def once(key: tuple[Any, ...], where: str, words: str) -> None:
        if key in seen:
            raise BusinessPlanError([f"{where}: {words!r} appears twice; give each its own words"])
        seen.add(key)

    for n, o in enumerate(plan.objectives):
        once(("objective", name_key(o.text)), f"objectives[{n}].text", o.text)
        for m, s in enumerate(o.strategies):
            once(("strategy", n, name_key(s)), f"objectives[{n}].strategies[{m}]", s)
        for m, a in enumerate(o.actions):
            once(("action", n, name_key(a.what)), f"objectives[{n}].actions[{m}].what", a.what)
    for n, i in enumerate(plan.investment):
        once(("investment", i.side, name_key(i.what)), f"investment[{n}].what", i.what)


def check_saveable(plan: BusinessPlan) -> None:
    """Refuse (``BusinessPlanError``) what ``save`` would refuse, without a database."""
    _check_unique(plan)


def add_review(conn: sqlite3.Connection, account: str, review: Review) -> int:
    """Record a review for the plan of the review's year: each KPI's actual (superseding an earlier one
    for the same period), and what was learned and the next actions (given ones replace the earlier
    ones). Returns how many rows were written. Every KPI named must be on the scorecard."""
    year = period_parts(review.period)[0]
    stored = get(conn, account, year)
    unknown = unknown_kpis(stored.plan, review)
    if unknown:
        names = ", ".join(k.name for k in stored.plan.scorecard) or "none yet"
        raise BusinessPlanError(
            [f"actual: {unknown[0]!r} is not on the {year} scorecard (KPIs: {names}); nothing was recorded"],
            f"add it first with `coach acbp kpi add {_q(stored.plan.account)} NAME`",
        )
    _, _, ids = _account(conn, account)
    written = 0
    with write_transaction(conn, "the review", passthrough=(CoachError,)):
        now = now_iso()
        plan_id = _plan_row(conn, ids, year)
        kpi_ids = {
            name_key(k["name"]): int(k["id"])
            for k in _kpis(conn, int(plan_id or 0))
            if k["status"] != "dropped"
        }
        for actual in review.actuals:
            kpi_id = kpi_ids[name_key(actual.kpi)]
            old = conn.execute(
                "SELECT id FROM kpi_reviews r WHERE kpi_id = ? AND period = ? AND NOT EXISTS "
                "(SELECT 1 FROM kpi_reviews n WHERE n.supersedes = r.id)",
                (kpi_id, review.period),
            ).fetchone()
            conn.execute(
                "INSERT INTO kpi_reviews (kpi_id, period, actual, note, recorded_at, supersedes) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kpi_id, review.period, actual.actual, actual.note, now, old[0] if old else None),
            )
            written += 1
        if review.learned or review.next_actions:
            old = conn.execute(
                "SELECT id, learned, actions FROM plan_reviews r WHERE plan_id = ? AND period = ? "
                "AND NOT EXISTS (SELECT 1 FROM plan_reviews n WHERE n.supersedes = r.id)",
                (plan_id, review.period),
            ).fetchone()
            learned = "\n".join(review.learned) if review.learned else (old[1] if old else None)
            actions = (
                json.dumps([a.model_dump(mode="json") for a in review.next_actions], ensure_ascii=False)
                if review.next_actions
                else (old[2] if old else None)
            )
            conn.execute(
                "INSERT INTO plan_reviews (plan_id, period, learned, actions, recorded_at, supersedes) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (plan_id, review.period, learned, actions, now, old[0] if old else None),
            )
            written += 1
    return written


@dataclass(frozen=True)
class ClosedAction:
    """An action marked done by ``close_action``."""

    what: str
    owner: str | None
    due: str | None
    period: str | None
    """The review it follows (2027-Q1), or None for one of the plan's own actions."""


@dataclass(frozen=True)
class Closing:
    """What ``close_action`` did: the actions it marked done (none when they were done already) and the
    plan's new version when one of the plan's own actions was among them."""

    what: str
    """The action's words as written in the plan or review."""
    closed: list[ClosedAction] = field(default_factory=list)
    version: int | None = None


class ActionNotFound(CoachError):
    """No action of the plan or its reviews has those words."""


def _candidates(stored: StoredBusinessPlan) -> list[ClosedAction]:
    """Every action of the plan and of its year's reviews (done ones too), in the plan's order."""
    plan = stored.plan
    out = [ClosedAction(a.what, a.owner, a.due, None) for o in plan.objectives for a in o.actions]
    for r in stored.reviews:
        if period_parts(r.period)[0] == plan.year:
            out += [ClosedAction(a.what, a.owner, a.due, r.period) for a in r.next_actions]
    return out


def _open_keys(stored: StoredBusinessPlan) -> set[str]:
    opened = {name_key(a.what) for o in stored.plan.objectives for a in o.actions if not a.done}
    opened |= {name_key(a.what) for r in stored.reviews for a in r.next_actions if not a.done}
    return opened


def _which_action(stored: StoredBusinessPlan, words: str) -> str:
    """The key of the action ``words`` names: the same words (case and spacing aside), else the one open
    action whose words contain them. ``ActionNotFound`` (with the open actions) otherwise."""
    plan = stored.plan
    key = name_key(words)
    every = _candidates(stored)
    keys = list(dict.fromkeys(name_key(a.what) for a in every))
    if key in keys:
        return key
    opened = _open_keys(stored)
    shown = list(dict.fromkeys(a.what for a in every if name_key(a.what) in opened))
    where = f"the {plan.year} plan of {plan.account}"
    part = [k for k in keys if key and key in k]
    if len(part) > 1:
        part = [k for k in part if k in opened] or part
    if len(part) == 1:
        return part[0]
    if len(part) > 1:
        names = "; ".join(dict.fromkeys(a.what for a in every if name_key(a.what) in part))
        raise ActionNotFound(
            f"{words.strip()[:60]!r} is in more than one action of {where} ({names}); nothing was changed",
            "give more of its words",
        )

    listed = "; ".join(shown) if shown else "none"
    raise ActionNotFound(
        f"no action {words.strip()[:60]!r} in {where} or its reviews; nothing was changed",
        f"{did_you_mean(words, shown)}open actions: {listed}",
    )


def close_action(
    conn: sqlite3.Connection, account: str, year: int, words: str, *, note: str | None = None
) -> Closing:
    """Mark the action ``words`` names done, wherever it is open: one of the plan's own actions (a new
    version of the plan, with ``note``, where ``{what}`` stands for the action's words) and the next actions of the year's reviews (a review row that
    supersedes the review's current one, as a correction does; nothing is changed or deleted). An action
    with the same words in several places is one action, as in the open-action lists, so all are closed.
    ``words`` may be part of the action's words when only one action has them."""
    account_id, _, ids = _account(conn, account)
    closed: list[ClosedAction] = []
    version = None
    with write_transaction(conn, "the action", passthrough=(CoachError,)):
        stored = get(conn, account, year)  # inside the transaction: what is closed is what is current
        key = _which_action(stored, words)
        what = next(a.what for a in _candidates(stored) if name_key(a.what) == key)
        plan = stored.plan
        closed += [
            ClosedAction(a.what, a.owner, a.due, None)
            for o in plan.objectives
            for a in o.actions
            if name_key(a.what) == key and not a.done
        ]
        if closed:
            objectives = [
                o.model_copy(
                    update={
                        "actions": [
                            a.model_copy(update={"done": True}) if name_key(a.what) == key else a
                            for a in o.actions
                        ]
                    }
                )
                for o in plan.objectives
            ]
            done_plan = plan.model_copy(update={"objectives": objectives})
            saved_note = note.replace("{what}", what) if note else None
            version, _ = _save_in(conn, done_plan, account_id, ids, note=saved_note)
        plan_id = _plan_row(conn, ids, year)
        rows = conn.execute(
            "SELECT id, period, learned, actions, note FROM plan_reviews r WHERE plan_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM plan_reviews n WHERE n.supersedes = r.id) ORDER BY id",
            (plan_id,),
        ).fetchall()
        now = now_iso()
        for row_id, period, learned, actions, row_note in rows:
            try:
                follow = [Action.model_validate(a) for a in json.loads(actions or "[]")]
            except (ValueError, TypeError) as exc:
                raise _unreadable(conn, f"review {period}", exc) from None
            hit = [n for n, a in enumerate(follow) if name_key(a.what) == key and not a.done]
            if not hit:
                continue
            closed += [ClosedAction(follow[n].what, follow[n].owner, follow[n].due, period) for n in hit]
            done = [a.model_copy(update={"done": True}) if n in hit else a for n, a in enumerate(follow)]
            conn.execute(
                "INSERT INTO plan_reviews (plan_id, period, learned, actions, note, recorded_at, supersedes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    plan_id,
                    period,
                    learned,
                    json.dumps([a.model_dump(mode="json") for a in done], ensure_ascii=False),
                    row_note,
                    now,
                    row_id,
                ),
            )
    return Closing(what, closed, version)


def concession_rows(conn: sqlite3.Connection, account: str, year: int) -> list[Any]:
    """The concession log's current real entries for the account (and accounts merged into it) in
    ``year``, through the log's own query."""

    keys = accounts.group_keys(conn, account)
    rows = select(conn, Filter(since=f"{year}-01-01", until=f"{year}-12-31"))
    return [r for r in rows if accounts.account_key(r.account) in keys]
