"""``coach sessions``: the trainer's view of saved role-play sessions: list, show, export (md, HTML, JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coach.clock import local_time
from coach.commands.common import existing_id, print_json, safe
from coach.files import check_target, write_output
from coach.i18n import tr
from coach.roleplay.render import debrief_text, html_page, markdown
from coach.store import sessions
from coach.store.db import session


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb and its actions."""
    p = sub.add_parser(
        "sessions",
        help="list, show or export saved role-play sessions",
        description="Every role-play (`coach roleplay`) is saved with its transcript, the feedback on each "
        "reply, the scorecard and the outcome. These actions read them; none changes them.",
    )
    actions = p.add_subparsers(dest="sessions_action", metavar="ACTION", required=True)
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        metavar="DB",
        help="database: a file, or a team's postgresql:// address (default: COACH_DB, else the data folder)",
    )
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=["en", "zh"], help="language of the text (default: the session's)")

    ls = actions.add_parser("list", parents=[db], help="sessions, newest first")
    ls.add_argument("--scenario", metavar="ID", help="only this scenario")
    ls.add_argument("--trainee", metavar="NAME", help="only this trainee")
    ls.add_argument("--json", action="store_true", help='print one JSON object: {"sessions": [...]}')
    ls.set_defaults(run=run)

    show = actions.add_parser(
        "show", parents=[db, lang], help="one session: debrief, transcript with feedback"
    )
    show.add_argument("id", type=session_id, help="its number, from `coach sessions list`")
    show.set_defaults(run=run)

    ex = actions.add_parser("export", parents=[db, lang], help="write one session as Markdown, HTML or JSON")
    ex.add_argument("id", type=session_id, help="its number, from `coach sessions list`")
    ex.add_argument(
        "--format",
        choices=["md", "html", "json"],
        required=True,
        help="md (Markdown) or html for people; json (with the behaviour ids) for tools",
    )
    ex.add_argument(
        "-o", "--output", metavar="FILE", help="write here (refuses to overwrite); default standard output"
    )
    ex.set_defaults(run=run)


def session_id(value: str) -> int:
    """A session id from the command line (``#12`` or ``12``)."""
    try:
        number = int(value.lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"id must be a whole number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("id must be 1 or more")
    return existing_id(number, "session")


def run(args: argparse.Namespace) -> int:
    """Run the action."""

    out: Path | None = None
    if args.sessions_action == "export" and args.output:
        out = Path(args.output).expanduser()
        check_target(out, force=None)  # before the database is opened
    with session(args.db) as conn:
        if args.sessions_action == "list":
            items = sessions.list_sessions(conn, scenario=args.scenario, trainee=args.trainee)
            if args.json:
                print_json({"sessions": [s.as_dict() for s in items]})
                return 0
            if not items:
                print("no saved sessions (play one with `coach roleplay`)", file=sys.stderr)
            for s in items:
                who = f"  [{s.trainee}]" if s.trainee else ""
                state = (
                    (tr("en", f"roleplay.{s.outcome}") if s.outcome else "-")
                    if s.status == "finished"
                    else s.status
                )
                print(
                    safe(
                        f"{s.id:>4}  {local_time(s.started_at)}  {s.scenario_id}  {state}  "
                        f"{tr('en', 'sessions.counts', replies=s.replies, retries=s.retries)}  "
                        f"{s.title.get(s.lang, '')}{who}"
                    )
                )
            return 0
        record = sessions.get(conn, args.id)
    lang = args.lang or record["lang"]
    if args.sessions_action == "show":
        sys.stdout.write(safe(debrief_text(record, lang)) + "\n")
        return 0
    if args.format == "json":
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    else:
        text = html_page(record, lang) if args.format == "html" else markdown(record, lang)
    if out is None:
        sys.stdout.write(text if args.format == "json" else safe(text))
        return 0
    write_output(out, text)  # never overwrites (no --force)
    print(safe(str(out)))
    return 0
