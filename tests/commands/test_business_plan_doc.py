"""docs/business-plan.md stays true: each command in its console blocks runs, in order, on the database the
key-account walk-through leaves (docs/key-accounts.md, replayed on its day), with the exit code its output
implies, and prints what the doc shows (a line "…" stands for lines left out; a match's score is not
compared). The two drafts of the plan are the files beside the sample plan (the doc shows the first and the
diff); the excerpts of Markdown it shows are in the files it writes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from doc_helpers import DOCS, in_english, pin_today, run, shown_as_in_doc, steps
from test_key_accounts_doc import DOC as KEY_ACCOUNTS
from test_key_accounts_doc import RUN_ON as KEY_ACCOUNTS_DAY
from test_key_accounts_doc import expected_code

ROOT = Path(__file__).parents[2]
DOC = DOCS / "business-plan.md"
DRAFTS = [ROOT / "tests" / "data" / "acbp" / f"huamei-2027-draft{n}.yaml" for n in (1, 2)]
RUN_ON = date(2027, 7, 6)
"""The day the doc's meeting is prepared, after the Q2 review: "overdue since" and "not seen for" count
from it."""


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
    in_english(monkeypatch)
    monkeypatch.chdir(tmp_path)
    pin_today(monkeypatch, KEY_ACCOUNTS_DAY)
    for command, expected in steps(KEY_ACCOUNTS):  # "the database of the key-account walk-through"
        assert run(capsys, command)[0] == expected_code(expected), command
    pin_today(monkeypatch, RUN_ON)
    drafts = iter(DRAFTS)
    done = steps(DOC)
    assert len(done) > 15
    for command, expected in done:
        if command.startswith("coach acbp import"):
            (tmp_path / "plan.yaml").write_text(next(drafts).read_text(encoding="utf-8"), encoding="utf-8")
        code, shown = run(capsys, command)
        failed_check = command.startswith("coach acbp check") and "\n  ✗ " in "\n" + expected
        want = 2 if expected.startswith("coach: ") else 1 if failed_check else 0
        assert code == want, (command, shown)
        assert shown_as_in_doc(shown, expected), (command, shown)
    assert (tmp_path / "review-2027-Q2.html").exists()
    written = [f.read_text(encoding="utf-8") for f in tmp_path.glob("*.md")]
    excerpts = re.findall(r"```markdown\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(excerpts) == 2
    for excerpt in excerpts:  # the parts of the brief and of the summary the doc shows
        assert any(excerpt in text for text in written), excerpt
