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

from coach.content.plans import PART_NAMES, gaps
from coach.i18n import tr
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

    sep = tr(lang, "brief.sep")
    subtitle_parts = []
    if plan.date:
        subtitle_parts.append(f"{tr(lang, 'brief.date')}{tr(lang, 'brief.colon')}{plan.date}")
    if plan_id is not None:
        subtitle_parts.append(tr(lang, "brief.plan", id=plan_id, version=version or 1))
    out: list[Section] = []

    objectives = Section("objectives", tr(lang, "brief.objectives"))
    for o in plan.objectives:
        objectives.items.append(
            ("★ " + tr(lang, "brief.must") if o.priority == "must" else "☆ " + tr(lang, "brief.nice"), o.text)
        )
    out.append(objectives)

    alt = plan.alternatives
    walk = Section("walk_away", tr(lang, "brief.walk_away"))
    if alt.walk_away:
        walk.items.append(("", alt.walk_away))
    for lim in alt.limits:
        walk.items.append(
            (
                "",
                tr(
                    lang,
                    "brief.limit",
                    type=TYPE_LABELS[lang][lim.type],
                    amount=amount(lim.max.value, lim.max.unit, lang),
                ),
            )
        )
    for s in alt.stages:
        walk.items.append(
            (f"{tr(lang, 'brief.alternatives')} · {tr(lang, 'brief.stage.' + s.stage)}", s.alternative)
        )
    out.append(walk)

    table = Section(
        "concessions",
        tr(lang, "brief.concessions"),
        header=[
            tr(lang, "brief.col.n"),
            tr(lang, "brief.col.give"),
            tr(lang, "brief.col.type"),
            tr(lang, "brief.col.cost"),
            tr(lang, "brief.col.value"),
            tr(lang, "brief.col.ask"),
            tr(lang, "brief.col.limit"),
        ],
    )
    for n, item in enumerate(plan.tradeables, 1):
        table.rows.append(
            [
                str(n),
                item.item,
                TYPE_LABELS[lang][item.type],
                tr(lang, f"brief.level.{item.cost}"),
                tr(lang, f"brief.level.{item.value}"),
                item.ask,
                amount(item.limit.value, item.limit.unit, lang) if item.limit else "—",
            ]
        )
    out.append(table)

    if plan.expected_tactics:
        tactics = Section("tactics", tr(lang, "brief.tactics"))
        for e in plan.expected_tactics:
            g = notes.get(e.tactic)
            title = (g.title.get(lang) if g else None) or readable(e.tactic)
            tactics.items.append((title, ""))
            if e.note:
                tactics.items.append((f"  {tr(lang, 'brief.note')}", e.note))
            steps = list(g.steps.get(lang, []))[:COUNTER_STEPS] if g else []
            if steps:
                tactics.items.append(
                    (f"  {tr(lang, 'brief.counter')}", ("" if lang == "zh" else " ").join(steps))
                )
            else:
                tactics.items.append((f"  {tr(lang, 'brief.counter')}", tr(lang, "brief.no_counter")))
            says = figure_free(g.say.get(lang, []) if g else [])[:1]
            for line in says:
                tactics.items.append((f"  {tr(lang, 'brief.say')}", f"“{line}”"))
        out.append(tactics)

    if plan.facts:
        out.append(Section("facts", tr(lang, "brief.facts"), [(f.figure, f.source) for f in plan.facts]))
    if plan.value_delivered:
        out.append(Section("value", tr(lang, "brief.value"), [("", v) for v in plan.value_delivered]))
    if plan.issues:
        issues = Section("issues", tr(lang, "brief.issues"))
        for i in plan.issues:
            stands = sep.join(
                x
                for x in (
                    f"{tr(lang, 'brief.ours')}: {i.ours}" if i.ours else "",
                    f"{tr(lang, 'brief.theirs')}: {i.theirs}" if i.theirs else "",
                )
                if x
            )
            issues.items.append((i.issue, stands))
        out.append(issues)

    lines = Section("lines", tr(lang, "brief.lines"))
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
    room = Section("room", tr(lang, "brief.room"))
    for label, values in (
        (tr(lang, "brief.agenda"), p.agenda),
        (tr(lang, "brief.our_team"), [_person(x) for x in p.ours]),
        (
            tr(lang, "brief.their_team"),
            [_person(x) for x in p.theirs] if people is None else [],
        ),  # named above
        (tr(lang, "brief.materials"), p.materials),
        (tr(lang, "brief.checklist"), [("☑ " if c.done else "☐ ") + c.item for c in p.checklist]),
    ):
        if values:
            room.items.append(
                (label, sep.join(values) if label != tr(lang, "brief.agenda") else " → ".join(values))
            )
    if room.items:
        out.append(room)
    if plan.record:
        out.append(Section("record", tr(lang, "brief.record"), [("", r) for r in plan.record]))
    missing = gaps(plan)
    if missing:
        out.append(
            Section("gaps", tr(lang, "brief.gaps"), [("", sep.join(PART_NAMES[lang][g] for g in missing))])
        )
    return Brief(
        lang,
        f"{tr(lang, 'brief.title')}{tr(lang, 'brief.colon')}{plan.account} — {plan.meeting}",
        " · ".join(subtitle_parts),
        out,
    )


def plan_line(plan: Plan, rule_id: str, lang: str) -> str | None:
    """The line for a principle built from the plan's own facts, value and give-get pairs, quoted; a note
    that they are missing when value or facts are absent; None where the plan has nothing to build on
    (a trade without give-gets, principles the plan does not feed)."""
    sep = tr(lang, "brief.line.items")
    if rule_id == "principle.use-facts":
        if not plan.facts:
            return tr(lang, "brief.missing.facts")
        items = sep.join(
            tr(lang, "brief.line.fact", figure=_inline(f.figure, lang), source=f.source)
            for f in plan.facts[:PLAN_ITEMS]
        )
        return f"“{tr(lang, 'brief.line.facts', items=items)}”"
    if rule_id == "principle.restate-value":
        if not plan.value_delivered:
            return tr(lang, "brief.missing.value")
        items = sep.join(_inline(v, lang) for v in plan.value_delivered[:PLAN_ITEMS])
        return f"“{tr(lang, 'brief.line.value', items=items)}”"
    if rule_id == "principle.trade-concessions" and plan.tradeables:
        first = plan.tradeables[0]
        give, ask = (_inline(x, lang) for x in (first.item, first.ask))
        return f"“{tr(lang, 'brief.line.trade', give=give, ask=ask)}”"
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
        colon = tr(brief.lang, "brief.colon").strip()
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
            colon = tr(brief.lang, "brief.colon").strip()
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
