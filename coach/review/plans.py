"""Plans against what happened, and what history suggests for the next plan. Pure: plans and rows in.

- ``check``: the concessions of one meeting against its plan — not among the tradeables, past a tradeable's
  limit, given without the planned return, past the walk-away point (and limits that could not be compared
  because the units differ).
- ``suggest_tactics``: buyer tactics to expect, from the account's concession log and past role-play.
- ``suggested_order``: the give-get matrix with the cheap-to-give, valuable-to-them items first.
- ``guidance``: the playbooks' titles, steps and lines for the principles and tactics a plan names.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from rapidfuzz import fuzz

from coach.i18n import tr
from coach.review.brief import readable
from coach.review.concessions import TYPE_LABELS, Row, amount, entry_line

if TYPE_CHECKING:
    from coach.content.models import Rule
    from coach.content.plans import Amount, Plan, Tradeable

KINDS = ("not-in-plan", "over-limit", "no-return", "past-walk-away", "limit-unit")
"""What a plan check can find, in the order reported."""

_LEVEL = {"low": 0, "medium": 1, "high": 2}
_EPS = 1e-9
MATCH_OTHER = 50
"""Least text similarity (0-100) for an ``other`` concession to count as a planned ``other`` item."""


# ------------------------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class Finding:
    """One concession that broke the plan, and how."""

    kind: str
    """One of ``KINDS``."""
    entry: Row
    tradeable: int | None = None
    """Index of the planned item it was matched to (None when it is not in the plan)."""
    item: str | None = None
    """The planned item's text."""
    total: float | None = None
    """The running total (in ``unit``) this entry brought the item or the type to."""
    limit: Amount | None = None
    """The limit passed (the item's, or the walk-away limit)."""
    unit: str | None = None
    """The entry's unit when it differs from the limit's."""
    ask: str | None = None
    """The planned return (for ``no-return``)."""
    type: str | None = None
    """The concession type of a walk-away limit."""


@dataclass
class PlanCheck:
    """A meeting's concessions checked against its plan."""

    account: str
    meeting: str
    plan_id: int | None = None
    version: int | None = None
    checked: int = 0
    """Concessions checked (current, not withdrawn, this account)."""
    other_accounts: int = 0
    """Entries of the same meeting name but another account, left out."""
    matched: dict[int, int] = field(default_factory=dict)
    """Entry id -> index of the planned item it was matched to."""
    findings: list[Finding] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[Finding]:
        """The findings of one kind, in time order."""
        return [f for f in self.findings if f.kind == kind]

    @property
    def ok(self) -> bool:
        """True when no concession broke the plan (unit notes do not count)."""
        return not any(f.kind != "limit-unit" for f in self.findings)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _similarity(a: str, b: str) -> float:
    a, b = _norm(a), _norm(b)
    return max(fuzz.token_set_ratio(a, b), fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 4 else 0)


def match_tradeable(plan: Plan, row: Row) -> int | None:
    """Index of the planned item a concession is (same type; the closest text when several share the type,
    and for ``other`` only a close enough text), or None when it is not in the plan."""
    candidates = [i for i, t in enumerate(plan.tradeables) if t.type == row.type]
    if not candidates:
        return None
    if len(candidates) == 1 and row.type != "other":
        return candidates[0]
    best, best_score = None, -1.0
    for i in candidates:
        t = plan.tradeables[i]
        score = _similarity(row.give, t.item)
        if t.limit is not None and row.unit == t.limit.unit:
            score += 15  # the same unit is good evidence it is the same item
        if score > best_score + _EPS:
            best, best_score = i, score
    if row.type == "other" and best_score < MATCH_OTHER:
        return None
    return best


