"""Role-play pieces: one exchange (the customer's line, the reply, feedback beside it) and the scorecard.

Everything the trainee typed or the scenario says is shown as Rich ``Text`` (never parsed as markup).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from coach.i18n import tr
from coach.roleplay.render import feedback_items, short_title, t
from coach.tui.widgets.wrapped import Wrapped


def customer_text(speaker: dict[str, str] | None, line: dict[str, str] | None, lang: str) -> Text:
    """``Name: “line”`` with the name in bold."""
    return Text.assemble(
        (t(speaker, lang), "bold"), tr(lang, "roleplay.colon"), tr(lang, "roleplay.q", text=t(line, lang))
    )


def feedback_text(exchange: dict[str, Any], lang: str) -> Text:
    """The feedback on one reply: good behaviours in green, bad ones in red, details dimmed."""
    out = Text()
    for depth, line in feedback_items(exchange, lang):
        if out:
            out.append("\n")
        if depth == 0 and line.startswith("✓"):
            out.append(line, style="bold green")
        elif depth == 0 and line.startswith("✗"):
            out.append(line, style="bold red")
        elif line.startswith("‼"):
            out.append("  " + line, style="bold red")
        elif depth == 0:
            out.append(line, style="italic")
        else:
            out.append("  " + line, style="dim")
    return out


class ExchangeView(Vertical):
    """The customer's line, then the trainee's reply with the feedback on it beside it."""

    DEFAULT_CSS = """
    ExchangeView { height: auto; margin-bottom: 1; }
    ExchangeView .rp-customer { height: auto; }
    ExchangeView .rp-row { height: auto; }
    ExchangeView .rp-reply { width: 2fr; height: auto; padding: 0 1; border-left: thick $primary; }
    ExchangeView .rp-feedback { width: 3fr; height: auto; padding: 0 1; }
    ExchangeView.-retried .rp-reply { text-style: strike; color: $text-muted; border-left: thick $warning; }
    ExchangeView.-retried .rp-feedback { color: $text-muted; }
    """

    def __init__(self, exchange: dict[str, Any], lang: str) -> None:
        super().__init__(classes="-retried" if exchange.get("retried") else "")
        self.exchange = exchange
        """The exchange shown (the shape saved in the database)."""
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Customer line above; reply and feedback side by side."""
        ex, lang = self.exchange, self.lang
        yield Static(Wrapped(customer_text(ex["speaker"], ex["line"], lang)), classes="rp-customer")
        you = Text.assemble((tr(lang, "roleplay.you"), "bold"))
        if ex.get("retried"):
            you.append(tr(lang, "roleplay.retried.tag"), style="italic")
        you.append(tr(lang, "roleplay.colon"))
        you.append(ex["reply"])
        with Horizontal(classes="rp-row"):
            yield Static(Wrapped(you), classes="rp-reply")
            yield Static(Wrapped(feedback_text(ex, lang)), classes="rp-feedback")


def scorecard_text(rows: Iterable[dict[str, Any]], lang: str, heading: str) -> Text:
    """The eight principles with their running scores, as bars (green for plus, red for minus)."""
    out = Text(heading, style="bold")
    for i, row in enumerate(rows, 1):
        score = int(row["score"])
        style = "green" if score > 0 else "red" if score < 0 else "dim"
        bar = ("■" * min(abs(score), 8)) or "·"
        out.append(f"\n{score:+d} {bar:<3} ", style=style)
        out.append(f"{i}. {short_title(t(row['title'], lang))}", style="" if score else "dim")
    return out
