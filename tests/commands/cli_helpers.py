"""Running a verb in-process for the command tests: its exit code and what it printed."""

from __future__ import annotations

from coach.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:  # noqa: ANN001
    """Run ``coach ARGS`` in this process: (exit code, standard output, standard error)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *args: str) -> str:  # noqa: ANN001
    """Run ``coach ARGS``, which must succeed, and return its standard output."""
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out
