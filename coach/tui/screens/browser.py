"""Playbook browser: categories and their entries, a preview, and fuzzy search across every entry."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from coach.i18n import menu
from coach.tui.screens.base import CoachScreen
from coach.tui.search import Jargon, build_jargon, search
from coach.tui.widgets.entry_view import EntryView

if TYPE_CHECKING:
    from coach.content.loader import Library

CATEGORIES = ("difficult", "complaint", "tactic", "principle", "trade", "ethics", "account")
"""The chapters of the course, in course order (as ``coach.content.models.Category``)."""


class BrowserScreen(CoachScreen):
    """Categories and their entries (or search hits) on the left, the highlighted entry on the right.

    The list is an option list rather than a tree so that long titles wrap instead of being cut off.
    """

    SCREEN_ID = "browse"
    MENU: ClassVar[dict[str, tuple[str, str]]] = menu("browser.menu")
    CSS_PATH = "browser.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "walk", "Walk through", id="walk"),
        Binding("slash", "search", "Search", id="search"),
    ]

    class JargonMapped(Message):
        """The trade vocabulary of ``library`` was mapped to its entries, so search finds them by jargon."""

        def __init__(self, library: Library, jargon: Jargon) -> None:
            super().__init__()
            self.library = library
            self.jargon = jargon

    _jargon: tuple[Library, Jargon] | None = None
    """The jargon map and the library it was built from (search uses it only for that library)."""
    _building: Library | None = None
    """The library whose jargon map is being built."""

    def compose(self) -> ComposeResult:
        """Search field over the tree / hits, preview beside them."""
        yield Header()
        yield Input(id="browser-search")
        with Horizontal(id="browser-body"):
            with Vertical(id="browser-left"):
                yield OptionList(id="browser-tree")
                yield Static(id="browser-hits-label", classes="hint", markup=False)
                yield OptionList(id="browser-hits")
            yield EntryView(links=True, id="browser-preview")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the list of entries."""
        self._set_searching(False)
        self.query_one("#browser-tree").focus()

    # --- content and language -------------------------------------------------------------------

    def apply_language(self) -> None:
        """Rebuild the tree, the hits and the preview in the current language."""
        self._current_jargon()  # start mapping the trade vocabulary before the first search
        self.query_one("#browser-search", Input).placeholder = self.tr("browser.search")
        self._fill_tree()
        self._run_search()
        self._preview(self.query_one(EntryView).rule_id)

    def content_ready(self) -> None:
        """The playbooks changed: redraw."""
        self.apply_language()

    def _current_jargon(self) -> Jargon | None:
        """The jargon map of the loaded library; starts building it (off the UI thread) when missing."""
        library = self.coach.library
        if library is None:
            return None
        if self._jargon is not None and self._jargon[0] is library:
            return self._jargon[1]
        if self._building is not library:
            self._building = library
            self._build_jargon(library)
        return None

    @work(thread=True, exclusive=True, group="browser-jargon", exit_on_error=False)
    def _build_jargon(self, library: Library) -> None:
        self.post_message(self.JargonMapped(library, build_jargon(library.rules.values(), library.concepts)))

    @on(JargonMapped)
    def _jargon_ready(self, message: JargonMapped) -> None:
        if message.library is self.coach.library:
            self._jargon = (message.library, message.jargon)
            self._run_search()

    def _fill_tree(self) -> None:
        tree = self.query_one("#browser-tree", OptionList)
        library = self.coach.library
        current = self.query_one(EntryView).rule_id
        tree.clear_options()
        if library is None:
            return
        by_cat: dict[str, list[str]] = {c: [] for c in CATEGORIES}
        for rule_id, rule in library.rules.items():
            by_cat[rule.category.value].append(rule_id)
        for cat in CATEGORIES:
            ids = by_cat[cat]
            if not ids:
                continue
            heading = Text.assemble((self.tr("cat." + cat), "bold"), (f"  {len(ids)}", "dim"))
            tree.add_option(Option(heading, id=f"cat:{cat}", disabled=True))
            for rule_id in ids:
                title = Text(getattr(library.rules[rule_id].title, self.lang))
                tree.add_option(Option(Padding(title, (0, 0, 0, 2)), id=rule_id))
        if current is not None and current in library.rules:
            tree.highlighted = tree.get_option_index(current)
        elif tree.option_count > 1:
            tree.highlighted = 1

    # --- search ---------------------------------------------------------------------------------

    def _set_searching(self, on_: bool) -> None:
        self.query_one("#browser-tree").display = not on_
        self.query_one("#browser-hits").display = on_
        self.query_one("#browser-hits-label").display = on_

    @on(Input.Changed, "#browser-search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._run_search()

    def _run_search(self) -> None:
        query = self.query_one("#browser-search", Input).value
        hits_list = self.query_one("#browser-hits", OptionList)
        label = self.query_one("#browser-hits-label", Static)
        library = self.coach.library
        if not query.strip() or library is None:
            self._set_searching(False)
            return
        self._set_searching(True)
        hits = search(library.rules.values(), query, jargon=self._current_jargon())
        hits_list.clear_options()
        for hit in hits:
            rule = library.rules[hit.id]
            prompt = Text.assemble(
                getattr(rule.title, self.lang),
                "\n",
                (f"{self.tr('cat1.' + rule.category.value)} · {hit.score:.0f}", "dim"),
            )
            hits_list.add_option(Option(prompt, id=hit.id))
        label.update(
            self.tr("browser.hits", n=len(hits)) if hits else self.tr("browser.no-hits", query=query)
        )
        if hits:
            hits_list.highlighted = 0
            self._preview(hits[0].id)

    @on(Input.Submitted, "#browser-search")
    def _open_top_hit(self, event: Input.Submitted) -> None:
        hits_list = self.query_one("#browser-hits", OptionList)
        if hits_list.display and hits_list.option_count:
            option = hits_list.get_option_at_index(hits_list.highlighted or 0)
            if option.id:
                self.coach.open_entry(option.id)

    def on_key(self, event) -> None:  # noqa: ANN001
        """Down from the search field moves into the list below it."""
        if event.key == "down" and self.focused is self.query_one("#browser-search"):
            target = "#browser-hits" if self.query_one("#browser-hits").display else "#browser-tree"
            self.query_one(target).focus()
            event.stop()

    def action_search(self) -> None:
        """Focus the search field."""
        self.query_one("#browser-search", Input).focus()

    # --- selection ------------------------------------------------------------------------------

    def _preview(self, rule_id: str | None) -> None:
        self.query_one(EntryView).show(
            self.coach.library, rule_id, self.lang, placeholder=self.tr("browser.pick")
        )

    def _selected_id(self) -> str | None:
        focused = self.focused
        if isinstance(focused, OptionList) and focused.id in ("browser-tree", "browser-hits"):
            if focused.highlighted is not None:
                return focused.get_option_at_index(focused.highlighted).id
        return self.query_one(EntryView).rule_id

    @on(OptionList.OptionHighlighted, "#browser-tree")
    def _tree_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(event.option.id)

    @on(OptionList.OptionSelected, "#browser-tree")
    def _tree_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.coach.open_entry(event.option.id)

    @on(OptionList.OptionHighlighted, "#browser-hits")
    def _hit_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(event.option.id)

    @on(OptionList.OptionSelected, "#browser-hits")
    def _hit_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.coach.open_entry(event.option.id)

    @on(EntryView.LinkFollowed)
    def _follow(self, event: EntryView.LinkFollowed) -> None:
        self.coach.open_entry(event.rule_id)

    @on(EntryView.AccountsChosen)
    def _accounts(self, event: EntryView.AccountsChosen) -> None:
        self.coach.open_screen("accounts")

    def action_walk(self) -> None:
        """Walk through the highlighted entry."""
        rule_id = self._selected_id()
        if rule_id:
            self.coach.start_walkthrough(rule_id)
