"""`coach validate` keeps its examples check (every example through the engine, seen and unseen) under the
playbooks' key: a second run with no file changed reads it back; any change to a playbook runs it again."""

from __future__ import annotations

import os

import pytest

from coach.cli import main

RULE = """\
rules:
  - id: tactic.mine
    category: tactic
    title: {en: "Mine", zh: "我的"}
    summary: {en: "Mine", zh: "我的"}
    match:
      keywords:
        - {term: "zebra crossing", weight: 2}
    response:
      steps: [{en: "do", zh: "做"}]
"""


@pytest.fixture
def counted(monkeypatch):
    """The examples check replaced by one that counts its runs and reports one problem line."""
    runs: list[int] = []

    def check(lib):
        runs.append(len(lib.rules))
        return ["mine.yaml:1:1: the examples check's problem"], [], ["mine.yaml:2:1: its warning"]

    monkeypatch.setattr("coach.content.verify.examples_check", check)
    monkeypatch.setattr("coach.training.checks.validate_drills", lambda lib: [])  # not what is tested here
    return runs


def test_a_second_run_reads_the_check_back_and_a_changed_playbook_runs_it_again(tmp_path, capsys, counted):
    mine = tmp_path / "mine"
    mine.mkdir()
    rule = mine / "mine.yaml"
    rule.write_text(RULE, encoding="utf-8")

    assert main(["validate", "--playbooks", str(mine)]) == 1
    first = capsys.readouterr()
    assert "the examples check's problem" in first.out and "its warning" in first.out
    assert len(counted) == 1

    assert main(["validate", "--playbooks", str(mine)]) == 1
    again = capsys.readouterr()
    assert len(counted) == 1  # read back, not run again
    assert again.out == first.out

    assert main(["validate", "-q", "--playbooks", str(mine)]) == 1
    quiet = capsys.readouterr().out
    assert "the examples check's problem" in quiet and "its warning" not in quiet and len(counted) == 1

    rule.write_text(RULE.replace("zebra crossing", "zebra stripes"), encoding="utf-8")
    assert main(["validate", "--playbooks", str(mine)]) == 1
    assert len(counted) == 2  # the playbook changed: checked again


def test_a_damaged_kept_check_is_run_again(tmp_path, capsys, counted):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "mine.yaml").write_text(RULE, encoding="utf-8")
    main(["validate", "--playbooks", str(mine)])
    kept = next(p for p in (tmp_path / "coach-home" / "cache").iterdir() if p.name.startswith("examples"))
    kept.unlink()  # the cache is replaced, never written into
    kept.write_bytes(b"\x00not marshal")
    capsys.readouterr()
    assert main(["validate", "--playbooks", str(mine)]) == 1
    assert len(counted) == 2 and "the examples check's problem" in capsys.readouterr().out
    assert os.path.getsize(kept) > 20  # replaced by a good one
