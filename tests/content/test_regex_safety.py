"""Author regexes that can backtrack catastrophically are refused at load time, at the pattern's line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coach import locations
from coach.content import regex_safety
from coach.content.loader import load_library

CATASTROPHIC = [
    r"(a+)+$",
    r"(a*)*b",
    r"(a|a)+$",
    r"(.*)*x",
    r"(\w+\s?)+$",
    r"(x.*y)+z",
    r"(a|ab|b)+c",
    r"(ab|abab)+c",
    r"(a?a)+b",
    r"(\d+,?)+x",
    r"(?:(?:a+)b?)+c",
    r"\d+\.?\d+x",
    r"(\d+)(\d+)x",  # the same, each in its own group
    r"(\w+|\d+)+$",
]
"""Each one takes seconds (or forever) on a short hostile text in Python's re."""

SAFE = [
    r"one (more|last) (small )?(thing|extra)",
    r"^(please |pls |can you |could you |would you |hey |hi )*(draft|write)\b",
    r"\b[a-z-]+( [a-z-]+){0,3}, [a-z-]+\b",
    r"(\w+ )+end",
    r"(x[^y]*y)+z",
    r"(already\s+|also\s+|always\s+)*(paid|funded)",
    r"(?<!\w)(price|fee)\W+\1\W+\1(?!\w)",
    r"\bsorry\b[ ,.!-]+(but )?[^.!?]{0,150}\b(can't|cannot)\b",
    r"(?:a+)++b",
    r"(?>a+)+b",  # an atomic group never gives characters back
    r"(?>a|ab)+c",
    r"\w+(\s\w+)*",
    r"[a-z]+( [a-z]+)*",
    r"\b(order\w*|po)\b.{0,40}\b\d+\b",  # \b pins where each word run ends
    r"(a|b)+",
    r"(答应|承诺)的?.{0,6}(不落实|没落实)",
]
"""Common shapes in playbooks that must stay accepted."""


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_patterns_are_refused(pattern):
    reason = regex_safety.problem(pattern)
    assert reason is not None, pattern
    with pytest.raises(regex_safety.UnsafePattern, match="can take .* time"):
        regex_safety.check(pattern)


@pytest.mark.parametrize("pattern", SAFE)
def test_safe_patterns_are_accepted(pattern):
    assert regex_safety.problem(pattern) is None
    assert regex_safety.check(pattern) == pattern


def test_quadratic_shapes_are_only_a_warning():
    assert regex_safety.problem(r"\d+%") is None
    assert regex_safety.slow(r"\d+%") == regex_safety.QUADRATIC
    assert regex_safety.slow(r"\b\d+%") is None
    assert regex_safety.slow(r"(?<!\d)\d+%") is None
    assert regex_safety.slow(r"\d{1,12}%") is None
    assert regex_safety.slow(r"(?:x|\w+)?$") == regex_safety.QUADRATIC  # inside an optional group
    assert regex_safety.slow(r"(?:(?:a*\s)+x)+") == regex_safety.QUADRATIC  # inside a repeat's first round
    assert regex_safety.slow(r"(a|b)+") is None  # nothing after it can fail
    assert regex_safety.slow(r"\d+(\.\d+)?") is None  # nor after this one: an optional part always matches


def test_a_pattern_that_does_not_compile_keeps_its_own_message():
    assert regex_safety.problem("(unclosed") is None
    with pytest.raises(ValueError, match="does not compile"):
        regex_safety.check("(unclosed")


RULE = """\
rules:
  - id: tactic.my-own
    category: tactic
    title: {{en: "Mine", zh: "我的"}}
    summary: {{en: "Mine", zh: "我的"}}
    match:
      keywords:
        - {{term: "zebra", weight: 2}}
      patterns:
        - {{regex: "zebra", weight: 1}}
        - {{regex: '{pattern}', weight: 2}}
    response:
      steps: [{{en: "do", zh: "做"}}]
"""

BEHAVIOUR = """\
behaviours:
  - id: reply.my-own
    good: true
    title: {{en: "Mine", zh: "我的"}}
    why: {{en: "Mine", zh: "我的"}}
    detect:
      signals:
        - {{term: "zebra"}}
        - {{regex: '{pattern}', weight: 2}}
"""

OUT_OF_SCOPE = """\
out_of_scope:
  patterns:
    - "^weather"
    - '{pattern}'
"""


@pytest.mark.parametrize(
    ("template", "where", "path"),
    [
        (RULE, "11:19", "rules[0].match.patterns[1].regex"),
        (BEHAVIOUR, "9:19", "behaviours[0].detect.signals[1].regex"),
        (OUT_OF_SCOPE, "4:7", "out_of_scope.patterns[1]"),
    ],
)
def test_every_kind_of_pattern_is_refused_at_its_line(tmp_path, template, where, path):
    (tmp_path / "mine.yaml").write_text(template.format(pattern=r"(\w+\s?)+$"), encoding="utf-8")
    lib = load_library([tmp_path])
    assert len(lib.problems) == 1, lib.problems
    line = lib.problems[0]
    assert f"mine.yaml:{where}: {path}: this pattern can take exponential time on some texts" in line
    assert "rewrite it without nested repetition" in line and "\n" not in line


def test_the_same_file_with_a_safe_pattern_loads(tmp_path):
    (tmp_path / "mine.yaml").write_text(RULE.format(pattern=r"(\w+ )+zebra"), encoding="utf-8")
    lib = load_library([tmp_path])
    assert lib.problems == []
    assert "tactic.my-own" in lib.rules


def _shipped_patterns() -> list[tuple[str, str]]:
    out = []
    for file in sorted(locations.shipped_playbooks_dir().glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for rule in data.get("rules") or []:
            out += [(file.name, p["regex"]) for p in (rule.get("match") or {}).get("patterns") or []]
        for behaviour in data.get("behaviours") or []:
            signals = behaviour["detect"].get("signals") or []
            out += [(file.name, s["regex"]) for s in signals if s.get("regex")]
        out += [(file.name, p) for p in (data.get("out_of_scope") or {}).get("patterns") or []]
    return out


def test_every_shipped_pattern_is_accepted():
    patterns = _shipped_patterns()
    assert len(patterns) > 100
    refused = [f"{name}: {regex_safety.problem(p)}: {p}" for name, p in patterns if regex_safety.problem(p)]
    assert refused == []


def test_shipped_playbooks_load_without_a_pattern_problem():
    lib = load_library([locations.shipped_playbooks_dir()])
    assert not [p for p in lib.problems if "can take" in p]


def test_docs_describe_the_refused_shapes():
    doc = (Path(__file__).parents[2] / "docs" / "playbook-format.md").read_text(encoding="utf-8")
    assert "nested repetition" in doc
