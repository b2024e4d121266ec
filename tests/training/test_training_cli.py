"""`coach train drill|quiz|progress|profiles|export|import` and `coach report` end to end, on a real
SQLite file: scripted answers, the schedule across sittings, a sample class's report figures, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from training_helpers import Trainee, answer, at, dump, play

from coach.cli import main
from coach.store import training
from coach.store.db import connect


def run(monkeypatch, capsys, command: str, *extra: str, stdin: str = "") -> tuple[int, str, str]:
    """Run ``coach COMMAND EXTRA...`` (the command split on spaces) with ``stdin``; (exit code, out, err)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main([*command.split(), *extra])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def drill(monkeypatch, command: str, db: Path, trainee_args: dict) -> tuple[int, str, Trainee]:
    """A drill answered by a scripted ``Trainee`` that reads each question as it is printed."""
    out = io.StringIO()
    trainee = Trainee(out, **trainee_args)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stdin", trainee)
    code = main([*command.split(), "--db", str(db)])
    return code, out.getvalue(), trainee


def questions(out: str) -> list[str]:
    """The situation texts a drill showed, in order."""
    return re.findall(r"^“(.*)”$", out, flags=re.M)


def attempts(path: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM training_attempts ORDER BY id").fetchall()
    finally:
        conn.close()


# ------------------------------------------------------------------------------------------------ drill


def test_drill_scores_what_the_trainee_answers_and_saves_it(monkeypatch, tmp_path):
    db = tmp_path / "c.sqlite3"
    cmd = "train drill --profile Ann --class Spring --seed 5 -n 4 --lang en"
    code, out, trainee = drill(monkeypatch, cmd, db, {"lang": "en", "knows": lambda n: n % 2 == 1})
    assert code == 0
    assert out.startswith("Recognition drill for Ann: 4 questions.")
    assert "Question 1 of 4" in out and "Playbook entry:" in out and "Steps:" in out and "Say:" in out
    rows = attempts(db)
    shown = questions(out)
    assert [json.loads(r["detail"])["text"] for r in rows] == shown
    assert [r["score"] for r in rows] == [2 if n % 2 == 1 else 0 for n in range(1, len(rows) + 1)]
    # questions 2 and 4 were wrong: each came back once, three questions later at most
    assert len(rows) == 6 and shown[4] == shown[1] and shown[5] == shown[3]
    assert "Question 5 of 6 (again: you missed this one earlier)" in out
    assert out.count("(This one comes back in a few questions.)") == 2
    assert out.count("Right: that line fits.") == 3 and out.count("Not quite: this is") == 3
    assert "Drill finished: 3 of 6 questions fully right (6 of 12 points)." in out


def test_same_seed_same_drill(monkeypatch, capsys, tmp_path):
    outs = []
    for name in ("a", "b"):
        db = str(tmp_path / f"{name}.sqlite3")
        code, out, _ = run(
            monkeypatch,
            capsys,
            "train drill --profile 安 --class S --seed 11 -n 4 --lang zh",
            "--db",
            db,
            stdin="2\n3\n" * 10,
        )
        assert code == 0
        outs.append(out)
    assert questions(outs[0]) == questions(outs[1]) and len(questions(outs[0])) >= 4
    assert (
        "安 的情境识别练习" in outs[0] and "这是什么情况？" in outs[0] and "最好的说法是哪一句？" in outs[0]
    )


def test_wrong_items_lead_the_next_sitting(monkeypatch, tmp_path):
    db = tmp_path / "c.sqlite3"
    cmd = "train drill --profile Ann --class S -n 6 --lang en --seed 1"
    drill(monkeypatch, cmd, db, {"lang": "en", "knows": lambda n: n <= 3})
    first = attempts(db)
    assert [r["score"] for r in first] == [2, 2, 2, 0, 0, 0, 0, 0, 0]  # 4-6 wrong, then wrong again
    right = [r["item"] for r in first[:3]]
    wrong = [r["item"] for r in first[3:6]]
    text = {r["item"]: json.loads(r["detail"])["text"] for r in first}

    code, out, _ = drill(
        monkeypatch, cmd.replace("1", "2"), db, {"lang": "en", "knows": lambda n: True, "stop_after": 4}
    )
    assert code == 0 and "Stopped; the answers given so far are saved." in out
    shown = questions(out)
    assert set(shown[:3]) == {text[i] for i in wrong}  # the wrong ones first
    assert shown[3] not in {text[i] for i in right}  # the right ones wait their day
    assert len(attempts(db)) == len(first) + 4

    conn = connect(db)
    sched = training.schedule(conn, training.find_profile(conn, "Ann").id)
    conn.close()
    assert all(sched[i].box == 2 for i in right + wrong)  # wrong twice, then right: box 2 again


def test_invalid_answers_are_asked_again_and_eof_stops(monkeypatch, capsys, tmp_path):
    db = tmp_path / "c.sqlite3"
    code, out, _ = run(
        monkeypatch,
        capsys,
        "train",
        "drill",
        "--profile",
        "Ann",
        "--class",
        "S",
        "--seed",
        "1",
        "-n",
        "2",
        "--db",
        str(db),
        "--lang",
        "en",
        stdin="7\nabc\n\n2\n",
    )
    assert code == 0
    assert out.count("Please answer with a number from 1 to 4, or q to stop.") == 2
    assert "Stopped; the answers given so far are saved." in out
    assert attempts(db) == []  # the first question was half answered


def test_quiz_sitting(monkeypatch, capsys, tmp_path):
    db = tmp_path / "c.sqlite3"
    code, out, _ = run(
        monkeypatch,
        capsys,
        "train",
        "quiz",
        "--profile",
        "Li",
        "--class",
        "S",
        "--seed",
        "3",
        "-n",
        "5",
        "--db",
        str(db),
        "--lang",
        "en",
        stdin="b\n" * 20,
    )
    assert code == 0 and "Principle quiz for Li: 5 questions." in out
    rows = attempts(db)
    assert len(rows) >= 5 and all(r["kind"] == "quiz" for r in rows)
    assert f"Quiz finished: {sum(r['score'] for r in rows)} of {len(rows)} right." in out


# ------------------------------------------------------------------------------------------------ progress


def test_progress_text_and_json(monkeypatch, capsys, tmp_path):
    db = tmp_path / "c.sqlite3"
    conn = connect(db)
    ann = training.create_profile(conn, "Ann", "Spring")
    training.add_attempt(conn, ann.id, answer("drill:1", 0, when=at(1), chosen="tactic.always-wants-more"))
    training.add_attempt(
        conn,
        ann.id,
        answer(
            "quiz:1",
            1,
            kind="quiz",
            area="principle.plan",
            principles=("principle.plan",),
            when=at(2),
            run="r2",
        ),
    )
    play(
        conn,
        "ann",
        [("difficult.emotional", [("reply.argues", False, ["principle.professionalism"])], False)],
    )
    conn.close()
    code, out, _ = run(
        monkeypatch, capsys, "train", "progress", "--profile", "ANN", "--db", str(db), "--lang", "en"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Progress of Ann (class Spring)"
    start = lines.index("By principle, weakest first") + 2
    areas = [line for line in lines[start : start + 15] if not line.startswith("      ")]
    order = [
        next(n for n in ("Win the customer", "Use concessions", "Plan", "Restate") if n in a)
        for a in areas[:4]
    ]
    assert order == ["Win the customer", "Use concessions", "Plan", "Restate"]  # 0%, 0%, 100%, none
    assert areas[2].endswith("100%  █") and areas[3].endswith("not practised yet")
    assert "      Drill - · Quiz - · Role-play 0 good / 1 bad" in lines
    assert "1×  took The nibble for Nothing without something in return" in out
    assert "1×  Argues with the customer (Emotional customer)" in out
    assert "  Empty shelves: 1×  (fail 1)" in lines
    code, out, _ = run(
        monkeypatch,
        capsys,
        "train",
        "progress",
        "--profile",
        "ann",
        "--db",
        str(db),
        "--json",
        "--lang",
        "zh",
    )
    data = json.loads(out)
    assert data["profile"]["name"] == "Ann" and data["drill"] == {"questions": 1, "fully_right": 0}
    assert data["areas"][0]["id"] == "principle.professionalism" and data["areas"][0]["roleplay"] == {
        "good": 0,
        "bad": 1,
    }
    assert data["areas"][0]["title"] == "用专业的表现赢得客户"
    plan = next(a for a in data["areas"] if a["id"] == "principle.plan")
    assert plan["history"] == [{"date": "2025-03-02", "right": 1, "total": 1}]
    assert {m["id"] for m in data["mistakes"]} == {
        "confused:tactic.nibble:tactic.always-wants-more",
        "roleplay:reply.argues:difficult.emotional",
    }


# ------------------------------------------------------------------------------------------------ report


@pytest.fixture()
def sample_class(tmp_path) -> Path:
    """Two trainees of Spring (and one of another class that must not show)."""
    db = tmp_path / "class.sqlite3"
    conn = connect(db)
    ann = training.create_profile(conn, "Ann", "Spring")
    bob = training.create_profile(conn, "Bob <b>", "Spring")
    eve = training.create_profile(conn, "Eve", "Autumn")
    trade = ("principle.trade-concessions",)
    for i, (score, chosen) in enumerate([(2, None), (1, None)]):
        training.add_attempt(
            conn, ann.id, answer(f"drill:n{i}", score, when=at(1, i), seq=i, principles=trade, chosen=chosen)
        )
    training.add_attempt(
        conn,
        ann.id,
        answer(
            "drill:d",
            0,
            when=at(1, 5),
            seq=2,
            area="complaint.delivery",
            principles=("complaint-handling",),
            chosen="complaint.service",
        ),
    )
    quiz = dict(kind="quiz", area="principle.record", principles=("principle.record",), run="q")
    training.add_attempt(conn, ann.id, answer("quiz:r1", 1, when=at(2), seq=0, **quiz))
    training.add_attempt(conn, ann.id, answer("quiz:r2", 0, when=at(2, 1), seq=1, **quiz))
    training.add_attempt(
        conn,
        bob.id,
        answer("quiz:p", 1, when=at(3), kind="quiz", area="principle.plan", principles=("principle.plan",)),
    )
    training.add_attempt(conn, eve.id, answer("drill:n0", 0, when=at(3), principles=trade))
    play(
        conn,
        "Ann",
        [
            ("difficult.emotional", [("reply.argues", False, ["principle.professionalism"])], False),
            (
                "tactic.nibble",
                [("reply.unconditional-concession", False, ["principle.trade-concessions"])],
                False,
            ),
            (
                "tactic.nibble",
                [("reply.unconditional-concession", False, ["principle.trade-concessions"])],
                True,
            ),
        ],
        scenario="nibble-after-close",
        outcome="fail",
    )
    play(
        conn,
        "bob <b>",
        [("tactic.nibble", [("reply.conditional-concession", True, ["principle.trade-concessions"])], False)],
        scenario="nibble-after-close",
        outcome="success",
    )
    play(conn, "Eve", [("tactic.nibble", [("reply.argues", False, ["principle.professionalism"])], False)])
    conn.close()
    return db


def test_report_figures_for_a_sample_class(monkeypatch, capsys, sample_class):
    code, out, err = run(
        monkeypatch,
        capsys,
        "report",
        "--class",
        "spring",
        "--format",
        "csv",
        "--db",
        str(sample_class),
        "--lang",
        "en",
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    klass = [r for r in rows if r["trainee"] == ""]
    assert rows[0]["trainee"] == "" and rows[0]["section"] == "summary"  # the class first
    summary = {r["id"]: int(r["count"]) for r in klass if r["section"] == "summary"}
    assert summary == {
        "trainees": 2,
        "drill_questions": 3,
        "drill_fully_right": 1,
        "quiz_questions": 3,
        "quiz_right": 2,
        "roleplays": 2,
        "roleplays_success": 1,
        "roleplays_partial": 0,
        "roleplays_fail": 1,
        "roleplays_left": 0,
        "roleplays_open": 0,
    }
    area = {r["id"]: r for r in klass if r["section"] == "area"}
    t = area["principle.trade-concessions"]
    assert (t["drill_right"], t["drill_total"], t["roleplay_good"], t["roleplay_bad"], t["score"]) == (
        "3",
        "4",
        "1",
        "1",
        "0.625",
    )
    assert (
        area["principle.record"]["quiz_right"],
        area["principle.record"]["quiz_total"],
        area["principle.record"]["score"],
    ) == ("1", "2", "0.500")
    assert (area["complaint-handling"]["drill_total"], area["complaint-handling"]["score"]) == ("2", "0.000")
    assert area["principle.professionalism"]["roleplay_bad"] == "1"  # Eve's argument is not in this class
    assert area["principle.dont-get-stuck"]["score"] == ""
    areas_in_order = [r["id"] for r in klass if r["section"] == "area"]
    assert areas_in_order[:2] == ["principle.professionalism", "complaint-handling"]  # weakest first (0%)
    ann_mistakes = {
        r["id"]: int(r["count"]) for r in rows if r["trainee"] == "Ann" and r["section"] == "mistake"
    }
    assert ann_mistakes == {
        "roleplay:reply.argues:difficult.emotional": 1,
        "roleplay:reply.unconditional-concession:tactic.nibble": 1,  # the retried reply does not count
        "confused:complaint.delivery:complaint.service": 1,
        "line:tactic.nibble": 1,
        "quiz:principle.record": 1,
    }
    labels = {r["id"]: r["name"] for r in rows if r["section"] == "mistake"}
    assert labels["roleplay:reply.argues:difficult.emotional"].endswith("(Emotional customer)")
    scen = [r for r in rows if r["section"] == "scenario"]
    assert [(r["trainee"], r["id"], r["count"], r["detail"]) for r in scen] == [
        ("", "nibble-after-close", "2", "success=1;fail=1"),
        ("Ann", "nibble-after-close", "1", "fail=1"),
        ("Bob <b>", "nibble-after-close", "1", "success=1"),
    ]
    assert "Eve" not in out


def test_report_markdown_and_html(monkeypatch, capsys, sample_class, tmp_path):
    code, md, _ = run(
        monkeypatch,
        capsys,
        "report",
        "--class",
        "Spring",
        "--format",
        "md",
        "--db",
        str(sample_class),
        "--lang",
        "en",
    )
    assert code == 0
    assert md.index("## Class summary") < md.index("## Trainee: Ann") < md.index("## Trainee: Bob \\<b\\>")
    assert "| Drill questions fully right | 1/3 (33%) |" in md
    assert "| Use concessions well | 3/4 (75%) | - | 1 good / 1 bad | 63% |" in md
    assert "<b>" not in md
    out = tmp_path / "r.html"
    code, printed, _ = run(
        monkeypatch,
        capsys,
        "report",
        "--class",
        "Spring",
        "--format",
        "html",
        "--db",
        str(sample_class),
        "--lang",
        "zh",
        "-o",
        str(out),
    )
    assert code == 0 and printed.strip() == str(out)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in page
    assert "学员：Bob &lt;b&gt;" in page and "<b>" not in page
    assert page.index("全班概况") < page.index("学员：Ann")
    code, _, err = run(
        monkeypatch,
        capsys,
        "report",
        "--class",
        "Spring",
        "--format",
        "html",
        "--db",
        str(sample_class),
        "-o",
        str(out),
    )
    assert code == 2 and "already exists; nothing was written" in err


def test_csv_cells_that_look_like_formulas_are_guarded(monkeypatch, capsys, tmp_path):
    db = tmp_path / "c.sqlite3"
    conn = connect(db)
    training.create_profile(conn, "=HYPERLINK(1)", "Spring")
    conn.close()
    _, out, _ = run(monkeypatch, capsys, "report", "--class", "Spring", "--format", "csv", "--db", str(db))
    assert "'=HYPERLINK(1)" in out and ",=HYPERLINK" not in out


# -------------------------------------------------------------------------------------------- export/import


def test_export_import_round_trip_on_the_command_line(monkeypatch, capsys, sample_class, tmp_path):
    f = tmp_path / "spring.json"
    code, out, _ = run(
        monkeypatch, capsys, "train", "export", "--class", "SPRING", "-o", str(f), "--db", str(sample_class)
    )
    assert code == 0 and "2 trainees, 6 answers, 2 role-plays" in out
    hub = tmp_path / "hub.sqlite3"
    code, out, _ = run(monkeypatch, capsys, "train", "import", str(f), "--db", str(hub))
    assert code == 0 and out.startswith(
        "imported: 2 new trainees, 6 new answers (0 already here), 2 new role-plays"
    )
    before = dump(hub)
    code, out, _ = run(monkeypatch, capsys, "train", "import", str(f), "--db", str(hub))
    assert code == 0 and "0 new answers (6 already here), 0 new role-plays (2 already here)" in out
    assert dump(hub) == before
    reports = []
    for path in (sample_class, hub):
        _, text, _ = run(
            monkeypatch, capsys, "report", "--class", "Spring", "--format", "csv", "--db", str(path)
        )
        reports.append(text)
    assert reports[0] == reports[1]  # the merged laptop reports the same figures
    code, _, err = run(
        monkeypatch, capsys, "train", "export", "--class", "Spring", "-o", str(f), "--db", str(hub)
    )
    assert code == 2 and "already exists" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "progress", "--profile", "Nobody"], "coach: --profile: no trainee named 'Nobody'"),
        (
            ["train", "drill", "--profile", "Nobody"],
            "coach: --profile: no trainee named 'Nobody' (give --class CLASS to create it)",
        ),
        (
            ["train", "quiz", "--profile", "Ann", "--class", "Autumn"],
            "coach: --class: 'Ann' is in class 'Spring', not 'Autumn'",
        ),
        (
            ["report", "--class", "Nope", "--format", "md"],
            "coach: --class: no trainee in class 'Nope' (classes here: Autumn, Spring)",
        ),
        (
            ["train", "export", "--class", "Nope", "-o", "x.json"],
            "coach: --class: no trainee in class 'Nope'",
        ),
        (["train", "profiles", "--class", "Nope"], "coach: --class: no trainee in class 'Nope'"),
        (
            ["train", "drill", "--profile", "New\x1b[2J", "--class", "S"],
            "coach: --profile: must be plain text",
        ),
        (
            ["train", "drill", "--profile", "Ann", "-n", "0"],
            "coach: argument -n/--count: must be between 1 and 500",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_written(
    monkeypatch, capsys, sample_class, tmp_path, args, message
):
    monkeypatch.chdir(tmp_path)
    before = dump(sample_class)
    code, out, err = run(monkeypatch, capsys, *args, "--db", str(sample_class), stdin="1\n" * 10)
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert dump(sample_class) == before
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "coach-training"', "bad.json:1:28: not valid JSON"),
        ("[1, 2]", "bad.json: expected a JSON object"),
        (
            '{"format": "other", "version": 1, "class": "S", '
            '"exported_at": "2025-01-01T00:00:00Z", "profiles": []}',
            "bad.json: format: Input should be 'coach-training'",
        ),
    ],
)
def test_malformed_import_file(monkeypatch, capsys, sample_class, tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    before = dump(sample_class)
    code, out, err = run(monkeypatch, capsys, "train", "import", str(bad), "--db", str(sample_class))
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and err.rstrip().endswith("nothing was written")
    assert dump(sample_class) == before


def test_a_bad_file_among_several_stops_all_of_them(monkeypatch, capsys, sample_class, tmp_path):
    good = tmp_path / "good.json"
    run(
        monkeypatch,
        capsys,
        "train",
        "export",
        "--class",
        "Spring",
        "-o",
        str(good),
        "--db",
        str(sample_class),
    )
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    hub = tmp_path / "hub.sqlite3"
    code, _, err = run(monkeypatch, capsys, "train", "import", str(good), str(bad), "--db", str(hub))
    assert code == 2 and "bad.json: format: required field is missing" in err
    assert not hub.exists()  # files are checked before the database is opened


def test_profiles_listing(monkeypatch, capsys, sample_class):
    code, out, _ = run(monkeypatch, capsys, "train", "profiles", "--db", str(sample_class), "--json")
    data = json.loads(out)["profiles"]
    assert [(p["class"], p["name"], p["answers"], p["roleplays"]) for p in data] == [
        ("Autumn", "Eve", 1, 1),
        ("Spring", "Ann", 5, 1),
        ("Spring", "Bob <b>", 1, 1),
    ]


def test_training_verbs_do_not_import_textual(tmp_path):
    import subprocess

    db = tmp_path / "c.sqlite3"
    code = (
        "import sys, io, contextlib; from coach.cli import main\n"
        "sys.stdin = io.StringIO('1\\n1\\n')\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['train', 'drill', '--profile', 'A', '--class', 'C', '-n', '1', '--db', {str(db)!r}])\n"
        f"    main(['report', '--class', 'C', '--db', {str(db)!r}])\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("False")
