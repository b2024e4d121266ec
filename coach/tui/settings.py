"""The small JSON file that remembers UI choices (language, theme) between runs."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from coach.files import FileProblem, read_bytes
from coach.i18n import LANGS


@dataclass
class Settings:
    """Remembered choices; ``None`` means "not chosen yet"."""

    lang: str | None = None
    theme: str | None = None


def load(path: Path) -> tuple[Settings, str | None]:
    """The saved settings and, if the file could not be used, a one-line reason (the file is left alone)."""

    if not os.path.lexists(path):
        return Settings(), None
    try:  # kind and size first: a FIFO or /dev/zero in its place is refused, never read
        raw = read_bytes(path, 1_000_000).decode("utf-8")
    except FileProblem as exc:
        return Settings(), exc.one_line()
    except UnicodeDecodeError as exc:
        return Settings(), f"{path}: not UTF-8 text (byte {exc.start})"
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return Settings(), f"{path}:{exc.lineno}:{exc.colno}: not valid JSON"
    except RecursionError:
        return Settings(), f"{path}: nested too deeply to be settings"
    if not isinstance(data, dict):
        return Settings(), f"{path}: expected a JSON object"
    lang = data.get("lang")
    theme = data.get("theme")
    problem = None
    if lang is not None and lang not in LANGS:
        problem, lang = f"{path}: lang: expected en or zh, not {lang!r}", None
    if theme is not None and not isinstance(theme, str):
        problem, theme = f"{path}: theme: expected a theme name", None
    return Settings(lang=lang, theme=theme), problem


def save(path: Path, settings: Settings) -> None:
    """Write the settings atomically (a temporary file renamed over the old one), owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in asdict(settings).items() if v is not None}
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
