"""Saved walk-throughs screen: lists what was saved (newest first), shows one, exports it."""

from __future__ import annotations

from textual.widgets import OptionList
from tui_helpers import flat, make_app, run, settle

from coach import locations
from coach.store import walkthroughs as wts
from coach.store.db import connect
from coach.tui.screens.saved import SavedScreen


def _seed(db):
    conn = connect(db)
    wts.save(
        conn,
        wts.Walkthrough(
            "tactic.nibble",
            "The nibble",
            "en",
            [wts.StepRecord("step", "Treat it as a new request.", True, "[b]x[/b]")],
            label="class A",
        ),
    )
    wts.save(
        conn,
        wts.Walkthrough(
            "tactic.walkout-pressure", "中断讨论施压", "zh", [wts.StepRecord("step", "保持冷静，留有余地。")]
        ),
    )
    conn.close()


def test_lists_shows_and_exports(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        _seed(app.db_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("saved")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, SavedScreen)
            listing = screen.query_one("#saved-list", OptionList)
            assert [listing.get_option_at_index(i).id for i in range(listing.option_count)] == ["2", "1"]
            assert "保持冷静，留有余地。" in flat(app)
            await pilot.press("down")
            await pilot.pause()
            text = flat(app)
            assert "Treat it as a new request." in text and "Notes: [b]x[/b]" in text and "class A" in text
            await pilot.press("e")
            await settle(pilot)
            exported = list(locations.exports_dir().glob("walkthrough-1-tactic.nibble-*.md"))
            assert len(exported) == 1
            assert "\\[b\\]x\\[/b\\]" in exported[0].read_text(encoding="utf-8")
            assert app.notices[-1][1].startswith("Exported to ")

    run(scenario)


def test_empty_database_says_how_to_start(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("saved")
            await settle(pilot)
            assert "No saved walk-throughs yet." in flat(app)

    run(scenario)


def test_unreadable_database_is_a_notification(tmp_path):
    async def scenario():
        bad = tmp_path / "not-a-db.sqlite3"
        bad.write_text("hello, I am text", encoding="utf-8")
        app = make_app(tmp_path)
        app.db_path = bad
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("saved")
            await settle(pilot)
            assert app.is_running
            assert app.notices[-1][0] == "error"
            assert (
                "Could not read saved walk-throughs:" in app.notices[-1][1]
                and "not a coach database" in app.notices[-1][1]
            )
        assert bad.read_text(encoding="utf-8") == "hello, I am text"

    run(scenario)
