"""Role-play scenarios as every face loads them: checked against the ids the loaded playbooks know."""

from __future__ import annotations

from pathlib import Path

from coach.content.loader import load_library, reply_ids, situation_ids
from coach.services.roleplay import known_ids, load_scenarios

MINI = Path(__file__).parent.parent / "data" / "mini"


def test_known_ids_are_the_taxonomys_and_the_loaded_playbooks():
    lib = load_library([MINI])
    situations, behaviours = known_ids(lib)
    assert situations == set(situation_ids()) | set(lib.rules)
    assert behaviours == set(reply_ids()) | set(lib.behaviours)


def test_a_scenario_naming_an_unknown_situation_is_a_problem_of_the_set(tmp_path):
    lib = load_library([MINI])
    shipped = load_scenarios(lib)
    assert shipped.scenarios and not shipped.problems
    bad = tmp_path / "bad.yaml"
    sid = next(iter(shipped.scenarios))
    text = Path(shipped.documents[sid].source).read_text(encoding="utf-8")
    situation = shipped.scenarios[sid].situations()[0]
    bad.write_text(text.replace(f"id: {sid}", "id: my-copy", 1).replace(situation, "tactic.no-such"), "utf-8")
    found = load_scenarios(lib, [bad])
    assert any("tactic.no-such" in p for p in found.problems)
