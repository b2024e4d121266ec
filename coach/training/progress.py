"""A trainee's progress from stored rows: scores per principle (drill, quiz, role-play), weakest first;
recognition per situation; sittings over time; most frequent mistakes; scenarios attempted. Pure.

How each figure is made:

- Drill: points per area (one for naming the situation, one for the line to say), over the areas the
  entry counts for (``coach.training.drill.areas_for``: the principle itself, the principles it links to,
  complaint handling for complaints).
- Quiz: questions right per area (the principle asked about, or complaint handling).
- Role-play: good and bad behaviours found in the replies that stand (not taken back), per principle the
  behaviour is about, and complaint handling for replies to a complaint.
- An area's score is the mean of the shares it has (drill points, quiz right, good behaviours); an area
  with no result yet has no score and is listed after the others.
- Over time: per area and day (UTC), everything counted that day pooled (``Area.history``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coach.content.loader import taxonomy
from coach.i18n import tr
from coach.training.drill import COMPLAINT_HANDLING

if TYPE_CHECKING:
    from coach.content.loader import Library

Titles = Mapping[str, Mapping[str, str]]
"""Display names by id (rules, principles, behaviours), each ``{"en": ..., "zh": ...}``."""


def titles(library: Library | None) -> dict[str, dict[str, str]]:
    """Names of every situation, principle and behaviour: the taxonomy's, replaced by the playbooks'."""

    out: dict[str, dict[str, str]] = {}
    for group in taxonomy()["situations"].values():
        for s in group:
            out[s["id"]] = {"en": s["en"], "zh": s["zh"]}
    for r in taxonomy().get("replies", []):
        if "en" in r:
            out[r["id"]] = {"en": r["en"], "zh": r.get("zh", r["en"])}
    out[COMPLAINT_HANDLING] = {
        "en": tr("en", "area.complaint-handling"),
        "zh": tr("zh", "area.complaint-handling"),
    }
    if library is not None:
        for rid, rule in library.rules.items():
            out[rid] = {"en": rule.title.en, "zh": rule.title.zh}
        for bid, b in library.behaviours.items():
            out[bid] = {"en": b.title.en, "zh": b.title.zh}
    return out


def name_of(names: Titles, key: str, lang: str) -> str:
    """The display name of ``key`` in ``lang`` (the id itself when unknown)."""
    entry = names.get(key)
    return entry.get(lang) or entry.get("en") or key if entry else key


def area_ids(names: Titles, extra: Iterable[str] = ()) -> list[str]:
    """The eight principles in the course's order, complaint handling, then any other area seen."""

    base = [s["id"] for s in taxonomy()["situations"]["principle"]] + [COMPLAINT_HANDLING]
    return base + sorted(set(extra) - set(base))


@dataclass
class Tally:
    """Points (or questions) right out of a total."""

    right: int = 0
    total: int = 0

    def add(self, right: int, total: int) -> None:
        """Count one more result."""
        self.right += right
        self.total += total

    @property
    def share(self) -> float | None:
        """right / total, or None when nothing was counted."""
        return self.right / self.total if self.total else None


@dataclass
class Area:
    """One principle (or complaint handling): drill, quiz and role-play results."""

    id: str
    drill: Tally = field(default_factory=Tally)
    quiz: Tally = field(default_factory=Tally)
    good: int = 0
    """Good behaviours in role-play replies about this area."""
    bad: int = 0
    history: dict[str, Tally] = field(default_factory=dict)
    """Per day (``YYYY-MM-DD``, UTC): drill points, quiz answers and role-play behaviours together."""

    def record(self, day: str, right: int, total: int) -> None:
        """Count a result on ``day`` in the history."""
        self.history.setdefault(day, Tally()).add(right, total)

    def trend(self, days: int = 8) -> list[float]:
        """The shares right of the last ``days`` days with results, oldest first."""
        return [self.history[d].share or 0.0 for d in sorted(self.history)[-days:]]

    @property
    def roleplay(self) -> float | None:
        """Share of the role-play behaviours that were good, or None."""
        return self.good / (self.good + self.bad) if self.good + self.bad else None

    @property
    def score(self) -> float | None:
        """Mean of the shares the area has; None when it has none."""
        parts = [s for s in (self.drill.share, self.quiz.share, self.roleplay) if s is not None]
        return sum(parts) / len(parts) if parts else None

    def merge(self, other: Area) -> None:
        """Add another trainee's results (class figures)."""
        self.drill.add(other.drill.right, other.drill.total)
        self.quiz.add(other.quiz.right, other.quiz.total)
        self.good += other.good
        self.bad += other.bad
        for day, tally in other.history.items():
            self.record(day, tally.right, tally.total)


@dataclass
class Situation:
    """Recognition of one playbook entry in drills: named right, line right, questions."""

    id: str
    named: Tally = field(default_factory=Tally)
    line: Tally = field(default_factory=Tally)

    @property
    def score(self) -> float | None:
        """Share of the points won on this entry."""
        total = self.named.total + self.line.total
        return (self.named.right + self.line.right) / total if total else None


