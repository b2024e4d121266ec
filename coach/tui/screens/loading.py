"""Shown while a screen's module is imported on first use: says what is opening, and keeps the keys pressed
meanwhile from being typed into the screen that opens next."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from coach.i18n import tr


class LoadingScreen(Screen[None]):
    """A placeholder for the screen ``screen_id`` until its class is imported (``CoachApp.open_screen``)."""

    CSS_PATH = "loading.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back", id="back")]

    def __init__(self, screen_id: str, title: str, lang: str) -> None:
        super().__init__()
        self.screen_id = screen_id
        """The screen being opened."""
        self._title = title
        self._lang = lang

    def compose(self) -> ComposeResult:
        """One line saying what is opening, and how to go back."""
        with Vertical(id="loading-box"):
            yield Static(tr(self._lang, "screen.opening", title=self._title), id="loading-text", markup=False)
            yield Static(
                tr(self._lang, "screen.opening.hint"), id="loading-hint", classes="hint", markup=False
            )

    def on_key(self, event: events.Key) -> None:
        """Keys typed while waiting are dropped, so none lands in the next screen's form."""
        if event.key != "escape":
            event.stop()
            event.prevent_default()

    def action_cancel(self) -> None:
        """Go back; the screen is not opened when its import finishes."""
        self.dismiss()
