"""Role-play as readable text (the plain terminal) and Markdown (exported sessions), in English or Chinese.

Works on the JSON-ready dicts of ``coach.roleplay.record`` / ``coach.store.sessions.get``, so a live
session and a saved one read the same. Pure: returns strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "roleplay": "Role-play",
        "customer": "Customer",
        "setting": "Setting",
        "objective": "Your objective",
        "limits": "Your limits",
        "how": "Type your reply and press Enter. /retry takes back your last reply, /quit leaves.",
        "you": "You",
        "none": "No behaviour the playbooks track was found in this reply.",
        "good": "Good",
        "bad": "Watch out",
        "blocker": "Blocker — this fails the attempt",
        "principle": "Principle",
        "better": "Better",
        "signals": "found",
        "coach": "Coach",
        "score": "Scorecard",
        "score.zero": "no principle scored yet",
        "debrief": "Debrief",
        "outcome": "Outcome",
        "ending": "ending",
        "left": "left before the end",
        "transcript": "Transcript",
        "retried": "taken back",
        "retried.tag": " (taken back)",
        "sep": ", ",
        "best": "Best lines from the playbooks",
        "saved": "Session saved as #{id} (`coach sessions show {id}`).",
        "not-saved": "Nothing was saved: no reply was made.",
        "retry.done": "Your last reply was taken back. The customer repeats:",
        "retry.none": "Nothing to take back yet.",
        "after-end": "Type /retry to take back your last reply and try that turn again; anything else ends.",
        "trainee": "Trainee",
        "started": "Started",
        "ended": "Ended",
        "status": "Status",
        "success": "success",
        "partial": "partial",
        "fail": "fail",
        "open": "open (not finished)",
        "finished": "finished",
        "colon": ": ",
        "q": "“{}”",
    },
    "zh": {
        "roleplay": "角色扮演",
        "customer": "客户",
        "setting": "场景",
        "objective": "你的目标",
        "limits": "你的底线",
        "how": "输入你的回复后按回车。/retry 撤回上一句，/quit 退出。",
        "you": "你",
        "none": "这句话里没有发现需要点评的行为。",
        "good": "做得好",
        "bad": "注意",
        "blocker": "致命错误——本次练习判为失败",
        "principle": "相关原则",
        "better": "更好的说法",
        "signals": "依据",
        "coach": "教练点评",
        "score": "原则得分",
        "score.zero": "暂无得分",
        "debrief": "复盘",
        "outcome": "结果",
        "ending": "结局",
        "left": "中途退出",
        "transcript": "对话记录",
        "retried": "已撤回",
        "retried.tag": "（已撤回）",
        "sep": "，",
        "best": "手册里的好说法",
        "saved": "本次练习已保存为 #{id}（`coach sessions show {id}`）。",
        "not-saved": "没有回复，未保存。",
        "retry.done": "上一句已撤回。客户重复道：",
        "retry.none": "还没有可以撤回的回复。",
        "after-end": "输入 /retry 撤回最后一句、重新回答这一轮；输入其他内容则退出。",
        "trainee": "学员",
        "started": "开始时间",
        "ended": "结束时间",
        "status": "状态",
        "success": "成功",
        "partial": "部分成功",
        "fail": "失败",
        "open": "进行中（未完成）",
        "finished": "已完成",
        "colon": "：",
        "q": "“{}”",
    },
}


def label(lang: str, key: str, **values: Any) -> str:
    """A label in ``lang`` (English when the language is unknown)."""
    text = LABELS.get(lang, LABELS["en"])[key]
    return text.format(**values) if values else text


def t(value: dict[str, str] | None, lang: str) -> str:
    """One language of a ``{"en", "zh"}`` text ('' for None)."""
    if not value:
        return ""
    return value.get(lang) or value.get("en") or ""


def intro(scenario: dict[str, Any], lang: str) -> str:
    """The briefing shown before the first turn: who, where, what you want, your limits."""
    L = LABELS[lang]
    c = L["colon"]
    p = scenario["persona"]
    lines = [
        f"{L['roleplay']}{c}{t(scenario['title'], lang)}",
        f"{L['customer']}{c}{t(p['name'], lang)} — {t(p['role'], lang)}{L['sep']}{t(p['retailer'], lang)}",
        f"  {t(p['temperament'], lang)}",
        f"{L['setting']}{c}{t(scenario['setting'], lang)}",
        f"{L['objective']}{c}{t(scenario['objective'], lang)}",
    ]
    if scenario["limits"]:
        lines.append(f"{L['limits']}{c}".rstrip())
        lines += [f"  - {t(x, lang)}" for x in scenario["limits"]]
    return "\n".join(lines)


def customer_line(speaker: dict[str, str] | None, line: dict[str, str] | None, lang: str) -> str:
    """``[Name] “line”``."""
    return f"[{t(speaker, lang)}] {LABELS[lang]['q'].format(t(line, lang))}"


def feedback_items(exchange: dict[str, Any], lang: str) -> list[tuple[int, str]]:
    """Feedback as (depth, text): each behaviour (good first) at depth 0 with why, principle, signals,
    better lines and the blocker at depth 1; then the coach's note and the variables changed."""
    L = LABELS[lang]
    c = L["colon"]
    out: list[tuple[int, str]] = []
    behaviours = sorted(exchange["behaviours"], key=lambda b: not b["good"])
    if not behaviours:
        out.append((0, f"· {L['none']}"))
    for b in behaviours:
        mark = "✓" if b["good"] else "✗"
        out.append((0, f"{mark} {L['good'] if b['good'] else L['bad']}{c}{t(b['title'], lang)}  [{b['id']}]"))
        if b.get("blocker"):
            out.append((1, f"‼ {L['blocker']}{c}{t(b['blocker'], lang)}"))
        out.append((1, t(b["why"], lang)))
        if b["principles"]:
            out.append((1, f"{L['principle']}{c}{'; '.join(t(p['title'], lang) for p in b['principles'])}"))
        if b["signals"]:
            out.append((1, f"{L['signals']}{c}{', '.join(b['signals'])}"))
        for line in b.get("better", []):
            out.append((1, f"{L['better']}{c}{t(line, lang)}"))
    if exchange.get("note"):
        out.append((0, f"» {L['coach']}{c}{t(exchange['note'], lang)}"))
    for ch in exchange.get("changes", []):
        before = "—" if ch["before"] is None else ch["before"]
        out.append((0, f"  {ch['var']}: {before} → {ch['after']}"))
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
    return f"{LABELS[lang]['score']}{LABELS[lang]['colon']}" + (
        " · ".join(parts) or LABELS[lang]["score.zero"]
    )


