"""The app shell: home page, registry, command palette, language, theme, settings, errors, help."""

from __future__ import annotations

import json

from textual.widgets import OptionList
from tui_helpers import flat, make_app, run, settle

from coach.errors import ContentError
from coach.tui import app as app_module
from coach.tui.app import SCREENS
from coach.tui.commands import CoachCommands
from coach.tui.screens.browser import BrowserScreen
from coach.tui.screens.help import HelpScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.situation import SituationScreen
from coach.tui.screens.walkthrough import WalkthroughScreen


def test_home_lists_exactly_the_registered_screens_and_each_opens(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
            choices = app.screen.query_one("#home-choices", OptionList)
            ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
            assert ids == [cls.SCREEN_ID for cls in SCREENS if cls.ON_HOME]
            assert all(not choices.get_option_at_index(i).disabled for i in range(choices.option_count))
            assert "3 playbook entries loaded." in flat(app)
            for number, cls in enumerate([c for c in SCREENS if c.ON_HOME], 1):
                await pilot.press(str(number))
                await settle(pilot)
                assert type(app.screen) == cls  # noqa: E721 - a registry entry equals its class
                await pilot.press("escape")
                await pilot.pause()
                assert isinstance(app.screen, HomeScreen)
            await pilot.press("down", "enter")
            await pilot.pause()
            assert isinstance(app.screen, BrowserScreen)

    run(scenario)


def test_every_screen_is_registered_once_with_titles_in_both_languages():
    ids = [cls.SCREEN_ID for cls in SCREENS]
    assert len(ids) == len(set(ids)) and all(ids)
    for cls in SCREENS:
        assert set(cls.MENU) == {"en", "zh"} and all(all(pair) for pair in cls.MENU.values())


def test_palette_has_every_screen_and_action(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.start_walkthrough("tactic.nibble")
            await pilot.pause()
            titles = [title for title, _help, _cb in CoachCommands(app.screen).commands()]
            for cls in SCREENS:
                assert f"Go to: {cls.MENU['en'][0]}" in titles
            for action in (
                "Home",
                "Switch language to Chinese (切换到中文)",
                "Toggle light/dark theme",
                "Choose a theme…",
                "Show keys",
                "Quit",
            ):
                assert action in titles
            for screen_action in ("Next", "Previous", "Done", "Save", "Export"):
                assert f"This screen: {screen_action}" in titles

    run(scenario)


def test_palette_opens_a_screen_and_an_entry_by_name(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p", *"Go to: Browse")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, BrowserScreen)
            await pilot.press("ctrl+p", *"Walk through: The nibble")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, WalkthroughScreen) and app.screen.rule_id == "tactic.nibble"

    run(scenario)


def test_language_switches_at_run_time_and_is_remembered(tmp_path):
    async def scenario():
        app = make_app(tmp_path, lang=None)
        async with app.run_test() as pilot:
            await settle(pilot)
            assert app.lang == "en" and "What do you want to do?" in flat(app)
            await pilot.press("2")
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            assert app.lang == "zh"
            text = flat(app)
            assert "采购的谈判策略" in text and "得寸进尺" in text
            assert "返回" in text and "帮助" in text and "English" in text  # footer labels
            await pilot.press("escape")
            await pilot.pause()
            assert "你想做什么？" in flat(app)
        assert json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))["lang"] == "zh"

        again = make_app(tmp_path, lang=None)
        async with again.run_test() as pilot:
            await settle(pilot)
            assert again.lang == "zh" and "你想做什么？" in flat(again)
            await pilot.press("ctrl+p", *"切换到英文")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert again.lang == "en" and "What do you want to do?" in flat(again)

    run(scenario)


def test_language_defaults_to_the_system_locale(tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert make_app(tmp_path, lang=None).lang == "zh"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert make_app(tmp_path, lang=None).lang == "en"


def test_theme_toggles_between_light_and_dark_and_is_remembered(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            dark = app.current_theme.dark
            await pilot.press("f3")
            await pilot.pause()
            assert app.current_theme.dark is (not dark)
            chosen = app.theme
        assert json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))["theme"] == chosen
        assert make_app(tmp_path).theme == chosen

    run(scenario)


