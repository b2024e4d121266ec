"""The screens the home page, the help and the command palette list, without importing them.

A screen module pulls in what it works on (the store, the role-play engine, the plan models), so the app
imports one when it is first opened (``CoachApp.open_screen``), not at start. Each entry carries what
the lists show (id, title and one-line description per language, whether it needs the playbooks); a test
checks that these agree with the screen class itself.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.i18n import menu

if TYPE_CHECKING:
    from coach.tui.screens.base import CoachScreen


@dataclass(frozen=True, eq=False)
class ScreenEntry:
    """A registered screen: where its class lives and what the home page shows for it."""

    SCREEN_ID: str
    module: str
    name: str
    MENU: dict[str, tuple[str, str]] = field(repr=False)
    NEEDS_CONTENT: bool = True
    ON_HOME: bool = True

    @classmethod
    def of(cls, screen: type[CoachScreen]) -> ScreenEntry:
        """The entry of a screen class that is already imported (tests register their own)."""
        return cls(
            screen.SCREEN_ID,
            screen.__module__,
            screen.__qualname__,
            screen.MENU,
            screen.NEEDS_CONTENT,
            screen.ON_HOME,
        )

    @property
    def imported(self) -> type[CoachScreen] | None:
        """The class when its module is already imported (opening it then takes no time), else None."""
        module = sys.modules.get(self.module)
        return getattr(module, self.name, None) if module is not None else None

    def load(self) -> type[CoachScreen]:
        """The class, importing its module if needed."""
        return getattr(importlib.import_module(self.module), self.name)  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ScreenEntry):
            return (self.module, self.name) == (other.module, other.name)
        if isinstance(other, type):  # `RoleplayScreen in app.registered()`
            return (self.module, self.name) == (other.__module__, other.__qualname__)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.module, self.name))


_S = "coach.tui.screens."

SCREENS: list[ScreenEntry] = [
    ScreenEntry(
        "coach",
        _S + "situation",
        "SituationScreen",
        menu("coach.menu"),
    ),
    ScreenEntry(
        "browse",
        _S + "browser",
        "BrowserScreen",
        menu("browser.menu"),
    ),
    ScreenEntry(
        "saved",
        _S + "saved",
        "SavedScreen",
        menu("saved.menu"),
        NEEDS_CONTENT=False,
    ),
    ScreenEntry(
        "concessions",
        _S + "concessions",
        "ConcessionScreen",
        menu("log.menu"),
        NEEDS_CONTENT=False,
    ),
    ScreenEntry(
        "roleplay",
        _S + "roleplay",
        "RoleplayScreen",
        menu("rp.menu"),
    ),
    ScreenEntry("prep", _S + "plan", "PlanScreen", menu("plan.menu"), NEEDS_CONTENT=False),
    ScreenEntry(
        "training",
        _S + "training",
        "TrainingScreen",
        menu("training.menu"),
    ),
    ScreenEntry(
        "accounts",
        _S + "accounts",
        "AccountsScreen",
        menu("acc.menu"),
        NEEDS_CONTENT=False,
    ),
    ScreenEntry(
        "help",
        _S + "help",
        "HelpScreen",
        menu("help.menu"),
        NEEDS_CONTENT=False,
    ),
]
"""Screens the home page and the command palette open, in home-page order (one line per screen)."""
