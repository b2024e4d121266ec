"""Issue 11: hostile files and faults end in one line and exit 2 — no hang, no traceback, no lost edit.

Each test is named after the defect it covers (``test_d6_...`` is item 6 of the issue). Work is bounded
by the code under test (sizes, depths, alias counts), never by a timer.
"""

from __future__ import annotations

import argparse

import pytest

from coach.cli import build_parser, main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
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
