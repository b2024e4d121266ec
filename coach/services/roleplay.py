"""Role-play scenarios as `coach roleplay`, `coach validate` and the role-play screen load them: checked
against the ids the playbooks know, and (for validate) rehearsed and auto-played. Library in, values out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from coach.content.library import Library
from coach.content.loader import reply_ids, situation_ids
from coach.content.scenarios import ScenarioSet, load_default
from coach.roleplay.checks import autoplay as run_autoplay
from coach.roleplay.checks import autoplay_problems, autoplay_summary, rehearse
from coach.roleplay.engine import Kit


def known_ids(lib: Library) -> tuple[set[str], set[str]]:
    """Situation and behaviour ids a scenario may name: the taxonomy's and the loaded playbooks'."""
    return set(situation_ids()) | set(lib.rules), set(reply_ids()) | set(lib.behaviours)


def load_scenarios(lib: Library, extra: Sequence[Path] = ()) -> ScenarioSet:
    """The shipped scenarios, then ``extra`` files or folders, each checked against ``known_ids(lib)``;
    problems and notices are in the set, for the caller to report."""
    situations, behaviours = known_ids(lib)
    return load_default(list(extra), situations=situations, behaviours=behaviours)


def check_scenarios(
    lib: Library, extra: Sequence[Path], *, autoplay: int = 0, seed: int = 0
) -> tuple[list[str], list[str], int]:
    """For ``coach validate``: load and check shipped + extra scenarios, play their rehearsals and, with
    ``autoplay``, N seeded random runs each. Returns (problems, figures, number of scenarios)."""

    found = load_scenarios(lib, extra)
    problems = list(found.problems)
    figures: list[str] = [f"note: {n}" for n in found.notices]
    if not lib.behaviours or not found.scenarios:
        return problems, figures, len(found.scenarios)
    kit = Kit.build(lib)
    for sid, sc in found.scenarios.items():
        doc = found.documents[sid]
        problems += rehearse(sc, kit, doc)
        if autoplay > 0:
            report = run_autoplay(sc, kit, autoplay, seed=seed)
            problems += autoplay_problems(sc, report, doc)
            figures.append("autoplay: " + autoplay_summary(sc, report))
    return problems, figures, len(found.scenarios)
