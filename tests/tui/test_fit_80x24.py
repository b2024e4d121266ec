"""The terminal UI at 80x24, tried as a new user would: what the user needs is on the screen, not below it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, OptionList
from tui_helpers import folder_loader, make_app, run, screen_text, settle

from coach import locations
from coach.content.plans import load_yaml_file
from coach.store import plans as plans_store
from coach.store import training as training_store
from coach.store.db import connect
from coach.tui.app import SCREENS
from coach.tui.widgets.plan_warning import PlanWarning

SIZE = (80, 24)
PLAN_SAMPLE = Path(__file__).parent.parent / "data" / "plan_sample.yaml"


def visible(widget: Widget) -> bool:
    """True when the whole widget is drawn inside the terminal (not scrolled away, not below the fold)."""
    region = widget.region
    screen = widget.screen.region
    return bool(region) and screen.contains_region(region) and widget.visible


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_home_shows_every_choice_without_scrolling(tmp_path, lang):
    async def scenario():
        app = make_app(tmp_path, lang=lang)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            choices = app.screen.query_one("#home-choices", OptionList)
            assert choices.max_scroll_y == 0
            assert visible(choices)
            assert visible(app.screen.query_one("#home-status"))
            assert visible(app.screen.query_one("#home-hint"))
            # The status lines are docked under the list: nothing of the list (its border) may hide under them.
            assert choices.region.bottom <= app.screen.query_one("#home-foot").region.y
            text = screen_text(app)
            assert "What do you want to do?" in text or "你想做什么？" in text
            for number, cls in enumerate([c for c in SCREENS if c.ON_HOME], 1):
                title, about = cls.MENU[lang]
                assert f"{number}  {title}" in text
                assert about in text, about  # not cut with "…" at 80 columns

    run(scenario)


def test_home_on_a_short_terminal_scrolls_the_choices_and_keeps_the_status(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 16)) as pilot:
            await settle(pilot)
            choices = app.screen.query_one("#home-choices", OptionList)
            assert choices.max_scroll_y > 0
            assert visible(app.screen.query_one("#home-status"))
            assert visible(app.screen.query_one("#home-hint"))

    run(scenario)


def test_concession_form_shows_what_is_wrong_and_save_at_80x24(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_screen("concessions")
            await settle(pilot)
            screen = app.screen
            assert visible(screen.query_one("#log-save"))
            for field, value in (("account", "Carrefour"), ("give", "listing fee"), ("value", "abc")):
                screen.query_one(f"#log-{field}", Input).value = value
            await pilot.press("ctrl+s")
            await settle(pilot)
            error = screen.query_one("#log-form-error")
            assert visible(error) and "Value: 'abc' is not a number" in screen_text(app)
            assert app.focused is screen.query_one("#log-value") and visible(app.focused)
            assert visible(screen.query_one("#log-save"))

    run(scenario)


def test_concession_form_shows_the_plan_warning_at_80x24(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        conn = connect(app.db_path)
        try:
            plans_store.create(conn, load_yaml_file(PLAN_SAMPLE))
        finally:
            conn.close()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_screen("concessions")
            await settle(pilot)
            screen = app.screen
            for field, value in (
                ("account", "Carrefour"),
                ("meeting", "annual 2025"),
                ("give", "extra rebate"),
                ("value", "4"),
                ("unit", "%"),
            ):
                screen.query_one(f"#log-{field}", Input).value = value
            await settle(pilot)
            warning = screen.query_one(PlanWarning)
            assert warning.lines and visible(warning)
            assert "Against the plan for this meeting" in screen_text(app)
            assert visible(screen.query_one("#log-save"))

    run(scenario)


FACTS = (
    "I understand the anniversary matters a lot to you. Our sparkling tea grew 22% in your stores this year, "
    "and the family pack sells 40% more per facing than the small bottles."
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_roleplay_chat_is_readable_at_80x24_with_feedback_under_the_reply(tmp_path, lang):
    async def scenario():
        app = make_app(tmp_path, lang=lang, loader=folder_loader(locations.shipped_playbooks_dir()))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_screen("roleplay")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            screen.query_one("#rp-input", Input).value = FACTS
            screen.query_one("#rp-input", Input).focus()
            await pilot.press("enter")
            await settle(pilot)
            reply = screen.query_one(".rp-reply")
            feedback = screen.query_one(".rp-feedback")
            assert reply.size.width >= 36 and feedback.size.width >= 36  # 13 and 26 before
            assert feedback.region.y >= reply.region.bottom  # below, not squeezed beside it
            for widget in screen.query(".rp-customer, .rp-reply, .rp-feedback, .rp-now, #rp-brief"):
                whole = Region(0, 0, widget.outer_size.width, widget.outer_size.height)
                lines = [strip.text.strip(" ▌▐█▊▎") for strip in widget.render_lines(whole)]
                assert not any(line[:1] in "，。、；：？！」』）】》" for line in lines if line), lines

    run(scenario)


def test_roleplay_feedback_stays_beside_the_reply_on_a_wide_terminal(tmp_path):
    async def scenario():
        app = make_app(tmp_path, loader=folder_loader(locations.shipped_playbooks_dir()))
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            app.open_screen("roleplay")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            screen.query_one("#rp-input", Input).value = FACTS
            screen.query_one("#rp-input", Input).focus()
            await pilot.press("enter")
            await settle(pilot)
            reply = screen.query_one(".rp-reply")
            feedback = screen.query_one(".rp-feedback")
            assert feedback.region.x >= reply.region.right and reply.region.y == feedback.region.y

    run(scenario)


def test_training_starts_in_the_new_trainee_field_and_typing_goes_there(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_screen("training")
            await settle(pilot)
            screen = app.screen
            name = screen.query_one("#train-name", Input)
            assert app.focused is name and visible(name)
            await pilot.press(*"Lin")
            assert name.value == "Lin"

    run(scenario)


def test_training_with_trainees_starts_on_the_list(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        conn = connect(app.db_path)
        try:
            training_store.create_profile(conn, "Lin", "Spring")
        finally:
            conn.close()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_screen("training")
            await settle(pilot)
            assert app.focused is app.screen.query_one("#train-profiles")

    run(scenario)


def _plan_field(screen, field: str, text: str) -> None:
    from coach.tui.screens.plan import widget_id

    widget = screen.query_one(f"#{widget_id(field)}")
    if isinstance(widget, Input):
        widget.value = text
    else:
        widget.load_text(text)


def test_plan_wizard_checks_a_step_as_it_is_left_and_names_every_problem_in_words(tmp_path):
    async def scenario():
        from coach.tui.screens.plan import STEPS, PlanScreen

        app = make_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_screen("prep")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PlanScreen)
            screen.go_to("tradeables")
            await pilot.pause()
            _plan_field(
                screen,
                "tradeables",
                "Growth rebate | price | high | high | +8% volume | 1%\n"
                "Two promoter days | promotion | cheapish | lots | four facings | 2 bananas\n"
                "Flyer page",
            )
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert STEPS[screen.step].name == "tradeables"  # stays on the page with problems
            status = screen.query_one("#plan-status")
            assert visible(status)
            text = str(status.content)
            for expected in (
                "Tradeables, line 2: cost to us: unknown level 'cheapish'",
                "Tradeables, line 2: value to them: unknown level 'lots'",
                "Tradeables, line 2: limit's unit: unknown unit 'bananas'",
                "Tradeables, line 3: concession type, cost to us, value to them, what we ask back: missing",
            ):
                assert expected in text
            assert "tradeables line" not in text and "Input should be" not in text
            _plan_field(screen, "tradeables", "Growth rebate | price | high | high | +8% volume | 1%")
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert STEPS[screen.step].name == "record"

    run(scenario)


def test_plan_wizard_names_a_bad_date_and_a_missing_cell_in_chinese(tmp_path):
    async def scenario():
        from coach.tui.screens.plan import STEPS

        app = make_app(tmp_path, lang="zh")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_screen("prep")
            await settle(pilot)
            screen = app.screen
            _plan_field(screen, "date", "2025-02-30")
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert STEPS[screen.step].name == "meeting"
            assert "日期：'2025-02-30' is not a date" in str(screen.query_one("#plan-status").content)
            _plan_field(screen, "date", "2025-02-28")
            await pilot.press("ctrl+n")
            await settle(pilot)
            screen.go_to("facts")
            await pilot.pause()
            _plan_field(screen, "facts", "销量增长22%")
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert "事实第1行：来源：缺少这一项" in str(screen.query_one("#plan-status").content)

    run(scenario)


def test_a_chinese_entry_never_starts_a_line_with_a_closing_mark(tmp_path):
    async def scenario():
        app = make_app(tmp_path, lang="zh", loader=folder_loader(locations.shipped_playbooks_dir()))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_entry("tactic.nibble")  # step 3 ends "…多一个端架）。" at the edge of 80 columns
            await settle(pilot)
            lines = [line.strip(" │▊▎▁▂▃▄▅▆▇█") for line in screen_text(app).splitlines()]
            assert not [line for line in lines if line and line[0] in "，。、；：？！」』）】》"]

    run(scenario)
