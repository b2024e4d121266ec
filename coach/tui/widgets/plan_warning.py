"""A warning under the concession form: what the concession being typed would break in the meeting's plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.widgets import Static

from coach.i18n import tr
from coach.review.plans import Pending, check_entry, finding_line
from coach.store import plans as store
from coach.store.concessions import Filter, parse_unit, select
from coach.store.db import SESSION_ERRORS, session


def pending_from_form(data: dict[str, Any]):  # noqa: ANN201
    """The form's values as a ``review.plans.Pending`` concession, or None when account, meeting, type or
    what was given is missing. Values the form would refuse are left out (the form reports them on save)."""

    account = " ".join(str(data.get("account") or "").split())
    meeting = " ".join(str(data.get("meeting") or "").split())
    give = " ".join(str(data.get("give") or "").split())
    type_ = data.get("type")
    if not (account and meeting and give and isinstance(type_, str)) or data.get("practice"):
        return None

    def number(key: str) -> float | None:
        try:
            value = float(str(data.get(key) or "").strip())
        except ValueError:
            return None
        return value if value >= 0 else None

    def unit(key: str) -> str | None:
        try:
            return parse_unit(data.get(key)) if data.get(key) else None
        except ValueError:
            return None

    get = " ".join(str(data.get("get") or "").split()) or None
    return Pending(
        account=account,
        meeting=meeting,
        type=type_,
        give=give,
        value=number("value"),
        unit=unit("unit"),
        get=get,
        status=str(data.get("status") or "agreed"),
    )


class PlanWarning(Static):
    """Hidden until the concession typed breaks the plan saved for its account and meeting."""

    DEFAULT_CSS = """
    PlanWarning { height: auto; color: $warning; display: none; margin: 1 0 0 0; }
    PlanWarning.-shown { display: block; }
    """

    class Checked(Message):
        """The plan check of the form's values finished; ``lines`` is empty when nothing is broken."""

        def __init__(self, seq: int, lines: list[str]) -> None:
            super().__init__()
            self.seq = seq
            self.lines = lines

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.lines: list[str] = []
        """The findings shown (one line each)."""
        self._seq = 0

    def check(self, data: dict[str, Any], db_path: Path | str, lang: str) -> None:
        """Check the form's values against the plan for their account and meeting (reads run in a worker)."""
        self._seq += 1
        pending = pending_from_form(data)
        if pending is None:
            self._show(self._seq, [])
            return
        self._run(self._seq, pending, db_path, lang)

    @work(thread=True, exclusive=True, group="plan-warning", exit_on_error=False)
    def _run(self, seq: int, pending: Any, db_path: Path | str, lang: str) -> None:
        try:
            with session(db_path) as conn:
                found = store.find(conn, account=pending.account, meeting=pending.meeting)
                if not found:
                    self.post_message(self.Checked(seq, []))
                    return
                plan = store.get(conn, found[0].id).plan
                rows = select(conn, Filter(account=pending.account, meeting=pending.meeting))
        except SESSION_ERRORS:
            self.post_message(self.Checked(seq, []))  # a warning that cannot be computed is not shown
            return
        self.post_message(
            self.Checked(seq, [finding_line(f, lang) for f in check_entry(plan, rows, pending)])
        )

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        message.stop()
        self._show(message.seq, message.lines)

    def _show(self, seq: int, lines: list[str]) -> None:
        if seq != self._seq:  # an older check finished after a newer one started
            return
        self.lines = lines
        self.set_class(bool(lines), "-shown")
        if lines:
            lang = getattr(self.app, "lang", "en")
            self.update(Text("\n".join([tr(lang, "log.plan.warning"), *(f"  • {line}" for line in lines)])))
        else:
            self.update("")
