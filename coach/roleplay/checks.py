"""Authors' checks of a scenario: its rehearsals (scripted runs) and autoplay (seeded random runs). Pure."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from coach.content.scenarios import Scenario
from coach.content.yamlpos import Located
from coach.roleplay.engine import Kit, State, reply, start

MAX_RUN = 60
"""Autoplay gives up on a run after this many replies and reports it as a run that never ends."""


def rehearse(sc: Scenario, kit: Kit, doc: Located) -> list[str]:
    """Play each rehearsal; a located line per reply that misses a behaviour or a turn, or a wrong ending."""
    problems: list[str] = []
    for r, rehearsal in enumerate(sc.rehearsals):
        said = "".join(step.say for step in rehearsal.steps)
        lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in said) else "en"
        state = start(sc, kit, lang)  # Chinese replies are judged after the buyer's Chinese lines
        name = rehearsal.name
        for s, step in enumerate(rehearsal.steps):
            where = ("rehearsals", r, "steps", s)
            if state.finished:
                problems.append(
                    doc.locate(where, f"{name}: the conversation already ended at {state.node!r}")
                )
                break
            at = state.node
            result = reply(state, step.say)
            state = result.state
            found = result.exchange.found()
            missing = [b for b in step.shows if b not in found]
            if missing:
                problems.append(
                    doc.locate(
                        (*where, "shows"),
                        f"{name}: at {at!r} the reply does not show "
                        f"{', '.join(missing)} (found: {', '.join(found) or 'nothing'})",
                    )
                )
            if step.goto is not None and state.node != step.goto:
                problems.append(
                    doc.locate(
                        (*where, "goto"),
                        f"{name}: at {at!r} the reply leads to {state.node!r}, "
                        f"not {step.goto!r} (found: {', '.join(found) or 'nothing'})",
                    )
                )
                break
        else:
            where = ("rehearsals", r)
            if rehearsal.ending is not None and state.node != rehearsal.ending:
                problems.append(
                    doc.locate(
                        (*where, "ending"), f"{name}: ends at {state.node!r}, not {rehearsal.ending!r}"
                    )
                )
            if rehearsal.outcome is not None and state.outcome != rehearsal.outcome:
                got = state.outcome or "no ending yet"
                problems.append(
                    doc.locate((*where, "outcome"), f"{name}: outcome is {got}, not {rehearsal.outcome}")
                )
    return problems


def reply_pool(kit: Kit) -> list[str]:
    """Replies autoplay draws from: every behaviour's examples and counter-examples, in library order."""
    pool: list[str] = []
    for behaviour in kit.library.behaviours.values():
        pool.extend(behaviour.examples)
        pool.extend(behaviour.counter_examples)
    return pool


@dataclass
class AutoplayReport:
    """What N random runs of a scenario did."""

    scenario: str
    runs: int
    reached: Counter[str] = field(default_factory=Counter)
    """How many runs passed through each turn or ending."""
    outcomes: Counter[str] = field(default_factory=Counter)
    unfinished: int = 0
    """Runs that hit ``MAX_RUN`` replies without reaching an ending."""
    stuck_at: Counter[str] = field(default_factory=Counter)
    """Where the unfinished runs were when they were stopped."""
    replies: int = 0
    """Replies made over all runs."""

    def never_reached(self, sc: Scenario) -> list[str]:
        """Turns and endings no run reached, in file order."""
        return [n for n in (*sc.turns, *sc.endings) if self.reached[n] == 0]


def autoplay(
    sc: Scenario, kit: Kit, runs: int, *, seed: int = 0, pool: list[str] | None = None, cap: int = MAX_RUN
) -> AutoplayReport:
    """Play ``runs`` games with replies of one or two random pool texts (seeded: the same every time)."""
    pool = pool if pool is not None else reply_pool(kit)
    report = AutoplayReport(sc.id, runs)
    rng = random.Random(f"{seed}:{sc.id}")
    for _ in range(runs):
        state: State = start(sc, kit)
        seen = {state.node}
        n = 0
        while not state.finished and n < cap and pool:
            text = " ".join(rng.choice(pool) for _ in range(rng.choice((1, 1, 2))))
            state = reply(state, text).state
            seen.add(state.node)
            n += 1
        report.replies += n
        report.reached.update(seen)
        if state.finished:
            report.outcomes[state.outcome or "?"] += 1
        else:
            report.unfinished += 1
            report.stuck_at[state.node] += 1
    return report


def autoplay_problems(sc: Scenario, report: AutoplayReport, doc: Located, cap: int = MAX_RUN) -> list[str]:
    """One located line per turn or ending never reached, and one for runs that never end."""
    problems = []
    for node in report.never_reached(sc):
        kind = "turns" if node in sc.turns else "endings"
        problems.append(doc.locate((kind, node), f"never reached in {report.runs} autoplay runs"))
    if report.unfinished:
        where = ", ".join(f"{n} ({k})" for n, k in report.stuck_at.most_common(3))
        problems.append(
            doc.locate(
                ("id",),
                f"{report.unfinished} of {report.runs} autoplay runs never ended "
                f"within {cap} replies (stopped at {where})",
            )
        )
    return problems


def autoplay_summary(sc: Scenario, report: AutoplayReport) -> str:
    """One line of figures: outcome shares and mean length."""
    done = sum(report.outcomes.values())
    shares = ", ".join(
        f"{o} {report.outcomes[o] * 100 / report.runs:.0f}%" for o in ("success", "partial", "fail")
    )
    mean = report.replies / report.runs if report.runs else 0.0
    nodes = len(sc.turns) + len(sc.endings)
    reached = nodes - len(report.never_reached(sc))
    return (
        f"{sc.id}: {report.runs} runs, {done} ended ({shares}), {mean:.1f} replies on average, "
        f"{reached}/{nodes} turns and endings reached"
    )
