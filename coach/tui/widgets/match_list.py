"""Ranked matches for a situation: title, score, category and why each matched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coach.engine.match import explanation
from coach.i18n import tr

if TYPE_CHECKING:
    from coach.content.loader import Library
    from coach.engine.match import MatchResult, RuleMatch

BAR_WIDTH = 10


def score_bar(score: float, width: int = BAR_WIDTH) -> str:
    """A bar of ``width`` cells, filled in proportion to ``score`` (0..1)."""
    filled = max(0, min(width, round(score * width)))
    return "█" * filled + "░" * (width - filled)


def match_prompt(library: Library, match: RuleMatch, position: int, lang: str) -> Group:
    """One match: title, score bar, category and reasons (indented under the title); all text literal."""
    rule = library.rules[match.id]
    head = Text()
    head.append(f"{position}. ", style="bold")
    head.append(getattr(rule.title, lang), style="bold")
    head.append("  ")
    head.append(score_bar(match.score), style="yellow" if match.ambiguous else "green")
    head.append(" " + tr(lang, "coach.score", score=match.score))
    if match.ambiguous:
        head.append("  " + tr(lang, "coach.close"), style="yellow")
    detail = Text()
    detail.append(tr(lang, "cat1." + rule.category.value), style="dim")
    why = explanation(match, lang)
    if why:
        detail.append("\n")
        detail.append(tr(lang, "coach.why"), style="italic")
        detail.append(why, style="dim")
    return Group(head, Padding(detail, (0, 0, 0, 3)))


class MatchList(OptionList):
    """The ranked matches of the last situation text; option ids are rule ids."""

    DEFAULT_CSS = """
    MatchList { height: 1fr; }
    MatchList > .option-list--option { padding: 0 1; }
    """

    def show_result(self, library: Library, result: MatchResult | None, lang: str) -> None:
        """Show ``result``'s matches, keeping the highlighted entry when it is still there."""
        keep = self.highlighted_id
        self.clear_options()
        if result is None:
            return
        for pos, match in enumerate(result.matches, 1):
            if match.id in library.rules:
                self.add_option(Option(match_prompt(library, match, pos, lang), id=match.id))
        if self.option_count:
            ids = [self.get_option_at_index(i).id for i in range(self.option_count)]
            self.highlighted = ids.index(keep) if keep in ids else 0

    @property
    def highlighted_id(self) -> str | None:
        """The rule id of the highlighted match, if any."""
        if self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id
