"""`coach roleplay`, `coach sessions` and `coach validate`'s scenario checks from the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main

DATA = Path(__file__).parent / "data"
BAD = DATA / "scenarios-bad"
MINI = DATA / "scenarios-ok" / "mini.yaml"
GIVE = "OK, we'll give you the extra 5% for the anniversary."
FACTS = (
    "I understand the anniversary matters a lot to you. Our sparkling tea grew 22% in your stores this year, "
    "and the family pack sells 40% more per facing than the small bottles."
)
TRADE = (
    "If you give us the front page and end-caps in all 38 stores, "
    "we can add 2% off invoice for the two weeks."
)


def run(monkeypatch, capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------------------------------ roleplay


def test_list_text_and_json(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "roleplay", "--list")
    assert code == 0 and "anniversary-flyer" in out and "Liu Yan" in out and "The nibble" in out
    assert "tactic." not in out and "principle." not in out  # situations by their titles

    code, out, _ = run(monkeypatch, capsys, "roleplay", "--list", "--json", "--lang", "zh")
    data = json.loads(out)
    ids = [s["id"] for s in data["scenarios"]]
    assert len(ids) >= 10 and ids == sorted(ids)
    flyer = next(s for s in data["scenarios"] if s["id"] == "anniversary-flyer")
    assert flyer["persona"] == "刘艳" and flyer["title"] == "店庆海报档期"
    assert "tactic.nibble" in flyer["situations"] and "得寸进尺" in flyer["situation_titles"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["roleplay", "anniversary-flyr", "--plain"],
            "no scenario 'anniversary-flyr' (did you mean 'anniversary-flyer'?",
        ),
        (["roleplay", "--plain"], "no scenario given"),
        (["roleplay", "walk-out"], "the role-play screen needs a terminal (use --plain"),
        (["roleplay", "walk-out", "--json"], "--json only goes with --list"),
        (["roleplay", str(BAD / "unknown_node.yaml"), "--plain"], "unknown node 'dael'"),
        (
            ["roleplay", "walk-out", "--plain", "--scenarios", "no/such/folder"],
            "no/such/folder: no such file or folder",
        ),
    ],
)
def test_usage_and_content_errors_are_one_line_exit_2(monkeypatch, capsys, args, message):
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("coach: ") and message in err and err.count("\n") == 1, err


def test_plain_run_from_a_scenario_file_with_retry_and_blank_lines(monkeypatch, capsys):
    code, out, err = run(
        monkeypatch,
        capsys,
        "roleplay",
        str(MINI),
        "--plain",
        stdin="/retry\n\nFine, we'll give you the extra 2%.\n/retry\n"
        "If you give us the second end-cap in July, we can add half a point to the rebate.\n",
    )
    assert code == 0, err
    assert "Nothing to take back yet." in out
    # The give-away ended it; /retry after the ending took that reply back and the turn was played again.
    failed = out.index("Outcome: fail\n")  # an ending without a title: the outcome alone, never its id
    taken_back = out.index("Your last reply was taken back. The customer repeats:", failed)
    assert "Type /retry to take back your last reply" in out[failed:taken_back]
    assert out.index("Outcome: success — Traded\n", taken_back) and "↺ [Ms Buyer]" in out[taken_back:]
    assert "no-deal" not in out and "ending" not in out
    code, out, _ = run(monkeypatch, capsys, "sessions", "list", "--json")
    s = json.loads(out)["sessions"][0]
    assert (s["scenario"], s["status"], s["outcome"], s["replies"], s["retries"]) == (
        "mini",
        "finished",
        "success",
        1,
        1,
    )


def test_anything_but_retry_after_the_ending_leaves(monkeypatch, capsys):
    code, out, _ = run(
        monkeypatch,
        capsys,
        "roleplay",
        str(MINI),
        "--plain",
        stdin="Fine, we'll give you the extra 2%.\nthanks\n/retry\n",
    )
    assert code == 0 and out.count("Session saved as #1") == 1 and "taken back" not in out
    code, out, _ = run(monkeypatch, capsys, "sessions", "export", "1", "--format", "json")
    data = json.loads(out)
    assert data["status"] == "finished" and data["outcome"] == "fail" and len(data["transcript"]) == 1


def test_plain_run_left_early_is_saved_and_says_so(monkeypatch, capsys):
    code, out, _ = run(
        monkeypatch,
        capsys,
        "roleplay",
        "walk-out",
        "--plain",
        "--lang",
        "zh",
        stdin="我理解您的压力。您需要看到什么，才能让这三个单品上架？\n/quit\nnever read\n",
    )
    assert code == 0 and "结果：中途退出" in out and "never read" not in out
    code, out, _ = run(monkeypatch, capsys, "sessions", "show", "1")
    assert "结果：中途退出" in out and "（他又坐了下来）" not in out.split("对话记录")[0]
    code, out, _ = run(monkeypatch, capsys, "sessions", "list")
    assert " walk-out  left  1 reply, 0 retries  采购拂袖而去" in out


def test_no_reply_saves_nothing(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "roleplay", "walk-out", "--plain", stdin="\n/quit\n")
    assert (
        code == 0 and "Nothing was saved: no reply was made." in out and "Outcome: left before the end" in out
    )
    code, out, err = run(monkeypatch, capsys, "sessions", "list")
    assert out == "" and "no saved sessions" in err


def test_reply_text_is_printed_literally_without_escape_sequences(monkeypatch, capsys):
    code, out, _ = run(
        monkeypatch,
        capsys,
        "roleplay",
        "walk-out",
        "--plain",
        stdin="[bold]I understand[/bold] \x1b[31mred\x1b[0m\n/quit\n",
    )
    assert "You: [bold]I understand[/bold] red\n" in out and "\x1b" not in out and "[31m" not in out


# ------------------------------------------------------------------------------------------------ sessions


@pytest.fixture
def played(monkeypatch, capsys):
    code, _, err = run(
        monkeypatch,
        capsys,
        "roleplay",
        "anniversary-flyer",
        "--plain",
        "--trainee",
        "Amy <3",
        stdin=f"{GIVE}\n/retry\n{FACTS}\n{TRADE}\nI'll send you the written confirmation by Friday noon.\n",
    )
    assert code == 0, err


def test_sessions_show_and_export(played, monkeypatch, capsys, tmp_path):
    code, out, _ = run(monkeypatch, capsys, "sessions", "show", "#1")
    assert code == 0 and out.startswith("=== Debrief: The anniversary flyer ===")
    assert "Outcome: success — On the front page, within your limit" in out
    assert "You (taken back): " + GIVE in out and "Best lines from the playbooks:" in out
    code, out, _ = run(monkeypatch, capsys, "sessions", "show", "1", "--lang", "zh")
    assert out.startswith("=== 复盘：店庆海报档期 ===") and "结果：成功——上了头版，没超底线" in out
    code, out, _ = run(monkeypatch, capsys, "sessions", "export", "1", "--format", "md")
    assert out.startswith("# Role-play: The anniversary flyer (#1)") and "- Trainee: Amy \\<3" in out
    code, out, _ = run(monkeypatch, capsys, "sessions", "export", "1", "--format", "html", "--lang", "zh")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "Amy &lt;3" in out and "<script" not in out
    assert "结果：成功——上了头版，没超底线" in out
    code, out, _ = run(monkeypatch, capsys, "sessions", "export", "1", "--format", "json")
    data = json.loads(out)
    ids = {b["id"] for e in data["transcript"] for b in e["behaviours"]}
    assert ids and all(i.startswith("reply.") for i in ids)  # JSON keeps the ids (that is where they belong)
    assert data["outcome"] == "success" and [e["retried"] for e in data["transcript"]] == [
        True,
        False,
        False,
        False,
    ]
    first = {b["id"]: b for b in data["transcript"][0]["behaviours"]}
    assert "reply.conditional-concession" not in first  # never praised past the limit
    # 5% against the scenario's 2% limit: the implicit over-limit blocker says so with the figures
    assert (
        first["reply.over-limit"]["blocker"]["en"]
        == "You went past your limit: price/rebate 5% given, limit 2%."
    )
    target = tmp_path / "s1.md"
    code, out, _ = run(monkeypatch, capsys, "sessions", "export", "1", "--format", "md", "-o", str(target))
    assert (
        code == 0
        and out.strip() == str(target)
        and target.read_text(encoding="utf-8").startswith("# Role-play")
    )
    code, out, err = run(monkeypatch, capsys, "sessions", "export", "1", "--format", "md", "-o", str(target))
    assert code == 2 and "already exists; nothing was written" in err


def test_sessions_errors(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "sessions", "show", "7")
    assert code == 2 and out == "" and err.startswith("coach: no session with id 7")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sessions", "show", "x"], "id must be a whole number"),
        (["sessions", "export", "1"], "the following arguments are required: --format"),
        (["sessions", "export", "1", "--format", "pdf"], "invalid choice: 'pdf'"),
    ],
)
def test_sessions_usage_errors(capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        main(args)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and message in err and err.count("\n") == 1


def test_empty_session_list(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "sessions", "list")
    assert code == 0 and out == "" and "no saved sessions" in err


def test_practice_concessions_never_appear_in_the_real_log_or_review(played, monkeypatch, capsys):
    code, _, err = run(
        monkeypatch,
        capsys,
        "log",
        "add",
        "--account",
        "Great Harvest",
        "--type",
        "price",
        "--give",
        "1% off invoice",
        "--value",
        "1",
        "--unit",
        "%",
    )
    assert code == 0, err
    code, out, _ = run(monkeypatch, capsys, "log", "review", "--json")
    real = json.loads(out)
    assert real["entries"] == 1 and real["given"] == {"percent": 1}
    code, out, _ = run(monkeypatch, capsys, "log", "list", "--json")
    assert [e["give"] for e in json.loads(out)["entries"]] == ["1% off invoice"]
    code, out, _ = run(monkeypatch, capsys, "log", "list", "--json", "--practice", "--history")
    practice = json.loads(out)["entries"]
    assert [(e["give"], e["status"], e["practice"]) for e in practice] == [
        # judged after her line ("if you want in, I need a yes"), the 5% is a yes to her trade: an offer
        (GIVE, "offered", True),
        (GIVE, "withdrawn", True),
        (TRADE, "offered", True),
    ]
    code, out, _ = run(monkeypatch, capsys, "log", "review")
    assert GIVE not in out and TRADE not in out


# ------------------------------------------------------------------------------------------------ validate


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        ("unknown_node", [], "turns.ask.branches[0].goto: unknown node 'dael'"),
        ("unreachable", [], "turns.orphan: unreachable"),
        (
            "rehearsal_fails",
            [],
            "rehearsals[0].steps[0].goto: expects a deal: at 'ask' the reply leads to 'no-deal'",
        ),
        ("autoplay_never_ends", ["--autoplay", "3"], "3 of 3 autoplay runs never ended within 60 replies"),
        ("autoplay_unreached", ["--autoplay", "30"], "turns.rare: never reached in 30 autoplay runs"),
    ],
)
@pytest.mark.usefixtures("shipped_examples_checked")
def test_validate_reports_scenario_problems(monkeypatch, capsys, name, extra, message):
    code, out, err = run(monkeypatch, capsys, "validate", "--scenarios", str(BAD / f"{name}.yaml"), *extra)
    assert code == 1
    line = next(x for x in out.splitlines() if message in x)
    assert line.startswith(f"tests/data/scenarios-bad/{name}.yaml:") or line.startswith(str(BAD / name))


@pytest.mark.usefixtures("shipped_examples_checked")
def test_validate_autoplay_prints_figures_for_every_shipped_scenario(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "validate", "--autoplay", "300")
    assert not [x for x in out.splitlines() if x.startswith("scenarios/")], out
    figures = [x for x in err.splitlines() if x.startswith("autoplay: ")]
    assert len(figures) >= 10 and all("300 runs, 300 ended" in x for x in figures)
    assert "scenarios checked" in err


def test_validate_autoplay_rejects_a_negative_count(monkeypatch, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--autoplay", "-1"])
    assert exc.value.code == 2 and "expected 0 to 100000" in capsys.readouterr().err


def test_roleplay_verbs_do_not_import_textual():
    code = (
        "import sys, io, contextlib; from coach.cli import main\n"
        "sys.stdin = io.StringIO('I understand.\\n')\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['roleplay', 'walk-out', '--plain'])\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['sessions', 'list'])\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"
