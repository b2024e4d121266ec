"""Trainer reports for a class (Markdown, HTML, CSV) and a trainee's progress as text. Pure.

Order: the class summary first (trainees, questions, role-plays and their outcomes, the class's weakest
areas, its most frequent mistakes), then each trainee (areas weakest first, mistakes, scenarios played).
Names typed by users are escaped for the format (Markdown, HTML) or guarded (CSV cells that a spreadsheet
would run as a formula start with a quote).
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from coach.i18n import tr
from coach.training.progress import Area, Progress, Titles, mistake_label, name_of, top_mistakes

OUTCOMES = ("success", "partial", "fail", "left", "open")


@dataclass(frozen=True)
class Trainee:
    """One trainee's section of a report."""

    name: str
    created_at: str
    progress: Progress


def pct(share: float | None) -> str:
    """A share as a whole percentage, or ``-``."""
    return "-" if share is None else f"{int(share * 100 + 0.5)}%"  # half up: 62.5% shows as 63%


def _tally(right: int, total: int, lang: str) -> str:
    if not total:
        return "-"
    return tr(lang, "report.right-of", right=right, total=total, pct=pct(right / total))


def area_row(a: Area, names: Titles, lang: str) -> list[str]:
    """An area as table cells: name, drill, quiz, role-play, score."""
    rp = tr(lang, "rp.cell", good=a.good, bad=a.bad) if a.good + a.bad else "-"
    score = pct(a.score) if a.score is not None else tr(lang, "progress.not-practised")
    return [
        name_of(names, a.id, lang),
        _tally(a.drill.right, a.drill.total, lang),
        _tally(a.quiz.right, a.quiz.total, lang),
        rp,
        score,
    ]


def _outcomes(counts: dict[str, int], lang: str) -> str:
    parts = [f"{tr(lang, 'outcome.' + o)} {counts[o]}" for o in OUTCOMES if counts.get(o)]
    return ", ".join(parts) if parts else tr(lang, "report.nothing")


def _blocks(
    klass: str, trainees: list[Trainee], whole: Progress, names: Titles, lang: str, when: str
) -> list[tuple]:
    """The report as a list of blocks: ("h1"|"h2"|"h3"|"p", text) or ("table", headers, rows)."""
    area_head = [tr(lang, k) for k in ("col.area", "col.drill", "col.quiz", "col.roleplay", "col.score")]
    out: list[tuple] = [
        ("h1", tr(lang, "report.title", klass=klass)),
        ("p", tr(lang, "report.generated", when=when)),
    ]
    out.append(("h2", tr(lang, "report.summary")))
    out.append(
        (
            "table",
            ["", ""],
            [
                [tr(lang, "report.trainees"), str(len(trainees))],
                [tr(lang, "report.drill"), _tally(whole.drill_right, whole.drill_questions, lang)],
                [tr(lang, "report.quiz"), _tally(whole.quiz_right, whole.quiz_questions, lang)],
                [tr(lang, "report.roleplays"), str(whole.roleplays)],
                [tr(lang, "report.outcomes"), _outcomes(dict(whole.outcomes), lang)],
            ],
        )
    )
    out.append(("h3", tr(lang, "report.weakest")))
    out.append(("table", area_head, [area_row(a, names, lang) for a in whole.areas]))
    out.append(("h3", tr(lang, "report.class-mistakes")))
    out.append(_mistakes_table(whole, names, lang))
    for trainee in trainees:
        p = trainee.progress
        out.append(("h2", tr(lang, "report.trainee", name=trainee.name)))
        out.append(("p", tr(lang, "report.profile-since", when=trainee.created_at)))
        out.append(
            (
                "table",
                ["", ""],
                [
                    [tr(lang, "report.drill"), _tally(p.drill_right, p.drill_questions, lang)],
                    [tr(lang, "report.quiz"), _tally(p.quiz_right, p.quiz_questions, lang)],
                    [tr(lang, "report.roleplays"), str(p.roleplays)],
                    [tr(lang, "report.outcomes"), _outcomes(dict(p.outcomes), lang)],
                ],
            )
        )
        out.append(("h3", tr(lang, "progress.areas")))
        out.append(("table", area_head, [area_row(a, names, lang) for a in p.areas]))
        out.append(("h3", tr(lang, "progress.mistakes")))
        out.append(_mistakes_table(p, names, lang))
        out.append(("h3", tr(lang, "progress.scenarios")))
        if p.scenarios:
            out.append(
                (
                    "table",
                    [tr(lang, "col.scenario"), tr(lang, "col.count"), tr(lang, "col.outcomes")],
                    [
                        [s.title.get(lang) or s.id, str(s.played), _outcomes(s.outcomes, lang)]
                        for s in p.scenarios
                    ],
                )
            )
        else:
            out.append(("p", tr(lang, "report.nothing")))
    return out


