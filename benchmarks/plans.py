"""Print meeting-plan figures: saving versions, checking a meeting's concessions against its plan, the brief,
and `coach log review --meeting` end to end.

    python benchmarks/plans.py [--entries 5000] [--versions 200] [--runs 5]

A meeting holds tens of concessions; the figures use far more to show there is room.
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

from coach.content.plans import load_yaml_file, validate
from coach.review.brief import guidance_ids, render
from coach.review.plans import check
from coach.store import concessions as log_store
from coach.store import plans as store
from coach.store.db import connect

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "plan_sample.yaml"
TYPES = ["price", "promotion", "display", "listing-fee", "payment-terms", "free-goods", "service", "other"]
UNITS = {
    "price": "percent",
    "promotion": "units",
    "display": "CNY",
    "listing-fee": "CNY",
    "payment-terms": "days",
    "free-goods": "units",
    "service": "days",
    "other": "units",
}


def best(times: list[float]) -> str:
    """Median and best of the runs, in milliseconds."""
    return f"median {statistics.median(times) * 1000:.1f} ms, best {min(times) * 1000:.1f} ms"


def big_plan():  # noqa: ANN201
    """The sample plan with 30 tradeables (several per type, so matching has to compare texts)."""
    plan = load_yaml_file(SAMPLE)
    rng = random.Random(1)
    items = []
    for i in range(30):
        t = TYPES[i % len(TYPES)]
        items.append(
            {
                "item": f"item {i} {t} for the summer promotion",
                "type": t,
                "cost": rng.choice(["low", "high"]),
                "value": "high",
                "ask": f"return {i}",
                "limit": {"value": 5 + i, "unit": UNITS[t]},
            }
        )
    return validate({**plan.body(), "tradeables": items})


def main() -> None:
    """Run the measurements and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--versions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    plan = big_plan()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        conn = connect(db)
        start = time.perf_counter()
        plan_id = store.create(conn, plan)
        for v in range(args.versions - 1):
            store.save_version(conn, plan_id, validate({**plan.body(), "record": [f"note {v}"]}))
        took = time.perf_counter() - start
        print(
            f"save {args.versions} versions (one durable transaction each): "
            f"{took / args.versions * 1000:.2f} ms "
            "per version"
        )
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            store.get(conn, plan_id)
            times.append(time.perf_counter() - start)
        print(f"open the latest version: {best(times)}")

        rng = random.Random(2)
        rows = []
        for i in range(args.entries):
            t = rng.choice(TYPES)
            rows.append(
                log_store.Imported(
                    log_store.validate_entry(
                        {
                            "account": "Carrefour",
                            "meeting": "annual 2025",
                            "type": t,
                            "give": f"item {rng.randrange(30)} {t}",
                            "value": rng.randrange(1, 5),
                            "unit": UNITS[t],
                            "get": rng.choice([None, "facings"]),
                            "when": f"2025-03-04T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}",
                        }
                    ),
                    "",
                )
            )
        log_store.import_entries(conn, rows)
        stored = log_store.select(conn, log_store.Filter(meeting="annual 2025"))
        conn.close()
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            pc = check(plan, stored)
            times.append(time.perf_counter() - start)
        print(
            f"check {len(stored)} concessions against a plan with {len(plan.tradeables)} tradeables: "
            f"{best(times)} "
            f"({len(pc.findings)} findings)"
        )

        from coach.content.loader import load_default
        from coach.review.plans import guidance

        notes = guidance(load_default(check=False).rules, guidance_ids(plan))
        for fmt in ("md", "html"):
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                render(plan, notes, fmt, "en", plan_id=1, version=1)
                times.append(time.perf_counter() - start)
            print(f"brief as {fmt}: {best(times)}")

        env = {**os.environ, "COACH_DB": str(db), "COACH_HOME": tmp}
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "coach", "log", "review", "--meeting", "annual 2025"],
                env=env,
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
        print(
            f"`coach log review --meeting` over {len(stored)} entries, process start to exit: {best(times)}"
        )


if __name__ == "__main__":
    main()
