"""Role-play: a scenario runner; a reply in, feedback and the customer's next move out (no UI, no I/O)."""

from coach.roleplay.engine import (
    Debrief,
    Exchange,
    Feedback,
    Kit,
    RoleplayError,
    State,
    Step,
    debrief,
    reply,
    retry,
    start,
)

__all__ = [
    "Debrief",
    "Exchange",
    "Feedback",
    "Kit",
    "RoleplayError",
    "State",
    "Step",
    "debrief",
    "reply",
    "retry",
    "start",
]
