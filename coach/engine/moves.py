"""The negotiation moves in an account manager's reply, read with the buyer's last line. Pure: no I/O.

Words alone cannot tell "OK, 15,000 per SKU" (a concession, maybe past the limit) from "15,000 per SKU
would cost us 120,000" (an argument), or "同意。" after "那就两个点？" (a concession) from "同意。" after
"周三开会？". This module reads the structure the behaviour signals cannot:

- amounts, in digits, ranges and Chinese or English number words (五个点, 一万五, 两毛, 半个点, 8k,
  "half a point", "three months"), each with its unit and the item it is about (price, rebate,
  payment terms, listing fee, promotion, display, free goods);
- which of them are *given* (a clause that offers or agrees, not one that refuses, argues a cost,
  recalls the past, or states what the buyer must do), multiplied out ("5k per SKU for all four") and
  added up per item ("2% now and another 2% in Q3");
- agreement to the buyer's own ask ("好，签。" to "那就四个点，今天就签。"), whose amounts then count;
- conditions that ask nothing real of the buyer ("if you're happy", "要是能帮到您");
- disguised give-aways, blame and dismissal that polite words hide.

The behaviours of ``coach.engine.assess`` are then corrected by these moves; limits are checked here,
once, for assess, role-play and the concession log.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field


class _Lazy:
    """A pattern compiled on first use, then kept: reading a reply needs only some of this module's
    patterns, and compiling all of them at import took 70-130 ms of every run that imports the module
    (``coach assess``, and everything that only needs ``Limit``)."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if this is its first use)."""
        rx = self._compiled
        if rx is None:
            rx = self._compiled = re.compile(self.pattern)
        return rx

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.search``."""
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.match``."""
        return self.compiled().match(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        """``re.Pattern.finditer``."""
        return self.compiled().finditer(string, pos, endpos)


# --- numbers -----------------------------------------------------------------------------------------

_ZH_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "幺": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
_EN_NUM = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "half": 0.5,
    "another": 1,
    "couple": 2,
    "a couple of": 2,
    "both": 2,
}


def zh_number(text: str) -> float | None:
    """A Chinese numeral as a number: 五 -> 5, 十五 -> 15, 一百二 -> 120, 三千五 -> 3500, 一万五 -> 15000,
    两万 -> 20000, 一百零五 -> 105; None when ``text`` is not one."""
    if not text or any(ch not in _ZH_DIGIT and ch not in _ZH_SMALL and ch not in "万亿" for ch in text):
        return None
    total = 0.0
    section = 0.0
    num: float | None = None
    last = 1
    zero = False
    for ch in text:
        if ch in _ZH_DIGIT:
            num = _ZH_DIGIT[ch]
            zero = zero or ch in "零〇"
        elif ch in _ZH_SMALL:
            section += (num if num is not None else 1) * _ZH_SMALL[ch]
            last, num, zero = _ZH_SMALL[ch], None, False
        else:  # 万 / 亿
            big = 10_000 if ch == "万" else 100_000_000
            total += (section + (num or 0)) * big
            section, num, last, zero = 0.0, None, big, False
    if num is not None:
        # a bare digit after a unit means the next unit down: 一万五 = 15000, 三千五 = 3500
        section += num * (last // 10 if last >= 10 and not zero else 1)
    return total + section


_NUM = (
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两俩三四五六七八九十百千万]+(?:点[一二三四五六七八九])?"
    r"|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|another|half a|half an|a half)\b)"
)


def _value(raw: str) -> float | None:
    raw = raw.strip()
    if re.fullmatch(r"\d+(?:,\d{3})*(?:\.\d+)?", raw):
        return float(raw.replace(",", ""))
    if raw in ("half a", "half an", "a half"):
        return 0.5
    if raw in _EN_NUM:
        return float(_EN_NUM[raw])
    if "点" in raw:  # 一点五 = 1.5
        whole, _, frac = raw.partition("点")
        w = zh_number(whole)
        f = zh_number(frac)
        return None if w is None or f is None else w + f / 10 ** len(frac)
    return zh_number(raw)


# --- amounts ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """A number with its unit found in a text, where it stands, and whether it is counted per store/SKU."""

    value: float
    unit: str
    """percent | days | money | units | money-per-unit"""
    start: int
    end: int
    text: str


_MULT = r"(?P<mult>\s?(?:k|w|千|万|m|mn|million|mil)\b|\s?(?:千|万))?"
_PATTERNS: list[tuple[str, _Lazy]] = [
    ("percent", _Lazy(r"百分之" + _NUM)),
    (
        "percent",
        _Lazy(
            _NUM
            + r"\s?(?:%|percent\b|per cent\b|pct\b|percentage points?\b|points?\b|pts?\b|个百分点|个点|点(?![钟半前后多左再一二三四五六七八九]))"
        ),
    ),
    (
        "percent-half",
        _Lazy(
            r"(?P<num>[一二两三四五六七八九十\d]+)个半点|(?P<num2>\d+|one|two|three|four|five) and a half (?:points?|percent|%)"
        ),
    ),
    ("percent", _Lazy(r"(?P<num>半)个点|(?P<num3>half) (?:a )?(?:point|percent)\b")),
    (
        "pallets",
        _Lazy(
            _NUM
            + r"\s?(?:pallets?|托|板)\s?(?:of|×|x|每托|每板)\s?(?P<num2>\d+|[一二两三四五六七八九十百]+)\s?(?:cases?\b|cartons?\b|箱)"
        ),
    ),
    (
        "units",
        _Lazy(
            _NUM
            + r"\s?(?:free )?(?:cases?\b|cartons?\b|units?\b|bottles?\b|cans?\b|packs?\b|pallets?\b|箱|件|瓶|罐|听|提|托|板)"
        ),
    ),
    ("days", _Lazy(_NUM + r"\s?(?:[- ]?days?\b|天|日(?![期子常]))|\bnet ?(?P<num2>\d+)\b")),
    ("discount", _Lazy(r"(?P<num>[一二三四五六七八九]{1,2}|\d{1,2})折")),
    ("months-half", _Lazy(r"(?P<num>[一二两三四五六七八九十\d]+)个半月")),
    ("months", _Lazy(_NUM + r"\s?(?:months?\b|个月)")),
    ("weeks", _Lazy(_NUM + r"\s?(?:weeks?\b|个星期|周(?![一二三四五六日末年]))")),
    ("money", _Lazy(r"(?:¥|￥|rmb\s?|cny\s?|\$|usd\s?|hk\$\s?|nt\$\s?)" + _NUM + _MULT)),
    (
        "money",
        _Lazy(
            _NUM + _MULT + r"\s?(?:元|块钱|块|rmb\b|cny\b|yuan\b|kuai\b|dollars?\b|bucks\b|hkd\b|twd\b|usd\b)"
        ),
    ),
    (
        "money",
        _Lazy(
            r"(?<![a-z0-9.])(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<mult>\s?(?:k|w|m|mn|million)\b|\s?(?:千|万))"
        ),
    ),
    (
        "money",
        _Lazy(
            r"(?P<num>[零〇一二两三四五六七八九十百千]*[万千][零〇一二两三四五六七八九十百千万]*)(?![\u4e00-\u9fff]{0,1}(?:箱|件|瓶|个|家|人|次|天|月|年|小时|分钟|块|元))"
        ),
    ),
    (
        "money",
        _Lazy(
            r"(?<![a-z0-9.,])(?P<num>\d{1,3}(?:,\d{3})+|(?!(?:19|20)\d\d\b)\d{4,})(?![.,]?\d|%|\s?(?:days?|天|日|个|月|months?|weeks?|years?|年|号|箱|件|瓶|cases?|units?|bottles?|stores?|skus?|家|人|ml|l\b))"
        ),
    ),
    (
        "money-en",
        _Lazy(
            r"\b(?P<num>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|a)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?) (?P<scale>hundred|thousand|million)\b"
        ),
    ),
    (
        "money",
        _Lazy(
            r"(?<![a-z0-9.,])\$?(?P<num>\d{2,3})(?=\s?(?:a|per|each|/)\s?(?:store|sku|shop|outlet|month|case|issue)\b)|每(?:店|家|个店|家店|个sku|个单品)\s?(?P<num2>\d{2,})"
        ),
    ),
    ("dimes", _Lazy(r"(?P<num>[一二两三四五六七八九\d]+)毛(?:钱)?")),
]


