"""Real language: Traditional Chinese reads like Simplified, and the "why" a person reads is their own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.content.loader import load_default, load_library
from coach.engine import build_index, rank
from coach.engine.match import explanation
from coach.engine.normalize import clean, to_simplified

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def shipped():
    lib = load_default(None)
    return build_index(lib)


def test_traditional_chinese_becomes_simplified():
    assert to_simplified("採購要我們付上架費，帳期九十天") == "采购要我们付上架费，账期九十天"
    assert to_simplified("plain English stays as it is") == "plain English stays as it is"
    assert clean("頂好的條碼費") == clean("顶好的条码费")


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("採購說上架費每個品項要一萬，不交就不上架", "采购说上架费每个品项要一万，不交就不上架"),
        ("客戶一直抱怨我們送貨太慢，門市缺貨好幾次了", "客户一直抱怨我们送货太慢，门店缺货好几次了"),
        ("賣場的帳款已經拖了九十天還沒付", "卖场的账款已经拖了九十天还没付"),
    ],
)
def test_traditional_text_gets_the_same_advice_as_simplified(shipped, traditional, simplified):
    got = [m.id for m in rank(shipped, traditional).matches]
    want = [m.id for m in rank(shipped, simplified).matches]
    assert got and got[:1] == want[:1]


_INTERNAL = re.compile(r"[§/\\|()\[\]{}^$*+?]|\b[a-z]+\.[a-z-]+\b|\bc:|\bz:|\bw:|\bb:")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the buyer wants 80k listing fee per SKU or no listing", "en"),
        ("she walked out of the meeting when we said no to the extra rebate", "en"),
        ("客户一直抱怨我们送货太慢，缺货好几次了", "zh"),
        ("採購又說下個月開始貨款要壓九十天", "zh"),
        ("签完合同又要排面", "zh"),
    ],
)
def test_why_is_the_users_words_without_regex_or_internal_ids(shipped, text, lang):
    result = rank(shipped, text)
    assert result.matches
    assert explanation(result.matches[0], lang)
    for match in result.matches:
        why = explanation(match, lang)
        # the playbook term a word matched, in brackets: "walked out" (= stood up to leave), 「压款」（即押款）
        terms = re.findall(r" \(= ([^)]*)\)|（即([^）]*)）", why)
        bare = re.sub(r" \(= [^)]*\)|（即[^）]*）", "", why)
        assert not _INTERNAL.search(bare), why
        assert not [t for pair in terms for t in pair if _INTERNAL.search(t)], why
        for part in re.findall(r'"([^"]+)"|「([^」]+)」', why):
            words = part[0] or part[1]
            # every quoted piece is something the user wrote (after case and script folding)
            assert clean(words).replace(" ", "") in clean(text).replace(" ", ""), (words, text)


def test_a_pattern_hit_is_shown_as_the_users_words_not_the_pattern():
    lib = load_library([DATA / "mini"])
    result = rank(build_index(lib), "halfway through the talks she just walked out")
    assert any("pattern /" in w for w in result.matches[0].why) or result.matches[0].why
    assert "/" not in explanation(result.matches[0], "en")
