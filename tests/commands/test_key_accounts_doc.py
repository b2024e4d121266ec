"""docs/key-accounts.md stays true: each command in its console blocks runs, in order, on an empty database
with the exit code its output implies; outputs that do not depend on the day match the doc exactly."""

from __future__ import annotations

import re
import shlex
from datetime import date
from pathlib import Path

import pytest

from coach.cli import main

DOC = Path(__file__).parents[2] / "docs" / "key-accounts.md"
RUN_ON = date(2026, 12, 7)
"""The day the doc's output was taken (its "not seen for" figures count from it)."""
DATED = re.compile(r"v\d  \d{4}-")  # the history's save times are the run's


def steps() -> list[tuple[str, str]]:
    """(command, output) pairs of the doc's console blocks, in order."""
    out: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S):
        command: str | None = None
        lines: list[str] = []
        pending = ""
        for line in block.splitlines():
            if pending or line.startswith("$ "):
                text = pending + (line[2:] if not pending else line.strip())
                if text.endswith("\\"):
                    pending = text[:-1].rstrip() + " "
                    continue
                pending = ""
                if command is not None:
                    out.append((command, "\n".join(lines)))
                command, lines = text, []
            else:
                lines.append(line)
        if command is not None:
            out.append((command, "\n".join(lines)))
    return out


class _Day(date):
    @classmethod
    def today(cls) -> date:  # type: ignore[override]
        return RUN_ON


def test_the_walkthrough_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COACH_DB", str(tmp_path / "huamei.sqlite3"))
    monkeypatch.setattr("coach.review.accounts.date", _Day)  # the doc's day, so it reads the same next year
    monkeypatch.setattr("coach.store.accounts.date", _Day)
    done = steps()
    assert len(done) > 15
    for command, expected in done:
        argv = shlex.split(command)
        assert argv[0] == "coach", command
        code = main(argv[1:])
        out, err = capsys.readouterr()
        shown = (out + err).rstrip("\n")
        want = 2 if expected.startswith("coach: ") else 1 if expected.startswith("- ") else 0
        assert code == want, (command, shown)
        if not DATED.search(command + expected):
            assert shown == expected, command


@pytest.mark.parametrize("word", ["coach account map", "coach account coverage", "coach account check"])
def test_the_doc_uses_the_views(word):
    assert word in DOC.read_text(encoding="utf-8")
