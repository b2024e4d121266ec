"""One error type for everything a user can get wrong; shown as one line at the CLI/UI boundary."""

from __future__ import annotations


class CoachError(Exception):
    """A problem the user can fix: a message and, optionally, a hint saying what to do."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message (and hint) as a single line, safe to print."""
        text = self.message if not self.hint else f"{self.message} ({self.hint})"
        return " ".join(text.split())


def one_line(exc: BaseException) -> str:
    """What a face shows of an error: a ``CoachError``'s own line, else the exception's text (a database or
    file error the store did not word)."""
    return exc.one_line() if isinstance(exc, CoachError) else str(exc)


class ContentError(CoachError):
    """A playbook, vocabulary or scenario file is malformed; ``problems`` lists every located message."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "invalid content")
        self.problems = problems

    def one_line(self) -> str:
        """The first problem, with a count of the others."""
        first = " ".join(self.problems[0].split()) if self.problems else self.message
        more = len(self.problems) - 1
        return (
            first
            if more <= 0
            else f"{first} (and {more} more problem{'s' if more > 1 else ''}; run `coach validate`)"
        )
