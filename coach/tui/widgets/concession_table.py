"""The concession log's entries, as one tab: a filter, a count and a table sortable by any column.

Filtering and sorting run in a worker over the whole log; the table shows at most ``TABLE_LIMIT`` rows, so it
stays responsive with 100,000 entries. The screen hands the entries down (``show_entries``).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Input, Static, TabPane

from coach.i18n import tr
from coach.review.concessions import STAGE_LABELS, STATUS_LABELS, TYPE_LABELS, amount
from coach.store.concessions import Concession, paused_gc

TABLE_LIMIT = 1000
"""Most rows put in the table at once; filtering and sorting always cover the whole log."""
COLUMNS = ("id", "when", "account", "meeting", "type", "give", "amount", "get", "tactic", "stage", "status")
"""Table columns (each sortable by selecting its header)."""


class Big:
    """A large worker argument with a short repr: Textual names each worker after the repr of its
    arguments, and the repr of 100,000 rows takes longer than the work itself."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"<{type(self.value).__name__} of {len(self.value):,}>"


def _sort_key(column: str):  # noqa: ANN202
    """How a column sorts: numbers as numbers, text without case, empty cells last."""
    if column == "id":
        return lambda r: r.id
    if column == "when":
        return lambda r: (r.when, r.id)
    if column == "amount":
        return lambda r: (r.unit is None, r.unit or "", r.value or 0.0)
    if column == "give":
        return lambda r: r.give.casefold()
    if column == "get":
        return lambda r: (r.get is None, (r.get or "").casefold())
    attr = column

    def key(r: Concession) -> tuple[bool, str]:
        value = getattr(r, attr)
        return (value is None, str(value or "").casefold())

    return key


def haystack(r: Concession) -> str:
    """The text of an entry the filter searches, folded."""
    return " ".join(
        x for x in (r.account, r.meeting, r.give, r.get, r.tactic, r.type, r.asked_by, r.note) if x
    ).casefold()


def table_view(
    rows: list[Concession], query: str, column: str, reverse: bool, haystacks: list[str] | None = None
) -> tuple[list[Concession], int]:
    """Rows with every word of ``query``, sorted by ``column``: (the first rows, how many matched)."""
    words = query.casefold().split()
    if words:
        hay = haystacks or [haystack(r) for r in rows]
        picked = [r for r, h in zip(rows, hay, strict=True) if all(w in h for w in words)]
    else:
        picked = list(rows)
    picked.sort(key=_sort_key(column), reverse=reverse)
    return picked[:TABLE_LIMIT], len(picked)


class ConcessionTable(TabPane):
    """The filter, the count and the table; ``lang`` comes from the screen (``set_language``)."""

    class TableReady(Message):
        """The filtered, sorted rows to show (at most ``TABLE_LIMIT``) and how many matched."""

        def __init__(self, rows: list[Concession], matched: int) -> None:
            super().__init__()
            self.rows = rows
            self.matched = matched

    def __init__(self, title: str, *, lang: str, id: str | None = None) -> None:
        super().__init__(title, id=id)
        self.lang = lang
        """The interface language."""
        self.rows: list[Concession] | None = None
        """Every current real entry (None until read)."""
        self._haystacks: list[str] = []
        self.shown: list[Concession] = []
        """The rows in the table, in table order."""
        self.matched = 0
        """How many entries match the filter."""
        self.sort_column = "when"
        """The column the table is sorted by."""
        self.sort_reverse = True
        """Newest first by default: the last meeting matters most."""
        self.table_updates = 0
        """How many times the table was redrawn (tests and the benchmark wait on it)."""

    def compose(self) -> ComposeResult:
        """The filter, the count, the table."""
        yield Input(id="log-filter", compact=True)
        yield Static(id="log-count", classes="hint", markup=False)
        yield DataTable(id="log-table", cursor_type="row", zebra_stripes=True)

    def set_language(self, lang: str) -> None:
        """The filter's placeholder and the table in ``lang``."""
        self.lang = lang
        self.query_one("#log-filter", Input).placeholder = tr(lang, "log.filter")
        if self.rows is not None:
            self._fill()

    def show_loading(self) -> None:
        """Say that the log is being read."""
        self.query_one("#log-count", Static).update(tr(self.lang, "log.loading"))

    def show_entries(self, rows: list[Concession], haystacks: list[str]) -> None:
        """Show ``rows`` (every current entry, oldest first, with their ``haystack``), filtered and sorted."""
        self.rows, self._haystacks = rows, haystacks
        self.request()

    def request(self) -> None:
        """Filter and sort again (in a worker); the table is redrawn when it is done."""
        if self.rows is None:
            return
        query = self.query_one("#log-filter", Input).value
        self._compute(Big(self.rows), Big(self._haystacks), query, self.sort_column, self.sort_reverse)

    @work(thread=True, exclusive=True, group="log-table", exit_on_error=False)
    def _compute(self, rows: Big, haystacks: Big, query: str, column: str, reverse: bool) -> None:
        with paused_gc():  # sort keys for 100,000 rows would otherwise wake the collector again and again
            shown, matched = table_view(rows.value, query, column, reverse, haystacks.value)
        self.post_message(self.TableReady(shown, matched))

    @on(TableReady)
    def _ready(self, message: TableReady) -> None:
        message.stop()
        self.shown, self.matched = message.rows, message.matched
        self._fill()

    @on(Input.Changed, "#log-filter")
    def _filter_changed(self) -> None:
        self.request()

    @on(DataTable.HeaderSelected, "#log-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, column in ("id", "when")
        self.request()

    def _fill(self) -> None:
        table = self.query_one("#log-table", DataTable)
        table.clear(columns=True)
        lang = self.lang
        heads = {
            "id": "#",
            "when": tr(lang, "log.field.when"),
            "account": tr(lang, "log.field.account"),
            "meeting": tr(lang, "log.field.meeting"),
            "type": tr(lang, "log.field.type"),
            "give": tr(lang, "log.field.give"),
            "amount": tr(lang, "log.field.value"),
            "get": tr(lang, "log.field.get"),
            "tactic": tr(lang, "log.field.tactic"),
            "stage": tr(lang, "log.field.stage"),
            "status": tr(lang, "log.field.status"),
        }
        for column in COLUMNS:
            mark = (" ▼" if self.sort_reverse else " ▲") if column == self.sort_column else ""
            table.add_column(Text(heads[column] + mark), key=column)
        nothing = tr(lang, "log.nothing")
        # Text(...) everywhere: DataTable would read a plain str as markup, and user text is shown literally.
        table.add_rows(
            (
                Text(str(r.id)),
                Text(r.when.replace("T", " ")[:16]),
                Text(r.account),
                Text(r.meeting or ""),
                Text(TYPE_LABELS[lang][r.type]),
                Text(r.give),
                Text(amount(r.value, r.unit, lang)),
                Text(r.get or nothing, style="" if r.get else "bold red"),
                Text(r.tactic or ""),
                Text(STAGE_LABELS[lang][r.stage]),
                Text(STATUS_LABELS[lang][r.status]),
            )
            for r in self.shown
        )
        self.table_updates += 1
        total = len(self.rows or [])
        count = self.query_one("#log-count", Static)
        if total == 0:
            count.update(tr(lang, "log.empty"))
        elif self.matched == total and len(self.shown) == total:
            count.update(tr(lang, "log.count.all", total=total))
        else:
            count.update(tr(lang, "log.count", shown=len(self.shown), matched=self.matched, total=total))