@dataclass(frozen=True)
class Sitting:
    """One drill or quiz sitting, or one role-play, on the timeline."""

    kind: str
    at: str
    right: int
    total: int
    label: str = ""
    """Scenario id for role-plays."""
    outcome: str | None = None

    @property
    def share(self) -> float | None:
        """right / total, or None."""
        return self.right / self.total if self.total else None


@dataclass(frozen=True)
class ScenarioTally:
    """How often a scenario was played and how it ended."""

    id: str
    title: dict[str, str]
    played: int
    outcomes: dict[str, int]


@dataclass
class Progress:
    """Everything progress and reports show for one trainee (or, merged, for a class)."""

    areas: list[Area]
    situations: list[Situation]
    timeline: list[Sitting]
    mistakes: Counter[tuple[str, ...]]
    scenarios: list[ScenarioTally]
    drill_questions: int = 0
    drill_right: int = 0
    quiz_questions: int = 0
    quiz_right: int = 0
    roleplays: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def empty(self) -> bool:
        """True when there is nothing recorded."""
        return not (self.drill_questions or self.quiz_questions or self.roleplays)


def _weakest_first(rows: list[Any], order: Mapping[str, int]) -> list[Any]:
    return sorted(
        rows,
        key=lambda r: (r.score is None, r.score if r.score is not None else 0, order.get(r.id, 99), r.id),
    )


def progress(attempts: list[dict[str, Any]], roleplays: list[dict[str, Any]], names: Titles) -> Progress:
    """Aggregate one trainee's stored answers and role-play summaries."""
    seen_areas = {a for row in attempts for a in row["principles"]}
    seen_areas |= {p for rp in roleplays for b in rp["behaviours"] for p in b["principles"]}
    ids = area_ids(names, seen_areas)
    areas = {i: Area(i) for i in ids}
    situations: dict[str, Situation] = {}
    mistakes: Counter[tuple[str, ...]] = Counter()
    runs: dict[str, list[dict[str, Any]]] = {}
    out = Progress([], [], [], mistakes, [])
    for row in attempts:
        runs.setdefault(row["run"], []).append(row)
        full = row["score"] == row["max_score"]
        for a in row["principles"]:
            tally = areas[a].drill if row["kind"] == "drill" else areas[a].quiz
            tally.add(row["score"], row["max_score"])
            areas[a].record(row["answered_at"][:10], row["score"], row["max_score"])
        if row["kind"] == "drill":
            out.drill_questions += 1
            out.drill_right += int(full)
            d = row["detail"]
            s = situations.setdefault(row["area"], Situation(row["area"]))
            named = d.get("chosen") == d.get("expected")
            s.named.add(int(named), 1)
            s.line.add(row["score"] - int(named), 1)
            if not named:
                mistakes[("confused", str(d.get("expected")), str(d.get("chosen")))] += 1
            elif not full:
                mistakes[("line", row["area"])] += 1
        else:
            out.quiz_questions += 1
            out.quiz_right += int(full)
            if not full:
                mistakes[("quiz", row["principles"][0] if row["principles"] else row["area"])] += 1
    for run_rows in runs.values():
        out.timeline.append(
            Sitting(
                kind=run_rows[0]["kind"],
                at=run_rows[0]["answered_at"],
                right=sum(r["score"] for r in run_rows),
                total=sum(r["max_score"] for r in run_rows),
            )
        )
    scen: dict[str, tuple[dict[str, str], int, Counter[str]]] = {}
    for rp in roleplays:
        out.roleplays += 1
        state = rp["outcome"] if rp["status"] == "finished" and rp["outcome"] else rp["status"]
        out.outcomes[state] += 1
        title, played, outcomes = scen.get(rp["scenario"], (rp["title"], 0, Counter()))
        outcomes[state] += 1
        scen[rp["scenario"]] = (title, played + 1, outcomes)
        good = bad = 0
        for b in rp["behaviours"]:
            credited = list(b["principles"])
            if str(b.get("situation", "")).startswith("complaint."):
                credited.append(COMPLAINT_HANDLING)
            for p in dict.fromkeys(credited):
                area = areas.setdefault(p, Area(p))
                if b["good"]:
                    area.good += 1
                else:
                    area.bad += 1
                area.record(rp["started_at"][:10], int(b["good"]), 1)
            if b["good"]:
                good += 1
            else:
                bad += 1
                mistakes[("roleplay", b["id"], str(b.get("situation", "")))] += 1
        out.timeline.append(Sitting("roleplay", rp["started_at"], good, good + bad, rp["scenario"], state))
    order = {i: n for n, i in enumerate(ids)}
    out.areas = _weakest_first(list(areas.values()), order)
    out.situations = _weakest_first(list(situations.values()), {})
    out.timeline.sort(key=lambda s: s.at)
    out.scenarios = [ScenarioTally(k, v[0], v[1], dict(v[2])) for k, v in sorted(scen.items())]
    return out


