"""A meeting's concessions checked against the plans saved for it (`coach log review --meeting` and the
concession log's review tab)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from coach.review.plans import check, no_plan_text, render_text, to_json
from coach.store import plans as store


def meeting_plan_review(
    conn: sqlite3.Connection,
    rows: Sequence[Any],
    *,
    meeting: str,
    account: str | None = None,
    lang: str = "en",
) -> tuple[str, dict[str, Any]] | None:
    """Each plan saved for ``meeting`` (and ``account`` when given) checked against ``rows``: over a limit,
    past the walk-away point, not in the plan. Returns (text, {"plan_checks": [...]}); the text says so
    when the meeting has no plan; None when no meeting is given."""

    meeting = (meeting or "").strip()
    if not meeting:
        return None
    found = store.find(conn, account=(account or "").strip() or None, meeting=meeting)
    stored = [store.get(conn, s.id) for s in found]
    if not stored:
        return no_plan_text(lang), {"plan_checks": []}
    checks = [check(s.plan, rows, plan_id=s.id, version=s.version) for s in stored]
    return "\n\n".join(render_text(c, lang) for c in checks), {"plan_checks": [to_json(c) for c in checks]}
