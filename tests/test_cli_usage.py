"""Usage mistakes on the command line: one line, exit code 2, and a "did you mean" where one is close."""

from __future__ import annotations

import pytest

from coach.cli import main


def _run(capsys, *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.err


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["matc", "x"], "did you mean 'match'?"),
        (["match", "--jsn", "x"], "did you mean --json?"),
        (["match", "--lang", "z", "x"], "did you mean 'zh'?"),
        (["log", "lst"], "did you mean 'list'?"),
    ],
)
def test_a_mistyped_verb_option_or_choice_gets_did_you_mean(capsys, argv, suggestion):
    code, err = _run(capsys, *argv)
    assert code == 2
    assert suggestion in err and err.count("\n") == 1


def test_nothing_close_gets_no_guess(capsys):
    code, err = _run(capsys, "zzzzzz")
    assert code == 2 and "did you mean" not in err and err.count("\n") == 1


@pytest.mark.parametrize("text", ["", "   "])
def test_match_with_empty_text_is_a_usage_error_in_one_line(capsys, text):
    code, err = _run(capsys, "match", text)
    assert code == 2
    assert err == "coach: the text is empty (type it in quotes, or pass `-` and send it on standard input)\n"
