"""Command-line verbs must start fast: no core module may import Textual (DESIGN.md), a verb imports only its
own module, and an import stays inside a function only where that matters, saying why."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

CORE = [
    "coach.cli",
    "coach.commands.match",
    "coach.commands.validate",
    "coach.commands.schema",
    "coach.commands.locate",
    "coach.content.loader",
    "coach.content.compiled",
    "coach.engine",
    "coach.store.db",
    "coach.store.walkthroughs",
    "coach.commands.walkthroughs",
    "coach.i18n",
    "coach.tui.reasons",
    "coach.tui.settings",
    "coach.tui.search",
    "coach.store.concessions",
    "coach.review.concessions",
    "coach.commands.log",
    "coach.content.plans",
    "coach.store.plans",
    "coach.review.plans",
    "coach.review.brief",
    "coach.commands.prep",
    "coach.content.scenarios",
    "coach.roleplay",
    "coach.roleplay.checks",
    "coach.roleplay.render",
    "coach.store.sessions",
    "coach.commands.roleplay",
    "coach.commands.sessions",
    "coach.store.training",
    "coach.training.drill",
    "coach.training.quiz",
    "coach.training.progress",
    "coach.training.report",
    "coach.training.transfer",
    "coach.commands.train",
    "coach.commands.report",
    "coach.store.accounts",
    "coach.review.accounts",
    "coach.commands.account",
    "coach.content.business_plans",
    "coach.review.business_plan",
    "coach.store.business_plans",
    "coach.commands.acbp",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module):
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_match_verb_does_not_import_textual():
    code = (
        "import sys, io, contextlib; from coach.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['match', '--json', 'buyer walked out'])\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("False"), out.stdout + out.stderr


def test_json_match_from_cache_needs_no_yaml_or_pydantic():
    code = (
        "import sys, io, contextlib; from coach.cli import main\n"
        "for _ in range(2):\n"
        "    with contextlib.redirect_stdout(io.StringIO()): main(['match', '--json', 'buyer walked out'])\n"
        "    hot = {m for m in ('yaml', 'pydantic', 'textual', 'sqlite3') if m in sys.modules}\n"
        "print(sorted(hot))"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    again = subprocess.run(
        [sys.executable, "-c", code.replace("range(2)", "range(1)")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert first.returncode == 0, first.stderr
    assert again.stdout.strip().splitlines()[-1] == "[]", again.stdout + again.stderr


def test_verb_overview_matches_each_verbs_own_help():
    import argparse
    import importlib

    from coach.cli import COMMANDS, SUMMARY

    for name in COMMANDS:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"coach.commands.{name}").add_parser(sub)
        assert [a.help for a in sub._choices_actions if a.dest == name] == [SUMMARY[name]], name


def test_one_verb_imports_only_its_own_module():
    code = (
        "import sys, io, contextlib; from coach.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['--lang', 'en', 'match', '--json', 'buyer walked out'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('coach.commands.') and m != 'coach.commands.common'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "['coach.commands.match']", out.stdout + out.stderr


def test_bare_coach_imports_no_verb_module():
    """Bare ``coach`` opens the UI: every verb is a stub in its parser, so no verb's module (and none of what
    a verb imports at its top) is imported before the UI starts."""
    code = (
        "import sys, coach.cli as cli\n"
        "cli._run_ui = lambda request: 0\n"
        "assert cli.main([]) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('coach.commands.') and m != 'coach.commands.common'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1:] == ["[]"], out.stdout + out.stderr


COACH = Path(__file__).resolve().parent.parent / "coach"

DEFERRED = re.compile(r"#\s*deferred:\s*\S")
"""The comment that says why an import stays inside a function: ``# deferred: keeps pydantic out of coach match``."""

CHANGED_ELSEWHERE: frozenset[str] = frozenset()
"""Files another change is editing: their function-local imports are counted, not checked (none today)."""


def function_local_imports(source: str) -> list[tuple[ast.stmt, ast.AST]]:
    """Every ``import``/``from ... import`` inside a function (nested ones too), with that function."""
    found: list[tuple[ast.stmt, ast.AST]] = []

    def visit(node: ast.AST, function: ast.AST | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child)
            elif isinstance(child, (ast.Import, ast.ImportFrom)) and function is not None:
                found.append((child, function))
            else:
                visit(child, function)

    visit(ast.parse(source), None)
    return found


def unexplained_imports(source: str) -> list[int]:
    """Lines of function-local imports that do not say why they are deferred: a ``# deferred: why``
    comment on the statement, or on the first import of the same function."""
    lines = source.splitlines()
    first_says: dict[ast.AST, bool] = {}
    missing = []
    for node, function in function_local_imports(source):
        end = node.end_lineno or node.lineno
        says = any(DEFERRED.search(line) for line in lines[node.lineno - 1 : end])
        if function not in first_says:
            first_says[function] = says
        elif first_says[function]:
            continue
        if not says:
            missing.append(node.lineno)
    return missing


def test_every_function_local_import_says_why():
    """An import goes at the top of its module unless deferring it matters: it would make a fast verb
    import something heavy (tests/test_startup_imports.py), close an import cycle, bring Textual into a path
    that is not the UI, or import a screen before it is opened. Such an import says so: ``# deferred: why``."""
    missing, elsewhere = [], 0
    for path in sorted(COACH.rglob("*.py")):
        name = path.relative_to(COACH.parent).as_posix()
        source = path.read_text(encoding="utf-8")
        if name in CHANGED_ELSEWHERE:
            elsewhere += len(function_local_imports(source))
            continue
        missing += [f"{name}:{line}" for line in unexplained_imports(source)]
    assert missing == [], (
        f"function-local imports without '# deferred: why' ({elsewhere} not checked):\n" + "\n".join(missing)
    )


def test_the_rule_reads_reasons_per_function():
    source = (
        "def f():\n"
        "    import json  # deferred: a reason\n"
        "    import re\n"
        "def g():\n"
        "    import json\n"
        "    import re  # deferred: another\n"
        "import os\n"
    )
    assert unexplained_imports(source) == [5]
