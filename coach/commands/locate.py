"""``coach locate``: print where the tool keeps its data, settings and content."""

from __future__ import annotations

import argparse

from coach import locations


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb."""
    p = sub.add_parser(
        "locate", help="print the paths the tool uses", description="Print every path the tool uses."
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the verb."""

    for name, path in locations.all_locations().items():
        print(f"{name + ':':19} {path}")
    return 0