def find_amounts(text: str) -> list[Amount]:
    """Every amount in a surface text (see ``coach.engine.assess.surface``), in reading order, without overlaps."""
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            raw = next((g for g in (m.groupdict().get(k) for k in ("num", "num2", "num3")) if g), None)
            if kind == "pallets":
                raw = m.group("num")
            if raw is None or (kind == "units" and raw in ("a", "an")):
                continue
            if kind == "money-en":
                value = float(sum(_EN_NUM.get(x, 0) for x in re.split(r"[- ]", raw)))
            else:
                value = 0.5 if raw in ("半", "half") else _value(raw)
            if value is None:
                continue
            unit = kind
            mult = (m.groupdict().get("mult") or "").strip()
            if mult in ("k", "千"):
                value *= 1000
            elif mult in ("w", "万"):
                value *= 10_000
            elif mult in ("m", "mn", "million", "mil"):
                value *= 1_000_000
            if kind == "percent-half":
                unit, value = "percent", value + 0.5
            elif kind == "months-half":
                unit, value = "days", (value + 0.5) * 30
            elif kind == "months":
                unit, value = "days", value * 30
            elif kind == "weeks":
                unit, value = "days", value * 7
            elif kind == "pallets":
                unit, value = "units", value * (_value(m.group("num2")) or 1)
            elif kind == "discount":
                tenths = value if value < 10 else value / 10  # 九五折 = 9.5 tenths of the price: 5% off
                if re.fullmatch(r"[一二三四五六七八九]{2}", raw):
                    tenths = (_value(raw[0]) or 0) + (_value(raw[1]) or 0) / 10
                if not 5 <= tenths < 10:
                    continue
                unit, value = "percent", round(100 - tenths * 10, 4)
            elif kind == "money-en":
                unit, value = (
                    "money",
                    value * {"hundred": 100, "thousand": 1000, "million": 1e6}[m.group("scale")],
                )
            elif kind == "dimes":
                unit, value = "money", value / 10
            found.append(Amount(value, unit, m.start(), m.end(), m.group(0)))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda a: a.start)
    for m in _ANOTHER.finditer(text):
        if any(m.start() < a.end and a.start < m.end() for a in found):
            continue
        before = [a for a in found if a.end <= m.start()]
        value = _value(m.group("num") or m.group("num2"))
        if before and value is not None:
            value += 0.5 if m.group("half") else 0
            if before[-1].unit == "money" and value < 100:
                continue
            found.append(Amount(value, before[-1].unit, m.start(), m.end(), m.group(0)))
    found.sort(key=lambda a: a.start)
    return found


_ANOTHER = _Lazy(
    r"\b(?:another|a further|plus|then|and) (?P<num>one|two|three|four|five|\d+(?:\.\d+)?)(?P<half> and a half)?\b(?! (?:days?|weeks?|months?|cases?|stores?|skus?|years?|of\b))"
    r"|再(?P<num2>[一二两三四五六七八九十\d]+)(?![\u4e00-\u9fff]*(?:天|个月|箱|家|个))"
)


# --- items --------------------------------------------------------------------------------------------

ITEM_WORDS: dict[str, str] = {
    "price": r"\bprice|\bdiscount|\boff\b|\bcheaper\b|\brebate|\bback-?margin|\ballowance|价格|价|折扣|降|让利|返利|返点|返|扣点|折让|优惠|点数",
    "payment-terms": r"\bpayment|\bterms?\b|\bpay(?:ing)? (?:at|in|within|after)\b|\bdso\b|\bnet \d|账期|付款|回款|结款|结算|压款|月结",
    "listing-fee": r"\blisting|\blaunch fee|\bslotting|\bentry fee|\bbarcode|\bshelf fee|\bnew[- ]item fee|进场费|上架费|条码费|新品费|入场费|进场|上架",
    "promotion": r"\bflyer|\bdm\b|\bcatalog|\bmailer|\bpromot|\banniversary|\btasting|\bsampling|\bopening|\bmarketing|\bsponsor|\bcampaign|\bcover\b|\bpage\b|海报|邮报|dm|促销|店庆|周年庆|试饮|试吃|开业|开店|新店|赞助|推广|活动|档期|版",
    "display": r"\bend-?caps?|\bdisplay|\bgondola|\bfloor stack|\bpallet display|\bfacings?|\bfixture|\bchiller|\bcooler|端架|堆头|陈列|排面|地堆|端头|冰柜|货架",
    "free-goods": r"\bfree\b|\bon the house|赠品|搭赠|赠送|送|免费|买一送一",
}
_REBATE = _Lazy(r"\brebate|\bback-?margin|返利|返点|年返|季返")
_ITEM_RX = {item: _Lazy(rx) for item, rx in ITEM_WORDS.items()}
_UNIT_DEFAULT = {"percent": "price", "days": "payment-terms", "units": "free-goods"}
FAMILY = {"rebate": "price"}
"""Items that share one limit (percentage points off the price and extra rebate add up)."""


def _item_near(text: str, a: Amount, lo: int, hi: int, window: int = 30) -> str | None:
    """The item word closest to an amount, within ``window`` characters and its clause (lo..hi), if any."""
    best: tuple[int, str] | None = None
    lo, hi = max(lo, a.start - window), min(hi, a.end + window)
    for item, rx in _ITEM_RX.items():
        for m in rx.finditer(text, lo, hi):
            d = a.start - m.end() if m.end() <= a.start else m.start() - a.end
            d = max(d, 0)
            if best is None or d < best[0]:
                best = (d, item)
    return best[1] if best else None


def items_in(text: str) -> list[str]:
    """The items a text talks about, in order of first mention."""
    hits = sorted((m.start(), item) for item, rx in _ITEM_RX.items() for m in [rx.search(text)] if m)
    return list(dict.fromkeys(item for _, item in hits))


# --- clauses ------------------------------------------------------------------------------------------

