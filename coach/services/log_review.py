"""The concession review of a stored log (`coach log review`): the figures of
``coach.review.concessions.review``, with the counting and the picking done in the database.

The text shows counts, totals, size sequences and the most recent entries of each list, so only those
entries are read in full; the JSON lists every id, so every entry is read, narrowly (``Brief``). The
playbook advice is asked for only when the output shows it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import cast

from coach.review.concessions import (
    DEFAULT_ADVICE,
    NIBBLE_RULE,
    TEXT_LIMIT,
    Advice,
    Partial,
    Review,
    Row,
    TacticGroup,
    review,
    sized,
)
from coach.store.concession_review import Scope, counts, recent, snapshot
from coach.store.concession_review import sized as sized_rows
from coach.store.concession_rows import Filter

AdviceSource = Callable[[], tuple[Advice, Mapping[str, Advice]]]
"""Returns principle 7's advice and each taxonomy id's counter (``advice_from_rules``)."""


def log_review(
    conn: sqlite3.Connection, flt: Filter, advice: AdviceSource, *, every_id: bool = False
) -> Review:
    """The review of the current entries ``flt`` picks. Without ``every_id`` (the text) each list holds
    only its last ``TEXT_LIMIT`` entries (a ``Partial``); with it (the JSON) every list is whole."""
    scope = Scope(conn, flt)
    with snapshot(conn) as cur:
        if every_id:
            rows = sized_rows(cur, scope, every_entry=True)
            found, counters = advice()
            # A Brief has every field the review reads (the words of an entry only the text shows).
            return review(cast(Sequence[Row], rows), found, counters)
        n = counts(cur, scope)

        def last(part: str, of: int, tactic: str | None = None) -> Partial[Row]:
            got = recent(cur, scope, part, TEXT_LIMIT, of=of, tactic=tactic)
            return Partial(of, cast(Sequence[Row], got))

        nothing = last("nothing", n.entries - n.with_return)
        after = last("after-deal", n.after_deal)
        tactics = [(tactic, last("tactic", of, tactic)) for tactic, of in n.tactics]
        rows = sized_rows(cur, scope)
    given, received, tactic_given, sequences = sized(cast(Sequence[Row], rows))
    found, counters = advice() if (nothing or tactics or after) else (DEFAULT_ADVICE, {})
    return Review(
        entries=n.entries,
        withdrawn=n.withdrawn,
        given=given,
        received=received,
        given_without_value=n.without_value,
        with_return=n.with_return,
        nothing_in_return=nothing,
        advice=found or DEFAULT_ADVICE,
        tactics=[
            TacticGroup(tactic, entries, tactic_given.get(tactic, {}), counters.get(tactic))
            for tactic, entries in tactics
        ],
        sequences=sequences,
        after_deal=after,
        after_deal_counter=counters.get(NIBBLE_RULE),
    )
