"""Times: stored in UTC (ISO 8601), shown to the user in their local time."""

from __future__ import annotations

from datetime import UTC, datetime


def local_time(stamp: str) -> str:
    """A stored time as the user's local ``YYYY-MM-DD HH:MM``; a time without a zone is taken as UTC (how
    the store writes them); text that is not a time is returned as it is."""
    try:
        value = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return stamp
    if value.tzinfo is None:
        if len(stamp.strip()) <= 10:  # a date alone has no time to convert
            return stamp
        value = value.replace(tzinfo=UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M")