_CLAUSE_CUT = _Lazy(
    r",(?!\d{3})\s*|[;:!?]\s*|\.(?:\s+|$)|\s(?:but|though|although|however|while)\s|(?:但是|但|不过|可是|然后)"
)
_REFUSE = _Lazy(
    r"\b(can'?t|cannot|can not|won'?t|will not|unable|not able|no way|impossible|not possible|out of the question|not in a position|too much|too high|too far|not (?:going|gonna) to|not\b[^,.;]{0,12}\b(?:more than|above|beyond|over)|never|more than (?:i|we) can|beyond (?:what|our)|over (?:my|our) (?:limit|budget))\b"
    r"|不行|不能|没法|没办法|做不到|给不了|不可能|无法|不会|办不到|太高|太多|超了|不了|谈不了|不够|不到|不同意|不给|不接受|超出|超过(?:我们|我的|预算)"
)
_COST = _Lazy(
    r"\bwould (?:cost|mean|lose|be)\b|'d (?:cost|mean)\b|\bcosts? us\b|\bthat'?s (?:a|an) (?:extra|additional)\b|\bworth\b|\bmeans? (?:we|an?)\b|就要|就得|等于|意味着|相当于|多付|多花|亏|损失|成本"
)
_PAST = _Lazy(
    r"\blast (?:year|quarter|month|time|spring|summer|autumn|winter)\b|\bwe(?:'ve| have)\b|\balready\b|\bused to\b|\bin 20\d\d\b|去年|上次|之前|以前|已经|过去|上个月|上季度|一直|每年都|当时|这几年|这些年|(?:出|给|投|付|花|交|送|赞助|补)了(?!解)"
)
_BUYER_SIDE = _Lazy(
    r"^\s*(?:if|once|when|as long as|so long as|provided|providing|assuming|in return|in exchange|only if|on condition|subject to|and you|you|your)\b(?! insist)"
    r"|^\s*(?:如果|要是|假如|只要|前提是|条件是|你们|您|贵司|换|作为交换|作为回报)(?!们?(?:坚持|一定要|非要|高兴|满意|开心|觉得))"
    r"|\b(?:you|your (?:stores?|team|chain))\s(?:give|order|list|put|take|buy|commit|confirm|sign|move|guarantee|keep|stock|range|add|run|book|increase|raise)\b"
    r"|(?:你们|您)(?:能|先|得|要|必须|需要|把|给|保证|确认|下单|订|签)"
)
_OUR_GIVE = _Lazy(
    r"\b(?:we|i)(?:'ll|'d| will| can| could| would| are happy to| shall| are able to| might)?\s?(?:also |just |then |still |happily |gladly )?(?:give|add|throw|cover|pay|waive|absorb|fund|sponsor|knock|take|drop|match|extend|offer|run|provide|include|do|go|move|bump|top|put|send|lower|reduce|cut|split|bear|foot|agree|accept|make it|stretch|come)\b"
    r"|\b(?:ok|okay|fine|alright|all right|sure|yes|yeah|deal|done|agreed|you win|you'?ve got|it'?s yours|consider it)\b|\bit is\b|\bthen\b|\bis fine\b|\bworks\b|\bincluded\b"
    r"|\b(?:and|plus|also) (?:add|give|throw in|send|include)\b|\bfree\b|\bon top\b|\blet'?s (?:do|go|make|say|call|agree|settle|put)\b|\b(?:we|i) (?:can|could)\b(?! not| never)"
    r"|我们?(?:就|可以|会|来|能|愿意|再|多|也|都|还|先|全|全部|统统|照样)*(?:给|送|出|承担|免|降|让|补|包|付|交|做|支持|延|放|加|跟|配)|可以|没问题|行|好|同意|成交|定了|签|给(?:您|你)|吧|也行|就这么"
)


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of a surface text: cut at punctuation and at "but"/"但是"."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _CLAUSE_CUT.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out or [(0, len(text))]


_PER_SKU = _Lazy(
    r"\b(?:per|each|a|every)\s(?:sku|item|flavou?r|product|line)s?\b|/\s?sku|每(?:个|支|款|一个)?(?:单品|sku|品|口味)|一个(?:单品|sku)"
)
_PER_STORE = _Lazy(
    r"\b(?:per|each|a|every)\s(?:store|shop|outlet|door)s?\b|/\s?(?:store|shop)|每(?:家|一家)?(?:店|门店|家)|一家"
)
_COUNT_SKU = _Lazy(
    _NUM.replace("(?P<num>", "(?P<cnum>")
    + r"\s?(?:new )?(?:skus?\b|items?\b|flavou?rs?\b|products?\b|lines?\b|个?单品|个?sku|支|款|个品|个?新品|个口味)"
)
_COUNT_STORE = _Lazy(
    _NUM.replace("(?P<num>", "(?P<cnum>")
    + r"\s?(?:new )?(?:stores?\b|shops?\b|outlets?\b|doors?\b|家(?:门)?店|个门店|家)"
)
_STORE_NOUN = _Lazy(r"\s?(?:new )?(?:stores?|shops?|outlets?|doors?|家|门店)")
_SKU_NOUN = _Lazy(r"\s?(?:new )?(?:skus?|items?|flavou?rs?|products?|单品|品)")


def _count_all(text: str, lo: int, hi: int, not_before: _Lazy) -> float | None:
    """ "all four", "of the three", "both" - unless the noun after them is of the other kind."""
    for m in _COUNT_ALL.finditer(text, max(0, lo), min(len(text), hi)):
        if not_before.match(text, m.end()):
            continue
        raw = next(g for g in m.groups() if g)
        v = _value(raw) if raw != "both" else 2.0
        if v and v > 1:
            return v
    return None


_COUNT_ALL = _Lazy(
    r"\b(?:all|of the|the) (?P<cnum2>two|three|four|five|six|seven|eight|nine|ten|\d+)\b(?! (?:days?|months?|weeks?|%|percent|points?|dollars?|yuan|thousand))|\b(?P<cnum3>both)\b"
)
_PER_PLACE = _Lazy(
    r"^\s?(?:each|apiece|a piece)\b|\beach of (?:the|them|those|all)\b|\bfor each\b|\b(?:per|each|a|every)\s(?:sku|store|shop|item|flavou?r|product|outlet|line|door)s?\b|/\s?(?:sku|store|shop)"
    r"|每(?:个|家|支|款|一家|一个)?(?:单品|sku|店|门店|品|口味|家)|一家|一个(?:单品|sku)"
)
_EACH_AFTER = _Lazy(r"\s?(?:each|apiece|a piece)\b")
_PER_TIME = _Lazy(r"\b(?:per|each|a|every)\s(?:month|week|issue)\b|/\s?month|一个月|每个?月|每期|一期|每周")
_COUNT_TIME = _Lazy(
    r"(?:做|签|上|投|放|连续)(?P<cnum>[一二两三四五六七八九十\d]+)(?:个月|期|周)|(?P<cnum2>[一二两三四五六七八九十\d]+)(?:个月|期)(?:都|一共|下来)"
    r"|(?P<cnum3>two|three|four|five|six|seven|eight|nine|ten|twelve|\d+) (?:months|issues|weeks)\b|(?P<cnum4>[两三四五六七八九十\d]+)期"
)


def _count(rx: _Lazy, text: str, lo: int, hi: int) -> float | None:
    for m in rx.finditer(text, max(0, lo), min(len(text), hi)):
        raw = next(g for g in m.groups() if g)
        v = _value(raw) if raw != "both" else 2.0
        if v and v > 1:
            return v
    return None


# --- moves --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """An amount the reply gives on one item (already multiplied out per store/SKU)."""

    item: str
    value: float
    unit: str
    text: str
    named: bool = True
    """Whether the item is named (a word beside the amount, or a give verb in its clause), not only guessed
    from the unit: "98.5% on time" is not a price."""


@dataclass(frozen=True)
class Limit:
    """The most that may be given on one item in this meeting, in total (``coach prep --limit`` syntax)."""

    item: str
    value: float
    unit: str
    """percent | days | money | units"""
    label: str = ""
    """How the user wrote it, for messages ("listing-fee: 8000 CNY")."""


@dataclass(frozen=True)
class Passed:
    """A limit the reply goes past: the total given on its item and the limit."""

    limit: Limit
    total: float


@dataclass
class Moves:
    """What the reply does, beyond its words."""

    given: list[Given] = field(default_factory=list)
    agrees_to_ask: bool = False
    """A yes to what the buyer just asked for."""
    vague_condition: bool = False
    """The only "if" asks nothing real of the buyer ("if you're happy", "要是能帮到您")."""
    giveaway: bool = False
    """A concession in disguise: "they're included", "先扣着", "我去申请，应该没问题"."""
    blame: bool = False
    dismissal: bool = False
    disown: bool = False
    """The problem passed on, not owned: "not my department", "call finance yourself", "这个不归我管"."""
    trade: bool = False
    """Something concrete is asked of the buyer in return ("if the DM shows our 1L", "但是DM要给我们一个整版")."""
    offers_amount: bool = False
    """A figure on a trade term offered by our side (a concession, even under the limit)."""
    answers_offer: bool = False
    """Figures given in answer to "how much will you put in?"."""
    echo: bool = False
    """Every figure in the reply only repeats the buyer's own figures."""
    softened_refusal: bool = False
    """"Sorry" that only softens a refusal ("不好意思，这个真给不了")."""
    repeat_request: bool = False
    """"Sorry, could you say that again?" (not a question about the customer's needs)."""
    passed: list[Passed] = field(default_factory=list)

    def totals(self) -> dict[str, tuple[float, str]]:
        """Per item family: the total given and its unit (payment terms: the longest term agreed)."""
        return totals(self.given)


