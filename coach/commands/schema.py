"""``coach schema``: the JSON Schema of each kind of file under playbooks/, for editors and checkers."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.content.schemas import ANY, KINDS, file_name, render
from coach.errors import CoachError


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb."""

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of playbook files",
        description="Print the JSON Schema (draft 2020-12) of a kind of file under playbooks/ (point your "
        "editor's YAML support at it; shipped files name theirs on their first line). --write DIR writes "
        "one KIND.schema.json per kind instead.",
    )
    p.add_argument(
        "--kind",
        choices=[*KINDS, ANY],
        default="playbook",
        help="which file format: playbook (rules:), vocabulary (concepts:), behaviours (behaviours:), "
        "out-of-scope (out_of_scope:), glossary (glossary:), or any of them (default: playbook)",
    )
    p.add_argument(
        "--write", metavar="DIR", help="write every kind's KIND.schema.json into DIR and print the paths"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the verb."""

    if args.write is None:
        print(render(args.kind), end="")
        return 0
    folder = Path(args.write)
    if not folder.is_dir():
        raise CoachError(f"--write: {folder} is not a folder", hint="create it first")
    for kind in KINDS:
        target = folder / file_name(kind)
        try:
            target.write_text(render(kind), encoding="utf-8")
        except OSError as exc:
            raise CoachError(f"--write: cannot write {target}: {exc.strerror or exc}") from None
        print(target)
    return 0
