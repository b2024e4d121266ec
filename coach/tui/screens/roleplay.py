"""Role-play: pick a scenario, talk to the simulated customer, get feedback beside every reply and a running
scorecard; retry a turn; read the debrief (transcript with feedback, the playbooks' best lines) at the end.

The state machine (``coach.roleplay``) is pure; assessing a reply and every database write run in
workers that only post messages. Writes go through one ordered queue, so the session is saved in the
order things happened (begin, each reply, retries, the end).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import ContentSwitcher, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from coach.errors import CoachError
from coach.i18n import menu
from coach.locations import shown_db
from coach.roleplay import engine
from coach.roleplay.engine import Kit, debrief
from coach.roleplay.record import debrief_dict, exchange_dict, live_record, scenario_dict, scorecard, text
from coach.roleplay.render import debrief_text
from coach.services.roleplay import load_scenarios
from coach.store import sessions
from coach.store.db import connect
from coach.tui.screens.base import CoachScreen
from coach.tui.widgets.roleplay import ExchangeView, customer_text, scorecard_text
from coach.tui.widgets.wrapped import Wrapped


class RoleplayScreen(CoachScreen):
    """Picker, conversation and debrief in one screen (a content switcher)."""

    SCREEN_ID = "roleplay"
    MENU: ClassVar[dict[str, tuple[str, str]]] = menu("rp.menu")
    CSS_PATH = "roleplay.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"), (120, "-wide")]
    """Under 120 columns the feedback goes under each reply, so both are read at full chat width."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "retry", "Retry turn", id="rp-retry"),
        Binding("ctrl+g", "end", "End & debrief", id="rp-end"),
        Binding("ctrl+n", "restart", "Start again", id="rp-restart"),
    ]

    class Loaded(Message):
        """The scenarios were loaded and the behaviours compiled."""

        def __init__(self, scenarios: Any, kit: Any) -> None:
            super().__init__()
            self.scenarios = scenarios
            self.kit = kit

    class LoadFailed(Message):
        """Loading the scenarios failed; ``error`` is one line."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    class ReplyAssessed(Message):
        """A reply went through the state machine; ``before`` is the state it was made in."""

        def __init__(self, before: Any, step: Any, exchange: dict[str, Any]) -> None:
            super().__init__()
            self.before = before
            self.step = step
            self.exchange = exchange

    class SessionStarted(Message):
        """The session was created in the database as ``session_id``."""

        def __init__(self, session_id: int) -> None:
            super().__init__()
            self.session_id = session_id

    def __init__(
        self, scenario_id: str | None = None, *, trainee: str | None = None, extra: list[Path] | None = None
    ) -> None:
        super().__init__()
        self.initial = scenario_id
        """Scenario to start straight away (``coach roleplay ID``); None shows the picker."""
        self.trainee = trainee
        self.extra = list(extra or [])
        self.scenarios: Any = None
        """The loaded ``ScenarioSet`` (None until loaded)."""
        self.kit: Any = None
        self.state: Any = None
        """The role-play state (None before a scenario is started)."""
        self.transcript: list[dict[str, Any]] = []
        """Every exchange in order, taken-back ones flagged ``retried`` (the shape saved)."""
        self.session_id: int | None = None
        self.session_lang = "en"
        self.view = "rp-pick"
        """Which part is shown: rp-pick, rp-play or rp-debrief."""
        self.busy = False
        """True while a reply is being assessed."""
        self.load_error: str | None = None
        self._rp_ops: deque[Callable[[Any], None]] = deque()
        self._rp_db_lock = threading.Lock()
        self._rp_recorder: Any = None
        self._rp_conn: sqlite3.Connection | None = None
        self._rp_closed: Any = None

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Picker, conversation (chat + side panel + input) and debrief."""
        yield Header()
        yield Static(id="rp-heading", classes="screen-title", markup=False)
        with ContentSwitcher(initial="rp-pick", id="rp-switcher"):
            with Vertical(id="rp-pick"):
                yield Static(id="rp-pick-label", classes="hint", markup=False)
                yield OptionList(id="rp-scenarios")
            with Vertical(id="rp-play"):
                with Horizontal(id="rp-main"):
                    yield VerticalScroll(id="rp-chat")
                    with VerticalScroll(id="rp-side"):
                        yield Static(id="rp-brief")
                        yield Static(id="rp-score")
                yield Static(id="rp-status", classes="status", markup=False)
                yield Input(id="rp-input", max_length=4000)
            with VerticalScroll(id="rp-debrief"):
                yield Static(id="rp-debrief-body")
                yield Static(id="rp-debrief-hint", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Start loading once the playbooks are there."""
        if self.coach.content_loaded:
            self._load()

    def content_ready(self) -> None:
        """The playbooks arrived (or failed) after the screen opened."""
        if self.coach.content_loaded and self.scenarios is None and self.load_error is None:
            self._load()
        self._show_status()

    def on_unmount(self) -> None:
        """Leaving mid-way saves the session as left; the database is closed once the queue is empty."""
        self._close_session(left=True)
        self._queue(lambda _rec: None, close=True)

    # --- loading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="rp-load", exit_on_error=False)
    def _load(self) -> None:
        library = self.coach.library
        if library is None:
            return
        if not library.behaviours:
            self.post_message(self.LoadFailed(self.tr("rp.no-behaviours")))
            return
        found = load_scenarios(library, self.extra)
        if found.problems:
            self.post_message(self.LoadFailed(CoachError(found.problems[0]).one_line()))
            return
        self.post_message(self.Loaded(found, Kit.build(library)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.scenarios, self.kit = message.scenarios, message.kit
        self._fill_picker()
        if self.initial:
            try:
                scenario = self.scenarios.get(self.initial)
            except CoachError as exc:
                self.coach.report_error(exc)
            else:
                self.start(scenario.id)
                return
        self._show_status()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.load_error = message.error
        self.coach.report_error(CoachError(message.error), key="rp.failed")
        self._show_status()

    def _fill_picker(self) -> None:
        picker = self.query_one("#rp-scenarios", OptionList)
        keep = picker.highlighted
        picker.clear_options()
        if self.scenarios is None:
            return
        lang = self.lang
        for sid, sc in sorted(self.scenarios.scenarios.items()):
            prompt = Text.assemble(
                (getattr(sc.title, lang), "bold"),
                "\n   ",
                (f"{getattr(sc.persona.name, lang)} — {getattr(sc.persona.retailer, lang)}", "dim"),
            )
            picker.add_option(Option(prompt, id=sid))
        if picker.option_count:
            picker.highlighted = keep if keep is not None and keep < picker.option_count else 0

    @on(OptionList.OptionSelected, "#rp-scenarios")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.start(event.option.id)

    # --- playing --------------------------------------------------------------------------------

    def start(self, scenario_id: str) -> None:
        """Start (or start again) a scenario: a fresh state and a new saved session."""

        scenario = self.scenarios.scenarios[scenario_id]
        self._close_session(left=True)
        self.state = engine.start(scenario, self.kit, self.lang)
        self.transcript = []
        self.session_id = None
        self.session_lang = self.lang
        data, lang, trainee = scenario_dict(scenario), self.lang, self.trainee
        self._queue(lambda rec: self._begin(data, lang, trainee))
        self._show("rp-play")

    def _begin(self, data: dict[str, Any], lang: str, trainee: str | None) -> None:

        # The session row is written with the first reply; a scenario opened and left leaves nothing.
        self._rp_recorder = sessions.Recorder(self._rp_conn, data, lang, trainee)

    def _save_reply(self, exchange: dict[str, Any], stake: str, stage: str) -> None:
        recorder = self._rp_recorder
        if recorder is None:
            return
        new = recorder.id is None
        recorder.replied(exchange, stake=stake, stage=stage)
        if new:
            self.post_message(self.SessionStarted(recorder.id))

    @on(Input.Submitted, "#rp-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text or self.state is None or self.state.finished or self.busy:
            return
        self.busy = True
        event.input.value = ""
        self._show_status(self.tr("rp.thinking"))
        self._assess(self.state, text)

    @work(thread=True, exclusive=True, group="rp-assess", exit_on_error=False)
    def _assess(self, before: Any, text: str) -> None:
        step = engine.reply(before, text)
        self.post_message(self.ReplyAssessed(before, step, exchange_dict(step.exchange, self.kit)))

    @on(ReplyAssessed)
    def _assessed(self, message: ReplyAssessed) -> None:
        self.busy = False
        if message.before is not self.state:
            return  # a retry or a restart happened meanwhile
        turn = message.before.turn
        self.state = message.step.state
        exchange = {**message.exchange, "retried": False}
        self.transcript.append(exchange)
        stake, stage = turn.stake or self.state.scenario.stake, turn.stage
        saved = dict(message.exchange)
        self._queue(lambda rec: self._save_reply(saved, stake, stage))
        if self.state.finished:
            self._close_session(left=False)
            self._show("rp-debrief")
        else:
            self._show("rp-play")

    def action_retry(self) -> None:
        """Take back the last reply and answer that turn again (also after an ending)."""

        if self.state is None or not self.state.exchanges:
            self.coach.say(self.tr("rp.nothing-to-retry"), timeout=3)
            return
        self.state = engine.retry(self.state)
        self.busy = False
        for exchange in reversed(self.transcript):
            if not exchange["retried"]:
                exchange["retried"] = True
                break
        self._queue(lambda rec: rec and rec.retried())
        self.coach.say(self.tr("rp.retried"), timeout=3)
        self._show("rp-play")

    def action_end(self) -> None:
        """End the conversation here and show the debrief."""
        if self.state is None or self.view != "rp-play":
            return
        self._close_session(left=not self.state.finished)
        self._show("rp-debrief")

    def action_restart(self) -> None:
        """Play the same scenario again from the start."""
        if self.state is not None:
            self.start(self.state.scenario.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Retry, end and restart only while a scenario is open."""
        if action in ("retry", "restart"):
            return self.state is not None
        if action == "end":
            return self.state is not None and self.view == "rp-play"
        return True

    def action_back(self) -> None:
        """From a conversation or debrief back to the picker (saving the session as left); else leave."""
        if self.view != "rp-pick" and self.initial is None:
            self._close_session(left=True)
            self.state = None
            self._show("rp-pick")
            return
        self.coach.go_back(self)

    # --- saving ---------------------------------------------------------------------------------

    def _close_session(self, *, left: bool) -> None:
        """Save the end of the session once (a later retry reopens it through the recorder)."""

        if self.state is None or not self.transcript or self._rp_closed is self.state:
            return
        self._rp_closed = self.state
        data = debrief_dict(debrief(self.state), self.kit)
        gone = left and not self.state.finished
        self._queue(lambda rec: rec and rec.finished(data, left=gone))

    def _queue(self, op: Callable[[Any], None], *, close: bool = False) -> None:
        self._rp_ops.append(op)
        if close:
            self._rp_ops.append(lambda _rec: self._close_db())
        # An app worker, not the screen's: the last write (the session left) must outlive the screen.
        self.coach.run_worker(
            partial(self._drain, self.coach.db_path), thread=True, group="rp-db", exit_on_error=False
        )

    def _drain(self, db_path: Path | str) -> None:
        with self._rp_db_lock:  # one writer at a time, in the order the operations were queued
            while self._rp_ops:
                op = self._rp_ops.popleft()
                try:
                    if self._rp_conn is None:
                        self._rp_conn = connect(db_path)
                    op(self._rp_recorder)
                except (CoachError, sqlite3.Error, OSError) as exc:
                    error = exc.one_line() if isinstance(exc, CoachError) else f"{shown_db(db_path)}: {exc}"
                    self.coach.call_from_thread(
                        self.coach.report_error, CoachError(error), key="rp.not-saved"
                    )

    def _close_db(self) -> None:
        if self._rp_conn is not None:
            self._rp_conn.close()
            self._rp_conn = None

    @on(SessionStarted)
    def _session_started(self, message: SessionStarted) -> None:
        self.session_id = message.session_id
        self._show_status()

    # --- drawing --------------------------------------------------------------------------------

    def apply_language(self) -> None:
        """Redraw everything in the current language (the scenario and feedback are bilingual)."""
        self.query_one("#rp-pick-label", Static).update(self.tr("rp.pick"))
        self.query_one("#rp-input", Input).placeholder = self.tr("rp.input")
        self.query_one("#rp-debrief-hint", Static).update(self.tr("rp.debrief-hint"))
        self._fill_picker()
        self._show(self.view)

    def _show(self, view: str) -> None:
        self.view = view
        self.query_one("#rp-switcher", ContentSwitcher).current = view
        lang = self.lang
        heading = self.tr("rp.title")
        if self.state is not None:
            heading += f"{self.tr('roleplay.colon')}{getattr(self.state.scenario.title, lang)}"
        self.query_one("#rp-heading", Static).update(heading)
        if view == "rp-play" and self.state is not None:
            self._draw_play()
            self.query_one("#rp-input", Input).focus()
        elif view == "rp-debrief" and self.state is not None:
            self._draw_debrief()
            self.query_one("#rp-debrief").focus()
        elif view == "rp-pick":
            self.query_one("#rp-scenarios", OptionList).focus()
        self._show_status()
        self.refresh_bindings()

    def _draw_play(self) -> None:
        lang, state = self.lang, self.state
        chat = self.query_one("#rp-chat", VerticalScroll)
        chat.remove_children()
        views: list[Any] = [ExchangeView(exchange, lang) for exchange in self.transcript]
        if not state.finished:
            speaker = state.speaker()
            views.append(
                Static(Wrapped(customer_text(text(speaker.name), text(state.line()), lang)), classes="rp-now")
            )
        chat.mount_all(views)
        chat.call_after_refresh(chat.scroll_end, animate=False)
        sc = state.scenario
        brief = Text()
        brief.append(
            self.tr(
                "rp.customer",
                name=getattr(sc.persona.name, lang),
                role=getattr(sc.persona.role, lang),
                retailer=getattr(sc.persona.retailer, lang),
            ),
            style="bold",
        )
        brief.append("\n" + getattr(sc.persona.temperament, lang), style="italic")
        brief.append(f"\n\n{self.tr('rp.objective')}\n", style="bold")
        brief.append(getattr(sc.objective, lang))
        if sc.limits:
            brief.append(f"\n{self.tr('rp.limits')}\n", style="bold")
            brief.append("\n".join(f"· {getattr(x, lang)}" for x in sc.limits))
        self.query_one("#rp-brief", Static).update(Wrapped(brief))
        self.query_one("#rp-score", Static).update(
            scorecard_text(scorecard(state.scores, self.kit), lang, self.tr("rp.score"))
        )
        self.query_one("#rp-input", Input).disabled = state.finished

    def _draw_debrief(self) -> None:
        record = live_record(
            self.state,
            self.kit,
            self.transcript,
            lang=self.lang,
            session_id=self.session_id,
            trainee=self.trainee,
        )
        if not self.state.finished:
            record["status"] = "left"
        self.query_one("#rp-debrief-body", Static).update(Wrapped(debrief_text(record, self.lang)))

    def _show_status(self, text: str | None = None) -> None:
        status = self.query_one("#rp-status", Static)
        if text is not None:
            status.update(text)
            return
        if self.load_error:
            status.update(self.tr("rp.failed", error=self.load_error))
        elif self.scenarios is None:
            status.update(self.tr("rp.loading") if self.coach.content_loaded else self.tr("loading"))
        else:
            saved = f"{self.tr('rp.saved', id=self.session_id)} · " if self.session_id else ""
            status.update(saved + self.tr("rp.turn-hint"))
        pick = self.query_one("#rp-pick-label", Static)
        if self.load_error:
            pick.update(self.tr("rp.failed", error=self.load_error))
        elif self.scenarios is None:
            pick.update(self.tr("rp.loading"))
        elif not self.scenarios.scenarios:
            pick.update(self.tr("rp.none"))
        else:
            pick.update(self.tr("rp.pick"))