def totals(given: Iterable[Given], separate: frozenset[str] = frozenset()) -> dict[str, tuple[float, str]]:
    """Per item family: the total given and its unit (payment terms: the longest term agreed); items in
    ``separate`` (a rebate with a limit of its own) are not folded into their family."""
    out: dict[str, tuple[float, str]] = {}
    for g in given:
        key = g.item if g.item in separate else FAMILY.get(g.item, g.item)
        if key in out and out[key][1] == g.unit:
            prev = out[key][0]
            out[key] = (max(prev, g.value) if g.unit == "days" else prev + g.value, g.unit)
        elif key not in out:
            out[key] = (g.value, g.unit)
    return out


_AFFIRM = _Lazy(
    r"^\s*(?:ok+|okay|fine|alright|all right|sure|yes|yeah|yep|deal|done|agreed|you'?ve got a deal|you win|no problem|of course|right|great|perfect|absolutely|certainly|sounds good|let'?s do it|go on then|that works)\b"
    r"|^\s*(?:好|好的|好吧|行|行吧|可以|同意|成交|没问题|那好|那行|就这样|就这么定|定了|签|成|嗯|中|ok|都可以|都行|就按)"
    r"|^[^.!?]{0,12}(?:可以|没问题|都行|都做|照付)[.!]?$|^[^.!?]{0,20}\b(?:is fine|works for us|it is|you'?ve got it)\b"
)
_NOT_ASK = _Lazy(
    r"\b(?:we'?ll send|i'?ll send|thanks|thank you|see you|talk (?:soon|later)|will send)\b|谢谢|回头见|下周(?:发|给)您"
)
_VAGUE_IF = _Lazy(
    r"\b(?:if|as long as|so long as|provided)\s(?:you(?:'re| are) (?:happy|ok|okay|comfortable|satisfied|pleased)|it helps|that helps|it makes you happy|you insist|you really insist|that works for you|you want|you like|that'?s what it takes|it keeps you happy|you(?:'re| are) happy with (?:our|the) (?:support|service|partnership|relationship)|you (?:sit (?:back )?down|stay|come back|keep talking|don'?t walk|calm down|hear me out|give us a chance|think about it))\b"
    r"|(?:只要|要是|如果)(?:您|你|你们)?(?:高兴|满意|开心|觉得(?:好|行|可以|合适)|坚持|一定要|非要)|(?:要是|如果|只要)能帮(?:到|上)?(?:您|你|你们)|能帮(?:到|上)?(?:您|你)(?:的话)?|(?:要是|如果)(?:对您|对你们)有帮助|您看着办|看您的意思|(?:您|你)(?:满意|高兴|开心)就(?:行|好|可以)|(?:只要|要是|如果)(?:您|你)(?:坐下|别走|留下|回来|消消气|再考虑)"
)
_GIVEAWAY = _Lazy(
    r"\b(?:they'?re|it'?s|that'?s|those are|these are)\s(?:all\s)?(?:included|part of (?:the|our) (?:package|deal)|yours|covered|free)\b|\bis (?:ours|on us) to (?:pay|cover|fund)\b|\b(?:ours|mine) to (?:pay|cover|fund)\b"
    r"|\b(?:i'?ll|let me|i will) (?:sort out|get|push through|handle|take care of) (?:the )?(?:approval|sign-?off|budget|it approved)\b|\byou won'?t (?:have to|need to) worry\b|\bleave it (?:with|to) me\b[^.]{0,40}\b(?:it'?ll|will) (?:be )?(?:fine|ok|done)\b"
    r"|\bgo ahead and (?:deduct|take|charge|bill|keep|invoice)\b|\b(?:just )?(?:deduct|keep) it\b[.!]*$"
    r"|\b(?:money|fees?|costs?|bill|freight|budget|promotion|promo|posm|materials?|display|tasting|shipping|rebate)s? (?:is|are|'s|'re)(?: all)? on us\b|\bfree of charge\b|\bon the house\b"
    r"|先扣着|扣(?:了)?就扣(?:了|吧)|那就扣吧|扣吧|(?:申请|争取|打报告|问问|报上去)[^.!?]{0,12}(?:应该|肯定|保证|一定)?(?:没(?:什么|啥)?问题|能批|批得下来|批下来|能下来|能给)|(?:我们|我)(?:就)?(?:交|付|出)(?:了|吧)?(?:[.!]|$)|^(?:交|付|出)[,，]"
    r"|(?:给您|给你)(?:批|申请|争取)下来|都(?:照付|照给|照做)|照付|就按(?:您|你)说的(?:办|来)|听(?:您|你)的"
    r"|包含在(?:内|里面)|(?:都|已经)包含了|包括在内|含在里面"
    r"|都给(?:您|你)?(?:配齐|配上|备齐|安排上|加上)|(?:包在|算在)我(?:们)?身上"
)
_BLAME = _Lazy(
    r"\byour (?:own )?(?:[a-z]+ ){0,2}(?:team|warehouse|dc|staff|people|store|stores|system|side|buyers?|office|managers?|receiving|finance|ap|accounts|clerks?|planners?)\b[^.!?]{0,40}\b(?:wrong|mistake|slow|late|messed|fault|error|keyed|didn'?t|did not|forgot|lost|mixed|refused|rejected)\b"
    r"|\bnot (?:us|ours|our (?:fault|problem|doing|mistake))\b|\b(?:that'?s|it'?s) (?:on you|your (?:problem|fault|mistake|call|issue))\b|\byou (?:must have|clearly|obviously) (?:got|made|keyed|miscounted|counted|read)\b"
    r"|关我们(?:什么|啥)事|不关我们(?:的)?事|跟我们(?:没|无)关|怪不(?:到|得)我们|(?:是|那是)(?:你们|您那边|你们那边)(?:自己)?(?:的)?(?:问题|错|责任)|(?:你们|您那边|你们那边)(?:自己)?[^.!?,]{0,12}(?:慢|搞错|算错|弄错|错了|不对|乱)"
    r"|(?:肯定|一定|绝对)(?:是)?(?:您|你们|你)?(?:那边)?(?:算|搞|弄|记|看)错了|是(?:你们|您)(?:的)?(?:店长|仓库|系统|财务|采购|收货|门店)[^.!?,]{0,8}(?:定|排|弄|搞|安排|决定)的"
)
_DISMISS = _Lazy(
    r"\b(?:calm down|relax|chill|settle down|take it easy|no big deal|not a big deal|it'?s nothing|not the end of the world|hardly the end of the world|these things happen|it happens|stuff happens|happens to everyone|you'?re overreacting|don'?t be so|get over it|don'?t make a fuss|no need to get upset)\b"
    r"|别激动|消消气|冷静(?:一下|点)|别生气嘛|没(?:什么|啥)大不了|多大点事|多大的事|至于吗|至于嘛|小事(?:一桩|而已)|别急嘛|这种事(?:很)?(?:正常|难免)|难免的"
)
_DISOWN = _Lazy(
    # "not mine": the problem belongs to someone else, and nobody here takes it on
    r"\bnot (?:my|our) (?:department|area|call|decision|department'?s (?:problem|call)|side of (?:the )?(?:business|house))\b|\bnot mine\b|\bnot down to (?:me|us)\b"
    r"|\bnothing to do with (?:me|us|my (?:team|department|side)|our (?:team|department|side)|sales)\b|\b(?:it'?s|that'?s|this is|it is|that is) (?:out of|not in) (?:my|our) hands\b|\bout of my hands\b"
    r"|\b(?:don'?t|do not) (?:look at|come to) me\b|\bwasn'?t (?:me|us)\b|\bnot (?:my|our) (?:fault|problem|responsibility|job),? (?:it'?s|that'?s|it was|blame|talk to|ask|call)\b"
    r"|\b(?:you'?ll|you will|you'?d|you would|you have to|you need to|you'?ll need to|you'?d need to|you'?d have to|you should) (?:have to |need to )?(?:call|ring|phone|ask|talk to|speak to|contact|chase|email|take (?:it|this|that) up with) (?:them|our |the |finance|accounts|logistics|transport|the warehouse|customer service|head office|hq|the factory|quality|legal|marketing|credit)[^.!?]{0,30}\b(?:yourself|directly|yourselves)\b"
    r"|\bthere'?s nothing i can do\b|\bi can'?t do anything about (?:it|that|this)\b|\bi (?:just|only) (?:sell|take the orders|do sales)\b|\bi'?m (?:just|only) (?:the|in) (?:sales|messenger|account manager)\b"
    r"|跟我(?:们)?(?:没|无|没有)(?:什么|啥)?关系|与我(?:们)?无关|跟我(?:们)?(?:无|没)关|不关我(?:们)?(?:的)?事|关我(?:们)?(?:什么|啥)事|不归我(?:们)?管|(?:不是|又不是)我(?:们)?(?:部门)?(?:的事|负责的|管的|能管的|能决定的)"
    r"|我(?:也|可)?管不(?:了|着)|我(?:也)?(?:没办法|没法子|无能为力|帮不了)[,.!]?(?:你|您)(?:们)?(?:自己|直接)?(?:去)?(?:找|问|联系)"
    r"|(?:你|您)(?:们)?(?:自己|直接)(?:去)?(?:找|问|联系|打给)(?:一下)?(?:物流|财务|仓库|运输|客服|总部|工厂|质量|质检|法务|市场|他们|公司)"
    r"|(?:你|您)(?:们)?去找(?:物流|财务|仓库|运输|客服|总部|工厂|质量|质检|法务|市场)(?:吧|好了|去|问)|我只(?:管|负责)(?:销售|卖货|下单|接单)"
)
# Passing a problem on, read from its parts rather than its wording: the speaker says it is not theirs to
# do or decide, names who it belongs to, and takes no step of their own ("I can't approve credits, that's
# finance", "扣款是总部定的，我说了不算").
_NOT_MINE = _Lazy(
    r"\bi (?:can'?t|cannot|don'?t|do not|have no|'?m not|am not|never) (?:[a-z']+ ){0,3}?(?:help|do anything|change|decide|approve|authori[sz]e|control|book|send|stop|touch|sign|say|set|handle|deal with|issue|promise|speak for)\b"
    r"|\bnot (?:my|me|mine|up to me|on me)\b|\b(?:above|beyond) my pay ?grade\b|\bnot (?:in|within) my (?:power|remit|authority)\b|\bnot a sales (?:problem|issue|matter|question)\b"
    r"|我(?:也|可|都|这边|这里|一个[^,.!?;]{1,6})?(?:管不|做不了主|决定不了|安排不了|处理不了|解决不了|改不了|批不了|帮不了|帮不上|无能为力|说了不算|说了也不算|没(?:有)?(?:这个)?(?:权|权限|权力|办法))"
    r"|不归我|别找我|不是我(?:们)?(?:的事|管|负责|能|定)|哪有这(?:个)?权|我(?:可|是|也)?不认|不是我们(?:公司)?的事"
)
_SOMEONE_ELSE = _Lazy(
    r"\b(?:finance|accounts|logistics|transport|warehouse|customer service|credit|marketing|head office|hq|the factory|quality|legal|it department|the distributor|the agency|the contractor|the promoter|my (?:boss|manager|director|predecessor)|they|them|he|she)\b"
    r"|财务|物流|仓库|运输|客服|信用|市场部|总部|工厂|质量部|质检|法务|经销商|代理商|他们|领导|前任|[\u4e00-\u9fff](?:经理|总监|总)|部门"
)
_OWN_STEP = _Lazy(
    r"\b(?:i'?ll|i will|let me|we'?ll|we will|i'?ve (?:asked|told|booked|arranged|escalated|raised)|i (?:have|am|'?m) (?:asking|telling|booking|arranging|escalating|raising|taking|calling|sending))\b"
    r"|我(?:会|马上|来|这就|现在就|已经(?:让|跟|找|报|交)|帮您|帮你|去(?:找|跟|问|申请))|给(?:您|你)(?:回|答复|确认|消息)"
)
# Fault placed on the buyer's side, read from a subject of theirs and a failing of it in one sentence
# ("your planners ordered for a normal week and got it wrong", "少了是在你们那边丢的").
_THEIR_FAULT = _Lazy(
    r"\byour (?:[a-z'-]+ ){0,3}?(?:people|team|staff|clerks?|buyers?|office|head office|planners?|guys|system|tills?|scanners?|forecasts?|forecasting|orders?|ordering|planogram|warehouse|dc|stores?|receiving|side|end|payables|accounts|finance|drivers?|managers?|colleagues?)\b"
    r"[^.!?]{0,50}?\b(?:never (?:sent|told|paid|read|ordered|checked|put|loaded|answered|called|gave|booked|confirmed|replied|signed|processed|updated|listened|asked)|didn'?t|did not|forgot|failed|wrong|mistakes?|error|(?:was|were|is|are|came|paid|always|too) late|way off|lost|missing|ignored|messed|broke|damaged|without (?:even )?(?:reading|checking|looking|telling|asking)|bottom (?:shelf|row)|at the last minute|the (?:problem|reason)|fault)\b"
    r"|\b(?:on|at|in|from) your (?:own )?(?:side|end|tills?|system|scanners?|shelves)\b,? not (?:our|us|ours)\b|\b(?:went|gone|go) (?:missing|wrong)\b[^.!?]{0,20}\bon your (?:side|end)\b"
    r"|\b(?:comes?|came) (?:straight |directly )?from your (?:own )?\b|\bwhat did you expect\b"
    r"|(?:你们|您那边|你们那边|门店|店里|店员|收货员|陈列组|采购)(?:自己)?[^,.!?;]{0,12}(?:(?<!没)错|丢|扔|弄坏|搞坏|漏|乱|老是|总是|每次都|从来不|才怪|(?<!没)(?:的)?问题)"
    r"|(?:是|在)(?:你们|您)(?:那边|这边|自己|门店|店里|仓库)[^,.!?;]{0,10}(?:丢|弄丢|扔|坏|搞|弄|出)的"
)


