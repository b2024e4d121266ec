"""Role-play figures: time to assess a reply and move the state machine, to save it (SQLite, durable), and
autoplay throughput. Prints figures; never part of the test run.

    python benchmarks/roleplay.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    from coach.content.loader import load_default
    from coach.content.scenarios import load_default as load_scenarios
    from coach.roleplay import engine
    from coach.roleplay.checks import autoplay
    from coach.roleplay.engine import Kit
    from coach.roleplay.record import exchange_dict, scenario_dict
    from coach.store import sessions
    from coach.store.db import connect

    started = time.perf_counter()
    kit = Kit.build(load_default(situations=True, replies=True))
    found = load_scenarios()
    print(
        f"load playbooks + compile behaviours + load {len(found.scenarios)} scenarios: "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )

    steps = [(sc, r) for sc in found.scenarios.values() for r in sc.rehearsals]
    reply_ms, save_ms = [], []
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "bench.sqlite3")
        try:
            for _ in range(5):
                for sc, rehearsal in steps:
                    state = engine.start(sc, kit)
                    rec = sessions.Recorder(conn, scenario_dict(sc), "en")
                    for step in rehearsal.steps:
                        turn = state.turn
                        t0 = time.perf_counter()
                        result = engine.reply(state, step.say)
                        t1 = time.perf_counter()
                        rec.replied(
                            exchange_dict(result.exchange, kit),
                            stake=turn.stake or sc.stake,
                            stage=turn.stage,
                        )
                        t2 = time.perf_counter()
                        reply_ms.append((t1 - t0) * 1000)
                        save_ms.append((t2 - t1) * 1000)
                        state = result.state
        finally:
            conn.close()

    def figures(name: str, values: list[float]) -> None:
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"{name}: {len(values)} replies, median {statistics.median(values):.2f} ms, p95 {p95:.2f} ms, "
            f"max {values[-1]:.2f} ms"
        )

    figures("assess + branch (engine.reply)", reply_ms)
    figures("save reply (+ practice concession), synchronous=FULL", save_ms)

    runs = 300
    t0 = time.perf_counter()
    total = 0
    for sc in found.scenarios.values():
        total += autoplay(sc, kit, runs).replies
    seconds = time.perf_counter() - t0
    print(
        f"autoplay: {runs} runs x {len(found.scenarios)} scenarios = {total} replies in {seconds:.2f} s "
        f"({total / seconds:,.0f} replies/s)"
    )


if __name__ == "__main__":
    main()
