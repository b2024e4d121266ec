"""Pure analyses of an annual customer business plan: the plan checks, KPI status against the target
with the rule shown, the target-vs-actual chart, the concession log's totals beside the investment, and
the plan as text and JSON. No I/O: models and rows in, values out.
"""

from __future__ import annotations

import shlex
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.content.business_plans import (
    STARTERS,
    BusinessPlan,
    Kpi,
    Review,
    name_key,
    period_parts,
    reviews_in_order,
)
from coach.i18n import tr
from coach.linebreak import wrap
from coach.review.brief import Brief, Section
from coach.review.concessions import amount, number
from coach.review.concessions import review as review_log

MIN_ACTIONS = 2
"""An objective with fewer actions than this has no real route to it."""

ON_TRACK = 0.95
"""Higher-is-better: on track when the actual is at least 95% of the (pro-rated) target."""
AT_RISK = 0.85
"""Higher-is-better: at risk when at least 85%; below that, off track. Lower-is-better mirrors both:
on track up to 105% of the target, at risk up to 115%."""
_EPS = 1e-9

STATUSES = ("on-track", "at-risk", "off-track", "no-target")

# ------------------------------------------------------------------------------------------------ words


def shell_name(name: str) -> str:
    """An account name as typed in a shell command (quoted when it has spaces)."""

    return shlex.quote(name)


def side_word(side: str, lang: str) -> str:
    """ours / theirs in the reader's language."""
    return tr(lang, "acbp." + side)


# --------------------------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Finding:
    """One thing the check found: ``kind`` is problem (fix it) or missing (a step not filled in yet)."""

    code: str
    kind: str
    step: str
    en: str
    zh: str

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def as_dict(self, lang: str = "en") -> dict[str, str]:
        """JSON-ready."""
        return {"code": self.code, "kind": self.kind, "step": self.step, "message": self.text(lang)}


def _q(text: str, lang: str) -> str:
    short = text if len(text) <= 60 else text[:59] + "…"
    return f"“{short}”" if lang == "en" else f"“{short}”"


