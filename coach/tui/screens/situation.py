"""Situation coach: describe what happened; ranked playbook matches update as you type."""

from __future__ import annotations

from time import perf_counter
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Header, OptionList, Static, TextArea
from textual.worker import get_current_worker

from coach.engine import rank
from coach.i18n import menu
from coach.tui.reasons import reason
from coach.tui.screens.base import CoachScreen
from coach.tui.widgets.match_list import MatchList

if TYPE_CHECKING:
    from coach.engine.match import MatchResult


class SituationScreen(CoachScreen):
    """Text area, status line, ranked matches; matching runs in a thread worker after a pause in typing."""

    SCREEN_ID = "coach"
    MENU: ClassVar[dict[str, tuple[str, str]]] = menu("coach.menu")
    CSS_PATH = "situation.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="open"),
        Binding("w", "walk", "Walk through", id="walk"),
    ]

    DEBOUNCE_S: ClassVar[float] = 0.25
    """Matching starts this long after the last keystroke."""
    TOP: ClassVar[int] = 5
    """At most this many matches are shown."""

    class MatchesUpdated(Message):
        """The engine ranked the playbooks for ``text``."""

        def __init__(self, text: str, result: MatchResult, seconds: float) -> None:
            super().__init__()
            self.text = text
            """The situation text that was matched."""
            self.result = result
            """The ranked matches (empty when the engine abstains)."""
            self.seconds = seconds
            """How long ranking took."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._initial = text
        self._timer: Timer | None = None
        self.result: MatchResult | None = None
        """The matches shown (None before any text was matched)."""
        self.updates = 0
        """How many times the matches were redrawn (for tests and the benchmark)."""
        self.last_rank_seconds = 0.0
        """Time the engine took for the last update."""
        self.shown_at = 0.0
        """``perf_counter()`` when the matches were last redrawn."""
        self.fired_at = 0.0
        """``perf_counter()`` when the debounce last ended and matching started."""

    def compose(self) -> ComposeResult:
        """Prompt, text area, status, matches."""
        yield Header()
        yield Static(id="situation-prompt", classes="screen-title", markup=False)
        yield TextArea(self._initial, id="situation-text", soft_wrap=True, tab_behavior="focus")
        yield Static(id="situation-status", classes="status", markup=False)
        yield Static(id="situation-notes", classes="hint", markup=False)
        yield MatchList(id="situation-matches")
        yield Footer()

    def on_mount(self) -> None:
        """Start typing straight away."""
        self.query_one("#situation-text", TextArea).focus()
        if self._initial.strip():
            self._schedule()

    @property
    def text(self) -> str:
        """The situation as typed."""
        return self.query_one("#situation-text", TextArea).text

    # --- matching -------------------------------------------------------------------------------

    @on(TextArea.Changed, "#situation-text")
    def _text_changed(self, event: TextArea.Changed) -> None:
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.DEBOUNCE_S, self._start_matching)

    def _start_matching(self) -> None:
        self._timer = None
        self.fired_at = perf_counter()
        text = self.text
        index = self.coach.index
        if not text.strip() or index is None:
            self.result = None
            self._redraw()
            return
        self._match(text)

    # Only small arguments: Textual's @work puts the repr of every argument in the worker's description.
    @work(thread=True, exclusive=True, group="match", exit_on_error=False)
    def _match(self, text: str) -> None:
        index = self.coach.index
        if index is None:
            return
        started = perf_counter()
        result = rank(index, text, top=self.TOP)
        if not get_current_worker().is_cancelled:
            self.post_message(self.MatchesUpdated(text, result, perf_counter() - started))

    @on(MatchesUpdated)
    def _matched(self, message: MatchesUpdated) -> None:
        if message.text != self.text:
            return  # typing went on; a newer result is on its way
        self.result = message.result
        self.last_rank_seconds = message.seconds
        self._redraw()

    def _redraw(self) -> None:
        library = self.coach.library
        matches = self.query_one("#situation-matches", MatchList)
        status = self.query_one("#situation-status", Static)
        notes = self.query_one("#situation-notes", Static)
        status.remove_class("-warning")
        notes.display = False
        if library is None:
            status.update(self.coach.content_error or self.tr("loading"))
            matches.clear_options()
        elif self.result is None:
            status.update(self.tr("coach.empty"))
            matches.show_result(library, None, self.lang)
        elif not self.result.matches:
            status.add_class("-warning")
            status.update(self.tr("coach.abstain"))
            matches.show_result(library, None, self.lang)
        else:
            if self.result.ambiguous:
                status.add_class("-warning")
                status.update(self.tr("coach.ambiguous"))
            else:
                status.update(self.tr("coach.count", n=len(self.result.matches)))
            matches.show_result(library, self.result, self.lang)
        shown_notes = [
            reason(n, self.lang)
            for n in (self.result.notes if self.result else [])
            if not n.startswith("no rule")
        ]
        if shown_notes:
            notes.display = True
            notes.update(" · ".join(shown_notes))
        self.updates += 1
        self.shown_at = perf_counter()
        self.refresh_bindings()

    # --- language, content ----------------------------------------------------------------------

    def apply_language(self) -> None:
        """Redraw texts and matches in the current language (no re-ranking needed)."""
        self.query_one("#situation-prompt", Static).update(self.tr("coach.prompt"))
        self._redraw()

    def content_ready(self) -> None:
        """Match what was typed while the playbooks loaded."""
        self._redraw()
        if self.text.strip():
            self._schedule()

    # --- opening --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Open and walk through are offered while a match is chosen (in the text, Enter is a newline)."""
        if action in ("open", "walk"):
            matches = self.query_one("#situation-matches", MatchList)
            return matches.has_focus and matches.highlighted_id is not None
        return True

    def _chosen_id(self) -> str | None:
        return self.query_one("#situation-matches", MatchList).highlighted_id

    def action_open(self) -> None:
        """Open the highlighted match."""
        rule_id = self._chosen_id()
        if rule_id:
            self.coach.open_entry(rule_id, self.text.strip())

    def action_walk(self) -> None:
        """Walk through the highlighted match."""
        rule_id = self._chosen_id()
        if rule_id:
            self.coach.start_walkthrough(rule_id, self.text.strip())

    @on(OptionList.OptionSelected, "#situation-matches")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.coach.open_entry(event.option.id, self.text.strip())
