"""``coach validate``: check playbooks and run their examples through the engine."""

from __future__ import annotations

import argparse
import sys

from coach import locations
from coach.commands.common import existing_paths, playbook_options, safe
from coach.content import verify
from coach.content.compiled import remembered_check
from coach.content.glossary import check as check_glossary
from coach.content.lint import warnings
from coach.content.loader import check_required, load_library
from coach.services.roleplay import check_scenarios
from coach.training import checks as training_checks


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb."""
    p = sub.add_parser(
        "validate",
        help="check playbooks and run their examples",
        description="Check the shipped playbooks, or the given files/folders on top of them: format, ids, "
        "links, required taxonomy ids; then run every rule's examples and counter-examples through the "
        "engine; check their text and the scenarios' against the glossary of trade terms. Exit 0 when all is "
        "well, 1 when a check found problems.",
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="playbook files or folders to check (default: shipped)"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print problems only: no warnings, no summary")
    p.add_argument(
        "--scenarios",
        action="append",
        metavar="PATH",
        default=[],
        help="role-play scenario file or folder to check on top of the shipped ones (repeatable)",
    )
    p.add_argument(
        "--autoplay",
        type=_count,
        default=0,
        metavar="N",
        help="also play each scenario N times with random replies from the behaviours' examples",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of --autoplay's random replies (default 0)")
    playbook_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the verb."""
    extra = locations.user_playbook_dirs(args.playbooks) + existing_paths(args.paths)
    lib = load_library([locations.shipped_playbooks_dir(), *extra])
    check_required(lib)
    problems = list(lib.problems)
    examples = 0
    unlearnt: list[str] = []
    outranked: list[str] = []
    unused: list[str] = []
    if lib.rules:
        # every example against the engine, unseen and seen (kept while no playbook or engine file changes)
        unlearnt, outranked, unused = remembered_check(extra, lambda: verify.examples_check(lib))
        examples = sum(len(r.examples) + len(r.counter_examples) for r in lib.rules.values())
    if lib.behaviours:
        problems += verify.verify_behaviours(lib)
        examples += sum(len(b.examples) + len(b.counter_examples) for b in lib.behaviours.values())
    found, figures, scenarios = check_scenarios(
        lib, existing_paths(args.scenarios), autoplay=args.autoplay, seed=args.seed
    )
    problems += found
    problems += check_glossary(lib, [locations.shipped_scenarios_dir(), *existing_paths(args.scenarios)])
    # drill questions: the right key, no right answer offered as wrong
    problems += training_checks.validate_drills(lib)
    cautions = [] if args.quiet else warnings(lib)  # match lists past their size, slow patterns
    problems += unlearnt
    if not args.quiet:
        cautions += unused + outranked  # keywords and patterns no example of their rule uses; outranked
    for notice in lib.notices:
        print(f"note: {safe(notice)}")
    for caution in cautions:
        print(f"warning: {safe(caution)}")
    if not args.quiet:
        for figure in figures:
            print(safe(figure), file=sys.stderr)
    for problem in problems:
        print(safe(problem))
    if not args.quiet:
        state = "ok" if not problems else f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        if cautions:
            state += f", {len(cautions)} warning{'s' if len(cautions) != 1 else ''}"
        print(
            f"{len(lib.rules)} rules, {len(lib.behaviours)} reply behaviours, {examples} examples, "
            f"{scenarios} scenarios checked: {state}",
            file=sys.stderr,
        )
    return 1 if problems else 0


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from None
    if not 0 <= number <= 100_000:
        raise argparse.ArgumentTypeError(f"expected 0 to 100000, not {number}")
    return number
