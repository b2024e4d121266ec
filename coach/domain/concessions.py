"""The concession vocabulary shared by the concession log (``coach.store.concessions``) and meeting plans
(``coach.content.plans``): what can be given (types), when (stages), where it stands (statuses), in what
(units and currencies), and the parsers that turn what a user types into those ids and numbers.

One copy, so a plan and the log accept the same words: "1,000" is a number in both, a mistyped tactic
gets the same suggestion in both. Pure: nothing here reads a file or a database; the taxonomy's ids are
passed in by the caller.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from coach.domain.suggest import closest, did_you_mean

TYPES = ("price", "payment-terms", "listing-fee", "promotion", "free-goods", "display", "service", "other")
"""What was given: price/discount, payment terms, listing or slotting fee, promotion or marketing fund,
free goods, display or shelf space, delivery or service level, other."""

STAGES = ("opening", "bargaining", "closing", "after-deal")
"""Stage of the negotiation when the concession was made."""

STATUSES = ("offered", "agreed", "withdrawn")
"""Where the concession stands."""

PLAIN_UNITS = ("percent", "days", "units")
"""Units besides currencies (a currency is its ISO 4217 code, e.g. CNY)."""

CURRENCIES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF
    GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP
    LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB
    PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL
    THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
    ZWL""".split()
)

# Words KAMs type, in English and Chinese, for the canonical ids (matched case-insensitively).
ALIASES: dict[str, dict[str, str]] = {
    "type": {
        "discount": "price",
        "price/discount": "price",
        "rebate": "price",
        "价格": "price",
        "折扣": "price",
        "返利": "price",
        "terms": "payment-terms",
        "payment": "payment-terms",
        "账期": "payment-terms",
        "付款条件": "payment-terms",
        "listing": "listing-fee",
        "slotting": "listing-fee",
        "slotting-fee": "listing-fee",
        "进场费": "listing-fee",
        "条码费": "listing-fee",
        "promotion-fund": "promotion",
        "marketing": "promotion",
        "marketing-fund": "promotion",
        "促销": "promotion",
        "促销费": "promotion",
        "市场费用": "promotion",
        "free": "free-goods",
        "赠品": "free-goods",
        "搭赠": "free-goods",
        "shelf": "display",
        "shelf-space": "display",
        "陈列": "display",
        "堆头": "display",
        "排面": "display",
        "delivery": "service",
        "service-level": "service",
        "送货": "service",
        "服务": "service",
        "其他": "other",
    },
    "stage": {
        "open": "opening",
        "开场": "opening",
        "bargain": "bargaining",
        "negotiation": "bargaining",
        "讨价还价": "bargaining",
        "谈判中": "bargaining",
        "close": "closing",
        "收尾": "closing",
        "成交": "closing",
        "after": "after-deal",
        "after-the-deal": "after-deal",
        "post-deal": "after-deal",
        "成交后": "after-deal",
        "签约后": "after-deal",
    },
    "status": {
        "offer": "offered",
        "提出": "offered",
        "agree": "agreed",
        "同意": "agreed",
        "withdraw": "withdrawn",
        "撤回": "withdrawn",
    },
    "unit": {
        "%": "percent",
        "pct": "percent",
        "percentage": "percent",
        "点": "percent",
        "个点": "percent",
        "day": "days",
        "天": "days",
        "日": "days",
        "unit": "units",
        "case": "units",
        "cases": "units",
        "pcs": "units",
        "箱": "units",
        "件": "units",
        "瓶": "units",
        "rmb": "CNY",
        "元": "CNY",
        "人民币": "CNY",
        "¥": "CNY",
        "￥": "CNY",
        "$": "USD",
        "€": "EUR",
    },
}

MAX_VALUE = 1e12
"""Largest accepted amount (anything bigger is a typo)."""

UNIT_WORDS = {"en": {"days": "days", "units": "units"}, "zh": {"days": "天", "units": "件"}}
"""Words for the plain units besides percent, per language (currencies are shown as their code)."""

