"""Playbook browser and entry screen: categories, entries, preview, fuzzy search, linked principles."""

from __future__ import annotations

from textual.widgets import Input, OptionList
from tui_helpers import flat, make_app, run, settle

from coach.tui.screens.browser import BrowserScreen
from coach.tui.screens.entry import EntryScreen
from coach.tui.screens.walkthrough import WalkthroughScreen
from coach.tui.widgets.entry_view import EntryView


def test_categories_hold_their_entries_and_the_preview_follows_the_cursor(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            await pilot.press("2")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, BrowserScreen)
            listing = screen.query_one("#browser-tree", OptionList)
            options = [listing.get_option_at_index(i) for i in range(listing.option_count)]
            assert [(o.id, o.disabled) for o in options] == [
                ("cat:tactic", True),
                ("tactic.nibble", False),
                ("tactic.walkout-pressure", False),
                ("cat:principle", True),
                ("principle.trade-concessions", False),
            ]
            assert "Buyer tactics 2" in flat(app) and "The eight principles 1" in flat(app)
            assert screen.query_one(EntryView).rule_id == "tactic.nibble"
            assert "Treat it as a new request." in flat(app)
            await pilot.press("down", "down")  # the heading is skipped
            await pilot.pause()
            assert screen.query_one(EntryView).rule_id == "principle.trade-concessions"
            await pilot.press("up", "up")
            await pilot.pause()
            assert screen.query_one(EntryView).rule_id == "tactic.nibble"
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, EntryScreen) and app.screen.rule_id == "tactic.nibble"

    run(scenario)


def test_fuzzy_search_finds_entries_in_either_language(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("browse")
            await pilot.pause()
            screen = app.screen
            await pilot.press("slash", *"nible")  # a typo still finds "The nibble"
            await pilot.pause()
            hits = screen.query_one("#browser-hits", OptionList)
            assert hits.display and hits.get_option_at_index(0).id == "tactic.nibble"
            screen.query_one(Input).value = "让步"
            await pilot.pause()
            assert hits.get_option_at_index(0).id == "principle.trade-concessions"
            screen.query_one(Input).value = "zzzzqqq"
            await pilot.pause()
            assert hits.option_count == 0
            assert "Nothing matches 'zzzzqqq'." in flat(app)
            screen.query_one(Input).value = "walk out"
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, EntryScreen) and app.screen.rule_id == "tactic.walkout-pressure"

    run(scenario)


def test_entry_shows_every_part_and_linked_principles_are_navigable(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_entry("tactic.nibble")
            await pilot.pause()
            text = flat(app)
            for part in (
                "The nibble",
                "buyer tactic",
                "After the deal they ask for one more extra.",
                "Steps",
                "1. Treat it as a new request.",
                "Linked principles",
                "Use concessions well",
            ):
                assert part in text, part
            links = app.screen.query_one("#entry-links", OptionList)
            assert [links.get_option_at_index(i).id for i in range(links.option_count)] == [
                "principle.trade-concessions"
            ]
            links.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, EntryScreen) and app.screen.rule_id == "principle.trade-concessions"
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("w")
            await pilot.pause()
            assert isinstance(app.screen, WalkthroughScreen) and app.screen.rule_id == "tactic.nibble"

    run(scenario)


def test_departments_say_and_avoid_are_shown(tmp_path):
    folder = tmp_path / "full"
    folder.mkdir()
    (folder / "full.yaml").write_text(
        """
rules:
  - id: complaint.delivery-x
    category: complaint
    title: {en: Late delivery, zh: 送货晚了}
    summary: {en: Trucks were late., zh: 车晚到了。}
    match:
      phrases: {en: ["the delivery was late again"]}
    response:
      steps: [{en: Apologise., zh: 道歉。}]
      say: [{en: "I will call transport now.", zh: 我马上找物流。}]
      avoid: [{en: Blaming the store., zh: 怪门店。}]
      departments: [logistics, finance]
""",
        encoding="utf-8",
    )
    from tui_helpers import folder_loader

    async def scenario():
        app = make_app(tmp_path, loader=folder_loader(folder))
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_entry("complaint.delivery-x")
            await pilot.pause()
            text = flat(app)
            for part in (
                "What to say",
                "I will call transport now.",
                "Never do this",
                "Blaming the store.",
                "Involve: logistics/transport, finance",
            ):
                assert part in text, part
            app.set_language("zh")
            await pilot.pause()
            text = flat(app)
            for part in (
                "可以这样说",
                "我马上找物流。",
                "千万不要",
                "怪门店。",
                "需要协同的部门：物流/运输部、财务部",
            ):
                assert part in text, part

    run(scenario)


def test_an_account_entry_offers_the_way_to_the_account_plan_in_both_languages(tmp_path):
    """As `coach match` prints "Open the plan: ...", an account.* entry offers the key-accounts screen first."""
    from tui_helpers import folder_loader

    from coach.tui.screens.accounts import AccountsScreen

    folder = tmp_path / "acc"
    folder.mkdir()
    rule = """
  - id: {id}
    category: {cat}
    title: {{en: {en}, zh: {zh}}}
    summary: {{en: About the account., zh: 关于客户。}}
    match:
      phrases: {{en: ["{phrase}"]}}
    response:
      steps: [{{en: Look at the plan., zh: 看计划。}}]
"""
    (folder / "acc.yaml").write_text(
        "rules:"
        + rule.format(
            cat="account",
            id="account.business-plan",
            en="Business plan",
            zh="业务计划",
            phrase="the annual plan",
        )
        + rule.format(
            cat="account",
            id="account.relationship",
            en="Key contacts",
            zh="客情关系",
            phrase="who knows the buyer",
        )
        + rule.format(
            cat="tactic",
            id="tactic.nibble-x",
            en="Nibble",
            zh="得寸进尺",
            phrase="one more extra after the deal",
        ),
        encoding="utf-8",
    )

    async def scenario():
        app = make_app(tmp_path, loader=folder_loader(folder))
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_entry("account.business-plan")
            await pilot.pause()
            links = app.screen.query_one("#entry-links", OptionList)
            assert links.get_option_at_index(0).id == "@accounts"
            assert "Open the account plan: Key accounts, choose the account, then p" in flat(app)
            app.set_language("zh")
            await pilot.pause()
            assert "打开客户计划：进入“重点客户”，选中客户后按 p" in flat(app)
            app.set_language("en")
            links.focus()
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AccountsScreen)
            await pilot.press("escape")
            await pilot.pause()
            app.open_entry("account.relationship")
            await pilot.pause()
            assert "The relationship map: Key accounts, choose the account (p: its plan)" in flat(app)
            app.open_entry("tactic.nibble-x")  # not an account entry: no way to the accounts
            await pilot.pause()
            assert "Key accounts" not in flat(app)
            assert not app.screen.query_one("#entry-links", OptionList).display

    run(scenario)
