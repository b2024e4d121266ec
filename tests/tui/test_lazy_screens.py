"""Screens are imported when first opened: the registry lists them without importing them, a loading
screen stands in meanwhile, and keys typed while it shows are not typed into the screen that opens."""

from __future__ import annotations

import subprocess
import sys
import threading

from textual.widgets import Input
from tui_helpers import make_app, run, screen_text, settle

from coach.tui.app import SCREENS
from coach.tui.registry import ScreenEntry
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.loading import LoadingScreen


def _gate() -> threading.Event:
    """The event the slow screen's import waits for, closed; the module is forgotten (imported again)."""
    sys.modules.pop("slow_screen", None)
    gate = getattr(threading, "_coach_slow_screen_gate", None) or threading.Event()
    threading._coach_slow_screen_gate = gate  # type: ignore[attr-defined]
    gate.clear()
    return gate


SLOW = ScreenEntry(
    "slow", "slow_screen", "SlowScreen", {"en": ("Slow screen", ""), "zh": ("慢页面", "")}, False
)


def test_each_entry_agrees_with_its_screen_class():
    for entry in SCREENS:
        cls = entry.load()
        assert (cls.SCREEN_ID, cls.NEEDS_CONTENT, cls.ON_HOME) == (
            entry.SCREEN_ID,
            entry.NEEDS_CONTENT,
            entry.ON_HOME,
        )
        assert cls.MENU == entry.MENU, entry.SCREEN_ID
        assert entry == cls and entry.imported is cls


def test_starting_the_app_imports_no_screen_but_the_home_page():
    heavy = ("coach.tui.screens.", "coach.store", "coach.roleplay", "coach.content.models", "coach.engine")
    code = f"import sys, coach.tui.app\nprint(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(
        sorted(["coach.tui.screens.base", "coach.tui.screens.home", "coach.tui.screens.loading"])
    )


def test_a_screen_opened_the_first_time_shows_it_is_loading_and_drops_keys(tmp_path):
    gate = _gate()

    async def scenario():
        app = make_app(tmp_path, screens=[SLOW])
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("slow")
            await pilot.pause()
            assert isinstance(app.screen, LoadingScreen)
            assert "Opening Slow screen…" in screen_text(app)
            await pilot.press("a", "b", "c")
            assert isinstance(app.screen, LoadingScreen)
            gate.set()
            await settle(pilot)
            assert type(app.screen).__name__ == "SlowScreen"
            assert app.screen.query_one("#slow-input", Input).value == ""
            await pilot.press("x")
            assert app.screen.query_one("#slow-input", Input).value == "x"
            await pilot.press("escape")
            await pilot.pause()
            app.open_screen("slow")  # imported now: opens at once
            await pilot.pause()
            assert type(app.screen).__name__ == "SlowScreen"

    run(scenario)


def test_going_back_while_loading_does_not_open_the_screen_later(tmp_path):
    gate = _gate()

    async def scenario():
        app = make_app(tmp_path, screens=[SLOW])
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("slow")
            await pilot.pause()
            assert isinstance(app.screen, LoadingScreen)
            await pilot.press("escape")
            gate.set()
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)

    run(scenario)


def test_a_screen_that_fails_to_import_is_one_line_and_back_home(tmp_path):
    broken = ScreenEntry(
        "broken", "coach.tui.screens.no_such_screen", "Nope", {"en": ("Broken", ""), "zh": ("坏", "")}
    )

    async def scenario():
        app = make_app(tmp_path, screens=[broken])
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("broken")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
            assert any(severity == "error" and "no_such_screen" in text for severity, text in app.notices)

    run(scenario)
