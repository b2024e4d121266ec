"""``coach train``: recognition drills, principle quiz, progress, trainee profiles, class export/import."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from coach import locations
from coach.commands.common import load_index, playbook_options, print_json, safe
from coach.content import compiled
from coach.content.loader import reply_ids, situation_ids
from coach.content.scenarios import load_default
from coach.errors import CoachError
from coach.files import check_target, write_output
from coach.i18n import tr
from coach.store import training
from coach.store.db import session
from coach.training import transfer
from coach.training.drill import MAX_POINTS, DrillRun, drill_items, entry_lines
from coach.training.drill import record as drill_record
from coach.training.progress import (
    mistake_label,
    name_of,
    progress,
    titles,
    top_mistakes,
    with_roleplay_titles,
)
from coach.training.quiz import QuizRun, quiz_bank
from coach.training.quiz import record as quiz_record
from coach.training.report import progress_text

CATEGORIES = ("difficult", "complaint", "tactic", "principle", "trade", "ethics", "account")
STOP = {"q", "quit", "exit", "stop", "退出", "结束"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb and its actions."""
    p = sub.add_parser(
        "train",
        help="training mode: drills, principle quiz, progress, class export/import",
        description="Training for new account managers. Each trainee is a named profile on this machine (no "
        "password); results are saved as they are given. Questions a trainee gets wrong come back sooner "
        "(spaced repetition). Drill and quiz read answers from standard input, one per line (a number; "
        "q stops).",
    )
    actions = p.add_subparsers(dest="train_action", metavar="ACTION", required=True)

    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        metavar="DB",
        help="database: a file, or a team's postgresql:// address (default: COACH_DB, else the data folder)",
    )
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--profile", required=True, metavar="NAME", help="the trainee (case does not matter)")
    who.add_argument(
        "--class", dest="klass", metavar="NAME", help="the trainee's class; creates the profile if it is new"
    )
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=["en", "zh"], help="language (default: COACH_LANG, else the locale)")
    sitting = argparse.ArgumentParser(add_help=False)
    sitting.add_argument(
        "-n", "--count", type=_count, default=10, metavar="N", help="questions in the sitting (default 10)"
    )
    sitting.add_argument(
        "--seed", type=int, metavar="N", help="fix the choice and order of questions and options"
    )

    d = actions.add_parser(
        "drill",
        parents=[who, lang, sitting, db],
        help="recognise situations from the playbooks and scenarios, then pick the best line",
    )
    d.add_argument("--category", choices=CATEGORIES, help="only one chapter of the playbooks")
    playbook_options(d)
    d.set_defaults(run=run)

    q = actions.add_parser(
        "quiz",
        parents=[who, lang, sitting, db],
        help="questions on the eight principles and complaint handling",
    )
    playbook_options(q)
    q.set_defaults(run=run)

    pr = actions.add_parser(
        "progress", parents=[who, lang, db], help="a trainee's scores per principle, weakest first"
    )
    pr.add_argument("--json", action="store_true", help="print one JSON object")
    playbook_options(pr)
    pr.set_defaults(run=run)

    ls = actions.add_parser("profiles", parents=[db], help="the trainees on this machine")
    ls.add_argument("--class", dest="klass", metavar="NAME", help="only this class")
    ls.add_argument("--json", action="store_true", help="print one JSON object")
    ls.set_defaults(run=run)

    ex = actions.add_parser("export", parents=[db], help="write a class's results to a JSON file")
    ex.add_argument("--class", dest="klass", required=True, metavar="NAME", help="the class")
    ex.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the file to write (never overwritten)"
    )
    ex.set_defaults(run=run)

    im = actions.add_parser(
        "import", parents=[db], help="merge exported results (from other laptops) without duplicates"
    )
    im.add_argument("files", nargs="+", metavar="FILE", help="files from `coach train export`")
    im.set_defaults(run=run)


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if not 1 <= n <= 500:
        raise argparse.ArgumentTypeError("must be between 1 and 500")
    return n