def _mistakes_table(p: Progress, names: Titles, lang: str) -> tuple:
    rows = [[mistake_label(k, names, lang), str(n)] for k, n in top_mistakes(p.mistakes)]
    if not rows:
        return ("p", tr(lang, "report.nothing"))
    return ("table", [tr(lang, "col.mistake"), tr(lang, "col.count")], rows)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(text: str) -> str:
    """Text shown literally in Markdown (one line; markup characters escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def markdown(
    klass: str, trainees: list[Trainee], whole: Progress, names: Titles, lang: str, when: str
) -> str:
    """The class report as Markdown."""
    lines: list[str] = []
    for block in _blocks(klass, trainees, whole, names, lang, when):
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + md_escape(block[1]), ""]
        elif kind == "p":
            lines += [md_escape(block[1]), ""]
        else:
            head, rows = block[1], block[2]
            lines.append("| " + " | ".join(md_escape(h) for h in head) + " |")
            lines.append("|" + "---|" * len(head))
            lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)


def html_report(
    klass: str, trainees: list[Trainee], whole: Progress, names: Titles, lang: str, when: str
) -> str:
    """The class report as one self-contained HTML page."""
    e = html.escape
    body: list[str] = []
    title = ""
    for block in _blocks(klass, trainees, whole, names, lang, when):
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            title = title or block[1]
            body.append(f"<{kind}>{e(block[1])}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{e(block[1])}</p>")
        else:
            head = "".join(f"<th>{e(h)}</th>" for h in block[1]) if any(block[1]) else ""
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block[2])
            thead = f"<thead><tr>{head}</tr></thead>" if head else ""
            body.append(f"<table>{thead}<tbody>{rows}</tbody></table>")
    style = (
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .6rem;"
        "text-align:left}th{background:#f3f3f3}h2{border-top:2px solid #ddd;padding-top:1rem}"
    )
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8"><title>{e(title)}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


CSV_COLUMNS = [
    "section",
    "trainee",
    "id",
    "name",
    "drill_right",
    "drill_total",
    "quiz_right",
    "quiz_total",
    "roleplay_good",
    "roleplay_bad",
    "score",
    "count",
    "detail",
]
"""CSV columns; ``section`` is summary, area, mistake or scenario; an empty trainee is the whole class."""


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_rows(who: str, p: Progress, names: Titles, lang: str, trainees: int | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    summary = {
        "drill_questions": p.drill_questions,
        "drill_fully_right": p.drill_right,
        "quiz_questions": p.quiz_questions,
        "quiz_right": p.quiz_right,
        "roleplays": p.roleplays,
    }
    if trainees is not None:
        summary = {"trainees": trainees, **summary}
    summary.update({f"roleplays_{o}": p.outcomes.get(o, 0) for o in OUTCOMES})
    rows += [{"section": "summary", "trainee": who, "id": k, "count": v} for k, v in summary.items()]
    for a in p.areas:
        rows.append(
            {
                "section": "area",
                "trainee": who,
                "id": a.id,
                "name": name_of(names, a.id, lang),
                "drill_right": a.drill.right,
                "drill_total": a.drill.total,
                "quiz_right": a.quiz.right,
                "quiz_total": a.quiz.total,
                "roleplay_good": a.good,
                "roleplay_bad": a.bad,
                "score": "" if a.score is None else f"{a.score:.3f}",
            }
        )
    for key, n in top_mistakes(p.mistakes, limit=1000):
        rows.append(
            {
                "section": "mistake",
                "trainee": who,
                "id": ":".join(key),
                "name": mistake_label(key, names, lang),
                "count": n,
            }
        )
    for s in p.scenarios:
        detail = ";".join(f"{o}={s.outcomes[o]}" for o in OUTCOMES if s.outcomes.get(o))
        rows.append(
            {
                "section": "scenario",
                "trainee": who,
                "id": s.id,
                "name": s.title.get(lang) or s.id,
                "count": s.played,
                "detail": detail,
            }
        )
    return rows


def csv_report(klass: str, trainees: list[Trainee], whole: Progress, names: Titles, lang: str) -> str:
    """The class report as CSV: the class's rows (empty trainee) first, then each trainee's."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = _csv_rows("", whole, names, lang, len(trainees))
    for trainee in trainees:
        rows += _csv_rows(trainee.name, trainee.progress, names, lang, None)
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in CSV_COLUMNS})
    return buf.getvalue()


