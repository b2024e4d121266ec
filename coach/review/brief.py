"""The one-page meeting brief: a plan plus the playbooks' counters and lines, as Markdown or HTML. Pure.

The brief is built once as plain sections (``sections``) and then written in either format, so both say
the same. Every piece of text — the user's and the playbooks' — is escaped for the format: nothing in a
plan can add markup, links or scripts to the brief.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.review.concessions import TYPE_LABELS, amount

if TYPE_CHECKING:
    from coach.content.plans import Plan
    from coach.review.plans import Guidance

LINE_PRINCIPLES = (
    "principle.restate-value",
    "principle.use-facts",
    "principle.dont-get-stuck",
    "principle.trade-concessions",
    "principle.know-alternatives",
)
"""Principles with a line in the brief's "lines to say": value, facts and the trade are built from the
plan's own parts; the others (and a trade when the plan has none) are the playbook's first line that
quotes no figure, since a KAM may repeat it to the buyer word for word."""
FROM_PLAN = ("principle.restate-value", "principle.use-facts", "principle.trade-concessions")
"""Lines built from the plan: value delivered, facts with their source, the first give-get pair."""
PLAN_ITEMS = 2
"""Facts (or value items) quoted in one line."""
COUNTER_STEPS = 2
"""Steps of each tactic's counter shown (the brief is one page)."""

L = {
    "en": {
        "title": "Meeting brief",
        "plan": "meeting plan {id}, version {version}",
        "date": "Date",
        "objectives": "What we want",
        "must": "must",
        "nice": "nice to have",
        "walk_away": "Walk-away point",
        "limit": "{type}: at most {amount} in total",
        "alternatives": "Best alternative",
        "concessions": "Concession plan (offer in this order)",
        "col.n": "#",
        "col.give": "We give",
        "col.type": "Type",
        "col.cost": "Cost to us",
        "col.value": "Value to them",
        "col.ask": "We ask in return",
        "col.limit": "Limit",
        "tactics": "Expected tactics and counters",
        "note": "Note",
        "counter": "Counter",
        "say": "Say",
        "no_counter": "no playbook loaded for this tactic",
        "facts": "Facts to cite",
        "value": "Value to restate",
        "issues": "Issues on the table",
        "ours": "us",
        "theirs": "them",
        "lines": "Lines to say",
        "line.value": "Before we look at next year, a recap of what we did together: {items}.",
        "line.facts": "Let's look at the figures: {items}.",
        "line.fact": "{figure} ({source})",
        "line.trade": "We can do {give} if we get {ask} in return.",
        "line.items": "; ",
        "missing.value": "No value delivered in the plan yet: add what you have done for them, with figures "
        "you can show, before you restate it.",
        "missing.facts": "No facts in the plan yet: add figures with their source before the meeting, and "
        "quote none you cannot show.",
        "room": "In the room",
        "agenda": "Agenda",
        "our_team": "Our team",
        "their_team": "Their team",
        "materials": "Materials",
        "checklist": "Checklist",
        "record": "Record after the meeting",
        "gaps": "Not prepared yet",
        "level.low": "low",
        "level.medium": "medium",
        "level.high": "high",
        "stage.opening": "opening",
        "stage.bargaining": "bargaining",
        "stage.closing": "closing",
        "stage.after-deal": "after the deal",
        "sep": ", ",
        "colon": ": ",
    },
    "zh": {
        "title": "会前简报",
        "plan": "会谈计划 {id}，第 {version} 版",
        "date": "日期",
        "objectives": "我们要什么",
        "must": "必须",
        "nice": "争取",
        "walk_away": "底线",
        "limit": "{type}：累计最多 {amount}",
        "alternatives": "最佳选择",
        "concessions": "让步计划（按此顺序提出）",
        "col.n": "#",
        "col.give": "我们给",
        "col.type": "类型",
        "col.cost": "我方成本",
        "col.value": "对客户的价值",
        "col.ask": "要求换回",
        "col.limit": "上限",
        "tactics": "预计的采购手段与应对",
        "note": "备注",
        "counter": "应对",
        "say": "可以这样说",
        "no_counter": "没有加载这个手段的应对手册",
        "facts": "要引用的事实",
        "value": "要重申的价值",
        "issues": "谈判议题",
        "ours": "我方",
        "theirs": "对方",
        "lines": "会上要说的话",
        "line.value": "谈明年之前，先回顾一下我们一起做的：{items}。",
        "line.facts": "我们一起看下数据：{items}。",
        "line.fact": "{figure}（{source}）",
        "line.trade": "如果能换回{ask}，{give}我们可以考虑。",
        "line.items": "；",
        "missing.value": "计划里还没写我们为客户做过什么：先补上，附上拿得出手的数据，再去重申价值。",
        "missing.facts": "计划里还没有事实数据：会前先补上数据和出处，拿不出来的数字一个都别说。",
        "room": "会议安排",
        "agenda": "议程",
        "our_team": "我方人员",
        "their_team": "对方人员",
        "materials": "资料",
        "checklist": "准备清单",
        "record": "会后记录",
        "gaps": "还没有准备",
        "level.low": "低",
        "level.medium": "中",
        "level.high": "高",
        "stage.opening": "开场",
        "stage.bargaining": "讨价还价",
        "stage.closing": "收尾",
        "stage.after-deal": "成交后",
        "sep": "、",
        "colon": "：",
    },
}
"""The brief's headings and words, per language."""


