"""Print reply-assessment latency (p50/p95 per reply, target p95 < 5 ms) and role-play reply handling time,
each next to a floor measured in the same run, as a ratio (figures move with the machine; ratios less so).

    python benchmarks/assess_roleplay.py [--rounds 5]

Floors: for assess, normalising the reply alone (``coach.engine.normalize.clean``: the least any reading of
a reply costs); for role-play, ``assess`` of the same reply in the same context with the same limits (what
the state machine adds on top: limits' running total, better lines, branch, feedback). Never part of the
test run; never pass/fail.
"""

from __future__ import annotations

import argparse
import time


def percentile(values: list[float], pct: float) -> float:
    """The value below which ``pct`` percent of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> None:
    """Time the assessor and the role-play engine on every shipped scenario's rehearsals and pool replies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from coach.content.loader import load_default
    from coach.content.scenarios import load_default as load_scenarios
    from coach.engine.assess import assess
    from coach.engine.normalize import clean
    from coach.roleplay import engine
    from coach.roleplay.checks import reply_pool

    kit = engine.Kit.build(load_default(situations=True, replies=True))
    scenarios = list(load_scenarios().scenarios.values())
    pool = reply_pool(kit)

    # (reply, context, limits): pool replies after each scenario's first line, and every rehearsal step.
    cases = []
    for sc in scenarios:
        first = sc.turns[sc.start].line.en
        cases += [(r, first, sc.limit_values()) for r in pool[:: max(1, len(pool) // 60)]]
    print(f"{len(cases)} replies in context, {len(scenarios)} scenarios, {args.rounds} rounds")

    for reply, context, limits in cases[:50]:  # warm caches
        assess(kit.index, reply, context, limits)
    floor, full = [], []
    for _ in range(args.rounds):
        for reply, context, limits in cases:
            t0 = time.perf_counter()
            clean(reply)
            t1 = time.perf_counter()
            assess(kit.index, reply, context, limits)
            t2 = time.perf_counter()
            floor.append((t1 - t0) * 1000)
            full.append((t2 - t1) * 1000)
    f50, a50, a95 = percentile(floor, 50), percentile(full, 50), percentile(full, 95)
    print(
        f"assess per reply: p50 {a50:.2f} ms, p95 {a95:.2f} ms (target p95 < 5 ms), max {max(full):.2f} ms; "
        f"floor (normalise only) p50 {f50:.3f} ms; ratio p50 {a50 / f50:.0f}x, p95 {a95 / f50:.0f}x"
    )

    # Role-play: every rehearsal, reply by reply; the floor is assess of the same reply in the same state.
    base, handled = [], []
    for _ in range(args.rounds):
        for sc in scenarios:
            for rehearsal in sc.rehearsals:
                said = "".join(s.say for s in rehearsal.steps)
                lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in said) else "en"
                state = engine.start(sc, kit, lang)
                for step in rehearsal.steps:
                    if state.finished:
                        break
                    line = state.line()
                    context = getattr(line, lang) if line is not None else ""
                    t0 = time.perf_counter()
                    assess(kit.index, step.say, context, engine.remaining(state.limits, state.given()))
                    t1 = time.perf_counter()
                    state = engine.reply(state, step.say).state
                    t2 = time.perf_counter()
                    base.append((t1 - t0) * 1000)
                    handled.append((t2 - t1) * 1000)
    b50, h50, h95 = percentile(base, 50), percentile(handled, 50), percentile(handled, 95)
    print(
        f"role-play reply (engine.reply) over {len(handled)} replies: p50 {h50:.2f} ms, p95 {h95:.2f} ms, "
        f"max {max(handled):.2f} ms; floor (assess alone) p50 {b50:.2f} ms; ratio p50 {h50 / b50:.1f}x, "
        f"p95 {h95 / percentile(base, 95):.1f}x"
    )
    t0 = time.perf_counter()
    for sc in scenarios:
        for rehearsal in sc.rehearsals:
            state = engine.start(sc, kit)
            for step in rehearsal.steps:
                if not state.finished:
                    state = engine.reply(state, step.say).state
            engine.debrief(state)
    per = (time.perf_counter() - t0) * 1000 / sum(len(sc.rehearsals) for sc in scenarios)
    print(f"a session played and debriefed from its moves: {per:.2f} ms (better lines cached)")


if __name__ == "__main__":
    main()
