"""``coach report``: a trainer's report on a class (Markdown, HTML or CSV): class summary first, then each
trainee's scores per principle, most frequent mistakes and the scenarios attempted."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.commands.common import playbook_options, safe
from coach.commands.train import _refuse_existing, default_lang, names_for
from coach.files import write_output
from coach.store import training
from coach.store.db import session
from coach.store.training import clean_name, now_iso
from coach.training import report
from coach.training.progress import merge, progress, with_roleplay_titles


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb."""
    p = sub.add_parser(
        "report",
        help="a trainer's report on a class: scores per principle, mistakes, scenarios",
        description="Reads the class's drills, quizzes and role-plays (including results imported with "
        "`coach train import`) and writes the class summary, then each trainee: scores per principle "
        "(weakest first), the most frequent mistakes, the scenarios attempted. Changes nothing.",
    )
    p.add_argument(
        "--class", dest="klass", required=True, metavar="NAME", help="the class (case does not matter)"
    )
    p.add_argument("--format", choices=["md", "html", "csv"], default="md", help="md (default), html or csv")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write here (never overwritten); default standard output"
    )
    p.add_argument("--lang", choices=["en", "zh"], help="language (default: COACH_LANG, else the locale)")
    p.add_argument(
        "--db",
        metavar="DB",
        help="database: a file, or a team's postgresql:// address (default: COACH_DB, else the data folder)",
    )
    playbook_options(p)
    p.set_defaults(run=run)


def build(conn, klass: str, fmt: str, lang: str, names: dict[str, dict[str, str]], when: str) -> str:  # noqa: ANN001
    """The report's text for a class read from ``conn``."""

    trainees = []
    for profile in training.class_profiles(conn, klass):
        rps = training.roleplays(conn, profile)
        names = with_roleplay_titles(names, rps)
        trainees.append(
            report.Trainee(
                profile.name, profile.created_at, progress(training.attempts(conn, profile.id), rps, names)
            )
        )
    klass_name = training.class_profiles(conn, klass)[0].klass
    whole = merge([tr.progress for tr in trainees], names)
    if fmt == "csv":
        return report.csv_report(klass_name, trainees, whole, names, lang)
    if fmt == "html":
        return report.html_report(klass_name, trainees, whole, names, lang, when)
    return report.markdown(klass_name, trainees, whole, names, lang, when)


def run(args: argparse.Namespace) -> int:
    """Run the verb."""

    clean_name(args.klass, "--class")
    out = Path(args.output).expanduser() if args.output else None
    if out is not None:
        _refuse_existing(out)
    lang = args.lang or default_lang()
    names = names_for(args.playbooks)
    with session(args.db) as conn:
        text = build(conn, args.klass, args.format, lang, names, now_iso())
    if out is None:
        sys.stdout.write(safe(text))
        return 0
    write_output(out, text)  # never overwrites (no --force)
    print(safe(str(out)))
    return 0
