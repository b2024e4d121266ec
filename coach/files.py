"""The user's files, read and written safely: one reader and one writer for every verb and screen.

- Reading: the kind of file and its size are checked *before* reading (a FIFO, /dev/zero or a folder is
  refused at once, never read), and no more than the limit is ever read.
- Writing: the text goes to a temporary name beside the target (owner-only), is flushed to disk, then
  renamed into place, so a full disk or a kill never leaves a partial file under the real name; only a
  regular file is ever replaced (never a device, a pipe or a symbolic link), and only when asked to.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from coach.errors import CoachError


class FileProblem(CoachError):
    """A file cannot be read or written; ``reason`` is the part after the file name (for located errors)."""

    def __init__(self, path: str | os.PathLike[str], reason: str, hint: str | None = None) -> None:
        super().__init__(f"{path}: {reason}", hint)
        self.reason = reason


def _size(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n // 1000} KB"


def read_bytes(path: Path, limit: int, shown: str | None = None) -> bytes:
    """At most ``limit`` bytes of the regular file ``path``; anything else is a ``FileProblem``.

    The file is opened without blocking (a FIFO does not wait for a writer) and its kind and size are
    checked on the open descriptor before a byte is read; a file that grows meanwhile is still cut at
    ``limit + 1`` bytes and refused.
    """
    name = shown or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except IsADirectoryError:
        raise FileProblem(name, "is a folder, not a file") from None
    except FileNotFoundError:
        raise FileProblem(name, "cannot read (no such file)") from None
    except OSError as exc:
        raise FileProblem(name, f"cannot read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(name, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(name, "is not a regular file (a device, pipe or socket); nothing was read")
        if info.st_size > limit:
            raise FileProblem(name, f"is larger than {_size(limit)}; nothing was read")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise FileProblem(name, f"is larger than {_size(limit)}; nothing was read")
        return data
    except OSError as exc:
        raise FileProblem(name, f"cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def check_target(path: Path, *, force: bool | None, option: str = "--output") -> None:
    """Refuse, before any work, a target that is a folder, not a regular file, exists without ``force``
    (``None``: the verb never overwrites), or lies in a folder that does not exist."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise FileProblem(
            f"{option} {path}", f"cannot use it ({exc.strerror or exc}); nothing was written"
        ) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(f"{option} {path}", "is a folder; nothing was written")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(
                f"{option} {path}",
                "is not a regular file (a link, device or pipe) and is never replaced; nothing was written",
                "choose another file name",
            )
        if not force:
            raise FileProblem(
                f"{option} {path}",
                "already exists; nothing was written",
                "add --force to overwrite it" if force is not None else "choose another file name",
            )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise FileProblem(f"{option} {path}", f"no such folder {parent}; nothing was written")


def write_file(
    path: Path,
    data: str | bytes,
    *,
    force: bool | None = None,
    option: str = "--output",
    encoding: str = "utf-8",
) -> None:
    """Write ``data`` to ``path`` whole or not at all (owner-only, temporary name, fsync, rename).

    ``force=True`` replaces an existing regular file; ``False`` refuses one (suggesting --force);
    ``None`` never overwrites (the verb has no --force). Every failure is one ``FileProblem`` line
    and leaves nothing behind: no temporary file, no partial or empty file under the real name.
    """
    check_target(path, force=force, option=option)
    raw = data.encode(encoding) if isinstance(data, str) else data
    parent = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            check_target(path, force=True, option=option)  # still a regular file (or absent) just before
            os.replace(tmp, path)
            tmp = None
        else:
            _link_new(Path(tmp), path, raw)
        sync_folder(parent)
    except FileExistsError:
        raise FileProblem(
            f"{option} {path}", "already exists; nothing was written", "choose another file name"
        ) from None
    except OSError as exc:
        raise FileProblem(
            f"{option} {path}", f"cannot write ({exc.strerror or exc}); nothing was written"
        ) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def write_output(
    path: str | os.PathLike[str],
    data: str | bytes,
    *,
    force: bool | None = None,
    bom: bool = False,
    option: str = "--output",
) -> Path:
    """Write a verb's output file (``--output FILE``, ``~`` expanded) whole or not at all; returns the path.

    The one overwrite policy of every verb: ``force=True`` (``--force`` given) replaces an existing regular
    file, ``False`` refuses one and suggests ``--force``, ``None`` (a verb without ``--force``) never
    overwrites. ``bom`` starts the text with a UTF-8 byte-order mark (csv for spreadsheets).
    """
    target = Path(path).expanduser()
    write_file(target, data, force=force, option=option, encoding="utf-8-sig" if bom else "utf-8")
    return target


def free_stem(folder: Path, stem: str, suffixes: tuple[str, ...], first: int = 2) -> str:
    """The first of ``STEM``, ``STEM-<first>``, ``STEM-<first + 1>``... under which ``folder`` holds no file
    with any of ``suffixes`` (an export never replaces an earlier one); ``FileProblem`` after 1,000 tries.
    Writing with ``write_file(..., force=None)`` still refuses a name taken meanwhile."""
    for tag in ("", *(f"-{n}" for n in range(first, first + 999))):
        if not any(os.path.lexists(folder / f"{stem}{tag}.{suffix}") for suffix in suffixes):
            return f"{stem}{tag}"
    raise FileProblem(folder, "no free file name for the export", "clear out old exports")


def _link_new(tmp: Path, path: Path, raw: bytes) -> None:
    """Put the finished temporary file under ``path`` only if nothing is there (never overwrite)."""
    try:
        os.link(tmp, path)  # atomic, and fails if the name was taken meanwhile
    except FileExistsError:
        raise
    except OSError:  # no hard links on this drive (FAT, some shares): create exclusively, remove on failure
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
