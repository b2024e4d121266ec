"""The glossary of trade terms: it loads with the playbooks, `coach schema` covers it, and `coach validate`
reports one located line per term rendered as another, word the glossary replaces, or 你 said to a buyer —
in playbooks and in scenarios; the shipped text passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach import locations
from coach.cli import main
from coach.content import schemas
from coach.content.glossary import check
from coach.content.loader import load_library

DATA = Path(__file__).parent.parent / "data"
BAD = DATA / "glossary-bad"
LOCATED = re.compile(r"^[^:]+\.yaml:\d+:\d+: ")


@pytest.fixture(scope="module")
def shipped():
    lib = load_library([locations.shipped_playbooks_dir()])
    assert lib.problems == []
    return lib


def _problems_of(file: Path) -> list[str]:
    lib = load_library([locations.shipped_playbooks_dir(), file])
    assert lib.problems == []
    return [p for p in check(lib) if file.name in p]


def test_the_glossary_ships_and_loads(shipped):
    assert {"floor-stack", "end-cap", "flyer", "sell-out", "good-cop", "bad-cop"} <= set(shipped.glossary)
    assert shipped.glossary["floor-stack"].zh[0] == "堆头"
    assert shipped.glossary["end-cap"].zh[0] == "端架"
    assert shipped.glossary["good-cop"].zh == ["红脸"]
    assert shipped.glossary["bad-cop"].zh == ["白脸"]
    assert "黑脸" in shipped.glossary["bad-cop"].avoid_zh


def test_shipped_playbooks_and_scenarios_follow_the_glossary(shipped):
    assert check(shipped, [locations.shipped_scenarios_dir()]) == []


EXPECTED = {
    "floor_stack_as_end_cap.yaml": (
        "floor_stack_as_end_cap.yaml:10:15: rules[0].response.steps[0].en:",
        "the Chinese says 堆头 (floor stack) but the English says 'end-cap'",
    ),
    "end_cap_as_floor_stack.yaml": (
        "end_cap_as_floor_stack.yaml:7:11: rules[0].summary.en:",
        "the Chinese says 端架 (end-cap) but the English says 'floor stack'",
    ),
    "friendly_one_as_bai_lian.yaml": (
        "friendly_one_as_bai_lian.yaml:11:15: rules[0].response.avoid[0].en:",
        "the Chinese says 白脸 (bad cop) but the English says 'friendly one'",
    ),
    "hei_lian.yaml": (
        "hei_lian.yaml:11:15: rules[0].response.steps[0].zh:",
        "write 白脸 (bad cop), not 黑脸",
    ),
    "say_ni.yaml": ("say_ni.yaml:12:15: rules[0].response.say[0].zh:", "calls the buyer 您, not 你"),
    "better_ni.yaml": ("better_ni.yaml:9:13: behaviours[0].better[0].zh:", "calls the buyer 您, not 你"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_playbook_gives_one_located_line(name):
    found = _problems_of(BAD / name)
    assert len(found) == 1, found
    where, what = EXPECTED[name]
    assert where in found[0] and what in found[0], found[0]
    assert LOCATED.match(found[0]) and "\n" not in found[0]


def test_a_scenario_is_checked_too(shipped):
    found = check(shipped, [BAD / "scenario_end_cap.yaml"])
    assert len(found) == 1, found
    assert "scenario_end_cap.yaml:16:16: turns.ask.line.en: the Chinese says 堆头 (floor stack)" in found[0]


def test_what_the_glossary_accepts():
    assert _problems_of(DATA / "glossary-ok" / "ok.yaml") == []


def test_lines_to_our_own_colleagues_may_say_ni(tmp_path):
    (tmp_path / "glossary.yaml").write_text(
        "glossary:\n  - {id: rebate, en: [rebate], zh: [返利]}\ninternal_say: [tactic.glossary-say-ni]\n",
        encoding="utf-8",
    )
    lib = load_library([locations.shipped_playbooks_dir(), BAD / "say_ni.yaml", tmp_path])
    assert lib.problems == []
    assert "tactic.glossary-say-ni" in lib.internal_say
    assert [p for p in check(lib) if "say_ni.yaml" in p] == []


def test_a_user_term_replaces_the_shipped_one_with_a_notice(tmp_path):
    (tmp_path / "glossary.yaml").write_text(
        "glossary:\n  - {id: end-cap, en: [end-cap], zh: [端架]}\n", encoding="utf-8"
    )
    lib = load_library([locations.shipped_playbooks_dir(), tmp_path])
    assert lib.problems == []
    assert lib.glossary["end-cap"].not_en == []
    assert any("glossary term 'end-cap' replaces" in n for n in lib.notices)


def test_a_broken_glossary_file_is_one_located_problem():
    lib = load_library([BAD / "bad_glossary.yaml"])
    assert len(lib.problems) == 1, lib.problems
    assert (
        "bad_glossary.yaml:6:18: glossary[0].not_english: unknown field 'not_english'; did you mean"
        in lib.problems[0]
    )


def test_coach_schema_covers_the_glossary(capsys):
    assert "glossary" in schemas.KINDS
    shipped = (locations.shipped_playbooks_dir() / "glossary.yaml").read_text(encoding="utf-8")
    assert shipped.splitlines()[0] == schemas.modeline("glossary")
    assert main(["schema", "--kind", "glossary"]) == 0
    assert '"glossary"' in capsys.readouterr().out


def test_validate_reports_the_glossary_line_and_fails(tmp_path, monkeypatch, capsys):
    import coach.content.verify as verify

    monkeypatch.setattr(
        verify, "examples_check", lambda lib: ([], [], [])
    )  # the engine's part: tested elsewhere
    monkeypatch.setattr(verify, "verify_behaviours", lambda lib: [])
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "hei_lian.yaml").write_text((BAD / "hei_lian.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert (
        main(["validate", "-q", "--playbooks", str(mine), "--scenarios", str(BAD / "scenario_end_cap.yaml")])
        == 1
    )
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if "hei_lian.yaml" in line] == [
        f"{mine / 'hei_lian.yaml'}:11:15: rules[0].response.steps[0].zh: write 白脸 (bad cop), not 黑脸: "
        "the glossary uses one word for it"
    ]
    assert len([line for line in out if "scenario_end_cap.yaml:16:16" in line]) == 1
