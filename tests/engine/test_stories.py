"""Lines and stories: a long text is also compared with each rule's long examples (its stories), a line
only with what the rules say in lines, and a long text closer to the out-of-scope stories than to any
rule gets no advice."""

from __future__ import annotations

from coach.content.loader import Library
from coach.content.models import Rule
from coach.engine import build_index, rank
from coach.engine.index import STORY_FEATURES, features_of
from coach.engine.match import LONG_TEXT, score_all
from coach.engine.normalize import clean

LINES = {
    "trade.payment-terms": [
        "the buyer wants ninety day payment terms",
        "they pay our invoices late every month",
    ],
    "trade.delisting-threat": [
        "the buyer will delist our slow sellers",
        "our facings get cut because sales are slow",
    ],
}
STORY = (
    "I run a small juice company and we have supplied a regional grocery chain for six years. Last spring "
    "their finance people started paying later and later, first forty five days, then seventy, now almost "
    "four months on some invoices, and every time I call the accounts office they say the cheque run was "
    "moved again. Our bank is getting nervous and I still have to buy fruit for the summer."
)
QUERY = (
    "We are a small bakery and have supplied a regional supermarket chain for four years. This year their "
    "finance people pay later and later: invoices due at forty five days now take four months, and every time "
    "I call the accounts office they say the cheque run was moved again. The bank is nervous and I have to buy "
    "flour for the summer."
)


def _rule(rule_id: str, examples: list[str]) -> Rule:
    return Rule.model_validate(
        {
            "id": rule_id,
            "category": rule_id.split(".")[0],
            "title": {"en": rule_id, "zh": rule_id},
            "summary": {"en": "s", "zh": "s"},
            "match": {"phrases": {"en": examples[:1]}},
            "examples": examples[1:],
            "response": {"steps": [{"en": "a", "zh": "b"}]},
        }
    )


def _library(stories: dict[str, list[str]], out_of_scope: list[str] = ()) -> Library:
    lib = Library()
    for rid, lines in LINES.items():
        lib.rules[rid] = _rule(rid, [*lines, *stories.get(rid, [])])
    lib.out_of_scope.extend(out_of_scope)
    return lib


def _n(text: str) -> int:
    return len(features_of(clean(text).split()))


def test_the_texts_are_of_the_lengths_the_test_needs():
    assert _n(STORY) >= STORY_FEATURES and _n(QUERY) >= LONG_TEXT
    assert all(_n(line) < STORY_FEATURES for lines in LINES.values() for line in lines)


def test_a_long_text_is_compared_with_the_rules_stories():
    idx = build_index(_library({"trade.payment-terms": [STORY]}))
    a = idx.analyse(QUERY)
    scored, _, _ = score_all(idx, a)
    r = idx.rule_ids.index("trade.payment-terms")
    assert any("longer examples" in why for why in scored[r][1])
    result = rank(idx, QUERY)
    assert result.matches and result.matches[0].id == "trade.payment-terms"


def test_a_story_does_not_pull_lines_toward_its_rule():
    """Adding a long example to one rule leaves the score of an unrelated short text unchanged for every
    rule: a line is compared with what the rules say in lines. A line taken from the story itself is closer
    to that one example (its closest-phrase term), and nothing else moves."""
    plain = build_index(_library({}))
    told = build_index(_library({"trade.payment-terms": [STORY]}))

    def scores(idx, line):
        return {idx.rule_ids[r]: round(s, 6) for r, (s, _) in score_all(idx, idx.analyse(line))[0].items()}

    line = "the buyer says sales are slow and will cut our facings"
    assert scores(told, line) == scores(plain, line)
    piece = "their finance people started paying later"
    before, after = scores(plain, piece), scores(told, piece)
    assert after.pop("trade.payment-terms") > before.pop("trade.payment-terms", 0.0)
    assert after == before


def test_a_long_text_nearer_the_out_of_scope_stories_gets_no_advice():
    """A store worker's post shares much of a supplier's story's words; with a worker's story among the
    out-of-scope texts it gets no advice, without it, it would."""
    worker = (
        "I work nights at a regional supermarket chain and for a year the office has paid our wages later and "
        "later. Every time I call the accounts office they say the payroll run was moved again, my bank is "
        "nervous and the rent is due. Should I look for another job?"
    )
    worker_oos = (
        "I stack shelves on the night shift at a supermarket chain; the office pays our wages later every month, "
        "the accounts people say the payroll run moved again, and my bank is nervous about the rent."
    )
    assert _n(worker) >= LONG_TEXT and _n(worker_oos) >= STORY_FEATURES
    without = rank(build_index(_library({"trade.payment-terms": [STORY]})), worker)
    assert without.matches and without.matches[0].id == "trade.payment-terms"
    idx = build_index(_library({"trade.payment-terms": [STORY]}, out_of_scope=[worker_oos]))
    result = rank(idx, worker)
    assert result.matches == [] and any("general request" in n for n in result.notes)
    assert (
        rank(idx, QUERY).matches[0].id == "trade.payment-terms"
    )  # the supplier's situation still gets advice


def test_a_long_text_is_not_scored_on_single_lines():
    """A line shares a few words with any long text, whatever it is about: a long text has no
    closest-phrase term (it has its stories), even when a rule holds the long text's own first sentence;
    the sentence on its own is still matched to that line."""
    opening = "We are a small bakery and have supplied a regional supermarket chain for four years."
    told = build_index(_library({"trade.delisting-threat": [opening]}))
    r = told.rule_ids.index("trade.delisting-threat")
    scored, _, _ = score_all(told, told.analyse(QUERY))
    assert r in scored and not any("close to phrase" in w for w in scored[r][1])
    line_why = score_all(told, told.analyse(opening))[0][r][1]
    assert any("close to phrase" in w for w in line_why)
