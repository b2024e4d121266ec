"""Pure parts of the UI: interface text, Chinese reasons, locale default, settings file, fuzzy search."""

from __future__ import annotations

import json
import os
import stat

import pytest
from tui_helpers import MINI

from coach.content.loader import load_library
from coach.engine import build_index, rank
from coach.i18n import system_lang, tr
from coach.tui import settings as settings_mod
from coach.tui.reasons import reason
from coach.tui.search import search


def test_missing_text_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        tr("en", "no.such.key")


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"COACH_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANGUAGE": "zh_CN:en"}, "zh"),
    ],
)
def test_default_language_follows_the_locale(env, lang):
    assert system_lang(env) == lang


def test_every_reason_the_engine_gives_on_the_mini_playbooks_reads_in_chinese():
    lib = load_library([MINI])
    index = build_index(lib)
    texts = [t for rule in lib.rules.values() for t in rule.examples] + [
        "walkd out of the meeting",
        "排面 返利",
        "nothing",
    ]
    seen = 0
    for text in texts:
        result = rank(index, text, top=3)
        for line in [w for m in result.matches for w in m.why] + result.notes:
            assert reason(line, "en") == line
            assert reason(line, "zh") != line, line
            seen += 1
    assert seen > 10


def test_settings_round_trip_owner_only(tmp_path):
    path = tmp_path / "sub" / "settings.json"
    settings_mod.save(path, settings_mod.Settings(lang="zh", theme="textual-light"))
    assert json.loads(path.read_text(encoding="utf-8")) == {"lang": "zh", "theme": "textual-light"}
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded, problem = settings_mod.load(path)
    assert problem is None and loaded == settings_mod.Settings(lang="zh", theme="textual-light")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[1, 2]", "expected a JSON object"),
        ('{"lang": "fr"}', "lang: expected en or zh, not 'fr'"),
        ('{"theme": 3}', "theme: expected a theme name"),
        ("{", "1:2: not valid JSON"),
    ],
)
def test_bad_settings_name_the_problem(tmp_path, content, problem):
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    loaded, found = settings_mod.load(path)
    assert found is not None and problem in found
    assert loaded.lang is None


def test_missing_settings_are_defaults(tmp_path):
    assert settings_mod.load(tmp_path / "none.json") == (settings_mod.Settings(), None)


@pytest.fixture(scope="module")
def rules():
    return list(load_library([MINI]).rules.values())


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("nibble", "tactic.nibble"),
        ("nible", "tactic.nibble"),
        ("得寸进尺", "tactic.nibble"),
        ("breaking off", "tactic.walkout-pressure"),
        ("concessions", "principle.trade-concessions"),
        ("让步", "principle.trade-concessions"),
        ("walkout", "tactic.walkout-pressure"),
    ],
)
def test_fuzzy_search_puts_the_right_entry_first(rules, query, first):
    hits = search(rules, query)
    assert hits and hits[0].id == first


def test_fuzzy_search_finds_nothing_for_nonsense_or_empty(rules):
    assert search(rules, "zzzzqqq") == []
    assert search(rules, "   ") == []
