"""Text that wraps by coach's line-breaking rule (a Chinese line never starts with ，。、；：？！」』）】》).

Textual and Rich wrap only at spaces and cut Chinese anywhere; give ``Static.update`` a ``Wrapped`` instead of
a ``Text`` where Chinese prose is shown.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from coach.linebreak import break_offsets, text_width


class Wrapped:
    """A Rich renderable: ``text`` (styles kept, never markup) broken into lines at the width drawn."""

    def __init__(self, text: Text | str) -> None:
        self.text = text if isinstance(text, Text) else Text(text)
        """The text shown."""

    def __str__(self) -> str:
        return self.text.plain

    def lines(self, width: int) -> list[Text]:
        """The lines at ``width`` columns, trailing spaces dropped."""
        offsets = break_offsets(self.text.plain, width)
        out = []
        for part in self.text.divide(offsets):
            part.rstrip()
            if part.plain.endswith("\n"):
                part.right_crop(1)
            out.append(part)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        joined = Text("\n").join(self.lines(options.max_width))
        joined.no_wrap = True
        joined.overflow = "crop"
        yield joined

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((text_width(line) for line in self.text.plain.split("\n")), default=0)
        return Measurement(min(2, longest), min(longest, options.max_width))
