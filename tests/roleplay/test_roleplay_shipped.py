"""Every shipped scenario, played end to end through `coach roleplay --plain` along its scripted good and bad
paths: the branch taken at each reply, the feedback printed and saved, the ending, and the saved session."""

from __future__ import annotations

import io
import sys

import pytest

from coach.cli import main
from coach.content.loader import load_default as load_library
from coach.content.scenarios import load_default
from coach.store import concessions, sessions
from coach.store.db import open_db

SHIPPED = load_default().scenarios
LIB = load_library([], situations=True, replies=True)
CASES = [(sid, i) for sid, sc in sorted(SHIPPED.items()) for i in range(len(sc.rehearsals))]


def _lang(texts: list[str]) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for t in texts for ch in t) else "en"


def play(monkeypatch, capsys, args: list[str], stdin: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_every_shipped_scenario_has_a_good_and_a_bad_path():
    assert len(SHIPPED) >= 10
    for sid, sc in SHIPPED.items():
        outcomes = [r.outcome for r in sc.rehearsals]
        assert "success" in outcomes and "fail" in outcomes, sid
        for r in sc.rehearsals:
            assert r.ending and all(s.goto for s in r.steps), (
                f"{sid}: {r.name} must name every turn and its ending"
            )


@pytest.mark.parametrize(
    ("sid", "n"), CASES, ids=[f"{sid}:{SHIPPED[sid].rehearsals[n].name}" for sid, n in CASES]
)
def test_scripted_path_end_to_end(sid, n, monkeypatch, capsys):
    sc = SHIPPED[sid]
    rehearsal = sc.rehearsals[n]
    replies = [s.say for s in rehearsal.steps]
    lang = _lang(replies)
    code, out, err = play(
        monkeypatch,
        capsys,
        ["roleplay", sid, "--plain", "--lang", lang, "--trainee", "Lin"],
        "\n".join(replies) + "\n",
    )
    assert code == 0, err

    # The customer's lines came in the order the branches lead, each reply's feedback after it.
    path = [sc.start] + [s.goto for s in rehearsal.steps]
    position = 0
    for node, step in zip(path, rehearsal.steps, strict=False):
        line = getattr(sc.turns[node].line, lang).split("{")[0]  # up to the trainee's filled-in amounts
        position = out.index(line, position)
        position = out.index(step.say, position)
        for bid in step.shows:  # shown by its title, never its id
            assert getattr(LIB.behaviours[bid].title, lang) in out[position:], (bid, step.say)
            assert bid not in out
    ending = sc.endings[rehearsal.ending]
    assert getattr(ending.debrief, lang).split()[0] in out[position:]
    assert ("Session saved as #1" if lang == "en" else "本次练习已保存为 #1") in out

    # The saved session: the same path, feedback and outcome, finished, in the language played.
    conn = open_db()
    try:
        record = sessions.get(conn, 1)
        real = concessions.select(conn)
        practice = concessions.select(conn, concessions.Filter(practice=True))
    finally:
        conn.close()
    assert record["status"] == "finished" and record["lang"] == lang and record["trainee"] == "Lin"
    assert record["scenario"]["id"] == sid
    assert record["ending"] == rehearsal.ending and record["outcome"] == rehearsal.outcome
    assert [e["turn"] for e in record["transcript"]] == path[:-1]
    assert [e["goto"] for e in record["transcript"]] == path[1:]
    for exchange, step in zip(record["transcript"], rehearsal.steps, strict=True):
        assert exchange["reply"] == step.say and not exchange["retried"]
        found = {b["id"] for b in exchange["behaviours"]}
        assert set(step.shows) <= found
        turn = sc.turns[exchange["turn"]]
        taken = turn.branches[exchange["branch"]] if exchange["branch"] is not None else turn.default
        assert taken.goto == exchange["goto"]  # the branch recorded is the one that leads there
    if rehearsal.outcome == "fail" and any(
        b["blocker"] for e in record["transcript"] for b in e["behaviours"]
    ):
        assert record["debrief"]["blocked"]
    scores = {row["id"]: row["score"] for row in record["scorecard"]}
    assert len(scores) == 8

    # Concessions made in the role-play are in the log as practice only.
    gave = [
        e
        for e in record["transcript"]
        if ({b["id"] for b in e["behaviours"]} | set(e.get("withheld", [])))
        & {"reply.conditional-concession", "reply.unconditional-concession"}
    ]
    assert real == []
    assert len(practice) == len(gave) and all(c.practice for c in practice)
    assert [c.id for c in practice] == [e["concession_id"] for e in gave]
