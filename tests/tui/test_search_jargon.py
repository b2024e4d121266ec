"""Browser search by trade jargon: the query is mapped to the engine's vocabulary concepts, so an entry is
found through any term of a concept it mentions, in either language, Traditional characters included."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList
from tui_helpers import MINI, make_app, run, settle

from coach.content.loader import load_default, load_library
from coach.tui.screens.browser import BrowserScreen
from coach.tui.search import build_jargon, search


@pytest.fixture(scope="module")
def shipped():
    lib = load_default(check=False)
    return lib, build_jargon(lib.rules.values(), lib.concepts)


@pytest.mark.parametrize(
    ("query", "first", "also"),
    [
        ("堆头", None, {"complaint.promotion", "trade.store-support"}),
        ("竞品", "tactic.competitor-leverage", set()),
        ("listing fee", "trade.listing-fee", set()),
        ("進場費", "trade.listing-fee", set()),  # Traditional: 进场费
        ("slotting fee", "trade.listing-fee", set()),  # another term of the same concept
        ("帳期", "trade.payment-terms", set()),
    ],
)
def test_jargon_finds_the_entries_about_it(shipped, query, first, also):
    lib, jargon = shipped
    hits = search(lib.rules.values(), query, jargon=jargon)
    ids = [h.id for h in hits]
    assert ids, query
    if first is not None:
        assert ids[0] == first
    assert also <= set(ids[:5]), ids[:5]


@pytest.mark.parametrize("query", ["堆头", "進場費", "帳期"])
def test_without_the_vocabulary_those_queries_find_nothing(shipped, query):
    lib, _jargon = shipped
    assert search(lib.rules.values(), query) == []


def test_a_jargon_hit_says_so_and_nonsense_still_finds_nothing(shipped):
    lib, jargon = shipped
    assert search(lib.rules.values(), "進場費", jargon=jargon)[0].field == "jargon"
    assert search(lib.rules.values(), "zzzzqqq", jargon=jargon) == []
    assert search(lib.rules.values(), "  ", jargon=jargon) == []


def test_a_term_still_being_typed_finds_its_concept():
    lib = load_library([MINI])
    jargon = build_jargon(lib.rules.values(), lib.concepts)
    assert jargon.concepts_in("返利") == {"rebate": 1.0}
    assert jargon.concepts_in("rebat") == {"rebate": 0.9}
    assert jargon.concepts_in("re") == {}


def test_mini_library_by_jargon_in_either_language():
    """tactic.nibble mentions "facings" only in an example; 排面 is another term of that concept."""
    lib = load_library([MINI])
    jargon = build_jargon(lib.rules.values(), lib.concepts)
    assert search(lib.rules.values(), "排面") == []
    assert [h.id for h in search(lib.rules.values(), "排面", jargon=jargon)] == ["tactic.nibble"]
    assert search(lib.rules.values(), "返利", jargon=jargon)[0].id == "principle.trade-concessions"


def test_browser_search_finds_entries_by_jargon(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await settle(pilot)
            app.open_screen("browse")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, BrowserScreen)
            await pilot.press("slash", *"排面")
            await settle(pilot)
            hits = screen.query_one("#browser-hits", OptionList)
            assert hits.display and hits.option_count == 1
            assert hits.get_option_at_index(0).id == "tactic.nibble"
            screen.query_one(Input).value = "返利"
            await settle(pilot)
            assert hits.get_option_at_index(0).id == "principle.trade-concessions"
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.rule_id == "principle.trade-concessions"

    run(scenario)
