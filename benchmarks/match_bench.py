"""Print the index build time and matching latency (p50/p95) on the shipped playbooks and on generated
playbooks of 1,000 and 10,000 rules, and the cold start of `coach match --json` next to the bare import of
its dependencies.

    python benchmarks/match_bench.py [--rules 1000 10000] [--queries 300] [--runs 15] [--no-cold-start]

Build and query times are CPU time of this process (time.process_time), so other work on a shared machine
does not count in them; a build's time includes the full garbage collection that follows it (the objects it
made are walked once either way). Cold start is wall time (a new process each run).

Targets (issues): build < 1 s at 1,000 rules and < 10 s at 10,000; query p95 < 2 ms shipped and < 20 ms at
10,000 rules; cold start within 1.5x of the imports.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from coach.content.compiled import cached_index
from coach.content.loader import Library
from coach.content.models import Rule
from coach.engine import build_index, rank


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def queries_from(lib: Library, n: int, rng: random.Random) -> list[str]:
    texts = [t for r in lib.rules.values() for t in (*r.examples, *r.counter_examples)]
    long = " ".join(texts[:40])
    out = [rng.choice(texts) for _ in range(n)]
    out += [long, "法国的首都是哪里", "", "x" * 5000]
    return out


def time_queries(index, queries: list[str]) -> list[float]:
    """CPU milliseconds of each query (after 20 to warm the caches)."""
    for q in queries[:20]:  # warm caches
        rank(index, q)
    times = []
    for q in queries:
        started = time.process_time()
        rank(index, q)
        times.append((time.process_time() - started) * 1000)
    return times


def time_build(lib: Library):
    """The index of ``lib`` and the CPU seconds it took to build (with the garbage collection after it)."""
    gc.collect()
    started = time.process_time()
    index = build_index(lib)
    gc.collect()
    return index, time.process_time() - started


def generated_library(lib: Library, n_rules: int, rng: random.Random) -> Library:
    """A large synthetic playbook: shipped rules' phrases, examples and keywords shuffled into new rules
    (twelve phrases and six examples each, every text distinct)."""
    base = list(lib.rules.values())
    words = sorted({w for r in base for p in r.match.phrases.en for w in p.split()})
    big = Library(concepts=lib.concepts)
    for i in range(n_rules):
        src = base[i % len(base)]
        data = src.model_dump(mode="json")
        data["id"] = f"{src.category.value}.generated-{i}"
        en = [" ".join(rng.sample(words, 8)) + " " + p for p in src.match.phrases.en[:6]]
        data["match"]["phrases"] = {"en": en, "zh": src.match.phrases.zh[:6]}
        # Six examples per rule, each made distinct (a shipped rule has ~140; build time is linear in texts).
        data["examples"] = [" ".join(rng.sample(words, 8)) + " " + e for e in src.examples[:6]]
        data["response"]["principles"] = []
        data["response"]["see_also"] = []
        big.rules[data["id"]] = Rule.model_validate(data)
    return big


def cold_start(runs: int) -> tuple[float, float]:
    env = {**os.environ}
    imports = [sys.executable, "-c", "import pydantic, rapidfuzz, yaml"]
    match = [sys.executable, "-m", "coach", "match", "--json", "the buyer walked out of the meeting"]
    subprocess.run(match, capture_output=True, env=env, check=True)  # build the cache once

    def median_of(cmd: list[str]) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env, check=True)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    return median_of(imports), median_of(match)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rules", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-cold-start", action="store_true", help="skip the cold-start measurement")
    args = parser.parse_args()
    rng = random.Random(7)

    os.environ.setdefault("COACH_HOME", tempfile.mkdtemp(prefix="coach-bench-"))
    lib, index = cached_index()
    _, built = time_build(lib)
    queries = queries_from(lib, args.queries, rng)
    t = time_queries(index, queries)
    print(
        f"shipped playbooks ({len(lib.rules)} rules, index built in {built:.2f} s CPU), {len(queries)} queries: "
        f"p50 {percentile(t, 50):.2f} ms  p95 {percentile(t, 95):.2f} ms  max {max(t):.2f} ms (CPU)"
    )

    for n_rules in args.rules:
        big = generated_library(lib, n_rules, random.Random(7))
        big_index, built = time_build(big)
        t = time_queries(big_index, queries[:100])
        print(
            f"generated playbook ({len(big.rules)} rules, index built in {built:.1f} s CPU), 100 queries: "
            f"p50 {percentile(t, 50):.2f} ms  p95 {percentile(t, 95):.2f} ms  max {max(t):.2f} ms (CPU)"
        )
        del big, big_index

    if not args.no_cold_start:
        imports, match = cold_start(args.runs)
        print(
            f"cold start (median of {args.runs}, wall): import pydantic+rapidfuzz+yaml {imports:.0f} ms; "
            f"coach match --json {match:.0f} ms; ratio {match / imports:.2f}x"
        )


if __name__ == "__main__":
    main()
