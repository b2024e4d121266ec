"""Nothing internal reaches a trainee: every shipped scenario is played along several paths (its rehearsals,
seeded autoplay runs, a run with a retry), and its feedback and debrief are rendered as text, Markdown, HTML
and the UI's feedback, in English and Chinese. None may show a taxonomy or behaviour id, a turn or ending
id, a variable or its change, a regular expression or the detector's matches. The JSON keeps the ids."""

from __future__ import annotations

import io
import random
import re
import sys

import pytest

from coach.cli import main
from coach.content.loader import load_default as load_library
from coach.content.scenarios import Scenario, load_default
from coach.roleplay import engine
from coach.roleplay.checks import reply_pool
from coach.roleplay.record import exchange_dict, live_record, scenario_dict, scorecard
from coach.roleplay.render import debrief_text, feedback_lines, html_page, intro, markdown, scorecard_line
from coach.tui.widgets.roleplay import feedback_text

SHIPPED = load_default().scenarios
KIT = engine.Kit.build(load_library([], situations=True, replies=True))
POOL = reply_pool(KIT)

ID_SHAPED = re.compile(
    r"\b(?:reply|tactic|principle|difficult|complaint|trade|ethics|account)\.[a-z][a-z-]*\b"
)
REGEX_RUN = re.compile(r"\\[bdswBDSW]|\(\?[:=!<P]|\[\^|\.\*|\.\+|\\\.|\|\(|\)\?")
STATE_DUMP = re.compile(r"[\w-]+\s*:\s*(?:—|-?\d+)\s*→\s*-?\d+")
MATCHES = re.compile(r"\b(?:found|signals?)\s*:\s*['\"]|依据[:：]|@\s*[a-z]")


def corpus(sc: Scenario) -> str:
    """Every text the content itself may show (so a word that is both an id and prose is not a leak)."""
    texts: list[str] = list(POOL)

    def add(value: object) -> None:
        if value is not None:
            texts.extend((value.en, value.zh))  # type: ignore[attr-defined]

    for field in (sc.title, sc.setting, sc.objective, *sc.limits):
        add(field)
    for person in (sc.persona, *sc.cast.values()):
        add(person.name), add(person.role), add(person.temperament)
    add(sc.persona.retailer)
    for turn in sc.turns.values():
        add(turn.line)
        for move in (*turn.branches, turn.default):
            add(move.note)
    for ending in sc.endings.values():
        add(ending.title), add(ending.line), add(ending.debrief)
    for b in sc.blockers:
        add(b.why)
    lib = KIT.library
    for rule in lib.rules.values():
        add(rule.title)
        for line in rule.response.say:
            add(line)
    for behaviour in lib.behaviours.values():
        add(behaviour.title), add(behaviour.why)
        for line in behaviour.better:
            add(line)
    return "\n".join(texts)


def leaks(text: str, sc: Scenario, known: str) -> list[str]:
    """Id-shaped or internal tokens in ``text`` that the content itself does not contain."""
    found = [m.group(0) for rx in (ID_SHAPED, REGEX_RUN, STATE_DUMP, MATCHES) for m in rx.finditer(text)]
    for node in (*sc.turns, *sc.endings, *sc.variables):
        # A node id with a hyphen is never prose; a one-word id leaks only in an id-like place.
        pattern = (
            rf"(?<![\w-]){re.escape(node)}(?![\w-])"
            if "-" in node or "_" in node
            else rf"(?:@|ending|结局|`)\s*{re.escape(node)}\b|\b{re.escape(node)}\s*(?::\s*-?\d|→)"
        )
        found += [m.group(0) for m in re.finditer(pattern, text)]
    return [f for f in found if f not in known]


def paths(sc: Scenario) -> list[list[str]]:
    """Replies along the rehearsals, four seeded random runs and a run that retries its first reply."""
    out = [[s.say for s in r.steps] for r in sc.rehearsals]
    rng = random.Random(f"internals:{sc.id}")
    for _ in range(4):
        out.append([rng.choice(POOL) for _ in range(12)])
    out.append(["/retry", *out[0]])
    return out


