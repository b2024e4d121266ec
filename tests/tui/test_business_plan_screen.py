"""Business-plan screen: opened from the key-accounts screen (p), one step per page, the review chart,
years; snapshots of the review page in English and Chinese at 80x24 (`pytest --snapshot-update`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import flat, make_app, run, screen_text, settle

from coach.content import business_plans as bp
from coach.store import accounts, business_plans, concessions
from coach.store.db import connect
from coach.tui.screens.accounts import AccountsScreen
from coach.tui.screens.business_plan import BusinessPlanScreen
from coach.tui.screens.help import HelpScreen

SAMPLE = Path(__file__).parents[1] / "data" / "acbp" / "jinhai-2027.yaml"


def _seed(db) -> None:
    conn = connect(db)
    accounts.add(conn, "Jinhai Mart", tier="national")
    business_plans.save(conn, bp.load_yaml_file(SAMPLE))
    for q, sales, oos in ((1, 3_600_000, 4.1), (2, 3_000_000, 3.1), (3, 3_900_000, 2.8)):
        review = bp.validate_review(
            {
                "period": f"2027-Q{q}",
                "actuals": [
                    {"kpi": "sales vs target", "actual": sales},
                    {"kpi": "out-of-stock rate", "actual": oos},
                ],
            }
        )
        business_plans.add_review(conn, "Jinhai Mart", review)
    entry = concessions.validate_entry(
        {
            "account": "Jinhai Mart",
            "when": "2027-02-03",
            "type": "display",
            "give": "fund",
            "value": 75000,
            "unit": "CNY",
        }
    )
    concessions.add(conn, entry)
    conn.close()


async def _open(pilot, app) -> BusinessPlanScreen:  # noqa: ANN001
    await settle(pilot)
    app.open_screen("accounts")
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, BusinessPlanScreen)
    return screen


def test_opened_from_the_accounts_screen_one_step_per_page(tmp_path):
    async def scenario():
        app = make_app(tmp_path, screens=[AccountsScreen, HelpScreen])
        _seed(app.db_path)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(pilot, app)
            assert screen.year == 2027 and screen.step == "situation"
            assert "fastest replenishment" in flat(app) and "Step 1 of 5" in flat(app)
            await pilot.press("right")
            assert screen.step == "objectives" and "agree two end-caps per quarter" in flat(app)
            assert "no strategy yet" in flat(app)  # the checks of the step beside it
            await pilot.press("right")
            assert "Concession log 2027: given CNY 75,000" in flat(app)
            await pilot.press("right", "right")
            assert screen.step == "review"
            text = screen_text(app)
            assert "█" in text and "░" in text and "Q3" in text and "off track" in text
            await pilot.press("right")
            assert screen.step == "situation"
            await pilot.press("left_square_bracket")
            await settle(pilot)
            assert screen.year == 2026 and "no business plan for 2026" in flat(app)
            await pilot.press("escape")
            assert isinstance(app.screen, AccountsScreen)

    run(scenario)


def test_switching_language_redraws_the_step(tmp_path):
    async def scenario():
        app = make_app(tmp_path, screens=[AccountsScreen, HelpScreen])
        _seed(app.db_path)
        async with app.run_test(size=(100, 40)) as pilot:
            await _open(pilot, app)
            await pilot.press("f2")
            await settle(pilot)
            assert "我们的地位在哪里" in flat(app) and "第 1 步" in flat(app)

    run(scenario)


def test_the_review_page_ticks_the_review_actions_marked_done(tmp_path):
    async def scenario():
        app = make_app(tmp_path, screens=[AccountsScreen, HelpScreen])
        _seed(app.db_path)
        conn = connect(app.db_path)
        review = bp.validate_review(
            {
                "period": "2027-Q3",
                "next_actions": [
                    {"what": "weekly OOS report", "owner": "Zhang Min", "due": "2027-10-15"},
                    {"what": "flyer proof a week early", "owner": "Li Wei", "due": "2027-10-31"},
                ],
            }
        )
        business_plans.add_review(conn, "Jinhai Mart", review)
        business_plans.close_action(conn, "Jinhai Mart", 2027, "weekly OOS report")
        conn.close()
        async with app.run_test(size=(100, 60)) as pilot:
            screen = await _open(pilot, app)
            screen.step = "review"
            screen.apply_language()
            await settle(pilot)
            text = flat(app)
            assert "[x] weekly OOS report" in text and "[ ] flyer proof a week early" in text

    run(scenario)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_of_the_review_chart(snap_compare, tmp_path, lang):
    app = make_app(tmp_path, lang=lang, screens=[AccountsScreen, HelpScreen])
    _seed(app.db_path)

    async def run_before(pilot):
        screen = await _open(pilot, pilot.app)
        screen.step = "review"
        screen.apply_language()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
