"""What the fast verbs import once the playbook cache is warm (``benchmarks/startup.py`` has the figures):
no YAML and no pydantic models for `coach match` (text and JSON) and `coach assess --json`; no YAML for
`coach log review`. Each runs once to warm the cache, then again in a fresh interpreter that is checked."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

CHECK = (
    "import sys, io, contextlib\n"
    "from coach.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()): code = main({argv!r})\n"
    "heavy = ('yaml', 'pydantic.main', 'textual', 'coach.content.loader')\n"
    "print(code, sorted(m for m in heavy if m in sys.modules))"
)


def _modules(argv: list[str]) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "-c", CHECK.format(argv=argv)], capture_output=True, text=True, timeout=300, env=env
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["match", "the buyer walked out of the meeting"], "0 []"),
        (["match", "--json", "the buyer walked out of the meeting"], "0 []"),
        (["assess", "--json", "ok, 2% more if you sign today"], "0 []"),
        (["log", "review"], "0 []"),  # the playbooks come as views; the log is read without the entry model
    ],
    ids=" ".join,
)
def test_a_warm_verb_reads_no_yaml_and_builds_no_models(argv, expected):
    from coach.content import compiled

    found = compiled.load()  # the cache of this test's home, whole (the session's copy may be older)
    found.index  # noqa: B018
    found.behaviour_index  # noqa: B018
    if argv[0] == "log":
        _modules(argv)  # the first run creates the database (its schema-9 step imports the accounts store)
    assert _modules(argv) == expected
