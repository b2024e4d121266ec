"""The terminal UI at 80x24, tried as a new user would: what the user needs is on the screen, not below it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, OptionList, TextArea
from tui_helpers import make_app, run, screen_text, settle, shipped_loader

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
        app = make_app(tmp_path, lang=lang, loader=shipped_loader())
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
        app = make_app(tmp_path, loader=shipped_loader())
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
        app = make_app(tmp_path, lang="zh", loader=shipped_loader())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_entry("tactic.nibble")  # step 3 ends "…多一个端架）。" at the edge of 80 columns
            await settle(pilot)
            lines = [line.strip(" │▊▎▁▂▃▄▅▆▇█") for line in screen_text(app).splitlines()]
            assert not [line for line in lines if line and line[0] in "，。、；：？！」』）】》"]

    run(scenario)


# ------------------------------------------------------------------------------ a key account, in Chinese

HUAMEI_DAY = date(2026, 7, 6)
"""The day the key account's offer is read: two of its plan's actions are overdue, one is not."""
HUAMEI_PLAN = """account: 华美超市
year: 2026
objectives:
  - text: 华美全年进货额做到2050万元
    side: ours
    measure: 进货额2050万元（+10%）
    actions:
      - what: 在总部谈定60家新店的进场
        owner: 李伟
        due: 2026-02-28
      - what: 店庆月每店两个端架
        owner: 李伟
        due: 2026-08-15
  - text: 华美要品类增长、不加费用
    side: theirs
    measure: 品类销售+8%，费用持平
    actions:
      - what: 跟刘洋用扫码数据做品类回顾
        owner: 李伟
        due: 2026-03-15
"""


@pytest.fixture
def huamei(tmp_path, monkeypatch):
    """华美超市 as a Chinese KAM types it: the purchasing director, a skeptic who decides and whom nobody of
    ours knows; a senior buyer Li Wei knows well; the category manager; the 2026 business plan."""
    from coach.cli import main

    monkeypatch.setenv("COACH_DB", str(tmp_path / "coach.sqlite3"))  # the app's database (make_app)
    for module in ("coach.services.accounts", "coach.review.accounts", "coach.store.accounts"):
        monkeypatch.setattr(f"{module}.date", _Day)
    (tmp_path / "plan.yaml").write_text(HUAMEI_PLAN, encoding="utf-8")
    for args in (
        [
            "account",
            "add",
            "华美超市",
            "--tier",
            "national",
            "--stores",
            "1200",
            "--ours",
            "李伟",
            "--ours",
            "张敏",
        ],
        [
            "account",
            "contact",
            "add",
            "华美超市",
            "王芳",
            "--role",
            "采购总监",
            "--decision",
            "decision-maker",
        ]
        + ["--influence", "5", "--attitude", "skeptic"],
        ["account", "contact", "add", "华美超市", "陈杰", "--role", "饮料高级采购", "--reports-to", "王芳"]
        + ["--decision", "influencer", "--influence", "3", "--attitude", "supporter"],
        ["account", "contact", "add", "华美超市", "刘洋", "--role", "品类经理", "--reports-to", "王芳"]
        + ["--decision", "influencer", "--influence", "4", "--attitude", "neutral"],
        ["account", "link", "华美超市", "李伟", "陈杰", "--level", "4"],
        ["acbp", "import", str(tmp_path / "plan.yaml")],
    ):
        assert main(args) == 0, args
    return tmp_path


class _Day(date):
    @classmethod
    def today(cls) -> date:  # type: ignore[override]
        return HUAMEI_DAY


def drawn(widget: Widget) -> list[str]:
    """Every line ``widget`` draws, scrolled into view or not, as plain text."""
    whole = Region(0, 0, widget.outer_size.width, widget.outer_size.height)
    return [strip.text.rstrip() for strip in widget.render_lines(whole)]


def assert_well_broken(lines: list[str], width: int, *phrases: str) -> None:
    """Nothing runs past ``width`` columns or is cut off (every phrase is there whole, whatever the line
    breaks), no line starts with a closing mark, and no bullet is left alone on its line."""
    from coach.linebreak import CLOSING, text_width

    assert all(text_width(line) <= width for line in lines), lines
    starts = [line.strip() for line in lines if line.strip()]
    assert not [line for line in starts if line[0] in CLOSING], starts
    assert not [line for line in starts if line in ("•", "★", "☆", "⚠")], starts
    joined = "".join("".join(lines).split())
    for phrase in phrases:
        assert "".join(phrase.split()) in joined, phrase


async def _plan_for_huamei(pilot) -> None:  # noqa: ANN001
    """The meeting-plan wizard with 华美超市 typed on its first step, the account's offer read."""
    from coach.tui.screens.plan import PlanScreen

    await settle(pilot)
    pilot.app.open_screen("prep")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen)
    _plan_field(screen, "account", "华美超市")
    _plan_field(screen, "meeting", "三季度档期会")
    screen.go_to("objectives")
    for _ in range(200):
        await settle(pilot)
        if screen._offer_for == screen._account_ref():
            break
    assert screen.offered is not None


