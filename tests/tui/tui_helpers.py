"""Helpers for the UI tests: a small playbook library, an app on a temporary database, screen text."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from coach.content.compiled import cached_index
from coach.content.loader import Library, load_library
from coach.engine import build_index
from coach.engine.index import Index
from coach.tui.app import CoachApp

DATA = Path(__file__).parent.parent / "data"
MINI = DATA / "mini"


def folder_loader(*folders: Path) -> Callable[[], tuple[Library, Index]]:
    """A loader for the app that reads only ``folders`` (tests do not depend on the shipped playbooks)."""

    def load() -> tuple[Library, Index]:
        lib = load_library(list(folders))
        lib.raise_if_problems()
        return lib, build_index(lib)

    return load


def shipped_loader() -> Callable[[], tuple[Library, Index]]:
    """The app's own loader of the shipped playbooks (as ``run_app`` makes it): the playbook cache, warm in
    every test's home, so a test does not read and index the playbooks again."""
    return lambda: cached_index([])


def make_app(tmp_path: Path, lang: str | None = "en", loader=None, **kwargs) -> CoachApp:  # noqa: ANN001
    """An app on the mini playbooks with its database and settings in ``tmp_path``."""
    return CoachApp(
        loader or folder_loader(MINI),
        db_path=tmp_path / "coach.sqlite3",
        lang=lang,
        settings_path=tmp_path / "settings.json",
        **kwargs,
    )


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    """Run an async test body (the suite has no asyncio plugin)."""
    asyncio.run(scenario())


async def settle(pilot) -> None:  # noqa: ANN001
    """Wait until every worker (loading, matching, saving) has finished and the screen has refreshed. A
    worker cancelled because a newer one of its exclusive group replaced it (a re-read started while the
    first was still running, as on a busy machine) is not an error: the newer one is waited for."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        for _ in range(20):
            try:
                await pilot.app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                await pilot.pause()
        await pilot.pause()


async def matched(pilot, screen) -> None:  # noqa: ANN001
    """Wait past the debounce for the situation coach to redraw its matches."""
    before = screen.updates
    for _ in range(100):
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
        if screen.updates > before and not screen._timer:
            await pilot.pause()
            return
    raise AssertionError("the matches were never redrawn")


def screen_text(app: CoachApp) -> str:
    """What the terminal shows, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


_FRAME = str.maketrans("", "", "│╭╮╰╯─▊▎▔▁▕▏")


def flat(app: CoachApp) -> str:
    """Screen text without box borders, every run of whitespace made one space (for phrases that wrap)."""
    return " ".join(screen_text(app).translate(_FRAME).split())