def play(sc: Scenario, replies: list[str]) -> tuple[engine.State, list[dict]]:
    state = engine.start(sc, KIT)
    transcript: list[dict] = []
    for text in replies:
        if state.finished:
            break
        if text == "/retry":
            state = engine.retry(engine.reply(state, "OK, fine, we'll give you that.").state)
            transcript.append({**exchange_dict(state.retried[-1], KIT), "retried": True})
            continue
        step = engine.reply(state, text)
        state = step.state
        transcript.append({**exchange_dict(step.exchange, KIT), "retried": False})
    return state, transcript


@pytest.mark.parametrize("sid", sorted(SHIPPED))
def test_feedback_and_debrief_show_no_internals(sid):
    sc = SHIPPED[sid]
    known = corpus(sc)
    endings: set[str] = set()
    for replies in paths(sc):
        state, transcript = play(sc, replies)
        record = live_record(state, KIT, transcript, lang="en", session_id=7, trainee="Lin")
        if not state.finished:
            record["status"] = "left"
        endings.add(state.node)
        # The ids are all there for tools: the JSON shape keeps them.
        assert all(b["id"].startswith("reply.") for ex in transcript for b in ex["behaviours"])
        for lang in ("en", "zh"):
            record["started_at"] = "2026-01-01T09:00:00Z"
            shown = {
                "text": debrief_text(record, lang),
                "md": markdown(record, lang),
                "html": html_page(record, lang),
                "intro": intro(scenario_dict(sc), lang),
                "score": scorecard_line(scorecard(state.scores, KIT), lang),
                "live": "\n".join(line for ex in transcript for line in feedback_lines(ex, lang)),
                "ui": "\n".join(feedback_text(ex, lang).plain for ex in transcript),
            }
            for kind, text in shown.items():
                assert not leaks(text, sc, known), (sid, lang, kind, leaks(text, sc, known))
            if state.finished:
                title = getattr(sc.endings[state.node].title, lang)
                assert title in shown["text"] and title in shown["md"], (sid, state.node, lang)
    assert len(endings) >= 2, (sid, endings)  # the paths really differ


def test_the_check_catches_what_leaked_before():
    """The forms seen in the issue are caught (so the test above can fail)."""
    sc = SHIPPED["anniversary-flyer"]
    known = corpus(sc)
    for leaked in (
        "✗ Watch out: Gives it away  [reply.unconditional-concession]",
        "‼ Blocker: reply.unconditional-concession @ opening — why",
        "Outcome: fail (结局 expensive-yes)",
        "Outcome: fail (ending walked-out)",
        "found: '2%'",
        "依据：2%",
        "patience: 2 → 0",
        r"found: \bif\b.*\bthen\b",
        "Best lines: The nibble [tactic.nibble]",
    ):
        assert leaks(leaked, sc, known), leaked
    assert not leaks("Outcome: fail — She walked out", sc, known)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_drill_and_quiz_text_show_no_ids(lang, monkeypatch, capsys):
    for args in (
        ["train", "drill", "--profile", "Lin", "--class", "S", "--lang", lang, "-n", "8", "--seed", "2"],
        ["train", "quiz", "--profile", "Lin", "--lang", lang, "-n", "8", "--seed", "2"],
    ):
        monkeypatch.setattr(sys, "stdin", io.StringIO("2\n1\n" * 20))
        assert main(args) == 0
        out, _ = capsys.readouterr()
        assert "Question 1" in out or "第 1 题" in out
        assert not ID_SHAPED.search(out), ID_SHAPED.findall(out)[:5]


@pytest.mark.parametrize(
    "reply",
    [
        "If you put us on the front page, we can give you 5%.",
        "行，进场费我们交。你们自己仓库收货慢，关我们什么事",
    ],
)
def test_assess_text_shows_no_ids(reply, monkeypatch, capsys):
    assert main(["assess", reply]) == 0
    out, _ = capsys.readouterr()
    assert out.strip()
    assert not ID_SHAPED.search(out) and not MATCHES.search(out), out
