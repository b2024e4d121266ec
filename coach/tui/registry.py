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

from coach.tui import accounts_i18n, plan_i18n

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


def _plan_menu() -> dict[str, tuple[str, str]]:
    return {
        lang: (plan_i18n.STRINGS[lang]["plan.menu"], plan_i18n.STRINGS[lang]["plan.menu.about"])
        for lang in ("en", "zh")
    }


_S = "coach.tui.screens."

SCREENS: list[ScreenEntry] = [
    ScreenEntry(
        "coach",
        _S + "situation",
        "SituationScreen",
        {
            "en": (
                "Handle a situation now",
                "Describe what the customer said or did; get the playbook for it.",
            ),
            "zh": ("现在就处理一个情况", "描述客户说了什么、做了什么，找到对应的手册。"),
        },
    ),
    ScreenEntry(
        "browse",
        _S + "browser",
        "BrowserScreen",
        {
            "en": (
                "Browse the playbooks",
                "Difficult customers, complaints, buyer tactics, the eight principles.",
            ),
            "zh": ("浏览应对手册", "难缠的客户、客户投诉、采购策略和八大谈判原则。"),
        },
    ),
    ScreenEntry(
        "saved",
        _S + "saved",
        "SavedScreen",
        {
            "en": (
                "Saved walk-throughs",
                "Walk-throughs you saved, with ticks and notes; export them as Markdown.",
            ),
            "zh": ("已保存的演练", "保存过的演练，含勾选和笔记；可导出为 Markdown。"),
        },
        NEEDS_CONTENT=False,
    ),
    ScreenEntry(
        "concessions",
        _S + "concessions",
        "ConcessionScreen",
        {
            "en": (
                "Concession log",
                "Log each concession and what it bought; review before the next meeting.",
            ),
            "zh": ("让步记录", "记下每次让步和换回的东西；下次谈判前回顾一遍。"),
        },
        NEEDS_CONTENT=False,
    ),
    ScreenEntry(
        "roleplay",
        _S + "roleplay",
        "RoleplayScreen",
        {
            "en": (
                "Role-play practice",
                "Practise against a simulated buyer: feedback per reply, then a debrief.",
            ),
            "zh": ("角色扮演练习", "和模拟采购对练：每句回复都有点评，最后复盘。"),
        },
    ),
    ScreenEntry("prep", _S + "plan", "PlanScreen", _plan_menu(), NEEDS_CONTENT=False),
    ScreenEntry(
        "training",
        _S + "training",
        "TrainingScreen",
        {
            "en": ("Training", "Drills, principle quiz and progress per trainee."),
            "zh": ("培训练习", "学员的情境识别练习、原则测验和学习进度。"),
        },
    ),
    ScreenEntry(
        "accounts",
        _S + "accounts",
        "AccountsScreen",
        accounts_i18n.menu(),
        NEEDS_CONTENT=False,
    ),
    ScreenEntry(
        "help",
        _S + "help",
        "HelpScreen",
        {
            "en": ("Help", "Keys, screens, and how matching works."),
            "zh": ("帮助", "按键、各个页面以及匹配的原理。"),
        },
        NEEDS_CONTENT=False,
    ),
]
"""Screens the home page and the command palette open, in home-page order (one line per screen)."""
