"""Meeting-plan wizard: one principle per step with the playbook's advice beside the form; save (a new version
each time), reopen a saved plan, copy the last meeting with the same account, and the brief as a summary.

The form is plain text: list parts take one item per line in the same format as ``coach prep`` options, so
what a user learns here works on the command line too. Nothing is saved until the whole plan checks out.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, ContentSwitcher, Footer, Header, Input, Static, TextArea

from coach.errors import CoachError
from coach.i18n import menu
from coach.tui.screens.base import CoachScreen
from coach.tui.screens.confirm import ConfirmScreen
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


def write_brief(folder: Path, stem: str, render: Callable[[str], str]) -> Path:
    """Write the brief as ``STEM.md`` and ``STEM.html`` in ``folder`` (``STEM-2.md``... when taken: an earlier
    export is never overwritten), owner-only and whole or not at all; returns the Markdown file."""
    from coach.files import FileProblem, write_file

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise FileProblem(folder, f"cannot create the folder ({exc.strerror or exc})") from None
    for tag in ("", *(f"-{n}" for n in range(2, 1000))):
        if not any(os.path.lexists(folder / f"{stem}{tag}.{fmt}") for fmt in ("md", "html")):
            break
    else:
        raise FileProblem(folder, "no free file name for the brief; clear out old exports")
    for fmt in ("md", "html"):
        write_file(folder / f"{stem}{tag}.{fmt}", render(fmt), force=None, option="export")
    return folder / f"{stem}{tag}.md"


class PlanScreen(CoachScreen):
    """The wizard; ``plan_id``/``version`` say which saved plan (and version) the form started from."""

    SCREEN_ID = "prep"
    MENU: ClassVar[dict[str, tuple[str, str]]] = menu("plan.menu")
    NEEDS_CONTENT = False
    CSS_PATH = "plan.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", id="next"),
        Binding("ctrl+b", "previous", "Previous", id="previous", show=False),
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("ctrl+o", "open_saved", "Open", id="plan-open"),
        Binding("ctrl+l", "copy_last", "Copy last", id="plan-copy"),
        Binding("ctrl+g", "export", "Export", id="export", show=False),
    ]

    class PlanSaved(Message):
        """The plan was saved as ``plan_id`` version ``version`` (``changed`` False: same as the last)."""

        def __init__(self, plan_id: int, version: int, changed: bool) -> None:
            super().__init__()
            self.plan_id = plan_id
            self.version = version
            self.changed = changed

    class PlanLoaded(Message):
        """A saved plan was read for the form; ``copied`` when it is a copy for a new meeting."""

        def __init__(self, stored: Any, copied: bool) -> None:
            super().__init__()
            self.stored = stored
            self.copied = copied

    class HistoryRead(Message):
        """The account's history, as suggested tactics (``review.plans.TacticSuggestion``) leaving out
        ``exclude``, the tactics the form listed when it was read."""

        def __init__(self, account: str, suggestions: list, exclude: frozenset[str] = frozenset()) -> None:
            super().__init__()
            self.account = account
            self.suggestions = suggestions
            self.exclude = exclude

    class AccountRead(Message):
        """What the key account named in the form offers the plan (``services.accounts.AccountOffer``), or
        None when it is not a key account; ``key`` is the (account key, meeting date) it was read for."""

        def __init__(self, key: tuple[str, str], offered: Any) -> None:
            super().__init__()
            self.key = key
            self.offered = offered

    class BriefExported(Message):
        """The brief was written as Markdown to ``path`` (and as HTML beside it)."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class Failed(Message):
        """Something could not be read or written; ``key`` is the i18n key of the notice."""

        def __init__(self, key: str, error: str, **values: Any) -> None:
            super().__init__()
            self.key = key
            self.error = error
            self.values = values

    def __init__(self) -> None:
        super().__init__()
        self.step = 0
        """Index of the page shown."""
        self.plan_id: int | None = None
        """The saved plan the form belongs to (None: a new plan)."""
        self.version: int | None = None
        """The version the form started from; saving refuses if someone saved a newer one meanwhile."""
        self.copied_from: int | None = None
        """The plan this new plan was copied from."""
        self.dirty = False
        """True when the form changed since it was opened or saved."""
        self.suggestions: list = []
        """Tactics seen with the account (its log and role-play), strongest first."""
        self._history_for: str | None = None
        self._history_excluded: frozenset[str] = frozenset()
        self.offered: Any = None
        """What the key account named in the form offers (an ``AccountOffer``), None when it is not one."""
        self._offer_for: tuple[str, str] | None = None
        self._busy = False

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Title, the form (one page per step) beside the advice, buttons, status line."""
        yield Header()
        yield Static(id="plan-title", classes="screen-title", markup=False)
        with Horizontal(id="plan-body"):
            with ContentSwitcher(initial="plan-step-0", id="plan-steps"):
                for i, step in enumerate(STEPS):
                    with VerticalScroll(id=f"plan-step-{i}", classes="plan-step"):
                        for field in step.fields:
                            yield Static(id=f"{widget_id(field)}-label", classes="plan-label", markup=False)
                            if field in INPUTS:
                                yield Input(id=widget_id(field), compact=True, max_length=500)
                            else:
                                yield TextArea(
                                    id=widget_id(field),
                                    soft_wrap=True,
                                    tab_behavior="focus",
                                    classes="plan-area",
                                )
                            yield Static(
                                id=f"{widget_id(field)}-hint", classes="hint plan-hint", markup=False
                            )
                        if step.name == "meeting":
                            with Horizontal(classes="plan-buttons"):
                                yield Button("", id="plan-copy")
                                yield Button("", id="plan-open")
                        elif step.name == "objectives":
                            yield Button("", id="plan-from-account")
                        elif step.name == "tradeables":
                            yield Button("", id="plan-order")
                        elif step.name == "expected_tactics":
                            yield Button("", id="plan-add-suggested")
                        elif step.name == "summary":
                            yield Static(id="plan-summary")
            with VerticalScroll(id="plan-advice-box"):
                yield Static(id="plan-advice")
        with Horizontal(id="plan-nav"):
            yield Button("", id="plan-prev")
            yield Button("", id="plan-next", variant="primary")
            yield Button("", id="plan-save", variant="success")
            yield Button("", id="plan-export")
        yield Static(id="plan-status", classes="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Start on the first page with the account field focused."""
        super().on_mount()
        self.query_one(f"#{widget_id('account')}", Input).focus()

    def apply_language(self) -> None:
        """Every label and button in the current language; the page and advice redrawn."""
        for step in STEPS:
            for field in step.fields:
                label = self.tr(f"plan.field.{field}")
                if field in REQUIRED:
                    label += f"  ({self.tr('plan.required')})"
                self.query_one(f"#{widget_id(field)}-label", Static).update(label)
                hint_key = "plan.hint.stage" if field.startswith("stage.") else f"plan.hint.{field}"
                self.query_one(f"#{widget_id(field)}-hint", Static).update(self.tr(hint_key))
        for button, key in (
            ("plan-prev", "plan.back"),
            ("plan-next", "plan.next"),
            ("plan-save", "plan.save"),
            ("plan-export", "plan.export"),
            ("plan-copy", "plan.copy"),
            ("plan-open", "plan.open"),
            ("plan-order", "plan.order"),
            ("plan-add-suggested", "plan.add-suggested"),
            ("plan-from-account", "plan.from-account"),
        ):
            self.query_one(f"#{button}", Button).label = self.tr(key)
        self._show_step()

    def content_ready(self) -> None:
        """The advice comes from the playbooks once they are loaded."""
        self._show_step()

    # --- the form -------------------------------------------------------------------------------

    def fields(self) -> dict[str, str]:
        """Every field's text, keyed like ``content.plans.plan_from_form`` expects."""
        out: dict[str, str] = {}
        for step in STEPS:
            for field in step.fields:
                widget = self.query_one(f"#{widget_id(field)}")
                out[field] = widget.value if isinstance(widget, Input) else widget.text  # type: ignore[union-attr]
        return out

    def fill(self, values: dict[str, str]) -> None:
        """Put ``values`` into the fields without marking the form as changed."""
        with self.prevent(Input.Changed, TextArea.Changed):
            for step in STEPS:
                for field in step.fields:
                    widget = self.query_one(f"#{widget_id(field)}")
                    text = values.get(field, "")
                    if isinstance(widget, Input):
                        widget.value = text
                    else:
                        assert isinstance(widget, TextArea)
                        widget.load_text(text)

    @on(Input.Changed, ".plan-step Input")
    @on(TextArea.Changed, ".plan-area")
    def _changed(self, event: Input.Changed | TextArea.Changed) -> None:
        self.dirty = True
        self._show_save_state()
        if getattr(event, "input", None) is not None and event.input.id == widget_id("account"):  # type: ignore[union-attr]
            self._history_for = None  # read the new account's history when it is needed

    def has_unsaved_work(self) -> bool:
        """True when the form changed since it was opened or saved."""
        return self.dirty

    def plan(self):  # noqa: ANN201
        """The form as a validated plan (``PlanError`` names the line and field when it is not)."""
        from coach.content.plans import plan_from_form

        return plan_from_form(self.fields())

    # --- pages ----------------------------------------------------------------------------------

    def _show_step(self) -> None:
        step = STEPS[self.step]
        self.query_one("#plan-title", Static).update(
            self.tr("plan.title", n=self.step + 1, total=len(STEPS), step=self.tr(f"plan.step.{step.name}"))
        )
        self.query_one("#plan-steps", ContentSwitcher).current = f"plan-step-{self.step}"
        self.query_one("#plan-prev", Button).disabled = self.step == 0
        self.query_one("#plan-next", Button).disabled = self.step == len(STEPS) - 1
        self.query_one("#plan-advice", Static).update(self._advice(step))
        if step.name == "summary":
            self._show_summary()
        if step.name == "expected_tactics":
            self._need_history()
        self._need_account()
        self.query_one("#plan-from-account", Button).display = self._offer_shown() is not None
        self._show_save_state()
        self.refresh_bindings()

    def _advice(self, step: Step) -> Group | Text | Wrapped:
        if step.name == "expected_tactics":
            return self._tactics_advice()
        if step.name == "summary":
            return Wrapped(self.tr("plan.summary.help"))  # "Ctrl+S" and "`coach locate`" stay whole
        offer = self._offer_advice() if step.name in ("objectives", "professionalism") else []
        if offer:
            return Group(*offer, Text(""), self._playbook_advice(step))
        return self._playbook_advice(step)

    def _playbook_advice(self, step: Step) -> Group | Text:
        lib = self.coach.library
        lang = self.lang
        if lib is None:
            return Text(self.coach.content_error or self.tr("plan.advice.loading"), style="dim")
        rule = lib.rules.get(step.rule or "")
        if rule is None:
            return Text(self.tr("plan.advice.none"), style="dim")
        parts: list[Text] = [
            Text(self.tr("plan.advice"), style="dim"),
            Text(getattr(rule.title, lang), style="bold"),
        ]
        for n, s in enumerate(rule.response.steps, 1):
            # No space after the number in Chinese: a space would let the wrap put the number alone on a line.
            parts.append(Text(f"{n}.{'' if lang == 'zh' else ' '}{getattr(s, lang)}"))
        if rule.response.say:
            parts.append(Text(""))
            parts.append(Text(self.tr("plan.advice.say"), style="bold"))
            parts += [Text(f"“{getattr(s, lang)}”", style="italic") for s in rule.response.say]
        return Group(*parts)

    def _tactics_advice(self) -> Group:
        from coach.content.loader import taxonomy
        from coach.review.plans import suggestion_lines

        lang = self.lang
        lib = self.coach.library
        titles: dict[str, dict[str, str]] = {}  # the playbook's title, else the taxonomy's name
        for s in taxonomy()["situations"]["tactic"]:
            rule = lib.rules.get(s["id"]) if lib else None
            titles[s["id"]] = {k: getattr(rule.title, k) if rule else s[k] for k in ("en", "zh")}
        parts: list[Text] = []
        account = self.query_one(f"#{widget_id('account')}", Input).value.strip()
        if not account:
            parts.append(Text(self.tr("plan.suggested.account"), style="dim"))
        elif self._history_for != " ".join(account.split()).casefold():
            parts.append(Text(self.tr("loading"), style="dim"))
        elif self.suggestions:
            parts.append(Text(self.tr("plan.suggested"), style="bold"))
            parts += [Text(f"• {line}") for line in suggestion_lines(self.suggestions, lang, titles)]
        else:
            none = "plan.suggested.none.new" if self._history_excluded else "plan.suggested.none"
            parts.append(Text(self.tr(none), style="dim"))
        parts += [Text(""), Text(self.tr("plan.tactics.known"), style="bold")]
        for s in taxonomy()["situations"]["tactic"]:
            parts.append(Text.assemble(f"{s['id'].split('.', 1)[1]}  ", (titles[s["id"]][lang], "dim")))
        return Group(*parts)

    def _show_summary(self) -> None:
        from coach.content.plans import PART_NAMES, PlanError, gaps, missing_parts
        from coach.review.brief import build, guidance_ids
        from coach.services.prep import guidance_from

        box = self.query_one("#plan-summary", Static)
        try:
            plan = self.plan()
        except PlanError as exc:
            box.update(Wrapped(Text(self.tr("plan.invalid", error=exc.problems[0]), style="bold red")))
            return
        lang = self.lang
        lines: list[Text] = []
        missing = missing_parts(plan)
        if missing:
            names = self.tr("list.sep").join(PART_NAMES[lang][p.split(".")[0]] for p, _ in missing)
            lines.append(Text(self.tr("plan.missing", parts=names), style="bold red"))
        left = gaps(plan)
        lines.append(
            Text(
                self.tr("plan.gaps", parts=self.tr("list.sep").join(PART_NAMES[lang][g] for g in left))
                if left
                else self.tr("plan.complete"),
                style="yellow" if left else "green",
            )
        )
        lib = self.coach.library
        notes = guidance_from(lib.rules if lib else {}, guidance_ids(plan))
        brief = build(
            plan, notes, lang, plan_id=self.plan_id, version=self.version, people=self._people(plan)
        )
        lines += [Text(""), Text(brief.title, style="bold")]
        for section in brief.sections:
            lines.append(Text(section.title, style="bold underline"))
            if section.header:
                for row in section.rows:
                    lines.append(Text(" · ".join(c for c in row if c)))
            for label, text in section.items:
                lines.append(
                    Text.assemble(
                        (label.strip(), "bold") if label.strip() else "",
                        self.tr("brief.colon") if label.strip() and text else "",
                        text,
                        style="" if not label.startswith("  ") else "dim",
                    )
                )
        # Broken by the Chinese line-breaking rule, as the brief is read here at 80 columns too.
        box.update(Group(*(Wrapped(line) for line in lines)))

    def _show_save_state(self) -> None:
        status = self.query_one("#plan-status", Static)
        if status.has_class("-error"):
            return
        if self.plan_id is None:
            status.update(self.tr("plan.unsaved"))
        elif self.dirty:
            status.update(
                self.tr("plan.saved-as", id=self.plan_id, version=self.version)
                + " "
                + self.tr("plan.changed")
            )
        else:
            status.update(self.tr("plan.saved-as", id=self.plan_id, version=self.version))

    def _problem(self, text: str, step: int | None = None) -> None:
        status = self.query_one("#plan-status", Static)
        status.add_class("-error")
        status.update(text)
        if step is not None and step != self.step:
            self.step = step
            self._show_step()

    def _clear_problem(self) -> None:
        self.query_one("#plan-status", Static).remove_class("-error")

    def step_problems(self, step: int) -> list[str]:
        """Every problem on page ``step``, in the user's words (empty when the page is fine)."""
        from coach.tui.plan_problems import step_problems

        return step_problems(STEPS[step].fields, self.fields(), self.lang)

    def _leave_step(self) -> bool:
        """Check the page being left: False, with every problem shown, when it has one."""
        problems = self.step_problems(self.step)
        if not problems:
            self._clear_problem()
            return True
        self._problem("\n".join([self.tr("plan.problems"), *(f"• {p}" for p in problems)]))
        return False

    def action_next(self) -> None:
        """Next page, once this one is fine."""
        if self.step < len(STEPS) - 1 and self._leave_step():
            self.step += 1
            self._show_step()
            self._focus_step()

    def action_previous(self) -> None:
        """Previous page, once this one is fine."""
        if self.step > 0 and self._leave_step():
            self.step -= 1
            self._show_step()
            self._focus_step()

    def go_to(self, name: str) -> None:
        """Show the page of one step by name."""
        if not self._leave_step():
            return
        self.step = next(i for i, s in enumerate(STEPS) if s.name == name)
        self._show_step()
        self._focus_step()

    def _focus_step(self) -> None:
        step = STEPS[self.step]
        if step.fields:
            self.query_one(f"#{widget_id(step.fields[0])}").focus()
        else:
            self.query_one("#plan-save", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No next on the last page, no previous on the first."""
        if action == "next":
            return self.step < len(STEPS) - 1
        if action == "previous":
            return self.step > 0
        return True

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "plan-prev": self.action_previous,
            "plan-next": self.action_next,
            "plan-save": self.action_save,
            "plan-export": self.action_export,
            "plan-copy": self.action_copy_last,
            "plan-open": self.action_open_saved,
            "plan-order": self.action_order,
            "plan-add-suggested": self.action_add_suggested,
            "plan-from-account": self.action_from_account,
        }
        action = actions.get(event.button.id or "")
        if action:
            action()

    # --- saving -----------------------------------------------------------------------------------

    def action_save(self, leave: bool = False) -> None:
        """Check the whole plan; save it in a worker, or say what is missing or wrong and show that step."""
        from coach.content.plans import PART_NAMES, PlanError, missing_parts

        if self._busy:
            return
        self._clear_problem()
        for i in range(len(STEPS)):  # the first page with a problem, every problem of it in the user's words
            problems = self.step_problems(i)
            if problems:
                self._problem(self.tr("plan.invalid", error="".join(f"\n• {p}" for p in problems)), i)
                return
        try:
            plan = self.plan()
        except PlanError as exc:
            self._problem(self.tr("plan.invalid", error=exc.problems[0]), step_of_error(exc.problems[0]))
            return
        missing = missing_parts(plan)
        if missing:
            names = self.tr("list.sep").join(PART_NAMES[self.lang][p.split(".")[0]] for p, _ in missing)
            self._problem(self.tr("plan.missing", parts=names), step_of_error(missing[0][0]))
            return
        self._busy = True
        self._save(plan, self.coach.db_path, self.plan_id, self.version, self.copied_from, leave)

    @work(thread=True, group="plan-db", exit_on_error=False)
    def _save(
        self,
        plan: Any,
        db_path: Path,
        plan_id: int | None,
        version: int | None,
        copied_from: int | None,
        leave: bool,
    ) -> None:
        from coach.store import plans as store
        from coach.store.db import connect

        try:
            conn = connect(db_path)
            try:
                if plan_id is None:
                    new_id = store.create(conn, plan, copied_from=copied_from)
                    saved = (new_id, 1, True)
                else:
                    saved = (plan_id, *store.save_version(conn, plan_id, plan, base_version=version))
            finally:
                conn.close()
        except (CoachError, sqlite3.Error, OSError) as exc:
            self.post_message(
                self.Failed("error.save", exc.one_line() if isinstance(exc, CoachError) else str(exc))
            )
            return
        message = self.PlanSaved(*saved)
        message.leave = leave  # type: ignore[attr-defined]
        self.post_message(message)

    @on(PlanSaved)
    def _saved(self, message: PlanSaved) -> None:
        self._busy = False
        self.plan_id, self.version = message.plan_id, message.version
        self.copied_from = None
        self.dirty = False
        self._clear_problem()
        key = "plan.saved" if message.changed else "plan.unchanged"
        self.coach.say(self.tr(key, id=message.plan_id, version=message.version), timeout=4)
        self._show_step()
        if getattr(message, "leave", False):
            self.coach.go_back(self)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._busy = False
        if message.key.startswith("plan."):
            self._problem(self.tr(message.key, **message.values))
            return
        self._problem(self.tr(message.key, error=message.error))
        self.coach.report_error(CoachError(message.error), key=message.key, quiet=True)

    # --- reopen and copy --------------------------------------------------------------------------

    def action_open_saved(self) -> None:
        """Choose a saved plan and open its latest version in the form."""
        from coach.tui.screens.plan_open import OpenPlanScreen

        def chosen(plan_id: int | None) -> None:
            if plan_id is not None:
                self.open_plan(plan_id)

        self.app.push_screen(OpenPlanScreen(self.coach.db_path), chosen)

    def open_plan(self, plan_id: int) -> None:
        """Read a saved plan (latest version) into the form."""
        self._read_plan(self.coach.db_path, plan_id)

    @work(thread=True, exclusive=True, group="plan-read", exit_on_error=False)
    def _read_plan(self, db_path: Path, plan_id: int) -> None:
        from coach.store import plans as store
        from coach.store.db import connect

        try:
            conn = connect(db_path)
            try:
                stored = store.get(conn, plan_id)
            finally:
                conn.close()
        except (CoachError, sqlite3.Error, OSError) as exc:
            self.post_message(
                self.Failed("error.plan", exc.one_line() if isinstance(exc, CoachError) else str(exc))
            )
            return
        self.post_message(self.PlanLoaded(stored, copied=False))

    def action_copy_last(self) -> None:
        """Fill the form from the latest plan of the account typed (for this meeting and date)."""
        account = self.query_one(f"#{widget_id('account')}", Input).value.strip()
        if not account:
            self._problem(self.tr("plan.need-account"), 0)
            self.query_one(f"#{widget_id('account')}").focus()
            return
        self._clear_problem()
        self._copy_last(self.coach.db_path, account, self.plan_id)

    @work(thread=True, exclusive=True, group="plan-read", exit_on_error=False)
    def _copy_last(self, db_path: Path, account: str, exclude: int | None) -> None:
        from coach.store import plans as store
        from coach.store.db import connect

        try:
            conn = connect(db_path)
            try:
                last = store.last_for_account(conn, account, exclude=exclude)
            finally:
                conn.close()
        except (CoachError, sqlite3.Error, OSError) as exc:
            self.post_message(
                self.Failed("error.plan", exc.one_line() if isinstance(exc, CoachError) else str(exc))
            )
            return
        if last is None:
            self.post_message(self.Failed("plan.no-last", "", account=account))
            return
        self.post_message(self.PlanLoaded(last, copied=True))

    @on(PlanLoaded)
    def _loaded(self, message: PlanLoaded) -> None:
        from coach.content.plans import form_from_plan

        stored = message.stored
        values = form_from_plan(stored.plan)
        self._clear_problem()
        if message.copied:
            here = self.fields()
            values["meeting"], values["date"] = here["meeting"], here["date"]
            values["checklist"] = "\n".join(
                line.replace("[x]", "[ ]", 1) for line in values["checklist"].splitlines()
            )
            self.fill(values)
            self.plan_id, self.version, self.copied_from = None, None, stored.id
            self.dirty = True
            self.coach.say(self.tr("plan.copied", id=stored.id, meeting=stored.plan.meeting), timeout=6)
        else:
            self.fill(values)
            self.plan_id, self.version, self.copied_from = stored.id, stored.version, None
            self.dirty = False
            self.coach.say(self.tr("plan.opened", id=stored.id, version=stored.version), timeout=4)
        self._history_for = None
        self._show_step()

    # --- suggestions ------------------------------------------------------------------------------

    def _need_history(self) -> None:
        account = " ".join(self.query_one(f"#{widget_id('account')}", Input).value.split())
        listed = self._listed_tactics()
        if account and (self._history_for != account.casefold() or self._history_excluded != listed):
            self._read_history(self.coach.db_path, account, listed)

    def _listed_tactics(self) -> frozenset[str]:
        """The tactics the form lists (none while a line cannot be read): suggestions leave them out."""
        from coach.content.plans import parse_items, parse_tactic

        area = self.query_one(f"#{widget_id('expected_tactics')}", TextArea)
        try:
            items = parse_items("expected_tactics", area.text.splitlines())
            return frozenset(parse_tactic(i["tactic"]) for i in items)
        except CoachError:
            return frozenset()

    @work(thread=True, exclusive=True, group="plan-history", exit_on_error=False)
    def _read_history(self, db_path: Path, account: str, exclude: frozenset[str]) -> None:
        from coach.services.prep import account_suggestions
        from coach.store.db import connect

        try:
            conn = connect(db_path)
            try:
                found = account_suggestions(conn, account, exclude=exclude)
            finally:
                conn.close()
        except (CoachError, sqlite3.Error, OSError) as exc:
            self.post_message(
                self.Failed("error.plan", exc.one_line() if isinstance(exc, CoachError) else str(exc))
            )
            return
        self.post_message(self.HistoryRead(account, found, exclude))

    @on(HistoryRead)
    def _history(self, message: HistoryRead) -> None:
        self.suggestions = message.suggestions
        self._history_for = message.account.casefold()
        self._history_excluded = message.exclude
        if STEPS[self.step].name == "expected_tactics":
            self.query_one("#plan-advice", Static).update(self._tactics_advice())

    def action_add_suggested(self) -> None:
        """Add the suggested tactics that are not listed yet, with where they were seen."""
        from coach.content.plans import PlanError, parse_items, parse_tactic
        from coach.review.plans import suggestion_note

        area = self.query_one(f"#{widget_id('expected_tactics')}", TextArea)
        try:
            listed = {
                parse_tactic(i["tactic"]) for i in parse_items("expected_tactics", area.text.splitlines())
            }
        except PlanError as exc:
            self._problem(self.tr("plan.invalid", error=exc.problems[0]))
            return
        new = [
            f"{s.tactic} | {suggestion_note(s, self.lang)}"
            for s in self.suggestions
            if s.tactic not in listed
        ]
        if new:
            text = area.text.rstrip("\n")
            area.load_text("\n".join([text, *new]) if text else "\n".join(new))
            self.dirty = True
            self._show_save_state()
            self._need_history()  # what is listed now is no longer suggested

    def action_order(self) -> None:
        """Put the tradeables in the suggested order: cheap to give, valuable to them first."""
        from coach.content.plans import PlanError, Tradeable, item_line, parse_items
        from coach.review.plans import suggested_order

        area = self.query_one(f"#{widget_id('tradeables')}", TextArea)
        try:
            items = [Tradeable.model_validate(i) for i in parse_items("tradeables", area.text.splitlines())]
        except PlanError as exc:
            self._problem(self.tr("plan.invalid", error=exc.problems[0]))
            return
        self._clear_problem()
        ordered = "\n".join(item_line("tradeables", t) for t in suggested_order(items))
        if ordered != "\n".join(item_line("tradeables", t) for t in items):
            area.load_text(ordered)
            self.dirty = True
        self.coach.say(self.tr("plan.ordered"), timeout=4)
        self._show_save_state()

    # --- the key account ----------------------------------------------------------------------------

    def _account_ref(self) -> tuple[str, str] | None:
        """(account key, meeting date) of the form, or None while no account is typed."""
        from coach.store.accounts import account_key

        account = self.query_one(f"#{widget_id('account')}", Input).value
        if not account.strip():
            return None
        return account_key(account), self.query_one(f"#{widget_id('date')}", Input).value.strip()

    def _need_account(self) -> None:
        """Read what the account offers when the form names another account (or date) than last read."""
        ref = self._account_ref()
        if ref is not None and ref != self._offer_for:
            account = " ".join(self.query_one(f"#{widget_id('account')}", Input).value.split())
            self._read_account(self.coach.db_path, account, ref)

    @work(thread=True, exclusive=True, group="plan-account", exit_on_error=False)
    def _read_account(self, db_path: Path, account: str, ref: tuple[str, str]) -> None:
        from coach.services.accounts import offer
        from coach.store.db import connect

        try:
            conn = connect(db_path)
            try:
                offered = offer(conn, account, meeting_date=ref[1] or None)
            finally:
                conn.close()
        except (CoachError, sqlite3.Error, OSError) as exc:
            self.post_message(
                self.Failed("error.plan", exc.one_line() if isinstance(exc, CoachError) else str(exc))
            )
            offered = None  # said once: the form goes on without the account's offer
        self.post_message(self.AccountRead(ref, offered))

    @on(AccountRead)
    def _account_read(self, message: AccountRead) -> None:
        self.offered, self._offer_for = message.offered, message.key
        if message.key == self._account_ref():
            self._show_step()

    def _offer_shown(self) -> Any:
        """What the key account offers, when it was read for the account and date in the form and is not
        empty; else None."""
        if self.offered is None or self.offered.empty or self._offer_for != self._account_ref():
            return None
        return self.offered

    def _offer_advice(self) -> list[Wrapped]:
        """What the key account offers, above the playbook's advice (as ``coach prep new`` prints it),
        broken by the Chinese line-breaking rule (the advice column is narrow at 80 columns)."""
        from coach.review.account_summary import offer_head, offer_lines

        offered = self._offer_shown()
        if offered is None:
            return []
        parts = [Wrapped(Text(offer_head(offered, self.lang), style="bold"))]
        for label, items in offer_lines(offered, self.lang):
            parts.append(Wrapped(Text(label, style="underline")))
            parts += [
                Wrapped(Text(f"• {item}", style="yellow" if item.startswith("⚠") else "")) for item in items
            ]
        parts.append(Wrapped(Text(self.tr("plan.from-account.hint"), style="dim")))
        return parts

    def _people(self, plan: Any) -> Any:
        """The brief's "their people at the meeting" section, when the plan's account is a key account
        (from the account's map, read with the offer); None otherwise."""
        from coach.review.account_summary import room, room_section

        if self.offered is None or self._offer_for != self._account_ref():
            return None
        return room_section(room(self.offered.map, plan.professionalism.theirs), self.lang)

    def action_from_account(self) -> None:
        """Add what the key account offers, as ``coach prep new --from-account`` does: the business plan's
        objectives (ours) as nice-to-have, its open actions (overdue first) as agenda points. A line of the
        form that cannot be read is one problem and nothing changes."""
        from coach.content.plans import Objective, PlanError, item_line, parse_items
        from coach.services.accounts import with_offer

        offered = self._offer_shown()
        if offered is None:
            return
        objectives = self.query_one(f"#{widget_id('objectives')}", TextArea)
        agenda = self.query_one(f"#{widget_id('agenda')}", TextArea)
        try:
            have: dict[str, Any] = {
                "objectives": parse_items("objectives", objectives.text.splitlines()),
                "professionalism": {"agenda": parse_items("agenda", agenda.text.splitlines())},
            }
        except PlanError as exc:
            self._problem(self.tr("plan.invalid", error=exc.problems[0]), step_of_error(exc.problems[0]))
            return
        self._clear_problem()
        added = with_offer(have, offered, self.lang)
        new_objectives = [
            item_line("objectives", Objective.model_validate(o))
            for o in added["objectives"][len(have["objectives"]) :]
        ]
        new_agenda = added["professionalism"]["agenda"][len(have["professionalism"]["agenda"]) :]
        for area, lines in ((objectives, new_objectives), (agenda, new_agenda)):
            if lines:
                text = area.text.rstrip("\n")
                area.load_text("\n".join([text, *lines]) if text else "\n".join(lines))
        if new_objectives or new_agenda:
            self.dirty = True
        self.coach.say(
            self.tr("plan.from-account.added", objectives=len(new_objectives), actions=len(new_agenda)),
            timeout=6,
        )
        self._show_save_state()

    # --- export -----------------------------------------------------------------------------------

    def action_export(self) -> None:
        """Write the brief as Markdown and HTML to the exports folder (``coach locate``)."""
        from coach import locations
        from coach.content.plans import PlanError
        from coach.review.brief import guidance_ids
        from coach.services.prep import guidance_from

        try:
            plan = self.plan()
        except PlanError as exc:
            self._problem(self.tr("plan.invalid", error=exc.problems[0]), step_of_error(exc.problems[0]))
            return
        lib = self.coach.library
        notes = guidance_from(lib.rules if lib else {}, guidance_ids(plan))
        self._export(
            plan, notes, self.lang, self.plan_id, self.version, locations.exports_dir(), self.coach.db_path
        )

    @work(thread=True, group="plan-export", exit_on_error=False)
    def _export(
        self,
        plan: Any,
        notes: dict,
        lang: str,
        plan_id: int | None,
        version: int | None,
        folder: Path,
        db_path: Path,
    ) -> None:
        from coach.review.account_summary import room_section
        from coach.review.brief import render
        from coach.services.accounts import meeting_room
        from coach.store.db import connect

        base = f"brief-plan-{plan_id}-v{version}" if plan_id else "brief-unsaved"
        try:
            conn = connect(db_path)  # who of theirs is in the room, read now as `coach prep brief` does
            try:
                room = meeting_room(conn, plan.account, plan.professionalism.theirs)
            finally:
                conn.close()
        except (CoachError, sqlite3.Error, OSError) as exc:
            self.post_message(
                self.Failed("error.export", exc.one_line() if isinstance(exc, CoachError) else str(exc))
            )
            return
        people = room_section(room, lang) if room is not None else None
        try:
            path = write_brief(
                folder,
                f"{base}-{lang}",
                lambda fmt: render(plan, notes, fmt, lang, plan_id=plan_id, version=version, people=people),
            )
        except CoachError as exc:
            self.post_message(self.Failed("error.export", exc.one_line()))
            return
        self.post_message(self.BriefExported(path))

    @on(BriefExported)
    def _exported(self, message: BriefExported) -> None:
        self.exported = message.path
        self.coach.say(self.tr("plan.exported", path=message.path), timeout=8)

    exported: Path | None = None
    """The Markdown brief written last (the HTML one is beside it)."""

    # --- leaving ----------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Leave; asks first when the form has changes not saved."""
        if not self.dirty:
            self.coach.go_back(self)
            return

        def chosen(answer: str | None) -> None:
            if answer == "save":
                self.action_save(leave=True)
            elif answer == "discard":
                self.coach.go_back(self)

        self.app.push_screen(
            ConfirmScreen(
                "plan.leave.question",
                [
                    ("save", "leave.save", "primary"),
                    ("discard", "leave.discard", "error"),
                    ("stay", "leave.stay", "default"),
                ],
            ),
            chosen,
        )