def check(plan: BusinessPlan) -> list[Finding]:
    """Every problem and missing step of the plan, in the order of the steps."""
    out: list[Finding] = []

    def problem(code: str, step: str, en: str, zh: str) -> None:
        out.append(Finding(code, "problem", step, en, zh))

    def missing(code: str, step: str, en: str, zh: str) -> None:
        out.append(Finding(code, "missing", step, en, zh))

    s = plan.situation
    if not s.results:
        missing(
            "situation-results",
            "situation",
            "Where are we: no results yet (sales, share, growth).",
            "我们的地位在哪里：还没有写业绩（销售额、份额、增长）。",
        )
    if not s.trends:
        missing(
            "situation-trends",
            "situation",
            "Where are we: no trends yet.",
            "我们的地位在哪里：还没有写趋势。",
        )
    swot = [k for k in ("strengths", "weaknesses", "opportunities", "threats") if not getattr(s, k)]
    if swot:
        missing(
            "situation-swot",
            "situation",
            "SWOT: no " + ", ".join(tr("en", "acbp." + k).lower() for k in swot) + " named yet.",
            "SWOT分析：还没有写" + "、".join(tr("zh", "acbp." + k) for k in swot) + "。",
        )
    if not plan.objectives:
        missing(
            "objectives", "objectives", "What we want: no objectives yet.", "我们要达到什么目的：还没有目标。"
        )
    elif not any(o.side == "theirs" for o in plan.objectives):
        missing(
            "objectives-theirs",
            "objectives",
            f"No objective of {plan.account}'s own: what does the customer want from this year?",
            f"没有客户（{plan.account}）自己的目标：客户今年想要什么？",
        )
    for o in plan.objectives:
        en_o, zh_o = _q(o.text, "en"), _q(o.text, "zh")
        if not o.measure:
            problem(
                "objective-no-measure",
                "objectives",
                f"Objective {en_o} has no measure: how will you know it is met?",
                f"目标{zh_o}没有衡量标准：怎么知道达成了？",
            )
        if not o.strategies:
            missing(
                "objective-no-strategy",
                "strategies",
                f"Objective {en_o}: no strategy yet (how we get there).",
                f"目标{zh_o}：还没有策略（如何达到）。",
            )
        live = list(o.actions)
        if len(live) < MIN_ACTIONS:
            n = len(live)
            problem(
                "objective-few-actions",
                "actions",
                f"Objective {en_o} has {'no actions' if n == 0 else 'only one action'}: plan at least "
                f"{MIN_ACTIONS} steps to reach it.",
                f"目标{zh_o}{'没有行动' if n == 0 else '只有一项行动'}："
                f"至少要有 {MIN_ACTIONS} 项行动才能达到。",
            )
        for a in o.actions:
            en_a, zh_a = _q(a.what, "en"), _q(a.what, "zh")
            if not a.owner:
                problem(
                    "action-no-owner",
                    "actions",
                    f"Action {en_a} (for {en_o}) has no owner: who does it?",
                    f"行动{zh_a}（目标{zh_o}）没有负责人：谁来做？",
                )
            if not a.due:
                problem(
                    "action-no-date",
                    "actions",
                    f"Action {en_a} (for {en_o}) has no due date: by when?",
                    f"行动{zh_a}（目标{zh_o}）没有完成日期：什么时候做完？",
                )
    sides = {i.side for i in plan.investment}
    if not plan.investment:
        missing(
            "investment",
            "investment",
            "Resources and investment: nothing yet (what we put in, what they put in).",
            "资源与投入：还没有填写（我方投入什么，客户投入什么）。",
        )
    elif sides == {"ours"}:
        problem(
            "investment-one-sided",
            "investment",
            f"All the investment is ours: what does {plan.account} put in (space, flyers, data, "
            "payment terms)? Give and get.",
            f"投入全是我方的：{plan.account} 投入什么（陈列位、海报、数据、账期）？有给就要有换。",
        )
    elif sides == {"theirs"}:
        problem(
            "investment-one-sided",
            "investment",
            f"All the investment is {plan.account}'s: what do we put in? A plan only they pay for "
            "will not last.",
            f"投入全是客户（{plan.account}）的：我方投入什么？只让客户出钱的计划长不了。",
        )
    if not plan.scorecard:
        missing(
            "scorecard",
            "scorecard",
            "Scorecard: no KPIs yet (`coach acbp kpi add ACCOUNT NAME` offers the FMCG set).",
            "打分卡：还没有指标（`coach acbp kpi add 客户 名称` 提供快消品常用指标）。",
        )
    unowned = []
    for k in plan.scorecard:
        en_k, zh_k = _q(k.name, "en"), _q(k.name, "zh")
        gaps = [
            (code, *words)
            for code, absent, words in (
                ("kpi-no-baseline", k.baseline is None, KPI_GAPS["baseline"]),
                ("kpi-no-source", not k.source, KPI_GAPS["source"]),
                ("kpi-no-target", k.target is None, KPI_GAPS["target"]),
            )
            if absent
        ]
        if gaps:
            problem(
                gaps[0][0],
                "scorecard",
                f"KPI {en_k} has {_and([g[1] for g in gaps])}: "
                + " ".join(g[2] if i == 0 else _cap(g[2]) for i, g in enumerate(gaps)),
                f"指标{zh_k}" + "、".join(g[3] for g in gaps) + "：" + "".join(g[4] for g in gaps),
            )
        if not k.owner:
            unowned.append(k.name)
    if unowned:
        missing(
            "kpi-no-owner",
            "scorecard",
            "Nobody reports these KPIs yet: " + ", ".join(unowned) + ".",
            "这些指标还没有负责人（谁来报数？）：" + "、".join(unowned) + "。",
        )
    return out


KPI_GAPS = {
    "baseline": ("no baseline", "where does it stand today?", "没有基数", "现在是多少？"),
    "source": ("no source", "where will the figure come from?", "没有数据来源", "数字从哪里来？"),
    "target": ("no target", "what is the year's aim?", "没有目标", "全年要达到多少？"),
}
"""What a KPI lacks, and the question a coach would ask about it (en, zh)."""


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def problems(findings: Sequence[Finding]) -> list[Finding]:
    """Only the problems (what makes `coach acbp check ACCOUNT` exit 1)."""
    return [f for f in findings if f.kind == "problem"]


# --------------------------------------------------------------------------------------------- status


