"""Print business-plan figures for a big account (issue 13: under 300 ms each): opening a year's plan
with its reviews, the statuses, the review chart, and `coach acbp chart` end to end, over years of
quarterly reviews.

    python benchmarks/acbp.py [--years 5] [--kpis 10] [--objectives 8] [--runs 5]

Each figure is printed next to a floor measured in the same run, as a ratio (figures move with the
machine; ratios less so): for reading, opening the database alone; for `coach acbp chart`, `coach log
list` on the same database (start-up, opening the database, a small read). Never part of the test run;
never pass/fail.
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

from coach.content import business_plans as bp
from coach.review.business_plan import chart, check, render_plan, render_reviews, statuses
from coach.store import accounts
from coach.store import business_plans as store
from coach.store.db import connect

TARGET_MS = 300.0
"""The issue's bound for opening an account's plan and rendering its review chart."""


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


def seed(db: Path, years: int, kpis: int, objectives: int) -> int:
    """A plan per year with ``objectives`` objectives (three actions each), ``kpis`` KPIs from the FMCG set
    and free ones, each year edited four times and reviewed every quarter and at the year's end (each
    quarter recorded twice: one correction). Returns the last year."""
    rng = random.Random(1)
    conn = connect(db)
    conn.execute("PRAGMA synchronous = OFF")  # seeding only
    accounts.add(conn, "Big Chain", tier="national")
    first = 2027 - years + 1
    names = [s.en for s in bp.STARTERS][:kpis] + [
        f"free KPI {i}" for i in range(max(0, kpis - len(bp.STARTERS)))
    ]
    for year in range(first, 2028):
        scorecard = [
            {
                "name": n,
                "baseline": 50,
                "target": 60 + i,
                "source": "scan data",
                "owner": "Li Wei",
                "kind": "total" if i == 0 else "level",
                "direction": "lower" if "out-of-stock" in n else "higher",
            }
            for i, n in enumerate(names)
        ]
        plan = bp.validate(
            {
                "account": "Big Chain",
                "year": year,
                "situation": {"results": [f"{year - 1} sales CNY {rng.randint(10, 20)}m"]},
                "objectives": [
                    {
                        "text": f"objective {o}",
                        "measure": "CNY",
                        "strategies": [f"strategy {o}"],
                        "actions": [
                            {"what": f"action {o}.{a}", "owner": "Li Wei", "due": f"{year}-06-30"}
                            for a in range(3)
                        ],
                    }
                    for o in range(objectives)
                ],
                "investment": [
                    {"side": "ours", "what": "fund", "value": 300000, "unit": "CNY"},
                    {"side": "theirs", "what": "end-caps", "value": 90, "unit": "units"},
                ],
                "scorecard": scorecard,
            }
        )
        store.save(conn, plan)
        for edit in range(3):
            changed = plan.model_copy(update={"situation": bp.Situation(results=[f"edit {edit}"])})
            store.save(conn, changed)
        for period in [f"{year}-Q{q}" for q in range(1, 5)] + [str(year)]:
            for _ in range(2):
                actuals = [{"kpi": n, "actual": rng.uniform(40, 70)} for n in names]
                review = bp.validate_review(
                    {
                        "period": period,
                        "actuals": actuals,
                        "learned": ["what we learned"],
                        "next_actions": [{"what": "next", "owner": "Li Wei", "due": f"{year}-12-31"}],
                    }
                )
                store.add_review(conn, "Big Chain", review)
    conn.close()
    return 2027


def main() -> None:
    """Seed, then time each figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--kpis", type=int, default=10)
    parser.add_argument("--objectives", type=int, default=8)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        start = time.perf_counter()
        year = seed(db, args.years, args.kpis, args.objectives)
        took = time.perf_counter() - start
        print(f"seeded {args.years} years × {args.kpis} KPIs, quarterly and annual reviews, in {took:.1f} s")

        def open_only() -> None:
            connect(db).close()

        def read() -> None:
            conn = connect(db)
            try:
                store.get(conn, "big chain", year)
                store.concession_rows(conn, "Big Chain", year)
            finally:
                conn.close()

        conn = connect(db)
        stored = store.get(conn, "Big Chain", year)
        conn.close()
        plan, reviews = stored.plan, stored.reviews
        floor = timed(open_only, args.runs)
        print(line("open the database (floor)", floor))
        print(line("open + read a year's plan", timed(read, args.runs), floor))
        print(line("statuses of the year", timed(lambda: statuses(plan, reviews), args.runs)))
        print(line("render the review chart", timed(lambda: chart(plan, reviews), args.runs)))
        print(line("render the reviews", timed(lambda: render_reviews(plan, reviews), args.runs)))
        print(line("render the plan with its checks", timed(lambda: render_plan(plan, reviews), args.runs)))
        print(line("the plan's checks", timed(lambda: check(plan), args.runs)))
        env = {**os.environ, "COACH_DB": str(db)}

        def cli(*argv: str):  # noqa: ANN202
            return lambda: subprocess.run(
                [sys.executable, "-m", "coach", *argv], env=env, capture_output=True, check=False
            )

        start_floor = timed(cli("log", "list", "--account", "nobody"), args.runs)
        print(line("`coach log list` (floor)", start_floor))
        print(
            line(
                "`coach acbp chart` end to end",
                timed(cli("acbp", "chart", "Big Chain"), args.runs),
                start_floor,
            )
        )
        print(
            line(
                "`coach acbp show` end to end",
                timed(cli("acbp", "show", "Big Chain"), args.runs),
                start_floor,
            )
        )


if __name__ == "__main__":
    main()
