"""Load the playbooks and build the engine's index: the one call every face (CLI, UI) uses."""

from __future__ import annotations

from pathlib import Path

from coach.content.loader import Library, load_default
from coach.engine.index import Index, build_index


def cached_index(extra_dirs: list[Path] | None = None) -> tuple[Library, Index]:
    """Shipped + user playbooks, validated (a ``ContentError`` on any problem), and their index."""
    lib = load_default(extra_dirs)
    lib.raise_if_problems()
    return lib, build_index(lib)
