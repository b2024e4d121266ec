"""The store's one error class, shared by the SQLite file and the PostgreSQL team database."""

from __future__ import annotations

from coach.errors import CoachError


class DatabaseError(CoachError):
    """The database cannot be used; the message says which file or server, and what to do."""
