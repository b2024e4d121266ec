"""``coach walkthroughs``: list, show and export the walk-throughs saved in the terminal UI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.clock import local_time
from coach.commands.common import existing_id, print_json, safe
from coach.files import check_target, write_output
from coach.store import walkthroughs
from coach.store.db import session


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb and its actions."""
    p = sub.add_parser(
        "walkthroughs",
        help="list, show or export saved walk-throughs",
        description="Walk-throughs are saved from the terminal UI (open a playbook entry, press w). "
        "These actions read them; none changes them.",
    )
    actions = p.add_subparsers(dest="wt_action", metavar="ACTION", required=True)
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        metavar="DB",
        help="database: a file, or a team's postgresql:// address (default: COACH_DB, else the data folder)",
    )

    ls = actions.add_parser("list", parents=[db], help="saved walk-throughs, newest first")
    ls.add_argument("--json", action="store_true", help="one JSON object per walk-through, one per line")
    ls.set_defaults(run=run)

    show = actions.add_parser("show", parents=[db], help="one walk-through as Markdown")
    show.add_argument("id", type=_wt_id, help="its number, from `coach walkthroughs list`")
    show.set_defaults(run=run)

    export = actions.add_parser(
        "export", parents=[db], help="write one walk-through to a file (or standard output)"
    )
    export.add_argument("id", type=_wt_id, help="its number, from `coach walkthroughs list`")
    export.add_argument("--format", choices=["md"], default="md", help="file format (md: Markdown)")
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write here (refuses to overwrite); default standard output"
    )
    export.set_defaults(run=run)


def _wt_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"id must be a whole number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("id must be 1 or more")
    return existing_id(number, "walk-through")


def run(args: argparse.Namespace) -> int:
    """Run the action."""

    if args.wt_action == "export" and args.output:
        check_target(Path(args.output).expanduser(), force=None)  # before the database is opened
    with session(args.db) as conn:
        if args.wt_action == "list":
            items = walkthroughs.list_recent(conn, limit=10_000)
            if args.json:
                for wt in items:
                    print_json(
                        {
                            "id": wt.id,
                            "rule_id": wt.rule_id,
                            "title": wt.title,
                            "lang": wt.lang,
                            "label": wt.label,
                            "saved_at": wt.saved_at,
                            "done": wt.done_count,
                            "steps": len(wt.steps),
                        }
                    )
                return 0
            if not items:
                print(
                    "no saved walk-throughs (open a playbook entry in `coach` and press w)", file=sys.stderr
                )
            for wt in items:
                label = f"  [{safe(wt.label)}]" if wt.label else ""
                print(
                    f"{wt.id:>4}  {local_time(wt.saved_at)}  {wt.done_count}/{len(wt.steps)}  "
                    f"{wt.rule_id}  {safe(wt.title)}{label}"
                )
            return 0
        wt = walkthroughs.get(conn, args.id)
    text = walkthroughs.to_markdown(wt)
    if args.wt_action == "export" and args.output:
        out = Path(args.output).expanduser()
        write_output(out, text)  # never overwrites (no --force)
        print(safe(str(out)))
        return 0
    sys.stdout.write(safe(text))
    return 0