def passes_on(reply: str) -> bool:
    """Not mine (said outright, or not mine to do and someone else's), and no step of the speaker's own:
    "not my department, but I'll get logistics to call you by 3" is owned (a surface text)."""
    said = bool(_DISOWN.search(reply)) or (
        bool(_NOT_MINE.search(reply)) and bool(_SOMEONE_ELSE.search(reply))
    )
    return said and not _OWN_STEP.search(reply)


def blames_their_side(reply: str) -> bool:
    """A failing put on the buyer's side in a sentence that is not a question (a surface text)."""
    for sentence in re.split(r"(?<=[.!?;])\s*", reply):
        if sentence and not sentence.rstrip().endswith("?") and "吗" not in sentence:
            if _THEIR_FAULT.search(sentence):
                return True
    return False


_TRADE = _Lazy(
    r"\bonce (?:you|your|the buyer|they)\b|\b(?:if|as long as|so long as|provided(?: that)?|providing|only if|on condition that|in return for|in exchange for|assuming)\s"
    r"(?!(?:we(?! get| keep| have)|i|head office|hq|my|our (?:boss|director|manager|finance|management|team|md|gm)|finance|management|legal|it|that|this|you (?:insist|want|like|prefer|need me|have any|'re happy|are happy))\b)"
    r"|\bbut (?:we|i)(?:'d| would)? (?:need|want|ask|expect|require)\b|\bbut (?:you|your)\b|\bin return\b|\bin exchange\b"
    r"|(?:但是|但|不过|前提是|条件是|只要|如果|要是|换)[^.!?;,]{0,8}(?:你们|您|贵司|门店|dm|海报|邮报|订单|排面|端架|堆头|新品|给我们|要给|得给|得|必须|需要|要求)"
    r"|(?:你们|您)[^.!?;,]{0,24}(?:就行|就可以了|就好|的话)|(?:而且|并且|同时|另外)[^.!?;,]{0,20}(?:要给我们|得给我们|给我们|要留给我们|归我们)"
)
_OWN_SIDE = _Lazy(
    r"(?:总部|老板|领导|公司|集团|上面)[^.!?;,]{0,8}(?:批|同意|签|通过|点头)|\bif (?:head office|hq|my|our|finance|management)\b"
)
_DEMAND = _Lazy(
    r"\b(?:give|want|need|expect|pay|cover|waive|match|extend|add|drop|lower|reduce|cut|include|included|fund|throw in|deal|agree|agreed|knock|make it|go to|take it|sign)\b|\?"
    r"|给|要|降|加|免|承担|包括|包含|包|补|出|成交|同意|就这么|行吧|扣|签|让"
)
_THEIRS = _Lazy(
    r"\b(?:front page|cover|end-?caps?|floor stacks?|facings?|eye level)\b|\b(?:with|plus|and) (?:the |a |an )?(?:flyer|display|tasting|slot)"
    r"|头版|封面|堆头|端架|排面|(?:加|配|带|上)(?:海报|陈列|试饮|档期)"
)
_BUYER_TRADE = _Lazy(
    r"\b(?:i'?ll|we'?ll|i can|we can|i will|we will) (?:give|put|list|move|take|add|order|book|keep)\b[^.?!]{0,60}\bif (?:you|your)\b"
    r"|\bif you\b[^.?!]{0,40}\b(?:i'?ll|we'?ll|you get|you can have)\b|(?:你们|您)[^.?!]{0,20}(?:我就|我们就)[^.?!]{0,12}(?:给你们|给您)|(?:我|我们)(?:就)?给你们[^.?!]{0,16}(?:只要|如果|但|换)"
)
_HOW_MUCH = _Lazy(
    r"\bhow much\b|\bwhat (?:can|will|would) you (?:put|give|offer|bring|do)\b|\bwhat'?s your (?:offer|budget|number)\b|多少|出多少|给多少|什么支持|能给什么"
)
_SORRY = _Lazy(r"\bsorry\b|\bapologi[sz]e\b|不好意思|抱歉|对不起")
_OWN_FAULT = _Lazy(
    r"\bour (?:fault|mistake|error|slip|bad)\b|\bmy (?:fault|mistake|bad)\b|\bon us\b|\bwe (?:got it wrong|messed up|dropped the ball|missed|forgot|were late)\b"
    r"|我们的(?:问题|错|失误|责任)|是我们|我的(?:问题|错)|我们(?:没|漏|搞错|弄错|晚了|迟了)"
)
_REPEAT = _Lazy(
    r"\b(?:say that again|come again|pardon|didn'?t (?:catch|hear) (?:that|you)|repeat that|what did you (?:just )?say)\b|(?:刚才|刚刚)说(?:什么|啥)|没听清|再说一(?:遍|次)|您说什么"
)