@dataclass(frozen=True)
class Status:
    """A KPI's standing for one period: what was compared, how far it got, the verdict."""

    kpi: str
    period: str
    actual: float
    compared: float
    """The actual compared: the period's own figure, or the year to date for totals."""
    target: float | None
    """The target it was compared with (pro-rated for totals in a quarter)."""
    share: float | None
    """compared / target (1.0 = exactly on target); None without a usable target."""
    status: str
    quarters: int = 1
    """How many quarters were added up (totals); 1 otherwise."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)


def judge(direction: str, compared: float, target: float | None) -> tuple[float | None, str]:
    """(share of target, status) by the rule in the status rule (acbp.rule.text)."""
    if target is None:
        return None, "no-target"
    if target <= 0:
        if direction == "lower" and target == 0:  # "zero complaints": anything above zero misses it
            return None, "on-track" if compared <= 0 else "off-track"
        return None, "no-target"
    share = compared / target
    if direction == "lower":
        if share <= 2 - ON_TRACK + _EPS:
            return share, "on-track"
        if share <= 2 - AT_RISK + _EPS:
            return share, "at-risk"
        return share, "off-track"
    if share >= ON_TRACK - _EPS:
        return share, "on-track"
    if share >= AT_RISK - _EPS:
        return share, "at-risk"
    return share, "off-track"


def statuses(plan: BusinessPlan, reviews: Sequence[Review]) -> list[Status]:
    """The status of every actual recorded in the plan's year, in period order; a total's quarter is
    judged on the year to date (the quarters reviewed so far) against the pro-rated target."""
    out: list[Status] = []
    so_far: dict[str, list[float]] = {}
    for review in reviews_in_order(reviews):
        year, quarter = period_parts(review.period)
        if year != plan.year:
            continue
        for actual in review.actuals:
            kpi = plan.kpi(actual.kpi)
            if kpi is None:
                continue
            compared, target, quarters = actual.actual, kpi.target, 1
            if kpi.kind == "total" and quarter is not None:
                seen = so_far.setdefault(name_key(kpi.name), [])
                seen.append(actual.actual)
                compared, quarters = sum(seen), len(seen)
                target = None if kpi.target is None else kpi.target * quarters / 4
            share, verdict = judge(kpi.direction, compared, target)
            out.append(
                Status(kpi.name, review.period, actual.actual, compared, target, share, verdict, quarters)
            )
    return out


def latest_status(plan: BusinessPlan, reviews: Sequence[Review]) -> dict[str, Status]:
    """The newest status per KPI (key: name_key of the KPI)."""
    out: dict[str, Status] = {}
    for st in statuses(plan, reviews):
        out[name_key(st.kpi)] = st
    return out


def year_end_actuals(plan: BusinessPlan, reviews: Sequence[Review]) -> dict[str, float]:
    """Where each KPI ended the plan's year (key: name_key): the annual review's figure; else, for a
    total, the four quarters added up; for a level, the latest quarter's figure."""
    out: dict[str, float] = {}
    quarters: dict[str, list[float]] = {}
    annual: dict[str, float] = {}
    for review in reviews_in_order(reviews):
        year, quarter = period_parts(review.period)
        if year != plan.year:
            continue
        for actual in review.actuals:
            kpi = plan.kpi(actual.kpi)
            if kpi is None:
                continue
            key = name_key(kpi.name)
            if quarter is None:
                annual[key] = actual.actual
            else:
                quarters.setdefault(key, []).append(actual.actual)
    for kpi in plan.scorecard:
        key = name_key(kpi.name)
        if key in annual:
            out[key] = annual[key]
        elif key in quarters and kpi.kind == "level":
            out[key] = quarters[key][-1]
        elif key in quarters and len(quarters[key]) == 4:
            out[key] = sum(quarters[key])
    return out


def carry_over(plan: BusinessPlan, reviews: Sequence[Review], year: int) -> BusinessPlan:
    """Last year's plan as the start of ``year``'s: objectives, strategies, investment and KPIs kept;
    actions open again without dates (the check asks for new ones); each KPI's baseline is where it
    ended last year and its target is left for the new year."""
    ended = year_end_actuals(plan, reviews)
    objectives = [
        o.model_copy(
            update={"actions": [a.model_copy(update={"done": False, "due": None}) for a in o.actions]}
        )
        for o in plan.objectives
    ]
    scorecard = [
        k.model_copy(update={"baseline": ended.get(name_key(k.name), k.baseline), "target": None})
        for k in plan.scorecard
    ]
    return plan.model_copy(update={"year": year, "objectives": objectives, "scorecard": scorecard})


# ------------------------------------------------------------------------------------------- formatting


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    return text + " " * max(0, columns - width(text))


def figure(value: float | None, unit: str | None, lang: str = "en") -> str:
    """A KPI figure with its unit: 4.1%, 45 days, CNY 3,500,000, 3.2x."""
    if value is None:
        return "—"

    if unit == "ratio":
        return f"{number(value)}x"
    if unit is None:
        return number(value)
    if value < 0:
        return "-" + amount(-value, unit, lang)
    return amount(value, unit, lang)


def short(value: float, unit: str | None, lang: str = "en") -> str:
    """A compact figure for the chart: 3.5m, 850k, 4.1%, 45 days."""
    if unit not in (None, "percent", "days", "units", "ratio") and abs(value) >= 1000:
        for size, mark in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
            if abs(value) >= size:
                text = f"{value / size:.2f}".rstrip("0").rstrip(".")
                return f"{text}{mark}"
    return figure(value, unit, lang)


_KPI_UNITS = ("percent", "days", "units", "ratio")
"""Units a KPI names in words (coach/i18n acbp.unit.*); any other unit is shown as written."""


