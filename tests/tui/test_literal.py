"""User-typed and playbook text is shown literally: markup such as [bold red]x[/] is never interpreted."""

from __future__ import annotations

from textual.widgets import Input, OptionList
from tui_helpers import flat, folder_loader, make_app, matched, run, settle

from coach.tui.commands import EntryCommands

MARKUP = "[bold red]x[/]"

TRICKY = """
rules:
  - id: tactic.markup-trap
    category: tactic
    title: {en: "Trap [bold red]x[/]", zh: "陷阱 [bold red]x[/]"}
    summary: {en: "Summary [link=https://example.com]here[/link]", zh: "摘要 [link=https://example.com]这里[/link]"}
    match:
      phrases: {en: ["the buyer sent a contract full of brackets"]}
      keywords: [{term: brackets, weight: 3}]
    response:
      steps: [{en: "Step [i]one[/i]", zh: "步骤 [i]一[/i]"}]
      say: [{en: "Say [b]this[/b]", zh: "说 [b]这个[/b]"}]
      avoid: [{en: "Avoid [u]that[/u]", zh: "避免 [u]那个[/u]"}]
"""


def _app(tmp_path, lang="en"):
    folder = tmp_path / "pb"
    folder.mkdir(exist_ok=True)
    (folder / "pb.yaml").write_text(TRICKY, encoding="utf-8")
    return make_app(tmp_path, lang=lang, loader=folder_loader(folder))


def test_typed_markup_shows_literally_in_the_coach_and_in_notes(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("coach")
            await pilot.pause()
            screen = app.screen
            await pilot.press(*f"{MARKUP} brackets in the contract")
            await matched(pilot, screen)
            text = flat(app)
            assert f"{MARKUP} brackets in the contract" in text
            assert f"1. Trap {MARKUP}" in text
            await pilot.press("tab", "w")
            await pilot.pause()
            await pilot.press(*f"note {MARKUP} [link=https://evil.example]click[/link]")
            app.screen.action_summary()
            await pilot.pause()
            assert f"note {MARKUP} [link=https://evil.example]click[/link]" in flat(app)

    run(scenario)


def test_playbook_markup_shows_literally_everywhere(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.open_entry("tactic.markup-trap")
            await pilot.pause()
            text = flat(app)
            for literal in (
                f"Trap {MARKUP}",
                "Summary [link=https://example.com]here[/link]",
                "Step [i]one[/i]",
                "Say [b]this[/b]",
                "Avoid [u]that[/u]",
            ):
                assert literal in text, literal
            await pilot.press("escape")
            await pilot.pause()
            app.open_screen("browse")
            await pilot.pause()
            assert f"Trap {MARKUP}" in flat(app)
            app.screen.query_one(Input).value = "trap"
            await pilot.pause()
            assert app.screen.query_one("#browser-hits", OptionList).option_count == 1
            assert f"Trap {MARKUP}" in flat(app)
            app.start_walkthrough("tactic.markup-trap")
            await pilot.pause()
            assert "Step [i]one[/i]" in flat(app)
            app.set_language("zh")
            await pilot.pause()
            assert "步骤 [i]一[/i]" in flat(app) and f"陷阱 {MARKUP}" in flat(app)

    run(scenario)


def test_palette_hits_and_notifications_are_literal(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            provider = EntryCommands(app.screen)
            hits = [hit async for hit in provider.search("trap")]
            assert hits and all(MARKUP in hit.match_display.plain for hit in hits)
            app.open_entry(MARKUP)
            await pilot.pause()
            assert app.notices[-1] == ("error", f"No playbook entry '{MARKUP}'.")

    run(scenario)
