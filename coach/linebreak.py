"""Line breaking for mixed Chinese and English text, by terminal columns.

English breaks at spaces; Chinese between any two characters, except that a line never starts
with a closing mark (，。、；：？！」』）】》 …) and never ends with an opening one (「『（【《 …):
the mark goes with the character next to it (避头尾). Pure: no terminal, no Textual.
"""

from __future__ import annotations

import unicodedata

CLOSING = frozenset("，。、；：？！」』）】》〉〕〗〙〛”’…‥%,.;:!?)]}")
"""Marks that never start a line."""
OPENING = frozenset("「『（【《〈〔〖〘〚“‘([{")
"""Marks that never end a line."""


def char_width(ch: str) -> int:
    """Terminal columns of one character: 2 for wide (CJK) characters, 0 for combining marks, else 1."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Terminal columns of ``text``."""
    return sum(char_width(ch) for ch in text)


def _units(line: str) -> list[tuple[int, int, int]]:
    """Unbreakable pieces of one line as (start, end of the visible part, end with following spaces).

    A run of non-wide characters (an English word, a number) is one piece; each wide character is one
    piece; a closing mark joins the piece before it, an opening mark the piece after it.
    """
    units: list[list[int]] = []  # [start, visible end, end]
    glue_next = False
    for i, ch in enumerate(line):
        if ch.isspace():
            if units:
                units[-1][2] = i + 1
            glue_next = False
            continue
        last = units[-1] if units else None
        attached = last is not None and last[1] == last[2] == i  # no space between
        wide = char_width(ch) == 2
        if attached and (
            glue_next
            or ch in CLOSING
            or (not wide and char_width(line[i - 1]) != 2 and line[i - 1] not in CLOSING)
            or (ch in "—…" and line[i - 1] == ch)
        ):
            assert last is not None
            last[1] = last[2] = i + 1
        else:
            units.append([i, i + 1, i + 1])
        glue_next = ch in OPENING
    return [(a, b, c) for a, b, c in units]


def break_offsets(text: str, width: int) -> list[int]:
    """Offsets in ``text`` where lines start, other than 0, so that each line fits ``width`` columns.

    Existing newlines are kept (the offset after each ``\\n`` is listed). A piece wider than a whole line
    is cut by columns, as a terminal would.
    """
    width = max(width, 2)
    offsets: list[int] = []
    base = 0
    for n, line in enumerate(text.split("\n")):
        if n:
            offsets.append(base)
        used = text_width(line[: len(line) - len(line.lstrip())])  # the line's own indent takes columns too
        placed = False
        for start, visible_end, end in _units(line):
            piece = text_width(line[start:visible_end])
            if placed and used + piece > width:
                offsets.append(base + start)
                used = 0
            if piece > width:  # longer than a line: cut it by columns
                for i in range(start, visible_end):
                    w = char_width(line[i])
                    if used and used + w > width:
                        offsets.append(base + i)
                        used = 0
                    used += w
            else:
                used += piece
            placed = True
            used += text_width(line[visible_end:end])
        base += len(line) + 1
    return offsets


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` columns (spaces at the end of a line dropped)."""
    cuts = [0, *break_offsets(text, width), len(text) + 1]
    return [text[a:b].rstrip("\n").rstrip() for a, b in zip(cuts, cuts[1:], strict=False)]
