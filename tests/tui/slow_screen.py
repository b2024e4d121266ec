"""A screen whose module takes a while to import (for the loading-screen test; not a test module)."""

from __future__ import annotations

import threading

from textual.app import ComposeResult
from textual.widgets import Input

from coach.tui.screens.base import CoachScreen

GATE: threading.Event = getattr(threading, "_coach_slow_screen_gate", threading.Event())
"""Set by the test when the import may finish (kept on ``threading`` so a re-import sees the same one)."""
threading._coach_slow_screen_gate = GATE  # type: ignore[attr-defined]
GATE.wait(30)  # stands for a screen that imports the store, the engine or the plan models


class SlowScreen(CoachScreen):
    """One text field, focused: keys typed before it opened must not land in it."""

    SCREEN_ID = "slow"
    MENU = {"en": ("Slow screen", "Takes a while to import."), "zh": ("慢页面", "导入要一会儿。")}
    NEEDS_CONTENT = False

    def compose(self) -> ComposeResult:
        """The field."""
        yield Input(id="slow-input")

    def on_mount(self) -> None:
        """Focus the field, as a form does."""
        super().on_mount()
        self.query_one("#slow-input").focus()
