"""Print concession-log figures: insert throughput (one durable entry per transaction, and a bulk import)
and the time to review 100,000 entries, from the query to the rendered text and JSON.

    python benchmarks/concessions.py [--entries 100000] [--single 2000] [--runs 5]

Target (issue 4): review of 100,000 entries under 1 s; issue 14: `coach log review` under 0.5 s, which counts
and picks in the database (``coach.services.log_review``; ``benchmarks/startup.py`` has it as a ratio to the
floor, side by side with another tree).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coach.review.concessions import render_text, review, to_json
from coach.store import concessions as store
from coach.store.db import connect

ACCOUNTS = [
    "Carrefour",
    "Walmart",
    "RT-Mart",
    "Lianhua",
    "Hualian",
    "Suguo",
    "Wellcome",
    "Park'N'Shop",
    "Capital Airport",
    "Wanda Cinemas",
]
TACTICS = [
    None,
    None,
    None,
    "tactic.nibble",
    "tactic.deadline-pressure",
    "tactic.walkout-pressure",
    "tactic.delay-decision",
    "tactic.competitor-leverage",
]
UNITS = {
    "price": "percent",
    "payment-terms": "days",
    "listing-fee": "CNY",
    "promotion": "CNY",
    "free-goods": "units",
    "display": None,
    "service": None,
    "other": None,
}


def entry(rng: random.Random, i: int) -> store.NewConcession:
    """A plausible random concession (validated like a user's entry)."""
    kind = rng.choice(list(UNITS))
    unit = UNITS[kind]
    value = None if unit is None else round(rng.uniform(0.5, 5 if unit == "percent" else 50_000), 2)
    got = rng.random() < 0.6
    return store.validate_entry(
        {
            "when": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 19):02d}:00",
            "account": rng.choice(ACCOUNTS),
            "meeting": f"round {i % 400}",
            "type": kind,
            "give": f"concession {i}",
            "value": value,
            "unit": unit,
            "get": "two end-caps" if got else None,
            "get_value": 2 if got else None,
            "get_unit": "units" if got else None,
            "tactic": rng.choice(TACTICS),
            "stage": rng.choice(["opening", "bargaining", "bargaining", "closing", "after-deal"]),
            "status": "withdrawn" if rng.random() < 0.03 else "agreed",
            "note": "buyer pushed hard" if rng.random() < 0.2 else None,
        }
    )


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--single", type=int, default=2000, help="entries saved one transaction at a time")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(4)

    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "bench.sqlite3")
        print(f"python {sys.version.split()[0]}, sqlite {store.sqlite3.sqlite_version}")

        t0 = time.perf_counter()
        entries = [entry(rng, i) for i in range(args.entries)]
        t1 = time.perf_counter()
        print(
            f"validate {args.entries:,} entries:           {t1 - t0:6.2f} s  "
            f"({args.entries / (t1 - t0):,.0f}/s)"
        )

        t0 = time.perf_counter()
        for e in entries[: args.single]:
            store.add(conn, e)
        t1 = time.perf_counter()
        rate = args.single / (t1 - t0)
        print(
            f"add, one durable commit each ({args.single:,}):  {t1 - t0:6.2f} s  ({rate:,.0f} entries/s, "
            f"{(t1 - t0) / args.single * 1000:.2f} ms each)"
        )

        rest = [store.Imported(e, f"row {i}: ") for i, e in enumerate(entries[args.single :])]
        t0 = time.perf_counter()
        store.import_entries(conn, rest)
        t1 = time.perf_counter()
        print(
            f"import in one transaction ({len(rest):,}):  {t1 - t0:6.2f} s  "
            f"({len(rest) / (t1 - t0):,.0f} entries/s)"
        )

        del entries, rest  # the review process holds only its rows; keep the heap the same here
        gc.collect()
        stages = {"select": [], "review": [], "json": [], "text": [], "total": []}
        for _ in range(args.runs):
            with store.paused_gc():  # as `coach log review` does
                a = time.perf_counter()
                rows = store.select(conn)
                b = time.perf_counter()
                rv = review(rows)
                c = time.perf_counter()
                json.dumps(to_json(rv))
                d = time.perf_counter()
                render_text(rv)
                e = time.perf_counter()
            for key, value in zip(stages, (b - a, c - b, d - c, e - d, e - a), strict=True):
                stages[key].append(value)
        print(f"review of {len(rows):,} entries (median of {args.runs}; target < 1 s):")
        for key, values in stages.items():
            print(f"  {key:7} {statistics.median(values) * 1000:8.1f} ms")
        from coach.review.concessions import advice_from_rules
        from coach.services.log_review import log_review

        def advice():  # noqa: ANN202
            return advice_from_rules({}, [])

        for every_id, label in ((False, "text"), (True, "json")):
            times = []
            for _ in range(args.runs):
                with store.paused_gc():
                    a = time.perf_counter()
                    rv = log_review(conn, store.Filter(), advice, every_id=every_id)
                    (json.dumps(to_json(rv)) if every_id else render_text(rv))
                    times.append(time.perf_counter() - a)
            print(
                f"review counted in the database (coach log review, {label}): "
                f"{statistics.median(times) * 1000:.1f} ms"
            )
        flt = store.Filter(account="Carrefour")
        a = time.perf_counter()
        some = store.select(conn, flt)
        review(some)
        b = time.perf_counter()
        print(f"review of one account ({len(some):,} entries): {(b - a) * 1000:.1f} ms")
        conn.close()
        db = str(Path(tmp) / "bench.sqlite3")
        for argv in (["review"], ["review", "--json"], ["list", "--json"]):
            cmd = [sys.executable, "-m", "coach", "log", *argv, "--db", db]
            times = []
            for _ in range(max(1, args.runs // 2)):
                a = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - a)
            print(
                f"`coach log {' '.join(argv)}` end to end, process start included: "
                f"{statistics.median(times) * 1000:.0f} ms"
            )
        print("terminal UI, concession screen on the same 100,000 entries (headless, 120x40):")
        asyncio.run(ui_figures(Path(tmp) / "bench.sqlite3"))
    return 0


async def _until(pilot, done) -> float:  # noqa: ANN001
    """Seconds until ``done()`` holds, polling the running app every 5 ms."""
    start = time.perf_counter()
    while not done():
        await pilot.pause(0.005)
    return time.perf_counter() - start


async def ui_figures(db: Path) -> None:
    """Open the screen, then filter and sort the table and scope the review, timing each until redrawn."""
    from coach.content.compiled import cached_index
    from coach.tui.app import CoachApp
    from coach.tui.screens.concessions import ConcessionScreen

    app = CoachApp(cached_index, db_path=db, lang="en", settings_path=db.with_name("settings.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        app.open_screen("concessions")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConcessionScreen)
        opened = await _until(pilot, lambda: screen.table_updates > 0)
        print(f"  open: log read and table drawn   {opened * 1000:7.0f} ms")
        start = time.perf_counter()
        screen.action_show_tab("log-review")  # the review is computed when its tab opens
        await _until(pilot, lambda: screen.review_updates > 0)
        print(f"  review tab: review and chart drawn {(time.perf_counter() - start) * 1000:5.0f} ms")
        await pilot.press("f6")
        for label, query in (
            ("filter 'carrefour'", "carrefour"),
            ("filter 'carrefour round 17'", "carrefour round 17"),
        ):
            before = screen.table_updates
            screen.query_one("#log-filter").value = query
            took = await _until(pilot, lambda b=before: screen.table_updates > b)
            print(f"  {label:28} {took * 1000:7.0f} ms  ({screen.matched:,} match)")
        screen.query_one("#log-filter").value = ""
        await _until(pilot, lambda: screen.matched == len(screen.rows or []))
        for column in ("amount", "account", "when"):
            before = screen.table_updates
            screen.sort_column, screen.sort_reverse = column, False
            screen._request_table()
            took = await _until(pilot, lambda b=before: screen.table_updates > b)
            print(f"  sort all by {column:16} {took * 1000:7.0f} ms")
        await pilot.press("f7")
        before = screen.review_updates
        screen.query_one("#log-review-account").value = "Carrefour"
        took = await _until(pilot, lambda: screen.review_updates > before)
        print(f"  review of one account            {took * 1000:7.0f} ms")


if __name__ == "__main__":
    raise SystemExit(main())
