"""A playbook entry on screen: summary, steps, lines to say, what to avoid, departments, links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coach.i18n import tr
from coach.tui.widgets.wrapped import Wrapped

if TYPE_CHECKING:
    from coach.content.loader import Library
    from coach.content.models import Rule


def _items(marker: str, texts: list[str], style: str = "") -> Table:
    """A list with a hanging indent, every text literal."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style=style)
    grid.add_column(ratio=1, overflow="fold")
    for i, text in enumerate(texts, 1):
        grid.add_row(Text(marker.format(i=i), style=style), Wrapped(text))  # no line starts with ，。
    return grid


def render_entry(library: Library, rule: Rule, lang: str, *, links_as_text: bool = True) -> RenderableType:
    """The entry in ``lang`` as a Rich renderable (links as text unless listed); text is never markup."""
    r = rule.response
    parts: list[RenderableType] = [
        Text(getattr(rule.title, lang), style="bold"),
        Text(tr(lang, "cat1." + rule.category.value), style="dim"),
        Text(""),
        Wrapped(Text(getattr(rule.summary, lang), style="italic")),
        Text(""),
        Text(tr(lang, "entry.steps"), style="bold underline"),
        _items("{i}.", [getattr(s, lang) for s in r.steps]),
    ]
    if r.say:
        parts += [
            Text(""),
            Text(tr(lang, "entry.say"), style="bold underline"),
            _items("›", [getattr(s, lang) for s in r.say]),
        ]
    if r.avoid:
        parts += [
            Text(""),
            Text(tr(lang, "entry.avoid"), style="bold underline"),
            _items("✗", [getattr(s, lang) for s in r.avoid], style="red"),
        ]
    linked = [(p, getattr(library.rules[p].title, lang)) for p in r.principles if p in library.rules]
    if linked and links_as_text:
        parts += [
            Text(""),
            Text(tr(lang, "entry.principles"), style="bold underline"),
            _items("◆", [t for _, t in linked]),
        ]
    if r.departments:
        parts += [
            Text(""),
            Text.assemble(
                (tr(lang, "entry.departments"), "bold"),
                tr(lang, "list.sep").join(tr(lang, "dep." + d.value) for d in r.departments),
            ),
        ]
    also = [getattr(library.rules[s].title, lang) for s in r.see_also if s in library.rules]
    if also and links_as_text:
        parts += [Text.assemble((tr(lang, "entry.see-also"), "bold"), tr(lang, "list.sep").join(also))]
    return Group(*parts)


ACCOUNTS_LINK = "@accounts"
"""The option id of the way from an account-level entry (``account.*``) to the key-accounts screen."""


def account_link(rule_id: str) -> str | None:
    """The interface-text key of the way to the account's plan for an account-level entry (the map's for
    ``account.relationship``), as ``coach match`` prints it; None for other entries."""
    if not rule_id.startswith("account."):
        return None
    return "entry.account-map" if rule_id == "account.relationship" else "entry.account-plan"


def links_of(library: Library, rule: Rule) -> list[tuple[str, str]]:
    """(kind, rule id) of every entry this one links to: principles first, then see-also; no repeats."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for kind, ids in (("principle", rule.response.principles), ("see-also", rule.response.see_also)):
        for target in ids:
            if target in library.rules and target not in seen and target != rule.id:
                seen.add(target)
                out.append((kind, target))
    return out


class EntryView(VerticalScroll):
    """Shows one entry; its links (principles, see also) are an option list that posts ``LinkFollowed``."""

    DEFAULT_CSS = """
    EntryView { height: 1fr; padding: 0 1; }
    EntryView > #entry-body { height: auto; }
    EntryView > #entry-links-label { height: auto; margin-top: 1; color: $text-muted; }
    EntryView > #entry-links { height: auto; max-height: 10; border: none; padding: 0; margin-bottom: 1; }
    EntryView > #entry-links:focus { border: none; }
    """

    class LinkFollowed(Message):
        """The user chose a linked principle or related entry."""

        def __init__(self, rule_id: str) -> None:
            super().__init__()
            self.rule_id = rule_id
            """The entry to open."""

    class AccountsChosen(Message):
        """The user chose the way from an account-level entry to the account's plan (key accounts)."""

    def __init__(self, *, links: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self._links = links
        self.rule_id: str | None = None
        """The entry shown, if any."""

    def compose(self) -> ComposeResult:
        """The entry text, then its links."""
        yield Static(id="entry-body")
        yield Static(id="entry-links-label", markup=False)
        yield OptionList(id="entry-links")

    def show(self, library: Library | None, rule_id: str | None, lang: str, placeholder: str = "") -> None:
        """Show ``rule_id`` in ``lang`` (or ``placeholder`` when there is no entry)."""
        body = self.query_one("#entry-body", Static)
        label = self.query_one("#entry-links-label", Static)
        links = self.query_one("#entry-links", OptionList)
        changed = rule_id != self.rule_id
        self.rule_id = rule_id
        if library is None or rule_id is None or rule_id not in library.rules:
            body.update(Text(placeholder, style="dim"))
            label.display = links.display = False
            return
        rule = library.rules[rule_id]
        body.update(render_entry(library, rule, lang, links_as_text=not self._links))
        targets = links_of(library, rule) if self._links else []
        plan_key = account_link(rule_id) if self._links else None
        count = len(targets) + (1 if plan_key else 0)
        label.display = links.display = bool(count)
        label.update(tr(lang, "entry.links"))
        highlighted = links.highlighted
        links.clear_options()
        if plan_key:  # first: for an account-level situation the account's own plan is the answer
            links.add_option(Option(Text("→ " + tr(lang, plan_key)), id=ACCOUNTS_LINK))
        for kind, target in targets:
            key = "entry.principle-link" if kind == "principle" else "entry.see-also-link"
            title = getattr(library.rules[target].title, lang)
            links.add_option(Option(Text("→ " + tr(lang, key, title=title)), id=target))
        if count:
            links.highlighted = 0 if changed or highlighted is None else min(highlighted, count - 1)
        if changed:
            self.scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#entry-links")
    def _follow(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == ACCOUNTS_LINK:
            self.post_message(self.AccountsChosen())
        elif event.option.id:
            self.post_message(self.LinkFollowed(event.option.id))
