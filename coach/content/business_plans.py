"""The annual customer business plan (ACBP, 年度客户业务计划): the model, the FMCG scorecard set, quarterly
and annual reviews, and YAML import/export with located errors.

The plan follows the course's steps: where are we (situation: results, trends, strengths, weaknesses,
opportunities, threats), what do we want (objectives, ours and the customer's, each with a measure),
how do we get there (strategies per objective), what must we do, who does what and when (actions with
owner and due date), resources and investment (what we put in, what they put in) and the scorecard
(KPIs with unit, baseline, target, source, owner). Every part is optional: a short plan that is reopened
beats a long one that is not; the checks name what is missing instead of refusing it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from coach.content.loader import pydantic_problems
from coach.content.plans import MAX_ITEMS, Line, Name, Number, Unit, _bad_scalar, parse_date
from coach.content.yamlpos import Located, YamlProblem, load_text
from coach.domain.concessions import parse_unit
from coach.errors import CoachError
from coach.files import FileProblem, read_bytes

SIDES = ("ours", "theirs")
"""Whose objective or investment: ours (the supplier's) or theirs (the customer's)."""
DIRECTIONS = ("higher", "lower")
"""Whether a KPI is better when higher (sales, share) or lower (out-of-stock rate, payment days)."""
KINDS = ("level", "total")
"""A level (share, rate, days) is compared with its target as it is; a total (sales) adds up over the
year, so a quarter is compared with the target pro-rated to the quarters reviewed."""
KPI_UNITS = ("ratio",)
"""KPI units besides the concession log's (percent, days, units, currency codes): a return ratio (3.2x)."""

MIN_YEAR, MAX_YEAR = 2000, 2100


class BusinessPlanError(CoachError):
    """A plan or review (or a file of one) is not valid; ``problems`` lists every message, the first shown."""

    def __init__(self, problems: list[str], hint: str | None = None) -> None:
        super().__init__(problems[0] if problems else "invalid business plan", hint)
        self.problems = problems


# ------------------------------------------------------------------------------------------ field types


