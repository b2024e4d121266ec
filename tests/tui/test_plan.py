"""Meeting-plan wizard (pilot): one principle per step with advice, required parts named, save, a new version
per edit, reopen, copy the last meeting, suggestions from the log, the summary brief, Chinese, leaving."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, TextArea
from tui_helpers import flat, make_app, run, settle

from coach.content.plans import load_yaml_file
from coach.store import concessions as log_store
from coach.store import plans as store
from coach.store.db import connect
from coach.tui.screens.confirm import ConfirmScreen
from coach.tui.screens.plan import STEPS, PlanScreen, step_of_error, widget_id
from coach.tui.screens.plan_open import OpenPlanScreen

SAMPLE = Path(__file__).parent.parent / "data" / "plan_sample.yaml"


def _db(app):
    return connect(app.db_path)


def _plans(app):
    conn = _db(app)
    try:
        return [(s.id, s.account, s.meeting, s.versions, s.copied_from) for s in store.list_plans(conn)]
    finally:
        conn.close()


def _set(screen, **fields):
    for field, text in fields.items():
        widget = screen.query_one(f"#{widget_id(field)}")
        if isinstance(widget, Input):
            widget.value = text
        else:
            widget.load_text(text)


async def until(pilot, condition, rounds: int = 200) -> None:  # noqa: ANN001
    """Let the app process its messages until ``condition()`` holds (bounded rounds, not a timer)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()


async def _open(pilot) -> PlanScreen:
    await settle(pilot)
    pilot.app.open_screen("prep")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen)
    return screen


