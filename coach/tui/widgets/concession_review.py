"""The concession log's review, as one tab: the scope (account, meeting), a chart of concession sizes over
time per unit, and the review text (figures, principle 7's advice, tactic counters, and with a meeting the
plan check ``coach log review --meeting`` prints). Computed in a worker from the entries the screen hands
down (``compute``)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Sparkline, Static, TabPane

from coach.content.loader import taxonomy
from coach.errors import one_line
from coach.i18n import tr
from coach.review.concessions import UNIT_WORDS, advice_from_rules, amount, render_text, review
from coach.services.plan_check import meeting_plan_review
from coach.store.accounts import account_key
from coach.store.concessions import Concession, paused_gc
from coach.store.db import SESSION_ERRORS, session
from coach.tui.widgets.concession_table import Big

CHART_UNITS = 3
"""Units charted in the review (the ones with the most concessions)."""


class ConcessionReview(TabPane):
    """The scope inputs, the charts and the text; the screen says when to compute (the tab may be hidden)."""

    class ScopeChanged(Message):
        """The account or meeting to review was changed."""

    class ReviewReady(Message):
        """The review text and the size series to chart, per unit: (unit, values oldest first)."""

        def __init__(self, text: str, series: list[tuple[str, list[float]]]) -> None:
            super().__init__()
            self.text = text
            self.series = series

    class Failed(Message):
        """The meeting's plan could not be read; ``key`` is the i18n key of the notice, ``error`` one line."""

        def __init__(self, key: str, error: str) -> None:
            super().__init__()
            self.key = key
            self.error = error

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(title, id=id)
        self.review_text = ""
        """The review as shown (plain text)."""
        self.series: list[tuple[str, list[float]]] = []
        """The charted size series."""
        self.review_updates = 0
        """How many times the review was redrawn."""
        self.lang = "en"
        """The language of the review shown last."""

    def compose(self) -> ComposeResult:
        """The scope, then the charts and the text, scrolling."""
        with Horizontal(id="log-review-scope"):
            yield Input(id="log-review-account", compact=True)
            yield Input(id="log-review-meeting", compact=True)
        with VerticalScroll(id="log-review-body"):
            yield Vertical(id="log-charts")
            yield Static(id="log-review-text", markup=False)

    def set_language(self, lang: str) -> None:
        """The scope's placeholders in ``lang`` (the review itself is computed again by the screen)."""
        self.query_one("#log-review-account", Input).placeholder = tr(lang, "log.review.account")
        self.query_one("#log-review-meeting", Input).placeholder = tr(lang, "log.review.meeting")

    @on(Input.Submitted, "#log-review-account, #log-review-meeting")
    @on(Input.Changed, "#log-review-account, #log-review-meeting")
    def _scope_changed(self) -> None:
        self.post_message(self.ScopeChanged())

    def compute(self, rows: list[Concession], rules: dict, lang: str, db_path: Path | str) -> None:
        """Review ``rows`` in the scope typed, with the playbooks' ``rules``, in ``lang`` (in a worker)."""
        self.lang = lang
        account = self.query_one("#log-review-account", Input).value.strip()
        meeting = self.query_one("#log-review-meeting", Input).value.strip()
        self._compute(Big(rows), account, meeting, Big(rules), lang, db_path)

    @work(thread=True, exclusive=True, group="log-review", exit_on_error=False)
    def _compute(
        self, rows_: Big, account: str, meeting: str, rules_: Big, lang: str, db_path: Path | str
    ) -> None:
        rows: list[Concession] = rows_.value
        rules = rules_.value

        situations = [s for group in taxonomy()["situations"].values() for s in group]
        advice, counters = advice_from_rules(rules, situations)
        with paused_gc():  # as `coach log review`: no collector passes over 100,000 rows
            wanted, meeting_key = (
                account_key(account) if account.strip() else "",
                " ".join(meeting.split()).casefold(),
            )
            picked = [
                r
                for r in rows
                if (not wanted or account_key(r.account) == wanted)
                and (not meeting_key or (r.meeting or "").casefold() == meeting_key)
            ]
            rv = review(picked, advice, counters)
            scope = " / ".join(p for p in (account, meeting) if p) or None
            by_unit: dict[str, list[float]] = {}
            for r in picked:
                if r.status != "withdrawn" and r.value is not None and r.unit:
                    by_unit.setdefault(r.unit, []).append(r.value)
            # A size sequence needs two sizes at least; the most used units first.
            series = sorted(((u, v) for u, v in by_unit.items() if len(v) > 1), key=lambda kv: -len(kv[1]))
            series = series[:CHART_UNITS]
            text = render_text(rv, lang, scope)
        if meeting:  # as `coach log review --meeting`: the meeting's concessions against its plan
            try:
                with session(db_path) as conn:
                    plan = meeting_plan_review(conn, picked, meeting=meeting, account=account, lang=lang)
            except SESSION_ERRORS as exc:
                self.post_message(self.Failed("log.error.read", one_line(exc)))
                plan = None
            if plan:
                text += "\n\n" + plan[0]
        self.post_message(self.ReviewReady(text, series))

    @on(ReviewReady)
    async def _ready(self, message: ReviewReady) -> None:
        message.stop()
        self.review_text, self.series = message.text, message.series
        self.review_updates += 1
        self.query_one("#log-review-text", Static).update(Text(message.text))
        charts = self.query_one("#log-charts", Vertical)
        await charts.remove_children()
        widgets = []
        for unit, values in message.series:
            top = amount(max(values), unit, self.lang)
            name = "%" if unit == "percent" else UNIT_WORDS[self.lang].get(unit, unit)
            label = tr(self.lang, "log.chart", unit=name, n=len(values), max=top)
            widgets += [
                Static(label, classes="log-chart-label", markup=False),
                Sparkline(values, classes="log-chart"),
            ]
        if widgets:
            await charts.mount_all(widgets)
