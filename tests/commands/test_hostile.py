"""Issue 11: hostile files and faults end in one line and exit 2 — no hang, no traceback, no lost edit.

Each test is named after the defect it covers (``test_d6_...`` is item 6 of the issue). Work is bounded
by the code under test (sizes, depths, alias counts), never by a timer.
"""

from __future__ import annotations

import argparse

import pytest

from coach.cli import build_parser, main


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as done:  # usage errors leave through argparse
        code = done.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str) -> str:
    """Exit 2 and exactly one ``coach: ...`` line on stderr, no traceback."""
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coach: "), err
    return lines[0]


# ------------------------------------------------------------------------------- 6. --help of every verb


def _verb_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out += _verb_paths(sub, (*prefix, name))
    return out


VERB_PATHS = _verb_paths(build_parser())


def test_d6_help_lists_every_sub_verb():
    assert ("log", "add") in VERB_PATHS and ("prep", "edit") in VERB_PATHS and len(VERB_PATHS) > 30


@pytest.mark.parametrize("path", VERB_PATHS, ids=lambda p: " ".join(p) or "coach")
def test_d6_help_of_every_verb_and_sub_verb(capsys, path):
    with pytest.raises(SystemExit) as done:
        main([*path, "--help"])
    out, err = capsys.readouterr()
    assert done.value.code == 0, err
    assert "usage: coach" in out and "Traceback" not in err


# ------------------------------------------------------------------- 3. ids beyond SQLite's integer range

HUGE = "99999999999999999999999"
ID_ARGUMENTS = [
    ("prep", "show", HUGE),
    ("prep", "show", "1", "--version", HUGE),
    ("prep", "edit", HUGE, "--note", "x"),
    ("prep", "export", HUGE),
    ("prep", "export", "1", "--version", HUGE),
    ("prep", "brief", HUGE),
    ("prep", "brief", "1", "--version", HUGE),
    ("sessions", "show", HUGE),
    ("sessions", "export", HUGE, "--format", "md"),
    ("walkthroughs", "show", HUGE),
    ("walkthroughs", "export", HUGE),
    ("log", "add", "--corrects", HUGE, "--value", "1"),
    ("log", "add", "--withdraws", HUGE),
]


@pytest.mark.parametrize("argv", ID_ARGUMENTS, ids=" ".join)
def test_d3_ids_beyond_sqlite_integer_range_are_no_such_record(capsys, tmp_path, monkeypatch, argv):
    db = tmp_path / "coach.sqlite3"
    monkeypatch.setenv("COACH_DB", str(db))
    line = one_line_error(*run(capsys, *argv)[::2])
    assert "there is no" in line and HUGE in line
    assert not db.exists()  # refused before anything was opened


def test_d3_largest_sqlite_id_is_still_looked_up(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DB", str(tmp_path / "coach.sqlite3"))
    line = one_line_error(*run(capsys, "prep", "show", str(2**63 - 1))[::2])
    assert "there is no plan" in line
