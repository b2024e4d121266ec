"""Choose a saved plan to reopen: a list of plans, most recent meeting first; dismisses with the plan id."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coach.errors import CoachError, one_line
from coach.i18n import tr
from coach.store import plans as store
from coach.store.db import SESSION_ERRORS, session
from coach.tui.bindings import localize


class OpenPlanScreen(ModalScreen[int | None]):
    """Lists the saved plans (read in a worker); Enter returns the chosen plan's id, Escape None."""

    CSS_PATH = "plan_open.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back", id="back")]

    class Listed(Message):
        """The saved plans were read (or reading failed: ``error`` is one line)."""

        def __init__(self, plans: list, error: str | None = None) -> None:
            super().__init__()
            self.plans = plans
            self.error = error

    def __init__(self, db_path: Path | str, account: str | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.account = account
        """Only this account's plans when given."""
        self.plans: list | None = None
        """The listed plans (``store.plans.PlanSummary``), None until read."""

    def compose(self) -> ComposeResult:
        """A title over the list."""
        with Vertical(id="plan-open-box"):
            yield Static(id="plan-open-title", classes="screen-title", markup=False)
            yield OptionList(id="plan-open-list")
            yield Static(id="plan-open-hint", classes="hint", markup=False)

    def on_mount(self) -> None:
        """Label in the app's language and read the plans."""
        self.language_changed()
        self.query_one(OptionList).focus()
        self._read(self.db_path, self.account)

    def language_changed(self) -> None:
        """Relabel in the app's current language."""
        lang = self.app.lang  # type: ignore[attr-defined]
        localize(self, lang)
        self.query_one("#plan-open-title", Static).update(tr(lang, "plan.open.title"))
        self._fill()

    @work(thread=True, exclusive=True, group="plan-open", exit_on_error=False)
    def _read(self, db_path: Path | str, account: str | None) -> None:
        try:
            with session(db_path) as conn:
                found = store.list_plans(conn, account)
        except SESSION_ERRORS as exc:
            self.post_message(self.Listed([], one_line(exc)))
            return
        self.post_message(self.Listed(found))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        self.plans = message.plans
        if message.error:
            self.app.report_error(CoachError(message.error), key="error.generic")  # type: ignore[attr-defined]
        self._fill()

    def _fill(self) -> None:
        lang = self.app.lang  # type: ignore[attr-defined]
        hint = self.query_one("#plan-open-hint", Static)
        listing = self.query_one(OptionList)
        listing.clear_options()
        if self.plans is None:
            hint.update(tr(lang, "loading.plans"))
            return
        if not self.plans:
            hint.update(tr(lang, "plan.open.empty"))
            return
        hint.update(tr(lang, "plan.open.hint"))
        for p in self.plans:
            prompt = Text.assemble((f"#{p.id} ", "bold"), p.account, " / ", p.meeting, "\n")
            prompt.append(f"{p.date or '—'} · v{p.versions}", style="dim")
            listing.add_option(Option(prompt, id=str(p.id)))
        listing.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        """Escape: nothing chosen."""
        self.dismiss(None)
