"""Help: what coach does, the screens (from the registry), the keys, and tips."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from coach.i18n import menu
from coach.tui.screens.base import CoachScreen


class HelpScreen(CoachScreen):
    """Built from the registered screens and the app's bindings, in the current language."""

    SCREEN_ID = "help"
    MENU: ClassVar[dict[str, tuple[str, str]]] = menu("help.menu")
    NEEDS_CONTENT = False
    CSS_PATH = "help.tcss"

    def compose(self) -> ComposeResult:
        """One scrolling page."""
        yield Header()
        with VerticalScroll(id="help-scroll"):
            yield Static(id="help-body")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the page so arrow keys scroll it."""
        self.query_one("#help-scroll").focus()

    def apply_language(self) -> None:
        """Rebuild the page in the current language."""
        self.query_one("#help-body", Static).update(self.render_help())

    def render_help(self) -> Group:
        """The help page as a renderable."""
        lang = self.lang
        screens = Table.grid(padding=(0, 2))
        screens.add_column(no_wrap=True, style="bold")
        screens.add_column(ratio=1, overflow="fold")
        home = [cls for cls in self.coach.registered() if cls.ON_HOME]
        for number, cls in enumerate(home, 1):
            title, about = cls.MENU.get(lang) or cls.MENU["en"]
            screens.add_row(Text(f"{number}  {title}"), Text(about))
        keys = Table.grid(padding=(0, 2))
        keys.add_column(no_wrap=True, style="bold")
        keys.add_column(ratio=1, overflow="fold")
        for key, what in (
            ("F1", "help.key.help"),
            ("F2", "help.key.language"),
            ("F3", "help.key.theme"),
            ("Ctrl+P", "help.key.palette"),
            ("Esc", "help.key.back"),
            ("Tab", "help.key.tab"),
            ("Ctrl+Q", "help.key.quit"),
        ):
            keys.add_row(Text(key), Text(self.tr(what)))
        tips = Table.grid(padding=(0, 1))
        tips.add_column(no_wrap=True)
        tips.add_column(ratio=1, overflow="fold")
        for key in ("help.tip1", "help.tip2", "help.tip3", "help.tip4"):
            tips.add_row(Text("•"), Text(self.tr(key)))
        return Group(
            Text(self.tr("help.intro")),
            Text(""),
            Text(self.tr("help.screens"), style="bold underline"),
            screens,
            Text(""),
            Text(self.tr("help.keys"), style="bold underline"),
            keys,
            Text(""),
            Text(self.tr("help.tips"), style="bold underline"),
            tips,
        )
