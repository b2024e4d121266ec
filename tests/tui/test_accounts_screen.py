"""Key-accounts screen: lists the accounts, shows the highlighted one's tier, warnings and map, switches
to the coverage matrix; snapshots in English and Chinese at 80x24 (update with `pytest --snapshot-update`)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList
from tui_helpers import flat, make_app, run, settle

from coach.store import accounts
from coach.store.db import connect
from coach.tui.screens.accounts import AccountsScreen
from coach.tui.screens.help import HelpScreen


def _seed(db) -> None:
    conn = connect(db)
    accounts.add(conn, "Lianhua", tier="national", stores=3200, ours=["Li Wei", "Zhang Min"])
    accounts.add_contact(
        conn, "Lianhua", "theirs", "Wang Fang", role="Director", decision_role="decision-maker", influence=5,
        attitude="skeptic",
    )  # fmt: skip
    accounts.add_contact(
        conn, "Lianhua", "theirs", "Chen Jie", role="Buyer", reports_to="Wang Fang", influence=3
    )
    accounts.link(conn, "Lianhua", "Li Wei", "Chen Jie", level=3, target=4)
    accounts.add(conn, "Suguo", tier="local")
    conn.close()


def test_lists_accounts_shows_map_and_warnings_and_switches_to_coverage(tmp_path):
    async def scenario():
        app = make_app(tmp_path, screens=[AccountsScreen, HelpScreen])
        _seed(app.db_path)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            app.open_screen("accounts")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AccountsScreen)
            listing = screen.query_one("#acc-list", OptionList)
            assert [listing.get_option_at_index(i).id for i in range(listing.option_count)] == [
                "lianhua",
                "suguo",
            ]
            await settle(pilot)
            text = flat(app)
            assert "national · 3 warnings" in text and "local · 1 warning " in text
            assert "Wang Fang" in text and "known by Li Wei 3→4" in text
            assert "makes the decision and nobody on our side knows them" in text
            await pilot.press("v")
            await pilot.pause()
            assert "Coverage: our people × their people" in flat(app)
            await pilot.press("down")
            await settle(pilot)
            assert screen.account_map is not None and screen.account_map.account.name == "Suguo"
            assert "Nobody at Suguo is in the map yet" in flat(app)

    run(scenario)


def test_empty_database_says_how_to_add_an_account(tmp_path):
    async def scenario():
        app = make_app(tmp_path, screens=[AccountsScreen, HelpScreen])
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("accounts")
            await settle(pilot)
            assert "coach account add NAME" in flat(app)

    run(scenario)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot(snap_compare, tmp_path, lang):
    app = make_app(tmp_path, lang=lang, screens=[AccountsScreen, HelpScreen])
    _seed(app.db_path)

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_screen("accounts")
        await settle(pilot)
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_the_home_menu_text_is_in_the_screens_catalogue():
    import re
    from pathlib import Path

    from coach.i18n import CATALOGUES as catalogue
    from coach.tui import screens
    from coach.tui.registry import SCREENS

    for lang in ("en", "zh"):
        want = (catalogue[lang]["acc.menu"], catalogue[lang]["acc.menu.about"])
        assert AccountsScreen.MENU[lang] == want
        assert next(e for e in SCREENS if e.SCREEN_ID == "accounts").MENU[lang] == want
    source = (Path(screens.__file__).parent / "accounts.py").read_text(encoding="utf-8")
    assert not re.search(r"[\u4e00-\u9fff]", source) and catalogue["en"]["acc.menu.about"] not in source
