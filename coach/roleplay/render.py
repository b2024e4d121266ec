"""Role-play as readable text (the plain terminal), Markdown and HTML (exported sessions), in English or
Chinese.

Works on the JSON-ready dicts of ``coach.roleplay.record`` / ``coach.store.sessions.get``, so a live
session and a saved one read the same. Pure: returns strings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from coach.clock import local_time
from coach.i18n import tr


def t(value: dict[str, str] | None, lang: str) -> str:
    """One language of a ``{"en", "zh"}`` text ('' for None)."""
    if not value:
        return ""
    return value.get(lang) or value.get("en") or ""


def intro(scenario: dict[str, Any], lang: str) -> str:
    """The briefing shown before the first turn: who, where, what you want, your limits."""
    c = tr(lang, "roleplay.colon")
    p = scenario["persona"]
    lines = [
        f"{tr(lang, 'roleplay.roleplay')}{c}{t(scenario['title'], lang)}",
        f"{tr(lang, 'roleplay.customer')}{c}{t(p['name'], lang)} — {t(p['role'], lang)}{tr(lang, 'roleplay.sep')}{t(p['retailer'], lang)}",
        f"  {t(p['temperament'], lang)}",
        f"{tr(lang, 'roleplay.setting')}{c}{t(scenario['setting'], lang)}",
        f"{tr(lang, 'roleplay.objective')}{c}{t(scenario['objective'], lang)}",
    ]
    if scenario["limits"]:
        lines.append(f"{tr(lang, 'roleplay.limits')}{c}".rstrip())
        lines += [f"  - {t(x, lang)}" for x in scenario["limits"]]
    return "\n".join(lines)


def customer_line(speaker: dict[str, str] | None, line: dict[str, str] | None, lang: str) -> str:
    """``[Name] “line”``."""
    return f"[{t(speaker, lang)}] {tr(lang, 'roleplay.q', text=t(line, lang))}"


def feedback_items(exchange: dict[str, Any], lang: str) -> list[tuple[int, str]]:
    """Feedback as (depth, text): each behaviour (good first) at depth 0 with why, principle, better lines
    and the blocker at depth 1; then the coach's note. Only what a trainee reads: titles, never ids, the
    detector's matches or the scenario's variables (those stay in the JSON export)."""
    c = tr(lang, "roleplay.colon")
    out: list[tuple[int, str]] = []
    behaviours = sorted(exchange["behaviours"], key=lambda b: not b["good"])
    if not behaviours:
        out.append((0, f"· {tr(lang, 'roleplay.none')}"))
    for b in behaviours:
        mark = "✓" if b["good"] else "✗"
        out.append(
            (
                0,
                f"{mark} {tr(lang, 'roleplay.good') if b['good'] else tr(lang, 'roleplay.bad')}{c}{t(b['title'], lang)}",
            )
        )
        if b.get("blocker"):
            out.append((1, f"‼ {tr(lang, 'roleplay.blocker')}{c}{t(b['blocker'], lang)}"))
        out.append((1, t(b["why"], lang)))
        if b["principles"]:
            names = tr(lang, "roleplay.list").join(t(p["title"], lang) for p in b["principles"])
            out.append((1, f"{tr(lang, 'roleplay.principle')}{c}{names}"))
        for line in b.get("better", []):
            out.append((1, f"{tr(lang, 'roleplay.better')}{c}{t(line, lang)}"))
    if exchange.get("note"):
        out.append((0, f"» {tr(lang, 'roleplay.coach')}{c}{t(exchange['note'], lang)}"))
    return out


def feedback_lines(exchange: dict[str, Any], lang: str, *, indent: str = "  ") -> list[str]:
    """``feedback_items`` as indented lines for the terminal."""
    return [f"{indent}{'    ' * depth}{text}" for depth, text in feedback_items(exchange, lang)]


def scorecard_line(scorecard: Iterable[dict[str, Any]], lang: str) -> str:
    """The running scorecard on one line: the principles scored so far (numbered as in the course)."""
    parts = [
        f"{i}. {short_title(t(row['title'], lang))} {row['score']:+d}"
        for i, row in enumerate(scorecard, 1)
        if row["score"]
    ]
    return f"{tr(lang, 'roleplay.score')}{tr(lang, 'roleplay.colon')}" + (
        " · ".join(parts) or tr(lang, "roleplay.score.zero")
    )


_NUMBERED = re.compile(r"^\d+\.\s*")


def short_title(title: str) -> str:
    """A principle's title without its number ("3. Speak with facts" -> "Speak with facts")."""
    return _NUMBERED.sub("", title)