def test_main_flow_steps_advice_required_parts_save_and_new_version(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await _open(pilot)
            assert "Meeting plan · step 1 of 11: Account and meeting" in flat(app)
            await pilot.press(*"Carrefour")  # the account field has the focus
            _set(screen, meeting="annual 2025", date="2025-03-04")
            await until(pilot, lambda: screen.dirty)  # set by the Changed messages, delivered in turn
            assert screen.fields()["account"] == "Carrefour" and screen.dirty
            # Saving with required parts empty names them, saves nothing, and shows the first one.
            await pilot.press("ctrl+s")
            await settle(pilot)
            text = flat(app)
            assert (
                "Not saved. Required: what we want (objectives), best alternative and walk-away point, "
                "concession plan (give-get)" in text
            )
            assert screen.step == 1 and "step 2 of 11: 1. What we want" in text
            assert _plans(app) == []
            _set(screen, objectives="must: List the 330ml cans in all 45 stores\nnice: Two DM pages")
            # One principle per step, with the playbook's advice beside it (the mini playbooks have
            # principle 7).
            for _ in range(6):
                await pilot.press("ctrl+n")
            await pilot.pause()
            assert STEPS[screen.step].name == "tradeables"
            text = flat(app)
            assert "7. Concession plan (give-get)" in text and "Ask for something back." in text
            _set(
                screen,
                tradeables="Growth rebate | price | high | high | +8% volume | 1%\n"
                "Two promoter days | promotion | cheapish | high | four facings | 2 units",
            )
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "Not saved: • Tradeables, line 2: cost to us: unknown level 'cheapish'" in flat(app)
            assert _plans(app) == []
            _set(
                screen,
                tradeables="Growth rebate | price | high | high | +8% volume | 1%\n"
                "Two promoter days | promotion | low | high | four facings | 2 units",
            )
            await pilot.click("#plan-order")
            await pilot.pause()
            assert (
                screen.fields()["tradeables"]
                .splitlines()[0]
                .startswith("Two promoter days | promotion | low")
            )
            screen.go_to("alternatives")
            await pilot.pause()
            assert "No playbook entry for this step is loaded." in flat(app)
            _set(screen, walk_away="No rebate above 3% in total", limits="price: 3%")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert screen.plan_id == 1 and screen.version == 1 and not screen.dirty
            assert "Saved as plan #1, version 1." in flat(app)
            assert _plans(app) == [(1, "Carrefour", "annual 2025", 1, None)]
            # An edit saves a new version; saving again without changes adds nothing.
            screen.go_to("facts")
            _set(screen, facts="Our SKUs +12% vs category +5% | scan data, 13 weeks")
            await pilot.pause()
            assert screen.dirty and "Saved as plan #1, version 1. Changed since it was saved." in flat(app)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert screen.version == 2
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert screen.version == 2 and ("information", "Plan #1 unchanged (version 2).") in app.notices
            conn = _db(app)
            try:
                stored = store.get(conn, 1)
                assert stored.plan.facts[0].source == "scan data, 13 weeks"
                assert [t.item for t in stored.plan.tradeables] == ["Two promoter days", "Growth rebate"]
                assert store.get(conn, 1, 1).plan.facts == []
            finally:
                conn.close()
            # The summary is the brief.
            screen.go_to("summary")
            await pilot.pause()
            text = flat(app)
            assert "Meeting brief: Carrefour — annual 2025" in text
            assert "Not prepared yet:" in text and "★ must: List the 330ml cans in all 45 stores" in text

    run(scenario)


def test_reopen_a_saved_plan_and_copy_the_last_meeting(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        conn = connect(app.db_path)
        try:
            store.create(conn, load_yaml_file(SAMPLE))
        finally:
            conn.close()
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await _open(pilot)
            await pilot.press("ctrl+o")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, OpenPlanScreen)
            assert "#1 Carrefour / annual 2025" in flat(app)
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen and screen.plan_id == 1 and screen.version == 1 and not screen.dirty
            assert screen.fields()["walk_away"].startswith("No extra rebate above 3%")
            assert "Opened plan #1, version 1." in [t for _s, t in app.notices]
            app.pop_screen()
            await settle(pilot)
            # A new plan for the next meeting, copied from the last one with the same account.
            screen = await _open(pilot)
            await pilot.press("ctrl+l")
            await settle(pilot)
            assert "Type the account first." in flat(app)
            _set(screen, account="carrefour", meeting="mid-year review", date="2025-07-01")
            await pilot.click("#plan-copy")
            await settle(pilot)
            fields = screen.fields()
            assert fields["meeting"] == "mid-year review" and fields["date"] == "2025-07-01"
            assert fields["tradeables"].startswith("Two promoter days per store | promotion | low | high")
            assert "[x]" not in fields["checklist"] and screen.plan_id is None and screen.copied_from == 1
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert screen.plan_id == 2
            assert _plans(app) == [
                (2, "Carrefour", "mid-year review", 1, 1),
                (1, "Carrefour", "annual 2025", 1, None),
            ]
            screen.query_one(f"#{widget_id('account')}", Input).value = "Tesco"
            await pilot.press("ctrl+l")
            await settle(pilot)
            assert "There is no earlier plan for Tesco." in flat(app)

    run(scenario)


def test_expected_tactics_are_suggested_from_the_log(tmp_path):
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
            screen = await _open(pilot)
            _set(screen, account="Carrefour", expected_tactics="walkout-pressure | walked out in May")
            screen.go_to("expected_tactics")
            await settle(pilot)
            text = flat(app)
            assert "Seen with this account:" in text and "• The nibble (2× in the log)" in text
            await pilot.click("#plan-add-suggested")
            await pilot.pause()
            assert screen.fields()["expected_tactics"].splitlines() == [
                "walkout-pressure | walked out in May",
                "tactic.nibble | 2× in the log",
            ]

    run(scenario)


def test_chinese_and_leaving_with_unsaved_changes(tmp_path):
    async def scenario():
        app = make_app(tmp_path, lang="zh")
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await _open(pilot)
            assert "会前准备 · 第 1/11 步：客户与会议" in flat(app)
            _set(screen, account="家乐福")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert "离开会前准备？改动还没有保存。" in flat(app)
            await pilot.click("#confirm-stay")
            await settle(pilot)
            assert app.screen is screen
            app.set_language("en")
            await pilot.pause()
            assert "Meeting plan · step 1 of 11" in flat(app)

    run(scenario)


def test_user_text_is_shown_literally_in_the_summary(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await _open(pilot)
            _set(
                screen,
                account="[bold red]Carrefour[/]",
                meeting="m",
                objectives="must: [link=x]y[/link]",
                walk_away="w",
                tradeables="a | other | low | high | b",
            )
            screen.go_to("summary")
            await pilot.pause()
            text = flat(app)
            assert "[bold red]Carrefour[/]" in text and "[link=x]y[/link]" in text

    run(scenario)


def test_error_messages_lead_to_their_step():
    names = [s.name for s in STEPS]
    assert names[step_of_error("tradeables line 2: cost: unknown")] == "tradeables"
    assert names[step_of_error("plan: alternatives.stages: stage 'closing' appears twice")] == "alternatives"
    assert names[step_of_error("limits line 1: expected TYPE: AMOUNT")] == "alternatives"
    assert names[step_of_error("checklist line 1: item: must not be empty")] == "professionalism"
    assert names[step_of_error("plan: date: '2025-13-01' is not a date")] == "meeting"
    assert names[step_of_error("alternatives.walk_away")] == "alternatives"
    assert step_of_error("something else") is None


def test_open_dialog_lists_nothing_when_there_are_no_plans(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await _open(pilot)
            await pilot.press("ctrl+o")
            await settle(pilot)
            assert "No saved plans yet." in flat(app)
            assert app.screen.query_one(OptionList).option_count == 0
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, PlanScreen)
            assert isinstance(app.screen.query_one(f"#{widget_id('objectives')}"), TextArea)

    run(scenario)
