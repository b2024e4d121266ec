"""One playbook entry, full width; linked principles open as entries; w starts its walk-through; an
account-level entry (``account.*``) offers the way to the account's plan on the key-accounts screen."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header

from coach.tui.screens.base import CoachScreen
from coach.tui.widgets.entry_view import EntryView


class EntryScreen(CoachScreen):
    """Shows ``rule_id``; the links list follows principles and related entries."""

    CSS_PATH = "entry.tcss"
    ON_HOME = False
    BINDINGS: ClassVar[list[BindingType]] = [Binding("w", "walk", "Walk through", id="walk")]

    def __init__(self, rule_id: str, situation: str = "") -> None:
        super().__init__()
        self.rule_id = rule_id
        """The entry shown."""
        self.situation = situation
        """What the user typed in the situation coach (passed on to the walk-through)."""

    def compose(self) -> ComposeResult:
        """The entry view fills the screen."""
        yield Header()
        yield EntryView(id="entry")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the entry so the keys scroll it."""
        self.query_one(EntryView).focus()

    def apply_language(self) -> None:
        """Redraw the entry in the current language."""
        self.query_one(EntryView).show(self.coach.library, self.rule_id, self.lang)
        rule = self.coach.library.rules.get(self.rule_id) if self.coach.library else None
        if rule is not None:
            self.sub_title = getattr(rule.title, self.lang)

    def action_walk(self) -> None:
        """Walk through this entry."""
        self.coach.start_walkthrough(self.rule_id, self.situation)

    @on(EntryView.LinkFollowed)
    def _follow(self, event: EntryView.LinkFollowed) -> None:
        self.coach.open_entry(event.rule_id)

    @on(EntryView.AccountsChosen)
    def _accounts(self, event: EntryView.AccountsChosen) -> None:
        self.coach.open_screen("accounts")
