"""Print how fast each command-line verb starts, as a ratio to the floor, measured side by side in one run.

    python benchmarks/startup.py [--runs 7] [--entries 100000] [--cold] [--before TREE]

The floor is a fresh interpreter that only imports what every verb needs anyway
(``python -c "import pydantic, rapidfuzz, yaml"``). Each round runs the floor and every command once, in
turn, so a busy machine slows them alike; the figures are medians over the rounds, wall time and CPU
time (user + system of the child). The playbook cache is warmed before the rounds (a first run builds
it); ``--cold`` also times the first run after the cache is removed. ``--before TREE`` runs every command
also from another source tree (e.g. ``git archive COMMIT | tar -x -C TREE``), in the same rounds, so a
change is measured before and after under the same load.

Targets (issue 14): match <= 1.3x the floor, assess <= 1.5x, log list <= 1.5x, log review over 100,000
entries < 0.5 s. Figures, not a test: nothing here fails the test run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = [sys.executable, "-c", "import pydantic, rapidfuzz, yaml"]
SITUATION = "the buyer wants a bigger listing fee for the new flavour"
TYPO = "the buyer wants a bigger listng fee for the new flavour"
REPLY = "ok, I can give you the extra 2% if you sign the order today"


def commands(small_db: Path, big_db: Path) -> dict[str, list[str]]:
    """Label -> argv of each command measured (``python -m coach ...``)."""
    coach = [sys.executable, "-m", "coach"]
    return {
        "floor (import pydantic, rapidfuzz, yaml)": FLOOR,
        "coach match TEXT": [*coach, "match", SITUATION],
        "coach match --json TEXT": [*coach, "match", "--json", SITUATION],
        "coach match --json TYPO": [*coach, "match", "--json", TYPO],
        "coach assess --json TEXT": [*coach, "assess", "--json", REPLY],
        "coach log list --json (100)": [*coach, "log", "list", "--json", "--db", str(small_db)],
        f"coach log review ({entries_in(big_db):,})": [*coach, "log", "review", "--db", str(big_db)],
    }


def entries_in(db: Path) -> int:
    """How many entries the database holds."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM concessions").fetchone()[0])
    finally:
        conn.close()


def make_db(path: Path, entries: int) -> None:
    """A concession log of ``entries`` plausible entries (as ``benchmarks/concessions.py`` makes them)."""
    import random

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from concessions import entry  # type: ignore[import-not-found]

    from coach.store import concessions as store
    from coach.store.db import connect

    rng = random.Random(4)
    conn = connect(path)
    try:
        store.import_entries(conn, [store.Imported(entry(rng, i), f"row {i}: ") for i in range(entries)])
    finally:
        conn.close()


def timed(argv: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of ``argv``; a failing run stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv[2:])}: exit {done.returncode}\n{done.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="rounds (each runs every command once)")
    parser.add_argument("--entries", type=int, default=100_000, help="entries in the log that is reviewed")
    parser.add_argument("--cold", action="store_true", help="also time a first run without the cache")
    parser.add_argument("--before", type=Path, metavar="TREE", help="another source tree to compare with")
    parser.add_argument("--make-db", nargs=2, metavar=("PATH", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_db:  # in a child whose PYTHONPATH is the tree compared with (its own schema)
        make_db(Path(args.make_db[0]), int(args.make_db[1]))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
        env.update(COACH_HOME=str(home), PYTHONPATH=str(ROOT), COACH_LANG="en")
        small, big = Path(tmp) / "small.sqlite3", Path(tmp) / "big.sqlite3"
        make_db(small, 100)
        make_db(big, args.entries)
        runs: dict[str, tuple[list[str], dict[str, str], Path]] = {}
        olds: dict[str, list[str]] = {}
        if args.before:
            tree = args.before.resolve()
            old_env = {**env, "COACH_HOME": str(Path(tmp) / "home-before"), "PYTHONPATH": str(tree)}
            (Path(tmp) / "home-before").mkdir()
            old_small, old_big = Path(tmp) / "small-before.sqlite3", Path(tmp) / "big-before.sqlite3"
            for db, n in ((old_small, 100), (old_big, args.entries)):
                me = [sys.executable, str(Path(__file__).resolve()), "--make-db", str(db), str(n)]
                subprocess.run(
                    me, env={**old_env, "PYTHONPATH": f"{tree}{os.pathsep}{ROOT / 'benchmarks'}"}, check=True
                )
            olds = commands(old_small, old_big)
        for label, argv in commands(small, big).items():
            if label in olds and argv is not FLOOR:
                runs[label + " [before]"] = (olds[label], old_env, tree)
            runs[label] = (argv, env, ROOT)
        cmds = {label: argv for label, (argv, _, _) in runs.items()}
        cold: dict[str, tuple[float, float]] = {}
        if args.cold:
            for label in ("coach match --json TEXT", "coach match TEXT", "coach assess --json TEXT"):
                shutil.rmtree(home / "cache", ignore_errors=True)
                cold[label] = timed(*runs[label])
        for run in runs.values():  # warm: the cache is built, files are in the page cache
            timed(*run)
        walls: dict[str, list[float]] = {k: [] for k in cmds}
        cpus: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(args.runs):
            for label, run in runs.items():
                wall, cpu = timed(*run)
                walls[label].append(wall)
                cpus[label].append(cpu)
    floor_label = next(iter(cmds))
    floor_wall = statistics.median(walls[floor_label])
    floor_cpu = statistics.median(cpus[floor_label])
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {args.runs} rounds, warm cache"
    )
    print(f"{'command':46} {'wall ms':>8} {'x floor':>8} {'cpu ms':>8} {'x floor':>8}")
    for label in cmds:
        wall, cpu = statistics.median(walls[label]), statistics.median(cpus[label])
        print(
            f"{label:46} {wall * 1000:8.0f} {wall / floor_wall:7.2f}x {cpu * 1000:8.0f} {cpu / floor_cpu:7.2f}x"
        )
    for label, (wall, cpu) in cold.items():
        print(
            f"{label + ' (no cache, one run)':46} {wall * 1000:8.0f} {wall / floor_wall:7.2f}x "
            f"{cpu * 1000:8.0f} {cpu / floor_cpu:7.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
