"""JSON Schemas of every kind of file under playbooks/, built from the content models.

The same schemas ship as ``*.schema.json`` files beside this module, so an editor with the YAML language
server checks a shipped file through the modeline on its first line, with no set-up
(``# yaml-language-server: $schema=../coach/content/schemas/playbook.schema.json``). They are
regenerated with ``coach schema --write coach/content/schemas``; a test keeps them up to date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coach.content.glossary import GlossaryFile
from coach.content.models import BehaviourFile, OutOfScopeFile, PlaybookFile, VocabularyFile

KINDS = ("playbook", "vocabulary", "behaviours", "out-of-scope", "glossary")
"""The kinds of file under playbooks/, in the order ``coach schema --kind`` lists them."""

ANY = "any"
"""The schema that accepts a file of any of the kinds (``coach schema`` without ``--kind``)."""

TOP_KEYS = {
    "playbook": "rules",
    "vocabulary": "concepts",
    "behaviours": "behaviours",
    "out-of-scope": "out_of_scope",
    "glossary": "glossary",
}
"""The top-level key that marks each kind of file (as the loader recognises them)."""

DRAFT = "https://json-schema.org/draft/2020-12/schema"
FOLDER = Path(__file__).parent


def kind_of(data: object) -> str | None:
    """The kind of a loaded YAML document, by its top-level key (as the loader decides), or None."""
    if not isinstance(data, dict):
        return None
    for kind in ("playbook", "behaviours", "out-of-scope", "vocabulary", "glossary"):
        if TOP_KEYS[kind] in data:
            return kind
    return None


def _model(kind: str) -> type:
    return {
        "playbook": PlaybookFile,
        "vocabulary": VocabularyFile,
        "behaviours": BehaviourFile,
        "out-of-scope": OutOfScopeFile,
        "glossary": GlossaryFile,
    }[kind]


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of file, or of any of them (:data:`ANY`)."""
    if kind == ANY:
        return _any_schema()
    schema: dict[str, Any] = {"$schema": DRAFT}
    schema.update(_model(kind).model_json_schema())
    schema["title"] = f"coach {kind} file"
    return schema


def _any_schema() -> dict[str, Any]:
    """One schema that accepts each kind: the file schemas side by side under ``$defs``."""
    defs: dict[str, Any] = {}
    choices = []
    for kind in KINDS:
        schema = _model(kind).model_json_schema()
        defs.update(schema.pop("$defs", {}))
        name = _model(kind).__name__
        defs[name] = schema
        choices.append({"$ref": f"#/$defs/{name}"})
    return {
        "$schema": DRAFT,
        "title": "coach playbooks folder file (any kind)",
        "description": "A playbook, vocabulary, reply-behaviour, out-of-scope or glossary file.",
        "anyOf": choices,
        "$defs": dict(sorted(defs.items())),
    }


def file_name(kind: str) -> str:
    """``playbook`` -> ``playbook.schema.json``."""
    return f"{kind}.schema.json"


def render(kind: str) -> str:
    """The schema as the text shipped in the package (stable key order, UTF-8, newline at the end)."""
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n"


def modeline(kind: str, prefix: str = "../coach/content/schemas/") -> str:
    """The first line of a shipped file of this kind: where the YAML language server finds its schema."""
    return f"# yaml-language-server: $schema={prefix}{file_name(kind)}"
