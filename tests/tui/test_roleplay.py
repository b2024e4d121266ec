"""Role-play screen: pick a scenario, chat with feedback beside each reply, running scorecard, retry, debrief,
and the session saved in SQLite (practice concessions included), in English and Chinese."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static
from tui_helpers import flat, make_app, run, settle, shipped_loader

from coach.store import concessions, sessions
from coach.store.db import connect
from coach.tui.screens.roleplay import RoleplayScreen
from coach.tui.widgets.roleplay import ExchangeView

GIVE = "OK, we'll give you the extra 5% for the anniversary."
FACTS = (
    "I understand the anniversary matters a lot to you. Our sparkling tea grew 22% in your stores this year, "
    "and the family pack sells 40% more per facing than the small bottles."
)
TRADE = (
    "If you give us the front page and end-caps in all 38 stores, "
    "we can add 2% off invoice for the two weeks."
)
FOLLOW = (
    "Agreed. I'll send you the written confirmation by Friday noon, "
    "with the end-cap fee charged to the annual marketing fund."
)


def _app(tmp_path, lang="en"):
    return make_app(tmp_path, lang=lang, loader=shipped_loader())


async def _open(app, pilot, scenario: str | None = None) -> RoleplayScreen:
    await settle(pilot)
    if scenario is None:
        app.open_screen("roleplay")
    else:
        app.push_screen(RoleplayScreen(scenario, trainee="Lin"))
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, RoleplayScreen)
    return screen


async def _say(pilot, screen: RoleplayScreen, text: str) -> None:
    screen.query_one("#rp-input", Input).value = text
    screen.query_one("#rp-input", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


def _content(screen, selector: str) -> str:
    """The whole text of a Static (also what is scrolled out of view)."""
    return str(screen.query_one(selector, Static).content)


def _saved(app, session_id: int = 1):
    conn = connect(app.db_path)
    try:
        return (
            sessions.get(conn, session_id),
            concessions.select(conn, concessions.Filter(practice=True, history=True)),
            concessions.select(conn),
        )
    finally:
        conn.close()


def test_pick_play_retry_debrief_and_saved_session(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test(size=(150, 50)) as pilot:
            screen = await _open(app, pilot)
            assert screen.view == "rp-pick"
            picker = screen.query_one("#rp-scenarios", OptionList)
            assert picker.option_count >= 10 and picker.get_option_at_index(0).id == "anniversary-flyer"
            assert "Choose a customer to practise with" in flat(app) and "Liu Yan — Great Harvest" in flat(
                app
            )
            picker.focus()
            await pilot.press("enter")
            await settle(pilot)
            assert screen.view == "rp-play" and screen.session_id is None  # saved with the first reply
            text = flat(app)
            assert (
                "Role-play: The anniversary flyer" in text
                and "Our tenth anniversary is the biggest event" in text
            )
            assert "Your objective" in text and "No more than 2% extra discount off invoice." in text

            await _say(pilot, screen, GIVE)
            assert screen.session_id == 1 and "Session #1 saved" in flat(app)
            text = flat(app)
            assert "✗ Watch out: " in text and "reply." not in text  # a behaviour's title, never its id
            assert "‼ Blocker — this fails the attempt" in text
            assert "-1 ■ 7. Use concessions well" in text
            assert "And the floor stacks are included in that, yes?" in text  # the customer's next move
            assert "Concedes past the limit" in text and "price/rebate 5% given, limit 2%" in text

            await pilot.press("ctrl+r")
            await settle(pilot)
            views = list(screen.query(ExchangeView))
            assert len(views) == 1 and views[0].has_class("-retried")
            assert "You (taken back):" in flat(app) and "+0 · 7. Use concessions well" in flat(app)
            assert ("information", "Your last reply was taken back; answer that turn again.") in app.notices

            for line in (FACTS, TRADE, FOLLOW):
                await _say(pilot, screen, line)
            assert screen.view == "rp-debrief"
            assert "=== Debrief: The anniversary flyer ===" in flat(app)
            text = _content(screen, "#rp-debrief-body")
            assert "Outcome: success — On the front page, within your limit" in text
            assert "Best lines from the playbooks:" in text and "(ending" not in text
            assert "↺ [Liu Yan]" in text and f"You (taken back): {GIVE}" in text
            assert "8. Keep records: +1" in text and "7. Use concessions well: +1" in text

        record, practice, real = _saved(app)
        assert record["status"] == "finished" and record["outcome"] == "success" and record["trainee"] is None
        assert [(e["turn"], e["retried"]) for e in record["transcript"]] == [
            ("opening", True),
            ("opening", False),
            ("value", False),
            ("close", False),
        ]
        assert [(c.give, c.status) for c in practice] == [
            (GIVE, "offered"),  # a yes to her "if you want in": judged in context, an offer
            (GIVE, "withdrawn"),
            (TRADE, "offered"),
        ]
        assert real == []

    run(scenario)


def test_retry_after_an_ending_reopens_the_session(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test(size=(150, 50)) as pilot:
            screen = await _open(app, pilot, "anniversary-flyer")
            assert screen.view == "rp-play"
            await _say(pilot, screen, "That's ridiculous, nobody pays 30,000 for a flyer page.")
            await _say(pilot, screen, "That's not true, you need our brand more than we need your flyer.")
            assert screen.view == "rp-debrief" and "Outcome: fail — She walked out" in _content(
                screen, "#rp-debrief-body"
            )
            assert _saved(app)[0]["status"] == "finished"
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert screen.view == "rp-play" and "(She starts closing her laptop.)" in flat(app)
            assert _saved(app)[0]["status"] == "open"
            await _say(pilot, screen, "I understand, I'm sorry, that came out wrong.")
            assert screen.state.node == "counter"
            await pilot.press("ctrl+g")
            await settle(pilot)
            assert screen.view == "rp-debrief" and "Outcome: left before the end" in _content(
                screen, "#rp-debrief-body"
            )
        record = _saved(app)[0]
        assert record["status"] == "left" and [e["retried"] for e in record["transcript"]] == [
            False,
            True,
            False,
        ]

    run(scenario)


def test_leaving_mid_way_saves_the_session_as_left(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test(size=(150, 50)) as pilot:
            screen = await _open(app, pilot)
            screen.start("walk-out")
            await settle(pilot)
            await _say(pilot, screen, "I understand you're under pressure. What would you need to see?")
            await pilot.press("escape")  # back to the picker
            await settle(pilot)
            assert screen.view == "rp-pick" and screen.state is None
            await pilot.press("escape")  # and out
            await settle(pilot)
            assert not isinstance(app.screen, RoleplayScreen)
        record = _saved(app)[0]
        assert record["status"] == "left" and record["scenario"]["id"] == "walk-out"

    run(scenario)


def test_opening_and_leaving_without_a_reply_saves_nothing(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test(size=(150, 50)) as pilot:
            await _open(app, pilot, "walk-out")
            await pilot.press("escape")
            await settle(pilot)
        conn = connect(app.db_path)
        try:
            assert sessions.list_sessions(conn) == []
        finally:
            conn.close()

    run(scenario)


def test_in_chinese_with_a_language_switch(tmp_path):
    async def scenario():
        app = _app(tmp_path, lang="zh")
        async with app.run_test(size=(150, 50)) as pilot:
            screen = await _open(app, pilot, "late-deliveries")
            text = flat(app)
            assert "角色扮演：节前断货" in text and "你的目标" in text and "八项原则得分" in text
            await _say(pilot, screen, "非常抱歉，是我们的问题。我理解那个周末对您影响有多大。")
            text = flat(app)
            assert "✓ 做得好：诚挚道歉" in text and "教练点评：" in text and "reply." not in text
            assert "周二、周四、周六这三车" in text
            await pilot.press("f2")
            await settle(pilot)
            text = flat(app)
            assert "Role-play: Empty shelves before the festival" in text
            assert "✓ Good: Sincere apology" in text and "reply." not in text
            assert "the Tuesday, Thursday and Saturday deliveries" in text
        assert _saved(app)[0]["lang"] == "zh"

    run(scenario)


def test_replies_are_shown_literally(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test(size=(150, 50)) as pilot:
            screen = await _open(app, pilot, "walk-out")
            await _say(pilot, screen, "[bold red]I understand[/] [link=http://x]you[/link]")
            assert "You: [bold red]I understand[/] [link=http://x]you[/link]" in _content(screen, ".rp-reply")
            assert "[bold red]I understand[/]" in flat(app)

    run(scenario)


def test_unknown_scenario_from_the_command_line_is_reported(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test(size=(150, 50)) as pilot:
            screen = await _open(app, pilot, "walkout")
            assert screen.view == "rp-pick"
            assert any(
                "no scenario 'walkout'" in text and "did you mean 'walk-out'?" in text
                for severity, text in app.notices
                if severity == "error"
            )

    run(scenario)


def test_startup_hook_opens_the_screen_over_home(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        app.startup = lambda: RoleplayScreen("time-pressed")
        async with app.run_test(size=(150, 50)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, RoleplayScreen) and app.screen.view == "rp-play"
            assert "You have five minutes. Go." in flat(app)

    run(scenario)


def test_home_and_palette_list_the_role_play(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test(size=(150, 50)) as pilot:
            await settle(pilot)
            assert RoleplayScreen in app.registered()
            assert "Role-play practice" in flat(app)

    run(scenario)