def _unit_name(unit: str | None, lang: str) -> str:
    return tr(lang, f"acbp.unit.{unit}") if unit in _KPI_UNITS else (unit or "")


def kpi_label(kpi: Kpi, lang: str) -> str:
    """unit, direction (and kind) in words."""
    unit = _unit_name(kpi.unit, lang)
    parts = [unit, tr(lang, "acbp." + kpi.direction)] + (
        [tr(lang, "acbp.total")] if kpi.kind == "total" else []
    )
    return ("、" if lang == "zh" else ", ").join(p for p in parts if p)


# -------------------------------------------------------------------------------------- concession log


@dataclass(frozen=True)
class LogTotals:
    """The concession log's totals for the account and year (entries as ``store.concessions.select``)."""

    entries: int
    with_return: int
    given: dict[str, float] = field(default_factory=dict)
    received: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)


def log_totals(rows: Sequence[Any]) -> LogTotals:
    """Totals given and received, from the concession review (withdrawn entries are not counted)."""

    rv = review_log(rows)
    return LogTotals(rv.entries, rv.with_return, dict(rv.given), dict(rv.received))


def _totals_text(totals: Mapping[str, float], lang: str) -> str:
    if not totals:
        return "—"
    return " · ".join(amount(v, u, lang) for u, v in sorted(totals.items()))


def log_line(totals: LogTotals | None, account: str, year: int, lang: str) -> str | None:
    """The line shown beside the plan's investment, or None when the log was not read."""
    if totals is None:
        return None
    head = tr(lang, "acbp.log", year=year)
    if not totals.entries:
        return f"{head}: {tr(lang, 'acbp.log_empty', account=account, year=year)}"
    body = tr(
        lang,
        "acbp.log_line",
        given=_totals_text(totals.given, lang),
        received=_totals_text(totals.received, lang),
        n=totals.entries,
        w=totals.with_return,
    )
    return f"{head}{'：' if lang == 'zh' else ': '}{body}"


def investment_totals(plan: BusinessPlan) -> dict[str, dict[str, float]]:
    """Sum of the investment with a value, per side and unit."""
    out: dict[str, dict[str, float]] = {"ours": {}, "theirs": {}}
    for item in plan.investment:
        if item.value is not None and item.unit is not None:
            out[item.side][item.unit] = out[item.side].get(item.unit, 0.0) + item.value
    return out


# ------------------------------------------------------------------------------------------- rendering


STEPS = ("situation", "objectives", "investment", "scorecard", "review")
"""The plan's steps as the terminal UI shows them, one per page; the last is the review with its chart."""

STEP_OF_FINDING = {"strategies": "objectives", "actions": "objectives"}
"""Checks found on a sub-part are shown on the page of its step."""


def render_step(
    plan: BusinessPlan,
    step: str,
    reviews: Sequence[Review] = (),
    log: LogTotals | None = None,
    lang: str = "en",
) -> str:
    """One step of the plan as text: its heading, its content, and the checks that concern it."""

    colon = "：" if lang == "zh" else ": "
    if step == "review":
        return chart(plan, reviews, lang, rule=False) + "\n\n" + render_reviews(plan, reviews, lang)
    lines = [tr(lang, "acbp." + step)]
    if step == "situation":
        s = plan.situation
        any_situation = False
        for key in ("results", "trends", "strengths", "weaknesses", "opportunities", "threats"):
            items = getattr(s, key)
            if items:
                any_situation = True
                lines.append(f"  {tr(lang, 'acbp.' + key)}{colon.rstrip()}")
                lines += [f"    - {t}" for t in items]
        if not any_situation:
            lines.append(f"  {tr(lang, 'acbp.empty')}")
    elif step == "objectives":
        if not plan.objectives:
            lines.append(f"  {tr(lang, 'acbp.empty')}")
        for n, o in enumerate(plan.objectives, 1):
            lines.append(f"  {n}. [{side_word(o.side, lang)}] {o.text}")
            lines.append(f"     {tr(lang, 'acbp.measure')}{colon}{o.measure or tr(lang, 'acbp.no_measure')}")
            for st in o.strategies:
                lines.append(f"     {tr(lang, 'acbp.strategy')}{colon}{st}")
            for a in o.actions:
                tick = "[x]" if a.done else "[ ]"
                lines.append(
                    f"     {tick} {a.what} — {a.owner or tr(lang, 'acbp.no_owner')}, {a.due or tr(lang, 'acbp.no_due')}"
                )
    elif step == "investment":
        if not plan.investment:
            lines.append(f"  {tr(lang, 'acbp.empty')}")
        for side, label in (("ours", tr(lang, "acbp.we_put_in")), ("theirs", tr(lang, "acbp.they_put_in"))):
            items = [i for i in plan.investment if i.side == side]
            if items:
                lines.append(f"  {label}{colon.rstrip()}")
                for i in items:
                    size = amount(i.value, i.unit, lang) if i.value is not None and i.unit else ""
                    lines.append(f"    - {i.what}" + (f" ({size})" if size else ""))
        if plan.investment:
            sums = investment_totals(plan)
            lines.append(
                f"  {tr(lang, 'acbp.give_get')}{colon}{tr(lang, 'acbp.ours')} {_totals_text(sums['ours'], lang)}  |  "
                f"{tr(lang, 'acbp.theirs')} {_totals_text(sums['theirs'], lang)}"
            )
        extra = log_line(log, plan.account, plan.year, lang)
        if extra:
            lines.append(f"  {extra}")
    elif step == "scorecard":
        if not plan.scorecard:
            lines.append(f"  {tr(lang, 'acbp.empty')}")
        latest = latest_status(plan, reviews)
        for k in plan.scorecard:
            lines.append(f"  - {k.name} ({kpi_label(k, lang)})")
            lines.append(
                f"    {tr(lang, 'acbp.baseline')} {figure(k.baseline, k.unit, lang)} → {tr(lang, 'acbp.target')} "
                f"{figure(k.target, k.unit, lang)}; {tr(lang, 'acbp.source')}{colon}{k.source or '—'}; "
                f"{tr(lang, 'acbp.owner')}{colon}{k.owner or '—'}"
            )
            st = latest.get(name_key(k.name))
            if st:
                lines.append(
                    f"    {tr(lang, 'acbp.latest')} ({st.period}){colon}{status_phrase(st, k, lang)}"
                )
        if latest:
            lines.append(f"  {tr(lang, 'acbp.rule')}{colon.rstrip()}")
            lines += _wrap(tr(lang, "acbp.rule.text"), CHART_WIDTH - 2, "    ")
    else:
        raise ValueError(f"unknown step {step!r} (one of {', '.join(STEPS)})")
    return "\n".join(lines)