def check(
    plan: Plan, rows: Iterable[Row], *, plan_id: int | None = None, version: int | None = None
) -> PlanCheck:
    """Check a meeting's concessions (current versions) against its plan; withdrawn entries do not count."""
    out = PlanCheck(plan.account, plan.meeting, plan_id, version)
    account = _norm(plan.account)
    ordered = sorted(rows, key=attrgetter("when", "id"))
    item_totals: dict[int, float] = {}
    type_totals: dict[tuple[str, str], float] = {}
    walk_limits = {(lim.type, lim.max.unit): lim for lim in plan.alternatives.limits}
    walk_types = {lim.type for lim in plan.alternatives.limits}
    for row in ordered:
        if row.status == "withdrawn":
            continue
        if _norm(row.account) != account:
            out.other_accounts += 1
            continue
        out.checked += 1
        index = match_tradeable(plan, row)
        if index is None:
            out.findings.append(Finding("not-in-plan", row))
        else:
            out.matched[row.id] = index
            t = plan.tradeables[index]
            if row.get is None:
                out.findings.append(Finding("no-return", row, index, t.item, ask=t.ask))
            if t.limit is not None and row.value is not None:
                if row.unit == t.limit.unit:
                    total = item_totals.get(index, 0.0) + row.value
                    item_totals[index] = total
                    if total > t.limit.value + _EPS:
                        out.findings.append(Finding("over-limit", row, index, t.item, total, t.limit))
                else:
                    out.findings.append(
                        Finding("limit-unit", row, index, t.item, limit=t.limit, unit=row.unit)
                    )
        if row.value is not None and row.unit is not None and row.type in walk_types:
            lim = walk_limits.get((row.type, row.unit))
            if lim is None:
                other = next(x for x in plan.alternatives.limits if x.type == row.type)
                out.findings.append(Finding("limit-unit", row, limit=other.max, unit=row.unit, type=row.type))
                continue
            key = (row.type, row.unit)
            total = type_totals.get(key, 0.0) + row.value
            type_totals[key] = total
            if total > lim.max.value + _EPS:
                out.findings.append(Finding("past-walk-away", row, total=total, limit=lim.max, type=row.type))
    out.findings.sort(key=lambda f: KINDS.index(f.kind))  # stable: time order within a kind
    return out


class Pending(NamedTuple):
    """A concession being entered (not saved yet), shaped like a stored row for ``check_entry``."""

    account: str
    type: str
    give: str
    value: float | None = None
    unit: str | None = None
    get: str | None = None
    get_value: float | None = None
    get_unit: str | None = None
    meeting: str | None = None
    tactic: str | None = None
    stage: str = "bargaining"
    status: str = "agreed"
    when: str = "9999-12-31"
    id: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Every field, JSON-ready."""
        return self._asdict()


def check_entry(plan: Plan, rows: Iterable[Row], entry: Pending) -> list[Finding]:
    """What a concession about to be saved would break in the plan, given the meeting's earlier ones."""
    return [f for f in check(plan, [*rows, entry]).findings if f.entry is entry]


# ------------------------------------------------------------------------------------------- rendering


def _type_label(type_: str, lang: str) -> str:
    return TYPE_LABELS[lang].get(type_, type_)


def _unit_label(unit: str | None, lang: str) -> str:
    if unit is None:
        return "—"
    return tr(lang, f"check.unit.{unit}") if unit in ("percent", "days", "units") else unit


def finding_reason(f: Finding, lang: str = "en") -> str:
    """Why a finding is one, in one line (the numbers and the planned values)."""
    lim = amount(f.limit.value, f.limit.unit, lang) if f.limit is not None else ""
    unit = f.limit.unit if f.limit is not None else None
    if f.kind == "over-limit":
        return tr(lang, "check.why.over-limit", item=f.item, total=amount(f.total, unit, lang), limit=lim)
    if f.kind == "no-return":
        return tr(lang, "check.why.no-return", ask=f.ask)
    if f.kind == "past-walk-away":
        return tr(
            lang,
            "check.why.past-walk-away",
            type=_type_label(f.type or "", lang),
            total=amount(f.total, unit, lang),
            limit=lim,
        )
    if f.kind == "limit-unit":
        what = f.item if f.item else _type_label(f.type or "", lang)
        return tr(lang, "check.why.limit-unit", what=what, limit=lim, unit=_unit_label(f.unit, lang))
    return ""


