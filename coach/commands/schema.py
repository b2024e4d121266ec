"""``coach schema``: the JSON Schema of the playbook format, for editor completion and checking."""

from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb."""
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of playbook files",
        description="Print the JSON Schema of the playbook format (point your editor's YAML support at it).",
    )
    p.add_argument(
        "--kind", choices=["playbook", "behaviours", "vocabulary"], default="playbook", help="which file format"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the verb."""
    from coach.content.models import BehaviourFile, PlaybookFile, VocabularyFile

    model = {"playbook": PlaybookFile, "behaviours": BehaviourFile, "vocabulary": VocabularyFile}[args.kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"coach {args.kind} file"
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0
