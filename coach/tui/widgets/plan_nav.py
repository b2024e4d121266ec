"""The foot of the meeting-plan wizard: the buttons that move between pages, save and export
(``NavPressed`` up to the screen), and the status line (saved as, or every problem of a page)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from coach.i18n import tr

BUTTONS: dict[str, tuple[str, str, ButtonVariant]] = {
    "plan-prev": ("previous", "plan.back", "default"),
    "plan-next": ("next", "plan.next", "primary"),
    "plan-save": ("save", "plan.save", "success"),
    "plan-export": ("export", "plan.export", "default"),
}
"""The buttons: id -> (the screen's action, the label's text key, variant)."""


class PlanNav(Horizontal):
    """Back, Next, Save, Export."""

    class NavPressed(Message):
        """A button was pressed: ``action`` names the screen's action (``next``, ``save``...)."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._buttons = {
            button_id: Button("", id=button_id, variant=variant)
            for button_id, (_action, _key, variant) in BUTTONS.items()
        }

    def compose(self) -> ComposeResult:
        """The buttons in order."""
        yield from self._buttons.values()

    def set_language(self, lang: str) -> None:
        """The labels in ``lang``."""
        for button_id, button in self._buttons.items():
            button.label = tr(lang, BUTTONS[button_id][1])

    def set_page(self, step: int, last: int) -> None:
        """No Back on the first page (0), no Next on the ``last``."""
        self._buttons["plan-prev"].disabled = step == 0
        self._buttons["plan-next"].disabled = step == last

    def focus_save(self) -> None:
        """Put the focus on Save (a page without fields)."""
        self._buttons["plan-save"].focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.NavPressed(BUTTONS[event.button.id or ""][0]))


class PlanStatus(Static):
    """The status line: which saved version the form is, or (with class ``-error``) what is wrong."""

    def show_saved(self, lang: str, plan_id: int | None, version: int | None, dirty: bool) -> None:
        """Say whether and as what the plan is saved, unless a problem is shown."""
        if self.has_class("-error"):
            return
        if plan_id is None:
            self.update(tr(lang, "plan.unsaved"))
        elif dirty:
            self.update(
                tr(lang, "plan.saved-as", id=plan_id, version=version) + " " + tr(lang, "plan.changed")
            )
        else:
            self.update(tr(lang, "plan.saved-as", id=plan_id, version=version))

    def show_problem(self, text: str) -> None:
        """Show ``text`` as a problem until ``clear_problem``."""
        self.add_class("-error")
        self.update(text)

    def clear_problem(self) -> None:
        """The next ``show_saved`` is shown again."""
        self.remove_class("-error")