def finding_line(f: Finding, lang: str = "en") -> str:
    """One finding in one line: what is wrong, then the numbers or the planned values."""
    reason = finding_reason(f, lang)
    short = tr(lang, "check.short." + f.kind)
    return f"{short}{'：' if lang == 'zh' else ': '}{reason}" if reason else short


def render_text(pc: PlanCheck, lang: str = "en") -> str:
    """The plan check as readable text (user text literally; the caller strips control characters)."""
    if pc.plan_id is not None:
        head = tr(
            lang, "check.title", id=pc.plan_id, version=pc.version, account=pc.account, meeting=pc.meeting
        )
    else:
        head = tr(lang, "check.title_unsaved", account=pc.account, meeting=pc.meeting)
    if pc.checked == 0:
        return f"{head}\n{tr(lang, 'check.none')}"
    counts = tr(lang, "check.checked", n=pc.checked)
    if pc.other_accounts:
        counts += tr(lang, "check.others", n=pc.other_accounts)
    lines = [head, counts]
    for kind in KINDS:
        found = pc.by_kind(kind)
        if not found:
            continue
        lines += ["", tr(lang, "check." + kind, n=len(found))]
        for f in found:
            lines.append("  " + entry_line(f.entry, lang))
            reason = finding_reason(f, lang)
            if reason:
                lines.append("    → " + reason)
    if pc.ok:
        lines += ["", tr(lang, "check.ok")]
    return "\n".join(lines)


def to_json(pc: PlanCheck) -> dict[str, Any]:
    """The plan check as one JSON-ready object (entries by id)."""

    def amt(a: Amount | None) -> dict[str, Any] | None:
        return None if a is None else {"value": a.value, "unit": a.unit}

    return {
        "plan": pc.plan_id,
        "version": pc.version,
        "account": pc.account,
        "meeting": pc.meeting,
        "checked": pc.checked,
        "other_accounts": pc.other_accounts,
        "ok": pc.ok,
        "matched": {str(k): v for k, v in pc.matched.items()},
        "findings": [
            {
                "kind": f.kind,
                "entry": f.entry.id,
                "tradeable": f.tradeable,
                "item": f.item,
                "total": f.total,
                "limit": amt(f.limit),
                "unit": f.unit,
                "ask": f.ask,
                "type": f.type,
            }
            for f in pc.findings
        ],
    }


def no_plan_text(lang: str = "en") -> str:
    """The line shown when a reviewed meeting has no plan."""
    return tr(lang, "check.no_plan")


# ---------------------------------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class TacticSuggestion:
    """A buyer tactic worth expecting, and the history behind it."""

    tactic: str
    in_log: int
    """Real concessions made under it with this account."""
    in_roleplay: int
    """Times it came up in role-play with this account's buyers."""

    @property
    def weight(self) -> int:
        """Real history counts double: it happened with this buyer."""
        return 2 * self.in_log + self.in_roleplay


def suggest_tactics(
    log_rows: Iterable[Row],
    roleplay: Iterable[str],
    tactic_ids: Sequence[str],
    *,
    exclude: Iterable[str] = (),
) -> list[TacticSuggestion]:
    """Tactics seen with the account (real log entries, not withdrawn) and met in its role-play, strongest
    first;
    only ids in ``tactic_ids`` (taxonomy order breaks ties), leaving out ``exclude``."""
    known = {t: i for i, t in enumerate(tactic_ids)}
    skip = set(exclude)
    real = Counter(r.tactic for r in log_rows if r.tactic and r.status != "withdrawn")
    played = Counter(roleplay)
    ids = [t for t in known if (real[t] or played[t]) and t not in skip]
    out = [TacticSuggestion(t, real[t], played[t]) for t in ids]
    out.sort(key=lambda s: (-s.weight, known[s.tactic]))
    return out


