"""A walk-through's pages as a table: tick, number, kind, text and notes (summary and saved views)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text


def steps_table(rows: Iterable[tuple[bool, str, str, str]], notes_label: str) -> Table:
    """Rows of (done, kind label, text, notes); ``notes_label`` ends with its colon.

    Text folds (Chinese has no spaces to wrap at) and stays literal.
    """
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1, overflow="fold")
    for n, (done, kind, text, notes) in enumerate(rows, 1):
        mark = Text(f"{'✓' if done else '·'} {n}.", style="green" if done else "dim")
        cell = Text(text)
        if notes.strip():
            cell.append("\n")
            cell.append(notes_label, style="italic")
            cell.append(notes.strip(), style="dim")
        grid.add_row(mark, Text(kind), cell)
    return grid
