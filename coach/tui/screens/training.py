"""Training: pick or create a trainee, then a recognition drill, the principle quiz, a role-play under the
trainee's name, or the progress chart (areas weakest first, sittings over time).

The drill and quiz logic is ``coach.training`` (pure); loading items, reading and writing the database run
in workers that only post messages. Every answer is saved as it is given, so leaving mid-sitting loses
nothing. A sitting keeps the language it started in.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import ContentSwitcher, Footer, Header, Input, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from coach.content.loader import reply_ids, situation_ids
from coach.content.scenarios import load_default
from coach.errors import CoachError
from coach.i18n import menu, tr
from coach.store import training
from coach.store.db import session
from coach.store.training import now_iso
from coach.training.drill import MAX_POINTS, DrillRun, drill_items, entry_lines
from coach.training.drill import record as drill_record
from coach.training.progress import (
    mistake_label,
    name_of,
    progress,
    titles,
    top_mistakes,
    with_roleplay_titles,
)
from coach.training.quiz import QuizRun, quiz_bank
from coach.training.quiz import record as quiz_record
from coach.training.report import area_row, bar, display_width, pad, spark
from coach.tui.screens.base import CoachScreen

ACTIONS = ("drill", "quiz", "roleplay", "progress", "switch")


def _style(share: float | None) -> str:
    if share is None:
        return "dim"
    return "red" if share < 0.5 else "yellow" if share < 0.75 else "green"


class TrainingScreen(CoachScreen):
    """Trainee picker, menu, question view and progress view in one screen (a content switcher)."""

    SCREEN_ID = "training"
    MENU: ClassVar[dict[str, tuple[str, str]]] = menu("training.menu")
    CSS_PATH = "training.tcss"
    seed: int | None = None
    """Fixes the choice and order of questions and options (tests); None draws them afresh each sitting."""

    class ProfilesRead(Message):
        """The trainees on this machine, with how many answers each has."""

        def __init__(self, rows: list[tuple[Any, int]]) -> None:
            super().__init__()
            self.rows = rows

    class ProfileOpened(Message):
        """A trainee was chosen (or created)."""

        def __init__(self, profile: Any) -> None:
            super().__init__()
            self.profile = profile

    class SittingReady(Message):
        """A drill or quiz sitting was prepared (items picked by the schedule)."""

        def __init__(self, kind: str, run: Any) -> None:
            super().__init__()
            self.kind = kind
            self.run = run

    class ProgressRead(Message):
        """The trainee's progress was computed."""

        def __init__(self, progress: Any, names: dict[str, dict[str, str]]) -> None:
            super().__init__()
            self.progress = progress
            self.names = names

    class Failed(Message):
        """Reading or saving failed; ``error`` is one line."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.profile: Any = None
        """The chosen trainee (None until chosen)."""
        self.rows: list[tuple[Any, int]] = []
        self._profiles_seen = False
        self.view = "train-who"
        """Which part is shown: train-who, train-menu, train-ask or train-progress."""
        self.kind: str | None = None
        """``drill`` or ``quiz`` while a sitting runs."""
        self.run: Any = None
        self.question: Any = None
        self.phase = "idle"
        """idle, situation (drill), response (drill), answer (quiz), feedback, done."""
        self.first: int | None = None
        self.saved = 0
        """Answers written to the database in this screen."""
        self.progress: Any = None
        self._scenarios: list[Any] | None = None
        self._save_lock = threading.Lock()

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Four views: who, menu, question, progress."""
        yield Header()
        yield Static(id="train-heading", classes="screen-title", markup=False)
        with ContentSwitcher(initial="train-who", id="train-switcher"):
            with Vertical(id="train-who"):
                yield Static(id="train-who-label", classes="hint", markup=False)
                yield OptionList(id="train-profiles")
                with Horizontal(id="train-new"):
                    yield Input(id="train-name", max_length=80)
                    yield Input(id="train-class", max_length=80)
            with Vertical(id="train-menu"):
                yield Static(id="train-menu-label", classes="hint", markup=False)
                yield OptionList(id="train-actions")
            with Vertical(id="train-ask"):
                with VerticalScroll(id="train-ask-scroll"):
                    yield Static(id="train-header", classes="hint", markup=False)
                    yield Static(id="train-prompt", markup=False)
                    yield Static(id="train-feedback", markup=False)
                yield OptionList(id="train-options")
            with VerticalScroll(id="train-progress"):
                yield Static(id="train-chart", markup=False)
                yield Static(id="train-spark-label", classes="hint", markup=False)
                yield Sparkline([], id="train-spark", summary_function=max)
                yield Static(id="train-extra", markup=False)
        yield Static(id="train-status", classes="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Read the trainees; the cursor starts in the new-trainee field (a first user has no one to pick)."""
        self._read_profiles()
        self.query_one("#train-name").focus()

    def apply_language(self) -> None:
        """Labels, the menu and the shown progress in the current language."""
        self.query_one("#train-heading", Static).update(self.menu_title())
        self.query_one("#train-name", Input).placeholder = self.tr("train.name")
        self.query_one("#train-class", Input).placeholder = self.tr("train.class")
        self._fill_profiles()
        self._fill_menu()
        if self.progress is not None:
            self._show_progress()
        self.query_one("#train-spark-label", Static).update(self.tr("train.spark"))

    # --- trainees -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="train-db-read", exit_on_error=False)
    def _read_profiles(self) -> None:
        try:
            with session(self.coach.db_path) as conn:
                rows = [(p, len(training.attempts(conn, p.id))) for p in training.list_profiles(conn)]
        except CoachError as exc:
            self.post_message(self.Failed(exc.one_line()))
            return
        self.post_message(self.ProfilesRead(rows))

    @on(ProfilesRead)
    def _profiles_read(self, message: ProfilesRead) -> None:
        self.rows = message.rows
        self._fill_profiles()
        first, self._profiles_seen = not self._profiles_seen, True
        typed = self.query_one("#train-name", Input).value or self.query_one("#train-class", Input).value
        if first and self.rows and self.view == "train-who" and not typed:
            self.query_one("#train-profiles").focus()  # trainees to pick from, and nothing typed yet

    def _fill_profiles(self) -> None:
        picker = self.query_one("#train-profiles", OptionList)
        keep = picker.highlighted
        picker.clear_options()
        for profile, answers in self.rows:
            row = self.tr("train.row", name=profile.name, klass=profile.klass, answers=answers)
            picker.add_option(Option(Text(row), id=str(profile.id)))
        self.query_one("#train-who-label", Static).update(self.tr("train.who" if self.rows else "train.none"))
        if picker.option_count:
            picker.highlighted = keep if keep is not None and keep < picker.option_count else 0

    @on(OptionList.OptionSelected, "#train-profiles")
    def _profile_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        for profile, _ in self.rows:
            if str(profile.id) == event.option.id:
                self.post_message(self.ProfileOpened(profile))

    @on(Input.Submitted, "#train-name")
    def _name_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#train-class", Input).focus()

    @on(Input.Submitted, "#train-class")
    def _class_entered(self, event: Input.Submitted) -> None:
        event.stop()
        name = self.query_one("#train-name", Input).value
        klass = self.query_one("#train-class", Input).value
        if not klass.strip():
            self.coach.say(self.tr("train.need-class"), severity="warning")
            return
        self._create(name, klass)

    @work(thread=True, exclusive=True, group="train-db-write", exit_on_error=False)
    def _create(self, name: str, klass: str) -> None:
        try:
            with session(self.coach.db_path) as conn:
                profile = training.resolve_profile(conn, name, klass)
        except CoachError as exc:
            self.post_message(self.Failed(exc.one_line()))
            return
        self.post_message(self.ProfileOpened(profile))

    @on(ProfileOpened)
    def _opened(self, message: ProfileOpened) -> None:
        self.profile = message.profile
        self.query_one("#train-name", Input).value = ""
        self.query_one("#train-class", Input).value = ""
        self._fill_menu()
        self._show("train-menu")
        self._read_profiles()

    # --- menu -----------------------------------------------------------------------------------

    def _fill_menu(self) -> None:
        if self.profile is None:
            return
        self.query_one("#train-menu-label", Static).update(
            self.tr("train.menu", name=self.profile.name, klass=self.profile.klass)
        )
        menu = self.query_one("#train-actions", OptionList)
        keep = menu.highlighted
        menu.clear_options()
        for number, action in enumerate(ACTIONS, 1):
            prompt = Group(
                Text.assemble((f"{number}  ", "bold"), (self.tr(f"train.{action}"), "bold")),
                Padding(Text(self.tr(f"train.{action}.about"), style="dim"), (0, 0, 0, 3)),
            )
            menu.add_option(Option(prompt, id=action))
        menu.highlighted = keep if keep is not None else 0

    @on(OptionList.OptionSelected, "#train-actions")
    def _action(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(event.option.id or "")

    def choose(self, action: str) -> None:
        """Start a menu action for the chosen trainee."""
        if action == "switch":
            self.profile = None
            self._show("train-who")
            return
        if self.profile is None:
            return
        if action == "roleplay":
            from coach.tui.screens.roleplay import RoleplayScreen  # deferred: screens load when opened

            self.app.push_screen(RoleplayScreen(trainee=self.profile.name))
            return
        if action == "progress":
            self._status(self.tr("train.loading"))
            self._read_progress(self.profile)
            return
        if not self.coach.content_loaded:
            self.coach.say(self.coach.content_error or self.tr("need.content"), severity="warning")
            return
        self._status(self.tr("train.loading"))
        self._prepare(action, self.profile, self.lang)

    # --- sittings -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="train-prepare", exit_on_error=False)
    def _prepare(self, kind: str, profile: Any, lang: str) -> None:
        library, index = self.coach.library, self.coach.index
        if library is None:
            return
        try:
            with session(self.coach.db_path) as conn:
                states = training.schedule(conn, profile.id, f"{kind}:")
            now = datetime.now(UTC)
            if kind == "drill":
                items = drill_items(library, self._load_scenarios(library), lang=lang)
                if not items:
                    raise CoachError(tr(lang, "drill.none"))
                run: Any = DrillRun(
                    library, index, items, states, lang=lang, count=10, seed=self.seed, now=now
                )
            else:
                bank = quiz_bank(library)
                if not bank:
                    raise CoachError(tr(lang, "quiz.none"))
                run = QuizRun(library, bank, states, lang=lang, count=10, seed=self.seed, now=now)
        except CoachError as exc:
            self.post_message(self.Failed(exc.one_line()))
            return
        self.post_message(self.SittingReady(kind, run))

    def _load_scenarios(self, library: Any) -> list[Any]:
        """The shipped scenarios (loaded once; none when they cannot be loaded)."""
        if self._scenarios is None:
            found = load_default(
                situations=set(situation_ids()) | set(library.rules),
                behaviours=set(reply_ids()) | set(library.behaviours),
            )
            self._scenarios = [found.scenarios[k] for k in sorted(found.scenarios)]
        return self._scenarios

    @on(SittingReady)
    def _ready(self, message: SittingReady) -> None:
        self.kind, self.run = message.kind, message.run
        self._status("")
        self._show("train-ask")
        self._next()

    def _next(self) -> None:
        """Show the next question, or the sitting's result."""

        q = self.run.next()
        self.question = q
        self.first = None
        lang = self.run.lang
        feedback = self.query_one("#train-feedback", Static)
        feedback.update("")
        if q is None:
            self._finish()
            return
        header = tr(
            lang, "drill.again" if q.again else "drill.header", n=self.run.queue.asked, total=self.run.total
        )
        self.query_one("#train-header", Static).update(header)
        if self.kind == "drill":
            prompt = Text()
            if q.item.scenario_title:
                prompt.append(
                    tr(lang, "drill.from-scenario", title=q.item.scenario_title[lang]) + "\n", style="dim"
                )
            prompt.append(f"“{q.text}”\n\n", style="bold")
            prompt.append(tr(lang, "drill.situation.ask"))
            self.query_one("#train-prompt", Static).update(prompt)
            self._options([c.label for c in q.situations])
            self.phase = "situation"
        else:
            self.query_one("#train-prompt", Static).update(Text(q.prompt))
            self._options(list(q.options))
            self.phase = "answer"
        self.query_one("#train-ask-scroll", VerticalScroll).scroll_home(animate=False)

    def _options(self, labels: list[str], ids: list[str] | None = None) -> None:
        options = self.query_one("#train-options", OptionList)
        options.clear_options()
        for i, label in enumerate(labels):
            options.add_option(Option(Text(f"{i + 1}) {label}"), id=(ids[i] if ids else str(i))))
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#train-options")
    def _answered(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.answer(event.option.id or "")

    def answer(self, option_id: str) -> None:
        """Take the chosen option (its id) for the current phase of the question."""
        if self.phase in ("feedback", "done"):
            if option_id == "next":
                self._next()
            elif option_id == "menu":
                self._show("train-menu")
            return
        if self.question is None or not option_id.isdigit():
            return
        choice = int(option_id)
        if self.kind == "drill":
            self._drill_answer(choice)
        else:
            self._quiz_answer(choice)

    def _drill_answer(self, choice: int) -> None:
        q, lang = self.question, self.run.lang
        feedback = self.query_one("#train-feedback", Static)
        if self.phase == "situation":
            self.first = choice
            right = q.situations[q.situation_answer]
            if choice == q.situation_answer:
                line = Text(tr(lang, "drill.right", title=right.label, id=right.rule), style="green")
            else:
                line = Text(
                    tr(
                        lang,
                        "drill.wrong",
                        title=right.label,
                        id=right.rule,
                        chosen=q.situations[choice].label,
                    ),
                    style="red",
                )
            feedback.update(Text.assemble(line, "\n\n", tr(lang, "drill.response.ask")))
            self._options([c.label for c in q.responses])
            self.phase = "response"
            return
        assert self.first is not None
        result, requeued = self.run.answer(q, self.first, choice)
        self._save(
            drill_record(
                result, self.coach.library, run=self.run.run, seq=len(self.run.results) - 1, at=_now()
            )
        )
        right = q.situations[q.situation_answer]
        out = Text()
        out.append_text(
            Text(tr(lang, "drill.right", title=right.label, id=right.rule), style="green")
            if result.situation_right
            else Text(
                tr(
                    lang,
                    "drill.wrong",
                    title=right.label,
                    id=right.rule,
                    chosen=q.situations[self.first].label,
                ),
                style="red",
            )
        )
        out.append("\n")
        if result.response_right:
            out.append(tr(lang, "drill.response.right"), style="green")
        else:
            out.append(
                tr(lang, "drill.response.wrong", line=q.responses[q.response_answer].label), style="red"
            )
            other = q.responses[choice].rule
            if other != right.rule:
                title = getattr(self.coach.library.rules[other].title, lang)
                out.append("\n" + tr(lang, "drill.response.wrong-rule", title=title, id=other))
        out.append("\n\n")
        lines = entry_lines(self.coach.library.rules[right.rule], lang)
        out.append(lines[0] + "\n", style="bold")
        out.append("\n".join(lines[1:]))
        if requeued:
            out.append("\n\n" + tr(lang, "drill.requeued"), style="italic")
        feedback.update(out)
        self._after_answer()

    def _quiz_answer(self, choice: int) -> None:
        q, lang = self.question, self.run.lang
        result, requeued = self.run.answer(q, choice)
        self._save(quiz_record(result, run=self.run.run, seq=len(self.run.results) - 1, at=_now()))
        if result.right:
            text = Text(tr(lang, "quiz.right"), style="green")
        else:
            text = Text(tr(lang, "quiz.wrong", answer=q.options[q.answer]), style="red")
        if requeued:
            text.append("\n" + tr(lang, "drill.requeued"), style="italic")
        self.query_one("#train-feedback", Static).update(text)
        self._after_answer()

    def _after_answer(self) -> None:
        last = len(self.run.queue) == 0
        self._options([self.tr("train.finish" if last else "train.next")], ids=["next"])
        self.phase = "feedback"

    def _finish(self) -> None:
        lang, done = self.run.lang, self.run.results
        if self.kind == "drill":
            points = sum(r.score for r in done)
            summary = tr(
                lang,
                "drill.done",
                right=sum(r.right for r in done),
                total=len(done),
                points=points,
                max=MAX_POINTS * len(done),
            )
        else:
            summary = tr(lang, "quiz.done", right=sum(r.right for r in done), total=len(done))
        self.query_one("#train-header", Static).update("")
        self.query_one("#train-prompt", Static).update(Text(summary, style="bold"))
        self._options([self.tr("train.again", name=self.profile.name)], ids=["menu"])
        self.phase = "done"
        self._read_profiles()

    @work(thread=True, group="train-db-write", exit_on_error=False)
    def _save(self, rec: dict[str, Any]) -> None:
        profile_id = self.profile.id
        with self._save_lock:  # answers are written in the order they were given
            try:
                with session(self.coach.db_path) as conn:
                    training.add_attempt(conn, profile_id, rec)
            except CoachError as exc:
                self.post_message(self.Failed(exc.one_line()))
                return
            self.saved += 1

    # --- progress -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="train-db-read", exit_on_error=False)
    def _read_progress(self, profile: Any) -> None:
        try:
            with session(self.coach.db_path) as conn:
                rps = training.roleplays(conn, profile)
                answers = training.attempts(conn, profile.id)
        except CoachError as exc:
            self.post_message(self.Failed(exc.one_line()))
            return
        names = with_roleplay_titles(titles(self.coach.library), rps)
        self.post_message(self.ProgressRead(progress(answers, rps, names), names))

    @on(ProgressRead)
    def _progress_read(self, message: ProgressRead) -> None:
        self.progress, self._names = message.progress, message.names
        self._status("")
        self._show_progress()
        self._show("train-progress")

    def _show_progress(self) -> None:
        p, names, lang = self.progress, self._names, self.lang
        chart = Text(
            tr(lang, "progress.title", name=self.profile.name, klass=self.profile.klass) + "\n\n",
            style="bold",
        )
        if p.empty:
            chart.append(tr(lang, "progress.none"))
        else:
            chart.append(tr(lang, "progress.areas") + "\n", style="bold")
            width = max(display_width(name_of(names, a.id, lang)) for a in p.areas)
            for a in p.areas:
                cells = area_row(a, names, lang)
                chart.append(f"{pad(cells[0], width)}  ")
                chart.append(bar(a.score, 12), style=_style(a.score))
                chart.append(f"  {cells[4] if a.score is not None else '-'}")
                chart.append(f"  {spark(a.trend())}\n", style=_style(a.score))
                detail = (
                    f"{tr(lang, 'col.drill')} {cells[1]} · {tr(lang, 'col.quiz')} {cells[2]} · "
                    f"{tr(lang, 'col.roleplay')} {cells[3]}"
                    if a.score is not None
                    else tr(lang, "progress.not-practised")
                )
                chart.append(f"    {detail}\n", style="dim")
        self.query_one("#train-chart", Static).update(chart)
        shares = [s.share * 100 for s in p.timeline if s.share is not None]
        self.query_one("#train-spark", Sparkline).data = shares
        self.query_one("#train-spark", Sparkline).display = bool(shares)
        self.query_one("#train-spark-label", Static).display = bool(shares)
        extra = Text()
        mistakes = top_mistakes(p.mistakes)
        if mistakes:
            extra.append(tr(lang, "progress.mistakes") + "\n", style="bold")
            for key, n in mistakes:
                extra.append(f"  {n}×  {mistake_label(key, names, lang)}\n")
        if p.scenarios:
            extra.append("\n" + tr(lang, "progress.scenarios") + "\n", style="bold")
            for s in p.scenarios:
                outcomes = ", ".join(f"{tr(lang, 'outcome.' + o)} {n}" for o, n in sorted(s.outcomes.items()))
                extra.append(f"  {s.title.get(lang) or s.id}: {s.played}×  ({outcomes})\n")
        self.query_one("#train-extra", Static).update(extra)

    _names: dict[str, dict[str, str]] = {}

    # --- plumbing -------------------------------------------------------------------------------

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._status("")
        self.coach.report_error(CoachError(message.error))

    def _status(self, text: str) -> None:
        self.query_one("#train-status", Static).update(text)

    def _show(self, view: str) -> None:
        self.view = view
        self.query_one("#train-switcher", ContentSwitcher).current = view
        focus = {
            "train-who": "#train-profiles" if self.rows else "#train-name",
            "train-menu": "#train-actions",
            "train-ask": "#train-options",
            "train-progress": "#train-progress",
        }[view]
        self.query_one(focus).focus()

    def on_key(self, event: events.Key) -> None:
        """A number picks that choice in the menu or among a question's options."""
        if not (event.character and event.character.isdigit()) or self.view not in (
            "train-menu",
            "train-ask",
        ):
            return
        number = int(event.character)
        listing = self.query_one(
            "#train-actions" if self.view == "train-menu" else "#train-options", OptionList
        )
        if 1 <= number <= listing.option_count:
            event.stop()
            option_id = listing.get_option_at_index(number - 1).id or ""
            if self.view == "train-menu":
                self.choose(option_id)
            else:
                self.answer(option_id)

    def action_back(self) -> None:
        """Esc: from a sitting or the progress back to the menu, from the menu to the trainees, then out."""
        if self.view in ("train-ask", "train-progress"):
            self._show("train-menu")
        elif self.view == "train-menu":
            self._show("train-who")
        else:
            super().action_back()


def _now() -> str:
    return now_iso()