def order_key(t: Tradeable) -> tuple[int, int, int]:
    """Sort key: the widest gap between value to them and cost to us first, then the cheaper, then the more
    valuable."""
    value, cost = _LEVEL[t.value], _LEVEL[t.cost]
    return (-(value - cost), cost, -value)


def suggested_order(tradeables: Sequence[Tradeable]) -> list[Tradeable]:
    """The give-get matrix with cheap-to-give, valuable-to-them items first (stable for equal ones)."""
    return sorted(tradeables, key=order_key)


def suggestion_note(s: TacticSuggestion, lang: str = "en") -> str:
    """Where a suggested tactic was seen: "3× in the log, 1× in role-play"."""
    parts = []
    if s.in_log:
        parts.append(tr(lang, "prep.seen.log", n=s.in_log))
    if s.in_roleplay:
        parts.append(tr(lang, "prep.seen.roleplay", n=s.in_roleplay))
    return tr(lang, "prep.seen.sep").join(parts)


def suggestion_lines(
    suggestions: Sequence[TacticSuggestion],
    lang: str = "en",
    titles: Mapping[str, Mapping[str, str]] | None = None,
) -> list[str]:
    """One line per suggested tactic: its title in ``lang`` (``titles``: id -> title per language, e.g. the
    playbooks'; a readable form of the id when it has none) and where it was seen."""
    op, cp = ("（", "）") if lang == "zh" else (" (", ")")
    return [f"{tactic_title(s.tactic, lang, titles)}{op}{suggestion_note(s, lang)}{cp}" for s in suggestions]


def tactic_title(rule_id: str, lang: str, titles: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """What a person calls a rule: its title in ``lang`` from ``titles``, else ``readable(rule_id)``."""

    return (titles or {}).get(rule_id, {}).get(lang) or readable(rule_id)


# ------------------------------------------------------------------------------------------- guidance


@dataclass(frozen=True)
class Guidance:
    """What a playbook entry says, in both languages: title, steps and lines to say."""

    rule_id: str
    title: Mapping[str, str]
    steps: Mapping[str, Sequence[str]] = field(default_factory=dict)
    say: Mapping[str, Sequence[str]] = field(default_factory=dict)


def guidance(
    rules: Mapping[str, Rule], ids: Iterable[str], names: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, Guidance]:
    """Guidance for each id from the loaded rules; an id with no rule gets only its name from ``names``
    (e.g. the taxonomy's), so a brief still shows what was expected, and without a name a readable form of
    the id (``principle.restate-value`` -> ``Restate value``), never the id itself."""

    out = {}
    for rule_id in ids:
        rule = rules.get(rule_id)
        if rule is None:
            title = dict((names or {}).get(rule_id, {})) or {lang: readable(rule_id) for lang in ("en", "zh")}
            out[rule_id] = Guidance(rule_id, title)
            continue
        r = rule.response
        out[rule_id] = Guidance(
            rule_id,
            {"en": rule.title.en, "zh": rule.title.zh},
            {lang: [getattr(s, lang) for s in r.steps] for lang in ("en", "zh")},
            {lang: [getattr(s, lang) for s in r.say] for lang in ("en", "zh")},
        )
    return out


__all__ = [
    "KINDS",
    "Finding",
    "PlanCheck",
    "Pending",
    "check",
    "check_entry",
    "match_tradeable",
    "render_text",
    "to_json",
    "no_plan_text",
    "TacticSuggestion",
    "suggest_tactics",
    "suggested_order",
    "order_key",
    "suggestion_lines",
    "suggestion_note",
    "tactic_title",
    "Guidance",
    "guidance",
]
