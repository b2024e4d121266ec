"""The concession form's warning when the entry being typed breaks the plan for its meeting (pilot), and the
form values it checks."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select
from tui_helpers import flat, make_app, run, settle

from coach.content.plans import load_yaml_file
from coach.store import concessions as log_store
from coach.store import plans as store
from coach.store.db import connect
from coach.tui.screens.concessions import ConcessionScreen
from coach.tui.widgets.plan_warning import PlanWarning, pending_from_form

SAMPLE = Path(__file__).parent.parent / "data" / "plan_sample.yaml"


def test_form_values_become_a_pending_concession():
    base = {"account": " Carrefour ", "meeting": "annual  2025", "type": "price", "give": "rebate"}
    p = pending_from_form({**base, "value": "2.5", "unit": "%", "get": ""})
    assert (p.account, p.meeting, p.value, p.unit, p.get) == (
        "Carrefour",
        "annual 2025",
        2.5,
        "percent",
        None,
    )
    assert pending_from_form({**base, "value": "-1", "unit": "kg"}).value is None
    assert pending_from_form({**base, "value": "x", "unit": "kg"}).unit is None
    assert pending_from_form({**base, "meeting": ""}) is None
    assert pending_from_form({**base, "practice": True}) is None  # role-play is not checked against plans


def test_concession_form_warns_when_the_entry_breaks_the_plan(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        conn = connect(app.db_path)
        try:
            store.create(conn, load_yaml_file(SAMPLE))
            log_store.add(
                conn,
                log_store.validate_entry(
                    {
                        "account": "Carrefour",
                        "meeting": "annual 2025",
                        "type": "price",
                        "give": "growth rebate",
                        "value": 1,
                        "unit": "percent",
                        "get": "volume",
                    }
                ),
            )
        finally:
            conn.close()
        async with app.run_test(size=(140, 50)) as pilot:
            await settle(pilot)
            app.open_screen("concessions")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ConcessionScreen)
            warning = screen.query_one(PlanWarning)
            for field, value in (
                ("account", "Carrefour"),
                ("meeting", "annual 2025"),
                ("give", "extra rebate"),
                ("value", "2.5"),
                ("unit", "%"),
            ):
                screen.query_one(f"#log-{field}", Input).value = value
            await settle(pilot)
            assert warning.lines == [
                "over the planned limit: Growth rebate: 3.5% in total, limit 1%",
                "given without the planned return: planned return: Written +8% volume commitment",
                "past the walk-away point: price/discount 3.5% in total, walk-away 3%",
            ]
            assert "⚠ Against the plan for this meeting:" in flat(app)
            screen.query_one("#log-get", Input).value = "a flyer page"
            await settle(pilot)
            assert [line.split(":")[0] for line in warning.lines] == [
                "over the planned limit",
                "past the walk-away point",
            ]
            screen.query_one("#log-type", Select).value = "listing-fee"
            await settle(pilot)
            assert warning.lines == ["not among the plan's tradeables"]
            screen.query_one("#log-type", Select).value = "display"
            screen.query_one("#log-value", Input).value = ""
            screen.query_one("#log-unit", Input).value = ""
            await settle(pilot)
            assert warning.lines == [] and "Against the plan" not in flat(app)
            # Another meeting has no plan: no warning; saving is never blocked by the plan.
            screen.query_one("#log-type", Select).value = "listing-fee"
            screen.query_one("#log-meeting", Input).value = "store opening"
            await settle(pilot)
            assert warning.lines == []
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert any("Saved as entry" in text for _s, text in app.notices)

    run(scenario)
