"""Load the playbooks and build the engine's index: the one call every face (CLI, UI) uses.

``fast_index`` keeps a built index in the user's cache folder (``marshal``, plain data only), keyed by
the playbook files' names, sizes and modification times and by the code version, so `coach match
--json` starts without parsing YAML or validating models when nothing has changed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

from typing import TYPE_CHECKING

from coach import __version__, locations
from coach.engine.index import FORMAT, Index, build_index

if TYPE_CHECKING:  # the fast path never imports the loader (YAML, pydantic)
    from coach.content.loader import Library


def cached_index(extra_dirs: list[Path] | None = None) -> tuple[Library, Index]:
    """Shipped + user playbooks, validated (a ``ContentError`` on any problem), and their index."""
    from coach.content.loader import load_default

    lib = load_default(extra_dirs)
    lib.raise_if_problems()
    return lib, build_index(lib)


def _yaml_files(layer: Path) -> list[Path]:
    if layer.is_dir():
        return sorted(p for p in layer.iterdir() if p.suffix in (".yaml", ".yml"))
    return [layer]


def fingerprint(extra_dirs: list[Path] | None = None) -> str:
    """A key that changes whenever a playbook file or the engine code changes."""
    h = hashlib.sha1(f"{__version__}:{FORMAT}".encode())
    code = Path(__file__).resolve().parent.parent
    for folder in ("engine", "content"):
        for src in sorted((code / folder).glob("*.py")):
            st = src.stat()
            h.update(f"{src.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    for base in [locations.shipped_playbooks_dir(), *(extra_dirs or [])]:
        h.update(f"[{base}]".encode())
        for f in _yaml_files(base) if base.exists() else []:
            try:
                st = f.stat()
            except OSError:
                continue
            h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def fast_index(extra_dirs: list[Path] | None = None) -> tuple[Index, list[str]]:
    """The index and the load notices, from the cache when fresh, else built (and cached)."""
    cache_dir = locations.cache_dir()
    path = cache_dir / f"index-{fingerprint(extra_dirs)}.marshal"
    try:
        with open(path, "rb") as fh:
            data = marshal.load(fh)
        return Index.from_plain(data["index"]), list(data["notices"])
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        pass
    lib, index = cached_index(extra_dirs)
    _write(path, {"index": index.to_plain(), "notices": lib.notices})
    return index, lib.notices


def _write(path: Path, data: dict[str, object]) -> None:
    """Write the cache atomically, owner-only; a cache that cannot be written is simply skipped."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(data, fh)
        os.replace(tmp, path)
        for old in path.parent.glob("index-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        tmp.unlink(missing_ok=True)
