"""Snapshots of the training screen's progress chart in English and Chinese at 80x24 (mini playbooks, so
pictures change only with this screen; update with `pytest --snapshot-update`)."""

from __future__ import annotations

import uuid

import pytest
from tui_helpers import make_app, settle

from coach.store import sessions, training
from coach.store.db import connect
from coach.tui.screens.help import HelpScreen
from coach.tui.screens.training import TrainingScreen


def _answer(item: str, score: int, max_score: int, principles: list[str], minute: int) -> dict:
    kind = "drill" if max_score == 2 else "quiz"
    return {
        "uuid": str(uuid.uuid4()),
        "run": f"run-{minute // 10}",
        "seq": minute % 10,
        "kind": kind,
        "item": item,
        "area": "tactic.nibble",
        "principles": principles,
        "lang": "en",
        "score": score,
        "max_score": max_score,
        "detail": {"expected": "tactic.nibble", "chosen": "tactic.walkout-pressure"},
        "answered_at": f"2025-03-01T09:{minute:02d}:00Z",
    }


def _seed(db) -> None:
    conn = connect(db)
    lin = training.create_profile(conn, "Lin", "Spring 2025")
    trade, plan = ["principle.trade-concessions"], ["principle.plan"]
    for rec in (
        _answer("drill:a", 2, 2, trade, 0),
        _answer("drill:b", 0, 2, trade, 1),
        _answer("quiz:a", 1, 1, plan, 10),
        _answer("quiz:b", 1, 1, plan, 11),
        _answer("quiz:c", 0, 1, plan, 12),
    ):
        training.add_attempt(conn, lin.id, rec)
    sid = sessions.begin(conn, {"id": "walk-out", "title": {"en": "Walk-out", "zh": "离场"}}, "en", "Lin")
    sessions.add_exchange(
        conn,
        sid,
        0,
        {
            "turn": "t",
            "situation": "difficult.emotional",
            "reply": "…",
            "behaviours": [
                {
                    "id": "reply.argues",
                    "good": False,
                    "title": {"en": "Argues", "zh": "争辩"},
                    "principles": [{"id": "principle.professionalism"}],
                },
            ],
        },
        None,
    )
    sessions.finish(conn, sid, "finished", {"outcome": "fail", "scorecard": []})
    conn.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_progress_chart(snap_compare, tmp_path, lang):
    app = make_app(tmp_path, lang=lang, screens=[TrainingScreen, HelpScreen])
    _seed(app.db_path)

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_screen("training")
        await settle(pilot)
        await pilot.press("enter")  # Lin
        await settle(pilot)
        await pilot.press("4")  # progress
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