def debrief_text(record: dict[str, Any], lang: str) -> str:
    """The debrief for the terminal: outcome, lesson, blockers, transcript, scorecard, best lines."""
    c = tr(lang, "roleplay.colon")
    d = record.get("debrief") or {}
    out = [f"=== {tr(lang, 'roleplay.debrief')}{c}{t(record['scenario']['title'], lang)} ==="]
    out.append(_outcome(record, lang))
    if d.get("last_line"):
        out.append(customer_line(record["scenario"]["persona"]["name"], d["last_line"], lang))
    if d.get("debrief"):
        out.append(t(d["debrief"], lang))
    out += [t(line, lang) for line in d.get("account", [])]
    for b in d.get("blocked", []):
        out.append(f"‼ {blocked_text(record, b, lang)}")
    out += ["", f"{tr(lang, 'roleplay.transcript')}{c}".rstrip()]
    n = 0
    for ex in record["transcript"]:
        tag = tr(lang, "roleplay.retried.tag") if ex.get("retried") else ""
        if not ex.get("retried"):
            n += 1
        mark = "↺" if ex.get("retried") else f"{n}."
        out.append(f"{mark} {customer_line(ex['speaker'], ex['line'], lang)}")
        out.append(f"   {tr(lang, 'roleplay.you')}{tag}{c}{ex['reply']}")
        out += feedback_lines(ex, lang, indent="   ")
    out += ["", f"{tr(lang, 'roleplay.score')}{c}".rstrip()]
    for i, row in enumerate(record.get("scorecard") or d.get("scorecard", []), 1):
        out.append(f"  {i}. {short_title(t(row['title'], lang))}{c}{row['score']:+d}")
    best = d.get("best_lines", [])
    if best:
        out += ["", f"{tr(lang, 'roleplay.best')}{c}".rstrip()]
        for b in best:
            out.append(f"  {t(b['title'], lang)}")
            out += [f"    - {t(line, lang)}" for line in b["lines"]]
    return "\n".join(out)


def _outcome(record: dict[str, Any], lang: str) -> str:
    c = tr(lang, "roleplay.colon")
    if record.get("outcome"):
        # The ending's own name when the scenario gives one; never its id (sessions saved before endings
        # had titles show the outcome alone).
        name = t((record.get("debrief") or {}).get("ending_title"), lang)
        return f"{tr(lang, 'roleplay.outcome')}{c}{tr(lang, 'roleplay.' + record['outcome'])}" + (
            f"{tr(lang, 'roleplay.dash')}{name}" if name else ""
        )
    if record.get("status") == "left":
        return f"{tr(lang, 'roleplay.outcome')}{c}{tr(lang, 'roleplay.left')}"
    return f"{tr(lang, 'roleplay.status')}{c}{tr(lang, 'roleplay.' + (record.get('status') or 'open'))}"


def blocked_text(record: dict[str, Any], blocked: dict[str, Any], lang: str) -> str:
    """A blocker in words: ``Blocker — this fails the attempt: Gives it away (reply 2) — why``."""
    n = reply_number(record, blocked.get("turn"))
    head = t(blocked.get("title"), lang) + (
        tr(lang, "roleplay.paren", text=tr(lang, "roleplay.reply.n", n=n)) if n else ""
    )
    return f"{tr(lang, 'roleplay.blocker')}{tr(lang, 'roleplay.colon')}{head.strip()}{tr(lang, 'roleplay.dash') if head else ''}{t(blocked.get('why'), lang)}"


