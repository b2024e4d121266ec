"""The `coach match` / `validate` / `schema` contract, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def coach(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=120,
    )


def test_json_shape_best_first():
    out = coach("match", "--json", "the buyer walked out of the meeting when I refused the extra discount")
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert set(obj) == {"query", "matches"}
    assert obj["matches"], obj
    first = obj["matches"][0]
    assert {"id", "title", "category", "score", "why"} <= set(first)
    assert first["id"] == "tactic.walkout-pressure"
    scores = [m["score"] for m in obj["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert all(isinstance(w, str) for w in first["why"])


def test_json_abstains_with_empty_list():
    out = coach("match", "--json", "what is the capital of France")
    assert out.returncode == 0
    assert json.loads(out.stdout)["matches"] == []


def test_top_limits():
    out = coach("match", "--json", "--top", "1", "采购说总部还没批，要下周才能定")
    assert len(json.loads(out.stdout)["matches"]) <= 1


def test_jsonl_one_answer_per_line_in_order():
    lines = [
        "the buyer walked out of the meeting",
        "法国的首都是哪里",
        "",
        "[bold red]delivery late again[/]",
        "采购要求我们再加10%的返利，否则就换竞品",
    ]
    out = coach("match", "--jsonl", stdin="\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    answers = [json.loads(x) for x in out.stdout.splitlines()]
    assert [a["query"] for a in answers] == lines
    assert answers[0]["matches"][0]["id"] == "tactic.walkout-pressure"
    assert answers[1]["matches"] == [] and answers[2]["matches"] == []


def test_readable_output_in_the_language_of_the_input():
    en = coach("match", "the buyer walked out of the meeting")
    assert en.returncode == 0 and "Steps:" in en.stdout
    zh = coach("match", "采购谈到一半直接走人了")
    assert zh.returncode == 0 and "步骤" in zh.stdout
    forced = coach("match", "--lang", "zh", "the buyer walked out of the meeting")
    assert "步骤" in forced.stdout


def test_readable_output_when_nothing_fits():
    out = coach("match", "what is the capital of France")
    assert out.returncode == 0 and "No playbook fits this" in out.stdout


def test_markup_and_escapes_are_printed_literally_or_dropped():
    out = coach("match", "--json", "[bold red]buyer walked out[/] \x1b[2J")
    assert out.returncode == 0
    assert json.loads(out.stdout)["query"].startswith("[bold red]buyer walked out[/]")
    text = coach("match", "\x1b[2J buyer walked out \x1b]0;title\x07")
    assert "\x1b" not in text.stdout


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["match"], "no text given"),
        (["match", "--top", "zero", "x"], "--top must be a whole number"),
        (["match", "--lang", "fr", "x"], "invalid choice"),
        (["nonsense"], "invalid choice"),
        (["validate", "/no/such/dir"], "no such file or folder"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args, fragment):
    out = coach(*args)
    assert out.returncode == 2
    assert fragment in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_broken_user_playbook_is_one_located_line():
    out = coach("match", "--playbooks", str(DATA / "bad" / "unknown_field.yaml"), "x")
    assert out.returncode == 2
    assert "unknown_field.yaml:8:9: rules[0].match.phrase: unknown field" in out.stderr
    assert "Traceback" not in out.stderr


def test_user_playbook_replaces_shipped_rule_and_says_so(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "nibble.yaml").write_text(
        (DATA / "mini" / "mini.yaml").read_text(encoding="utf-8").replace("The nibble", "Our nibble"),
        encoding="utf-8",
    )
    out = coach(
        "match",
        "--json",
        "we signed yesterday and now he wants two more facings for free",
        env={"COACH_PLAYBOOKS": str(mine)},
    )
    assert out.returncode == 0, out.stderr
    assert "replaces" in out.stderr and "tactic.nibble" in out.stderr
    first = json.loads(out.stdout)["matches"][0]
    assert first["id"] == "tactic.nibble" and first["title"] == "Our nibble"


@pytest.mark.usefixtures("shipped_examples_checked")
def test_validate_shipped_passes():
    out = coach("validate")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "ok" in out.stderr


def test_validate_reports_examples_that_miss(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    text = (DATA / "mini" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'examples: ["halfway through the talks she just walked out"]', 'examples: ["我们的返利什么时候到账"]'
    )
    (mine / "x.yaml").write_text(text, encoding="utf-8")
    out = coach("validate", str(mine))
    assert out.returncode == 1
    assert "tactic.walkout-pressure" not in out.stdout or "examples[0]" in out.stdout
    assert "x.yaml:" in out.stdout and "examples[0]" in out.stdout


def test_validate_reports_same_example_under_two_rules(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    text = (DATA / "mini" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "halfway through the talks she just walked out", "if I give 1% more rebate what do I get in return"
    )
    (mine / "x.yaml").write_text(text, encoding="utf-8")
    out = coach("validate", str(mine))
    assert out.returncode == 1
    assert "also listed under" in out.stdout


def test_validate_reports_counter_example_that_hits(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    text = (DATA / "mini" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'counter_examples: ["what should I ask in return for a discount"]',
        'counter_examples: ["after we signed the deal he asked for one more small extra"]',
    )
    (mine / "x.yaml").write_text(text, encoding="utf-8")
    out = coach("validate", str(mine))
    assert out.returncode == 1
    assert "counter_examples[0]: ranks this rule first" in out.stdout


def test_schema_is_json_schema_of_the_format():
    out = coach("schema")
    schema = json.loads(out.stdout)
    assert schema["type"] == "object" and "rules" in schema["properties"]
    assert "Rule" in schema["$defs"] and "match" in schema["$defs"]["Rule"]["properties"]


def test_locate_honours_overrides(tmp_path):
    out = coach("locate", env={"COACH_DB": str(tmp_path / "x.db")})
    assert str(tmp_path / "x.db") in out.stdout


def test_a_megabyte_on_stdin_and_control_characters():
    big = ("the buyer walked out of the meeting \x00\x07\x1b[31m " * 20_000)[:1_000_000]
    out = coach("match", "--json", "-", stdin=big)
    assert out.returncode == 0, out.stderr[-500:]
    assert json.loads(out.stdout)["matches"][0]["id"] == "tactic.walkout-pressure"
    lines = coach("match", "--jsonl", stdin=big.replace("\n", " ") + "\n\x1b]0;x\x07\n")
    assert lines.returncode == 0 and len(lines.stdout.splitlines()) == 2


def test_safe_removes_whole_escape_sequences():
    from coach.commands.common import safe

    assert safe("a\x1b[31mred\x1b[0m b\x1b]0;title\x07c\x00d\te\nf") == "ared bcd\te\nf"