def step_findings(plan: BusinessPlan, step: str) -> list[Finding]:
    """The checks that concern one step."""
    return [f for f in check(plan) if STEP_OF_FINDING.get(f.step, f.step) == step]


def render_plan(
    plan: BusinessPlan,
    reviews: Sequence[Review] = (),
    log: LogTotals | None = None,
    lang: str = "en",
    version: int | None = None,
) -> str:
    """The whole plan as text, step by step, with the latest KPI status and the checks."""
    title = tr(lang, "acbp.title", account=plan.account, year=plan.year)
    parts = [title + (f"  (v{version})" if version else "")]
    parts += [render_step(plan, step, reviews, log, lang) for step in STEPS[:-1]]
    parts.append(render_checks(check(plan), lang))
    return "\n\n".join(parts)


def status_parts(st: Status, kpi: Kpi, lang: str) -> tuple[str, str]:
    """(verdict, what was compared): ``("off track", "4.1% vs target 3% (137%)")``."""
    phrase = status_phrase(st, kpi, lang)
    detail, _, verdict = phrase.rpartition("：" if lang == "zh" else ": ")
    return verdict, detail


def status_phrase(st: Status, kpi: Kpi, lang: str) -> str:
    """``4.1% vs 3% target (137%): off track``; totals say the quarters added up."""
    shown = figure(st.compared, kpi.unit, lang)
    if st.quarters > 1:
        shown += f" (Q1–Q{st.quarters})" if lang == "en" else f"（前{st.quarters}个季度累计）"
    target = figure(st.target, kpi.unit, lang) if st.target is not None else "—"
    pct = f" ({round(st.share * 100)}%)" if st.share is not None else ""
    vs = "vs target" if lang == "en" else "对比目标"
    return f"{shown} {vs} {target}{pct}{'：' if lang == 'zh' else ': '}{tr(lang, 'acbp.' + st.status)}"


def render_checks(findings: Sequence[Finding], lang: str = "en") -> str:
    """The checks as `coach validate` shows problems: one per line, then what is not filled in yet."""
    colon = "：" if lang == "zh" else ":"
    probs = [f for f in findings if f.kind == "problem"]
    gaps = [f for f in findings if f.kind == "missing"]
    lines = [f"{tr(lang, 'acbp.checks')}{colon}"]
    if not probs:
        lines.append(f"  ✓ {tr(lang, 'acbp.all_good')}")
    lines += [f"  ✗ {f.text(lang)}" for f in probs]
    if gaps:
        lines.append(f"{tr(lang, 'acbp.missing')}{colon}")
        lines += [f"  · {f.text(lang)}" for f in gaps]
    return "\n".join(lines)