def reply_number(record: dict[str, Any], turn: str | None) -> int | None:
    """The number (from 1) of the first standing reply made at ``turn``, as the transcript counts them."""
    n = 0
    for ex in record.get("transcript", []):
        if ex.get("retried"):
            continue
        n += 1
        if ex.get("turn") == turn:
            return n
    return None


# --------------------------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md(text: str) -> str:
    """User or content text made literal in Markdown (no headings, links, emphasis, lists or HTML)."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return re.sub(r"^(\d+)\.", r"\1\\.", re.sub(r"^([-+=])", r"\\\1", text))


def markdown(record: dict[str, Any], lang: str) -> str:
    """A saved session as a Markdown document for the trainer; every text escaped."""
    c = tr(lang, "roleplay.colon")
    sc = record["scenario"]
    p = sc["persona"]
    out = [f"# {tr(lang, 'roleplay.roleplay')}{c}{md(t(sc['title'], lang))} (#{record['id']})", ""]
    if record.get("trainee"):
        out.append(f"- {tr(lang, 'roleplay.trainee')}{c}{md(record['trainee'])}")
    out.append(
        f"- {tr(lang, 'roleplay.customer')}{c}{md(t(p['name'], lang))} — {md(t(p['role'], lang))}{tr(lang, 'roleplay.sep')}"
        f"{md(t(p['retailer'], lang))}"
    )
    out.append(f"- {tr(lang, 'roleplay.objective')}{c}{md(t(sc['objective'], lang))}")
    out.append(f"- {tr(lang, 'roleplay.started')}{c}{local_time(record['started_at'])}")
    if record.get("ended_at"):
        out.append(f"- {tr(lang, 'roleplay.ended')}{c}{local_time(record['ended_at'])}")
    out.append(f"- {md(_outcome(record, lang))}")
    d = record.get("debrief") or {}
    out += ["", f"## {tr(lang, 'roleplay.debrief')}", ""]
    if d.get("debrief"):
        out.append(md(t(d["debrief"], lang)))
    if d.get("account"):
        out.append("")
        # One list item per sentence of the account; its own sub-items ("  - reply 2: ...") stay nested.
        for line in d["account"]:
            said = t(line, lang)
            nested = said.startswith("  - ")
            out.append(f"{'  ' if nested else ''}- {md(said.removeprefix('  - '))}")
    for b in d.get("blocked", []):
        out += ["", f"‼ {md(blocked_text(record, b, lang))}"]
    out += ["", f"## {tr(lang, 'roleplay.transcript')}", ""]
    for ex in record["transcript"]:
        tag = f" *({tr(lang, 'roleplay.retried')})*" if ex.get("retried") else ""
        out.append(f"> **{md(t(ex['speaker'], lang))}**{c}{md(t(ex['line'], lang))}")
        out.append("")
        out.append(f"**{tr(lang, 'roleplay.you')}**{tag}{c}{md(ex['reply'])}")
        out.append("")
        for depth, line in feedback_items(ex, lang):
            out.append(f"{'  ' * depth}- {md(line.strip())}")
        out.append("")
    out += [f"## {tr(lang, 'roleplay.score')}", "", "| # | | |", "|---|---|---|"]
    for i, row in enumerate(record.get("scorecard") or [], 1):
        out.append(f"| {i} | {md(short_title(t(row['title'], lang)))} | {row['score']:+d} |")
    best = d.get("best_lines", [])
    if best:
        out += ["", f"## {tr(lang, 'roleplay.best')}", ""]
        for b in best:
            out.append(f"**{md(t(b['title'], lang))}**")
            out.append("")
            out += [f"- {md(t(line, lang))}" for line in b["lines"]]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------------------------------------- HTML

_CSS = """
body { font: 10.5pt/1.4 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; color: #111;
       max-width: 190mm; margin: 0 auto; }