_CLOCK = _Lazy(r"早|晚|午|凌晨|明天|今天|后天|周[一二三四五六日]|点钟")
_CUT = _Lazy(r"降|减|让|便宜|优惠|折|少收|\boff\b|\bdiscount|\bless\b|\bcut\b|\blower|\breduc|\bknock|\bdrop")
_REMEDY = _Lazy(
    r"\b(?:replace|replacing|replaced|credit|credited|crediting|make up|re-?deliver|resend|re-?send|send the missing|swap|refund the)\b"
    r"|\b(?:outstanding|owed|overdue|missing|short-?shipped|what we owe)\b"
    r"|补上|补发|换掉|换新|退换|补齐|补送|重新送|重送|退货|换货|冲红|补回|欠(?:您|你们|你)|缺的|少的|少发|漏发|送到"
)
_EXTRA = _Lazy(
    r"\bfree\b|\bextra\b|\bon top\b|\bfor the trouble\b|\bgoodwill\b|\bcompensat|额外|另外|多送|再送|补偿|赔"
)
_QUESTION = _Lazy(r"[^.!?]*\?")
_FACT = _Lazy(
    r"\b(?:grew|growth|grow|sales|sold|share|rose|fell|(?:is|are|was|were|went|gone|goes) (?:up|down)|increase[ds]|declined?|dropped|average|market|category|traffic|turnover|last year|yoy|margins?|costs?|than|sells?|selling|cheaper|records?|shows?|signed for|delivered|received|more than (?:the|our|their|your)|above|below|against|versus|vs|on time|fill rate|per litre|rate)\b"
    r"|增长|销量|销售额|份额|卖了|同比|环比|上涨|下降|提升了|涨了|业绩|成长|毛利|成本|记录|显示|签收|比[^,.!?;]{1,10}(?:高|低|贵|便宜|多|少)"
)
_PACK = _Lazy(
    r"(?:一|每)(?:箱|件)(?:是|有|装)?(?P<n>[一二两三四五六七八九十百\d]+)(?:瓶|罐|听|支)|(?P<n2>\d+|six|twelve|twenty-four|twenty four|eighteen|twenty) (?:bottles? |cans? |units? )?(?:a|per|to a|in a|in each|to the) (?:case|carton)"
    r"|(?:a|per|each|one) (?:case|carton) (?:has|holds|of|is|contains) (?P<n3>\d+|six|twelve|twenty-four|eighteen|twenty)|(?P<n4>\d+)(?:瓶|罐|听)(?:一|每)箱"
)
_ITEM_GRAIN = _Lazy(r"bottles?|cans?|units?|瓶|罐|听|支|个")
_CASE_GRAIN = _Lazy(r"cases?|cartons?|pallets?|箱|件|托|板")


def _pack_size(m: re.Match[str]) -> float:
    raw = (m.group("n") or m.group("n2") or m.group("n3") or m.group("n4")).replace(" ", "-")
    return _value(raw) or float(_EN_NUM.get(raw, 0) or {"twenty-four": 24, "eighteen": 18}.get(raw, 1))


_SOURCE = _Lazy(
    r"\b(?:records?|shows?|showed|data|report|signed|according|invoice|receipt|pod)\b|根据|记录|数据|显示|签收|报告|单据|发票"
)
_INQUIRY = _Lazy(r"\b(?:understand|what|why|how|which|explain|meant)\b|什么|为什么|怎么|哪|是指|意思")
_ITEM_NEAR = _Lazy(
    r"\b(?:rebate|discount|off|listing|slotting|fee|flyer|dm|display|end-?cap|free|terms|payment)\b|返利|折扣|降|进场费|上架费|费|海报|邮报|堆头|端架|陈列|赠品|送|账期"
)
_NOW = _Lazy(
    r"\b(?:this year|now|today|next|will|'ll|can|could|we'd|going to)\b|今年|现在|这次|明年|下个|可以|能|会|打算|准备"
)


def _sentence_end(text: str, pos: int) -> int:
    ends = [i for i in (text.find(".", pos), text.find("!", pos), text.find("?", pos)) if i >= 0]
    return min(ends) if ends else len(text)


