"""Snapshots of the main screens in English and Chinese at 80x24 (update with `pytest --snapshot-update`)."""

from __future__ import annotations

import pytest
from tui_helpers import make_app as _make_app
from tui_helpers import matched, settle

from coach.tui.screens.browser import BrowserScreen
from coach.tui.screens.help import HelpScreen
from coach.tui.screens.saved import SavedScreen
from coach.tui.screens.situation import SituationScreen

LANGS = ["en", "zh"]
SCREENS = [SituationScreen, BrowserScreen, SavedScreen, HelpScreen]
"""A fixed registry, so screens other features register do not change these pictures."""


def make_app(tmp_path, lang):  # noqa: ANN001, ANN201
    """The app on the mini playbooks with this issue's screens."""
    return _make_app(tmp_path, lang=lang, screens=SCREENS)


SITUATION = {
    "en": "we signed yesterday and today she wants two more facings for free",
    "zh": "合同签完了又要加排面",
}


async def _steady(pilot) -> None:  # noqa: ANN001
    """No blinking cursors, no notifications: the picture depends only on the app."""
    await settle(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
def test_home(snap_compare, tmp_path, lang):
    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=(80, 24), run_before=_steady)


@pytest.mark.parametrize("lang", LANGS)
def test_situation_coach_with_matches(snap_compare, tmp_path, lang):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_screen("coach")
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#situation-text").insert(SITUATION[lang])
        await matched(pilot, screen)
        await _steady(pilot)

    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_situation_coach_abstains(snap_compare, tmp_path, lang):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_screen("coach")
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#situation-text").insert("the weather in the mountains was lovely")
        await matched(pilot, screen)
        await _steady(pilot)

    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_browser(snap_compare, tmp_path, lang):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_screen("browse")
        await pilot.pause()
        await pilot.press("down")
        await _steady(pilot)

    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_entry(snap_compare, tmp_path, lang):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_entry("tactic.nibble")
        await _steady(pilot)

    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_walkthrough_step(snap_compare, tmp_path, lang):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.start_walkthrough("tactic.nibble")
        await pilot.pause()
        await pilot.press(*"ask for a bigger order in return", "ctrl+t")
        await _steady(pilot)

    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_walkthrough_summary_saved(snap_compare, tmp_path, lang):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.start_walkthrough("tactic.nibble")
        await pilot.pause()
        await pilot.press(*"ask for a bigger order in return", "ctrl+t", "ctrl+n", "ctrl+s")
        await _steady(pilot)

    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_help(snap_compare, tmp_path, lang):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await _steady(pilot)

    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=(80, 24), run_before=run_before)
