"""Every path the tool uses, computed when asked (never at import), with environment overrides.

- ``COACH_HOME``: one folder for all of the user's data and settings (tests and portable installs).
- ``COACH_DB``: the SQLite database file.
- ``COACH_PLAYBOOKS``: extra playbook folders, separated by the OS path separator (``:`` or ``;``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

APP_NAME = "coach"


def _package_dir() -> Path:
    return Path(__file__).resolve().parent


def _shipped(kind: str) -> Path:
    """Shipped content: inside the installed wheel, or the source checkout's top-level folder."""
    installed = _package_dir() / "_data" / kind
    if installed.is_dir():
        return installed
    return _package_dir().parent / kind


def shipped_playbooks_dir() -> Path:
    """Folder of the playbooks that ship with the tool."""
    return _shipped("playbooks")


def shipped_scenarios_dir() -> Path:
    """Folder of the role-play scenarios that ship with the tool."""
    return _shipped("scenarios")


def data_dir() -> Path:
    """Where the user's data lives (database, exports); not created here."""
    home = os.environ.get("COACH_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs  # deferred: not imported when COACH_HOME is set (a few ms)

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Where the user's settings live (language, theme)."""
    home = os.environ.get("COACH_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs  # deferred: not imported when COACH_HOME is set (a few ms)

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Where rebuildable data lives (the compiled playbook index)."""
    home = os.environ.get("COACH_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    import platformdirs  # deferred: not imported when COACH_HOME is set (a few ms)

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def db_path(override: str | os.PathLike[str] | None = None) -> Path | str:
    """The database: ``--db`` beats ``COACH_DB`` beats the data folder. A file path (SQLite, one person) or,
    kept as written, a ``postgresql://`` address (a team's shared database)."""
    chosen = override or os.environ.get("COACH_DB")
    if chosen:
        text = os.fspath(chosen)
        if text.strip().lower().startswith(("postgresql://", "postgres://")):
            return text.strip()
        return Path(text).expanduser()
    return data_dir() / "coach.sqlite3"


def settings_path() -> Path:
    """The small JSON file that remembers UI choices between runs."""
    return config_dir() / "settings.json"


def log_path() -> Path:
    """The terminal UI's log: errors shown on screen as one line are written here in full."""
    return data_dir() / "coach.log"


def exports_dir() -> Path:
    """Where the UI writes exported files (walk-throughs as Markdown); not created here."""
    return data_dir() / "exports"


def user_playbook_dirs(cli_dirs: list[str] | None = None) -> list[Path]:
    """Extra playbook folders from ``COACH_PLAYBOOKS`` then ``--playbooks`` (later ones win on equal ids)."""
    dirs: list[Path] = []
    env = os.environ.get("COACH_PLAYBOOKS", "")
    dirs.extend(Path(p).expanduser() for p in env.split(os.pathsep) if p.strip())
    dirs.extend(Path(p).expanduser() for p in (cli_dirs or []))
    return dirs


def _address_parts(db: str) -> tuple[str, str | None, str]:
    """(``scheme://``, the user part before the last ``@`` or None, the rest) of a database address; the
    user part may hold a password with any character in it."""
    scheme, sep, rest = db.partition("://")
    if "@" not in rest:
        return scheme + sep, None, rest
    userinfo, _, rest = rest.rpartition("@")
    return scheme + sep, userinfo, rest


_PASSWORD_PARAM = re.compile(r"(?i)([?&]password=)([^&#]*)")


def shown_db(db: Path | str) -> str:
    """The database as shown: a team database's address with its password (in the user part or as a
    ``password=`` parameter) as ``***``."""
    if isinstance(db, Path):
        return str(db)
    head, userinfo, rest = _address_parts(db.strip())
    user = ""
    if userinfo is not None:
        name, colon, _ = userinfo.partition(":")
        user = f"{name}{':***' if colon else ''}@"
    return head + user + _PASSWORD_PARAM.sub(r"\1***", rest)


def db_secrets(db: str) -> list[str]:
    """The password written in an address, as written and percent-decoded (to take out of any message)."""
    _, userinfo, rest = _address_parts(db.strip())
    found = [m.group(2) for m in _PASSWORD_PARAM.finditer(rest)]
    if userinfo is not None and ":" in userinfo:
        found.append(userinfo.partition(":")[2])
    return [v for secret in found if secret for v in {secret, unquote(secret)}]


def all_locations() -> dict[str, str]:
    """Every location, for ``coach locate``."""
    return {
        "data": str(data_dir()),
        "config": str(config_dir()),
        "database": shown_db(db_path()),
        "settings": str(settings_path()),
        "cache": str(cache_dir()),
        "log": str(log_path()),
        "exports": str(exports_dir()),
        "shipped playbooks": str(shipped_playbooks_dir()),
        "shipped scenarios": str(shipped_scenarios_dir()),
        "user playbooks": os.pathsep.join(str(p) for p in user_playbook_dirs()) or "(none)",
    }
