"""The meeting-plan screen suggests what `coach prep` suggests: the account's tactics the plan does not list."""

from __future__ import annotations

from tui_helpers import flat, make_app, run, settle

from coach.store import concessions as log_store
from coach.store.db import connect
from coach.tui.screens.plan import PlanScreen, widget_id


def test_tactics_the_form_lists_are_not_suggested_and_added_ones_drop_out(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        conn = connect(app.db_path)
        try:
            for tactic in ("tactic.nibble", "tactic.nibble", "tactic.walkout-pressure"):
                log_store.add(
                    conn,
                    log_store.validate_entry(
                        {"account": "Carrefour", "type": "price", "give": "rebate", "tactic": tactic}
                    ),
                )
        finally:
            conn.close()
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            app.open_screen("prep")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PlanScreen)
            screen.query_one(f"#{widget_id('account')}").value = "Carrefour"
            screen.query_one(f"#{widget_id('expected_tactics')}").load_text("walkout-pressure | in May")
            screen.go_to("expected_tactics")
            await settle(pilot)
            text = flat(app)
            assert "• The nibble (2× in the log)" in text and "tactic." not in text
            assert "• Breaking off" not in text  # listed already, as `coach prep show` leaves it out
            await pilot.click("#plan-add-suggested")
            await settle(pilot)
            assert screen.fields()["expected_tactics"].splitlines() == [
                "walkout-pressure | in May",
                "tactic.nibble | 2× in the log",
            ]
            text = flat(app)
            assert "• The nibble" not in text
            assert "Nothing new in this account's history (log or role-play)." in text

    run(scenario)