def test_plan_wizard_offers_the_key_account_in_chinese_at_80x24(huamei):
    async def scenario():
        app = make_app(huamei, lang="zh")
        async with app.run_test(size=SIZE) as pilot:
            await _plan_for_huamei(pilot)
            screen = app.screen
            button = screen.query_one("#plan-from-account")
            assert button.display and visible(button) and "从客户计划加入" in screen_text(app)
            box = screen.query_one("#plan-advice-box")
            assert visible(box) and "华美超市" in screen_text(
                app
            )  # the offer starts at the top of the advice
            advice = screen.query_one("#plan-advice")
            assert_well_broken(
                drawn(advice),
                advice.size.width,
                "华美超市 是重点客户（2026年业务计划）。这次会议可以参考：",
                "• 华美全年进货额做到2050万元（进货额2050万元（+10%））",
                "• 王芳（采购总监 · 决策者 · 影响力5 · 怀疑者 · 我方无人认识）",
                "• ⚠ 在总部谈定60家新店的进场（李伟，2026-02-28 起已逾期）",
                "• 店庆月每店两个端架（李伟，2026-08-15 前）",
            )
            button.press()
            await settle(pilot)
            objectives = screen.query_one("#plan-f-objectives", TextArea).text
            assert "nice: 华美全年进货额做到2050万元" in objectives

    run(scenario)


def test_plan_summary_shows_their_people_at_the_meeting_in_chinese_at_80x24(huamei):
    async def scenario():
        app = make_app(huamei, lang="zh", loader=shipped_loader())
        async with app.run_test(size=SIZE) as pilot:
            await _plan_for_huamei(pilot)
            screen = app.screen
            _plan_field(screen, "objectives", "must: 九月档期：每店两个端架加一页海报")
            _plan_field(screen, "theirs", "王芳 | 采购总监\n孙慧 | 促销经理")
            _plan_field(screen, "walk_away", "店庆不付进场费")
            _plan_field(
                screen, "tradeables", "店庆月90个促销员人天 | promotion | medium | high | 九月每店两个端架"
            )
            screen.go_to("summary")
            await settle(pilot)
            summary = screen.query_one("#plan-summary")
            lines = drawn(summary)
            assert_well_broken(
                lines,
                summary.size.width,
                "到场的客户方人员",
                "王芳：采购总监 · 决策者 · 影响力5 · 怀疑者 · 我方无人认识",
                "孙慧：促销经理 · 不在华美超市的客情关系图里",
                "⚠ 教练提醒（本次到场）：",
            )
            assert not [line for line in lines if "principle." in line]  # titles, never rule ids
            help_lines = drawn(screen.query_one("#plan-advice"))
            assert any("Ctrl+S" in line for line in help_lines), help_lines  # not "Ctrl" and "+S"
            # Scrolled to the part, it is on the screen whole: its title and both people.
            top = next(i for i, line in enumerate(lines) if line.strip() == "到场的客户方人员")
            step = screen.query_one("#plan-step-10")
            step.scroll_to(y=top, animate=False)
            await settle(pilot)
            text = screen_text(app)
            assert "到场的客户方人员" in text and "王芳" in text and "孙慧" in text

    run(scenario)


def test_home_opens_key_accounts_in_chinese_at_80x24(huamei):
    async def scenario():
        from coach.tui.screens.accounts import AccountsScreen

        app = make_app(huamei, lang="zh")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            choices = app.screen.query_one("#home-choices", OptionList)
            number = next(i for i, o in enumerate(choices.options, 1) if o.id == "accounts")
            text = screen_text(app)
            assert f"{number}  重点客户" in text
            assert "客户级别、客情关系图和教练提醒，以及年度客户业务计划。" in text  # not cut with "…"
            assert choices.max_scroll_y == 0
            await pilot.press(str(number))
            await settle(pilot)
            assert isinstance(app.screen, AccountsScreen)
            assert "华美超市" in screen_text(app)

    run(scenario)
