"""Walk-through: one playbook entry page by page (steps, lines to say, what to avoid), a tick and notes
per page, then a summary that can be saved to the database and exported as Markdown."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, ContentSwitcher, Footer, Header, Input, Static, TextArea

from coach import locations
from coach.errors import CoachError
from coach.store import walkthroughs
from coach.store.db import SESSION_ERRORS, session
from coach.store.walkthroughs import StepRecord, Walkthrough, now_iso, write_markdown
from coach.tui.screens.base import CoachScreen
from coach.tui.screens.confirm import ask_before_leaving
from coach.tui.widgets.steps import steps_table

if TYPE_CHECKING:
    from coach.content.models import Rule

log = logging.getLogger("coach.tui")


class WalkthroughScreen(CoachScreen):
    """Pages of one entry; the page after the last is the summary."""

    CSS_PATH = "walkthrough.tcss"
    ON_HOME = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b", "previous", "Previous", id="previous", show=False),
        Binding("ctrl+n", "next", "Next", id="next"),
        Binding("ctrl+t", "toggle_done", "Done", id="toggle-done", show=False),
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("ctrl+o", "export", "Export", id="export"),
    ]

    class Saved(Message):
        """The walk-through was written to the database as ``walkthrough_id``."""

        def __init__(self, walkthrough_id: int, leave: bool) -> None:
            super().__init__()
            self.walkthrough_id = walkthrough_id
            self.leave = leave

    class Exported(Message):
        """The walk-through was written as Markdown to ``path``."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class Failed(Message):
        """Saving or exporting failed; ``error`` is one line, ``key`` the i18n key of the notice."""

        def __init__(self, key: str, error: str) -> None:
            super().__init__()
            self.key = key
            self.error = error

    def __init__(self, rule_id: str, situation: str = "") -> None:
        super().__init__()
        self.rule_id = rule_id
        """The entry walked through."""
        self.situation = situation
        """What the user typed in the situation coach, kept with the walk-through and its export."""
        self.page = 0
        """Index of the page shown; ``len(pages)`` is the summary."""
        self.done: list[bool] = []
        """Tick per page."""
        self.notes: list[str] = []
        """Notes per page."""
        self.saved_id: int | None = None
        """Database id once saved; later saves update the same record."""
        self.dirty = False
        """True when something changed since the last save."""
        self.started_at = now_iso()
        self._busy = False

    # --- model ----------------------------------------------------------------------------------

    @property
    def rule(self) -> Rule:
        """The playbook entry."""
        assert self.coach.library is not None
        return self.coach.library.rules[self.rule_id]

    def pages(self) -> list[tuple[str, str]]:
        """(kind, text) of every page in the current language."""
        r = self.rule.response
        lang = self.lang
        return (
            [("step", getattr(s, lang)) for s in r.steps]
            + [("say", getattr(s, lang)) for s in r.say]
            + [("avoid", getattr(s, lang)) for s in r.avoid]
        )

    def record(self) -> Walkthrough:
        """The walk-through as it stands, in the current language."""
        label = self.query_one("#walk-label", Input).value.strip()
        steps = [
            StepRecord(kind, text, self.done[i], self.notes[i]) for i, (kind, text) in enumerate(self.pages())
        ]
        return Walkthrough(
            rule_id=self.rule_id,
            title=getattr(self.rule.title, self.lang),
            lang=self.lang,
            steps=steps,
            label=label,
            id=self.saved_id,
            started_at=self.started_at,
            situation=self.situation,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Next and the tick make no sense on the summary, nor previous on the first page."""
        on_summary = self.page >= len(self.done) > 0
        if action in ("next", "toggle_done"):
            return not on_summary
        if action == "previous":
            return self.page > 0
        return True

    def has_unsaved_work(self) -> bool:
        """True when ticks, notes or the label changed since the last save."""
        return self.dirty

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """A page view and a summary view in a switcher."""
        yield Header()
        yield Static(id="walk-title", classes="screen-title", markup=False)
        with ContentSwitcher(initial="walk-page", id="walk-switcher"):
            with Vertical(id="walk-page"):
                yield Static(id="walk-position", classes="hint", markup=False)
                with VerticalScroll(id="walk-text-box"):
                    yield Static(id="walk-text")
                yield Checkbox(id="walk-done")
                yield Static(id="walk-notes-label", classes="hint", markup=False)
                yield TextArea(id="walk-notes", soft_wrap=True, tab_behavior="focus")
                with Horizontal(classes="walk-buttons"):
                    yield Button("", id="walk-prev")
                    yield Button("", id="walk-next", variant="primary")
            with Vertical(id="walk-summary"):
                yield Static(id="walk-progress", classes="hint", markup=False)
                with VerticalScroll(id="walk-summary-box"):
                    yield Static(id="walk-summary-body")
                yield Input(id="walk-label", max_length=200)
                with Horizontal(classes="walk-buttons"):
                    yield Button("", id="walk-summary-prev")
                    yield Button("", id="walk-save", variant="primary")
                    yield Button("", id="walk-export")
                yield Static(id="walk-save-status", classes="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """One tick and one note per page; start on the first page."""
        n = len(self.pages())
        self.done = [False] * n
        self.notes = [""] * n
        self.query_one("#walk-notes", TextArea).focus()

    def apply_language(self) -> None:
        """Redraw in the current language (page texts come from the entry in that language)."""
        self.sub_title = getattr(self.rule.title, self.lang)
        self.query_one("#walk-title", Static).update(
            self.tr("walk.title", title=getattr(self.rule.title, self.lang))
        )
        self.query_one("#walk-done", Checkbox).label = self.tr("walk.done")
        self.query_one("#walk-notes-label", Static).update(self.tr("walk.notes"))
        self.query_one("#walk-prev", Button).label = self.tr("walk.back")
        self.query_one("#walk-summary-prev", Button).label = self.tr("walk.back")
        self.query_one("#walk-save", Button).label = self.tr("walk.save")
        self.query_one("#walk-export", Button).label = self.tr("walk.export")
        self.query_one("#walk-label", Input).placeholder = self.tr("walk.label")
        self._show_page()

    def _show_page(self) -> None:
        self.refresh_bindings()
        pages = self.pages()
        switcher = self.query_one(ContentSwitcher)
        if self.page >= len(pages):
            switcher.current = "walk-summary"
            self._show_summary()
            return
        switcher.current = "walk-page"
        kind, text = pages[self.page]
        self.query_one("#walk-position", Static).update(
            self.tr("walk.position", n=self.page + 1, total=len(pages), kind=self.tr(f"walk.kind.{kind}"))
        )
        style = "red" if kind == "avoid" else ""
        self.query_one("#walk-text", Static).update(Text(text, style=style))
        with self.prevent(Checkbox.Changed, TextArea.Changed):
            self.query_one("#walk-done", Checkbox).value = self.done[self.page]
            notes = self.query_one("#walk-notes", TextArea)
            if notes.text != self.notes[self.page]:
                notes.load_text(self.notes[self.page])
        self.query_one("#walk-prev", Button).disabled = self.page == 0
        last = self.page == len(pages) - 1
        self.query_one("#walk-next", Button).label = self.tr("walk.finish" if last else "walk.next")
        self.query_one("#walk-text-box").scroll_home(animate=False)

    def _show_summary(self) -> None:
        pages = self.pages()
        done = sum(self.done)
        self.query_one("#walk-progress", Static).update(
            self.tr("walk.summary", title=getattr(self.rule.title, self.lang))
            + " · "
            + self.tr("walk.progress", done=done, total=len(pages))
        )
        grid = steps_table(
            (
                (self.done[i], self.tr(f"walk.kind.{kind}"), text, self.notes[i])
                for i, (kind, text) in enumerate(pages)
            ),
            self.tr("walk.notes-label"),
        )
        self.query_one("#walk-summary-body", Static).update(grid)
        self._show_save_state()

    def _show_save_state(self) -> None:
        status = self.query_one("#walk-save-status", Static)
        if self.saved_id is None:
            status.update(self.tr("walk.unsaved"))
        elif self.dirty:
            status.update(self.tr("walk.saved", id=self.saved_id) + " " + self.tr("walk.changed"))
        else:
            status.update(self.tr("walk.saved", id=self.saved_id))

    # --- editing --------------------------------------------------------------------------------

    @on(Checkbox.Changed, "#walk-done")
    def _ticked(self, event: Checkbox.Changed) -> None:
        if self.page < len(self.done) and self.done[self.page] != event.value:
            self.done[self.page] = event.value
            self.dirty = True

    @on(TextArea.Changed, "#walk-notes")
    def _noted(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if self.page < len(self.notes) and self.notes[self.page] != text:
            self.notes[self.page] = text
            self.dirty = True

    @on(Input.Changed, "#walk-label")
    def _labelled(self, event: Input.Changed) -> None:
        self.dirty = True
        self._show_save_state()

    # --- navigation -----------------------------------------------------------------------------

    def action_next(self) -> None:
        """Next page (the summary after the last)."""
        if self.page < len(self.pages()):
            self.page += 1
            self._show_page()
            self._focus_page()

    def action_previous(self) -> None:
        """Previous page."""
        if self.page > 0:
            self.page -= 1
            self._show_page()
            self._focus_page()

    def action_summary(self) -> None:
        """Jump to the summary."""
        self.page = len(self.pages())
        self._show_page()
        self._focus_page()

    def _focus_page(self) -> None:
        if self.page >= len(self.pages()):
            self.query_one("#walk-save", Button).focus()
        elif self.focused is None or self.focused.id not in ("walk-prev", "walk-next"):
            self.query_one("#walk-notes", TextArea).focus()

    def action_toggle_done(self) -> None:
        """Tick or untick the page shown."""
        if self.page < len(self.pages()):
            self.query_one("#walk-done", Checkbox).toggle()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "walk-prev": self.action_previous,
            "walk-next": self.action_next,
            "walk-summary-prev": self.action_previous,
            "walk-save": self.action_save,
            "walk-export": self.action_export,
        }
        action = actions.get(event.button.id or "")
        if action:
            action()

    # --- saving, exporting ----------------------------------------------------------------------

    def action_save(self, leave: bool = False) -> None:
        """Save to the database (a second save updates the same record)."""
        if self._busy:
            return
        self._busy = True
        self._save(self.record(), self.coach.db_path, leave)

    @work(thread=True, group="walk-db", exit_on_error=False)
    def _save(self, record: Walkthrough, db_path: Path | str, leave: bool) -> None:
        try:
            with session(db_path) as conn:
                wt_id = walkthroughs.save(conn, record)
        except SESSION_ERRORS as exc:
            message = (
                exc.one_line() if isinstance(exc, CoachError) else f"{locations.shown_db(db_path)}: {exc}"
            )
            self.post_message(self.Failed("error.save", message))
            return
        except Exception as exc:  # a bug: logged in full; the screen must not stay "busy"
            log.exception("saving a walk-through failed")
            self.post_message(self.Failed("error.save", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(self.Saved(wt_id, leave))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self._busy = False
        self.saved_id = message.walkthrough_id
        self.dirty = False
        self.coach.say(self.tr("walk.saved", id=message.walkthrough_id), timeout=4)
        if self.page >= len(self.pages()):
            self._show_save_state()
        if message.leave:
            self.coach.go_back(self)

    def action_export(self) -> None:
        """Write the walk-through as Markdown to the exports folder."""

        record = self.record()
        record.saved_at = "" if self.dirty else record.saved_at
        self._export(record, locations.exports_dir())

    @work(thread=True, group="walk-export", exit_on_error=False)
    def _export(self, record: Walkthrough, folder: Path) -> None:
        try:
            path = write_markdown(record, folder)
        except (CoachError, OSError) as exc:
            message = exc.one_line() if isinstance(exc, CoachError) else f"{folder}: {exc.strerror or exc}"
            self.post_message(self.Failed("error.export", message))
            return
        except Exception as exc:  # a bug: logged in full, shown in one line
            log.exception("exporting a walk-through failed")
            self.post_message(self.Failed("error.export", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(self.Exported(path))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        self.exported_path = message.path
        self.coach.say(self.tr("walk.exported", path=message.path), timeout=8)

    exported_path: Path | None = None
    """Where the last export went."""

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._busy = False
        self.coach.report_error(CoachError(message.error), key=message.key)

    # --- leaving --------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Leave; asks first when ticks or notes are not saved."""
        if not self.dirty:
            self.coach.go_back(self)
            return

        ask_before_leaving(
            self,
            "leave.question",
            lambda: self.coach.go_back(self),
            save=lambda: self.action_save(leave=True),
        )
