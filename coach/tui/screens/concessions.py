"""Concession log: a form to add an entry, a filterable and sortable table of entries, and the review
(figures, principle 7's advice, tactic counters) with a chart of concession sizes over time.

Each tab is a widget of its own (``coach/tui/widgets/concession_*.py``): the screen reads the log and saves
entries in workers that only post messages, hands the entries down to the table and the review, and
handles what the tabs post up.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer, Header, Input, TabbedContent

from coach.content.loader import taxonomy
from coach.errors import CoachError, one_line
from coach.i18n import menu
from coach.store import concessions as store
from coach.store.concessions import Concession, NewConcession
from coach.store.db import SESSION_ERRORS, session
from coach.tui.screens.base import CoachScreen
from coach.tui.screens.confirm import ask_before_leaving
from coach.tui.widgets.concession_form import TEXT_FIELDS as TEXT_FIELDS
from coach.tui.widgets.concession_form import ConcessionForm
from coach.tui.widgets.concession_form import reason_text as reason_text
from coach.tui.widgets.concession_review import CHART_UNITS as CHART_UNITS
from coach.tui.widgets.concession_review import ConcessionReview
from coach.tui.widgets.concession_table import COLUMNS as COLUMNS
from coach.tui.widgets.concession_table import TABLE_LIMIT as TABLE_LIMIT
from coach.tui.widgets.concession_table import ConcessionTable, haystack
from coach.tui.widgets.concession_table import table_view as table_view

_FIRST_FIELD = {"log-add": "#log-account", "log-entries": "#log-filter", "log-review": "#log-review-account"}


class ConcessionScreen(CoachScreen):
    """Three tabs: the form, the table, the review. Nothing here edits or deletes an entry."""

    SCREEN_ID = "concessions"
    MENU: ClassVar[dict[str, tuple[str, str]]] = menu("log.menu")
    NEEDS_CONTENT = False
    CSS_PATH = "concessions.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh"),
        Binding("f5", "show_tab('log-add')", "New entry", id="log-add"),
        Binding("f6", "show_tab('log-entries')", "Entries", id="log-entries"),
        Binding("f7", "show_tab('log-review')", "Review", id="log-review"),
    ]

    class ConcessionSaved(Message):
        """An entry was written to the database as ``entry_id``."""

        def __init__(self, entry_id: int) -> None:
            super().__init__()
            self.entry_id = entry_id

    class EntriesLoaded(Message):
        """The current (real) entries were read, oldest first."""

        def __init__(self, rows: list[Concession], haystacks: list[str]) -> None:
            super().__init__()
            self.rows = rows
            self.haystacks = haystacks

    class Failed(Message):
        """Reading or saving failed; ``key`` is the i18n key of the notice, ``error`` one line."""

        def __init__(self, key: str, error: str) -> None:
            super().__init__()
            self.key = key
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Concession] | None = None
        """Every current real entry (None until read)."""
        self._review_stale = True

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Tabs: form, table, review."""
        self._form = ConcessionForm(
            "", db_path=self.coach.db_path, lang=self.lang, tactics=self._tactics(), id="log-add"
        )
        self._table = ConcessionTable("", lang=self.lang, id="log-entries")
        self._review = ConcessionReview("", id="log-review")
        self._tabs = TabbedContent(id="log-tabs")
        yield Header()
        with self._tabs:
            yield self._form
            yield self._table
            yield self._review
        yield Footer()

    def on_mount(self) -> None:
        """Fill the choices, focus the first field, read the log."""
        super().on_mount()
        self.query_one("#log-account", Input).focus()
        self.action_refresh()

    # --- what the tabs hold (read by tests and the benchmark) -------------------------------------

    @property
    def shown(self) -> list[Concession]:
        """The rows in the table, in table order."""
        return self._table.shown

    @property
    def matched(self) -> int:
        """How many entries match the filter."""
        return self._table.matched

    @property
    def sort_column(self) -> str:
        """The column the table is sorted by."""
        return self._table.sort_column

    @sort_column.setter
    def sort_column(self, column: str) -> None:
        self._table.sort_column = column

    @property
    def sort_reverse(self) -> bool:
        """True when the table is sorted from the largest (newest) down."""
        return self._table.sort_reverse

    @sort_reverse.setter
    def sort_reverse(self, reverse: bool) -> None:
        self._table.sort_reverse = reverse

    @property
    def table_updates(self) -> int:
        """How many times the table was redrawn (tests and the benchmark wait on it)."""
        return self._table.table_updates

    @property
    def review_text(self) -> str:
        """The review as shown (plain text)."""
        return self._review.review_text

    @property
    def series(self) -> list[tuple[str, list[float]]]:
        """The charted size series."""
        return self._review.series

    @property
    def review_updates(self) -> int:
        """How many times the review was redrawn."""
        return self._review.review_updates

    def form_data(self) -> dict:
        """What the form holds, as raw values for ``validate_entry`` (empty fields left out)."""
        return self._form.form_data()

    def has_unsaved_work(self) -> bool:
        """True when something is typed into the entry fields (account and meeting are kept after saving)."""
        return self._form.has_unsaved_work()

    # --- language ---------------------------------------------------------------------------------

    def apply_language(self) -> None:
        """Every label, placeholder, choice and the review in the current language."""
        tabs = self._tabs
        for pane in ("add", "entries", "review"):
            tabs.get_tab(f"log-{pane}").label = self.tr(f"log.tab.{pane}")
        self._form.set_language(self.lang, self._tactics())
        self._table.set_language(self.lang)
        self._review.set_language(self.lang)
        if self.rows is not None:
            self._request_review()

    def _tactics(self) -> list[tuple[str, str]]:
        """Buyer tactics first, titled from the loaded playbooks (the taxonomy's names until they load)."""

        lib = self.coach.library
        names = []
        for group in taxonomy()["situations"].values():
            for s in group:
                rule = lib.rules.get(s["id"]) if lib else None
                title = getattr(rule.title, self.lang) if rule else s[self.lang]
                names.append((f"{title}  [{s['id']}]", s["id"]))
        names.sort(key=lambda pair: not pair[1].startswith("tactic."))  # stable: taxonomy order within
        return names

    def content_ready(self) -> None:
        """Tactic titles and counters come from the playbooks once they are loaded."""
        self._form.set_tactics(self._tactics())
        if self.rows is not None:
            self._request_review()

    # --- saving -----------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Validate the form; save in a worker, or say which field is wrong."""
        if self._tabs.active != "log-add":
            self.action_show_tab("log-add")
        entry = self._form.entry()
        if entry is not None:
            self._save(entry, self.coach.db_path)

    @on(ConcessionForm.SaveRequested)
    def _save_pressed(self) -> None:
        self.action_save()

    @work(thread=True, exclusive=True, group="log-save", exit_on_error=False)
    def _save(self, entry: NewConcession, db_path: Path | str) -> None:
        try:
            with session(db_path) as conn:
                new_id = store.add(conn, entry)
        except SESSION_ERRORS as exc:
            self.post_message(self.Failed("log.error.save", one_line(exc)))
            return
        self.post_message(self.ConcessionSaved(new_id))

    @on(ConcessionSaved)
    def _saved(self, message: ConcessionSaved) -> None:
        self.coach.say(self.tr("log.saved", id=message.entry_id), timeout=4)
        self._form.clear_entry()
        self.action_refresh()

    def action_back(self) -> None:
        """Leave; asks first when the form holds something not saved."""
        if not self.has_unsaved_work():
            self.coach.go_back(self)
            return

        ask_before_leaving(self, "log.leave.question", lambda: self.coach.go_back(self))

    def action_show_tab(self, pane: str) -> None:
        """Switch to a tab and put the cursor in its first field."""
        # Focus first: a focused widget left in the old pane would make TabbedContent switch back to it.
        self.query_one(_FIRST_FIELD[pane]).focus()
        self._tabs.active = pane

    @on(TabbedContent.TabActivated, "#log-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or ""
        if pane == "log-review" and self._review_stale:
            self._request_review()
        focused = self.focused
        if pane in _FIRST_FIELD and (focused is None or event.pane not in focused.ancestors):
            self.query_one(_FIRST_FIELD[pane]).focus()

    # --- reading ----------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Read the log again (table and review)."""
        self._table.show_loading()
        self._load(self.coach.db_path)

    @work(thread=True, exclusive=True, group="log-read", exit_on_error=False)
    def _load(self, db_path: Path | str) -> None:
        try:
            with session(db_path) as conn:
                rows = store.select(conn)
        except SESSION_ERRORS as exc:
            self.post_message(self.Failed("log.error.read", one_line(exc)))
            return
        with store.paused_gc():
            haystacks = [haystack(r) for r in rows]
        self.post_message(self.EntriesLoaded(rows, haystacks))

    @on(EntriesLoaded)
    def _entries_loaded(self, message: EntriesLoaded) -> None:
        self.rows = message.rows
        self._table.show_entries(message.rows, message.haystacks)
        self._request_review()

    @on(Failed)
    @on(ConcessionReview.Failed)
    def _failed(self, message: Failed | ConcessionReview.Failed) -> None:
        self.coach.report_error(CoachError(message.error), key=message.key)

    def _request_table(self) -> None:
        """Filter and sort the table again (the benchmark calls it after choosing a column)."""
        self._table.request()

    # --- the review -------------------------------------------------------------------------------

    @on(ConcessionReview.ScopeChanged)
    def _scope_changed(self) -> None:
        self._request_review()

    def _request_review(self) -> None:
        """Recompute the review now if its tab is shown, else when the tab is opened."""
        if self.rows is None:
            return
        if self._tabs.active != "log-review":
            self._review_stale = True
            return
        self._review_stale = False
        lib = self.coach.library
        self._review.compute(self.rows, lib.rules if lib else {}, self.lang, self.coach.db_path)
