"""The relationship map of a key account (客情关系图), read the way a coach reads it. Pure: an ``AccountMap``
in, values and text out.

- ``TIER_NEEDS``: the course's five tiers, what each is and what it needs from us.
- ``check``: the warnings a coach would give — no contacts, a single-threaded account, one of our people
  holding every relationship, a decision maker nobody on our side knows, a high-influence opponent or
  skeptic with no plan, contacts not seen for N days. Each is a sentence in English and in Chinese.
- ``render_map``: the map as an indented tree by reporting line; ``render_coverage``: our people ×
  their contacts, in blocks that fit the width.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach.domain.accounts import ATTITUDES, DECISION_ROLES
from coach.i18n import labels
from coach.store.accounts import AccountMap, Contact

STALE_DAYS = 90
"""A customer contact not seen for this many days is flagged."""
HIGH_INFLUENCE = 4
"""Influence from which an opponent or skeptic needs a plan."""
LIST_LIMIT = 5
"""Most names listed in one warning sentence."""

CODES = (
    "no-contacts",
    "single-threaded",
    "one-holder",
    "unknown-decision-maker",
    "opponent-without-plan",
    "not-seen",
)
"""What ``check`` can find, in the order reported."""


@dataclass(frozen=True)
class Tier:
    """A key-account tier: its label, what it is (the course's definition, with its examples) and what it
    needs from us (from rule account.tiers in playbooks/accounts.yaml)."""

    id: str
    label: dict[str, str]
    what: dict[str, str]
    needs: dict[str, str]


_GROUP = {
    "en": "the framework is agreed above you. Your job: flawless local execution to their group standard in "
    "every store, and local results fed back to the colleagues who own the group deal.",
    "zh": "大框架在上面谈。我们的活是按集团标准把每家门店的执行做到位，"
    "并把本地结果反馈给负责集团协议的同事。",
}

TIER_NEEDS: dict[str, Tier] = {
    "global": Tier(
        "global",
        {"en": "global", "zh": "全球性"},
        {"en": "business worldwide (Walmart, Carrefour)", "zh": "全世界业务（沃尔玛、家乐福）"},
        _GROUP,
    ),
    "international": Tier(
        "international",
        {"en": "international", "zh": "国际性"},
        {"en": "more than one country (Park'N Shop, Wellcome)", "zh": "一个国家以上（百佳、惠康）"},
        _GROUP,
    ),
    "national": Tier(
        "national",
        {"en": "national", "zh": "全国性"},
        {"en": "across our own country (Hualian, Lianhua)", "zh": "本国范围内（华联、联华）"},
        {
            "en": "one head office, many cities. Agree listings, prices and the promotion calendar once at "
            "head office, then make sure every region executes the same and prices stay consistent between "
            "cities.",
            "zh": "一个总部、很多城市。新品、价格、促销档期在总部一次谈定，"
            "再盯各区域执行一致、城市之间价格不打架。",
        },
    ),
    "local": Tier(
        "local",
        {"en": "local", "zh": "地方性"},
        {"en": "inside our bottler's territory (Suguo, Meijia)", "zh": "装瓶厂所管辖区域内（苏果、美佳）"},
        {
            "en": "we are closest and fastest. Win on service — next-day delivery, store-level contact with "
            "the owner, promotions tailored to their stores — but keep terms inside our policy; 'small' is "
            "no reason for special deals.",
            "zh": "我们离得最近、反应最快。靠服务赢——次日送货、跟老板和门店直接联系、"
            "按门店情况做促销——但条款不出公司政策，“客户小”不是开特殊条件的理由。",
        },
    ),
    "strategic": Tier(
        "strategic",
        {"en": "strategic", "zh": "战略性"},
        {"en": "airports, theme parks, cinemas", "zh": "机场、主题公园、电影院"},
        {
            "en": "small volume, big value — brand image and captive consumers at premium prices. They need "
            "packs and prices that fit the venue, coolers or fountain equipment, full stock on peak days and "
            "event support; exclusive pouring rights often matter more than price.",
            "zh": "量小、价值大——品牌形象加上高价位的固定消费人群。需要适合场地的包装和价格、冷柜或现调设备、"
            "节假日高峰不断货、活动支持；独家供应权往往比价格更重要。",
        },
    ),
}
"""The five tiers in the course's order."""

DECISION_LABELS = labels("account.role.", DECISION_ROLES)
"""A contact's decision role in the reader's language (the words are in coach/i18n)."""
ATTITUDE_LABELS = labels("account.attitude.", ATTITUDES)
"""A contact's attitude in the reader's language."""


@dataclass(frozen=True)
class MapWarning:
    """One thing a coach would point out on the map: a code and the same sentence in both languages."""

    code: str
    """One of ``CODES``."""
    en: str
    zh: str
    who: str | None = None
    """The person of theirs the warning is about (unknown decision maker, opponent without a plan)."""

    def text(self, lang: str) -> str:
        """The sentence in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def as_dict(self, lang: str) -> dict[str, str]:
        """JSON-ready."""
        return {"code": self.code, "text": self.text(lang)}


def _names(people: Sequence[Contact], lang: str, extra: dict[int, str] | None = None) -> str:
    shown = [p.name + ((extra or {}).get(p.id, "")) for p in people[:LIST_LIMIT]]
    more = len(people) - len(shown)
    sep = "、" if lang == "zh" else ", "
    text = sep.join(shown)
    if more > 0:
        text += f" 等{len(people)}人" if lang == "zh" else f" and {more} more"
    return text


def knowers(m: AccountMap) -> dict[int, list[tuple[Contact, int, int | None]]]:
    """Their active contact id -> our active people who know them: (person, level, target), best first.
    A level of 0 (no longer in touch) does not count."""
    people = m.by_id()
    out: dict[int, list[tuple[Contact, int, int | None]]] = {}
    for r in m.relationships:
        us, them = people.get(r.ours_id), people.get(r.theirs_id)
        if r.level < 1 or us is None or them is None or us.status != "active" or them.status != "active":
            continue
        out.setdefault(them.id, []).append((us, r.level, r.target))
    for found in out.values():
        found.sort(key=lambda t: (-t[1], t[0].name.casefold()))
    return out


def check(m: AccountMap, *, today: date | None = None, stale_days: int = STALE_DAYS) -> list[MapWarning]:
    """The coach's warnings on the map, in ``CODES`` order; none when the map is in good shape."""
    today = today or date.today()
    acc = m.account.name
    theirs = m.people("theirs")
    known = knowers(m)
    out: list[MapWarning] = []
    if not theirs:
        return [
            MapWarning(
                "no-contacts",
                f"Nobody at {acc} is in the map yet: add the buyer, who they report to and who signs.",
                f"{acc}方面还没有任何联系人：先把采购、他的上级和拍板签字的人加进来。",
            )
        ]
    known_theirs = [c for c in theirs if c.id in known]
    if len(theirs) == 1:
        only = theirs[0]
        out.append(
            MapWarning(
                "single-threaded",
                f"Single-threaded: {only.name} is the only person you know at {acc}. If {only.name} moves or "
                "turns against you, the account goes too: find at least two more contacts, starting with "
                "their boss.",
                f"单线联系：在{acc}我们只认识{only.name}一个人。{only.name}一旦调岗或态度变了，这个客户就丢了；"
                "至少再找两个关键联系人，先从他的上级开始。",
            )
        )
    elif not known_theirs:
        out.append(
            MapWarning(
                "single-threaded",
                f"Nobody on our side is linked to anyone at {acc} yet: record who knows whom, then fill "
                "the gaps.",
                f"我方还没有人跟{acc}的任何人建立关系：先登记谁认识谁，再补上空缺。",
            )
        )
    elif len(known_theirs) == 1:
        only = known_theirs[0]
        out.append(
            MapWarning(
                "single-threaded",
                f"Single-threaded: of {len(theirs)} people at {acc}, only {only.name} is known to anyone on "
                f"our side. Build a second and a third line before {only.name} moves.",
                f"单线联系：{acc}的{len(theirs)}位联系人里，我方只跟{only.name}有关系。趁{only.name}还在，"
                "尽快建立第二、第三条线。",
            )
        )
    holders = {us.id: us for found in known.values() for us, _, _ in found}
    if len(holders) == 1 and len(known_theirs) >= 2:
        (holder,) = holders.values()
        out.append(
            MapWarning(
                "one-holder",
                f"One person holds every relationship: only {holder.name} knows anyone at {acc} "
                f"({len(known_theirs)} people). If {holder.name} leaves, so do they: take a colleague or "
                "your manager to the next meetings.",
                f"所有客情都在{holder.name}一个人手上：{acc}的{len(known_theirs)}位联系人只有{holder.name}"
                f"认识。{holder.name}一走，关系就断了；下次拜访带上同事或上级。",
            )
        )
    for c in theirs:
        if c.decision_role != "decision-maker" or c.id in known:
            continue
        role_en = f" ({c.role})" if c.role else ""
        role_zh = f"（{c.role}）" if c.role else ""
        reports = [r for r in known_theirs if r.reports_to == c.id]
        if reports:
            via = reports[0].name
            how_en, how_zh = f"ask {via}, who reports to them, to introduce you", f"请{via}（其下属）引荐"
        else:
            how_en, how_zh = "plan an introduction or a top-to-top meeting", "安排引荐或高层拜访"
        out.append(
            MapWarning(
                "unknown-decision-maker",
                f"{c.name}{role_en} makes the decision and nobody on our side knows them: {how_en}.",
                f"{c.name}{role_zh}是拍板的人，但我方没有人认识：{how_zh}。",
                c.name,
            )
        )
    for c in theirs:
        if (c.influence or 0) >= HIGH_INFLUENCE and c.attitude in ("opponent", "skeptic") and not c.plan:
            out.append(
                MapWarning(
                    "opponent-without-plan",
                    f"{c.name} (influence {c.influence}) is {'an' if c.attitude == 'opponent' else 'a'} "
                    f"{c.attitude} and there is no plan for them: write down what they care about, who meets "
                    "them and when.",
                    f"{c.name}影响力{c.influence}，态度是{ATTITUDE_LABELS['zh'][c.attitude]}，却没有应对计划："
                    "写下对方关心什么、由谁去见、什么时候见。",
                    c.name,
                )
            )
    stale: list[tuple[int, Contact]] = []
    for c in theirs:
        if c.last_contact:
            try:
                days = (today - date.fromisoformat(c.last_contact)).days
            except ValueError:
                continue
            if days >= stale_days:
                stale.append((days, c))
    if stale:
        stale.sort(key=lambda t: (-t[0], t[1].name.casefold()))
        people = [c for _, c in stale]
        en_days = {c.id: f" ({d} days)" for d, c in stale}
        zh_days = {c.id: f"（{d}天）" for d, c in stale}
        out.append(
            MapWarning(
                "not-seen",
                f"Not seen for {stale_days} days or more: {_names(people, 'en', en_days)}. A relationship "
                "left alone goes cold: book the visits.",
                f"超过{stale_days}天没见的联系人：{_names(people, 'zh', zh_days)}。"
                "客情不走动就会淡，尽快安排拜访。",
            )
        )
    return out


# ------------------------------------------------------------------------------------------ rendering


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def fit(text: str, cols: int) -> str:
    """``text`` cut to ``cols`` columns (with … when cut) and padded to exactly ``cols``."""
    if width(text) > cols:
        out, used = "", 0
        for ch in text:
            w = width(ch)
            if used + w > cols - 1:
                break
            out += ch
            used += w
        text = out + "…"
    return text + " " * (cols - width(text))


def _label(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def person_line(c: Contact, known: list[tuple[Contact, int, int | None]], lang: str) -> str:
    """One person on the map: name, role, decision role, influence, attitude, last contact, who knows them."""
    parts = [c.name]
    if c.role:
        parts.append(c.role)
    if c.decision_role:
        parts.append(DECISION_LABELS[lang][c.decision_role])
    if c.influence:
        parts.append(_label(lang, f"influence {c.influence}", f"影响力{c.influence}"))
    if c.attitude:
        parts.append(ATTITUDE_LABELS[lang][c.attitude])
    if c.last_contact:
        parts.append(_label(lang, f"last seen {c.last_contact}", f"上次接触 {c.last_contact}"))
    if known:
        who = ", ".join(
            f"{us.name} {lvl}" + (f"→{tgt}" if tgt and tgt != lvl else "") for us, lvl, tgt in known
        )
        parts.append(_label(lang, f"known by {who}", f"我方：{who}"))
    else:
        parts.append(_label(lang, "known by nobody", "我方无人认识"))
    return " · ".join(parts)


def tree(m: AccountMap) -> list[tuple[int, Contact]]:
    """Their active people in reporting order: (depth, contact), each boss before their reports."""
    theirs = m.people("theirs")
    ids = {c.id for c in theirs}
    children: dict[int | None, list[Contact]] = {}
    for c in theirs:
        boss = c.reports_to if c.reports_to in ids else None
        children.setdefault(boss, []).append(c)
    for group in children.values():
        group.sort(key=lambda c: (-(c.influence or 0), c.name.casefold()))
    out: list[tuple[int, Contact]] = []
    seen: set[int] = set()

    def walk(boss: int | None, depth: int) -> None:
        for c in children.get(boss, []):
            if c.id in seen:
                continue
            seen.add(c.id)
            out.append((depth, c))
            walk(c.id, depth + 1)

    walk(None, 0)
    for c in theirs:  # a loop in old data: still shown, at the top
        if c.id not in seen:
            seen.add(c.id)
            out.append((0, c))
            walk(c.id, 1)
    return out


def render_map(m: AccountMap, lang: str = "en") -> str:
    """The map as text: the account line, their people as an indented tree, our people, who left."""
    acc = m.account
    head = acc.name
    if acc.tier:
        head += f" · {TIER_NEEDS[acc.tier].label[lang]}"
        head += _label(lang, " account", "客户")
    lines = [head]
    known = knowers(m)
    rows = tree(m)
    lines.append(_label(lang, "Their people (by reporting line):", "客户方（按汇报关系）："))
    if not rows:
        lines.append("  " + _label(lang, "(nobody yet)", "（暂无）"))
    for depth, c in rows:
        indent = "  " + ("   " * (depth - 1) + "└─ " if depth else "")
        lines.append(indent + person_line(c, known.get(c.id, []), lang))
    ours = m.people("ours")
    lines.append(_label(lang, "Our people:", "我方："))
    if not ours:
        lines.append("  " + _label(lang, "(nobody yet)", "（暂无）"))
    for us in ours:
        count = sum(1 for found in known.values() if any(u.id == us.id for u, _, _ in found))
        parts = [us.name] + ([us.role] if us.role else [])
        parts.append(_label(lang, f"knows {count}", f"认识{count}人"))
        lines.append("  " + " · ".join(parts))
    left = [c for c in m.contacts if c.status == "left"]
    if left:
        names = ", ".join(c.name for c in left)
        lines.append(_label(lang, f"Left (kept in history): {names}", f"已离开（保留历史）：{names}"))
    return "\n".join(lines)


def coverage(m: AccountMap) -> dict[str, Any]:
    """Our people × their active contacts: ``{"ours": [...], "theirs": [...], "cells": {theirs: {ours: {level,
    target}}}}`` by name (JSON-ready)."""
    people = m.by_id()
    ours = m.people("ours")
    theirs = [c for _, c in tree(m)]
    cells: dict[str, dict[str, dict[str, int | None]]] = {c.name: {} for c in theirs}
    for r in m.relationships:
        us, them = people.get(r.ours_id), people.get(r.theirs_id)
        if us is None or them is None or us.status != "active" or them.status != "active":
            continue
        cells[them.name][us.name] = {"level": r.level, "target": r.target}
    return {"ours": [c.name for c in ours], "theirs": [c.name for c in theirs], "cells": cells}


def render_coverage(m: AccountMap, lang: str = "en", cols: int = 80) -> str:
    """The coverage matrix as text, at most ``cols`` columns wide: a row per person of theirs, a column per
    person of ours (level, →target when set; · when they do not know each other); more of our people than
    fit go to a second block."""
    data = coverage(m)
    ours, theirs, cells = data["ours"], data["theirs"], data["cells"]
    if not theirs or not ours:
        return _label(
            lang,
            "No matrix yet: the account needs people on both sides.",
            "还无法生成矩阵：双方都需要有联系人。",
        )
    name_w = min(24, max(width(n) for n in theirs) + 1)
    cell_w = min(13, max(6, max(width(o) for o in ours) + 1))
    per_block = max(1, (cols - name_w) // cell_w)
    blocks = []
    for start in range(0, len(ours), per_block):
        chunk = ours[start : start + per_block]
        lines = [fit("", name_w) + "".join(fit(o, cell_w - 1) + " " for o in chunk).rstrip()]
        for t in theirs:
            row = fit(t, name_w - 1) + " "
            for o in chunk:
                cell = cells[t].get(o)
                if cell is None or (cell["level"] == 0 and not cell["target"]):
                    text = "·"
                else:
                    text = str(cell["level"]) + (
                        f"→{cell['target']}" if cell["target"] and cell["target"] != cell["level"] else ""
                    )
                row += fit(text, cell_w - 1) + " "
            lines.append(row.rstrip())
        blocks.append("\n".join(lines))
    legend = _label(
        lang,
        "level now→target (1 acquaintance … 5 trusted); · = they do not know each other",
        "关系现状→目标（1 认识 … 5 深度信任）；· = 互不认识",
    )
    return "\n\n".join(blocks) + "\n" + legend