def _side(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    key = value.strip().casefold()
    aliases = {
        "us": "ours",
        "our": "ours",
        "we": "ours",
        "supplier": "ours",
        "我方": "ours",
        "我们": "ours",
        "them": "theirs",
        "their": "theirs",
        "customer": "theirs",
        "客户": "theirs",
        "客户方": "theirs",
    }
    key = aliases.get(key, key)
    if key not in SIDES:
        raise ValueError(f"expected ours or theirs, not {value.strip()[:40]!r}")
    return key


def _direction(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    key = value.strip().casefold()
    aliases = {
        "up": "higher",
        "high": "higher",
        "越高越好": "higher",
        "down": "lower",
        "low": "lower",
        "越低越好": "lower",
    }
    key = aliases.get(key, key)
    if key not in DIRECTIONS:
        raise ValueError(f"expected higher or lower (which is better), not {value.strip()[:40]!r}")
    return key


def _kind(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    key = {"累计": "total", "sum": "total", "水平": "level", "rate": "level"}.get(
        value.strip().casefold(), value.strip().casefold()
    )
    if key not in KINDS:
        raise ValueError(f"expected level or total, not {value.strip()[:40]!r}")
    return key


def parse_kpi_unit(value: Any) -> Any:
    """A KPI unit: the concession log's units (percent, days, units, CNY, ...) or ``ratio``."""
    if not isinstance(value, str):
        return value
    key = value.strip().casefold()
    if key in KPI_UNITS or key in ("x", "倍"):
        return "ratio"

    try:
        return parse_unit(value)
    except ValueError:
        raise ValueError(
            f"unknown unit {value.strip()[:40]!r} (use percent, days, units, ratio or a currency code "
            "such as CNY)"
        ) from None


def parse_figure(value: Any) -> Any:
    """A KPI figure: any finite number (a growth rate can be negative); ``1,200`` and ``12%`` accepted."""
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, str):
        text = value.strip().replace(",", "").rstrip("%").strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{value.strip()[:40]!r} is not a number") from None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        if abs(value) > 1e15:
            raise ValueError(f"{value:g} is too large")
    return value


_PERIOD_Q = re.compile(r"^(\d{4})\s*[-/ ]?\s*[qQ]([1-4])$")
_PERIOD_QFIRST = re.compile(r"^[qQ]([1-4])\s*[-/ ]?\s*(\d{4})$")
_PERIOD_ZH = re.compile(r"^(\d{4})\s*年\s*(?:第?\s*([1-4一二三四])\s*季度?)?$")
_ZH_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}


def parse_period(value: Any) -> Any:
    """A review period: a quarter ``2026-Q2`` (also ``Q2 2026``, ``2026年第二季度``) or a year ``2026``."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    year = quarter = None
    if m := _PERIOD_Q.match(text):
        year, quarter = m.group(1), m.group(2)
    elif m := _PERIOD_QFIRST.match(text):
        year, quarter = m.group(2), m.group(1)
    elif m := _PERIOD_ZH.match(text):
        year, quarter = m.group(1), m.group(2) and _ZH_DIGITS.get(m.group(2), m.group(2))
    elif text.isdigit() and len(text) == 4:
        year = text
    if year is None:
        raise ValueError(f"expected a quarter such as 2026-Q2 or a year such as 2026, not {text[:40]!r}")
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise ValueError(f"year {year} is out of range ({MIN_YEAR} to {MAX_YEAR})")
    return f"{year}-Q{quarter}" if quarter else year


def period_parts(period: str) -> tuple[int, int | None]:
    """``2026-Q2`` -> (2026, 2); ``2026`` -> (2026, None)."""
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return int(year), int(quarter)
    return int(period), None


def _year(value: Any) -> Any:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and not MIN_YEAR <= value <= MAX_YEAR:
        raise ValueError(f"year {value} is out of range ({MIN_YEAR} to {MAX_YEAR})")
    return value


def _unique(what: str, key: Any) -> Any:
    def check(items: list[Any]) -> list[Any]:
        seen: set[Any] = set()
        for item in items:
            k = key(item)
            if k in seen:
                raise ValueError(f"two {what}s are called {k!r}; give each its own name")
            seen.add(k)
        return items

    return check


Side = Annotated[Literal["ours", "theirs"], BeforeValidator(_side)]
Direction = Annotated[Literal["higher", "lower"], BeforeValidator(_direction)]
Kind = Annotated[Literal["level", "total"], BeforeValidator(_kind)]
KpiUnit = Annotated[str, BeforeValidator(parse_kpi_unit)]
Figure = Annotated[float, BeforeValidator(parse_figure)]
Period = Annotated[str, BeforeValidator(parse_period)]
Day = Annotated[str | None, BeforeValidator(parse_date)]
Lines = Annotated[list[Line], Field(default_factory=list, max_length=MAX_ITEMS)]


def name_key(name: str) -> str:
    """How two KPI names are compared: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


# -------------------------------------------------------------------------------------------- the model


class Part(BaseModel):
    """Base of every part: unknown keys are errors, text is stripped, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Situation(Part):
    """Where are we: the account's results and trends, and the SWOT."""

    results: Lines = Field(description="Results so far, e.g. 'sales 2026 CNY 12.4m, 96% of target'.")
    trends: Lines = Field(description="Trends, e.g. 'hypermarket traffic -5% a year, O2O orders +40%'.")
    strengths: Lines = Field(description="Our strengths with this account.")
    weaknesses: Lines = Field(description="Our weaknesses with this account.")
    opportunities: Lines = Field(description="Opportunities with this account.")
    threats: Lines = Field(description="Threats (competitors, the account's own plans).")


class Action(Part):
    """One thing that must be done: what, who, by when."""

    what: Line = Field(description="What will be done, e.g. 'agree two end-caps per quarter'.")
    owner: Line | None = Field(None, description="Who does it (a name on our side or theirs).")
    due: Day = Field(None, description="By when, YYYY-MM-DD.")
    done: bool = Field(False, description="True once it is done.")


class Objective(Part):
    """What we want (or what the customer wants), how it is measured, how we get there, what we do."""

    text: Line = Field(description="The objective, e.g. 'grow 330ml cans in all 45 hypermarkets'.")
    side: Side = Field("ours", description="ours, or theirs (the customer's own objective).")
    measure: Line | None = Field(None, description="How we know it is met, e.g. 'sales CNY 14m (+13%)'.")
    strategies: Lines = Field(description="How we get there.")
    actions: Annotated[list[Action], Field(default_factory=list, max_length=MAX_ITEMS)] = Field(
        description="What must be done, by whom and when."
    )


class Investment(Part):
    """A resource put into the plan by one side: money, people, space, data."""

    side: Side = Field("ours", description="ours (what we put in) or theirs (what they put in).")
    what: Line = Field(description="What is put in, e.g. 'display fund' or 'two end-caps per store'.")
    value: Number | None = Field(None, description="How much (a number, zero or more).")
    unit: Unit | None = Field(None, description="Unit of value: percent, days, units or a currency code.")


class Kpi(Part):
    """One line of the scorecard."""

    name: Line = Field(description="The KPI, e.g. 'out-of-stock rate' (unique in the plan).")
    unit: KpiUnit | None = Field(None, description="percent, days, units, ratio or a currency code.")
    direction: Direction = Field("higher", description="higher or lower: which is better.")
    kind: Kind = Field(
        "level", description="level (compared as it is) or total (adds up over the year; pro-rated)."
    )
    baseline: Figure | None = Field(None, description="Where it stands at the start (last year).")
    target: Figure | None = Field(None, description="The year's target.")
    source: Line | None = Field(None, description="Where the figure comes from, e.g. 'their scan data'.")
    owner: Line | None = Field(None, description="Who reports it.")


class BusinessPlan(Part):
    """An account's annual customer business plan (ACBP)."""

    account: Name = Field(description="The customer (chain), e.g. Hualian.")
    year: Annotated[int, BeforeValidator(_year)] = Field(description="The plan's year, e.g. 2027.")
    situation: Situation = Field(default_factory=Situation, description="1. Where are we.")
    objectives: Annotated[list[Objective], Field(default_factory=list, max_length=MAX_ITEMS)] = Field(
        description="2-4. What we want, how we get there, what we must do, who does what and when."
    )
    investment: Annotated[list[Investment], Field(default_factory=list, max_length=MAX_ITEMS)] = Field(
        description="5. Resources and investment: what we put in and what they put in."
    )
    scorecard: Annotated[
        list[Kpi],
        Field(default_factory=list, max_length=MAX_ITEMS),
        AfterValidator(_unique("KPI", lambda k: name_key(k.name))),
    ] = Field(description="6. The scorecard: KPIs with unit, baseline, target, source and owner.")

    def body(self) -> dict[str, Any]:
        """JSON-ready data (the stored and exported shape)."""
        return self.model_dump(mode="json")

    def kpi(self, name: str) -> Kpi | None:
        """The KPI with this name (case and spacing do not matter), if any."""
        key = name_key(name)
        return next((k for k in self.scorecard if name_key(k.name) == key), None)


class Actual(Part):
    """One KPI's actual figure in a review."""

    kpi: Line = Field(description="The KPI's name, as on the scorecard.")
    actual: Figure = Field(description="The figure for the period (a total: that quarter's own figure).")
    note: Line | None = Field(None, description="Why, in a few words.")


class Review(Part):
    """A quarterly or annual business review: actuals per KPI, what was learned, what follows."""

    period: Period = Field(description="2026-Q2 for a quarter, 2026 for the year.")
    actuals: Annotated[
        list[Actual],
        Field(default_factory=list, max_length=MAX_ITEMS),
        AfterValidator(_unique("actual", lambda a: name_key(a.kpi))),
    ] = Field(description="The actual figure per KPI.")
    learned: Lines = Field(description="What was learned.")
    next_actions: Annotated[list[Action], Field(default_factory=list, max_length=MAX_ITEMS)] = Field(
        description="The actions that follow, with owner and date."
    )

    def body(self) -> dict[str, Any]:
        """JSON-ready data."""
        return self.model_dump(mode="json")


# --------------------------------------------------------------------------------- the FMCG starting set


class Starter(BaseModel):
    """A KPI from the FMCG starting set: its names and the defaults it brings."""

    model_config = ConfigDict(frozen=True)

    key: str
    en: str
    zh: str
    unit: str
    direction: Literal["higher", "lower"]
    kind: Literal["level", "total"]
    hint_en: str
    hint_zh: str


STARTERS: tuple[Starter, ...] = tuple(
    Starter(key=k, en=en, zh=zh, unit=u, direction=d, kind=kind, hint_en=he, hint_zh=hz)  # type: ignore[arg-type]
    for k, en, zh, u, d, kind, he, hz in (
        (
            "sales-vs-target",
            "sales vs target",
            "销售额达成",
            "CNY",
            "higher",
            "total",
            "sell-in or sell-out value; say which",
            "进货额还是出货额，写清楚",
        ),
        (
            "share-of-category",
            "share of category",
            "品类份额",
            "percent",
            "higher",
            "level",
            "our share of the category's sales in their stores",
            "我们在该客户门店品类销售中的份额",
        ),
        (
            "numeric-distribution",
            "numeric distribution",
            "数值铺货率",
            "percent",
            "higher",
            "level",
            "share of their stores that carry the SKUs",
            "有售我们产品的门店占比",
        ),
        (
            "weighted-distribution",
            "weighted distribution",
            "加权铺货率",
            "percent",
            "higher",
            "level",
            "the same, weighted by each store's category sales",
            "按门店品类销售加权的铺货率",
        ),
        (
            "out-of-stock",
            "out-of-stock rate",
            "缺货率",
            "percent",
            "lower",
            "level",
            "share of store checks with an empty shelf",
            "巡店时缺货的比例",
        ),
        (
            "promotion-compliance",
            "promotion compliance",
            "促销执行率",
            "percent",
            "higher",
            "level",
            "promotions run as agreed (price, flyer, display)",
            "按约定执行的促销（价格、海报、陈列）",
        ),
        (
            "display-compliance",
            "display compliance",
            "陈列执行率",
            "percent",
            "higher",
            "level",
            "end-caps and facings in place as agreed",
            "堆头和排面按约定到位",
        ),
        (
            "trade-spend-return",
            "trade-spend return",
            "费用投入回报",
            "ratio",
            "higher",
            "level",
            "incremental gross profit per yuan of trade spend",
            "每一元市场费用带来的增量毛利",
        ),
        (
            "margin-after-terms",
            "margin after trade terms",
            "扣除交易条件后毛利率",
            "percent",
            "higher",
            "level",
            "our margin after rebates, fees and payment terms",
            "扣除返利、费用和账期后的毛利率",
        ),
        (
            "payment-days",
            "payment days",
            "回款天数",
            "days",
            "lower",
            "level",
            "days from invoice to payment",
            "从开票到回款的天数",
        ),
    )
)
"""The FMCG scorecard offered as a starting point, in the course's spirit; free KPIs are welcome too."""


def find_starter(name: str) -> Starter | None:
    """The starting-set KPI named by key, English or Chinese name (case and spacing do not matter)."""
    key = name_key(name).replace(" ", "-")
    for starter in STARTERS:
        if key in (starter.key, starter.en.replace(" ", "-"), name_key(starter.zh)):
            return starter
    return None


def kpi_from_starter(name: str, lang: str = "en", **fields: Any) -> Kpi:
    """A KPI: from the starting set when ``name`` is one of it (its unit, direction and kind as defaults,
    named in ``lang``), else a free KPI; ``fields`` given replace the defaults."""
    starter = find_starter(name)
    data: dict[str, Any] = {"name": name}
    if starter is not None:
        data = {
            "name": starter.zh if lang == "zh" else starter.en,
            "unit": starter.unit,
            "direction": starter.direction,
            "kind": starter.kind,
        }
    data.update({k: v for k, v in fields.items() if v is not None})
    return validate_kpi(data)


# --------------------------------------------------------------------------------------------- validation


def _problems(exc: ValidationError, source: str, model: type[BaseModel]) -> list[str]:
    return pydantic_problems(exc, Located(source, None), model)


def _strip_position(lines: list[str], source: str) -> list[str]:
    """``source:1:1: path: msg`` (no file behind it) -> ``source: path: msg``."""
    prefix = f"{source}:1:1: "
    return [f"{source}: {line[len(prefix) :]}" if line.startswith(prefix) else line for line in lines]


def validate(data: Any, source: str = "plan") -> BusinessPlan:
    """Validate plan data (a mapping); errors raise ``BusinessPlanError`` naming the field."""
    if not isinstance(data, dict):
        raise BusinessPlanError([f"{source}: expected a mapping with account, year, situation, ..."])
    try:
        return BusinessPlan.model_validate(data)
    except ValidationError as exc:
        raise BusinessPlanError(_strip_position(_problems(exc, source, BusinessPlan), source)) from None


def validate_review(data: Any, source: str = "review") -> Review:
    """Validate review data; errors raise ``BusinessPlanError`` naming the field."""
    if not isinstance(data, dict):
        raise BusinessPlanError([f"{source}: expected a mapping with period, actuals, learned, ..."])
    try:
        return Review.model_validate(data)
    except ValidationError as exc:
        raise BusinessPlanError(_strip_position(_problems(exc, source, Review), source)) from None


def validate_kpi(data: dict[str, Any], source: str = "kpi") -> Kpi:
    """Validate one KPI; errors raise ``BusinessPlanError`` naming the field."""
    try:
        return Kpi.model_validate(data)
    except ValidationError as exc:
        raise BusinessPlanError(_strip_position(_problems(exc, source, Kpi), source)) from None


def unknown_kpis(plan: BusinessPlan, review: Review) -> list[str]:
    """Names in the review's actuals that are not on the plan's scorecard."""
    return [a.kpi for a in review.actuals if plan.kpi(a.kpi) is None]


# ------------------------------------------------------------------------------------------------- YAML

MAX_FILE_BYTES = 1_000_000
"""Largest plan file read (a plan is a few pages)."""


def load_yaml_text(text: str, source: str) -> BusinessPlan:
    """Parse and validate a YAML plan; every problem is ``file:line:col: path: message``."""

    try:
        located = load_text(text, source)
    except YamlProblem as exc:
        raise BusinessPlanError([str(exc)]) from None
    except ValueError as exc:  # an impossible date PyYAML builds itself (2027-13-45)
        raise BusinessPlanError([_bad_scalar(text, source, exc)]) from None
    if not isinstance(located.data, dict):
        raise BusinessPlanError([located.locate((), "expected a mapping with account, year, situation, ...")])
    try:
        return BusinessPlan.model_validate(located.data)
    except ValidationError as exc:
        raise BusinessPlanError(pydantic_problems(exc, located, BusinessPlan)) from None


def load_yaml_file(path: Path, display: str | None = None) -> BusinessPlan:
    """Read and validate a YAML plan file (UTF-8); kind and size are checked before reading."""

    source = display or str(path)
    try:
        raw = read_bytes(path, MAX_FILE_BYTES, source)
    except FileProblem as exc:
        raise BusinessPlanError([f"{source}:1:1: {exc.reason}"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BusinessPlanError(
            [f"{source}:1:1: not UTF-8 text (byte {exc.start}); save it as UTF-8"]
        ) from None
    return load_yaml_text(text, source)


_HEADER = """\
# Annual customer business plan (coach). Edit it, then `coach acbp import FILE`:
# the whole file is checked first and a mistake is reported with its line; nothing is saved then.
# Every part is optional; `coach acbp check ACCOUNT` names what is missing.
"""

_COMMENTS = {
    "situation": "1. Where are we: results, trends, strengths, weaknesses, opportunities, threats",
    "objectives": "2-4. What we want (side: ours or theirs) and its measure; strategies (how we get there);\n"
    "#    actions (what we must do): what, owner, due (YYYY-MM-DD), done",
    "investment": "5. Resources and investment: side (ours or theirs), what, value, unit "
    "(percent, days, units, CNY)",
    "scorecard": "6. Scorecard: name, unit, direction (higher or lower is better), kind (level, or total\n"
    "#    for figures that add up over the year such as sales), baseline, target, source, owner",
}


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None and v is not False and v != []}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def to_yaml(plan: BusinessPlan) -> str:
    """The plan as commented, hand-editable YAML (``load_yaml_text`` reads it back to an equal plan)."""

    def dump(obj: Any) -> str:
        return yaml.safe_dump(obj, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)

    data = plan.body()
    situation = {k: v for k, v in data["situation"].items()}
    out = [_HEADER, dump({"account": data["account"], "year": data["year"]})]
    out.append(f"\n# {_COMMENTS['situation']}\n")
    out.append(dump({"situation": situation}))
    for key in ("objectives", "investment", "scorecard"):
        out.append(f"\n# {_COMMENTS[key]}\n")
        out.append(dump({key: _plain(data[key])}))
    return "".join(out)


def empty_plan(account: str, year: int) -> BusinessPlan:
    """A plan with nothing filled in yet."""
    return validate({"account": account, "year": year})


def replace_kpi(plan: BusinessPlan, kpi: Kpi) -> BusinessPlan:
    """The plan with ``kpi`` added, or replacing the KPI of the same name."""
    key = name_key(kpi.name)
    scorecard = [k for k in plan.scorecard if name_key(k.name) != key]
    at = next((i for i, k in enumerate(plan.scorecard) if name_key(k.name) == key), len(scorecard))
    scorecard.insert(at, kpi)
    return plan.model_copy(update={"scorecard": scorecard})


def reviews_in_order(reviews: Sequence[Review]) -> list[Review]:
    """Quarters in order, the annual review last."""
    return sorted(reviews, key=lambda r: (period_parts(r.period)[0], period_parts(r.period)[1] or 5))
