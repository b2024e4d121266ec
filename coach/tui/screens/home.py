"""The home page: what do you want to do? Lists exactly the registered screens."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from coach.tui.screens.base import CoachScreen


class HomeScreen(CoachScreen):
    """Start page; a number key or Enter opens a screen."""

    CSS_PATH = "home.tcss"
    ON_HOME = False

    def compose(self) -> ComposeResult:
        """Question, choices, status line."""
        yield Header()
        with Vertical(id="home-box"):
            yield OptionList(id="home-choices")
            with Vertical(id="home-foot"):
                yield Static(id="home-status", classes="status", markup=False)
                yield Static(id="home-hint", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Focus the choices."""
        self.query_one("#home-choices").focus()

    def choices(self) -> list[type[CoachScreen]]:
        """The registered screens shown here, in order."""
        return [cls for cls in self.coach.registered() if cls.ON_HOME]

    def apply_language(self) -> None:
        """Rebuild the choices and texts in the current language."""
        self.query_one("#home-hint", Static).update(self.tr("home.hint"))
        choices = self.query_one("#home-choices", OptionList)
        # The question is the list's title: one line less, so nine choices fit at 80x24 with the status.
        choices.border_title = self.tr("home.question")
        keep = choices.highlighted
        choices.clear_options()
        for number, cls in enumerate(self.choices(), 1):
            title, about = cls.MENU.get(self.lang) or cls.MENU["en"]
            prompt = Group(
                Text.assemble((f"{number}  ", "bold"), (title, "bold")),
                # One line each, so every choice fits at 80x24; a description too long is cut with "…".
                Padding(Text(about, style="dim", no_wrap=True, overflow="ellipsis"), (0, 0, 0, 3)),
            )
            blocked = cls.NEEDS_CONTENT and not self.coach.content_loaded
            choices.add_option(Option(prompt, id=cls.SCREEN_ID, disabled=blocked))
        choices.highlighted = keep if keep is not None else 0
        self.content_ready()

    def content_ready(self) -> None:
        """Enable the choices that need the playbooks and say how loading went."""
        choices = self.query_one("#home-choices", OptionList)
        for cls in self.choices():
            if cls.NEEDS_CONTENT:
                if self.coach.content_loaded:
                    choices.enable_option(cls.SCREEN_ID)
                else:
                    choices.disable_option(cls.SCREEN_ID)
        if self.coach.content_loaded and not self._moved:
            # While loading, the highlight skipped the disabled choices; put it back on the first one.
            choices.highlighted = 0
        status = self.query_one("#home-status", Static)
        status.remove_class("-error")
        if self.coach.content_error:
            status.add_class("-error")
            status.update(
                self.tr("content.failed", error=self.coach.content_error)
                + " "
                + self.tr("content.failed.hint")
            )
        elif self.coach.library is not None:
            status.update(self.tr("loaded", n=len(self.coach.library.rules)))
        else:
            status.update(self.tr("loading"))

    @on(OptionList.OptionSelected, "#home-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.coach.open_screen(event.option.id)

    _moved = False

    def on_key(self, event: events.Key) -> None:
        """Number keys open the matching choice."""
        self._moved = True
        if event.character and event.character.isdigit():
            n = int(event.character)
            choices = self.choices()
            if 1 <= n <= len(choices):
                event.stop()
                self.coach.open_screen(choices[n - 1].SCREEN_ID)

    def action_back(self) -> None:
        """Nothing is under the home page."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No "back" key on the home page."""
        return action != "back"

    def menu_title(self) -> str:
        """The header says what the tool is."""
        return self.tr("app.subtitle")
