"""`coach account` and `coach acbp` choose the language the same way as the other verbs: --lang, else
COACH_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG)."""

from __future__ import annotations

import pytest

from coach.cli import main


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "coach.sqlite3"
    monkeypatch.setenv("COACH_DB", str(path))
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert main(["account", "add", "Lianhua", "--tier", "national"]) == 0
    assert main(["acbp", "new", "Lianhua", "--year", "2027"]) == 0
    return path


def said(capsys, *args: str) -> str:
    assert main(list(args)) in (0, 1)
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "en"),
        ({"COACH_LANG": "zh"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "zh_TW"}, "zh"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"COACH_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_both_verbs_follow_the_same_default(db, capsys, monkeypatch, env, lang):
    capsys.readouterr()
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    account = said(capsys, "account", "show", "Lianhua")
    plan = said(capsys, "acbp", "check", "Lianhua")
    assert ("级别：" in account) == (lang == "zh")
    assert ("检查" in plan) == (lang == "zh")
    assert said(capsys, "acbp", "check", "Lianhua", "--lang", "en").startswith("Checks")  # --lang wins
    assert "级别：" in said(capsys, "account", "show", "Lianhua", "--lang", "zh")