def test_broken_settings_file_is_reported_and_defaults_are_used(tmp_path):
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")

    async def scenario():
        app = make_app(tmp_path, lang=None)
        async with app.run_test() as pilot:
            await settle(pilot)
            assert app.lang == "en"
            assert app.notices[0][0] == "warning" and "settings.json:1:2: not valid JSON" in app.notices[0][1]

    run(scenario)
    assert (tmp_path / "settings.json").read_text(encoding="utf-8") == "{not json"  # left for the user to fix


def test_content_errors_are_a_notification_and_a_status_line(tmp_path):
    def broken():
        raise ContentError(
            ["playbooks/tactics.yaml:42:7: rules[3].match.phrases: expected a list of strings"]
        )

    async def scenario():
        app = make_app(tmp_path, loader=broken)
        async with app.run_test() as pilot:
            await settle(pilot)
            assert app.is_running and isinstance(app.screen, HomeScreen)
            assert app.notices[-1] == (
                "error",
                "Playbooks could not be loaded: playbooks/tactics.yaml:42:7: rules[3].match.phrases: "
                "expected a list of strings",
            )
            choices = app.screen.query_one("#home-choices", OptionList)
            disabled = {
                choices.get_option_at_index(i).id
                for i in range(choices.option_count)
                if choices.get_option_at_index(i).disabled
            }
            assert disabled == {cls.SCREEN_ID for cls in SCREENS if cls.ON_HOME and cls.NEEDS_CONTENT}
            assert "Run `coach validate` to see every problem." in flat(app)
            await pilot.press("1")
            await pilot.pause()
            assert not isinstance(app.screen, SituationScreen)

    run(scenario)


def test_a_bug_while_loading_is_logged_and_shown_in_one_line(tmp_path, caplog):
    def buggy():
        raise RuntimeError("boom")

    async def scenario():
        app = make_app(tmp_path, loader=buggy)
        async with app.run_test() as pilot:
            await settle(pilot)
            assert app.is_running
            assert app.notices[-1] == ("error", "Playbooks could not be loaded: RuntimeError: boom")

    run(scenario)
    assert any(r.exc_info for r in caplog.records if r.name == "coach.tui")


def test_help_lists_the_registered_screens_and_the_keys(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(100, 50)) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = flat(app)
            for cls in SCREENS:
                if cls.ON_HOME:
                    assert cls.MENU["en"][0] in text
            for key in ("F1", "F2", "F3", "Ctrl+P", "Esc", "Ctrl+Q"):
                assert key in text

    run(scenario)


def test_unknown_entry_is_a_notification(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_entry("tactic.nope")
            await pilot.pause()
            assert app.notices[-1] == ("error", "No playbook entry 'tactic.nope'.")
            assert isinstance(app.screen, HomeScreen)

    run(scenario)


def test_run_app_refuses_a_missing_playbook_folder_before_opening(tmp_path, capsys):
    from coach.cli import main

    assert main(["--playbooks", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"coach: {tmp_path / 'nope'}: no such file or folder"
    assert app_module.SCREENS  # the UI module imported fine


def test_global_options_reach_verbs_that_have_them(tmp_path, capsys):
    from coach.cli import main

    db = tmp_path / "other.sqlite3"
    assert main(["--db", str(db), "walkthroughs", "list"]) == 0
    assert db.exists()
    try:
        main(["--db", str(db), "locate"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "--db does not apply to `coach locate`" in capsys.readouterr().err


def test_an_unexpected_error_is_logged_in_full_and_summarised_in_one_line(tmp_path, caplog, capsys):
    import pytest

    def boom():
        raise RuntimeError("boom")

    app = make_app(tmp_path)

    async def crash():
        async with app.run_test() as pilot:
            await settle(pilot)
            app.call_later(boom)
            await pilot.pause()

    with pytest.raises(RuntimeError, match="boom"):
        run(crash)
    assert app.crash == "RuntimeError: boom"
    assert any(r.exc_info and r.levelname == "CRITICAL" for r in caplog.records if r.name == "coach.tui")
    assert "Traceback" not in capsys.readouterr().err


def test_run_app_refuses_a_database_that_is_not_one_before_opening(tmp_path, capsys):
    from coach.cli import main

    bad = tmp_path / "notes.txt"
    bad.write_text("my notes", encoding="utf-8")
    assert main(["--db", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"coach: {bad}: not a coach database (not an SQLite file); it was left untouched")
    assert err.count("\n") == 1
    assert bad.read_text(encoding="utf-8") == "my notes"
    assert main(["--db", str(tmp_path)]) == 2
    assert "is a folder, not a database file" in capsys.readouterr().err
