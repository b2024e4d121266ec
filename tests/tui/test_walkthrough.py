"""Walk-through: page by page with ticks and notes, back/next, summary, save to SQLite, export Markdown."""

from __future__ import annotations

import sqlite3

from textual.widgets import Checkbox, Input, TextArea
from tui_helpers import flat, folder_loader, make_app, run, settle

from coach import locations
from coach.store import walkthroughs
from coach.store.db import connect
from coach.tui.screens.confirm import ConfirmScreen
from coach.tui.screens.walkthrough import WalkthroughScreen

FULL = """
rules:
  - id: tactic.good-cop-bad-cop-x
    category: tactic
    title: {en: Good cop bad cop, zh: 一个唱红脸一个唱白脸}
    summary: {en: Two buyers play roles., zh: 两个采购分工演戏。}
    match:
      phrases: {en: ["one buyer is nice and the other is nasty"]}
    response:
      steps:
        - {en: Name the game to yourself., zh: 心里先认出这个套路。}
        - {en: Talk to both as one team., zh: 把两个人当成一个团队来谈。}
      say: [{en: "Let's agree this together.", zh: 我们一起把这件事定下来。}]
      avoid: [{en: Giving the nice one a gift., zh: 给唱红脸的人让步。}]
"""


def _app(tmp_path, lang="en"):
    folder = tmp_path / "pb"
    folder.mkdir(exist_ok=True)
    (folder / "pb.yaml").write_text(FULL, encoding="utf-8")
    return make_app(tmp_path, lang=lang, loader=folder_loader(folder))


def test_walk_through_tick_note_back_next_summary_save(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.start_walkthrough("tactic.good-cop-bad-cop-x")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, WalkthroughScreen)
            assert "1 of 4 · Step" in flat(app) and "Name the game to yourself." in flat(app)
            await pilot.press(*"buyer A smiled", "ctrl+t")  # notes have the focus; ctrl+t ticks
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert "2 of 4 · Step" in flat(app)
            assert screen.query_one(TextArea).text == "" and screen.query_one(Checkbox).value is False
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert (
                screen.query_one(TextArea).text == "buyer A smiled"
                and screen.query_one(Checkbox).value is True
            )
            await pilot.click("#walk-next")
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert "3 of 4 · What to say" in flat(app) and "Let's agree this together." in flat(app)
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert "4 of 4 · Never do this" in flat(app)
            await pilot.press("ctrl+t", "ctrl+n")
            await pilot.pause()
            text = flat(app)
            assert "Summary: Good cop bad cop · 2 of 4 ticked" in text
            assert "notes: buyer A smiled" in text
            assert "Not saved yet." in text
            screen.query_one(Input).value = "class of March"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert screen.saved_id == 1 and not screen.dirty
            assert "Saved as walk-through #1." in flat(app)

            conn = connect(app.db_path)
            wt = walkthroughs.get(conn, 1)
            conn.close()
            assert (
                wt.rule_id == "tactic.good-cop-bad-cop-x" and wt.lang == "en" and wt.label == "class of March"
            )
            assert [(s.kind, s.done, s.notes) for s in wt.steps] == [
                ("step", True, "buyer A smiled"),
                ("step", False, ""),
                ("say", False, ""),
                ("avoid", True, ""),
            ]
            assert wt.steps[3].text == "Giving the nice one a gift."

            # A second save updates the same record.
            await pilot.press("ctrl+b")
            await pilot.press(*"stay firm")
            await pilot.press("ctrl+s")
            await settle(pilot)
            conn = connect(app.db_path)
            rows = conn.execute("SELECT count(*) FROM walkthroughs").fetchone()[0]
            wt = walkthroughs.get(conn, 1)
            conn.close()
            assert rows == 1 and wt.steps[3].notes == "stay firm"

    run(scenario)


