"""Role-play values as plain JSON-ready dicts (both languages kept), the shape saved and exported. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coach.content.models import Text
from coach.content.scenarios import Scenario
from coach.engine.assess import passed_text
from coach.roleplay.engine import Debrief, Exchange, Kit, State, debrief, principle_ids


def text(value: Text | None) -> dict[str, str] | None:
    """``{"en": ..., "zh": ...}`` (None stays None)."""
    return None if value is None else {"en": value.en, "zh": value.zh}


def scenario_dict(sc: Scenario) -> dict[str, Any]:
    """What a session keeps of its scenario, so it stays readable after the file changes."""
    return {
        "id": sc.id,
        "title": text(sc.title),
        "persona": {
            "name": text(sc.persona.name),
            "role": text(sc.persona.role),
            "retailer": text(sc.persona.retailer),
            "temperament": text(sc.persona.temperament),
        },
        "setting": text(sc.setting),
        "objective": text(sc.objective),
        "limits": [text(t) for t in sc.limits],
    }


def exchange_dict(ex: Exchange, kit: Kit) -> dict[str, Any]:
    """One exchange: the customer's line, the reply, every behaviour with why, the branch and changes."""
    return {
        "turn": ex.turn,
        "speaker": text(ex.speaker),
        "line": text(ex.line),
        "situation": ex.situation,
        "situation_title": text(kit.title(ex.situation)),
        "reply": ex.reply,
        "behaviours": [
            {
                "id": f.id,
                "good": f.good,
                "title": text(f.title),
                "why": text(f.why),
                "signals": list(f.signals),
                "principles": [{"id": p, "title": text(kit.title(p))} for p in f.principles],
                "better": [text(t) for t in f.better],
                "blocker": text(f.blocker),
            }
            for f in ex.feedback
        ],
        "withheld": list(ex.withheld),
        "given": [given_dict(g) for g in ex.given],
        "passed": [passed_dict(p) for p in ex.passed],
        "asked": ex.asked,
        "branch": ex.branch,
        "note": text(ex.note),
        "changes": [{"var": c.var, "before": c.before, "after": c.after} for c in ex.changes],
        "goto": ex.goto,
        "scores": dict(ex.scores),
    }


def given_dict(g: Any) -> dict[str, Any]:
    """An amount given: item, amount, unit and the words it was read from."""
    return {"item": g.item, "amount": round(g.value, 4), "unit": g.unit, "text": g.text}


def passed_dict(p: Any) -> dict[str, Any]:
    """A limit passed: the limit as written, its item, the limit and the total given."""
    return {
        "item": p.limit.item,
        "limit": p.limit.value,
        "unit": p.limit.unit,
        "label": p.limit.label,
        "total": round(p.total, 4),
        "text": {"en": _passed_text(p, "en"), "zh": _passed_text(p, "zh")},
    }


def _passed_text(p: Any, lang: str) -> str:
    return passed_text(p, lang)


def behaviour_title(kit: Kit, behaviour_id: str) -> dict[str, str] | None:
    """A reply behaviour's title in both languages (None when the playbooks lack it)."""
    behaviour = kit.library.behaviours.get(behaviour_id)
    return text(behaviour.title) if behaviour is not None else None


def scorecard(scores: Mapping[str, int], kit: Kit) -> list[dict[str, Any]]:
    """The eight principles in the course's order, each with its title and score."""
    return [{"id": p, "title": text(kit.title(p)), "score": int(scores.get(p, 0))} for p in principle_ids()]


def debrief_dict(d: Debrief, kit: Kit) -> dict[str, Any]:
    """The debrief: ending, outcome, lesson, blockers, scorecard and the playbooks' best lines."""
    return {
        "ending": d.ending_id,
        "ending_title": text(d.ending.title) if d.ending else None,
        "outcome": d.outcome,
        "last_line": text(d.last_line),
        # The lesson: the ending's own when the outcome is the ending's, else why the attempt failed.
        "debrief": text(d.lesson),
        "account": [text(t) for t in d.account],
        "passed": [passed_dict(p) for p in d.passed],
        "turning_point": d.turning_point,
        "blocked": [
            {"behaviour": b, "title": behaviour_title(kit, b), "turn": t, "why": text(w)}
            for b, t, w in d.blocked
        ],
        "scorecard": scorecard(d.scores, kit),
        "best_lines": [
            {"situation": b.situation, "title": text(b.title), "lines": [text(t) for t in b.lines]}
            for b in d.best_lines
        ],
    }


def opening_dict(state: State) -> dict[str, Any]:
    """The customer's current line with its speaker, for showing the next turn."""
    speaker = state.speaker()
    return {
        "node": state.node,
        "speaker": text(speaker.name),
        "role": text(speaker.role),
        "line": text(state.line()),
    }


def live_record(
    state: State,
    kit: Kit,
    transcript: list[dict[str, Any]],
    *,
    lang: str,
    session_id: int | None = None,
    trainee: str | None = None,
) -> dict[str, Any]:
    """A session as ``coach.store.sessions.get`` returns it, built from a running role-play (for showing
    the debrief without reading the database). ``transcript`` holds the exchange dicts with ``retried``."""

    d = debrief_dict(debrief(state), kit)
    return {
        "id": session_id or 0,
        "scenario": scenario_dict(state.scenario),
        "lang": lang,
        "trainee": trainee,
        "status": "finished" if state.finished else "open",
        "outcome": d["outcome"],
        "ending": d["ending"],
        "started_at": "",
        "ended_at": None,
        "scorecard": d["scorecard"],
        "debrief": d,
        "transcript": transcript,
    }
