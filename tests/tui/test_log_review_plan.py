"""The concession log's review tab checks a meeting against its plan, as `coach log review --meeting` does
(the same function: coach.services.plan_check)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from tui_helpers import make_app, run, settle

from coach.content.plans import load_yaml_file
from coach.services.plan_check import meeting_plan_review
from coach.store import concessions as log_store
from coach.store import plans as plans_store
from coach.store.db import connect
from coach.tui.screens.concessions import ConcessionScreen

SAMPLE = Path(__file__).parent.parent / "data" / "plan_sample.yaml"


def _seed(db: Path) -> None:
    conn = connect(db)
    try:
        plans_store.create(conn, load_yaml_file(SAMPLE))
        for give, value in (("growth rebate", 2), ("extra rebate", 2)):
            entry = {"account": "Carrefour", "meeting": "annual 2025", "type": "price", "give": give}
            log_store.add(conn, log_store.validate_entry({**entry, "value": value, "unit": "percent"}))
    finally:
        conn.close()


def test_review_tab_shows_the_plan_check_of_the_meeting(tmp_path):
    _seed(tmp_path / "coach.sqlite3")

    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.open_screen("concessions")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ConcessionScreen)
            await pilot.press("f7")
            await settle(pilot)
            assert "Plan check" not in screen.review_text  # no meeting chosen: no plan check
            screen.query_one("#log-review-meeting", Input).value = "annual 2025"
            await settle(pilot)
            conn = connect(app.db_path)
            try:
                expected, _ = meeting_plan_review(conn, log_store.select(conn), meeting="annual 2025")
            finally:
                conn.close()
            assert expected in screen.review_text
            for finding in ("Over the planned limit", "Past the walk-away point"):
                assert finding in screen.review_text

    run(scenario)


def test_review_tab_says_when_the_meeting_has_no_plan(tmp_path):
    _seed(tmp_path / "coach.sqlite3")

    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.open_screen("concessions")
            await settle(pilot)
            screen = app.screen
            await pilot.press("f7")
            await settle(pilot)
            screen.query_one("#log-review-meeting", Input).value = "annual 2024"
            await settle(pilot)
            conn = connect(app.db_path)
            try:
                expected, _ = meeting_plan_review(conn, [], meeting="annual 2024")
            finally:
                conn.close()
            assert screen.review_text.endswith(expected)

    run(scenario)
