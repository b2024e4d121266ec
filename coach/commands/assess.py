"""``coach assess``: what a reply to the buyer did well and badly, with the principle behind it."""

from __future__ import annotations

import argparse
import json
import sys

from coach import locations
from coach.commands.common import playbook_options, print_json, read_text_arg, safe
from coach.content import compiled
from coach.content.compiled import index_for
from coach.engine.assess import assess, move_reason
from coach.engine.match import rank
from coach.engine.normalize import language_of
from coach.errors import CoachError
from coach.i18n import tr


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb."""
    p = sub.add_parser(
        "assess",
        help="feedback on a reply to the buyer",
        description="Type what you would say to the buyer; get each behaviour found (good or bad), the "
        "principle behind it, and a better line for the bad ones.",
    )
    p.add_argument("reply", nargs="?", help="your reply, in quotes; `-` reads standard input")
    p.add_argument(
        "--context",
        metavar="TEXT",
        help="the buyer's last line: the reply is judged in it (a yes to the buyer's number is a concession), "
        "and the better lines come from the playbook that fits it",
    )
    p.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="ITEM: AMOUNT",
        dest="limits",
        help="a walk-away limit in force, as in `coach prep --limit` (e.g. 'price: 3%%', 'listing-fee: 8000 CNY', "
        "'payment-terms: 60 days'); repeatable; amounts given on one item add up",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="read standard input line by line, one JSON object out per line; a line is a reply, or a JSON "
        'object {"reply": ..., "context": ..., "limits": [...]}',
    )
    p.add_argument(
        "--lang", choices=["en", "zh"], help="language of the feedback (default: that of the reply)"
    )
    playbook_options(p)
    p.set_defaults(run=run)


def load(args: argparse.Namespace):  # noqa: ANN201
    """The compiled playbooks (behaviours required; ``.library()`` gives the models) and the behaviour index,
    from the playbook cache."""
    found = compiled.load(locations.user_playbook_dirs(args.playbooks))
    found.check(situations=False, replies=True)
    for notice in found.notices:
        print(f"coach: note: {safe(notice)}", file=sys.stderr)
    return found, found.behaviour_index


def as_json(result) -> dict:  # noqa: ANN001
    """The JSON shape of one assessment: behaviours with their ids, and the amounts given."""
    return {
        "reply": result.reply,
        "behaviours": [d.as_dict() for d in result.behaviours],
        "concessions": result.concessions(),
    }


def _jsonl_case(line: str) -> tuple[str, str, tuple]:
    """A --jsonl line: a plain reply, or a JSON object with reply, context and limits."""
    from coach.content.plans import limits_from_text  # deferred: yaml and pydantic stay out of assess --json

    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            case = json.loads(stripped)
        except json.JSONDecodeError:
            case = None
        if isinstance(case, dict) and isinstance(case.get("reply"), str):
            limits = case.get("limits") or []
            if not isinstance(limits, list) or not all(isinstance(x, str) for x in limits):
                raise CoachError(
                    "a --jsonl line has limits that are not a list of strings", 'e.g. "limits": ["price: 3%"]'
                )
            context = case.get("context") or ""
            return case["reply"], context if isinstance(context, str) else "", limits_from_text(limits)
    return line.rstrip("\n"), "", ()


def run(args: argparse.Namespace) -> int:
    """Run the verb."""
    limits: tuple = ()
    if args.limits:  # reading limits needs the plan models; most replies come without
        from coach.content.plans import limits_from_text  # deferred: yaml and pydantic, only with --limit

        limits = limits_from_text(args.limits)
    if args.jsonl:
        _, index = load(args)
        for line in sys.stdin:
            reply, context, own = _jsonl_case(line)
            print_json(as_json(assess(index, reply, context or args.context or "", own or limits)))
            sys.stdout.flush()
        return 0
    reply = read_text_arg(args.reply)
    found, index = load(args)
    result = assess(index, reply, args.context or "", limits)
    if args.json:
        print_json(as_json(result))
        return 0
    lib = found.library(check=False)
    lang = args.lang or language_of(reply)
    print(render_feedback(lib, result, lang, context=args.context))
    return 0


def better_lines(lib, behaviour_id: str, lang: str, context: str | None) -> list[str]:  # noqa: ANN001
    """Lines to say instead: from the playbook that fits the customer's words, else the behaviour's own."""
    lines: list[str] = []
    if context:
        result = rank(index_for(lib), context, top=1)
        if result.matches:
            rule = lib.rules[result.matches[0].id]
            lines += [getattr(t, lang) for t in rule.response.say[:2]]
    lines += [getattr(t, lang) for t in lib.behaviours[behaviour_id].better[:2]]
    return lines


def render_feedback(lib, result, lang: str, context: str | None = None) -> str:  # noqa: ANN001
    """Readable feedback: good behaviours first, then bad ones with better lines; printed literally, with
    no ids, patterns or signal weights (``--json`` keeps them). A concession past the limit is never
    praised: its trade is not shown as good."""
    if not result.behaviours:
        return tr(lang, "assess.none")
    ids = {d.id for d in result.behaviours}
    shown = [
        d for d in result.behaviours if not (d.good and "reply.over-limit" in ids and d.id in CONCESSIONS)
    ]
    out: list[str] = []
    offered: set[str] = set()  # a better line is suggested once, under the first bad behaviour it fits
    for d in sorted(shown, key=lambda d: not d.good):
        b = lib.behaviours[d.id]
        out.append(
            f"{'✓' if d.good else '✗'} {tr(lang, 'assess.good') if d.good else tr(lang, 'assess.bad')}: {getattr(b.title, lang)}"
        )
        out.append(f"    {getattr(b.why, lang)}")
        if b.principles:
            names = "; ".join(getattr(lib.rules[p].title, lang) for p in b.principles if p in lib.rules)
            out.append(f"    {tr(lang, 'assess.principle')}: {names}")
        moves = [w.removeprefix("move: ") for w in d.why if w.startswith("move: ")]
        if moves:
            out.append(
                f"    {tr(lang, 'assess.signals')}: "
                + "; ".join(move_reason(m, lang, result.moves) for m in moves)
            )
        if not d.good:
            for line in better_lines(lib, d.id, lang, context):
                if line not in offered:
                    offered.add(line)
                    out.append(f"    {tr(lang, 'assess.better')}: {line}")
    return safe("\n".join(out))


CONCESSIONS = ("reply.conditional-concession", "reply.unconditional-concession")