def test_export_writes_markdown_with_notes_escaped(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.start_walkthrough("tactic.good-cop-bad-cop-x")
            await pilot.pause()
            screen = app.screen
            await pilot.press(*"# not a heading [link](x)", "ctrl+t", "ctrl+o")
            await settle(pilot)
            path = screen.exported_path
            assert path is not None and path.parent == locations.exports_dir()
            md = path.read_text(encoding="utf-8")
            assert md.startswith("# Walk-through: Good cop bad cop\n")
            assert "- [x] Name the game to yourself." in md
            assert "> \\# not a heading \\[link\\](x)" in md
            assert any(str(path) in text for _, text in app.notices)

    run(scenario)


def test_walk_through_in_chinese_saves_chinese_text(tmp_path):
    async def scenario():
        app = _app(tmp_path, lang="zh")
        async with app.run_test() as pilot:
            await settle(pilot)
            app.start_walkthrough("tactic.good-cop-bad-cop-x")
            await pilot.pause()
            assert "第 1/4 项 · 步骤" in flat(app) and "心里先认出这个套路。" in flat(app)
            screen = app.screen
            screen.action_summary()
            await pilot.pause()
            assert "小结：一个唱红脸一个唱白脸 · 已勾选 0/4" in flat(app)
            await pilot.press("ctrl+s")
            await settle(pilot)
            conn = connect(app.db_path)
            wt = walkthroughs.get(conn, screen.saved_id)
            conn.close()
            assert (
                wt.lang == "zh"
                and wt.title == "一个唱红脸一个唱白脸"
                and wt.steps[2].text == "我们一起把这件事定下来。"
            )

    run(scenario)


def test_leaving_with_unsaved_notes_asks_first(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.start_walkthrough("tactic.good-cop-bad-cop-x")
            await pilot.pause()
            walk = app.screen
            await pilot.press(*"remember this", "escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.click("#confirm-stay")
            await pilot.pause()
            assert app.screen is walk and walk.query_one(TextArea).text == "remember this"
            await pilot.press("escape")
            await pilot.pause()
            await pilot.click("#confirm-save")
            await settle(pilot)
            assert app.screen is not walk
            conn = connect(app.db_path)
            assert walkthroughs.get(conn, 1).steps[0].notes == "remember this"
            conn.close()

            app.start_walkthrough("tactic.good-cop-bad-cop-x")
            await pilot.pause()
            await pilot.press("ctrl+t", "escape")
            await pilot.pause()
            await pilot.click("#confirm-discard")
            await pilot.pause()
            assert not isinstance(app.screen, WalkthroughScreen)
            conn = connect(app.db_path)
            assert conn.execute("SELECT count(*) FROM walkthroughs").fetchone()[0] == 1
            conn.close()

    run(scenario)


def test_leaving_untouched_walk_through_does_not_ask(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.start_walkthrough("tactic.good-cop-bad-cop-x")
            await pilot.pause()
            await pilot.press("ctrl+n", "ctrl+n", "escape")
            await pilot.pause()
            assert len(app.screen_stack) == 1

    run(scenario)


def test_save_failure_is_a_notification_and_keeps_the_work(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        app.db_path = tmp_path  # a folder: cannot be a database
        async with app.run_test() as pilot:
            await settle(pilot)
            app.start_walkthrough("tactic.good-cop-bad-cop-x")
            await pilot.pause()
            screen = app.screen
            await pilot.press(*"keep me", "ctrl+s")
            await settle(pilot)
            assert app.notices[-1][0] == "error"
            assert app.notices[-1][1].startswith("Could not save: ")
            assert "is a folder" in app.notices[-1][1]
            assert screen.dirty and screen.saved_id is None
            assert app.screen is screen and screen.query_one(TextArea).text == "keep me"

    run(scenario)


def test_quit_with_unsaved_walk_through_asks(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.start_walkthrough("tactic.good-cop-bad-cop-x")
            await pilot.pause()
            await pilot.press("ctrl+t", "ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.click("#confirm-stay")
            await pilot.pause()
            assert isinstance(app.screen, WalkthroughScreen) and app.is_running

    run(scenario)


def test_database_is_the_shared_one_with_schema_version(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.start_walkthrough("tactic.good-cop-bad-cop-x")
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(pilot)
        raw = sqlite3.connect(app.db_path)
        version = raw.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        raw.close()
        assert version >= 2 and {"walkthroughs", "walkthrough_steps"} <= tables

    run(scenario)
