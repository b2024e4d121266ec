"""`coach validate --playbooks DIR`: a catastrophic regex is refused at its line, a safe one passes."""

from __future__ import annotations

from coach.cli import main

RULE = """\
rules:
  - id: tactic.{name}
    category: tactic
    title: {{en: "Mine", zh: "我的"}}
    summary: {{en: "Mine", zh: "我的"}}
    match:
      keywords:
        - {{term: "zebra {name}", weight: 2}}
      patterns:
        - {{regex: '{pattern}', weight: 2}}
    response:
      steps: [{{en: "do", zh: "做"}}]
"""


def test_validate_refuses_a_catastrophic_pattern_in_a_user_folder_and_accepts_a_safe_one(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    bad, good = r"zebra (\w+\s?)+$", r"zebra (\w+ )+end"
    (mine / "bad.yaml").write_text(RULE.format(name="bad-one", pattern=bad), encoding="utf-8")
    (mine / "good.yaml").write_text(RULE.format(name="good-one", pattern=good), encoding="utf-8")
    assert main(["validate", "--playbooks", str(mine)]) == 1
    out = capsys.readouterr().out.splitlines()
    refused = [line for line in out if "bad.yaml" in line]
    assert len(refused) == 1, refused
    assert refused[0].endswith(
        "bad.yaml:10:19: rules[0].match.patterns[0].regex: this pattern can take exponential time on some "
        "texts (a repeated group inside a repeat); rewrite it without nested repetition"
    )
    assert not [line for line in out if "good.yaml" in line and not line.startswith("warning:")]


BEHAVIOUR = """\
behaviours:
  - id: reply.my-own
    good: true
    title: {en: "Mine", zh: "我的"}
    why: {en: "Mine", zh: "我的"}
    detect:
      signals:
        - {regex: '(a+)+$', weight: 2}
"""


def test_match_with_such_a_folder_in_coach_playbooks_stops_with_the_line(tmp_path, monkeypatch, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "bad.yaml").write_text(RULE.format(name="bad-one", pattern=r"(a+)+$"), encoding="utf-8")
    monkeypatch.setenv("COACH_PLAYBOOKS", str(mine))
    assert main(["match", "--json", "a" * 40 + "!"]) == 2
    err = capsys.readouterr().err.strip()
    assert "bad.yaml:10:19: rules[0].match.patterns[0].regex: this pattern can take exponential time" in err
    assert len(err.splitlines()) == 1


def test_assess_refuses_a_catastrophic_behaviour_signal(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "replies.yaml").write_text(BEHAVIOUR, encoding="utf-8")
    assert main(["assess", "--playbooks", str(mine), "a" * 40 + "!"]) == 2
    err = capsys.readouterr().err.strip()
    where = "replies.yaml:8:19: behaviours[0].detect.signals[0].regex"
    assert f"{where}: this pattern can take exponential time" in err
    assert len(err.splitlines()) == 1


def test_validate_warns_about_keywords_and_patterns_no_example_of_the_rule_uses(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    rule = RULE.format(name="own", pattern=r"zebra (\w+ )+end") + (
        '    examples: ["the zebra own team asked for a zebra list again, no finish in sight"]\n'
    )
    (mine / "own.yaml").write_text(rule, encoding="utf-8")
    main(["validate", "--playbooks", str(mine)])
    warned = [line for line in capsys.readouterr().out.splitlines() if "own.yaml" in line]
    assert not [line for line in warned if "keywords[0]" in line], warned  # "zebra own" is in the example
    assert [line for line in warned if "patterns[0]" in line and "none of this rule's examples" in line], (
        warned
    )
