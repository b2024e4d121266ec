"""Helpers for the training tests: stored answers and role-play sessions as the feature modules write them,
and a dump of the training tables to compare a database before and after."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from coach.store import sessions

T = "2025-03-0{d}T09:{m:02d}:00Z"


def at(day: int, minute: int = 0) -> str:
    return T.format(d=day, m=minute)


def answer(
    item: str,
    score: int,
    *,
    when: str,
    kind: str = "drill",
    area: str = "tactic.nibble",
    principles: tuple[str, ...] = ("principle.trade-concessions",),
    run: str = "run-1",
    seq: int = 0,
    chosen: str | None = None,
) -> dict:
    """A stored answer as the drill/quiz modules build it."""
    max_score = 2 if kind == "drill" else 1
    detail = (
        {"expected": area, "chosen": chosen or area} if kind == "drill" else {"expected": "x", "chosen": "y"}
    )
    return {
        "uuid": str(uuid.uuid4()),
        "run": run,
        "seq": seq,
        "kind": kind,
        "item": item,
        "area": area,
        "principles": list(principles),
        "lang": "en",
        "score": score,
        "max_score": max_score,
        "detail": detail,
        "answered_at": when,
    }


def play(
    conn,
    trainee: str,
    exchanges: list[tuple[str, list[tuple[str, bool, list[str]]], bool]],
    *,
    scenario: str = "late-deliveries",
    outcome: str | None = "fail",
) -> int:
    """A role-play session with the given replies: (situation, [(behaviour, good, principles)], retried)."""
    sid = sessions.begin(
        conn, {"id": scenario, "title": {"en": "Empty shelves", "zh": "节前断货"}}, "en", trainee
    )
    for pos, (situation, found, retried) in enumerate(exchanges):
        sessions.add_exchange(
            conn,
            sid,
            pos,
            {
                "turn": f"t{pos}",
                "situation": situation,
                "situation_title": {"en": situation.title(), "zh": situation},
                "reply": "…",
                "behaviours": [
                    {"id": b, "good": g, "title": {"en": b, "zh": b}, "principles": [{"id": p} for p in ps]}
                    for b, g, ps in found
                ],
            },
            None,
        )
        if retried:
            sessions.mark_retried(conn, sid, pos)
    if outcome is not None:
        sessions.finish(conn, sid, "finished", {"outcome": outcome, "scorecard": []})
    return sid


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every training table's rows (without local row ids), to compare a database before and after."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table, cols in (
            ("training_profiles", "uuid, name, class, created_at"),
            ("training_attempts", "uuid, profile_id, run, seq, kind, item, score, answered_at, detail"),
            ("training_schedule", "profile_id, item, box, due_at, seen, right, last_at"),
            ("training_roleplay", "uuid, profile_id, scenario_id, body"),
        ):
            out[table] = sorted(conn.execute(f"SELECT {cols} FROM {table}").fetchall())
        return out
    finally:
        conn.close()


class Trainee:
    """Standard input for `coach train drill` that answers like a trainee who knows the playbooks: it reads
    the question just printed and picks the right option when ``knows(n)`` is true for question ``n``
    (1-based), else the first wrong one. Answers ``q`` after ``stop_after`` questions."""

    def __init__(self, out, lang: str, knows, stop_after: int | None = None) -> None:  # noqa: ANN001
        from coach.content.loader import load_default
        from coach.content.scenarios import load_default as load_scenarios
        from coach.training.drill import drill_items

        self.lib = load_default()
        found = load_scenarios(situations=set(self.lib.rules), behaviours=None)
        scenarios = [found.scenarios[k] for k in sorted(found.scenarios)]
        self.rule_of = {i.text[lang]: i.rule for i in drill_items(self.lib, scenarios, lang=lang)}
        self.out, self.lang, self.knows, self.stop_after = out, lang, knows, stop_after
        self.answers: list[bool] = []
        """Whether each answer given was right, in order (two per question)."""

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        import re

        text = self.out.getvalue()
        quotes = re.findall(r"^“(.*)”$", text, flags=re.M)
        if not quotes:
            return ""
        n = len(quotes)
        if self.stop_after is not None and n > self.stop_after:
            return "q\n"
        rule = self.lib.rules[self.rule_of[quotes[-1]]]
        block = text[text.rindex("“" + quotes[-1]) :]
        header = "Which is the best thing to say?" if self.lang == "en" else "最好的说法是哪一句？"
        asking_line = header in block
        part = block.split(header)[-1].split("\n")
        options = [m.group(1) for m in (re.match(r"^  \d\) (.*)$", line) for line in part) if m]
        if asking_line:
            right = {getattr(s, self.lang) for s in rule.response.say}
        else:
            right = {getattr(rule.title, self.lang)}
        good = [i for i, o in enumerate(options) if o in right]
        bad = [i for i, o in enumerate(options) if o not in right]
        knows = self.knows(n)
        self.answers.append(knows)
        return f"{(good if knows else bad)[0] + 1}\n"