SPARK = "▁▂▃▄▅▆▇█"


def spark(shares: list[float]) -> str:
    """Shares (0..1) as a row of block heights, one character each."""
    return "".join(SPARK[min(len(SPARK) - 1, int(v * (len(SPARK) - 1) + 0.5))] for v in shares)


def bar(share: float | None, width: int = 20) -> str:
    """A share as a bar of full and light blocks (``width`` characters)."""
    if share is None:
        return "·" * width
    full = round(share * width)
    return "█" * full + "░" * (width - full)


def progress_text(name: str, klass: str, p: Progress, names: Titles, lang: str) -> str:
    """A trainee's progress as text: areas weakest first with bars, situations, sittings, mistakes."""
    lines = [tr(lang, "progress.title", name=name, klass=klass), ""]
    if p.empty:
        return "\n".join(lines + [tr(lang, "progress.none")]) + "\n"
    lines += [tr(lang, "progress.areas"), tr(lang, "progress.legend")]
    width = max(display_width(name_of(names, a.id, lang)) for a in p.areas)
    for a in p.areas:
        cells = area_row(a, names, lang)
        if a.score is None:
            lines.append(f"  {pad(cells[0], width)}  {bar(None)}  {cells[4]}")
            continue
        lines.append(f"  {pad(cells[0], width)}  {bar(a.score)}  {cells[4]:>4}  {spark(a.trend())}")
        lines.append(
            f"      {tr(lang, 'col.drill')} {cells[1]} · {tr(lang, 'col.quiz')} {cells[2]} · "
            f"{tr(lang, 'col.roleplay')} {cells[3]}"
        )
    if p.situations:
        lines += ["", tr(lang, "progress.situations")]
        shown = p.situations[:10]
        width = max(display_width(name_of(names, s.id, lang)) for s in shown)
        for s in shown:
            lines.append(
                f"  {pad(name_of(names, s.id, lang), width)}  {bar(s.score, 10)}  {pct(s.score):>4}  "
                f"({s.named.right}/{s.named.total} + {s.line.right}/{s.line.total})"
            )
    if p.timeline:
        lines += ["", tr(lang, "progress.timeline")]
        for s in p.timeline[-15:]:
            what = tr(lang, f"kind.{s.kind}") + (f" {s.label}" if s.label else "")
            extra = f"  {tr(lang, 'outcome.' + s.outcome)}" if s.outcome else ""
            lines.append(
                f"  {s.at[:16].replace('T', ' ')}  {bar(s.share, 10)}  {pct(s.share):>4}  {what}{extra}"
            )
    mistakes = top_mistakes(p.mistakes)
    if mistakes:
        lines += ["", tr(lang, "progress.mistakes")]
        lines += [f"  {n}×  {mistake_label(k, names, lang)}" for k, n in mistakes]
    if p.scenarios:
        lines += ["", tr(lang, "progress.scenarios")]
        lines += [
            f"  {s.title.get(lang) or s.id}: {s.played}×  ({_outcomes(s.outcomes, lang)})"
            for s in p.scenarios
        ]
    return "\n".join(lines) + "\n"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (Chinese characters take two)."""

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal columns."""
    return text + " " * max(0, width - display_width(text))
