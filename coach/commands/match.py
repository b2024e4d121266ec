"""``coach match``: describe a situation, get the playbook entries for it."""

from __future__ import annotations

import argparse
import sys
from types import SimpleNamespace

from coach import locations
from coach.commands.common import load_fast_index, playbook_options, print_json, read_text_arg, safe
from coach.content import compiled
from coach.engine import rank
from coach.engine.match import explanation
from coach.engine.normalize import language_of
from coach.i18n import tr


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb."""
    p = sub.add_parser(
        "match",
        help="find the playbook entries for a situation",
        description="Describe a situation (English, Chinese or both) and get the best playbook entries, "
        "with why they matched. Prints nothing to follow when no playbook fits.",
    )
    p.add_argument("text", nargs="?", help="the situation, in quotes; `-` reads standard input")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="read one situation per line on stdin, write one JSON object per line",
    )
    p.add_argument("--top", type=_positive, default=3, metavar="K", help="at most K entries (default 3)")
    p.add_argument("--lang", choices=["en", "zh"], help="language of the advice (default: that of the text)")
    playbook_options(p)
    p.set_defaults(run=run)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--top must be a whole number, not {value!r}") from None
    if not 1 <= number <= 100:
        raise argparse.ArgumentTypeError("--top must be between 1 and 100")
    return number


def result_json(result) -> dict:  # noqa: ANN001
    """The JSON shape of one answer."""
    return {"query": result.query, "matches": [m.as_dict() for m in result.matches]}


def run(args: argparse.Namespace) -> int:
    """Run the verb."""

    if args.jsonl:
        index = load_fast_index(args)
        for line in sys.stdin:
            text = line.rstrip("\n")
            print_json(result_json(rank(index, text, top=args.top)))
            sys.stdout.flush()
        return 0
    text = read_text_arg(args.text)
    if args.json:
        print_json(result_json(rank(load_fast_index(args), text, top=args.top)))
        return 0

    result = rank(load_fast_index(args), text, top=args.top)
    # Printing needs a few fields of a few rules: views of the cached data, not validated models.
    rules = compiled.load(locations.user_playbook_dirs(getattr(args, "playbooks", None))).rule_views()
    lang = args.lang or language_of(text)
    print(render_text(SimpleNamespace(rules=rules), result, lang))
    return 0


POINTERS = {
    "account.business-plan": ("account_plan",),
    "account.relationship": ("account_map",),
}
"""Where the account's own records answer a situation: the plan for the plan and its scorecard, the map for
the relationships. The account is not known from a text, so the pointer names ACCOUNT; the other account
situations (tiers, the KAM's job, our own departments) get none."""


def render_text(lib, result, lang: str) -> str:  # noqa: ANN001
    """Readable advice for the best match, then the other candidates; all text printed literally."""

    if not result.matches:
        return tr(lang, "match.none")
    lines: list[str] = []
    if result.ambiguous:
        lines.append(tr(lang, "match.ambiguous"))
    shown = result.matches[:2] if result.ambiguous else result.matches[:1]
    for m in shown:
        rule = lib.rules[m.id]
        r = rule.response
        lines += [
            "",
            f"{getattr(rule.title, lang)}  {tr(lang, 'match.score')} {m.score:.2f}",
            getattr(rule.summary, lang),
            *([f"{tr(lang, 'match.why')}: {why}"] if (why := explanation(m, lang)) else []),
            "",
            f"{tr(lang, 'match.steps')}:",
            *(f"  {i}. {getattr(s, lang)}" for i, s in enumerate(r.steps, 1)),
        ]
        if r.say:
            lines += [f"{tr(lang, 'match.say')}:", *(f"  - {getattr(s, lang)}" for s in r.say)]
        if r.avoid:
            lines += [f"{tr(lang, 'match.avoid')}:", *(f"  - {getattr(s, lang)}" for s in r.avoid)]
        if r.principles:
            names = [getattr(lib.rules[p].title, lang) for p in r.principles if p in lib.rules]
            lines.append(f"{tr(lang, 'match.principles')}: " + "; ".join(names))
        if r.departments:
            names = [tr(lang, "dep." + getattr(d, "value", d)) for d in r.departments]  # a model or a view
            lines.append(f"{tr(lang, 'match.departments')}: " + ", ".join(names))
        lines += [tr(lang, "match." + key) for key in POINTERS.get(m.id, ())]
    others = [m for m in result.matches if m not in shown]
    if others:
        lines += ["", f"{tr(lang, 'match.also')}:"]
        lines += [f"  - {getattr(lib.rules[m.id].title, lang)}  {m.score:.2f}" for m in others]
    return safe("\n".join(lines).strip("\n"))
