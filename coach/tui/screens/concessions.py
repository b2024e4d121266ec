"""Concession log: a form to add an entry, a filterable and sortable table of entries, and the review
(figures, principle 7's advice, tactic counters) with a chart of concession sizes over time.

Reads and writes run in workers that only post messages; the table shows at most ``TABLE_LIMIT`` rows
of the filtered, sorted log, so it stays responsive with 100,000 entries.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Select,
    Sparkline,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from coach.errors import CoachError
from coach.i18n import menu
from coach.review.concessions import STAGE_LABELS, STATUS_LABELS, TYPE_LABELS, UNIT_WORDS, amount
from coach.store.concessions import STAGES, TYPES, Concession, InvalidEntry, NewConcession
from coach.tui.screens.base import CoachScreen
from coach.tui.screens.confirm import ConfirmScreen
from coach.tui.widgets.plan_warning import PlanWarning

TABLE_LIMIT = 1000
"""Most rows put in the table at once; filtering and sorting always cover the whole log."""
CHART_UNITS = 3
"""Units charted in the review (the ones with the most concessions)."""

TEXT_FIELDS = (
    "account",
    "meeting",
    "when",
    "give",
    "value",
    "unit",
    "get",
    "get_value",
    "get_unit",
    "asked_by",
)
"""Form fields typed into an ``Input`` (id ``log-<field>``)."""
_DEFAULTS = {"type": "price", "stage": "bargaining", "status": "agreed"}
_FIRST_FIELD = {"log-add": "#log-account", "log-entries": "#log-filter", "log-review": "#log-review-account"}
COLUMNS = ("id", "when", "account", "meeting", "type", "give", "amount", "get", "tactic", "stage", "status")
"""Table columns (each sortable by selecting its header)."""

# Chinese wording of the store's validation reasons (its messages are English); matched by their start.
_ZH_REASONS = (
    ("must be zero or more", "不能是负数"),
    ("must be a finite number", "必须是正常的数字"),
    ("must not be empty", "必填"),
    ("required", "必填"),
    ("contains a control character", "含有控制字符，请输入普通文字"),
    ("contains bytes", "含有无效字符"),
    ("at most", "太长了"),
    ("unknown unit", "无法识别的单位；请用 percent、days、units 或币种代码（如 CNY）"),
    ("unknown tactic", "无法识别的采购手段"),
    ("unknown", "无法识别"),
    ("say what", "请填写单位"),
    ("a unit", "有单位但没有数值"),
    ("get_value is given", "填了换回的数值，请写明换回了什么"),
)


def reason_text(reason: str, lang: str) -> str:
    """A validation reason in the interface language (the English text when no wording is known)."""
    if lang != "zh":
        return reason
    for start, zh in _ZH_REASONS:
        if reason.startswith(start):
            return zh
    if "is not a number" in reason:
        return "不是数字"
    if "is not a date" in reason:
        return "日期格式不对（用 YYYY-MM-DD 或 YYYY-MM-DD HH:MM）"
    if "more than 100" in reason:
        return "百分比不能超过 100"
    if "too large" in reason:
        return "数值太大"
    return reason


class _Big:
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


def _haystack(r: Concession) -> str:
    return " ".join(
        x for x in (r.account, r.meeting, r.give, r.get, r.tactic, r.type, r.asked_by, r.note) if x
    ).casefold()


def table_view(
    rows: list[Concession], query: str, column: str, reverse: bool, haystacks: list[str] | None = None
) -> tuple[list[Concession], int]:
    """Rows with every word of ``query``, sorted by ``column``: (the first rows, how many matched)."""
    words = query.casefold().split()
    if words:
        hay = haystacks or [_haystack(r) for r in rows]
        picked = [r for r, h in zip(rows, hay, strict=True) if all(w in h for w in words)]
    else:
        picked = list(rows)
    picked.sort(key=_sort_key(column), reverse=reverse)
    return picked[:TABLE_LIMIT], len(picked)


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

    class TableReady(Message):
        """The filtered, sorted rows to show (at most ``TABLE_LIMIT``) and how many matched."""

        def __init__(self, rows: list[Concession], matched: int) -> None:
            super().__init__()
            self.rows = rows
            self.matched = matched

    class ReviewReady(Message):
        """The review text and the size series to chart, per unit: (unit, values oldest first)."""

        def __init__(self, text: str, series: list[tuple[str, list[float]]]) -> None:
            super().__init__()
            self.text = text
            self.series = series

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
        self._haystacks: list[str] = []
        self.shown: list[Concession] = []
        """The rows in the table, in table order."""
        self.matched = 0
        """How many entries match the filter."""
        self.sort_column = "when"
        """The column the table is sorted by."""
        self.sort_reverse = True
        """Newest first by default: the last meeting matters most."""
        self.review_text = ""
        """The review as shown (plain text)."""
        self.series: list[tuple[str, list[float]]] = []
        """The charted size series."""
        self.table_updates = 0
        """How many times the table was redrawn (tests and the benchmark wait on it)."""
        self.review_updates = 0
        """How many times the review was redrawn."""
        self._review_stale = True

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Tabs: form, table, review."""
        yield Header()
        with TabbedContent(id="log-tabs"):
            with TabPane("", id="log-add"):
                with VerticalScroll(id="log-form"):
                    yield Static(id="log-form-hint", classes="hint", markup=False)
                    with Grid(id="log-grid"):
                        for field in (
                            "account",
                            "meeting",
                            "when",
                            "type",
                            "give",
                            "value",
                            "unit",
                            "get",
                            "get_value",
                            "get_unit",
                            "asked_by",
                            "tactic",
                            "stage",
                            "status",
                        ):
                            yield Static(id=f"log-label-{field}", classes="log-label", markup=False)
                            if field in TEXT_FIELDS:
                                yield Input(id=f"log-{field}", compact=True)
                            else:
                                yield Select(
                                    self._options(field),
                                    id=f"log-{field}",
                                    compact=True,
                                    allow_blank=field == "tactic",
                                    value=_DEFAULTS.get(field, Select.NULL),
                                )
                        yield Static(id="log-label-note", classes="log-label", markup=False)
                        yield TextArea(id="log-note", soft_wrap=True, show_line_numbers=False)
                    yield Checkbox(id="log-practice", compact=True)
                # Under the scrolling form, always in view (80x24): what is wrong, the plan warning, Save.
                with Vertical(id="log-form-foot"):
                    yield Static(id="log-form-error", classes="status -error", markup=False)
                    yield PlanWarning(id="log-plan-warning")
                    yield Button("", id="log-save", variant="primary", compact=True)
            with TabPane("", id="log-entries"):
                yield Input(id="log-filter", compact=True)
                yield Static(id="log-count", classes="hint", markup=False)
                yield DataTable(id="log-table", cursor_type="row", zebra_stripes=True)
            with TabPane("", id="log-review"):
                with Horizontal(id="log-review-scope"):
                    yield Input(id="log-review-account", compact=True)
                    yield Input(id="log-review-meeting", compact=True)
                with VerticalScroll(id="log-review-body"):
                    yield Vertical(id="log-charts")
                    yield Static(id="log-review-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Fill the choices, focus the first field, read the log."""
        super().on_mount()
        self.query_one("#log-account", Input).focus()
        self.action_refresh()

    # --- language ---------------------------------------------------------------------------------

    def apply_language(self) -> None:
        """Every label, placeholder, choice and the review in the current language."""
        tabs = self.query_one("#log-tabs", TabbedContent)
        for pane in ("add", "entries", "review"):
            tabs.get_tab(f"log-{pane}").label = self.tr(f"log.tab.{pane}")
        self.query_one("#log-form-hint", Static).update(self.tr("log.form.hint"))
        for label in self.query(".log-label"):
            field = (label.id or "").removeprefix("log-label-")
            assert isinstance(label, Static)
            label.update(self.tr(f"log.field.{field}"))
        for field in ("account", "meeting", "when", "give", "value", "get", "asked_by"):
            self.query_one(f"#log-{field}", Input).placeholder = self.tr(f"log.ph.{field}")
        for field in ("unit", "get_unit", "get_value"):
            key = "log.ph.unit" if field != "get_value" else "log.ph.value"
            self.query_one(f"#log-{field}", Input).placeholder = self.tr(key)
        for field in ("type", "stage", "status", "tactic"):
            self._set_choices(field, self._options(field))
        self.query_one("#log-tactic", Select).prompt = self.tr("log.no-tactic")
        self.query_one("#log-practice", Checkbox).label = self.tr("log.field.practice")
        self.query_one("#log-save", Button).label = self.tr("log.save")
        self.query_one("#log-filter", Input).placeholder = self.tr("log.filter")
        self.query_one("#log-review-account", Input).placeholder = self.tr("log.review.account")
        self.query_one("#log-review-meeting", Input).placeholder = self.tr("log.review.meeting")
        self.query_one("#log-form-error", Static).update("")
        self.query_one("#log-form-error", Static).remove_class("-shown")
        if self.rows is not None:
            self._fill_table()
            self._request_review()

    def _options(self, field: str) -> list[tuple[Text, str]]:
        """The choices of a select field, labelled in the current language."""
        lang = self.lang
        if field == "type":
            pairs = [(TYPE_LABELS[lang][t], t) for t in TYPES]
        elif field == "stage":
            pairs = [(STAGE_LABELS[lang][s], s) for s in STAGES]
        elif field == "status":
            pairs = [(STATUS_LABELS[lang][s], s) for s in ("agreed", "offered")]
        else:
            pairs = self._tactics()
        return [(Text(label), value) for label, value in pairs]

    def _tactics(self) -> list[tuple[str, str]]:
        """Buyer tactics first, titled from the loaded playbooks (the taxonomy's names until they load)."""
        from coach.content.loader import taxonomy

        lib = self.coach.library
        names = []
        for group in taxonomy()["situations"].values():
            for s in group:
                rule = lib.rules.get(s["id"]) if lib else None
                title = getattr(rule.title, self.lang) if rule else s[self.lang]
                names.append((f"{title}  [{s['id']}]", s["id"]))
        names.sort(key=lambda pair: not pair[1].startswith("tactic."))  # stable: taxonomy order within
        return names

    def _set_choices(self, field: str, options: list[tuple[Text, str]]) -> None:
        select = self.query_one(f"#log-{field}", Select)
        keep = select.value
        select.set_options(options)
        if keep is not Select.NULL and any(v == keep for _, v in options):
            select.value = keep

    def content_ready(self) -> None:
        """Tactic titles and counters come from the playbooks once they are loaded."""
        self._set_choices("tactic", self._options("tactic"))
        if self.rows is not None:
            self._request_review()

    # --- the form ---------------------------------------------------------------------------------

    def form_data(self) -> dict[str, Any]:
        """What the form holds, as raw values for ``validate_entry`` (empty fields left out)."""
        data: dict[str, Any] = {}
        for field in TEXT_FIELDS:
            value = self.query_one(f"#log-{field}", Input).value
            if value.strip():
                data[field] = value
        for field in ("type", "stage", "status", "tactic"):
            value = self.query_one(f"#log-{field}", Select).value
            if value is not Select.NULL:
                data[field] = value
        note = self.query_one("#log-note", TextArea).text
        if note.strip():
            data["note"] = note
        data["practice"] = self.query_one("#log-practice", Checkbox).value
        for required in ("account", "type", "give"):
            data.setdefault(required, "")
        return data

    def has_unsaved_work(self) -> bool:
        """True when something is typed into the entry fields (account and meeting are kept after saving)."""
        typed = any(
            self.query_one(f"#log-{f}", Input).value.strip()
            for f in TEXT_FIELDS
            if f not in ("account", "meeting")
        )
        return typed or bool(self.query_one("#log-note", TextArea).text.strip())

    def _show_error(self, field: str, reason: str) -> None:
        try:
            label = self.tr(f"log.field.{field}")
        except KeyError:  # a field without a label of its own
            label = field
        error = self.query_one("#log-form-error", Static)
        error.update(self.tr("log.invalid", field=label, reason=reason_text(reason, self.lang)))
        error.add_class("-shown")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        target = f"#log-{field}"
        if self.query(target):
            widget = self.query_one(target)
            widget.add_class("-invalid")
            widget.focus()

    def action_save(self) -> None:
        """Validate the form; save in a worker, or say which field is wrong."""
        from coach.store.concessions import validate_entry

        if self.query_one("#log-tabs", TabbedContent).active != "log-add":
            self.action_show_tab("log-add")
        try:
            entry = validate_entry(self.form_data())
        except InvalidEntry as exc:
            self._show_error(exc.field, exc.reason)
            return
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self.query_one("#log-form-error", Static).update("")
        self.query_one("#log-form-error", Static).remove_class("-shown")
        self._save(entry, self.coach.db_path)

    @on(Input.Changed, "#log-grid Input")
    @on(Select.Changed, "#log-grid Select")
    @on(Checkbox.Changed, "#log-practice")
    def _check_plan(self) -> None:
        """Warn while typing when the concession would break the plan saved for its meeting."""
        self.query_one(PlanWarning).check(self.form_data(), self.coach.db_path, self.lang)

    @on(Button.Pressed, "#log-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @work(thread=True, exclusive=True, group="log-save", exit_on_error=False)
    def _save(self, entry: NewConcession, db_path: Path) -> None:
        from coach.store import concessions as store
        from coach.store.db import connect

        try:
            conn = connect(db_path)
            try:
                new_id = store.add(conn, entry)
            finally:
                conn.close()
        except (CoachError, sqlite3.Error, OSError) as exc:
            self.post_message(
                self.Failed("log.error.save", exc.one_line() if isinstance(exc, CoachError) else str(exc))
            )
            return
        self.post_message(self.ConcessionSaved(new_id))

    @on(ConcessionSaved)
    def _saved(self, message: ConcessionSaved) -> None:
        self.coach.say(self.tr("log.saved", id=message.entry_id), timeout=4)
        for field in TEXT_FIELDS:
            if field not in ("account", "meeting"):  # the next concession is usually in the same meeting
                self.query_one(f"#log-{field}", Input).value = ""
        self.query_one("#log-note", TextArea).text = ""
        self.query_one("#log-tactic", Select).clear()
        self.query_one("#log-give", Input).focus()
        self.action_refresh()

    def action_back(self) -> None:
        """Leave; asks first when the form holds something not saved."""
        if not self.has_unsaved_work():
            self.coach.go_back(self)
            return

        def chosen(answer: str | None) -> None:
            if answer == "discard":
                self.coach.go_back(self)

        self.app.push_screen(
            ConfirmScreen(
                "log.leave.question",
                [("discard", "leave.discard", "error"), ("stay", "leave.stay", "default")],
            ),
            chosen,
        )

    def action_show_tab(self, pane: str) -> None:
        """Switch to a tab and put the cursor in its first field."""
        # Focus first: a focused widget left in the old pane would make TabbedContent switch back to it.
        self.query_one(_FIRST_FIELD[pane]).focus()
        self.query_one("#log-tabs", TabbedContent).active = pane

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
        self.query_one("#log-count", Static).update(self.tr("log.loading"))
        self._load(self.coach.db_path)

    @work(thread=True, exclusive=True, group="log-read", exit_on_error=False)
    def _load(self, db_path: Path) -> None:
        from coach.store import concessions as store
        from coach.store.db import connect

        try:
            conn = connect(db_path)
            try:
                rows = store.select(conn)
            finally:
                conn.close()
        except (CoachError, sqlite3.Error, OSError) as exc:
            self.post_message(
                self.Failed("log.error.read", exc.one_line() if isinstance(exc, CoachError) else str(exc))
            )
            return
        with store.paused_gc():
            haystacks = [_haystack(r) for r in rows]
        self.post_message(self.EntriesLoaded(rows, haystacks))

    @on(EntriesLoaded)
    def _entries_loaded(self, message: EntriesLoaded) -> None:
        self.rows, self._haystacks = message.rows, message.haystacks
        self._request_table()
        self._request_review()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.coach.report_error(CoachError(message.error), key=message.key)

    # --- the table --------------------------------------------------------------------------------

    @on(Input.Changed, "#log-filter")
    def _filter_changed(self) -> None:
        self._request_table()

    @on(DataTable.HeaderSelected, "#log-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, column in ("id", "when")
        self._request_table()

    def _request_table(self) -> None:
        if self.rows is None:
            return
        query = self.query_one("#log-filter", Input).value
        self._compute_table(
            _Big(self.rows), _Big(self._haystacks), query, self.sort_column, self.sort_reverse
        )

    @work(thread=True, exclusive=True, group="log-table", exit_on_error=False)
    def _compute_table(self, rows: _Big, haystacks: _Big, query: str, column: str, reverse: bool) -> None:
        from coach.store.concessions import paused_gc

        with paused_gc():  # sort keys for 100,000 rows would otherwise wake the collector again and again
            shown, matched = table_view(rows.value, query, column, reverse, haystacks.value)
        self.post_message(self.TableReady(shown, matched))

    @on(TableReady)
    def _table_ready(self, message: TableReady) -> None:
        self.shown, self.matched = message.rows, message.matched
        self._fill_table()

    def _fill_table(self) -> None:
        table = self.query_one("#log-table", DataTable)
        table.clear(columns=True)
        lang = self.lang
        heads = {
            "id": "#",
            "when": self.tr("log.field.when"),
            "account": self.tr("log.field.account"),
            "meeting": self.tr("log.field.meeting"),
            "type": self.tr("log.field.type"),
            "give": self.tr("log.field.give"),
            "amount": self.tr("log.field.value"),
            "get": self.tr("log.field.get"),
            "tactic": self.tr("log.field.tactic"),
            "stage": self.tr("log.field.stage"),
            "status": self.tr("log.field.status"),
        }
        for column in COLUMNS:
            mark = (" ▼" if self.sort_reverse else " ▲") if column == self.sort_column else ""
            table.add_column(Text(heads[column] + mark), key=column)
        nothing = self.tr("log.nothing")
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
            count.update(self.tr("log.empty"))
        elif self.matched == total and len(self.shown) == total:
            count.update(self.tr("log.count.all", total=total))
        else:
            count.update(self.tr("log.count", shown=len(self.shown), matched=self.matched, total=total))

    # --- the review -------------------------------------------------------------------------------

    @on(Input.Submitted, "#log-review-account, #log-review-meeting")
    @on(Input.Changed, "#log-review-account, #log-review-meeting")
    def _scope_changed(self) -> None:
        self._request_review()

    def _request_review(self) -> None:
        """Recompute the review now if its tab is shown, else when the tab is opened."""
        if self.rows is None:
            return
        if self.query_one("#log-tabs", TabbedContent).active != "log-review":
            self._review_stale = True
            return
        self._review_stale = False
        account = self.query_one("#log-review-account", Input).value.strip()
        meeting = self.query_one("#log-review-meeting", Input).value.strip()
        lib = self.coach.library
        self._compute_review(
            _Big(self.rows), account, meeting, _Big(lib.rules if lib else {}), self.lang, self.coach.db_path
        )

    @work(thread=True, exclusive=True, group="log-review", exit_on_error=False)
    def _compute_review(
        self, rows_: _Big, account: str, meeting: str, rules_: _Big, lang: str, db_path: Path
    ) -> None:
        from coach.content.loader import taxonomy
        from coach.review.concessions import advice_from_rules, render_text, review
        from coach.store.accounts import account_key
        from coach.store.concessions import paused_gc

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
            from coach.services.plan_check import meeting_plan_review
            from coach.store.db import connect

            try:
                conn = connect(db_path)
                try:
                    plan = meeting_plan_review(conn, picked, meeting=meeting, account=account, lang=lang)
                finally:
                    conn.close()
            except (CoachError, sqlite3.Error, OSError) as exc:
                error = exc.one_line() if isinstance(exc, CoachError) else str(exc)
                self.post_message(self.Failed("log.error.read", error))
                plan = None
            if plan:
                text += "\n\n" + plan[0]
        self.post_message(self.ReviewReady(text, series))

    @on(ReviewReady)
    async def _review_ready(self, message: ReviewReady) -> None:
        self.review_text, self.series = message.text, message.series
        self.review_updates += 1
        self.query_one("#log-review-text", Static).update(Text(message.text))
        charts = self.query_one("#log-charts", Vertical)
        await charts.remove_children()
        widgets = []
        for unit, values in message.series:
            top = amount(max(values), unit, self.lang)
            name = "%" if unit == "percent" else UNIT_WORDS[self.lang].get(unit, unit)
            label = self.tr("log.chart", unit=name, n=len(values), max=top)
            widgets += [
                Static(label, classes="log-chart-label", markup=False),
                Sparkline(values, classes="log-chart"),
            ]
        if widgets:
            await charts.mount_all(widgets)
