"""docs/business-plan.md stays true: each command in its console blocks runs, in order, on a database with
only the account in it, with the exit code its output implies, and prints exactly what the doc shows. The
two drafts of the plan are the files beside the sample plan (the doc shows the first and the diff)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from coach.cli import main

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "business-plan.md"
DRAFTS = [ROOT / "tests" / "data" / "acbp" / f"huamei-2027-draft{n}.yaml" for n in (1, 2)]


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


def test_the_doc_shows_the_first_draft_and_the_changes_of_the_second():
    doc = DOC.read_text(encoding="utf-8")
    first, second = (p.read_text(encoding="utf-8") for p in DRAFTS)
    assert first.rstrip() in doc
    diff = re.search(r"```diff\n(.*?)```", doc, flags=re.S)
    assert diff is not None
    added = [
        line[1:] for line in diff.group(1).splitlines() if line.startswith("+") and not line.startswith("+++")
    ]
    assert added and all(line in second.splitlines() for line in added)


def test_the_walkthrough_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COACH_DB", str(tmp_path / "huamei.sqlite3"))
    monkeypatch.chdir(tmp_path)
    assert main(["account", "add", "Huamei Supermarkets", "--tier", "national"]) == 0
    capsys.readouterr()
    drafts = iter(DRAFTS)
    done = steps()
    assert len(done) > 15
    for command, expected in done:
        argv = shlex.split(command)
        assert argv[0] == "coach", command
        if argv[1:3] == ["acbp", "import"]:
            (tmp_path / "plan.yaml").write_text(next(drafts).read_text(encoding="utf-8"), encoding="utf-8")
        code = main(argv[1:])
        out, err = capsys.readouterr()
        shown = (out + err).rstrip("\n")
        failed_check = argv[1:3] == ["acbp", "check"] and "\n  ✗ " in "\n" + expected
        want = 2 if expected.startswith("coach: ") else 1 if failed_check else 0
        assert code == want, (command, shown)
        assert shown == expected, command
    assert (tmp_path / "review-2027-Q2.html").exists()
