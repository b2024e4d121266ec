"""The terminal UI at 80x24, tried as a new user would: what the user needs is on the screen, not below it."""

from __future__ import annotations

import pytest
from textual.widget import Widget
from textual.widgets import OptionList
from tui_helpers import make_app, run, screen_text, settle

from coach.tui.app import SCREENS

SIZE = (80, 24)


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
            text = screen_text(app)
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
