"""``coach assess``: what a reply to the buyer did well and badly, with the principle behind it."""

from __future__ import annotations

import argparse
import sys

from coach.commands.common import playbook_options, print_json, read_text_arg, safe


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb."""
    p = sub.add_parser(
        "assess",
        help="feedback on a reply to the buyer",
        description="Type what you would say to the buyer; get each behaviour found (good or bad), the "
        "principle behind it, and a better line for the bad ones.",
    )
    p.add_argument("reply", nargs="?", help="your reply, in quotes; `-` reads standard input")
    p.add_argument("--context", metavar="TEXT", help="what the customer said (picks the playbook for better lines)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--jsonl", action="store_true", help="one reply per line on stdin, one JSON object per line out")
    p.add_argument("--lang", choices=["en", "zh"], help="language of the feedback (default: that of the reply)")
    playbook_options(p)
    p.set_defaults(run=run)


def load(args: argparse.Namespace):  # noqa: ANN201
    """The library (with behaviours required) and its compiled behaviour index."""
    from coach import locations
    from coach.content.loader import load_default
    from coach.engine.assess import build_behaviour_index

    lib = load_default(locations.user_playbook_dirs(args.playbooks), situations=False, replies=True)
    lib.raise_if_problems()
    for notice in lib.notices:
        print(f"coach: note: {safe(notice)}", file=sys.stderr)
    return lib, build_behaviour_index(lib)


def as_json(result) -> dict:  # noqa: ANN001
    """The JSON shape of one assessment."""
    return {"reply": result.reply, "behaviours": [d.as_dict() for d in result.behaviours]}


def run(args: argparse.Namespace) -> int:
    """Run the verb."""
    from coach.engine.assess import assess

    if args.jsonl:
        _, index = load(args)
        for line in sys.stdin:
            print_json(as_json(assess(index, line.rstrip("\n"))))
            sys.stdout.flush()
        return 0
    reply = read_text_arg(args.reply)
    lib, index = load(args)
    result = assess(index, reply)
    if args.json:
        print_json(as_json(result))
        return 0
    from coach.engine.normalize import language_of

    lang = args.lang or language_of(reply)
    print(render_feedback(lib, result, lang, context=args.context))
    return 0


LABELS = {
    "en": {"none": "No behaviour the playbooks track was found in this reply.", "good": "Good", "bad": "Watch out",
           "principle": "Principle", "better": "Better", "signals": "found"},
    "zh": {"none": "这句话里没有发现需要点评的行为。", "good": "做得好", "bad": "注意",
           "principle": "相关原则", "better": "更好的说法", "signals": "依据"},
}


def better_lines(lib, behaviour_id: str, lang: str, context: str | None) -> list[str]:  # noqa: ANN001
    """Lines to say instead: from the playbook that fits the customer's words, else the behaviour's own."""
    lines: list[str] = []
    if context:
        from coach.engine import build_index, rank

        result = rank(build_index(lib), context, top=1)
        if result.matches:
            rule = lib.rules[result.matches[0].id]
            lines += [getattr(t, lang) for t in rule.response.say[:2]]
    lines += [getattr(t, lang) for t in lib.behaviours[behaviour_id].better[:2]]
    return lines


def render_feedback(lib, result, lang: str, context: str | None = None) -> str:  # noqa: ANN001
    """Readable feedback: good behaviours first, then bad ones with better lines; printed literally."""
    t = LABELS[lang]
    if not result.behaviours:
        return t["none"]
    out: list[str] = []
    for d in sorted(result.behaviours, key=lambda d: not d.good):
        b = lib.behaviours[d.id]
        out.append(f"{'✓' if d.good else '✗'} {t['good'] if d.good else t['bad']}: {getattr(b.title, lang)}  [{d.id}]")
        out.append(f"    {getattr(b.why, lang)}")
        if b.principles:
            names = "; ".join(getattr(lib.rules[p].title, lang) for p in b.principles if p in lib.rules)
            out.append(f"    {t['principle']}: {names}")
        out.append(f"    {t['signals']}: {', '.join(d.why)}")
        if not d.good:
            for line in better_lines(lib, d.id, lang, context):
                out.append(f"    {t['better']}: {line}")
    return safe("\n".join(out))