h1 { font-size: 14pt; } h2 { font-size: 11pt; border-bottom: 1px solid #999; }
blockquote { margin: 6pt 0 2pt; color: #333; } ul { margin: 2pt 0 8pt; } li.d1 { margin-left: 12pt; }
li.retried, p.retried { color: #888; } table { border-collapse: collapse; }
th, td { border: 1px solid #bbb; padding: 1pt 4pt; text-align: left; }
"""


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def html_page(record: dict[str, Any], lang: str) -> str:
    """A saved session as one HTML page for the trainer: the same content as ``markdown``, every text
    escaped, no scripts or external files."""
    c = tr(lang, "roleplay.colon")
    sc = record["scenario"]
    p = sc["persona"]
    title = f"{tr(lang, 'roleplay.roleplay')}{c}{t(sc['title'], lang)} (#{record['id']})"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        # No scripts, images or fetches can run even if something slipped past the escaping.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_h(title)}</title><style>{_CSS}</style></head>",
        "<body>",
        f"<h1>{_h(title)}</h1>",
        "<ul>",
    ]
    facts = []
    if record.get("trainee"):
        facts.append(f"{tr(lang, 'roleplay.trainee')}{c}{record['trainee']}")
    facts.append(
        f"{tr(lang, 'roleplay.customer')}{c}{t(p['name'], lang)} — {t(p['role'], lang)}{tr(lang, 'roleplay.sep')}{t(p['retailer'], lang)}"
    )
    facts.append(f"{tr(lang, 'roleplay.objective')}{c}{t(sc['objective'], lang)}")
    facts.append(f"{tr(lang, 'roleplay.started')}{c}{local_time(record['started_at'])}")
    if record.get("ended_at"):
        facts.append(f"{tr(lang, 'roleplay.ended')}{c}{local_time(record['ended_at'])}")
    facts.append(_outcome(record, lang))
    out += [f"<li>{_h(f)}</li>" for f in facts] + ["</ul>"]
    d = record.get("debrief") or {}
    out.append(f"<h2>{_h(tr(lang, 'roleplay.debrief'))}</h2>")
    if d.get("debrief"):
        out.append(f"<p>{_h(t(d['debrief'], lang))}</p>")
    if d.get("account"):
        out.append("<ul>")
        for line in d["account"]:
            said = t(line, lang)
            depth = 1 if said.startswith("  - ") else 0
            out.append(f'<li class="d{depth}">{_h(said.removeprefix("  - "))}</li>')
        out.append("</ul>")
    for b in d.get("blocked", []):
        out.append(f"<p><strong>‼ {_h(blocked_text(record, b, lang))}</strong></p>")
    out.append(f"<h2>{_h(tr(lang, 'roleplay.transcript'))}</h2>")
    for ex in record["transcript"]:
        cls = ' class="retried"' if ex.get("retried") else ""
        tag = tr(lang, "roleplay.retried.tag") if ex.get("retried") else ""
        who, said = _h(t(ex["speaker"], lang)), _h(c + t(ex["line"], lang))
        out.append(f"<blockquote><strong>{who}</strong>{said}</blockquote>")
        out.append(f"<p{cls}><strong>{_h(tr(lang, 'roleplay.you') + tag)}</strong>{_h(c + ex['reply'])}</p>")
        out.append("<ul>")
        out += [f'<li class="d{depth}">{_h(line.strip())}</li>' for depth, line in feedback_items(ex, lang)]
        out.append("</ul>")
    out += [f"<h2>{_h(tr(lang, 'roleplay.score'))}</h2>", "<table>"]
    for i, row in enumerate(record.get("scorecard") or [], 1):
        name = _h(short_title(t(row["title"], lang)))
        out.append(f"<tr><td>{i}</td><td>{name}</td><td>{row['score']:+d}</td></tr>")
    out.append("</table>")
    best = d.get("best_lines", [])
    if best:
        out.append(f"<h2>{_h(tr(lang, 'roleplay.best'))}</h2>")
        for b in best:
            out.append(f"<h3>{_h(t(b['title'], lang))}</h3><ul>")
            out += [f"<li>{_h(t(line, lang))}</li>" for line in b["lines"]]
            out.append("</ul>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
