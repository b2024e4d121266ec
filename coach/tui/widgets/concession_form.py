"""The concession log's entry form, as one tab: the fields, what is wrong with them, the plan warning and
Save. It validates what is typed and warns while typing; the screen that holds it saves (``SaveRequested``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Select, Static, TabPane, TextArea

from coach.i18n import tr
from coach.review.concessions import STAGE_LABELS, STATUS_LABELS, TYPE_LABELS
from coach.store.concessions import STAGES, TYPES, InvalidEntry, NewConcession, validate_entry
from coach.tui.widgets.plan_warning import PlanWarning

FIELDS = (
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
)
"""The form's fields in the order shown (the note and the practice box come after them)."""
CHOICES = ("type", "stage", "status", "tactic")
"""Form fields chosen in a ``Select`` (id ``log-<field>``)."""
TEXT_FIELDS = tuple(field for field in FIELDS if field not in CHOICES)
"""Form fields typed into an ``Input`` (id ``log-<field>``)."""
_DEFAULTS = {"type": "price", "stage": "bargaining", "status": "agreed"}

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


class ConcessionForm(TabPane):
    """The entry form; ``lang`` and ``tactics`` (the tactic choices: label, id) come from the screen, which
    calls ``set_language`` and ``set_tactics`` when they change."""

    class SaveRequested(Message):
        """The user pressed Save; the screen validates (``entry``) and saves."""

    def __init__(
        self,
        title: str,
        *,
        db_path: Path | str,
        lang: str,
        tactics: list[tuple[str, str]],
        id: str | None = None,
    ) -> None:
        super().__init__(title, id=id)
        self.db_path = db_path
        """The database whose saved plans the warning checks the entry against."""
        self.lang = lang
        """The interface language."""
        self.tactics = tactics
        """The tactic choices (label, id), buyer tactics first."""

    def compose(self) -> ComposeResult:
        """The fields in a scrolling grid; under them, always in view, what is wrong, the warning, Save."""
        with VerticalScroll(id="log-form"):
            yield Static(id="log-form-hint", classes="hint", markup=False)
            with Grid(id="log-grid"):
                for field in FIELDS:
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

    def set_language(self, lang: str, tactics: list[tuple[str, str]]) -> None:
        """Every label, placeholder and choice in ``lang`` (``tactics`` titled in it); a shown problem is
        cleared."""
        self.lang, self.tactics = lang, tactics
        self.query_one("#log-form-hint", Static).update(tr(lang, "log.form.hint"))
        for label in self.query(".log-label"):
            field = (label.id or "").removeprefix("log-label-")
            assert isinstance(label, Static)
            label.update(tr(lang, f"log.field.{field}"))
        for field in ("account", "meeting", "when", "give", "value", "get", "asked_by"):
            self._input(field).placeholder = tr(lang, f"log.ph.{field}")
        for field in ("unit", "get_unit", "get_value"):
            self._input(field).placeholder = tr(
                lang, "log.ph.unit" if field != "get_value" else "log.ph.value"
            )
        for field in CHOICES:
            self._set_choices(field)
        self._select("tactic").prompt = tr(lang, "log.no-tactic")
        self.query_one("#log-practice", Checkbox).label = tr(lang, "log.field.practice")
        self.query_one("#log-save", Button).label = tr(lang, "log.save")
        self._clear_error()

    def set_tactics(self, tactics: list[tuple[str, str]]) -> None:
        """New tactic choices (titled from the playbooks once they load); the chosen one is kept."""
        self.tactics = tactics
        self._set_choices("tactic")

    def _input(self, field: str) -> Input:
        return self.query_one(f"#log-{field}", Input)

    def _select(self, field: str) -> Select:
        return self.query_one(f"#log-{field}", Select)

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
            pairs = self.tactics
        return [(Text(label), value) for label, value in pairs]

    def _set_choices(self, field: str) -> None:
        select = self._select(field)
        options = self._options(field)
        keep = select.value
        select.set_options(options)
        if keep is not Select.NULL and any(v == keep for _, v in options):
            select.value = keep

    # --- what is typed ----------------------------------------------------------------------------

    def form_data(self) -> dict[str, Any]:
        """What the form holds, as raw values for ``validate_entry`` (empty fields left out)."""
        data: dict[str, Any] = {}
        for field in TEXT_FIELDS:
            value = self._input(field).value
            if value.strip():
                data[field] = value
        for field in CHOICES:
            choice = self._select(field).value
            if choice is not Select.NULL:
                data[field] = choice
        note = self.query_one("#log-note", TextArea).text
        if note.strip():
            data["note"] = note
        data["practice"] = self.query_one("#log-practice", Checkbox).value
        for required in ("account", "type", "give"):
            data.setdefault(required, "")
        return data

    def has_unsaved_work(self) -> bool:
        """True when something is typed into the entry fields (account and meeting are kept after saving)."""
        typed = any(self._input(f).value.strip() for f in TEXT_FIELDS if f not in ("account", "meeting"))
        return typed or bool(self.query_one("#log-note", TextArea).text.strip())

    def entry(self) -> NewConcession | None:
        """The entry typed, validated; None, with the wrong field named and focused, when it is not valid."""

        try:
            entry = validate_entry(self.form_data())
        except InvalidEntry as exc:
            self._show_error(exc.field, exc.reason)
            return None
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self._clear_error()
        return entry

    def clear_entry(self) -> None:
        """Empty the fields after a save, keeping account and meeting (the next concession is usually in the
        same meeting), and put the cursor in what was given."""
        for field in TEXT_FIELDS:
            if field not in ("account", "meeting"):
                self._input(field).value = ""
        self.query_one("#log-note", TextArea).text = ""
        self._select("tactic").clear()
        self._input("give").focus()

    def _show_error(self, field: str, reason: str) -> None:
        try:
            label = tr(self.lang, f"log.field.{field}")
        except KeyError:  # a field without a label of its own
            label = field
        error = self.query_one("#log-form-error", Static)
        error.update(tr(self.lang, "log.invalid", field=label, reason=reason_text(reason, self.lang)))
        error.add_class("-shown")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        target = f"#log-{field}"
        if self.query(target):
            widget = self.query_one(target)
            widget.add_class("-invalid")
            widget.focus()

    def _clear_error(self) -> None:
        error = self.query_one("#log-form-error", Static)
        error.update("")
        error.remove_class("-shown")

    # --- events -----------------------------------------------------------------------------------

    @on(Input.Changed, "#log-grid Input")
    @on(Select.Changed, "#log-grid Select")
    @on(Checkbox.Changed, "#log-practice")
    def _check_plan(self) -> None:
        """Warn while typing when the concession would break the plan saved for its meeting."""
        self.query_one(PlanWarning).check(self.form_data(), self.db_path, self.lang)

    @on(Button.Pressed, "#log-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.SaveRequested())
