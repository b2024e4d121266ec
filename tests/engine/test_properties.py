"""Property test: no input string crashes the matcher, and its output is always well formed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.content.compiled import cached_index
from coach.engine import rank

_, INDEX = cached_index()

hostile = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.lists(
        st.sampled_from(["[bold]", "\x1b[31m", "进场费", "walked out", "§", "\x00", "＠", " ", "(", "*"])
    ).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile)
def test_any_text_gives_a_well_formed_answer(text):
    result = rank(INDEX, text, top=3)
    assert len(result.matches) <= 3
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert all(m.id in INDEX.rule_ids and m.why for m in result.matches)
