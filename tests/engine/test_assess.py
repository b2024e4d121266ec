"""Reply assessment: signals add up to thresholds, negative evidence, suppression, surface, sentences."""

from __future__ import annotations

from coach.content.loader import Library
from coach.content.models import Behaviour
from coach.engine.assess import assess, build_behaviour_index, sentences, surface


def _behaviour(
    bid: str, signals: list[dict], threshold: float = 1.0, detect_scope: str = "reply", **extra
) -> Behaviour:
    data = {
        "id": bid,
        "good": True,
        "title": {"en": "t", "zh": "t"},
        "why": {"en": "w", "zh": "w"},
        "detect": {"threshold": threshold, "signals": signals, "scope": detect_scope},
        **extra,
    }
    return Behaviour.model_validate(data)


def _index(*behaviours: Behaviour, concepts: dict[str, list[str]] | None = None):
    lib = Library(concepts=concepts or {})
    for b in behaviours:
        lib.behaviours[b.id] = b
    return build_behaviour_index(lib)


def test_signals_add_up_to_the_threshold():
    idx = _index(
        _behaviour(
            "reply.x",
            [{"regex": "\\bsorry\\b", "weight": 1}, {"term": "late delivery", "weight": 1}],
            threshold=2,
        )
    )
    assert assess(idx, "sorry").behaviours == []
    found = assess(idx, "Sorry about the late deliveries").behaviours
    assert [d.id for d in found] == ["reply.x"]
    assert found[0].score == 2 and any("sorry" in w for w in found[0].why)


def test_negative_evidence_cancels():
    idx = _index(
        _behaviour("reply.q", [{"regex": "\\?", "weight": 1}, {"regex": "\\bhow about\\b", "weight": -1}])
    )
    assert [d.id for d in assess(idx, "Which stores?").behaviours] == ["reply.q"]
    assert assess(idx, "How about a second end-cap?").behaviours == []


def test_suppression_drops_the_weaker_reading():
    cond = _behaviour("reply.cond", [{"regex": "\\bif you\\b", "weight": 1}], suppresses=["reply.uncond"])
    uncond = _behaviour("reply.uncond", [{"regex": "\\bwe can give\\b", "weight": 1}])
    idx = _index(uncond, cond)
    assert [d.id for d in assess(idx, "we can give 1%").behaviours] == ["reply.uncond"]
    assert [d.id for d in assess(idx, "if you add facings we can give 1%").behaviours] == ["reply.cond"]


def test_terms_use_the_trade_vocabulary():
    idx = _index(
        _behaviour("reply.fee", [{"term": "listing fee", "weight": 1}]),
        concepts={"listing-fee": ["listing fee", "进场费"]},
    )
    assert [d.id for d in assess(idx, "进场费我们可以免").behaviours] == ["reply.fee"]


def test_surface_keeps_punctuation_and_halves_width():
    assert surface("好的，明天下午３点前发给您？\x1b[31m") == "好的,明天下午3点前发给您?"
    assert surface("I’m  SORRY") == "i'm sorry"


def test_hostile_text_is_safe():
    idx = _index(_behaviour("reply.x", [{"regex": "(a|b)+c", "weight": 1}]))
    assert assess(idx, "ab" * 200_000).behaviours == []
    assert assess(idx, "").behaviours == []


def test_sentences_cut_at_sentence_ends_only():
    assert sentences(surface("好的。我明天下午３点前发给您！可以吗？行")) == [
        "好的.",
        "我明天下午3点前发给您!",
        "可以吗?",
        "行",
    ]
    assert sentences("sales grew 2.5% at 3 p.m. today. e.g. this; and that.") == [
        "sales grew 2.5% at 3 p.m. today.",
        "e.g. this; and that.",
    ]
    assert sentences("") == [""]
    assert sentences("ok... what?") == ["ok...", "what?"]


def test_surface_spaces_english_from_chinese():
    assert surface("Sorry啊王总，short ship是我们的问题") == "sorry 啊王总,short ship 是我们的问题"


def test_sentence_scope_keeps_evidence_apart():
    signals = [{"regex": "\\d", "weight": 1}, {"regex": "\\bgrew\\b", "weight": 1}]
    idx = _index(_behaviour("reply.facts", signals, threshold=2, detect_scope="sentence"))
    assert [d.id for d in assess(idx, "Sales grew 18%.").behaviours] == ["reply.facts"]
    assert assess(idx, "I can give you 2%. Our sales grew.").behaviours == []
    found = assess(idx, "Hello. Our sell-out grew 18% last year.").behaviours
    assert found[0].score == 2 and found[0].why == ['"1" +1', '"grew" +1']


def test_sentence_scope_negative_evidence_stays_in_its_sentence():
    signals = [{"regex": "\\?", "weight": 1}, {"regex": "\\bhow about\\b", "weight": -1}]
    idx = _index(_behaviour("reply.q", signals, detect_scope="sentence"))
    assert [d.id for d in assess(idx, "How about a second end-cap? Which stores had gaps?").behaviours] == [
        "reply.q"
    ]
    assert assess(idx, "How about a second end-cap?").behaviours == []


def test_reply_scoped_signal_counts_in_every_sentence():
    signals = [
        {"regex": "\\bsorry\\b", "weight": 1},
        {"regex": "\\bnot our fault\\b", "weight": -2, "scope": "reply"},
    ]
    idx = _index(_behaviour("reply.sorry", signals, detect_scope="sentence"))
    assert [d.id for d in assess(idx, "Sorry about the delay. We'll fix it.").behaviours] == ["reply.sorry"]
    assert assess(idx, "Sorry about the delay. It's not our fault though.").behaviours == []


def test_sentence_scoped_terms_use_the_sentence():
    signals = [{"term": "listing fee", "weight": 1}, {"term": "waive", "weight": 1}]
    idx = _index(
        _behaviour("reply.fee", signals, threshold=2, detect_scope="sentence"),
        concepts={"listing-fee": ["listing fee", "进场费"]},
    )
    assert [d.id for d in assess(idx, "We'll waive the 进场费.").behaviours] == ["reply.fee"]
    assert assess(idx, "The listing fee is high. We won't waive anything.").behaviours == []


def test_a_pattern_is_compiled_and_run_only_when_its_strings_are_in_the_reply():
    from coach.engine import assess as engine

    rx = "\\bsorry\\b|抱歉"
    idx = _index(_behaviour("reply.sorry", [{"regex": rx, "weight": 1}, {"regex": "\\?", "weight": 1}]))
    assert idx.regex_groups == {rx: [["sorry", "抱歉"]], "\\?": []}  # "?" alone tells nothing: always run
    engine._rx.cache_clear()
    assert [d.id for d in assess(idx, "thank you?").behaviours] == ["reply.sorry"]
    assert engine._rx.cache_info().currsize == 1  # only "\?": "sorry" and "抱歉" are not in the reply
    found = assess(idx, "Sorry, 抱歉").behaviours
    assert [d.why for d in found] == [['"sorry" +1']]


def test_the_shortcut_changes_no_assessment_of_the_shipped_examples():
    import dataclasses

    from coach.content import compiled

    found = compiled.load()
    index = found.behaviour_index
    every = dataclasses.replace(index, regex_groups={})  # every pattern run on every reply
    assert index.regex_groups and set(index.regex_groups) == {
        p for v in index.regexes.values() for p, _, _ in v
    }
    replies = [
        r for b in found.library(check=False).behaviours.values() for r in (*b.examples, *b.counter_examples)
    ]
    assert replies
    for reply in replies:
        assert assess(index, reply) == assess(every, reply), reply
