"""The annual customer business plan of one account, one step per page: where are we, objectives with
their strategies and actions, resources and investment (beside the concession log's totals for the year),
the scorecard, and the reviews with the target-vs-actual chart. Each page shows the checks that concern
it. Reads only; the plan is written with `coach acbp` (export, edit, import) so nothing typed here is lost.
Opened from the key-accounts screen (p)."""

from __future__ import annotations

import shlex
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from coach.errors import CoachError, one_line
from coach.i18n import menu, tr
from coach.review.business_plan import STEPS, chart, log_totals, render_reviews, render_step, step_findings
from coach.store import business_plans as store
from coach.store.db import SESSION_ERRORS, session
from coach.tui.screens.base import CoachScreen
from coach.tui.widgets.wrapped import Wrapped


class BusinessPlanScreen(CoachScreen):
    """One account's plan for one year, read in a worker; ←/→ move between the steps, [ and ] the years."""

    SCREEN_ID = ""
    MENU: ClassVar[dict[str, tuple[str, str]]] = menu("bp.menu")
    NEEDS_CONTENT = False
    ON_HOME = False
    CSS_PATH = "business_plan.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,ctrl+n", "step(1)", "Next step", id="bp-next"),
        Binding("left,ctrl+b", "step(-1)", "Step back", id="bp-back"),
        Binding("left_square_bracket", "year(-1)", "Year before", id="bp-year-back"),
        Binding("right_square_bracket", "year(1)", "Year after", id="bp-year-next"),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]

    class Read(Message):
        """The plan (None when the account has none that year), its reviews and the log's totals."""

        def __init__(self, year: int, stored: Any, totals: Any) -> None:
            super().__init__()
            self.year = year
            self.stored = stored
            self.totals = totals

    class Failed(Message):
        """Reading failed; ``error`` is one line."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, account: str, year: int | None = None, step: str = "situation") -> None:
        super().__init__()
        self.account = account
        """The account's name, as the user knows it."""
        self.year = year
        """The plan's year (None until read: the newest plan, else this year)."""
        self.step = step
        """One of ``STEPS``."""
        self.stored: Any = None
        """The stored plan with its reviews (None when there is none, or until read)."""
        self.totals: Any = None
        """The concession log's totals for the account and year."""
        self.loaded = False
        """True once the first read has come back."""

    def compose(self) -> ComposeResult:
        """Tabs of the steps, the step, the hint."""
        yield Header()
        yield Static(id="bp-steps", markup=False)
        with VerticalScroll(id="bp-detail"):
            yield Static(id="bp-text")
        yield Static(id="bp-hint", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Read the plan."""
        super().on_mount()
        self.query_one("#bp-detail").focus()
        self.action_refresh()

    def menu_title(self) -> str:
        """The account and year in the title bar."""
        year = f" · {self.year}" if self.year else ""
        return f"{self.tr('bp.title')} — {self.account}{year}"

    def action_refresh(self) -> None:
        """Read the plan again."""
        self._read(self.coach.db_path, self.account, self.year)

    def action_step(self, delta: int) -> None:
        """Move to the next (1) or previous (-1) step."""
        at = (STEPS.index(self.step) + delta) % len(STEPS)
        self.step = STEPS[at]
        self.query_one("#bp-detail", VerticalScroll).scroll_home(animate=False)
        self.apply_language()

    def action_year(self, delta: int) -> None:
        """Show the plan of the year before (-1) or after (1)."""
        if self.year is None:
            return
        self.year += delta
        self.stored = None
        self.loaded = False
        self.sub_title = self.menu_title()
        self.apply_language()
        self.action_refresh()

    def _columns(self) -> int:
        """Columns the step can use (80 until the screen has a size)."""
        width = self.query_one("#bp-detail", VerticalScroll).size.width
        return width - 4 if width > 20 else 80

    def on_resize(self) -> None:
        """Draw the chart again to the new width."""
        if self.ready:
            self.apply_language()

    @work(thread=True, exclusive=True, group="bp-read", exit_on_error=False)
    def _read(self, db_path: Path | str, account: str, year: int | None) -> None:
        try:
            with session(db_path) as conn:
                if year is None:
                    have = store.years(conn, account)
                    year = have[0] if have else date.today().year
                stored = store.load(conn, account, year)
                totals = log_totals(store.concession_rows(conn, account, year)) if stored else None
        except SESSION_ERRORS as exc:
            self.post_message(self.Failed(one_line(exc)))
            return
        self.post_message(self.Read(year, stored, totals))

    @on(Read)
    def _was_read(self, message: Read) -> None:
        if self.year is not None and message.year != self.year:
            return  # the year changed meanwhile
        self.year = message.year
        self.stored, self.totals, self.loaded = message.stored, message.totals, True
        self.sub_title = self.menu_title()
        self.apply_language()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.loaded = True
        self.coach.report_error(CoachError(message.error), key="bp.error")

    def apply_language(self) -> None:
        """Tabs, step and hint in the current language."""

        lang = self.lang
        shell = shlex.quote(self.account)
        tabs = Text()
        for n, step in enumerate(STEPS, 1):
            name = self.tr(f"bp.step.{step}")
            if n > 1:
                tabs.append(" · ", style="dim")
            tabs.append(f"{n} {name}", style="bold reverse" if step == self.step else "")
        self.query_one("#bp-steps", Static).update(tabs)
        self.query_one("#bp-hint", Static).update(self.tr("bp.hint", shell=shell, year=self.year or "YYYY"))
        body = self.query_one("#bp-text", Static)
        if not self.loaded:
            body.update(self.tr("bp.loading"))
            return
        if self.stored is None:
            body.update(Wrapped(self.tr("bp.none", account=self.account, year=self.year, shell=shell)))
            return
        plan = self.stored.plan
        parts: list[Any] = []
        if self.step == "review":
            columns = self._columns()
            reviews = self.stored.reviews
            # bars and columns must not wrap: the chart is drawn to the width there is
            drawn = chart(plan, reviews, lang, columns=columns, rule=False)
            parts.append(Text(drawn, no_wrap=True, overflow="ellipsis"))
            parts.append(Text(""))
            parts.append(Text(render_reviews(plan, reviews, lang, columns)))
        else:
            text = render_step(plan, self.step, self.stored.reviews, self.totals, lang)
            head, _, rest = text.partition("\n")
            parts.append(Text(head, style="bold"))
            parts.append(Text(rest))  # Rich's wrapping: the items' indentation must count
            findings = step_findings(plan, self.step)
            if findings:
                parts.append(Text(""))
                marks = Text()
                for i, f in enumerate(findings):
                    if i:
                        marks.append("\n")
                    problem = f.kind == "problem"
                    marks.append(
                        ("✗ " if problem else "· ") + f.text(lang), style="yellow" if problem else "dim"
                    )
                parts.append(Wrapped(marks))
        title = tr(lang, "acbp.title", account=plan.account, year=plan.year)
        parts.insert(
            0,
            Text(
                f"{title}  ·  " + self.tr("bp.step", n=STEPS.index(self.step) + 1, total=len(STEPS)),
                style="dim",
            ),
        )
        body.update(Group(*parts))