@dataclass
class Section:
    """A heading and its content: bullet items (each a (label, text) pair; label may be empty), or a table."""

    key: str
    title: str
    items: list[tuple[str, str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Brief:
    """Everything on the page, in order, already in one language."""

    lang: str
    title: str
    subtitle: str
    sections: list[Section]


def _person(p: object) -> str:
    name, role = getattr(p, "name"), getattr(p, "role")  # noqa: B009 - Person, typed loosely to stay pure
    return f"{name} ({role})" if role else name


def build(
    plan: Plan,
    notes: Mapping[str, Guidance],
    lang: str = "en",
    *,
    plan_id: int | None = None,
    version: int | None = None,
    people: Section | None = None,
) -> Brief:
    """The brief's sections for ``plan`` in ``lang``; ``notes`` holds the playbooks' guidance by rule id;
    ``people`` (who of theirs is in the room, from the key account's map) goes before the logistics."""
    from coach.content.plans import PART_NAMES, gaps

    t = L[lang]
    sep = t["sep"]
    subtitle_parts = []
    if plan.date:
        subtitle_parts.append(f"{t['date']}{t['colon']}{plan.date}")
    if plan_id is not None:
        subtitle_parts.append(t["plan"].format(id=plan_id, version=version or 1))
    out: list[Section] = []

    objectives = Section("objectives", t["objectives"])
    for o in plan.objectives:
        objectives.items.append(("★ " + t["must"] if o.priority == "must" else "☆ " + t["nice"], o.text))
    out.append(objectives)

    alt = plan.alternatives
    walk = Section("walk_away", t["walk_away"])
    if alt.walk_away:
        walk.items.append(("", alt.walk_away))
    for lim in alt.limits:
        walk.items.append(
            (
                "",
                t["limit"].format(
                    type=TYPE_LABELS[lang][lim.type], amount=amount(lim.max.value, lim.max.unit, lang)
                ),
            )
        )
    for s in alt.stages:
        walk.items.append((f"{t['alternatives']} · {t['stage.' + s.stage]}", s.alternative))
    out.append(walk)

    table = Section(
        "concessions",
        t["concessions"],
        header=[
            t["col.n"],
            t["col.give"],
            t["col.type"],
            t["col.cost"],
            t["col.value"],
            t["col.ask"],
            t["col.limit"],
        ],
    )
    for n, item in enumerate(plan.tradeables, 1):
        table.rows.append(
            [
                str(n),
                item.item,
                TYPE_LABELS[lang][item.type],
                t[f"level.{item.cost}"],
                t[f"level.{item.value}"],
                item.ask,
                amount(item.limit.value, item.limit.unit, lang) if item.limit else "—",
            ]
        )
    out.append(table)

    if plan.expected_tactics:
        tactics = Section("tactics", t["tactics"])
        for e in plan.expected_tactics:
            g = notes.get(e.tactic)
            title = (g.title.get(lang) if g else None) or readable(e.tactic)
            tactics.items.append((title, ""))
            if e.note:
                tactics.items.append((f"  {t['note']}", e.note))
            steps = list(g.steps.get(lang, []))[:COUNTER_STEPS] if g else []
            if steps:
                tactics.items.append((f"  {t['counter']}", ("" if lang == "zh" else " ").join(steps)))
            else:
                tactics.items.append((f"  {t['counter']}", t["no_counter"]))
            says = figure_free(g.say.get(lang, []) if g else [])[:1]
            for line in says:
                tactics.items.append((f"  {t['say']}", f"“{line}”"))
        out.append(tactics)

    if plan.facts:
        out.append(Section("facts", t["facts"], [(f.figure, f.source) for f in plan.facts]))
    if plan.value_delivered:
        out.append(Section("value", t["value"], [("", v) for v in plan.value_delivered]))
    if plan.issues:
        issues = Section("issues", t["issues"])
        for i in plan.issues:
            stands = sep.join(
                x
                for x in (
                    f"{t['ours']}: {i.ours}" if i.ours else "",
                    f"{t['theirs']}: {i.theirs}" if i.theirs else "",
                )
                if x
            )
            issues.items.append((i.issue, stands))
        out.append(issues)

    lines = Section("lines", t["lines"])
    for rule_id in LINE_PRINCIPLES:
        g = notes.get(rule_id)
        title = (g.title.get(lang) if g else None) or readable(rule_id)
        line = plan_line(plan, rule_id, lang)
        if line is None:
            says = figure_free(g.say.get(lang, []) if g else [])
            line = f"“{says[0]}”" if says else None
        if line:
            lines.items.append((title, line))
    if lines.items:
        out.append(lines)

    if people is not None:
        out.append(people)
    p = plan.professionalism
    room = Section("room", t["room"])
    for label, values in (
        (t["agenda"], p.agenda),
        (t["our_team"], [_person(x) for x in p.ours]),
        (t["their_team"], [_person(x) for x in p.theirs] if people is None else []),  # named above
        (t["materials"], p.materials),
        (t["checklist"], [("☑ " if c.done else "☐ ") + c.item for c in p.checklist]),
    ):
        if values:
            room.items.append((label, sep.join(values) if label != t["agenda"] else " → ".join(values)))
    if room.items:
        out.append(room)
    if plan.record:
        out.append(Section("record", t["record"], [("", r) for r in plan.record]))
    missing = gaps(plan)
    if missing:
        out.append(Section("gaps", t["gaps"], [("", sep.join(PART_NAMES[lang][g] for g in missing))]))
    return Brief(
        lang, f"{t['title']}{t['colon']}{plan.account} — {plan.meeting}", " · ".join(subtitle_parts), out
    )


def plan_line(plan: Plan, rule_id: str, lang: str) -> str | None:
    """The line for a principle built from the plan's own facts, value and give-get pairs, quoted; a note
    that they are missing when value or facts are absent; None where the plan has nothing to build on
    (a trade without give-gets, principles the plan does not feed)."""
    t = L[lang]
    sep = t["line.items"]
    if rule_id == "principle.use-facts":
        if not plan.facts:
            return t["missing.facts"]
        items = sep.join(
            t["line.fact"].format(figure=_inline(f.figure, lang), source=f.source)
            for f in plan.facts[:PLAN_ITEMS]
        )
        return f"“{t['line.facts'].format(items=items)}”"
    if rule_id == "principle.restate-value":
        if not plan.value_delivered:
            return t["missing.value"]
        items = sep.join(_inline(v, lang) for v in plan.value_delivered[:PLAN_ITEMS])
        return f"“{t['line.value'].format(items=items)}”"
    if rule_id == "principle.trade-concessions" and plan.tradeables:
        first = plan.tradeables[0]
        give, ask = (_inline(x, lang) for x in (first.item, first.ask))
        return f"“{t['line.trade'].format(give=give, ask=ask)}”"
    return None


_DIGIT = re.compile(r"\d")
_NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|hundred|thousand|million|billion|half|double|twice|triple)\b",
    re.IGNORECASE,
)
_CN_NUMBER = re.compile(r"([零一二两三四五六七八九十百千万亿半]+)[个家期点天周年月箱倍成块元分层版排款%％]")