_THOUSANDS = re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def parse_choice(
    field: str, value: str, choices: Sequence[str], aliases: Mapping[str, str] | None = None
) -> str:
    """``value`` as one of ``choices`` (any case; ``_`` or a space for ``-``; an alias for its id), or a
    ``ValueError`` naming ``field`` with a suggestion and the choices."""
    key = value.strip().casefold().replace("_", "-").replace(" ", "-")
    if key in choices:
        return key
    if aliases and key in aliases:
        return aliases[key]
    raise ValueError(
        f"unknown {field} {value.strip()[:40]!r} ({did_you_mean(key, choices)}one of {', '.join(choices)})"
    )


def parse_when(value: Any) -> str:
    """A date or date-time as normalised ISO text (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS[+HH:MM]``)."""
    if isinstance(value, datetime):
        parsed: date = value
    elif isinstance(value, date):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if len(text) >= 10 and text[4] == "/" and text[7] == "/":  # 2024/05/03, common in China
            text = text[:10].replace("/", "-") + text[10:]
        try:
            parsed = date.fromisoformat(text) if len(text) <= 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{value.strip()[:40]!r} is not a date (use YYYY-MM-DD or 'YYYY-MM-DD HH:MM')"
            ) from None
    else:
        raise ValueError("expected a date such as 2024-05-03")
    if not 1970 <= parsed.year <= 2100:
        raise ValueError(f"{parsed.isoformat()} is outside 1970-2100; check the year")
    if isinstance(parsed, datetime):
        return parsed.replace(microsecond=0).isoformat()
    return parsed.isoformat()


def parse_number(value: Any, *, negative_hint: str = "") -> float | None:
    """An amount: a number, or text such as ``2.5``, ``1e3`` or ``1,000`` (commas only between groups of
    three digits: ``1,5`` is refused, not read as 15); empty text or None is None. It must be finite,
    zero or more (``negative_hint`` is added to that message) and at most ``MAX_VALUE``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, str):
        text = value.strip()
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{value.strip()[:40]!r} is not a number") from None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        raise ValueError("expected a number")
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    if number < 0:
        raise ValueError(f"must be zero or more, not {number:g}{negative_hint}")
    if number > MAX_VALUE:
        raise ValueError(f"{number:g} is too large (at most {MAX_VALUE:g})")
    return number


def parse_unit(value: Any) -> str:
    """A unit id: percent, days, units, or an ISO 4217 currency code (aliases such as % or RMB accepted)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected percent, days, units or a currency code such as CNY")
    text = value.strip()
    key = text.casefold()
    if key in PLAIN_UNITS:
        return key
    if key in ALIASES["unit"]:
        return ALIASES["unit"][key]
    if text.upper() in CURRENCIES:
        return text.upper()
    hint = did_you_mean(key, [*PLAIN_UNITS, *sorted(CURRENCIES)])
    raise ValueError(
        f"unknown unit {text[:40]!r} ({hint}use percent, days, units or a currency code such as CNY)"
    )


def parse_tactic(value: str, ids: Sequence[str], choices_text: str) -> str:
    """One of the taxonomy ``ids`` (``nibble`` is short for ``tactic.nibble``; any case; spaces for ``-``),
    or a ``ValueError`` with a suggestion followed by ``choices_text`` (what the caller accepts)."""
    key = "-".join(value.strip().casefold().split())
    for candidate in (key, f"tactic.{key}"):
        if candidate in ids:
            return candidate
    short = {i.split(".", 1)[1]: i for i in ids}
    best = closest(key.split(".", 1)[-1], short)
    hint = f"did you mean {short[best]!r}? " if best else ""
    raise ValueError(f"unknown tactic {value.strip()[:60]!r} ({hint}{choices_text})")


def number(value: float) -> str:
    """A value with thousands separators and at most two decimals: 5,000 / 2.5 / 0.25."""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount(value: float | None, unit: str | None, lang: str = "en") -> str:
    """A value with its unit: 2%, 30 days, 500 units, CNY 5,000 (empty when there is no value)."""
    if value is None or unit is None:
        return ""
    if unit == "percent":
        return f"{number(value)}%"
    if unit in UNIT_WORDS[lang]:
        word = UNIT_WORDS[lang][unit]
        if lang == "en":
            return f"{number(value)} {word[:-1] if value == 1 else word}"  # 1 day, 2 days
        return f"{number(value)}{word}"
    return f"{unit} {number(value)}"