def default_lang() -> str:
    """``zh`` when COACH_LANG or the locale says Chinese, else ``en``."""
    for var in ("COACH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def run(args: argparse.Namespace) -> int:
    """Run the action."""

    action = args.train_action
    if action == "import":
        return _import(args)
    if action in ("drill", "quiz"):
        return sitting(args, sys.stdin, sys.stdout)

    if action == "export":
        out = Path(args.output).expanduser()
        _refuse_existing(out)
        with session(args.db) as conn:
            data = training.export_class(conn, args.klass)
        write_output(out, json.dumps(data, ensure_ascii=False, indent=1) + "\n")  # never overwrites
        print(
            f"{safe(str(out))}: {len(data['profiles'])} trainees, {len(data['attempts'])} answers, "
            f"{len(data['roleplays'])} role-plays"
        )
        return 0
    with session(args.db) as conn:
        if action == "profiles":
            return _profiles(conn, args)
        return _progress(conn, args)


# ---------------------------------------------------------------------------------------------- sittings


def _now() -> datetime:
    return datetime.now(UTC)


def _library_and_index(args: argparse.Namespace, need_index: bool):  # noqa: ANN202
    if need_index:
        return load_index(args)

    lib = compiled.library(locations.user_playbook_dirs(args.playbooks))
    lib.raise_if_problems()
    for notice in lib.notices:
        print(f"coach: note: {safe(notice)}", file=sys.stderr)
    return lib, None


def _scenarios(lib) -> list[Any]:  # noqa: ANN001
    """The shipped scenarios whose turns name known situations; broken files are skipped with a note."""

    found = load_default(
        situations=set(situation_ids()) | set(lib.rules), behaviours=set(reply_ids()) | set(lib.behaviours)
    )
    if found.problems:
        print(
            f"coach: note: some scenarios are not used in the drill: {safe(found.problems[0])}",
            file=sys.stderr,
        )
    return [found.scenarios[k] for k in sorted(found.scenarios)]


class Asker:
    """Reads one answer per line: a number between 1 and ``n``; q (or the end of input) stops."""

    def __init__(self, stdin: TextIO, out: TextIO, lang: str) -> None:
        self.stdin, self.out, self.lang = stdin, out, lang
        # Answers piped in are not shown by the terminal: echo them so the transcript reads well.
        self.echo = not (hasattr(stdin, "isatty") and stdin.isatty())

    def say(self, text: str = "") -> None:
        """Print a line literally."""
        self.out.write(safe(text) + "\n")
        self.out.flush()

    def ask(self, n: int) -> int | None:
        """A 0-based choice, or None to stop."""

        while True:
            self.out.write(tr(self.lang, "answer.prompt", n=n))
            self.out.flush()
            line = self.stdin.readline()
            if self.echo:
                self.out.write(safe(line.strip()) + "\n")
            if not line:
                return None
            answer = line.strip().lower()
            if not answer:
                continue
            if answer in STOP:
                return None
            if answer.isdigit() and 1 <= int(answer) <= n:
                return int(answer) - 1
            if len(answer) == 1 and "a" <= answer <= chr(ord("a") + n - 1):
                return ord(answer) - ord("a")
            self.say(tr(self.lang, "answer.invalid", n=n))

    def options(self, labels: list[str]) -> None:
        """Numbered options."""
        for i, label in enumerate(labels, 1):
            self.say(f"  {i}) {label}")


def sitting(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    """Run a drill or quiz sitting on standard input/output, saving each answer as it is given."""

    lang = args.lang or default_lang()
    drill = args.train_action == "drill"
    lib, index = _library_and_index(args, need_index=drill)
    if drill:
        items: list[Any] = drill_items(lib, _scenarios(lib), lang=lang, category=args.category)
        if not items:
            raise CoachError(tr(lang, "drill.none"))
    else:
        items = quiz_bank(lib)
        if not items:
            raise CoachError(tr(lang, "quiz.none"))
    with session(args.db) as conn:
        profile = training.resolve_profile(conn, args.profile, args.klass)
        asker = Asker(stdin, out, lang)
        if drill:
            return _drill(conn, profile, lib, index, items, args, asker)
        return _quiz(conn, profile, lib, items, args, asker)


def _drill(conn, profile, lib, index, items, args, asker: Asker) -> int:  # noqa: ANN001
    lang = asker.lang
    run = DrillRun(
        lib,
        index,
        items,
        training.schedule(conn, profile.id, "drill:"),
        lang=lang,
        count=args.count,
        seed=args.seed,
        now=_now(),
    )
    asker.say(tr(lang, "drill.title", name=profile.name, count=len(run.queue)))
    stopped = False
    while (q := run.next()) is not None:
        asker.say()
        asker.say(tr(lang, "drill.again" if q.again else "drill.header", n=run.queue.asked, total=run.total))
        if q.item.scenario_title:
            asker.say(tr(lang, "drill.from-scenario", title=q.item.scenario_title[lang]))
        asker.say(f"“{q.text}”")
        asker.say(tr(lang, "drill.situation.ask"))
        asker.options([c.label for c in q.situations])
        first = asker.ask(len(q.situations))
        if first is None:
            stopped = True
            break
        right = q.situations[q.situation_answer]
        if first == q.situation_answer:
            asker.say(tr(lang, "drill.right", title=right.label, id=right.rule))
        else:
            asker.say(
                tr(lang, "drill.wrong", title=right.label, id=right.rule, chosen=q.situations[first].label)
            )
        asker.say(tr(lang, "drill.response.ask"))
        asker.options([c.label for c in q.responses])
        second = asker.ask(len(q.responses))
        if second is None:
            stopped = True
            break
        result, requeued = run.answer(q, first, second)
        training.add_attempt(
            conn,
            profile.id,
            drill_record(result, lib, run=run.run, seq=len(run.results) - 1, at=training.now_iso()),
        )
        if result.response_right:
            asker.say(tr(lang, "drill.response.right"))
        else:
            asker.say(tr(lang, "drill.response.wrong", line=q.responses[q.response_answer].label))
            other = q.responses[second].rule
            if other != right.rule:
                asker.say(
                    tr(
                        lang,
                        "drill.response.wrong-rule",
                        title=getattr(lib.rules[other].title, lang),
                        id=other,
                    )
                )
        for line in entry_lines(lib.rules[right.rule], lang):
            asker.say("    " + line)
        if requeued:
            asker.say(tr(lang, "drill.requeued"))
    asker.say()
    if stopped:
        asker.say(tr(lang, "answer.stopped"))
    done = run.results
    asker.say(
        tr(
            lang,
            "drill.done",
            right=sum(r.right for r in done),
            total=len(done),
            points=sum(r.score for r in done),
            max=MAX_POINTS * len(done),
        )
    )
    return 0


def _quiz(conn, profile, lib, bank, args, asker: Asker) -> int:  # noqa: ANN001
    lang = asker.lang
    run = QuizRun(
        lib,
        bank,
        training.schedule(conn, profile.id, "quiz:"),
        lang=lang,
        count=args.count,
        seed=args.seed,
        now=_now(),
    )
    asker.say(tr(lang, "quiz.title", name=profile.name, count=len(run.queue)))
    stopped = False
    while (q := run.next()) is not None:
        asker.say()
        asker.say(tr(lang, "drill.again" if q.again else "drill.header", n=run.queue.asked, total=run.total))
        asker.say(q.prompt)
        asker.options(list(q.options))
        choice = asker.ask(len(q.options))
        if choice is None:
            stopped = True
            break
        result, requeued = run.answer(q, choice)
        training.add_attempt(
            conn,
            profile.id,
            quiz_record(result, run=run.run, seq=len(run.results) - 1, at=training.now_iso()),
        )
        asker.say(
            tr(lang, "quiz.right") if result.right else tr(lang, "quiz.wrong", answer=q.options[q.answer])
        )
        if requeued:
            asker.say(tr(lang, "drill.requeued"))
    asker.say()
    if stopped:
        asker.say(tr(lang, "answer.stopped"))
    asker.say(tr(lang, "quiz.done", right=sum(r.right for r in run.results), total=len(run.results)))
    return 0


# ---------------------------------------------------------------------------------------------- reading


def names_for(playbooks: list[str] | None) -> dict[str, dict[str, str]]:
    """Display names from the playbooks (the taxonomy's when a playbook cannot be loaded)."""

    lib = compiled.library(locations.user_playbook_dirs(playbooks), check=False)
    return titles(lib)


def progress_dict(p: Any, names: dict[str, dict[str, str]], lang: str) -> dict[str, Any]:
    """A ``Progress`` as JSON."""

    return {
        "drill": {"questions": p.drill_questions, "fully_right": p.drill_right},
        "quiz": {"questions": p.quiz_questions, "right": p.quiz_right},
        "roleplays": {"sessions": p.roleplays, "outcomes": dict(p.outcomes)},
        "areas": [
            {
                "id": a.id,
                "title": name_of(names, a.id, lang),
                "drill": {"right": a.drill.right, "total": a.drill.total},
                "quiz": {"right": a.quiz.right, "total": a.quiz.total},
                "roleplay": {"good": a.good, "bad": a.bad},
                "score": None if a.score is None else round(a.score, 4),
                "history": [
                    {"date": day, "right": a.history[day].right, "total": a.history[day].total}
                    for day in sorted(a.history)
                ],
            }
            for a in p.areas
        ],
        "situations": [
            {
                "id": s.id,
                "title": name_of(names, s.id, lang),
                "named": {"right": s.named.right, "total": s.named.total},
                "line": {"right": s.line.right, "total": s.line.total},
                "score": None if s.score is None else round(s.score, 4),
            }
            for s in p.situations
        ],
        "timeline": [
            {
                "kind": s.kind,
                "at": s.at,
                "right": s.right,
                "total": s.total,
                "scenario": s.label or None,
                "outcome": s.outcome,
            }
            for s in p.timeline
        ],
        "mistakes": [
            {"id": ":".join(k), "label": mistake_label(k, names, lang), "count": n}
            for k, n in top_mistakes(p.mistakes, 20)
        ],
        "scenarios": [
            {"id": s.id, "title": s.title, "played": s.played, "outcomes": s.outcomes} for s in p.scenarios
        ],
    }


def _progress(conn, args: argparse.Namespace) -> int:  # noqa: ANN001
    lang = args.lang or default_lang()
    profile = training.resolve_profile(conn, args.profile, args.klass, create=False)
    rps = training.roleplays(conn, profile)
    names = with_roleplay_titles(names_for(args.playbooks), rps)
    p = progress(training.attempts(conn, profile.id), rps, names)
    if args.json:
        print_json({"profile": profile.as_dict(), **progress_dict(p, names, lang)})
    else:
        sys.stdout.write(safe(progress_text(profile.name, profile.klass, p, names, lang).rstrip("\n")) + "\n")
    return 0


def _profiles(conn, args: argparse.Namespace) -> int:  # noqa: ANN001
    found = training.class_profiles(conn, args.klass) if args.klass else training.list_profiles(conn)
    rows = []
    for p in found:
        answers = training.attempts(conn, p.id)
        rows.append({**p.as_dict(), "answers": len(answers), "roleplays": len(training.roleplays(conn, p))})
    if args.json:
        print_json({"profiles": rows})
        return 0
    if not rows:
        print(
            "no trainees yet (`coach train drill --profile NAME --class CLASS` creates one)", file=sys.stderr
        )
    for r in rows:
        print(
            safe(
                f"{r['class']}  {r['name']}  since {r['created_at'][:10]}  "
                f"{r['answers']} answers, {r['roleplays']} role-plays"
            )
        )
    return 0


# ---------------------------------------------------------------------------------------------- files


def _refuse_existing(out: Path) -> None:
    check_target(out, force=None)


def _import(args: argparse.Namespace) -> int:
    files = [(transfer.read(Path(f).expanduser()), f) for f in args.files]
    with session(args.db) as conn:
        report = training.import_class(conn, files)
    print(
        f"imported: {report.profiles_new} new trainees, {report.attempts_new} new answers "
        f"({report.attempts_known} already here), {report.roleplays_new} new role-plays"
        + (f", {report.roleplays_updated} updated" if report.roleplays_updated else "")
        + f" ({report.roleplays_known} already here)"
    )
    return 0
