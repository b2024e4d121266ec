"""Command palette providers: every registered screen and every action, and every playbook entry by name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from coach.i18n import tr
from coach.tui.bindings import label_key

if TYPE_CHECKING:
    from coach.tui.app import CoachApp

Command = tuple[str, str, Callable[[], Any]]


def highlight(matcher: Matcher, text: str) -> Content:
    """``text`` literally (``Matcher.highlight`` would read it as markup), matched letters styled."""
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class CoachCommands(Provider):
    """Screens, app actions (language, theme, help, quit) and the current screen's own actions."""

    @property
    def coach(self) -> CoachApp:
        """The running app, typed."""
        return self.app  # type: ignore[return-value]

    def commands(self) -> Iterator[Command]:
        """Every command as (title, help, callback), in the current language."""
        app = self.coach
        lang = app.lang
        for cls in app.registered():
            title, about = cls.MENU.get(lang) or cls.MENU["en"]
            yield tr(lang, "cmd.goto", title=title), about, partial(app.open_screen, cls.SCREEN_ID)
        yield tr(lang, "cmd.home"), tr(lang, "cmd.home.help"), app.action_home
        yield tr(lang, "cmd.language"), tr(lang, "cmd.language.help"), app.action_toggle_language
        yield tr(lang, "cmd.theme"), tr(lang, "cmd.theme.help"), app.action_toggle_theme
        yield tr(lang, "cmd.themes"), tr(lang, "cmd.themes.help"), app.action_change_theme
        yield tr(lang, "cmd.keys"), tr(lang, "cmd.keys.help"), app.action_show_help_panel
        yield tr(lang, "cmd.quit"), tr(lang, "cmd.quit.help"), app.action_quit
        # The screen's own actions, from its bindings (each has an id and a label).
        screen = self.screen
        seen: set[str] = set()
        for binding in screen._bindings.key_to_bindings.values():
            for b in binding:
                lk = label_key(b)
                if lk is None or b.id == "back" or b.action in seen:
                    continue
                seen.add(b.action)
                title = tr(lang, lk)
                yield (
                    tr(lang, "cmd.screen-action", title=title),
                    f"{app.get_key_display(b)}",
                    partial(screen.run_action, b.action),
                )

    async def discover(self) -> Hits:
        """All commands, shown when the palette opens."""
        for title, help_text, callback in self.commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        """Commands whose title fuzzily matches the query."""
        matcher = self.matcher(query)
        for title, help_text, callback in self.commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlight(matcher, title), callback, text=title, help=escape(help_text))


class EntryCommands(Provider):
    """Open or walk through any playbook entry by typing part of its title or id."""

    @property
    def coach(self) -> CoachApp:
        """The running app, typed."""
        return self.app  # type: ignore[return-value]

    async def search(self, query: str) -> Hits:
        """Entries whose title (in the current language) or id matches the query."""
        app = self.coach
        if app.library is None:
            return
        lang = app.lang
        matcher = self.matcher(query)
        for rule_id, rule in app.library.rules.items():
            title = getattr(rule.title, lang)
            category = tr(lang, f"cat1.{rule.category.value}")
            help_text = tr(lang, "cmd.entry.help", category=category, id=rule_id)
            for key, action in (
                ("cmd.open-entry", app.open_entry),
                ("cmd.walk-entry", app.start_walkthrough),
            ):
                text = tr(lang, key, title=title)
                score = max(matcher.match(text), matcher.match(rule_id) * 0.9)
                if score > 0:
                    yield Hit(
                        score,
                        highlight(matcher, text),
                        partial(action, rule_id),
                        text=text,
                        help=escape(help_text),
                    )
