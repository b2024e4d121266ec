"""The meeting-plan wizard's form: one page per step, plain text fields (list parts take one item per line, in
the same format as ``coach prep`` options), and the buttons that fill or reorder a page.

The form holds the text and edits it; the screen reads it (``fields``) and is told what happens: a field was
edited (``Edited``), a page's button was pressed (``ToolPressed``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Button, ContentSwitcher, Input, Static, TextArea

from coach.content.plans import (
    PART_NAMES,
    Objective,
    PlanError,
    Tradeable,
    form_from_plan,
    item_line,
    missing_parts,
    parse_items,
    parse_tactic,
    plan_from_form,
)
from coach.i18n import tr
from coach.review.plans import suggested_order, suggestion_note
from coach.services.accounts import with_offer
from coach.store import plans as store
from coach.store.accounts import account_key
from coach.store.db import FAILED, in_session
from coach.tui.plan_problems import step_problems
from coach.tui.widgets.wrapped import Wrapped


@dataclass(frozen=True)
class Step:
    """One page of the wizard: its name, the playbook rule advising on it, and its fields."""

    name: str
    rule: str | None
    fields: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step("meeting", "principle.plan", ("account", "meeting", "date")),
    Step("objectives", "principle.plan", ("objectives",)),
    Step("value_delivered", "principle.restate-value", ("value_delivered",)),
    Step("facts", "principle.use-facts", ("facts",)),
    Step(
        "professionalism", "principle.professionalism", ("agenda", "ours", "theirs", "materials", "checklist")
    ),
    Step(
        "alternatives",
        "principle.know-alternatives",
        ("walk_away", "limits", "stage.opening", "stage.bargaining", "stage.closing", "stage.after-deal"),
    ),
    Step("issues", "principle.dont-get-stuck", ("issues",)),
    Step("tradeables", "principle.trade-concessions", ("tradeables",)),
    Step("record", "principle.record", ("record",)),
    Step("expected_tactics", None, ("expected_tactics",)),
    Step("summary", None, ()),
)
"""The wizard's pages in order: the meeting, the eight principles, the expected tactics, the summary."""

INPUTS = frozenset(
    {
        "account",
        "meeting",
        "date",
        "walk_away",
        "stage.opening",
        "stage.bargaining",
        "stage.closing",
        "stage.after-deal",
    }
)
"""Fields typed on one line; the others take one item per line."""
REQUIRED = frozenset({"account", "meeting", "objectives", "walk_away", "tradeables"})
"""Fields whose label says they are required."""

TOOLS = {
    "plan-copy": ("copy_last", "plan.copy"),
    "plan-open": ("open_saved", "plan.open"),
    "plan-order": ("order", "plan.order"),
    "plan-add-suggested": ("add_suggested", "plan.add-suggested"),
    "plan-from-account": ("from_account", "plan.from-account"),
}
"""The pages' buttons: id -> (the screen's action, the label's text key)."""


class Failed(Message):
    """Something could not be read or written; ``key`` is the i18n key of the notice, ``error`` one line and
    ``values`` the notice's values."""

    def __init__(self, key: str, error: str, **values: Any) -> None:
        super().__init__()
        self.key = key
        self.error = error
        self.values = values


def in_db(node: MessagePump, db_path: Path | str, key: str, read: Callable[[sqlite3.Connection], Any]) -> Any:
    """``read(conn)`` on the database, in a worker of ``node``: its result, or ``FAILED`` (``coach.store.db``)
    once ``Failed(key, ...)`` is posted to ``node``."""

    return in_session(db_path, read, lambda error: node.post_message(Failed(key, error)))


def _part_steps() -> dict[str, int]:
    """Where a validation message about a part sends the user (the message starts with the part's name)."""
    out = {"professionalism": 4, "alternatives": 5, "stages": 5}
    for i, step in enumerate(STEPS):
        for field in step.fields:
            out[field.split(".")[0]] = i
        out.setdefault(step.name, i)
    return out


_PART_STEP = _part_steps()


def widget_id(field: str) -> str:
    """The id of a field's widget (``stage.opening`` -> ``plan-f-stage-opening``)."""
    return "plan-f-" + field.replace(".", "-")


def step_of_error(message: str) -> int | None:
    """The step a validation message points at (``tradeables line 2: ...``, ``plan: alternatives...``)."""
    text = message.removeprefix("plan: ")
    head = text.split(":", 1)[0].split(" ", 1)[0]
    part = head.split(".", 1)[0].split("[", 1)[0]
    return _PART_STEP.get(part)


