"""Print relationship-map figures for a big account (issue 13: under 300 ms each): reading the map, rendering
the tree, the coverage matrix and the warnings, and `coach account map` end to end.

    python benchmarks/accounts_map.py [--contacts 200] [--versions 5] [--runs 5]

Each figure is printed next to a floor measured in the same run, as a ratio (figures move with the
machine; ratios less so): for reading, opening the database alone; for `coach account map`, `coach
log list` on the same database (start-up, opening the database, a small read). Never part of the
test run; never pass/fail.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coach.review.accounts import check, render_coverage, render_map
from coach.store import accounts as store
from coach.store.db import connect

TARGET_MS = 300.0
"""The issue's bound for opening an account and rendering its map."""


def timed(fn, runs: int) -> list[float]:  # noqa: ANN001
    """Seconds per run of ``fn()``."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def line(label: str, times: list[float], floor: list[float] | None = None) -> str:
    """One figure: median, best, the share of the 300 ms bound, and the ratio to its floor."""
    med = statistics.median(times) * 1000
    text = f"{label:<34} median {med:7.1f} ms  best {min(times) * 1000:7.1f} ms"
    text += f"  {med / TARGET_MS:5.2f} of 300 ms"
    if floor:
        text += f"  ×{med / max(statistics.median(floor) * 1000, 1e-6):.1f} of the floor"
    return text


def seed(db: Path, contacts: int, versions: int) -> None:
    """An account with ``contacts`` people of theirs in a reporting tree, 12 of ours, two ties each,
    and ``versions`` versions per person (role and attitude changes)."""
    rng = random.Random(1)
    conn = connect(db)
    conn.execute("PRAGMA synchronous = OFF")  # seeding only
    ours = [f"Colleague {i}" for i in range(12)]
    store.add(conn, "Big Chain", tier="national", stores=3200, ours=ours)
    for i in range(contacts):
        store.add_contact(
            conn,
            "Big Chain",
            "theirs",
            f"Person {i}",
            role=f"Buyer {i}",
            reports_to=f"Person {(i - 1) // 4}" if i else None,
            decision_role=rng.choice(["decision-maker", "influencer", "user", "gatekeeper", None]),
            influence=rng.randint(1, 5),
            attitude=rng.choice(["opponent", "skeptic", "neutral", "supporter", "champion"]),
            last_contact=f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        )
        for v in range(versions - 1):
            store.update_contact(conn, "Big Chain", f"Person {i}", role=f"Manager {i}.{v}")
        for who in rng.sample(ours, 2):
            store.link(conn, "Big Chain", who, f"Person {i}", level=rng.randint(1, 5), target=5)
    conn.close()


def main() -> None:
    """Seed, then time each figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=200)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        start = time.perf_counter()
        seed(db, args.contacts, args.versions)
        took = time.perf_counter() - start
        print(f"seeded {args.contacts} contacts × {args.versions} versions in {took:.1f} s")

        def open_only() -> None:
            connect(db).close()

        def read() -> None:
            conn = connect(db)
            try:
                store.account_map(conn, "big chain")
            finally:
                conn.close()

        conn = connect(db)
        m = store.account_map(conn, "Big Chain")
        conn.close()
        floor = timed(open_only, args.runs)
        print(line("open the database (floor)", floor))
        print(line("open + read the account's map", timed(read, args.runs), floor))
        print(line("render the map (tree)", timed(lambda: render_map(m), args.runs)))
        print(line("render the coverage matrix", timed(lambda: render_coverage(m), args.runs)))
        print(line("the coach's warnings", timed(lambda: check(m), args.runs)))
        env = {**os.environ, "COACH_DB": str(db)}

        def cli(*argv: str):  # noqa: ANN202
            return lambda: subprocess.run(
                [sys.executable, "-m", "coach", *argv], env=env, capture_output=True, check=False
            )

        start_floor = timed(cli("log", "list", "--account", "nobody"), args.runs)
        print(line("`coach log list` (floor)", start_floor))
        print(
            line(
                "`coach account map` end to end",
                timed(cli("account", "map", "Big Chain"), args.runs),
                start_floor,
            )
        )


if __name__ == "__main__":
    main()