def render_reviews(
    plan: BusinessPlan, reviews: Sequence[Review], lang: str = "en", columns: int | None = None
) -> str:
    """Each review: actuals with their status (rule shown once), what was learned, what follows; lines
    fit ``columns`` (80 by default)."""
    columns = columns or CHART_WIDTH
    colon = "：" if lang == "zh" else ": "
    mine = [r for r in reviews_in_order(reviews) if period_parts(r.period)[0] == plan.year]
    if not mine:
        return tr(lang, "acbp.no_reviews", account=shell_name(plan.account), year=plan.year)
    by_period: dict[str, list[Status]] = {}
    for st in statuses(plan, mine):
        by_period.setdefault(st.period, []).append(st)
    lines = [
        f"{tr(lang, 'acbp.reviews')} — {plan.account}, {plan.year}",
        f"{tr(lang, 'acbp.rule')}{colon.rstrip()}",
    ]
    lines += _wrap(tr(lang, "acbp.rule.text"), columns, "  ")
    for r in mine:
        lines += ["", r.period]
        for st in by_period.get(r.period, []):
            kpi = plan.kpi(st.kpi)
            assert kpi is not None
            mark = {"on-track": "✓", "at-risk": "!", "off-track": "✗"}.get(st.status, "·")
            verdict, detail = status_parts(st, kpi, lang)
            lines += _wrap(f"{mark} {kpi.name}{colon}{verdict} — {detail}", columns, "  ", "      ")
        for a in r.actuals:
            if plan.kpi(a.kpi) is None:
                lines.append(f"  {pad(a.kpi, 28)} {figure(a.actual, None, lang)} (not on the scorecard)")
            if a.note:
                lines.append(f"    {a.kpi}{colon}{a.note}")
        if r.learned:
            lines.append(f"  {tr(lang, 'acbp.learned')}{colon.rstrip()}")
            lines += [f"    - {t}" for t in r.learned]
        if r.next_actions:
            lines.append(f"  {tr(lang, 'acbp.next')}{colon.rstrip()}")
            for a in r.next_actions:
                tick = "[x]" if a.done else "[ ]"
                lines.append(
                    f"    {tick} {a.what} — {a.owner or tr(lang, 'acbp.no_owner')}, {a.due or tr(lang, 'acbp.no_due')}"
                )
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------- chart

CHART_WIDTH = 80
"""The chart fits a terminal of this many columns."""
BAR = 36
"""Columns of the longest bar."""


def chart(
    plan: BusinessPlan,
    reviews: Sequence[Review],
    lang: str = "en",
    kpi: str | None = None,
    columns: int | None = None,
    rule: bool = True,
) -> str:
    """Target vs actual per quarter for each KPI (or one), as bars that fit ``columns`` (80 by default).

    A total's quarter shows that quarter's figure against a quarter of the year's target; a level shows
    the figure against the target. The verdict after each actual is its status by the status rule (acbp.rule.text)."""
    colon = "：" if lang == "zh" else ": "
    width_ = max(40, columns or CHART_WIDTH)
    bar_width = max(8, min(BAR, width_ - 44))
    mine = [r for r in reviews_in_order(reviews) if period_parts(r.period)[0] == plan.year]
    points = chart_points(plan, mine, kpi)
    lines = [tr(lang, "acbp.chart", year=plan.year)]
    if not mine:
        lines.append(tr(lang, "acbp.no_reviews", account=shell_name(plan.account), year=plan.year))
        return "\n".join(lines)
    tag_t, tag_a = tr(lang, "acbp.target"), tr(lang, "acbp.actual")
    tag_w = max(width(tag_t), width(tag_a)) + 1
    for k in plan.scorecard:
        rows: list[tuple[str, float | None, float | None, str]] = []
        for point in points:
            if point["kpi"] != k.name:
                continue
            quarter = period_parts(point["period"])[1]
            label = f"Q{quarter}" if quarter else ("Year" if lang == "en" else "全年")
            verdict = tr(lang, "acbp." + point["status"]) if point["status"] else ""
            rows.append((label, point["target"], point["actual"], verdict))
        if not rows:
            continue
        lines += ["", _fit(f"{k.name} — {kpi_label(k, lang)}", width_)]
        top = max([abs(v) for _, t, a, _ in rows for v in (t, a) if v is not None] or [1.0]) or 1.0
        for label, target, actual, verdict in rows:
            for tag, value, mark, tail in ((tag_t, target, "░", ""), (tag_a, actual, "█", verdict)):
                n = 0 if value is None else round(abs(value) / top * bar_width)
                bar = (mark * n) if value is not None else "—"
                value_text = short(value, k.unit, lang) if value is not None else "—"
                head = pad(label if tag is tag_t else "", 5) + pad(tag, tag_w)
                line = head + pad(bar, bar_width + 1) + pad(value_text, 11) + tail
                lines.append(_fit(line.rstrip(), width_))
    if rule:
        lines += ["", f"{tr(lang, 'acbp.rule')}{colon.rstrip()}"]
        lines += _wrap(tr(lang, "acbp.rule.text"), width_, "  ")
    return "\n".join(lines)