def has_figures(text: str) -> bool:
    """Whether a line quotes a figure (digits, number words, Chinese numerals with a measure): such a
    playbook line is an example with made-up numbers, not something to repeat to this buyer."""
    if _DIGIT.search(text) or _NUMBER_WORD.search(text):
        return True
    # A lone 一 before a measure word is the article ("多一个促销员": an extra promoter), not a figure.
    return any(m.group(1) != "一" for m in _CN_NUMBER.finditer(text))


def figure_free(lines: Sequence[str]) -> list[str]:
    """The lines that quote no figure, in order."""
    return [line for line in lines if not has_figures(line)]


def readable(rule_id: str) -> str:
    """A name for a rule nothing names: ``tactic.silent-treatment`` -> ``Silent treatment``."""
    words = rule_id.split(".", 1)[-1].replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _inline(text: str, lang: str) -> str:
    """Plan text inside an English sentence: a capital first letter lowered unless it starts an acronym."""
    if lang == "en" and len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


# -------------------------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")


def md_escape(text: str) -> str:
    """Text that a Markdown viewer shows literally: no emphasis, links, HTML, headings or table cells."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    # At the start of a line "1." would begin a numbered list, "-", "+" or "=" a bullet or a heading.
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", re.sub(r"^([-+=])", r"\\\1", text))


def to_markdown(brief: Brief) -> str:
    """The brief as Markdown."""
    out = [f"# {md_escape(brief.title)}", ""]
    if brief.subtitle:
        out += [md_escape(brief.subtitle), ""]
    for s in brief.sections:
        out += [f"## {md_escape(s.title)}", ""]
        if s.header:
            out.append("| " + " | ".join(md_escape(h) for h in s.header) + " |")
            out.append("|" + "---|" * len(s.header))
            for row in s.rows:
                out.append("| " + " | ".join(md_escape(c) for c in row) + " |")
        colon = L[brief.lang]["colon"].strip()
        for label, text in s.items:
            indent = "  " if label.startswith("  ") else ""
            label = label.strip()
            if label and text:
                out.append(f"{indent}- **{md_escape(label)}{colon}** {md_escape(text)}")
            elif label:
                out.append(f"{indent}- **{md_escape(label)}**")
            else:
                out.append(f"{indent}- {md_escape(text)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------------------------------------ HTML

_CSS = """
@page { size: A4; margin: 12mm; }
body { font: 10pt/1.35 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; color: #111; max-width: 190mm;
       margin: 0 auto; }
