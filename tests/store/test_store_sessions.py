"""Saved role-play sessions: migration 3, the recorder (reply by reply, retry, finish), practice concessions
kept out of real figures, reading back, and the Markdown/JSON renderings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coach.content.loader import load_default
from coach.content.scenarios import load_scenarios
from coach.review.concessions import review
from coach.roleplay import engine
from coach.roleplay.engine import Kit
from coach.roleplay.record import debrief_dict, exchange_dict, scenario_dict
from coach.roleplay.render import html_page, markdown
from coach.store import concessions, sessions
from coach.store.db import MIGRATIONS, connect, latest_version

DATA = Path(__file__).parent.parent / "data"
GIVE = "Fine, we'll give you the extra 2%."
TRADE = "If you give us the second end-cap in July, we can add half a point to the rebate."


@pytest.fixture(scope="module")
def kit():
    return Kit.build(load_default(situations=True, replies=True))


@pytest.fixture(scope="module")
def sc():
    return load_scenarios([DATA / "scenarios-ok"]).scenarios["engine-test"]


@pytest.fixture
def conn(db_target):
    c = connect(db_target)
    yield c
    c.close()


def play(conn, sc, kit, replies, *, retry_after: int | None = None, lang="en"):
    """Play ``replies`` with a recorder the way the plain mode does; returns (recorder, final state)."""
    rec = sessions.Recorder(conn, scenario_dict(sc), lang, "Lin")
    state = engine.start(sc, kit)
    for i, text in enumerate(replies):
        turn = state.turn
        step = engine.reply(state, text)
        state = step.state
        rec.replied(exchange_dict(step.exchange, kit), stake=turn.stake or sc.stake, stage=turn.stage)
        if retry_after == i:
            state = engine.retry(state)
            rec.retried()
    rec.finished(debrief_dict(engine.debrief(state), kit), left=not state.finished)
    return rec, state


@pytest.mark.sqlite_only
def test_migration_3_is_registered_after_the_others(conn):
    names = {m.version: m.name for m in MIGRATIONS}
    assert names[3] == "sessions" and names[1] == "concessions"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version() >= 3
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sessions", "session_exchanges"} <= tables


def test_a_session_is_saved_reply_by_reply(conn, sc, kit, db_target):
    rec = sessions.Recorder(conn, scenario_dict(sc), "en")
    state = engine.start(sc, kit)
    step = engine.reply(state, "Hello.")
    rec.replied(exchange_dict(step.exchange, kit), stake="promotion", stage="bargaining")
    # Cut short here (the terminal closed): what was said is already on disk, the session still open.
    other = connect(db_target)
    try:
        saved = sessions.get(other, rec.id)
    finally:
        other.close()
    assert saved["status"] == "open" and saved["outcome"] is None
    assert [e["reply"] for e in saved["transcript"]] == ["Hello."]


def test_finished_session_reads_back_with_everything(conn, sc, kit):
    rec, state = play(conn, sc, kit, [GIVE, "Hello."])
    record = sessions.get(conn, rec.id)
    assert record["status"] == "finished" and record["outcome"] == "success" and record["ending"] == "deal"
    assert record["trainee"] == "Lin" and record["scenario"]["persona"]["retailer"]["en"] == "Test Mart"
    assert [e["turn"] for e in record["transcript"]] == ["ask", "more"]
    first = record["transcript"][0]
    assert first["behaviours"][0]["id"] == "reply.unconditional-concession" and first["branch"] == 1
    assert first["changes"] == [{"var": "given", "before": 0, "after": 1}]
    assert [r["score"] for r in record["scorecard"] if r["id"] == "principle.trade-concessions"] == [-1]
    assert record["debrief"]["best_lines"] and record["ended_at"]
    summary = sessions.list_sessions(conn)[0]
    assert (summary.id, summary.replies, summary.retries, summary.outcome) == (rec.id, 2, 0, "success")


def test_practice_concessions_are_logged_and_never_in_real_figures(conn, sc, kit):
    concessions.add(
        conn,
        concessions.validate_entry(
            {"account": "Test Mart", "type": "price", "give": "1% off", "value": 1, "unit": "percent"}
        ),
    )
    rec, _ = play(conn, sc, kit, [GIVE, "Hello."])
    practice = concessions.select(conn, concessions.Filter(practice=True))
    assert len(practice) == 1 and rec.concessions == [practice[0].id]
    entry = practice[0]
    assert entry.practice and entry.account == "Test Mart" and entry.type == "promotion"
    assert entry.give == GIVE and entry.get is None and entry.status == "agreed"
    assert entry.tactic == "tactic.nibble" and entry.meeting.startswith(f"role-play #{rec.id}")
    real = concessions.select(conn)
    assert [c.give for c in real] == ["1% off"]
    assert review(real, *_advice()).entries == 1
    assert concessions.select(conn, concessions.Filter(practice=None, history=True)) != real


def _advice():
    from coach.review.concessions import DEFAULT_ADVICE

    return DEFAULT_ADVICE, {}


def test_conditional_concession_records_what_was_asked_back(conn, sc, kit):
    play(conn, sc, kit, [TRADE])
    entry = concessions.select(conn, concessions.Filter(practice=True))[0]
    assert entry.status == "offered" and entry.get.startswith("If you give us the second end-cap in July")


def test_retry_flags_the_reply_and_withdraws_its_concession(conn, sc, kit):
    rec, state = play(conn, sc, kit, [GIVE, TRADE], retry_after=0)
    record = sessions.get(conn, rec.id)
    assert [(e["reply"], e["retried"]) for e in record["transcript"]] == [(GIVE, True), (TRADE, False)]
    assert record["outcome"] == "success"
    history = concessions.select(conn, concessions.Filter(practice=True, history=True))
    assert [(c.status, c.supersedes) for c in history] == [
        ("agreed", None),
        ("withdrawn", history[0].id),
        ("offered", None),
    ]
    current = concessions.select(conn, concessions.Filter(practice=True))
    assert [c.status for c in current] == ["withdrawn", "offered"]
    assert concessions.select(conn) == []
    assert sessions.list_sessions(conn)[0].retries == 1


def test_left_early_is_saved_as_left(conn, sc, kit):
    rec, state = play(conn, sc, kit, ["Hello."])
    record = sessions.get(conn, rec.id)
    assert record["status"] == "left" and record["outcome"] is None and record["ending"] is None


def test_no_reply_no_session(conn, sc, kit):
    rec = sessions.Recorder(conn, scenario_dict(sc), "en")
    rec.retried()
    assert rec.finished({"outcome": None}, left=True) is False and rec.id is None
    assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
    with pytest.raises(sessions.CoachError, match="lang: must be en or zh"):
        sessions.Recorder(conn, scenario_dict(sc), "de")


def test_filters_and_unknown_id(conn, sc, kit):
    play(conn, sc, kit, [TRADE])
    assert len(sessions.list_sessions(conn, scenario="engine-test")) == 1
    assert sessions.list_sessions(conn, scenario="other") == []
    assert len(sessions.list_sessions(conn, trainee="lin")) == 1
    with pytest.raises(sessions.CoachError, match="no session with id 99"):
        sessions.get(conn, 99)


def test_bad_language_and_status_are_refused_and_nothing_written(conn, sc):
    with pytest.raises(sessions.CoachError, match="lang: must be en or zh"):
        sessions.begin(conn, scenario_dict(sc), "fr")
    with pytest.raises(sessions.CoachError, match="status"):
        sessions.finish(conn, 1, "won", {})
    assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0


def test_a_refused_write_rolls_back(conn, sc):
    sid = sessions.begin(conn, scenario_dict(sc), "en")
    sessions.add_exchange(conn, sid, 0, {"reply": "x"}, None)
    with pytest.raises(sessions.DatabaseError, match="nothing was written"):
        sessions.add_exchange(conn, sid, 0, {"reply": "again"}, None)  # same position: refused
    assert not conn.in_transaction
    assert [r[0] for r in conn.execute("SELECT exchange FROM session_exchanges")] == ['{"reply":"x"}']


def test_markdown_shows_user_text_literally(conn, sc, kit):
    hostile = "# Heading [link](http://x) <b>bold</b> *star* | pipe"
    rec, _ = play(conn, sc, kit, [hostile, TRADE], retry_after=0)
    text = markdown(sessions.get(conn, rec.id), "en")
    assert "\\# Heading \\[link\\](http://x) \\<b\\>bold\\</b\\> \\*star\\* \\| pipe" in text
    assert "*(taken back)*" in text and "Outcome: success" in text
    zh = markdown(sessions.get(conn, rec.id), "zh")
    assert "# 角色扮演：引擎测试" in zh and "结果：成功" in zh


def test_html_export_shows_user_text_literally(conn, sc, kit):
    hostile = '<script>alert(1)</script> <img src=x onerror=alert(2)> & "q"'
    rec, _ = play(conn, sc, kit, [hostile, TRADE], retry_after=0)
    page = html_page(sessions.get(conn, rec.id), "en")
    assert page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;" in page
    assert "&amp; &quot;q&quot;" in page
    assert "Outcome: success" in page and "(taken back)" in page


def test_sessions_and_concessions_share_one_database_file(tmp_path, sc, kit):
    path = tmp_path / "one.sqlite3"
    c = connect(path)
    try:
        play(c, sc, kit, [GIVE, "Hello."])
    finally:
        c.close()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 1
        assert raw.execute("SELECT COUNT(*) FROM concessions WHERE practice = 1").fetchone()[0] == 1
    finally:
        raw.close()