def chart_points(
    plan: BusinessPlan, reviews: Sequence[Review], kpi: str | None = None
) -> list[dict[str, Any]]:
    """What the chart draws, as data: per KPI and period the target for that period alone (a total's
    quarter: a quarter of the year's target), the actual, and the status by the status rule (acbp.rule.text)."""
    mine = [r for r in reviews_in_order(reviews) if period_parts(r.period)[0] == plan.year]
    judged = {(name_key(st.kpi), st.period): st for st in statuses(plan, mine)}
    out = []
    for k in plan.scorecard:
        if kpi is not None and name_key(k.name) != name_key(kpi):
            continue
        for r in mine:
            actual = next((a.actual for a in r.actuals if name_key(a.kpi) == name_key(k.name)), None)
            if actual is None:
                continue
            quarter = period_parts(r.period)[1]
            target = k.target / 4 if k.target is not None and k.kind == "total" and quarter else k.target
            st = judged.get((name_key(k.name), r.period))
            out.append(
                {
                    "kpi": k.name,
                    "period": r.period,
                    "target": target,
                    "actual": actual,
                    "status": st.status if st else None,
                }
            )
    return out


def _fit(text: str, columns: int) -> str:
    if width(text) <= columns:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > columns - 1:
            break
        out += ch
    return out + "…"


def _wrap(text: str, columns: int, indent: str, then: str | None = None) -> list[str]:
    """``text`` in lines of at most ``columns`` terminal columns, indent included: English breaks at
    spaces, Chinese between characters but never before a closing mark (coach.linebreak); ``indent``
    starts the first line, ``then`` (default: the same) the others."""

    then = indent if then is None else then
    room = columns - max(width(indent), width(then))
    if any(width(ch) == 2 for ch in text):
        lines = wrap(text, room)
    else:  # English: at spaces only (coach.linebreak would also break after the commas in 10,250,000)
        lines = textwrap.wrap(text, room, break_long_words=True, break_on_hyphens=False) or [""]
    return [(indent if i == 0 else then) + line.lstrip() for i, line in enumerate(lines)]


# ------------------------------------------------------------------------------------------------ JSON


def to_json(
    plan: BusinessPlan,
    reviews: Sequence[Review] = (),
    log: LogTotals | None = None,
    lang: str = "en",
    version: int | None = None,
) -> dict[str, Any]:
    """The plan, its checks, reviews and statuses, the rule and the log totals as one JSON object."""
    mine = [r for r in reviews_in_order(reviews) if period_parts(r.period)[0] == plan.year]
    return {
        "account": plan.account,
        "year": plan.year,
        "version": version,
        "plan": plan.body(),
        "checks": [f.as_dict(lang) for f in check(plan)],
        "reviews": [r.body() for r in mine],
        "statuses": [s.as_dict() for s in statuses(plan, mine)],
        "rule": tr(lang, "acbp.rule.text"),
        "investment_totals": investment_totals(plan),
        "concession_log": None if log is None else log.as_dict(),
    }


