"""Spaced repetition: Leitner boxes, due times, what a sitting asks, wrong answers back within a sitting."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from coach.training.schedule import (
    BOXES,
    INTERVAL_DAYS,
    REQUEUE_AFTER,
    Queue,
    parse_time,
    pick,
    replay,
    step,
)

T0 = "2025-03-01T09:00:00Z"


def at(hours: float) -> str:
    """A stored time ``hours`` after T0."""
    from coach.training.schedule import format_time

    return format_time(parse_time(T0) + timedelta(hours=hours))


def test_right_moves_up_a_box_and_waits_longer():
    s = step(None, True, T0)
    assert (s.box, s.seen, s.right) == (2, 1, 1)
    assert parse_time(s.due_at) - parse_time(T0) == timedelta(days=INTERVAL_DAYS[2]) == timedelta(days=1)
    s = step(s, True, at(30))
    assert s.box == 3 and parse_time(s.due_at) == parse_time(at(30)) + timedelta(days=3)


def test_wrong_goes_back_to_box_one_and_is_due_at_once():
    s = step(step(step(None, True, T0), True, at(30)), False, at(100))
    assert s.box == 1 and s.due_at == at(100) and s.seen == 3 and s.right == 2
    assert s.due(parse_time(at(100)))


def test_top_box_stays_top():
    s = None
    for i in range(10):
        s = step(s, True, at(i * 24 * 30))
    assert s.box == BOXES and parse_time(s.due_at) - parse_time(s.last_at) == timedelta(days=21)


def test_replay_is_the_answers_in_order():
    answers = [("a", True, T0), ("b", False, at(1)), ("a", False, at(2)), ("a", True, at(3))]
    states = replay(answers)
    assert states["a"] == step(step(step(None, True, T0), False, at(2)), True, at(3))
    assert states["b"].box == 1


def test_sitting_asks_due_first_lowest_box_first_then_new_then_soonest():
    items = [(k, k[0]) for k in ("a1", "a2", "b1", "b2", "c1", "new1", "new2")]
    states = replay(
        [
            ("a1", True, T0),  # box 2, due T0 + 1 day
            ("a2", False, T0),  # box 1, due T0
            ("b1", True, T0),
            ("b1", True, at(25)),  # box 3, due at(25) + 3 days
            ("b2", True, T0),
            ("b2", False, at(1)),  # box 1, due at(1)
            ("c1", True, at(1)),  # box 2, due at(1) + 1 day
        ]
    )
    now = parse_time(at(26))  # a1 is due (box 2), a2 and b2 (box 1), c1 too; b1 not
    chosen = pick(items, states, now, 10, random.Random(0))
    assert chosen[:4] == ["a2", "b2", "a1", "c1"]
    assert set(chosen[4:6]) == {"new1", "new2"}
    assert chosen[6:] == ["b1"]
    assert pick(items, states, now, 2, random.Random(0)) == ["a2", "b2"]


def test_wrong_answers_come_back_sooner_than_right_ones():
    items = [(f"i{n}", f"g{n}") for n in range(6)]
    states = replay([("i0", False, T0), ("i1", True, T0), ("i2", False, T0)])
    chosen = pick(items, states, parse_time(at(1)), 3, random.Random(1))
    assert chosen[:2] == ["i0", "i2"]  # the wrong ones lead the next sitting
    assert "i1" not in chosen  # the right one waits its day
    assert chosen[2] in {"i3", "i4", "i5"}
    # a day later the right one is due again too, after the wrong ones
    states["i0"] = step(states["i0"], True, at(2))
    assert pick(items, states, parse_time(at(25)), 2, random.Random(1)) == ["i2", "i1"]


def test_new_items_are_spread_over_groups_before_repeating_one():
    items = [(f"{g}{n}", g) for g in "abcd" for n in range(5)]
    chosen = pick(items, {}, parse_time(T0), 8, random.Random(7))
    assert sorted(c[0] for c in chosen[:4]) == list("abcd")
    assert sorted(c[0] for c in chosen[4:8]) == list("abcd")


def test_same_seed_same_sitting():
    items = [(f"k{n}", f"g{n % 3}") for n in range(30)]
    a = pick(items, {}, parse_time(T0), 10, random.Random(42))
    assert a == pick(items, {}, parse_time(T0), 10, random.Random(42))
    assert a != pick(items, {}, parse_time(T0), 10, random.Random(43))


def test_queue_puts_a_wrong_item_back_once_a_few_questions_later():
    q = Queue(["a", "b", "c", "d", "e"])
    assert q.next() == "a"
    assert q.answered("a", False) is True
    order = []
    while (k := q.next()) is not None:
        order.append(k)
        if k == "a":
            assert q.answered("a", False) is False  # only once
        else:
            q.answered(k, True)
    assert order == ["b", "c", "d", "a", "e"][:REQUEUE_AFTER] + ["a", "e"]
    assert q.asked == 6


def test_queue_near_the_end_puts_it_last():
    q = Queue(["a", "b"])
    q.next()
    q.next()
    q.answered("b", False)
    assert q.next() == "b" and q.next() is None


@given(st.lists(st.booleans(), min_size=1, max_size=40))
def test_boxes_stay_in_range_and_due_never_before_the_answer(results):
    s = None
    for i, right in enumerate(results):
        s = step(s, right, at(i))
        assert 1 <= s.box <= BOXES
        assert parse_time(s.due_at) >= parse_time(s.last_at)
        assert s.seen == i + 1
    assert s.right == sum(results)
    assert (s.box == 1) == (not results[-1])
