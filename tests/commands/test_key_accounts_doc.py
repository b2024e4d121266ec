"""docs/key-accounts.md stays true: each command in its console blocks runs, in order, on an empty database
with the exit code its output implies; outputs that do not depend on the day match the doc exactly."""

from __future__ import annotations

import re
from datetime import date

import pytest
from doc_helpers import DOCS, in_english, pin_today, run, steps

DOC = DOCS / "key-accounts.md"
RUN_ON = date(2026, 12, 7)
"""The day the doc's output was taken (its "not seen for" figures count from it)."""
DATED = re.compile(r"v\d  \d{4}-")  # the history's save times are the run's


def expected_code(output: str) -> int:
    """The exit code a doc's output implies: 2 for a one-line error, 1 for the coach's warnings."""
    return 2 if output.startswith("coach: ") else 1 if output.startswith("- ") else 0


def test_the_walkthrough_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COACH_DB", str(tmp_path / "huamei.sqlite3"))
    in_english(monkeypatch)
    pin_today(monkeypatch, RUN_ON)  # the doc's day, so it reads the same next year
    done = steps(DOC)
    assert len(done) > 15
    for command, expected in done:
        code, shown = run(capsys, command)
        assert code == expected_code(expected), (command, shown)
        if not DATED.search(command + expected):
            assert shown == expected, command


@pytest.mark.parametrize("word", ["coach account map", "coach account coverage", "coach account check"])
def test_the_doc_uses_the_views(word):
    assert word in DOC.read_text(encoding="utf-8")
