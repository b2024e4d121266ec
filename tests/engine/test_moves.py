"""Reply moves: the module's patterns are compiled when first used and behave as compiled ones."""

from __future__ import annotations

import re

from coach.engine import moves


def test_a_lazy_pattern_is_compiled_on_first_use_and_answers_as_re_does():
    rx = r"\b(?P<n>\d+)\s?%"
    lazy = moves._Lazy(rx)
    assert lazy._compiled is None
    text = "2% now, 3 % later"
    assert lazy.search(text).group("n") == re.search(rx, text).group("n")
    assert lazy._compiled is re.compile(rx)
    assert [m.span() for m in lazy.finditer(text, 3)] == [m.span() for m in re.compile(rx).finditer(text, 3)]
    assert lazy.match(text, 8).span() == (8, 11)
    assert lazy.search(text, 0, 1) is None


def test_reading_a_reply_compiles_only_the_patterns_it_uses():
    every = [v for v in vars(moves).values() if isinstance(v, moves._Lazy)]
    every += [rx for _, rx in moves._PATTERNS] + list(moves._ITEM_RX.values())
    assert len(every) > 50
    for rx in every:  # as a fresh interpreter has them (other tests may have used some)
        rx._compiled = None
    moves.read_moves("ok, i can give you the extra 2% if you sign the order today")
    used = sum(rx._compiled is not None for rx in every)
    assert 0 < used < len(every)
