"""``coach walkthroughs list|show|export``: read what the UI saved."""

from __future__ import annotations

import json

from coach.cli import main
from coach.store import walkthroughs as wts
from coach.store.db import connect


def _seed(db):
    conn = connect(db)
    ids = [
        wts.save(
            conn,
            wts.Walkthrough(
                "tactic.nibble",
                "The nibble",
                "en",
                [wts.StepRecord("step", "Treat it as new.", True, "[bold]n[/]")],
                label="March",
            ),
        ),
        wts.save(
            conn, wts.Walkthrough("tactic.nibble", "得寸进尺", "zh", [wts.StepRecord("step", "当作新要求。")])
        ),
    ]
    conn.close()
    return ids


def test_list_show_export(tmp_path, capsys):
    db = tmp_path / "c.sqlite3"
    first, second = _seed(db)
    assert main(["walkthroughs", "list", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[0] == str(second) and "得寸进尺" in out[0]
    assert "The nibble  [March]" in out[1] and "1/1" in out[1]

    assert main(["walkthroughs", "list", "--json", "--db", str(db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[1] == {
        "id": first,
        "rule_id": "tactic.nibble",
        "title": "The nibble",
        "lang": "en",
        "label": "March",
        "saved_at": rows[1]["saved_at"],
        "done": 1,
        "steps": 1,
    }

    assert main(["walkthroughs", "show", str(first), "--db", str(db)]) == 0
    assert "> \\[bold\\]n\\[/\\]" in capsys.readouterr().out

    target = tmp_path / "out.md"
    assert (
        main(["walkthroughs", "export", str(second), "--format", "md", "-o", str(target), "--db", str(db)])
        == 0
    )
    assert target.read_text(encoding="utf-8").startswith("# 逐步演练：得寸进尺")
    capsys.readouterr()
    assert main(["walkthroughs", "export", str(second), "-o", str(target), "--db", str(db)]) == 2
    assert "already exists; nothing was written" in capsys.readouterr().err


def test_unknown_id_is_exit_2_one_line(tmp_path, capsys):
    db = tmp_path / "c.sqlite3"
    _seed(db)
    assert main(["walkthroughs", "show", "99", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no walk-through with id 99" in err


def test_empty_list_says_how_to_make_one(tmp_path, capsys):
    assert main(["walkthroughs", "list", "--db", str(tmp_path / "new.sqlite3")]) == 0
    assert "press w" in capsys.readouterr().err
