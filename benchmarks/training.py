"""Print training-mode figures: building a drill sitting and a quiz from the shipped playbooks, saving an
answer, and for a class (trainees x answers each): the report in each format, export, and import into an
empty database and again (no change).

    python benchmarks/training.py [--trainees 30] [--answers 400] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from coach.content.loader import load_default
from coach.content.scenarios import load_default as load_scenarios
from coach.engine import build_index
from coach.store import training
from coach.store.db import connect
from coach.training import transfer
from coach.training.drill import DrillRun, areas_for, drill_items
from coach.training.progress import merge, progress, titles
from coach.training.quiz import QuizRun, quiz_bank
from coach.training.report import Trainee, csv_report, html_report, markdown


def timed(fn, runs: int) -> tuple[float, object]:  # noqa: ANN001
    """Median seconds over ``runs`` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    """Run the measurements and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--answers", type=int, default=400, help="answers per trainee")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(1)

    start = time.perf_counter()
    lib = load_default()
    lib.raise_if_problems()
    index = build_index(lib)
    found = load_scenarios(situations=set(lib.rules), behaviours=set(lib.behaviours))
    scenarios = [found.scenarios[k] for k in sorted(found.scenarios)]
    print(f"load playbooks + index + scenarios: {time.perf_counter() - start:.2f} s")

    now = datetime.now(UTC)
    t, items = timed(lambda: drill_items(lib, scenarios, lang="en"), args.runs)
    print(f"drill items (en): {len(items)} in {t * 1000:.1f} ms")

    def sitting() -> int:
        run = DrillRun(lib, index, items, {}, lang="en", count=10, seed=rng.random(), now=now)
        n = 0
        while run.next() is not None:
            n += 1
        return n

    t, n = timed(sitting, args.runs)
    print(f"drill sitting of {n} questions (engine runner-ups included): {t * 1000:.1f} ms")
    bank = quiz_bank(lib)

    def quiz() -> int:
        run = QuizRun(lib, bank, {}, lang="zh", count=10, seed=rng.random(), now=now)
        n = 0
        while run.next() is not None:
            n += 1
        return n

    t, _ = timed(quiz, args.runs)
    print(f"quiz bank {len(bank)} questions; a sitting of 10: {t * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "class.sqlite3"
        conn = connect(db)
        rules = list(lib.rules.values())
        profiles = [training.create_profile(conn, f"Trainee {i:02d}", "Bench") for i in range(args.trainees)]
        start = time.perf_counter()
        for p in profiles:
            base = now - timedelta(days=30)
            for i in range(args.answers):
                rule = rng.choice(rules)
                kind = "drill" if i % 3 else "quiz"
                max_score = 2 if kind == "drill" else 1
                score = rng.randint(0, max_score)
                chosen = rule.id if score == max_score else rng.choice(rules).id
                training.add_attempt(
                    conn,
                    p.id,
                    {
                        "uuid": str(uuid.uuid4()),
                        "run": f"r{i // 10}",
                        "seq": i % 10,
                        "kind": kind,
                        "item": f"{kind}:{rule.id}:{i % 37}",
                        "area": rule.id,
                        "principles": areas_for(rule),
                        "lang": "en",
                        "score": score,
                        "max_score": max_score,
                        "detail": {"expected": rule.id, "chosen": chosen},
                        "answered_at": (base + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    },
                )
        total = args.trainees * args.answers
        took = time.perf_counter() - start
        each = took / total * 1000
        print(
            f"save {total} answers one by one (durable, schedule updated): {took:.2f} s ({each:.2f} ms each)"
        )
        names = titles(lib)

        def report(fmt: str) -> str:
            people = [
                Trainee(
                    p.name,
                    p.created_at,
                    progress(training.attempts(conn, p.id), training.roleplays(conn, p), names),
                )
                for p in profiles
            ]
            whole = merge([x.progress for x in people], names)
            if fmt == "csv":
                return csv_report("Bench", people, whole, names, "en")
            if fmt == "html":
                return html_report("Bench", people, whole, names, "en", "now")
            return markdown("Bench", people, whole, names, "en", "now")

        for fmt in ("md", "html", "csv"):
            t, text = timed(lambda fmt=fmt: report(fmt), args.runs)
            size = f"{args.trainees} trainees x {args.answers} answers"
            print(f"report {fmt} for {size}: {t * 1000:.0f} ms ({len(text)} chars)")
        t, data = timed(lambda: training.export_class(conn, "Bench"), args.runs)
        out = Path(tmp) / "bench.json"
        out.write_text(json.dumps(data), encoding="utf-8")
        print(f"export: {t * 1000:.0f} ms, {out.stat().st_size / 1e6:.1f} MB")
        hub = connect(Path(tmp) / "hub.sqlite3")
        start = time.perf_counter()
        checked = transfer.read(out)
        read = time.perf_counter() - start
        start = time.perf_counter()
        first = training.import_class(hub, [(checked, str(out))])
        write = time.perf_counter() - start
        print(
            f"import into an empty database: check {read * 1000:.0f} ms + write {write * 1000:.0f} ms "
            f"({first.attempts_new} answers)"
        )
        start = time.perf_counter()
        again = training.import_class(hub, [(checked, str(out))])
        took = time.perf_counter() - start
        print(f"import again: {took * 1000:.0f} ms, {again.attempts_new} new, {again.attempts_known} known")
        hub.close()
        conn.close()


if __name__ == "__main__":
    main()
