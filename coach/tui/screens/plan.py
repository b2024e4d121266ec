"""Meeting-plan wizard: one principle per step with the playbook's advice beside the form; save (a new version
each time), reopen a saved plan, copy the last meeting with the same account, and the brief as a summary.

The form is plain text: list parts take one item per line in the same format as ``coach prep`` options, so
what a user learns here works on the command line too. Nothing is saved until the whole plan checks out.
The form, the advice column and the foot are widgets (``coach/tui/widgets/plan_*.py``); the screen reads
and writes the database in workers and decides what each of them shows.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Header, Static

from coach import locations
from coach.content.plans import PlanError, plan_from_form
from coach.errors import CoachError
from coach.i18n import menu
from coach.review.brief import guidance_ids
from coach.services.prep import export_brief, guidance_from
from coach.store.db import FAILED
from coach.tui.screens.base import CoachScreen
from coach.tui.screens.confirm import ask_before_leaving
from coach.tui.widgets.plan_advice import (
    PlanAdvice,
)
from coach.tui.widgets.plan_form import STEPS, Failed, PlanForm, in_db, step_of_error
from coach.tui.widgets.plan_form import widget_id as widget_id
from coach.tui.widgets.plan_nav import PlanNav, PlanStatus


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

    class BriefExported(Message):
        """The brief was written as Markdown to ``path`` (and as HTML beside it)."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

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
        self._busy = False

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Title, the form (one page per step) beside the advice, buttons, status line."""
        self._heading = Static(id="plan-title", classes="screen-title", markup=False)
        self._form = PlanForm(self.coach.db_path, id="plan-steps")
        self._advice = PlanAdvice(self.coach.db_path, id="plan-advice-box")
        self._nav = PlanNav(id="plan-nav")
        self._status = PlanStatus(id="plan-status", classes="status", markup=False)
        yield Header()
        yield self._heading
        with Horizontal(id="plan-body"):
            yield self._form
            yield self._advice
        yield self._nav
        yield self._status
        yield Footer()

    def on_mount(self) -> None:
        """Start on the first page with the account field focused."""
        super().on_mount()
        self._form.focus_field("account")

    def apply_language(self) -> None:
        """Every label and button in the current language; the page and advice redrawn."""
        self._form.set_language(self.lang)
        self._nav.set_language(self.lang)
        self._show_step()

    def content_ready(self) -> None:
        """The advice comes from the playbooks once they are loaded."""
        self._show_step()

    # --- the form -------------------------------------------------------------------------------

    def fields(self) -> dict[str, str]:
        """Every field's text, keyed like ``content.plans.plan_from_form`` expects."""
        return self._form.fields()

    @on(PlanForm.Edited)
    def _edited(self, message: PlanForm.Edited) -> None:
        self.dirty = True
        self._show_save_state()
        if message.field == "account":
            self._advice.history_for = None  # read the new account's history when it is needed

    @on(PlanForm.ToolPressed)
    @on(PlanNav.NavPressed)
    def _pressed(self, message: PlanForm.ToolPressed | PlanNav.NavPressed) -> None:
        getattr(self, f"action_{message.action}")()

    def has_unsaved_work(self) -> bool:
        """True when the form changed since it was opened or saved."""
        return self.dirty

    def plan(self):  # noqa: ANN201
        """The form as a validated plan (``PlanError`` names the line and field when it is not)."""

        return plan_from_form(self.fields())

    # --- pages ----------------------------------------------------------------------------------

    def _show_step(self) -> None:
        step = STEPS[self.step]
        self._heading.update(
            self.tr("plan.title", n=self.step + 1, total=len(STEPS), step=self.tr(f"plan.step.{step.name}"))
        )
        self._form.show(self.step)
        self._nav.set_page(self.step, len(STEPS) - 1)
        self._advice.show_page(
            step.name,
            step.rule,
            lib=self.coach.library,
            lang=self.lang,
            content_error=self.coach.content_error,
            account=self._form.text("account"),
            ref=self._account_ref(),
        )
        if step.name == "summary":
            self._show_summary()
        if step.name == "expected_tactics":
            self._need_history()
        self._need_account()
        self._form.show_from_account(self._offer_shown() is not None)
        self._show_save_state()
        self.refresh_bindings()

    def _show_summary(self) -> None:
        self._form.show_summary(
            self.lang,
            self._notes,
            lambda plan: self._advice.people(plan, self._account_ref(), self.lang),
            plan_id=self.plan_id,
            version=self.version,
        )

    def _notes(self, plan: Any) -> dict:
        """The playbook guidance the plan's brief quotes (none while the playbooks load)."""

        lib = self.coach.library
        return guidance_from(lib.rules if lib else {}, guidance_ids(plan))

    def _show_save_state(self) -> None:
        self._status.show_saved(self.lang, self.plan_id, self.version, self.dirty)

    def _problem(self, text: str, step: int | None = None) -> None:
        self._status.show_problem(text)
        if step is not None and step != self.step:
            self.step = step
            self._show_step()

    def _clear_problem(self) -> None:
        self._status.clear_problem()

    def _leave_step(self) -> bool:
        """Check the page being left: False, with every problem shown, when it has one."""
        problems = self._form.step_problems(self.step, self.lang)
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
            self._form.focus_field(step.fields[0])
        else:
            self._nav.focus_save()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No next on the last page, no previous on the first."""
        if action == "next":
            return self.step < len(STEPS) - 1
        if action == "previous":
            return self.step > 0
        return True

    # --- saving -----------------------------------------------------------------------------------

    def action_save(self, leave: bool = False) -> None:
        """Check the whole plan; save it in a worker, or say what is missing or wrong and show that step."""
        if self._busy:
            return
        self._clear_problem()
        plan, problem, step = self._form.checked_plan(self.lang)
        if problem is not None:
            self._problem(problem, step)
            return
        self._busy = True
        self._form.save(plan, self.plan_id, self.version, self.copied_from, leave=leave)

    @on(PlanForm.Saved)
    def _saved(self, message: PlanForm.Saved) -> None:
        self._busy = False
        self.plan_id, self.version = message.plan_id, message.version
        self.copied_from = None
        self.dirty = False
        self._clear_problem()
        key = "plan.saved" if message.changed else "plan.unchanged"
        self.coach.say(self.tr(key, id=message.plan_id, version=message.version), timeout=4)
        self._show_step()
        if message.leave:
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
        from coach.tui.screens.plan_open import OpenPlanScreen  # deferred: screens load when opened

        def chosen(plan_id: int | None) -> None:
            if plan_id is not None:
                self.open_plan(plan_id)

        self.app.push_screen(OpenPlanScreen(self.coach.db_path), chosen)

    def open_plan(self, plan_id: int) -> None:
        """Read a saved plan (latest version) into the form."""
        self._form.read_saved(plan_id)

    def action_copy_last(self) -> None:
        """Fill the form from the latest plan of the account typed (for this meeting and date)."""
        account = self._form.text("account").strip()
        if not account:
            self._problem(self.tr("plan.need-account"), 0)
            self._form.focus_field("account")
            return
        self._clear_problem()
        self._form.copy_last(account, self.plan_id)

    @on(PlanForm.Loaded)
    def _loaded(self, message: PlanForm.Loaded) -> None:
        stored = message.stored
        self._clear_problem()
        if message.copied:
            self.plan_id, self.version, self.copied_from = None, None, stored.id
            self.dirty = True
            self.coach.say(self.tr("plan.copied", id=stored.id, meeting=stored.plan.meeting), timeout=6)
        else:
            self.plan_id, self.version, self.copied_from = stored.id, stored.version, None
            self.dirty = False
            self.coach.say(self.tr("plan.opened", id=stored.id, version=stored.version), timeout=4)
        self._advice.history_for = None
        self._show_step()

    # --- suggestions ------------------------------------------------------------------------------

    @property
    def suggestions(self) -> list:
        """Tactics seen with the account (its log and role-play), strongest first."""
        return self._advice.suggestions

    def _need_history(self) -> None:
        self._advice.need_history(" ".join(self._form.text("account").split()), self._listed_tactics())

    def _listed_tactics(self) -> frozenset[str]:
        """The tactics the form lists (none while a line cannot be read): suggestions leave them out."""
        try:
            return self._form.listed_tactics()
        except CoachError:
            return frozenset()

    @on(PlanAdvice.HistoryRead)
    def _history(self) -> None:
        if STEPS[self.step].name == "expected_tactics":
            self._advice.show_tactics(self.coach.library, self.lang, self._form.text("account"))

    def action_add_suggested(self) -> None:
        """Add the suggested tactics that are not listed yet, with where they were seen."""

        try:
            added = self._form.add_suggested(self.suggestions, self.lang)
        except PlanError as exc:
            self._problem(self.tr("plan.invalid", error=exc.problems[0]))
            return
        if added:
            self.dirty = True
            self._show_save_state()
            self._need_history()  # what is listed now is no longer suggested

    def action_order(self) -> None:
        """Put the tradeables in the suggested order: cheap to give, valuable to them first."""

        try:
            changed = self._form.order_tradeables()
        except PlanError as exc:
            self._problem(self.tr("plan.invalid", error=exc.problems[0]))
            return
        self._clear_problem()
        if changed:
            self.dirty = True
        self.coach.say(self.tr("plan.ordered"), timeout=4)
        self._show_save_state()

    # --- the key account ----------------------------------------------------------------------------

    def _account_ref(self) -> tuple[str, str] | None:
        """(account key, meeting date) of the form, or None while no account is typed."""
        return self._form.account_ref()

    def _need_account(self) -> None:
        """Read what the account offers when the form names another account (or date) than last read."""
        ref = self._account_ref()
        if ref is not None:
            self._advice.need_offer(" ".join(self._form.text("account").split()), ref)

    @on(PlanAdvice.OfferRead)
    def _account_read(self, message: PlanAdvice.OfferRead) -> None:
        if message.key == self._account_ref():
            self._show_step()

    @property
    def offered(self) -> Any:
        """What the key account named in the form offers (an ``AccountOffer``), None when it is not one."""
        return self._advice.offered

    @property
    def _offer_for(self) -> tuple[str, str] | None:
        return self._advice.offer_for

    def _offer_shown(self) -> Any:
        """What the key account offers, when it was read for the account and date in the form; else None."""
        return self._advice.offer_shown(self._account_ref())

    def action_from_account(self) -> None:
        """Add what the key account offers, as ``coach prep new --from-account`` does (``PlanForm.add_offer``).
        A line of the form that cannot be read is one problem and nothing changes."""

        offered = self._offer_shown()
        if offered is None:
            return
        try:
            objectives, actions = self._form.add_offer(offered, self.lang)
        except PlanError as exc:
            self._problem(self.tr("plan.invalid", error=exc.problems[0]), step_of_error(exc.problems[0]))
            return
        self._clear_problem()
        if objectives or actions:
            self.dirty = True
        self.coach.say(self.tr("plan.from-account.added", objectives=objectives, actions=actions), timeout=6)
        self._show_save_state()

    # --- export -----------------------------------------------------------------------------------

    def action_export(self) -> None:
        """Write the brief as Markdown and HTML to the exports folder (``coach locate``)."""

        try:
            plan = self.plan()
        except PlanError as exc:
            self._problem(self.tr("plan.invalid", error=exc.problems[0]), step_of_error(exc.problems[0]))
            return
        self._export(
            plan,
            self._notes(plan),
            self.lang,
            self.plan_id,
            self.version,
            locations.exports_dir(),
            self.coach.db_path,
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
        db_path: Path | str,
    ) -> None:
        def export(conn: sqlite3.Connection) -> Path:
            return export_brief(conn, plan, notes, lang, folder, plan_id=plan_id, version=version)

        path = in_db(self, db_path, "error.export", export)
        if path is not FAILED:
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

        ask_before_leaving(
            self,
            "plan.leave.question",
            lambda: self.coach.go_back(self),
            save=lambda: self.action_save(leave=True),
        )