def merge(parts: list[Progress], names: Titles) -> Progress:
    """Class figures: every trainee's results added together (pooled, not averaged)."""
    ids = area_ids(names, {a.id for p in parts for a in p.areas})
    areas = {i: Area(i) for i in ids}
    situations: dict[str, Situation] = {}
    out = Progress([], [], [], Counter(), [])
    scen: dict[str, tuple[dict[str, str], int, Counter[str]]] = {}
    for p in parts:
        for a in p.areas:
            areas[a.id].merge(a)
        for s in p.situations:
            mine = situations.setdefault(s.id, Situation(s.id))
            mine.named.add(s.named.right, s.named.total)
            mine.line.add(s.line.right, s.line.total)
        out.mistakes.update(p.mistakes)
        out.timeline.extend(p.timeline)
        out.drill_questions += p.drill_questions
        out.drill_right += p.drill_right
        out.quiz_questions += p.quiz_questions
        out.quiz_right += p.quiz_right
        out.roleplays += p.roleplays
        out.outcomes.update(p.outcomes)
        for sc in p.scenarios:
            title, played, outcomes = scen.get(sc.id, (sc.title, 0, Counter()))
            outcomes.update(sc.outcomes)
            scen[sc.id] = (title, played + sc.played, outcomes)
    order = {i: n for n, i in enumerate(ids)}
    out.areas = _weakest_first(list(areas.values()), order)
    out.situations = _weakest_first(list(situations.values()), {})
    out.timeline.sort(key=lambda s: s.at)
    out.scenarios = [ScenarioTally(k, v[0], v[1], dict(v[2])) for k, v in sorted(scen.items())]
    return out


def mistake_label(key: tuple[str, ...], names: Titles, lang: str) -> str:
    """A mistake in words: "Unconditional concession (The nibble)", "took X for Y", ..."""
    kind = key[0]
    if kind == "roleplay":
        situation = name_of(names, key[2], lang) if key[2] else "-"
        return tr(lang, "mistake.roleplay", behaviour=name_of(names, key[1], lang), situation=situation)
    if kind == "confused":
        return tr(
            lang, "mistake.confused", actual=name_of(names, key[1], lang), chosen=name_of(names, key[2], lang)
        )
    if kind == "line":
        return tr(lang, "mistake.response", situation=name_of(names, key[1], lang))
    return tr(lang, "mistake.quiz", area=name_of(names, key[1], lang))


def top_mistakes(mistakes: Counter[tuple[str, ...]], limit: int = 5) -> list[tuple[tuple[str, ...], int]]:
    """The most frequent mistakes, most frequent first (ties in a stable order)."""
    return sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def roleplay_summary(session: dict[str, Any], uuid: str) -> dict[str, Any]:
    """What training keeps of a role-play session (``coach.store.sessions.get``): scenario, outcome,
    the scorecard, and the behaviours of the replies that stand, with their situations and principles."""
    behaviours = []
    replies = 0
    for ex in session.get("transcript", []):
        if ex.get("retried"):
            continue
        replies += 1
        for b in ex.get("behaviours", []):
            behaviours.append(
                {
                    "id": b["id"],
                    "good": bool(b["good"]),
                    "title": dict(b.get("title") or {"en": b["id"], "zh": b["id"]}),
                    "situation": ex.get("situation", ""),
                    "situation_title": dict(ex.get("situation_title") or {"en": "", "zh": ""}),
                    "principles": [p["id"] if isinstance(p, dict) else p for p in b.get("principles", [])],
                }
            )
    scenario = session.get("scenario", {})
    return {
        "uuid": uuid,
        "scenario": scenario.get("id", ""),
        "title": dict(scenario.get("title") or {"en": scenario.get("id", ""), "zh": scenario.get("id", "")}),
        "lang": session.get("lang", "en"),
        "status": session.get("status", "open"),
        "outcome": session.get("outcome"),
        "started_at": session.get("started_at", ""),
        "ended_at": session.get("ended_at"),
        "replies": replies,
        "scorecard": {row["id"]: int(row["score"]) for row in session.get("scorecard", [])},
        "behaviours": behaviours,
    }


def with_roleplay_titles(names: Titles, roleplays: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """``names`` plus the behaviour and situation titles kept in role-play summaries (for ids the loaded
    playbooks do not know)."""
    out = {k: dict(v) for k, v in names.items()}
    for rp in roleplays:
        for b in rp["behaviours"]:
            out.setdefault(b["id"], b.get("title") or {"en": b["id"], "zh": b["id"]})
            if b.get("situation") and b.get("situation_title", {}).get("en"):
                out.setdefault(b["situation"], b["situation_title"])
    return out