_NUMBERED = re.compile(r"^\d+\.\s*")


def short_title(title: str) -> str:
    """A principle's title without its number ("3. Speak with facts" -> "Speak with facts")."""
    return _NUMBERED.sub("", title)


def debrief_text(record: dict[str, Any], lang: str) -> str:
    """The debrief for the terminal: outcome, lesson, blockers, transcript, scorecard, best lines."""
    L = LABELS[lang]
    c = L["colon"]
    d = record.get("debrief") or {}
    out = [f"=== {L['debrief']}{c}{t(record['scenario']['title'], lang)} ==="]
    out.append(_outcome(record, lang))
    if d.get("last_line"):
        out.append(customer_line(record["scenario"]["persona"]["name"], d["last_line"], lang))
    if d.get("debrief"):
        out.append(t(d["debrief"], lang))
    for b in d.get("blocked", []):
        out.append(f"‼ {L['blocker']}{c}{b['behaviour']} @ {b['turn']} — {t(b['why'], lang)}")
    out += ["", f"{L['transcript']}{c}".rstrip()]
    n = 0
    for ex in record["transcript"]:
        tag = L["retried.tag"] if ex.get("retried") else ""
        if not ex.get("retried"):
            n += 1
        mark = "↺" if ex.get("retried") else f"{n}."
        out.append(f"{mark} {customer_line(ex['speaker'], ex['line'], lang)}")
        out.append(f"   {L['you']}{tag}{c}{ex['reply']}")
        out += feedback_lines(ex, lang, indent="   ")
    out += ["", f"{L['score']}{c}".rstrip()]
    for i, row in enumerate(record.get("scorecard") or d.get("scorecard", []), 1):
        out.append(f"  {i}. {short_title(t(row['title'], lang))}{c}{row['score']:+d}")
    best = d.get("best_lines", [])
    if best:
        out += ["", f"{L['best']}{c}".rstrip()]
        for b in best:
            out.append(f"  {t(b['title'], lang)} [{b['situation']}]")
            out += [f"    - {t(line, lang)}" for line in b["lines"]]
    return "\n".join(out)


