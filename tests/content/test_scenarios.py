"""Scenario files: the model, and every check on a graph of turns, one bad file per failure mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach import locations
from coach.content.scenarios import Scenario, load_default, load_scenarios

DATA = Path(__file__).parent.parent / "data"
BAD = DATA / "scenarios-bad"
OK = DATA / "scenarios-ok"

# file -> (line:col, path, part of the message): each file breaks exactly one thing.
FAILURES = {
    "unknown_node": ("19:15", "turns.ask.branches[0].goto", "unknown node 'dael'; did you mean 'deal'?"),
    "unknown_start": ("12:8", "start", "unknown node 'opening': not a turn (turns: ask)"),
    "unknown_taxonomy": (
        "15:16",
        "turns.ask.situation",
        "unknown taxonomy id 'tactic.nible'; did you mean 'tactic.nibble'?",
    ),
    "unknown_behaviour": (
        "18:22",
        "turns.ask.branches[0].when.has[0]",
        "unknown reply behaviour 'reply.conditional-concesion'; did you mean 'reply.conditional-concession'?",
    ),
    "unknown_speaker": ("16:14", "turns.ask.speaker", "unknown speaker 'director' (add it under `cast:`)"),
    "unknown_field": ("18:7", "turns.ask.brances", "unknown field 'brances'; did you mean 'branches'?"),
    "missing_default": ("15:5", "turns.ask.default", "required field is missing"),
    "comparator_without_var": ("18:15", "turns.ask.branches[0].when", "`below` needs `var:`"),
    "empty_condition": (
        "18:15",
        "turns.ask.branches[0].when",
        "an empty condition always holds; use `default:` instead",
    ),
    "turn_and_ending": ("23:8", "endings.ask", "'ask' is both a turn and an ending"),
    "unreachable": ("22:5", "turns.orphan", "unreachable: no branch leads here from the start ('ask')"),
    "no_way_out": ("24:5", "turns.loop-a", "no way out: no ending can be reached from this turn"),
    "used_before_set": (
        "28:21",
        "turns.check.branches[0].when.var",
        "variable 'mood' is used before it is set on some path from the start",
    ),
    "unknown_variable": (
        "18:21",
        "turns.ask.branches[0].when.var",
        "unknown variable 'patiance': it is never set (declare it under `variables:` with an initial "
        "value); did you mean 'patience'?",
    ),
    "duplicate_key": ("17:3", "turns.ask", "duplicate key"),
    "syntax": ("4:6", "", "invalid YAML"),
    "not_a_scenario": ("2:1", "", "expected a scenario"),
}


@pytest.mark.parametrize("name", sorted(FAILURES))
def test_each_bad_file_gives_one_located_problem(name):
    where, path, message = FAILURES[name]
    found = load_scenarios([BAD / f"{name}.yaml"])
    assert not found.scenarios
    first = found.problems[0]
    assert first.startswith(f"{BAD / name}.yaml:{where}: ".replace(str(Path.cwd()) + "/", "")), first
    if path:
        assert f": {path}: " in first, first
    assert message in first, first


def test_no_way_out_names_every_trapped_turn():
    problems = load_scenarios([BAD / "no_way_out.yaml"]).problems
    assert [p.split(": ")[1] for p in problems] == ["turns.loop-a", "turns.loop-b"]


def test_every_failure_mode_has_a_file_and_the_base_is_valid():
    on_disk = {p.stem for p in BAD.glob("*.yaml")}
    # rehearsal and autoplay failures need the playbooks; test_cli_roleplay.py runs them through validate
    assert on_disk - set(FAILURES) == {"rehearsal_fails", "autoplay_never_ends", "autoplay_unreached"}
    found = load_scenarios([OK])
    assert found.problems == [] and set(found.scenarios) == {"mini", "engine-test"}
    for name in ("rehearsal_fails", "autoplay_never_ends", "autoplay_unreached"):
        assert load_scenarios([BAD / f"{name}.yaml"]).problems == [], name


def test_variables_set_on_every_path_are_fine():
    sc_text = (OK / "engine.yaml").read_text(encoding="utf-8")
    assert "set: {mood: 1}" in sc_text  # mood is set on the only path into `boss`, which reads it
    assert load_scenarios([OK / "engine.yaml"]).problems == []


def test_a_later_folder_replaces_a_scenario_and_says_so(tmp_path):
    (tmp_path / "mine.yaml").write_text((OK / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    found = load_scenarios([OK, tmp_path])
    assert found.problems == []
    assert found.sources["mini"].startswith(str(tmp_path / "mine.yaml"))
    assert any("replaces" in n for n in found.notices)


def test_the_same_id_twice_in_one_folder_is_an_error(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text((OK / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    problems = load_scenarios([tmp_path]).problems
    assert len(problems) == 1 and "duplicate scenario id 'mini'" in problems[0] and "b.yaml" in problems[0]


def test_missing_path_is_a_problem_not_a_crash(tmp_path):
    assert load_scenarios([tmp_path / "nope"]).problems[0].endswith("no such file or folder")


def test_shipped_scenarios_load_cleanly_and_cover_the_issue():
    found = load_default()
    assert found.problems == [], found.problems
    assert len(found.scenarios) >= 10
    situations = {s for sc in found.scenarios.values() for s in sc.situations()}
    for needed in (
        "tactic.good-cop-bad-cop",
        "tactic.reject-first-offer",
        "tactic.delay-decision",
        "tactic.impossible-demand",
        "tactic.walkout-pressure",
        "complaint.delivery",
        "complaint.billing",
        "tactic.nibble",
        "difficult.time-pressed",
    ):
        assert needed in situations, needed
    assert locations.shipped_scenarios_dir().is_dir()


@pytest.mark.parametrize("sid", sorted(load_default().scenarios))
def test_shipped_scenarios_are_bilingual_and_rehearsed(sid):
    sc: Scenario = load_default().scenarios[sid]
    texts = [sc.title, sc.setting, sc.objective, sc.persona.name, sc.persona.retailer, *sc.limits]
    texts += [t.line for t in sc.turns.values()] + [e.debrief for e in sc.endings.values()]
    for text in texts:
        assert text.en.strip() and text.zh.strip()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text.zh), text.zh
        assert '"' not in text.zh, f"use Chinese quotes in Chinese text: {text.zh}"
    outcomes = {r.outcome for r in sc.rehearsals}
    assert "success" in outcomes and "fail" in outcomes, "every scenario needs a scripted good and bad path"
    assert sc.blockers, "every shipped scenario names at least one blocker"
