"""``coach db``: set up and check the database, an SQLite file for one person or a team's PostgreSQL."""

from __future__ import annotations

import argparse
import getpass
import sys

from coach.commands.common import print_json, read_stdin, safe
from coach.services import database


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb and its actions."""
    p = sub.add_parser(
        "db",
        help="set up or check the database: a file for one person, PostgreSQL for a team",
        description="coach keeps its records in one database: by default an SQLite file in the data folder "
        "(made on first use), or a team's PostgreSQL database given as postgresql://USER@HOST/DATABASE "
        "with --db or COACH_DB. A team's administrator runs `coach db init ADDRESS` once; then everyone "
        "sets COACH_DB to the address and works as usual.",
    )
    actions = p.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    for name, text in (
        ("init", "create coach's tables in the database (safe to run again)"),
        ("check", "say which database this is, its engine and schema version"),
    ):
        a = actions.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        a.add_argument(
            "address",
            nargs="?",
            metavar="DB",
            help="a file, or postgresql://USER@HOST/DATABASE (default: --db, COACH_DB, else the data folder)",
        )
        a.add_argument("--db", metavar="DB", help="the same as DB")
        a.add_argument("--json", action="store_true", help="print one JSON object")
        a.set_defaults(run=run)
    person = actions.add_parser(
        "add-person",
        help="give a KAM, trainee or trainer their own login on a team database",
        description="Create a PostgreSQL login for one person: a member (KAM or trainee) adds and reads "
        "their own records and the team's shared ones (accounts, relationship maps, plans) and changes "
        "only their own; a trainer (or manager) reads everyone's. Run by the role that set the database up.",
    )
    person.add_argument("name", help="their login: lower-case letters, digits and _, e.g. kam_li")
    person.add_argument("--trainer", action="store_true", help="a trainer or manager (default: a member)")
    person.add_argument(
        "--password-stdin",
        action="store_true",
        help="read their password from standard input (sent to the server hashed); default: none, for "
        "servers that trust local or certificate logins",
    )
    person.add_argument("--db", metavar="DB", help="the team database (default: COACH_DB)")
    person.set_defaults(run=run)


ROLES = {
    "owner": "owner (sets the database up, adds people, reads everything)",
    "trainer": "trainer (reads the team's records, writes only your own)",
    "member": "member (your own records and the team's shared ones)",
}


def run(args: argparse.Namespace) -> int:
    """Run the verb."""
    if args.db_action == "add-person":
        password = None
        if args.password_stdin:  # typed at a terminal: not shown; piped: read as it comes
            password = (
                getpass.getpass("password: ")
                if sys.stdin.isatty()
                else read_stdin("the password").rstrip("\n")
            )
        name = database.add_person(args.db, args.name, trainer=args.trainer, password=password)
        kind = "a trainer" if args.trainer else "a member"
        print(f"{name}: added as {kind}; they set COACH_DB to the database's address with user {name}")
        return 0
    chosen = args.address or args.db
    if args.db_action == "init":
        status = database.init(chosen)
    else:
        status = database.check(chosen)
    if args.json:
        print_json(
            {
                "engine": status.engine,
                "database": status.where,
                "schema": status.version,
                "latest": status.latest,
                **({"created": status.created} if args.db_action == "init" else {"role": status.role}),
            }
        )
        return 0
    engine = "PostgreSQL (team)" if status.engine == "postgresql" else "SQLite (one person)"
    if args.db_action == "init":
        done = "set up" if status.created else "already set up; nothing was changed"
        print(f"{safe(status.where)}: {done}")
    else:
        print(f"database: {safe(status.where)}")
    print(f"engine:   {engine}")
    print(f"schema:   {status.version} (this coach writes {status.latest})")
    if args.db_action == "check" and status.engine == "postgresql":
        if status.role is None:
            print(
                "you:      no coach rights on this database; ask its administrator: coach db add-person NAME"
            )
            return 1
        print(f"you:      {ROLES[status.role]}")
    return 0