def _outcome(record: dict[str, Any], lang: str) -> str:
    L = LABELS[lang]
    c = L["colon"]
    if record.get("outcome"):
        return f"{L['outcome']}{c}{L[record['outcome']]} ({L['ending']} {record.get('ending')})"
    if record.get("status") == "left":
        return f"{L['outcome']}{c}{L['left']}"
    return f"{L['status']}{c}{L[record.get('status') or 'open']}"


# --------------------------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md(text: str) -> str:
    """User or content text made literal in Markdown (no headings, links, emphasis, lists or HTML)."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return re.sub(r"^(\d+)\.", r"\1\\.", re.sub(r"^([-+=])", r"\\\1", text))


def markdown(record: dict[str, Any], lang: str) -> str:
    """A saved session as a Markdown document for the trainer; every text escaped."""
    L = LABELS[lang]
    c = L["colon"]
    sc = record["scenario"]
    p = sc["persona"]
    out = [f"# {L['roleplay']}{c}{md(t(sc['title'], lang))} (#{record['id']})", ""]
    if record.get("trainee"):
        out.append(f"- {L['trainee']}{c}{md(record['trainee'])}")
    out.append(
        f"- {L['customer']}{c}{md(t(p['name'], lang))} — {md(t(p['role'], lang))}{L['sep']}"
        f"{md(t(p['retailer'], lang))}"
    )
    out.append(f"- {L['objective']}{c}{md(t(sc['objective'], lang))}")
    out.append(f"- {L['started']}{c}{record['started_at']}")
    if record.get("ended_at"):
        out.append(f"- {L['ended']}{c}{record['ended_at']}")
    out.append(f"- {md(_outcome(record, lang))}")
    d = record.get("debrief") or {}
    out += ["", f"## {L['debrief']}", ""]
    if d.get("debrief"):
        out.append(md(t(d["debrief"], lang)))
    for b in d.get("blocked", []):
        out += ["", f"**{md(L['blocker'])}**{c}`{b['behaviour']}` @ `{b['turn']}` — {md(t(b['why'], lang))}"]
    out += ["", f"## {L['transcript']}", ""]
    for ex in record["transcript"]:
        tag = f" *({L['retried']})*" if ex.get("retried") else ""
        out.append(f"> **{md(t(ex['speaker'], lang))}**{c}{md(t(ex['line'], lang))}")
        out.append("")
        out.append(f"**{L['you']}**{tag}{c}{md(ex['reply'])}")
        out.append("")
        for depth, line in feedback_items(ex, lang):
            out.append(f"{'  ' * depth}- {md(line.strip())}")
        out.append("")
    out += [f"## {L['score']}", "", "| # | | |", "|---|---|---|"]
    for i, row in enumerate(record.get("scorecard") or [], 1):
        out.append(f"| {i} | {md(short_title(t(row['title'], lang)))} | {row['score']:+d} |")
    best = d.get("best_lines", [])
    if best:
        out += ["", f"## {L['best']}", ""]
        for b in best:
            out.append(f"**{md(t(b['title'], lang))}**")
            out.append("")
            out += [f"- {md(t(line, lang))}" for line in b["lines"]]
            out.append("")
    return "\n".join(out).rstrip() + "\n"
