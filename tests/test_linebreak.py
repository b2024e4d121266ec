"""Line breaking by terminal columns: English at spaces, Chinese anywhere but never before a closing mark."""

from __future__ import annotations

import pytest

from coach.linebreak import CLOSING, OPENING, text_width, wrap

ZH = "刘艳——饮料零食部资深采购，大丰收量贩（华东38家店）。精明，看数字说话；拿店庆做筹码，喜欢定截止时间。"


@pytest.mark.parametrize("width", range(6, 40))  # a mark and the two characters it may join
def test_no_chinese_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(width):
    lines = wrap(ZH, width)
    assert "".join(lines) == ZH
    assert all(text_width(line) <= width for line in lines)
    assert not any(line[0] in CLOSING for line in lines[1:])
    assert not any(line[-1] in OPENING for line in lines[:-1])


def test_the_issue_marks_never_start_a_line():
    assert set("，。、；：？！」』）】》") <= CLOSING
    text = "".join(f"好的{mark}" for mark in "，。、；：？！」』）】》") * 3
    for width in range(4, 30):
        assert not any(line[0] in CLOSING for line in wrap(text, width)[1:])


def test_english_breaks_at_spaces_and_numbers_stay_whole():
    assert wrap("Liu Yan — Senior buyer, beverages and snacks (38 stores, East China)", 26) == [
        "Liu Yan — Senior buyer,",
        "beverages and snacks (38",
        "stores, East China)",
    ]
    assert wrap("华东38家店", 5) == ["华东", "38家", "店"]


def test_newlines_are_kept_and_a_long_word_is_cut_by_columns():
    assert wrap("a\n\nb c", 5) == ["a", "", "b c"]
    assert wrap("abcdefgh", 3) == ["abc", "def", "gh"]


def test_a_lines_own_indent_counts_toward_its_width():
    text = "  Wang Fang · Director · 决策者 · 影响力5 · 怀疑者 · known by Li Wei and Zhang Min"
    for width in (20, 30, 48):
        lines = wrap(text, width)
        assert all(text_width(line) <= width for line in lines), (width, lines)
        assert lines[0].startswith("  Wang Fang")
