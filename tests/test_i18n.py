"""The one catalogue of interface text (coach/i18n): both languages agree, every key the code names exists,
and English counts take the right form."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from coach.i18n import CATALOGUES, EN, LANGS, ZH, menu, tr

ROOT = Path(__file__).resolve().parents[1]

KEY = r"([a-z0-9][\w.-]*[\w-])"  # a whole key, not the start of "cat." + id
Q = "[\"']"
USES = [
    # tr(lang, "key"), tr(self._lang, "key"), tr("zh", "key"), tr(lang, 'key') inside an f-string
    re.compile(r"(?<![\w.])tr\(\s*[\w.\[\]\"']+\s*,\s*" + Q + KEY + Q),
    # a screen's self.tr("key"), the app's self.coach.tr("key")
    re.compile(r"\.tr\(\s*" + Q + KEY + Q),
    # a screen's home-page entry, menu("key"), and report_error(..., key="key")
    re.compile(r"(?<![\w.])menu\(\s*" + Q + KEY + Q),
    re.compile(r"\bkey=" + Q + KEY + Q),
]


def _fields(text: str) -> set[str]:
    """The names of the ``{placeholders}`` of ``text``."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def _used_keys() -> dict[str, str]:
    """Every literal key the package names, with where it is named first."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "coach").rglob("*.py")):
        if path.parent.name == "i18n":
            continue
        source = path.read_text(encoding="utf-8")
        for pattern in USES:
            for m in pattern.finditer(source):
                line = source.count("\n", 0, m.start()) + 1
                found.setdefault(m.group(1), f"{path.relative_to(ROOT)}:{line}")
    return found


def test_both_languages_have_exactly_the_same_keys():
    assert set(EN) - set(ZH) == set(), "in English only"
    assert set(ZH) - set(EN) == set(), "in Chinese only"
    assert set(CATALOGUES) == set(LANGS)


def test_every_placeholder_is_in_both_languages():
    wrong = {key: (_fields(EN[key]), _fields(ZH[key])) for key in EN if _fields(EN[key]) != _fields(ZH[key])}
    assert wrong == {}


def test_every_text_formats_with_its_own_placeholders():
    for lang in LANGS:
        for key, text in CATALOGUES[lang].items():
            tr(lang, key, **dict.fromkeys(_fields(text), 2))


def test_every_key_the_code_names_exists():
    used = _used_keys()
    assert len(used) > 200  # the scan finds the calls
    missing = {key: where for key, where in used.items() if key not in EN}
    assert missing == {}


def test_a_missing_key_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        tr("en", "no.such.key")


def test_an_unknown_language_reads_english():
    assert tr("fr", "bind.quit") == tr("en", "bind.quit") == "Quit"


def test_a_screen_menu_is_its_title_and_description_in_each_language():
    assert menu("help.menu") == {
        "en": (EN["help.menu"], EN["help.menu.about"]),
        "zh": (ZH["help.menu"], ZH["help.menu.about"]),
    }


PLURAL = re.compile(r"\{(\w+):[^{}|]*\|[^{}]*\}")
"""An English count's noun: ``{n:entry|entries}``."""


def test_plural_fields_are_english_only_and_name_a_count_of_the_same_text():
    plural = {key for key, text in EN.items() if PLURAL.search(text)}
    assert len(plural) >= 10
    for key in plural:
        assert not PLURAL.search(ZH[key]), key  # Chinese has one form
        for name in PLURAL.findall(EN[key]):
            assert "{" + name + "}" in EN[key] or "{" + name + ":" in EN[key], key


@pytest.mark.parametrize(
    ("key", "values", "texts"),
    [
        ("browser.hits", {}, ("0 matching entries", "1 matching entry", "2 matching entries")),
        (
            "loaded",
            {},
            ("0 playbook entries loaded.", "1 playbook entry loaded.", "2 playbook entries loaded."),
        ),
        ("acc.count", {}, ("0 warnings", "1 warning", "2 warnings")),
        ("drill.title", {"name": "Li"}, ("0 questions.", "1 question.", "2 questions.")),
        ("log.count.all", {}, ("0 entries;", "1 entry;", "2 entries;")),
        ("train.row", {"name": "Li", "klass": "A"}, ("0 answers", "1 answer", "2 answers")),
        (
            "drill.done",
            {"right": 0, "points": 0},
            ("0 of 0 questions", "0 of 1 question", "0 of 2 questions"),
        ),
        (
            "account.linked",
            {"practice": 0},
            (
                "0 meeting plans, 0 role-play sessions",
                "1 meeting plan, 1 role-play session",
                "2 walk-throughs",
            ),
        ),
        (
            "plan.from-account.added",
            {},
            ("0 objectives, 0 agenda points", "1 objective, 1 agenda point", "2 objectives"),
        ),
    ],
)
def test_english_counts_take_one_form_for_1_and_another_for_0_and_2(key, values, texts):
    name = next(iter(PLURAL.findall(EN[key])))
    fields = _fields(EN[key]) - set(values)
    for n, want in zip((0, 1, 2), texts, strict=True):
        got = tr("en", key, **values, **dict.fromkeys(fields, n))
        assert want in got, (n, got)
        assert name in fields


def test_chinese_counts_have_one_form():
    assert tr("zh", "browser.hits", n=1).replace("1", "2") == tr("zh", "browser.hits", n=2)


def test_plural_field_with_other_format_specs_still_formats():
    assert tr("en", "report.right-of", right=1, total=2, pct="50%") == "1/2 (50%)"


def test_a_vocabulary_table_has_every_id_in_order_in_each_language():
    from coach.domain.concessions import TYPES
    from coach.i18n import labels

    table = labels("concession.type.", TYPES)
    assert set(table) == set(LANGS)
    assert list(table["zh"]) == list(TYPES) and table["zh"]["listing-fee"] == "进场费"
    with pytest.raises(KeyError):
        labels("concession.type.", ["no-such-type"])


def test_the_scan_sees_the_ways_the_code_names_keys():
    used = _used_keys()
    for key in ("plan.problem", "match.score", "acc.menu", "bp.error", "roleplay.colon"):
        assert key in used, key
