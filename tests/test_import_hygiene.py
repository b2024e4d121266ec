"""Command-line verbs must start fast: no core module may import Textual (DESIGN.md)."""

from __future__ import annotations

import subprocess
import sys

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