def starters_text(lang: str = "en") -> str:
    """The FMCG starting set, one KPI a line with its unit and direction."""
    lines = [tr(lang, "acbp.starters")]
    for s in STARTERS:
        name = s.zh if lang == "zh" else s.en
        hint = s.hint_zh if lang == "zh" else s.hint_en
        lines.append(f"  {pad(s.key, 23)} {pad(name, 26)} {pad(s.unit, 8)} {tr(lang, 'acbp.' + s.direction)}")
        lines.append(f"  {'':23} {hint}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ review pack


def review_pack(
    plan: BusinessPlan,
    reviews: Sequence[Review] = (),
    log: LogTotals | None = None,
    lang: str = "en",
    version: int | None = None,
) -> Any:
    """The pack a manager reads after a quarterly or annual review, as a ``coach.review.brief.Brief`` (so
    it prints as Markdown or as one HTML page like the meeting brief): the scorecard with the latest
    status, target vs actual per period with the rule, what was learned and what follows, the
    objectives and their actions, what each side put in beside the concession log, and the checks."""

    mine = [r for r in reviews_in_order(reviews) if period_parts(r.period)[0] == plan.year]
    judged = statuses(plan, mine)
    latest = latest_status(plan, mine)
    sections: list[Section] = []

    def cap(word: str) -> str:
        return word[:1].upper() + word[1:]

    score = Section("scorecard", tr(lang, "acbp.pack.scorecard"))
    score.header = [
        tr(lang, "acbp.pack.kpi"),
        tr(lang, "acbp.pack.unit"),
        tr(lang, "acbp.pack.better"),
        cap(tr(lang, "acbp.baseline")),
        cap(tr(lang, "acbp.target")),
        cap(tr(lang, "acbp.latest")),
    ]
    score.header.append(tr(lang, "acbp.pack.status"))
    for k in plan.scorecard:
        st = latest.get(name_key(k.name))
        score.rows.append(
            [
                k.name,
                _unit_name(k.unit, lang),
                tr(lang, "acbp." + k.direction),
                figure(k.baseline, k.unit, lang),
                figure(k.target, k.unit, lang),
                f"{st.period}: {figure(st.compared, k.unit, lang)}" if st else "—",
                tr(lang, "acbp." + st.status) if st else "—",
            ]
        )
    sections.append(score)

    table = Section("by-period", tr(lang, "acbp.pack.by_quarter"))
    table.header = [
        tr(lang, "acbp.pack.period"),
        tr(lang, "acbp.pack.kpi"),
        cap(tr(lang, "acbp.actual")),
        tr(lang, "acbp.pack.compared"),
        cap(tr(lang, "acbp.target")),
        tr(lang, "acbp.pack.share"),
    ]
    table.header.append(tr(lang, "acbp.pack.status"))
    for st in judged:
        k = plan.kpi(st.kpi)
        assert k is not None
        table.rows.append(
            [
                st.period,
                k.name,
                figure(st.actual, k.unit, lang),
                figure(st.compared, k.unit, lang) + (f" (Q1–Q{st.quarters})" if st.quarters > 1 else ""),
                figure(st.target, k.unit, lang),
                f"{round(st.share * 100)}%" if st.share is not None else "—",
                tr(lang, "acbp." + st.status),
            ]
        )
    sections.append(table)
    sections.append(Section("rule", tr(lang, "acbp.rule"), items=[("", tr(lang, "acbp.rule.text"))]))

    for r in mine:
        if not (r.learned or r.next_actions):
            continue
        sec = Section(f"review-{r.period}", f"{tr(lang, 'acbp.reviews')} {r.period}")
        sec.items += [(tr(lang, "acbp.learned"), t) for t in r.learned]
        for a in r.next_actions:
            done = f" ({tr(lang, 'acbp.action_done')})" if a.done else ""
            sec.items.append(
                (
                    tr(lang, "acbp.next"),
                    f"{a.what}{done} — {a.owner or tr(lang, 'acbp.no_owner')}, {a.due or tr(lang, 'acbp.no_due')}",
                )
            )
        sections.append(sec)

    objectives = Section("objectives", tr(lang, "acbp.pack.objectives"))
    for o in plan.objectives:
        objectives.items.append(
            (f"[{side_word(o.side, lang)}] {o.text}", o.measure or tr(lang, "acbp.no_measure"))
        )
        for a in o.actions:
            done = f" ({tr(lang, 'acbp.action_done')})" if a.done else ""
            objectives.items.append(
                (
                    f"  {a.what}{done}",
                    f"{a.owner or tr(lang, 'acbp.no_owner')}, {a.due or tr(lang, 'acbp.no_due')}",
                )
            )
    sections.append(objectives)

    invest = Section("investment", tr(lang, "acbp.pack.investment"))
    for i in plan.investment:
        size = amount(i.value, i.unit, lang) if i.value is not None and i.unit else ""
        invest.items.append((side_word(i.side, lang), i.what + (f" ({size})" if size else "")))
    sums = investment_totals(plan)
    invest.items.append(
        (
            tr(lang, "acbp.give_get"),
            f"{tr(lang, 'acbp.ours')} {_totals_text(sums['ours'], lang)} | "
            f"{tr(lang, 'acbp.theirs')} {_totals_text(sums['theirs'], lang)}",
        )
    )
    extra = log_line(log, plan.account, plan.year, lang)
    if extra:
        invest.items.append(("", extra))
    sections.append(invest)

    findings = check(plan)
    checks = Section("checks", tr(lang, "acbp.checks"))
    checks.items = [("", "✗ " + f.text(lang)) for f in problems(findings)] or [
        ("", "✓ " + tr(lang, "acbp.all_good"))
    ]
    checks.items += [("", "· " + f.text(lang)) for f in findings if f.kind == "missing"]
    sections.append(checks)

    subtitle = (
        tr(lang, "acbp.pack.sub", version=version or 1, last=mine[-1].period)
        if mine
        else tr(lang, "acbp.pack.sub_none", version=version or 1)
    )
    return Brief(lang, tr(lang, "acbp.pack.pack", account=plan.account, year=plan.year), subtitle, sections)
