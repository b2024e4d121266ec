"""Key accounts: the list (by name) and, for the one highlighted, its tier, the coach's warnings and the
relationship map as a tree (v switches to the coverage matrix). Reads only; the CLI (`coach account`)
changes accounts."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from coach.errors import CoachError, one_line
from coach.i18n import menu
from coach.review.accounts import TIER_NEEDS, MapWarning, check, render_coverage, render_map
from coach.store import accounts
from coach.store.accounts import Account, AccountMap
from coach.store.db import SESSION_ERRORS, session
from coach.tui.screens.base import CoachScreen
from coach.tui.widgets.wrapped import Wrapped

VIEWS = ("map", "coverage")
"""What the detail pane shows under the warnings."""


class AccountsScreen(CoachScreen):
    """Reads accounts and maps from the database in workers; nothing here changes them."""

    SCREEN_ID = "accounts"
    MENU: ClassVar[dict[str, tuple[str, str]]] = menu("acc.menu")
    NEEDS_CONTENT = False
    CSS_PATH = "accounts.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "toggle_view", "Map/coverage", id="acc-view"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        # hidden, so the footer (and its snapshots) stay as they are; the README names the key
        Binding("p", "plan", "Business plan", id="acc-plan", show=False),
    ]

    class Listed(Message):
        """The accounts were read (by name)."""

        def __init__(self, accounts: list[Account], warnings: dict[str, int]) -> None:
            super().__init__()
            self.accounts = accounts
            self.warnings = warnings

    class MapRead(Message):
        """One account's map was read."""

        def __init__(self, account_map: AccountMap) -> None:
            super().__init__()
            self.account_map = account_map

    class Failed(Message):
        """Reading failed; ``error`` is one line."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.accounts: list[Account] | None = None
        """The accounts (None until read)."""
        self.account_map: AccountMap | None = None
        """The highlighted account's map (None until read)."""
        self.warnings: list[MapWarning] = []
        """The coach's warnings on ``account_map``."""
        self.view = "map"
        """One of ``VIEWS``."""
        self.counts: dict[str, int] = {}
        """Account key -> how many warnings its map has (shown in the list)."""

    def compose(self) -> ComposeResult:
        """List on the left, the highlighted account on the right."""
        yield Header()
        yield Static(id="acc-hint", classes="hint", markup=False)
        with Horizontal(id="acc-body"):
            yield OptionList(id="acc-list")
            with VerticalScroll(id="acc-detail"):
                yield Static(id="acc-text")
        yield Footer()

    def on_mount(self) -> None:
        """Read the accounts."""
        self.query_one("#acc-list").focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        """Read the accounts again."""
        self._list(self.coach.db_path)

    def action_plan(self) -> None:
        """Open the highlighted account's annual customer business plan (its own screen)."""
        current = self._current()
        if current is None:
            return
        from coach.tui.screens.business_plan import BusinessPlanScreen  # deferred: screens load when opened

        self.app.push_screen(BusinessPlanScreen(current.name))

    def action_toggle_view(self) -> None:
        """Switch between the map and the coverage matrix."""
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self._detail()

    @work(thread=True, exclusive=True, group="acc-list", exit_on_error=False)
    def _list(self, db_path: Path | str) -> None:
        try:
            with session(db_path) as conn:
                found = accounts.list_accounts(conn)
                counts = {a.key: len(check(accounts.account_map(conn, a.name))) for a in found}
        except SESSION_ERRORS as exc:
            self.post_message(self.Failed(one_line(exc)))
            return
        self.post_message(self.Listed(found, counts))

    @work(thread=True, exclusive=True, group="acc-map", exit_on_error=False)
    def _read_map(self, db_path: Path | str, name: str) -> None:
        try:
            with session(db_path) as conn:
                found = accounts.account_map(conn, name)
        except SESSION_ERRORS as exc:
            self.post_message(self.Failed(one_line(exc)))
            return
        self.post_message(self.MapRead(found))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        self.accounts = message.accounts
        self.counts = message.warnings
        self.apply_language()

    @on(MapRead)
    def _map_read(self, message: MapRead) -> None:
        current = self._current()
        if current is None or current.key != message.account_map.account.key:
            return  # the highlight moved on meanwhile
        self.account_map = message.account_map
        self.warnings = check(message.account_map)
        self._detail()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.coach.report_error(CoachError(message.error), key="acc.error")

    def apply_language(self) -> None:
        """List and detail in the current language."""
        hint = self.query_one("#acc-hint", Static)
        listing = self.query_one("#acc-list", OptionList)
        keep = listing.highlighted
        listing.clear_options()
        if self.accounts is None:
            hint.update(self.tr("acc.loading"))
            return
        if not self.accounts:
            hint.update(self.tr("acc.empty"))
            self.query_one("#acc-text", Static).update("")
            return
        hint.update(self.tr("acc.pick"))
        for acc in self.accounts:
            tier = TIER_NEEDS[acc.tier].label[self.lang] if acc.tier else "—"
            prompt = Text.assemble((acc.name, "bold"), "\n", (tier, "dim"))
            if self.counts.get(acc.key):
                n = self.counts[acc.key]
                prompt.append(" · " + self.tr("acc.count", n=n), style="yellow")
            listing.add_option(Option(prompt, id=acc.key))
        listing.highlighted = min(keep or 0, len(self.accounts) - 1)
        self._detail()

    def _current(self) -> Account | None:
        listing = self.query_one("#acc-list", OptionList)
        if not self.accounts or listing.highlighted is None:
            return None
        return self.accounts[listing.highlighted]

    @on(OptionList.OptionHighlighted, "#acc-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        current = self._current()
        if current is not None and (self.account_map is None or self.account_map.account.key != current.key):
            self._read_map(self.coach.db_path, current.name)

    def _detail(self) -> None:
        body = self.query_one("#acc-text", Static)
        current = self._current()
        m = self.account_map
        if current is None:
            body.update("")
            return
        if m is None or m.account.key != current.key:
            self._read_map(self.coach.db_path, current.name)
            body.update(Text(current.name, style="bold"))
            return
        lang = self.lang
        head = Text(m.account.name, style="bold")
        tier = TIER_NEEDS[m.account.tier] if m.account.tier else None
        if tier is not None:
            head.append(" · " + self.tr("acc.tier", label=tier.label[lang], what=tier.what[lang]))
        else:
            head.append(" · " + self.tr("acc.no_tier"), style="dim")
        head.append("\n\n" + self.tr("acc.warnings") + "\n", style="bold")
        if self.warnings:
            head.append("\n".join(f"• {w.text(lang)}" for w in self.warnings), style="yellow")
        else:
            head.append(self.tr("acc.no_warnings"), style="green")
        parts: list[Wrapped | Text] = [Wrapped(head), Text("")]
        if self.view == "map":
            parts.append(Text(self.tr("acc.map"), style="bold"))
            # Rich's own wrapping here: the tree's leading spaces must count (coach.linebreak drops them)
            parts.append(Text("\n".join(render_map(m, lang).splitlines()[1:])))
        else:
            parts.append(Text(self.tr("acc.coverage"), style="bold"))
            cols = max(40, self.query_one("#acc-detail").size.width - 2)
            parts.append(Text(render_coverage(m, lang, cols), no_wrap=True, overflow="ellipsis"))
        if tier is not None:
            parts += [Text(""), Wrapped(Text(self.tr("acc.needs", needs=tier.needs[lang]), style="dim"))]
        body.update(Group(*parts))
