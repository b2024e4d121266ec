"""What every coach screen shares: language, labelled bindings, Escape goes back, worker errors notify."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from coach.i18n import tr
from coach.tui.bindings import localize

if TYPE_CHECKING:
    from coach.tui.app import CoachApp


class CoachScreen(Screen[None]):
    """Base of the coach screens. Subclasses shown on the home page set ``SCREEN_ID`` and ``MENU``."""

    SCREEN_ID: ClassVar[str] = ""
    """Id for the home page, palette and ``CoachApp.open_screen``; empty when the screen needs an argument."""
    MENU: ClassVar[dict[str, tuple[str, str]]] = {}
    """Per language: (title, one-line description) on the home page and in the command palette."""
    NEEDS_CONTENT: ClassVar[bool] = True
    """True when the screen cannot open before the playbooks are loaded."""
    ON_HOME: ClassVar[bool] = True
    """Whether the home page lists the screen."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="back")]

    @property
    def coach(self) -> CoachApp:
        """The running app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def lang(self) -> str:
        """The current interface language."""
        return self.coach.lang

    def tr(self, key: str, **values: object) -> str:
        """Interface text in the current language."""
        return tr(self.coach.lang, key, **values)

    ready: bool = False
    """True once the screen has drawn itself; only then does the app forward language and content changes."""

    def on_mount(self) -> None:
        """Label bindings and texts once the subclass has mounted its widgets."""
        self.language_changed()
        self.ready = True

    def language_changed(self) -> None:
        """Relabel bindings and call ``apply_language``; the app calls this on every switch."""
        localize(self, self.lang)
        self.sub_title = self.menu_title()
        self.apply_language()
        self.refresh_bindings()

    def apply_language(self) -> None:
        """Redraw every text in the current language (subclasses override)."""

    def content_ready(self) -> None:
        """Called when the playbooks have loaded (or failed to); subclasses that show content override."""

    def has_unsaved_work(self) -> bool:
        """True when leaving the screen would lose something the user typed."""
        return False

    def menu_title(self) -> str:
        """The screen's title in the current language (empty when it has none)."""
        entry = self.MENU.get(self.lang) or self.MENU.get("en")
        return entry[0] if entry else ""

    def action_back(self) -> None:
        """Leave this screen (the home screen stays)."""
        self.coach.go_back(self)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.coach.report_error(event.worker.error)