def _sentence_at(text: str, pos: int) -> str:
    start = max(text.rfind(".", 0, pos), text.rfind("!", 0, pos), text.rfind("?", 0, pos)) + 1
    ends = [i for i in (text.find(".", pos), text.find("!", pos), text.find("?", pos)) if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def _given_in(
    text: str,
    own: bool,
    payment_context: bool = False,
    echoes: frozenset[float] = frozenset(),
    affirm: bool = False,
) -> list[Given]:
    """Amounts given in a surface text: clause by clause, skipping refusals, costs argued, the past, and
    (in the reply's own words) what the buyer must do in return."""
    out: list[Given] = []
    multiplied: set[float] = set()
    pack = _PACK.search(text)
    amounts = [a for a in find_amounts(text) if not (pack and pack.start() <= a.start < pack.end())]
    questions = [(m.start(), m.end()) for m in _QUESTION.finditer(text)] if own else []
    payment = bool(_ITEM_RX["payment-terms"].search(text)) or payment_context
    seen: set[tuple[int, str]] = set()
    past_until = -1
    for lo, hi in clauses(text):
        clause = text[lo:hi]
        here = [a for a in amounts if lo <= a.start < hi]
        if not here:
            continue
        if _PAST.search(clause) or (past_until > lo and not _NOW.search(clause)):
            past_until = max(past_until, _sentence_end(text, lo))
            continue
        if _REFUSE.search(clause) or _COST.search(clause):
            continue
        if any(qs <= lo < qe for qs, qe in questions):
            continue
        if (
            own
            and echoes
            and any(a.value in echoes for a in here)
            and (_REFUSE.search(_sentence_at(text, lo)) or (_INQUIRY.search(clause) and not affirm))
        ):
            continue  # the buyer's own figure named back, not offered
        if (
            own
            and _FACT.search(_sentence_at(text, lo))
            and not _OUR_GIVE.search(clause)
            and not _ITEM_NEAR.search(clause)
        ):
            continue

        if own and _BUYER_SIDE.search(clause) and not re.search(r"\b(?:we|i)\b|我们|我(?!们)", clause):
            continue
        for a in here:
            value = a.value
            near = text[max(lo, a.start - 25) : min(hi, a.end + 25)]
            if (
                own
                and _REMEDY.search(near)
                and not _EXTRA.search(text[max(lo, a.start - 12) : min(hi, a.end + 15)])
            ):
                continue  # putting our own fault right (replacing, crediting short cases) is not a concession
            if a.unit == "days" and not payment and not re.search(r"days?|天|日", a.text):
                continue  # "做三个月" is how long, not payment terms
            if (lo, a.text) in seen and text[max(0, a.start - 1) : a.start] == "就":
                continue  # "八万就八万" gives 80,000 once
            seen.add((lo, a.text))
            scaled = False
            window = (max(lo, a.start - 12), min(hi, a.end + 30))
            for per, counts, other in (
                (_PER_SKU, _COUNT_SKU, _STORE_NOUN),
                (_PER_STORE, _COUNT_STORE, _SKU_NOUN),
                (_PER_TIME, _COUNT_TIME, None),
            ):
                if per.search(text, *window):
                    n = _count(counts, text, a.start - 60, a.end + 60)
                    if not n and other is not None:
                        n = _count_all(text, a.start - 60, a.end + 60, other)  # "5k per SKU for all four"
                    if n:
                        value *= n
                        scaled = True
            specific = any(p.search(text, *window) for p in (_PER_SKU, _PER_STORE, _PER_TIME))
            if not specific and (
                _PER_PLACE.search(text, *window) or _EACH_AFTER.match(text, a.end, min(hi, a.end + 10))
            ):
                n = _count(_COUNT_ALL, text, a.start - 60, a.end + 60)  # "each of the four", "for all ten"
                if n:
                    value *= n
                    scaled = True
            if scaled:
                multiplied.add(value)
            elif value in multiplied:
                continue  # "每家四十箱，六家店正好两百四十箱": the total written out is the same amount
            if (
                a.unit == "percent"
                and a.text.endswith("点")
                and not a.text.endswith("个点")
                and _CLOCK.search(text, max(lo, a.start - 4), a.start + 1)
            ):
                continue  # 下午两点, 明早7点: a time, not points
            word = _item_near(text, a, lo, hi)
            item = _UNIT_DEFAULT.get(a.unit) if a.unit != "money" else word
            if item == "price" and a.unit == "money" and not _CUT.search(clause):
                item = None  # "the new price is 52 yuan a case" states a price; it does not cut one
            named = (
                word is not None
                and (a.unit == "money" or word == item or (item, word) == ("price", "rebate"))
            ) or bool(_OUR_GIVE.search(clause))
            if (
                item == "price"
                and a.unit == "percent"
                and _REBATE.search(text, max(lo, a.start - 30), min(hi, a.end + 30))
            ):
                item = "rebate"
            out.append(Given(item or "other", value, a.unit, a.text, named))
    return out


def offers(text: str) -> bool:
    """Whether a surface text offers or agrees to something outside a refusal or a recollection of the past
    ("we'll do", "可以", "OK")."""
    return any(
        _OUR_GIVE.search(text[lo:hi]) and not _REFUSE.search(text[lo:hi]) and not _PAST.search(text[lo:hi])
        for lo, hi in clauses(text)
    )


def _range_change(text: str, given: list[Given]) -> list[Given]:
    """ "from 2% to 3%" gives one point; "从45天延长30天" ends at 75 days."""
    out = list(given)
    m = re.search(
        r"\bfrom\s(\d+(?:\.\d+)?)\s?%?\s(?:to|up to)\s(\d+(?:\.\d+)?)\s?%|从(\d+(?:\.\d+)?)\s?(?:%|个点)?\s?(?:提|加|调|涨|升)?到(\d+(?:\.\d+)?)\s?(?:%|个点)",
        text,
    )
    if m and _PAST.search(_sentence_at(text, m.start())):
        m = None
    if m:
        a, b = (float(x) for x in (m.group(1) or m.group(3), m.group(2) or m.group(4)))
        out = [g for g in out if not (g.unit == "percent" and g.value in (a, b))]
        if b > a:
            out.append(Given("rebate" if _REBATE.search(text) else "price", b - a, "percent", m.group(0)))
    m = re.search(
        r"从(\d+)\s?天(?:延长|延|加|放宽|增加|拉长)(?:到)?(\d+)\s?天|from (\d+) (?:days )?(?:to|by) (\d+) days",
        text,
    )
    if m and _PAST.search(_sentence_at(text, m.start())):
        m = None
    if m:
        base, step = float(m.group(1) or m.group(3)), float(m.group(2) or m.group(4))
        total = step if ("到" in m.group(0) or " to " in m.group(0)) else base + step
        out = [g for g in out if g.unit != "days"] + [Given("payment-terms", total, "days", m.group(0))]
    return out


def _case_price(text: str) -> float | None:
    m = re.search(
        r"(?:一箱|每箱|一件|每件|a case|per case|the case)\D{0,8}?(\d+(?:\.\d+)?)\s?(?:块|元|yuan|rmb)?|(\d+(?:\.\d+)?)\s?(?:块|元|yuan|rmb)?\s?(?:一箱|a case|per case)",
        text,
    )
    if not m:
        return None
    return float(m.group(1) or m.group(2))


_NONCOMMIT = _Lazy(
    r"\b(?:i'?ll|let me|we'?ll|i will|we will|i need to|i have to|i'?d have to) (?:check|look into|see|ask|think|talk to|discuss|get back|come back|find out|review)\b"
    r"|回去(?:研究|考虑|商量|问问|看看)|(?:研究|考虑|商量)一下|我问问|我看看|再说吧|再看看"
)
_PROMISE = _Lazy(r"没(?:什么|啥)?问题|放心|一定|保证|肯定|\bit'?ll be fine\b|\bno problem\b|\bdon'?t worry\b")
_EXTEND = _Lazy(
    r"延长|再加|多加|放宽|\banother\b|\bmore\b|\bextend(?:ed)? (?:it |the terms |terms )?by\b|\b(?:more|extra|additional) days\b|\bon top\b"
)
_BASE_DAYS = _Lazy(
    r"从(\d+)\s?天|\bfrom (\d+) days\b|(\d+)\s?天(?:的)?账期|\b(\d+)[- ]day (?:terms|payment)\b|\b(?:currently|now|today|at present)\b[^.;]{0,25}?\b(\d+) days\b"
    r"|\bterms (?:with you |now |today )?(?:are|is) (\d+) days\b|(?:现在|目前|当前|原来)(?:的)?(?:账期)?(?:是|才)?(\d+)\s?天|账期(?:现在|目前)?(?:是|才)?(\d+)\s?天"
)
_CASE_PRICE = _Lazy(
    r"(?:一箱|每箱|一件|每件|a case|per case|the case|case price)(?:才|是|卖|要|售价|价格是?|进价|的价格是?|is|costs|sells for|at|of)?\s?(?P<p>\d+(?:\.\d+)?|[一二两三四五六七八九十百]+)\s?(?:块|元|yuan|rmb)"
    r"|(?P<p2>\d+(?:\.\d+)?)\s?(?:块|元|yuan|rmb)?\s?(?:一箱|a case|per case)"
    r"|\bcase (?:price )?(?:is|costs|sells for) \$?(?P<p3>\d+(?:\.\d+)?)"
)


def _case_price(text: str) -> float | None:
    m = _CASE_PRICE.search(text)
    if not m:
        return None
    return _value(m.group("p") or m.group("p2") or m.group("p3"))


def _same_grain(given: list[Given], reply: str, context: str, limits: Sequence[Limit]) -> list[Given]:
    """Free goods counted in the grain of their limit (cases or bottles), when the pack size is stated; the
    same quantity written both ways ("2400瓶，正好两百箱") counts once."""
    pack = _PACK.search(reply) or _PACK.search(context)
    lim = next((x for x in limits if x.item == "free-goods"), None)
    if pack is None or lim is None:
        return given
    size = _pack_size(pack)
    want_cases = not _ITEM_GRAIN.search(lim.label) or bool(_CASE_GRAIN.search(lim.label))
    out: list[Given] = []
    for g in given:
        if g.unit == "units":
            is_item = bool(_ITEM_GRAIN.search(g.text)) and not _CASE_GRAIN.search(g.text)
            if want_cases and is_item:
                g = Given(g.item, g.value / size, g.unit, g.text)
            elif not want_cases and not is_item:
                g = Given(g.item, g.value * size, g.unit, g.text)
            if any(h.unit == "units" and abs(h.value - g.value) < 1e-6 and h.text != g.text for h in out):
                continue
        out.append(g)
    return out


def read_moves(reply: str, context: str = "", limits: Sequence[Limit] = ()) -> Moves:
    """The moves of ``reply`` (a surface text) said after the buyer's ``context`` (a surface text)."""
    moves = Moves()
    moves.repeat_request = bool(_REPEAT.search(reply))
    moves.blame = bool(_BLAME.search(reply)) or blames_their_side(reply)
    moves.dismissal = bool(_DISMISS.search(reply))
    moves.disown = passes_on(reply)
    moves.vague_condition = bool(_VAGUE_IF.search(reply))
    moves.giveaway = bool(_GIVEAWAY.search(reply))
    moves.trade = bool(_TRADE.search(reply)) and not moves.vague_condition and not _OWN_SIDE.search(reply)
    payment = bool(_ITEM_RX["payment-terms"].search(context)) or any(
        lim.item == "payment-terms" for lim in limits
    )
    echoes = frozenset(a.value for a in find_amounts(context))
    affirm = bool(_AFFIRM.search(reply))
    given = _range_change(
        reply, _given_in(reply, own=True, payment_context=payment, echoes=echoes, affirm=affirm)
    )
    if context:
        # an amount the buyer's line was about names its item: "三个点" after "我要五个点的返利"
        asked_units = {a.unit for a in find_amounts(context)}
        given = [Given(g.item, g.value, g.unit, g.text, g.named or g.unit in asked_units) for g in given]
    own_given = list(given)
    noncommittal = bool(_NONCOMMIT.search(reply)) and not _PROMISE.search(reply)
    asked = (
        bool(context)
        and bool(_DEMAND.search(context))
        and not _NOT_ASK.search(context)
        and (bool(find_amounts(context)) or bool(items_in(context)))
    )
    if asked and _AFFIRM.search(reply) and not _REFUSE.search(reply[:20]) and not noncommittal:
        moves.agrees_to_ask = True
        # a deal put to us with something of theirs in it ("two points, the front page and floor stacks"): a trade
        moves.trade = (
            moves.trade
            or bool(_BUYER_TRADE.search(context))
            or (bool(_THEIRS.search(context)) and bool(find_amounts(context)))
        )
    theirs = _range_change(context, _given_in(context, own=False, payment_context=payment)) if context else []
    own_figures = [a for a in find_amounts(reply) if a.unit != "days" or payment]
    if (
        not given
        and not own_figures
        and theirs
        and (moves.agrees_to_ask or moves.giveaway or (offers(reply) and not noncommittal))
    ):
        if not _REFUSE.search(reply):
            given = theirs  # a yes (or an offer with no figure of its own) gives what the buyer asked for
    # payment terms extended by N days from a known base: "从45天延长30天" ends at 75 days
    if (
        any(g.unit == "days" for g in given)
        and _EXTEND.search(reply)
        and not re.search(r"到\s?\d|\bto \d", reply)
    ):
        base = _BASE_DAYS.search(reply) or _BASE_DAYS.search(context)
        if base:
            start = float(next(g for g in base.groups() if g))
            given = [
                Given(g.item, g.value + start, g.unit, g.text)
                if g.unit == "days" and g.value < start * 3
                else g
                for g in given
            ]
    # money per case against a percent limit, when the case price is known: 每箱降两块 on a 50-yuan case = 4%
    price = _case_price(reply) or _case_price(context)
    if price:
        given = [
            Given("price", 100 * g.value / price, "percent", g.text)
            if g.unit == "money"
            and g.value < price
            and re.search(r"每箱|一箱|per case|a case|每件", reply + " " + context)
            else g
            for g in given
        ]
    # a percentage with no word of its own is about the rebate when the buyer's line is
    if _REBATE.search(context) and not re.search(r"价格|降价|折扣|\bprice\b|\bdiscount|\boff\b", context):
        given = [
            Given("rebate", g.value, g.unit, g.text, g.named)
            if g.item == "price" and g.unit == "percent"
            else g
            for g in given
        ]
    # an amount echoed from the buyer's line is about the buyer's item; an item named only there counts too
    context_items = (items_in(context) if context else []) or items_in(reply)
    echoed = {g.value: g.item for g in theirs if g.item != "other"}
    given = [
        Given(echoed[g.value], g.value, g.unit, g.text)
        if g.value in echoed and g.unit == "money"
        else Given(next((i for i in context_items if i != "free-goods"), g.item), g.value, g.unit, g.text)
        if g.item == "other" and context_items
        else g
        for g in given
    ]
    moves.answers_offer = bool(given) and bool(_HOW_MUCH.search(context)) and not _REFUSE.search(reply)
    mine = {a.value for a in find_amounts(reply)}
    moves.echo = bool(mine) and mine <= {a.value for a in find_amounts(context)} and not _SOURCE.search(reply)
    moves.softened_refusal = (
        bool(_REFUSE.search(reply)) and bool(_SORRY.search(reply)) and not _OWN_FAULT.search(reply)
    )
    given = _same_grain(given, reply, context, limits)
    moves.offers_amount = any(g.item != "other" and g.named for g in given if g in own_given)
    moves.given = given
    moves.passed = check_limits(given, limits)
    return moves


_UNIT_OF_LIMIT = {"percent": "percent", "days": "days", "units": "units"}


def limit_unit(unit: str) -> str:
    """The kind of unit of a limit: percent, days, units, or money (any currency)."""
    return _UNIT_OF_LIMIT.get(unit, "money")


def check_limits(given: Iterable[Given], limits: Sequence[Limit]) -> list[Passed]:
    """The limits that the amounts given go past, each with the total given on its item (amounts in another
    unit of the same item are not compared: "3 months" was already turned into 90 days)."""
    if not limits:
        return []
    # a rebate limit stands on its own only beside a price limit; alone, it caps every percentage point given
    separate = frozenset(
        x.item for x in limits if x.item in FAMILY and any(y.item == FAMILY[x.item] for y in limits)
    )
    sums = totals(given, separate)
    out: list[Passed] = []
    for lim in limits:
        key = lim.item if lim.item in separate else FAMILY.get(lim.item, lim.item)
        got = sums.get(key)
        money_limits = [x for x in limits if limit_unit(x.unit) == "money"]
        if got is None and "other" in sums and money_limits == [lim]:
            got = sums["other"]  # money given with no item named, against the only money limit in force
        if got is None:
            continue
        value, unit = got
        if unit == limit_unit(lim.unit) and value > lim.value + 1e-9:
            out.append(Passed(lim, value))
    return out
