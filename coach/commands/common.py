"""Helpers shared by the verbs: the playbook options, loading the library, safe printing."""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach import locations
from coach.errors import CoachError

_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
"""Terminal escape sequences first (whole), then any other control character; newline and tab stay."""


@dataclass(frozen=True)
class OpenUI:
    """A verb's answer asking the command line to open the terminal UI (a verb never imports coach.tui: the
    two faces stay apart, and ``coach.cli`` above both opens it)."""

    screen: str | None = None
    """A registered screen id (``coach.tui.registry``) to open over the home page."""
    options: dict[str, Any] = field(default_factory=dict)
    """The screen's keyword arguments."""
    db: str | None = None
    playbooks: list[str] = field(default_factory=list)
    """Extra playbook folders as given (checked to exist before the UI opens)."""
    lang: str | None = None
    fallback: str | None = None
    """The hint when the UI cannot start (e.g. ``use --plain``)."""


MAX_ID = 2**63 - 1
"""SQLite's largest integer: no stored record can have a larger id."""


def existing_id(number: int, what: str) -> int:
    """``number`` as a record id; past SQLite's integer range it names nothing, which is said in one line."""
    if number > MAX_ID:
        raise argparse.ArgumentTypeError(f"there is no {what} #{number}")
    return number


def playbook_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--playbooks DIR`` (repeatable) to a verb."""
    parser.add_argument(
        "--playbooks",
        action="append",
        metavar="DIR",
        default=[],
        help="extra playbook folder (repeatable; also COACH_PLAYBOOKS); its rules replace shipped ones with the same id",
    )


def load_index(args: argparse.Namespace, *, report_notices: bool = True):  # noqa: ANN201
    """Load shipped + user playbooks and build the index; content errors stop with one line."""
    from coach.content.compiled import cached_index  # deferred: coach log loads no playbooks

    dirs = locations.user_playbook_dirs(getattr(args, "playbooks", None))
    lib, index = cached_index(dirs)
    if report_notices:
        for notice in lib.notices:
            print(f"coach: note: {safe(notice)}", file=sys.stderr)
    return lib, index


def load_fast_index(args: argparse.Namespace):  # noqa: ANN201
    """The engine's index only (from the cache when the playbooks have not changed), for JSON output."""
    from coach.content.compiled import fast_index  # deferred: coach log loads no playbooks

    index, notices = fast_index(locations.user_playbook_dirs(getattr(args, "playbooks", None)))
    for notice in notices:
        print(f"coach: note: {safe(notice)}", file=sys.stderr)
    return index


def safe(text: str) -> str:
    """Text with control characters and terminal escape sequences removed, for printing literally."""
    return _CONTROL.sub("", text)


def print_json(obj: Any) -> None:
    """One JSON object on one line, UTF-8 (not ASCII-escaped)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def utf8_problem(text: str) -> str | None:
    """None when ``text`` is UTF-8 text; else what is wrong with it, e.g. ``not UTF-8 text (byte 0xe9)``.

    Arguments and standard input are decoded with surrogate escapes, so bytes that are not UTF-8 arrive as
    lone surrogates that SQLite and the printers would refuse later, after something was already done.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = ord(text[exc.start])
        return "not UTF-8 text" + (f" (byte 0x{char - 0xDC00:02x})" if 0xDC80 <= char <= 0xDCFF else "")
    return None


def read_stdin(what: str) -> str:
    """All of standard input as text for ``what`` (an option, e.g. ``--note -``); not UTF-8 is one line."""
    text = sys.stdin.read()
    problem = utf8_problem(text)
    if problem:
        raise CoachError(f"{what}: standard input is {problem}; nothing was done", "save it as UTF-8")
    return text


def read_text_arg(text: str | None) -> str:
    """The situation text from the argument, or from standard input when it is ``-``."""
    if text == "-":
        text = read_stdin("`-`")
    if text is None:
        raise CoachError(
            "no text given", "pass the situation in quotes, `-` to read standard input, or --jsonl"
        )
    if not text.strip():  # a usage mistake, not a situation no playbook fits
        raise CoachError("the text is empty", "type it in quotes, or pass `-` and send it on standard input")
    return text


def existing_paths(values: list[str]) -> list[Path]:
    """Paths given on the command line, each checked to exist."""
    out = []
    for value in values:
        path = Path(value).expanduser()
        if not path.exists():
            raise CoachError(f"{value}: no such file or folder")
        out.append(path)
    return out
