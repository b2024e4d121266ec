"""Load the playbooks and build the engine's index: the one call every face (CLI, UI) uses.

``fast_index`` keeps the last built index in the user's cache folder (``marshal``, plain data only)
with the playbook files' names, sizes and modification times and the code version it was built
from, so `coach match --json` starts without parsing YAML or validating models when nothing changed.
"""

from __future__ import annotations

import gc
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
    """A key that changes whenever a playbook file or the engine code changes (stored in the cache
    and compared whole, so no hashing is needed)."""
    parts = [f"{__version__}:{FORMAT}"]
    code = Path(__file__).resolve().parent.parent
    for folder in ("engine", "content"):
        for src in sorted((code / folder).glob("*.py")):
            st = src.stat()
            parts.append(f"{src.name}:{st.st_size}:{st.st_mtime_ns}")
    for base in [locations.shipped_playbooks_dir(), *(extra_dirs or [])]:
        parts.append(f"[{base}]")
        for f in _yaml_files(base) if base.exists() else []:
            try:
                st = f.stat()
            except OSError:
                continue
            parts.append(f"{f}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def fast_index(extra_dirs: list[Path] | None = None) -> tuple[Index, list[str]]:
    """The index and the load notices, from the cache when fresh, else built (and cached)."""
    path = locations.cache_dir() / "index.marshal"
    key = fingerprint(extra_dirs)
    cached = _read(path, key)
    if cached is not None:
        return cached
    lib, index = cached_index(extra_dirs)
    _write(path, {"key": key, "index": index.to_plain(), "notices": lib.notices})
    return index, lib.notices


MAX_CACHE_BYTES = 500_000_000
"""A cache larger than this is not read (the shipped playbooks make about 5 MB)."""


def _read(path: Path, key: str) -> tuple[Index, list[str]] | None:
    """The cached index if ``path`` holds one built from ``key``; None for anything else.

    The cache is rebuildable, so whatever is wrong with it (missing, truncated, another format, a FIFO
    or a folder in its place, plain data of the wrong shape) means "rebuild", never an error.
    """
    from coach.files import FileProblem, read_bytes

    try:
        raw = read_bytes(path, MAX_CACHE_BYTES)
    except FileProblem:
        return None
    gc.disable()  # millions of small containers: collecting while loading only costs time
    try:
        data = marshal.loads(raw)
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        notices = data["notices"]
        if not isinstance(notices, list) or not all(isinstance(n, str) for n in notices):
            return None
        return Index.from_plain(data["index"]), list(notices)
    except Exception:  # noqa: BLE001 - any malformed cache is rebuilt, whatever the error
        return None
    finally:
        gc.enable()


def _write(path: Path, data: dict[str, object]) -> None:
    """Write the cache atomically, owner-only; a cache that cannot be written is simply skipped."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(data, fh)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