class PlanForm(ContentSwitcher):
    """The wizard's pages; ``show`` picks the page, ``fields`` reads every field, ``fill`` sets them."""

    class Edited(Message):
        """The user changed ``field``."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    class Loaded(Message):
        """A saved plan (``stored``, a ``store.plans.StoredPlan``) was read into the form; ``copied`` when it
        is a copy for the meeting typed."""

        def __init__(self, stored: Any, copied: bool) -> None:
            super().__init__()
            self.stored = stored
            self.copied = copied

    class Saved(Message):
        """The plan was saved as ``plan_id`` version ``version`` (``changed`` False: same as the last);
        ``leave``: the screen is to be left now."""

        def __init__(self, plan_id: int, version: int, changed: bool, leave: bool = False) -> None:
            super().__init__()
            self.plan_id = plan_id
            self.version = version
            self.changed = changed
            self.leave = leave

    Failed = Failed

    class ToolPressed(Message):
        """A page's button was pressed: ``action`` names the screen's action (``order``, ``copy_last``...)."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    def __init__(self, db_path: Path | str, *, id: str | None = None) -> None:
        super().__init__(initial="plan-step-0", id=id)
        self.db_path = db_path
        """The database saved plans are read from."""
        self._inputs: dict[str, Input | TextArea] = {}
        self._labels: dict[str, Static] = {}
        self._hints: dict[str, Static] = {}
        self._buttons = {button_id: Button("", id=button_id) for button_id in TOOLS}
        self._summary = Static(id="plan-summary")

    def compose(self) -> ComposeResult:
        """A scrolling page per step: each field with its label and hint, and the page's buttons."""
        for i, step in enumerate(STEPS):
            with VerticalScroll(id=f"plan-step-{i}", classes="plan-step"):
                for field in step.fields:
                    widget: Input | TextArea
                    if field in INPUTS:
                        widget = Input(id=widget_id(field), compact=True, max_length=500)
                    else:
                        widget = TextArea(
                            id=widget_id(field), soft_wrap=True, tab_behavior="focus", classes="plan-area"
                        )
                    self._inputs[field] = widget
                    self._labels[field] = Static(
                        id=f"{widget_id(field)}-label", classes="plan-label", markup=False
                    )
                    self._hints[field] = Static(
                        id=f"{widget_id(field)}-hint", classes="hint plan-hint", markup=False
                    )
                    yield self._labels[field]
                    yield widget
                    yield self._hints[field]
                if step.name == "meeting":
                    with Horizontal(classes="plan-buttons"):
                        yield self._buttons["plan-copy"]
                        yield self._buttons["plan-open"]
                elif step.name == "objectives":
                    yield self._buttons["plan-from-account"]
                elif step.name == "tradeables":
                    yield self._buttons["plan-order"]
                elif step.name == "expected_tactics":
                    yield self._buttons["plan-add-suggested"]
                elif step.name == "summary":
                    yield self._summary

    def set_language(self, lang: str) -> None:
        """Every label, hint and button in ``lang``."""
        for field, label in self._labels.items():
            text = tr(lang, f"plan.field.{field}")
            if field in REQUIRED:
                text += f"  ({tr(lang, 'plan.required')})"
            label.update(text)
            hint_key = "plan.hint.stage" if field.startswith("stage.") else f"plan.hint.{field}"
            self._hints[field].update(tr(lang, hint_key))
        for button_id, button in self._buttons.items():
            button.label = tr(lang, TOOLS[button_id][1])

    # --- the text -----------------------------------------------------------------------------------

    def text(self, field: str) -> str:
        """What ``field`` holds."""
        widget = self._inputs[field]
        return widget.value if isinstance(widget, Input) else widget.text

    def fields(self) -> dict[str, str]:
        """Every field's text, keyed like ``content.plans.plan_from_form`` expects."""
        return {field: self.text(field) for step in STEPS for field in step.fields}

    def fill(self, values: dict[str, str]) -> None:
        """Put ``values`` into the fields without telling the screen they were edited."""
        with self.prevent(Input.Changed, TextArea.Changed):
            for field, widget in self._inputs.items():
                text = values.get(field, "")
                if isinstance(widget, Input):
                    widget.value = text
                else:
                    widget.load_text(text)

    def load(self, plan: Any, *, copied: bool) -> None:
        """Fill the fields from a saved ``plan``; ``copied``: as a copy for the meeting and date typed, with the
        checklist's ticks cleared."""

        values = form_from_plan(plan)
        if copied:
            values["meeting"], values["date"] = self.text("meeting"), self.text("date")
            values["checklist"] = "\n".join(
                line.replace("[x]", "[ ]", 1) for line in values["checklist"].splitlines()
            )
        self.fill(values)

    def replace(self, field: str, text: str) -> None:
        """Replace the text of the list field ``field`` (the screen is told it was edited)."""
        area = self._inputs[field]
        assert isinstance(area, TextArea)
        area.load_text(text)

    def add_lines(self, field: str, lines: list[str]) -> None:
        """Add ``lines`` under what the list field ``field`` holds."""
        if lines:
            text = self.text(field).rstrip("\n")
            self.replace(field, "\n".join([text, *lines]) if text else "\n".join(lines))

    def focus_field(self, field: str) -> None:
        """Put the cursor in ``field``."""
        self._inputs[field].focus()

    # --- pages ----------------------------------------------------------------------------------------

    def show(self, step: int) -> None:
        """Show page ``step``."""
        self.current = f"plan-step-{step}"

    def show_summary(
        self,
        lang: str,
        notes: Callable[[Any], dict],
        people: Callable[[Any], Any],
        *,
        plan_id: int | None,
        version: int | None,
    ) -> None:
        """Put the summary of the plan typed on the summary page (``plan_advice.plan_summary``, with the
        playbook ``notes`` and the key account's ``people`` for it), or what keeps it from being read."""
        from coach.tui.widgets.plan_advice import plan_summary  # deferred: plan_advice imports this module

        try:
            plan = plan_from_form(self.fields())
        except PlanError as exc:
            self._summary.update(
                Wrapped(Text(tr(lang, "plan.invalid", error=exc.problems[0]), style="bold red"))
            )
            return
        self._summary.update(
            plan_summary(plan, notes(plan), lang, plan_id=plan_id, version=version, people=people(plan))
        )

    def show_from_account(self, shown: bool) -> None:
        """Show the button that adds what the key account offers, or hide it."""
        self._buttons["plan-from-account"].display = shown

    # --- events ---------------------------------------------------------------------------------------

    @on(Input.Changed, ".plan-step Input")
    @on(TextArea.Changed, ".plan-area")
    def _changed(self, event: Input.Changed | TextArea.Changed) -> None:
        widget = event.input if isinstance(event, Input.Changed) else event.text_area
        field = next(f for f, w in self._inputs.items() if w is widget)
        self.post_message(self.Edited(field))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ToolPressed(TOOLS[event.button.id or ""][0]))

    # --- saved plans ------------------------------------------------------------------------------------

    def read_saved(self, plan_id: int) -> None:
        """Read the latest version of the saved plan ``plan_id`` into the form (``Loaded`` when done)."""
        self._read_saved(self.db_path, plan_id)

    @work(thread=True, exclusive=True, group="plan-read", exit_on_error=False)
    def _read_saved(self, db_path: Path | str, plan_id: int) -> None:
        stored = in_db(self, db_path, "error.plan", lambda conn: store.get(conn, plan_id))
        if stored is not FAILED:
            self.post_message(self.Loaded(stored, copied=False))

    def copy_last(self, account: str, exclude: int | None) -> None:
        """Copy the latest plan of ``account`` (but ``exclude``) into the form, for the meeting and date typed
        (``Loaded`` when done)."""
        self._copy_last(self.db_path, account, exclude)

    @work(thread=True, exclusive=True, group="plan-read", exit_on_error=False)
    def _copy_last(self, db_path: Path | str, account: str, exclude: int | None) -> None:
        last = in_db(
            self, db_path, "error.plan", lambda conn: store.last_for_account(conn, account, exclude=exclude)
        )
        if last is None:
            self.post_message(Failed("plan.no-last", "", account=account))
        elif last is not FAILED:
            self.post_message(self.Loaded(last, copied=True))

    def save(
        self, plan: Any, plan_id: int | None, version: int | None, copied_from: int | None, *, leave: bool
    ) -> None:
        """Save ``plan`` as a new plan (copied from ``copied_from``) or as the next version of ``plan_id``,
        refused if someone saved after ``version`` (``Saved`` when done)."""
        self._save(plan, self.db_path, plan_id, version, copied_from, leave)

    @work(thread=True, group="plan-db", exit_on_error=False)
    def _save(
        self,
        plan: Any,
        db_path: Path | str,
        plan_id: int | None,
        version: int | None,
        copied_from: int | None,
        leave: bool,
    ) -> None:
        def save(conn: sqlite3.Connection) -> tuple[int, int, bool]:
            if plan_id is None:
                return store.create(conn, plan, copied_from=copied_from), 1, True
            return (plan_id, *store.save_version(conn, plan_id, plan, base_version=version))

        saved = in_db(self, db_path, "error.save", save)
        if saved is not FAILED:
            saved_id, saved_version, changed = saved
            self.post_message(self.Saved(saved_id, saved_version, changed, leave=leave))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.load(message.stored.plan, copied=message.copied)  # the screen is told next (it bubbles up)

    # --- checks ---------------------------------------------------------------------------------------

    def step_problems(self, step: int, lang: str) -> list[str]:
        """Every problem on page ``step``, in the user's words in ``lang`` (empty when the page is fine)."""

        return step_problems(STEPS[step].fields, self.fields(), lang)

    def checked_plan(self, lang: str) -> tuple[Any, str | None, int | None]:
        """(the whole plan, None, None) when it can be saved; else (None, what is wrong in ``lang``, the page
        to show): the first page with a problem with every problem of it, or the parts that are missing."""

        for i in range(len(STEPS)):
            problems = self.step_problems(i, lang)
            if problems:
                return None, tr(lang, "plan.invalid", error="".join(f"\n• {p}" for p in problems)), i
        try:
            plan = plan_from_form(self.fields())
        except PlanError as exc:
            return None, tr(lang, "plan.invalid", error=exc.problems[0]), step_of_error(exc.problems[0])
        missing = missing_parts(plan)
        if missing:
            names = tr(lang, "list.sep").join(PART_NAMES[lang][p.split(".")[0]] for p, _ in missing)
            return None, tr(lang, "plan.missing", parts=names), step_of_error(missing[0][0])
        return plan, None, None

    # --- edits the screen asks for --------------------------------------------------------------------

    def listed_tactics(self) -> frozenset[str]:
        """The tactic ids the expected tactics list (``PlanError`` when a line cannot be read)."""

        items = parse_items("expected_tactics", self.text("expected_tactics").splitlines())
        return frozenset(parse_tactic(i["tactic"]) for i in items)

    def add_suggested(self, suggestions: list, lang: str) -> bool:
        """Add the suggested tactics (``review.plans.TacticSuggestion``) not listed yet, with where they were
        seen; True when some were. ``PlanError`` (and nothing changed) when a listed line cannot be read."""

        listed = self.listed_tactics()
        new = [f"{s.tactic} | {suggestion_note(s, lang)}" for s in suggestions if s.tactic not in listed]
        self.add_lines("expected_tactics", new)
        return bool(new)

    def account_ref(self) -> tuple[str, str] | None:
        """(account key, meeting date) of the form, or None while no account is typed."""

        account = self.text("account")
        if not account.strip():
            return None
        return account_key(account), self.text("date").strip()

    def order_tradeables(self) -> bool:
        """Put the tradeables in the suggested order: cheap to give, valuable to them first. True when the
        order changed; ``PlanError`` (and nothing changed) when a line cannot be read."""

        lines = self.text("tradeables").splitlines()
        items = [Tradeable.model_validate(i) for i in parse_items("tradeables", lines)]
        ordered = "\n".join(item_line("tradeables", t) for t in suggested_order(items))
        if ordered == "\n".join(item_line("tradeables", t) for t in items):
            return False
        self.replace("tradeables", ordered)
        return True

    def add_offer(self, offered: Any, lang: str) -> tuple[int, int]:
        """Add what the key account offers, as ``coach prep new --from-account`` does: the business plan's
        objectives (ours) as nice-to-have, its open actions (overdue first) as agenda points. Returns how many
        objectives and agenda points were added; ``PlanError`` (and nothing changed) when a line of the
        objectives or the agenda cannot be read."""

        have: dict[str, Any] = {
            "objectives": parse_items("objectives", self.text("objectives").splitlines()),
            "professionalism": {"agenda": parse_items("agenda", self.text("agenda").splitlines())},
        }
        added = with_offer(have, offered, lang)
        new_objectives = [
            item_line("objectives", Objective.model_validate(o))
            for o in added["objectives"][len(have["objectives"]) :]
        ]
        new_agenda = added["professionalism"]["agenda"][len(have["professionalism"]["agenda"]) :]
        self.add_lines("objectives", new_objectives)
        self.add_lines("agenda", new_agenda)
        return len(new_objectives), len(new_agenda)
