"""Spaced repetition: a five-box Leitner scheme per trainee and item, and which items a sitting asks.

The scheme (documented in the README):

- An item nobody has answered is *new*. Each answer moves it between boxes 1 to 5.
- Right (every part of the question right): one box up, at most 5; wrong: back to box 1.
- An item is *due* again ``INTERVAL_DAYS[box]`` days after its last answer: box 1 at once, box 2 after
  one day, box 3 after three, box 4 after seven, box 5 after twenty-one.
- A sitting asks due items first (lowest box, then longest overdue), then new items spread over as many
  playbook entries as possible, then the items that will be due soonest.
- Within a sitting, an item answered wrong is asked once more ``REQUEUE_AFTER`` questions later.

The state of an item is a pure function of its answers in order (``replay``), so results merged from
several laptops give the same schedule as if they had been answered on one.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

BOXES = 5
INTERVAL_DAYS = {1: 0, 2: 1, 3: 3, 4: 7, 5: 21}
"""Days from the last answer until an item in that box is due again."""
REQUEUE_AFTER = 3
"""An item answered wrong comes back this many questions later in the same sitting (once)."""


def parse_time(stamp: str) -> datetime:
    """A stored ISO 8601 time (``...Z`` or with an offset) as an aware UTC datetime."""
    value = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_time(value: datetime) -> str:
    """An aware datetime as stored: UTC, to the second, with ``Z``."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class ItemState:
    """Where one item stands for one trainee: its box, when it is due, how it went so far."""

    box: int
    due_at: str
    seen: int
    right: int
    last_at: str

    def due(self, now: datetime) -> bool:
        """True when the item should be asked again at ``now``."""
        return parse_time(self.due_at) <= now


def step(state: ItemState | None, right: bool, at: str) -> ItemState:
    """The item's state after one more answer given at ``at`` (a stored time)."""
    box = (state.box if state else 1) + 1 if right else 1
    box = min(box, BOXES)
    due = parse_time(at) + timedelta(days=INTERVAL_DAYS[box])
    return ItemState(
        box=box,
        due_at=format_time(due),
        seen=(state.seen if state else 0) + 1,
        right=(state.right if state else 0) + (1 if right else 0),
        last_at=at,
    )


def replay(answers: Iterable[tuple[str, bool, str]]) -> dict[str, ItemState]:
    """Item states from answers ``(item, right, answered_at)`` given in the order they were made."""
    states: dict[str, ItemState] = {}
    for item, right, at in answers:
        states[item] = step(states.get(item), right, at)
    return states


def pick(
    items: Sequence[tuple[str, str]],
    states: dict[str, ItemState],
    now: datetime,
    count: int,
    rng: random.Random,
) -> list[str]:
    """Keys of the items a sitting asks, in order. ``items`` are ``(key, group)`` pairs; the group (the
    playbook entry) spreads new items so one entry does not fill a sitting."""
    due, new, later = [], [], []
    for key, group in items:
        state = states.get(key)
        if state is None:
            new.append((key, group))
        elif state.due(now):
            due.append(key)
        else:
            later.append(key)
    due.sort(key=lambda k: (states[k].box, states[k].due_at, k))
    later.sort(key=lambda k: (states[k].due_at, states[k].box, k))
    chosen = due[:count]
    if len(chosen) < count:
        chosen += _spread(new, rng)[: count - len(chosen)]
    if len(chosen) < count:
        chosen += later[: count - len(chosen)]
    return chosen


def _spread(items: list[tuple[str, str]], rng: random.Random) -> list[str]:
    """New items in a random order that visits every group once before any group twice."""
    groups: dict[str, list[str]] = {}
    for key, group in items:
        groups.setdefault(group, []).append(key)
    names = sorted(groups)
    rng.shuffle(names)
    for name in names:
        rng.shuffle(groups[name])
    out: list[str] = []
    depth = 0
    while len(out) < len(items):
        for name in names:
            if depth < len(groups[name]):
                out.append(groups[name][depth])
        depth += 1
    return out


class Queue:
    """The questions of one sitting; an item answered wrong is put back ``REQUEUE_AFTER`` places on (once)."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._todo = list(keys)
        self._requeued: set[str] = set()
        self.asked = 0
        """Questions handed out so far."""

    def __len__(self) -> int:
        return len(self._todo)

    def next(self) -> str | None:
        """The next item to ask, or None when the sitting is over."""
        if not self._todo:
            return None
        self.asked += 1
        return self._todo.pop(0)

    def answered(self, key: str, right: bool) -> bool:
        """Record the outcome of the item just asked; returns True when it was put back for later."""
        if right or key in self._requeued:
            return False
        self._requeued.add(key)
        self._todo.insert(min(REQUEUE_AFTER, len(self._todo)), key)
        return True