h1 { font-size: 14pt; margin: 0 0 2pt; }
h2 { font-size: 10.5pt; margin: 8pt 0 2pt; border-bottom: 1px solid #999; text-transform: none; }
p.sub { color: #555; margin: 0 0 4pt; }
ul { margin: 0; padding-left: 14pt; }
li { margin: 0; }
li.sub { list-style: none; margin-left: 8pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #bbb; padding: 1pt 3pt; text-align: left; vertical-align: top; }
th { background: #eee; }
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def to_html(brief: Brief) -> str:
    """The brief as one printable HTML page (no scripts, no external files)."""
    lang = "zh-CN" if brief.lang == "zh" else "en"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        # No scripts, images or fetches can run even if something slipped past the escaping.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_h(brief.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_h(brief.title)}</h1>",
    ]
    if brief.subtitle:
        out.append(f'<p class="sub">{_h(brief.subtitle)}</p>')
    for s in brief.sections:
        out.append(f'<section class="{_h(s.key)}">')
        out.append(f"<h2>{_h(s.title)}</h2>")
        if s.header:
            out.append("<table>")
            out.append("<tr>" + "".join(f"<th>{_h(h)}</th>" for h in s.header) + "</tr>")
            for row in s.rows:
                out.append("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>")
            out.append("</table>")
        if s.items:
            out.append("<ul>")
            colon = L[brief.lang]["colon"].strip()
            for label, text in s.items:
                cls = ' class="sub"' if label.startswith("  ") else ""
                label = label.strip()
                if label and text:
                    out.append(f"<li{cls}><strong>{_h(label)}{colon}</strong> {_h(text)}</li>")
                elif label:
                    out.append(f"<li{cls}><strong>{_h(label)}</strong></li>")
                else:
                    out.append(f"<li{cls}>{_h(text)}</li>")
            out.append("</ul>")
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def render(
    plan: Plan,
    notes: Mapping[str, Guidance],
    fmt: str,
    lang: str = "en",
    *,
    plan_id: int | None = None,
    version: int | None = None,
    people: Section | None = None,
) -> str:
    """The brief in ``fmt`` (``md`` or ``html``)."""
    brief = build(plan, notes, lang, plan_id=plan_id, version=version, people=people)
    return to_html(brief) if fmt == "html" else to_markdown(brief)


def guidance_ids(plan: Plan) -> Sequence[str]:
    """Rule ids the brief draws on: the expected tactics and the principles with lines to say."""
    return [*(e.tactic for e in plan.expected_tactics), *LINE_PRINCIPLES]
