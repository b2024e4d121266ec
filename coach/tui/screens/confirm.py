"""A question with a few answers; dismisses with the id of the answer chosen (None on Escape). And the one
way a screen asks before leaving unsaved work (``ask_before_leaving``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from coach.i18n import tr
from coach.tui.bindings import localize


class ConfirmScreen(ModalScreen[str | None]):
    """Ask ``question`` (an i18n key); ``choices`` are (answer id, i18n key of the label, button variant)."""

    CSS_PATH = "confirm.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back", id="back")]

    def __init__(self, question: str, choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = choices

    def compose(self) -> ComposeResult:
        """The question over a row of buttons."""
        with Vertical(id="confirm-box"):
            yield Static(id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                for answer, _label, variant in self.choices:
                    yield Button("", id=f"confirm-{answer}", variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        """Texts in the current language; the last (safest) answer has the focus."""
        self.language_changed()
        self.query_one(f"#confirm-{self.choices[-1][0]}", Button).focus()

    def language_changed(self) -> None:
        """Relabel in the app's current language."""
        lang = self.app.lang  # type: ignore[attr-defined]
        localize(self, lang)
        self.query_one("#confirm-question", Static).update(tr(lang, self.question))
        for answer, label, _variant in self.choices:
            self.query_one(f"#confirm-{answer}", Button).label = tr(lang, label)

    @on(Button.Pressed)
    def _answered(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            self.dismiss(event.button.id.removeprefix("confirm-"))

    def action_cancel(self) -> None:
        """Escape: no answer."""
        self.dismiss(None)


def ask_before_leaving(
    screen: Screen, question: str, leave: Callable[[], None], save: Callable[[], None] | None = None
) -> None:
    """Ask ``question`` (an i18n key) over ``screen``: save and leave (only when ``save`` is given), leave
    without saving (``leave``), or stay (the focused, safest answer; Escape too)."""
    choices = [("discard", "leave.discard", "error"), ("stay", "leave.stay", "default")]
    if save is not None:
        choices.insert(0, ("save", "leave.save", "primary"))

    def chosen(answer: str | None) -> None:
        if answer == "save" and save is not None:
            save()
        elif answer == "discard":
            leave()

    screen.app.push_screen(ConfirmScreen(question, choices), chosen)
