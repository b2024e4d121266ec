"""Saved walk-throughs: the list (newest first) and the one highlighted; e exports it as Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from coach import locations
from coach.clock import local_time
from coach.errors import CoachError, one_line
from coach.i18n import menu, tr
from coach.store import walkthroughs
from coach.store.db import SESSION_ERRORS, session
from coach.store.walkthroughs import Walkthrough, write_markdown
from coach.tui.screens.base import CoachScreen
from coach.tui.widgets.steps import steps_table


class SavedScreen(CoachScreen):
    """Reads the walk-throughs from the database in a worker; nothing here changes them."""

    SCREEN_ID = "saved"
    MENU: ClassVar[dict[str, tuple[str, str]]] = menu("saved.menu")
    NEEDS_CONTENT = False
    CSS_PATH = "saved.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export", id="export"),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]

    class Loaded(Message):
        """Saved walk-throughs were read (newest first)."""

        def __init__(self, items: list[Walkthrough]) -> None:
            super().__init__()
            self.items = items

    class Failed(Message):
        """Reading or exporting failed; ``error`` is one line."""

        def __init__(self, key: str, error: str) -> None:
            super().__init__()
            self.key = key
            self.error = error

    class Exported(Message):
        """A walk-through was written as Markdown to ``path``."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Walkthrough] | None = None
        """The saved walk-throughs (None until read)."""

    def compose(self) -> ComposeResult:
        """List on the left, the highlighted walk-through on the right."""
        yield Header()
        yield Static(id="saved-hint", classes="hint", markup=False)
        with Horizontal(id="saved-body"):
            yield OptionList(id="saved-list")
            with VerticalScroll(id="saved-detail"):
                yield Static(id="saved-body-text")
        yield Footer()

    def on_mount(self) -> None:
        """Read the database."""
        self.query_one("#saved-list").focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        """Read the saved walk-throughs again."""
        self._load(self.coach.db_path)

    @work(thread=True, exclusive=True, group="saved-db", exit_on_error=False)
    def _load(self, db_path: Path | str) -> None:
        try:
            with session(db_path) as conn:
                items = walkthroughs.list_recent(conn)
        except SESSION_ERRORS as exc:
            self.post_message(self.Failed("error.load", one_line(exc)))
            return
        self.post_message(self.Loaded(items))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.items = message.items
        self.apply_language()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.coach.report_error(CoachError(message.error), key=message.key)

    def apply_language(self) -> None:
        """List and detail in the current language (saved text stays in the language it was saved in)."""
        hint = self.query_one("#saved-hint", Static)
        listing = self.query_one("#saved-list", OptionList)
        keep = listing.highlighted
        listing.clear_options()
        if self.items is None:
            hint.update(self.tr("loading"))
            return
        if not self.items:
            hint.update(self.tr("saved.empty"))
            self._detail(None)
            return
        hint.update(self.tr("saved.pick"))
        for wt in self.items:
            when = local_time(wt.saved_at)
            prompt = Text.assemble(
                (f"#{wt.id} ", "bold"), wt.title, "\n", (f"{wt.done_count}/{len(wt.steps)} · {when}", "dim")
            )
            if wt.label:
                prompt.append("\n")
                prompt.append(wt.label, style="italic")
            listing.add_option(Option(prompt, id=str(wt.id)))
        listing.highlighted = min(keep or 0, len(self.items) - 1)
        self._detail(self._current())

    def _current(self) -> Walkthrough | None:
        listing = self.query_one("#saved-list", OptionList)
        if not self.items or listing.highlighted is None:
            return None
        return self.items[listing.highlighted]

    @on(OptionList.OptionHighlighted, "#saved-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._detail(self._current())

    def _detail(self, wt: Walkthrough | None) -> None:
        body = self.query_one("#saved-body-text", Static)
        if wt is None:
            body.update("")
            return
        lang = wt.lang
        grid = steps_table(
            ((s.done, tr(lang, "walk.md." + s.kind), s.text, s.notes) for s in wt.steps),
            tr(lang, "walk.md.notes") + tr(lang, "walk.md.colon"),
        )
        head = Text.assemble((wt.title, "bold"), "\n", (local_time(wt.saved_at), "dim"))  # title, not id
        if wt.label:
            head.append("\n" + wt.label, style="italic")
        if wt.situation.strip():
            head.append(
                "\n"
                + tr(lang, "walk.md.situation")
                + tr(lang, "walk.md.colon")
                + " ".join(wt.situation.split()),
                style="dim",
            )
        body.update(Group(head, Text(""), grid))

    def action_export(self) -> None:
        """Export the highlighted walk-through as Markdown."""

        wt = self._current()
        if wt is not None:
            self._export(wt, locations.exports_dir())

    @work(thread=True, group="saved-export", exit_on_error=False)
    def _export(self, wt: Walkthrough, folder: Path) -> None:
        try:
            path = write_markdown(wt, folder)
        except (CoachError, OSError) as exc:
            self.post_message(self.Failed("error.export", one_line(exc)))
            return
        self.post_message(self.Exported(path))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        self.coach.say(self.tr("walk.exported", path=message.path), timeout=8)
