"""No acknowledged entry is ever lost: a writer killed with SIGKILL mid-run, and writers racing each other,
on the SQLite file and (on a PostgreSQL run) on a team database.

Each writer is a real process. It prints an entry's id only after the store returned it (the commit
happened), so every printed id is one the user was told was saved.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coach.store import concessions as store
from coach.store.concessions import Filter
from coach.store.db import connect

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    path, tag, count, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    if mode == "api":
        from coach.store import concessions as store
        from coach.store.db import connect

        conn = connect(path if "://" in path else Path(path))
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    i = 0
    while count < 0 or i < count:
        fields = {"account": tag, "type": "price", "give": f"{tag} {i}", "value": i % 7, "unit": "percent",
                  "note": "n" * (i % 700)}
        if mode == "api":
            print(store.add(conn, store.validate_entry(fields)), flush=True)
        else:  # the command line, in-process: opens, migrates, adds, closes each time
            from coach.cli import main

            args = ["log", "add", "--db", path] + [f"--{k}={v}" for k, v in fields.items()]
            code = main(args)
            sys.stdout.flush()
            if code:
                sys.exit(code)
        i += 1
    """
)


def _start(path: Path | str, tag: str, count: int, mode: str = "api") -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(count), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _ready(proc: subprocess.Popen) -> None:
    line = proc.stdout.readline()
    assert line.strip() == "ready", line + proc.stderr.read()


def _go(*procs: subprocess.Popen) -> None:
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()


def _ids(lines: list[str]) -> list[int]:
    """Complete lines only: a line cut by the kill was never fully printed, so never acknowledged."""
    return [int(line) for line in lines if line.endswith("\n") and line.strip().isdigit()]


def _check_intact(path: Path | str) -> None:
    if not isinstance(path, Path):  # a PostgreSQL server keeps its own files whole
        return
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        raw.close()


def test_sigkill_mid_run_loses_no_acknowledged_entry(db_target):
    path = db_target
    acknowledged: list[int] = []
    for round_no in range(3):
        with _start(path, f"round{round_no}", -1) as proc:
            _ready(proc)
            _go(proc)
            lines = []
            while len(lines) < 150 + 97 * round_no:  # vary the point of the kill between rounds
                line = proc.stdout.readline()
                assert line, "writer stopped early: " + proc.stderr.read()
                lines.append(line)
            os.kill(proc.pid, signal.SIGKILL)
            lines += proc.stdout.readlines()  # what it printed before dying was acknowledged too
            proc.wait()
        assert proc.returncode == -signal.SIGKILL
        acknowledged += _ids(lines)
        _check_intact(path)
        conn = connect(path)  # opens cleanly, recovering the write-ahead log if needed
        stored = {r.id for r in store.select(conn, Filter(history=True))}
        conn.close()
        missing = set(acknowledged) - stored
        assert not missing, f"acknowledged but lost: {sorted(missing)[:10]}"
    assert len(acknowledged) >= 150 + 247 + 344


@pytest.mark.parametrize("mode", ["api", "cli"])
def test_two_writers_at_once_lose_nothing_and_never_see_locked(tmp_path, db_target, mode):
    # A file that does not exist yet: they also race to create and migrate it (a team database is set up).
    path = tmp_path / "fresh" / "coach.sqlite3" if isinstance(db_target, Path) else db_target
    count = 250 if mode == "api" else 40
    procs = [_start(path, tag, count, mode) for tag in ("alice", "bob")]
    for proc in procs:
        _ready(proc)
    _go(*procs)
    results = [proc.communicate() for proc in procs]  # communicate() closes the pipes
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err.lower() and "busy" not in err.lower(), err
        assert "Traceback" not in err, err
    printed = [_ids(out.splitlines(keepends=True)) for out, _ in results]
    assert all(len(ids) == count for ids in printed)
    conn = connect(path)
    rows = store.select(conn)
    conn.close()
    assert sorted(r.id for r in rows) == sorted(printed[0] + printed[1])
    for tag in ("alice", "bob"):
        assert sorted(r.give for r in rows if r.account == tag) == sorted(f"{tag} {i}" for i in range(count))
    _check_intact(path)
