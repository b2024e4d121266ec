"""Situation coach: type a situation, see ranked matches with score and why, open one, walk through it."""

from __future__ import annotations

from tui_helpers import DATA, flat, folder_loader, make_app, matched, run, settle

from coach.engine.match import MatchResult
from coach.tui.screens.entry import EntryScreen
from coach.tui.screens.situation import SituationScreen
from coach.tui.screens.walkthrough import WalkthroughScreen
from coach.tui.widgets.match_list import MatchList

AMBIGUOUS = """
rules:
  - id: tactic.twin-a
    category: tactic
    title: {en: Twin A, zh: 双胞胎甲}
    summary: {en: First twin., zh: 第一个。}
    match:
      phrases: {en: ["the buyer wants a bigger listing fee for the new flavour"]}
    response:
      steps: [{en: Do A., zh: 做甲。}]
  - id: tactic.twin-b
    category: tactic
    title: {en: Twin B, zh: 双胞胎乙}
    summary: {en: Second twin., zh: 第二个。}
    match:
      phrases: {en: ["the buyer wants a bigger listing fee for the new flavour"]}
    response:
      steps: [{en: Do B., zh: 做乙。}]
"""


def test_typing_shows_ranked_matches_with_score_and_why(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("coach")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SituationScreen)
            await pilot.press(*"halfway through the talks she just walked out")
            await matched(pilot, screen)
            assert screen.result is not None
            assert screen.result.matches[0].id == "tactic.walkout-pressure"
            listing = screen.query_one(MatchList)
            assert listing.highlighted_id == "tactic.walkout-pressure"
            text = flat(app)
            assert "1. Breaking off talks" in text
            assert f"score {screen.result.matches[0].score:.2f}" in text
            assert '"walked out"' in text and "keyword" not in text and "+3" not in text

    run(scenario)


def test_enter_opens_the_entry_and_w_starts_its_walkthrough(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            await pilot.press("1")
            screen = app.screen
            await pilot.press(*"after we signed the deal he asked for one more thing")
            await matched(pilot, screen)
            await pilot.press("tab", "enter")
            await pilot.pause()
            assert isinstance(app.screen, EntryScreen)
            assert app.screen.rule_id == "tactic.nibble"
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("w")
            await pilot.pause()
            assert isinstance(app.screen, WalkthroughScreen)
            assert app.screen.rule_id == "tactic.nibble"

    run(scenario)


def test_abstention_says_no_playbook_fits(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("coach")
            await pilot.pause()
            screen = app.screen
            await pilot.press(*"the weather in the mountains was lovely")
            await matched(pilot, screen)
            assert screen.result is not None and screen.result.matches == []
            assert screen.query_one(MatchList).option_count == 0
            assert "No playbook fits this — try describing what the customer said or did." in flat(app)

    run(scenario)


def test_close_calls_are_shown_as_ambiguous(tmp_path):
    folder = tmp_path / "twins"
    folder.mkdir()
    (folder / "twins.yaml").write_text(AMBIGUOUS, encoding="utf-8")

    async def scenario():
        app = make_app(tmp_path, loader=folder_loader(folder))
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("coach")
            await pilot.pause()
            screen = app.screen
            await pilot.press(*"buyer wants a bigger listing fee for the new flavour")
            await matched(pilot, screen)
            assert screen.result.ambiguous
            text = flat(app)
            assert "Too close to call between the first two; read both." in text
            assert text.count("≈ close call") == 2

    run(scenario)


def test_a_stale_result_never_replaces_a_newer_text(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("coach")
            await pilot.pause()
            screen = app.screen
            await pilot.press(*"she walked out")
            await matched(pilot, screen)
            shown = screen.result
            screen.post_message(
                SituationScreen.MatchesUpdated("an older text", MatchResult("an older text", []), 0.0)
            )
            await pilot.pause()
            assert screen.result is shown

    run(scenario)


def test_chinese_situation_in_chinese_interface(tmp_path):
    async def scenario():
        app = make_app(tmp_path, lang="zh")
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("coach")
            await pilot.pause()
            screen = app.screen
            screen.query_one("#situation-text").insert("谈到一半采购直接走人了")
            await matched(pilot, screen)
            assert screen.result.matches[0].id == "tactic.walkout-pressure"
            text = flat(app)
            assert "1. 中断讨论施压" in text
            assert "依据：" in text and "「走人」" in text and "+3" not in text
            assert "描述一下情况" in text

    run(scenario)


def test_matching_never_blocks_when_playbooks_failed(tmp_path):
    async def scenario():
        app = make_app(tmp_path, loader=folder_loader(DATA / "bad" / "syntax.yaml"))
        async with app.run_test() as pilot:
            await settle(pilot)
            assert app.content_error
            app.open_screen("coach")  # needs the playbooks: refused with a notice, no crash
            await pilot.pause()
            assert not isinstance(app.screen, SituationScreen)
            assert app.notices[-1][0] == "warning"

    run(scenario)


def test_a_walk_through_from_the_coach_keeps_the_situation_typed_in_its_export(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            await pilot.press("1")
            screen = app.screen
            await pilot.press(*"after we signed the deal he asked for one more thing")
            await matched(pilot, screen)
            await pilot.press("tab", "enter")  # the entry first, then w from there
            await pilot.pause()
            await pilot.press("w")
            await pilot.pause()
            walk = app.screen
            assert isinstance(walk, WalkthroughScreen)
            assert walk.situation == "after we signed the deal he asked for one more thing"
            await pilot.press("ctrl+o")
            await settle(pilot)
            md = walk.exported_path.read_text(encoding="utf-8")
            assert "- Situation: after we signed the deal he asked for one more thing" in md

    run(scenario)
