"""Running a walk-through in docs/ as a test: its console blocks as (command, output) steps, one command run
in-process with its output as a terminal shows it, the doc's day pinned, and a doc's output compared with
what was printed."""

from __future__ import annotations

import contextlib
import re
import shlex
import sys
from datetime import date
from pathlib import Path

import pytest

from coach.cli import main

DOCS = Path(__file__).parents[2] / "docs"
DAY_MODULES = (
    "coach.review.accounts",
    "coach.store.accounts",
    "coach.services.accounts",
    "coach.review.account_summary",
)
"""The modules that count from today: "not seen for", "overdue since", the plan a meeting belongs to."""
LEFT_OUT = "…"
"""A line of a doc's output that stands for lines left out."""
SCORE = re.compile(r"(?<=  score )\d\.\d\d$", re.M)
"""A match's score (it moves as the playbooks grow; the doc shows the one of the day it was written)."""


def steps(doc: Path) -> list[tuple[str, str]]:
    """(command, output) pairs of the doc's console blocks, in order; a command may go on over lines
    ending in a backslash."""
    out: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S):
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


def in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    """No locale that would turn the account verbs' default language to Chinese: the docs are in English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)


def pin_today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """``date.today()`` is ``day`` in the modules that count from today, so the doc reads the same later."""

    class _Day(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return day

    for module in DAY_MODULES:
        monkeypatch.setattr(f"{module}.date", _Day)


def run(capsys: pytest.CaptureFixture[str], command: str) -> tuple[int, str]:
    """Run a doc's ``coach ...`` line in this process: (exit code, standard output and standard error
    in the order a terminal shows them, without the last newline)."""
    argv = shlex.split(command)
    assert argv[0] == "coach", command
    capsys.readouterr()
    with contextlib.redirect_stderr(sys.stdout):  # one stream, in order, as in a terminal
        code = main(argv[1:])
    out, err = capsys.readouterr()
    return code, (out + err).rstrip("\n")


def shown_as_in_doc(shown: str, expected: str) -> bool:
    """True when ``shown`` is the output the doc gives: line by line, where a line ``…`` stands for any
    lines left out, and a match's score is not compared."""
    have = SCORE.sub("", shown).splitlines()
    parts = [p.splitlines() for p in re.split(rf"^{LEFT_OUT}$\n?", SCORE.sub("", expected), flags=re.M)]
    if len(parts) == 1:
        return have == parts[0]
    first, *middle, last = parts
    if have[: len(first)] != first or len(have) < len(first) + len(last):
        return False
    at, end = len(first), len(have) - len(last)
    if last and have[end:] != last:
        return False
    for part in middle:
        while at + len(part) <= end and have[at : at + len(part)] != part:
            at += 1
        if at + len(part) > end:
            return False
        at += len(part)
    return True
