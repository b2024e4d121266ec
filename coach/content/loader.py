"""Load playbooks and vocabularies from folders into a validated ``Library``; every problem is located.

Layers: the shipped folder first, then each user folder in order. A user rule with the id of an
earlier rule replaces it and the replacement is reported (``Library.notices``); two rules with one id
in the same layer are an error.
"""

from __future__ import annotations

import typing
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from coach import locations
from coach.content.glossary import GlossaryFile
from coach.content.library import Library, RuleSource, missing_required, shown_path
from coach.content.models import BehaviourFile, OutOfScopeFile, PlaybookFile, VocabularyFile
from coach.content.yamlpos import Located, YamlProblem, format_path, load_file
from coach.domain.suggest import closest


def _did_you_mean(model: type[BaseModel], loc: tuple[Any, ...], key: str) -> str:
    """Suggest the closest allowed field name for an unknown key."""

    fields = _fields_at(model, loc)
    if not fields:
        return ""
    best = closest(key, fields)
    return f"; did you mean {best!r}?" if best else f"; allowed: {', '.join(sorted(fields))}"


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model found by following ``loc`` (skipping list indexes)."""

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = info.annotation
        for _ in range(3):  # unwrap list[X] / X | None
            args = [a for a in typing.get_args(current) if a is not type(None)]
            if args and not (isinstance(current, type) and issubclass(current, BaseModel)):
                current = args[0]
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def pydantic_problems(exc: ValidationError, located: Located, model: type[BaseModel]) -> list[str]:
    """Turn each pydantic error into ``file:line:col: path: message``."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown field {loc[-1]!r}{_did_you_mean(model, loc[:-1], str(loc[-1]))}"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        out.append(located.locate(loc, msg))
    return out


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


_display = shown_path  # the cache key (``compiled``) uses the same names


def load_library(layers: list[Path | list[Path]]) -> Library:
    """Load each layer (a folder, a file, or a list of them) in order; collect every problem."""
    lib = Library()
    for layer_no, layer in enumerate(layers):
        paths = layer if isinstance(layer, list) else [layer]
        layer_ids: dict[str, str] = {}
        for base in paths:
            if not base.exists():
                lib.problems.append(f"{_display(base)}:1:1: no such file or folder")
                continue
            for file in _yaml_files(base):
                _load_file(lib, file, layer_no, layer_ids)
    _check_links(lib)
    return lib


def _load_file(lib: Library, file: Path, layer_no: int, layer_ids: dict[str, str]) -> None:
    shown = _display(file)
    try:
        located = load_file(file, shown)
    except YamlProblem as exc:
        lib.problems.append(str(exc))
        return
    data = located.data
    if not isinstance(data, dict) or not (
        {"rules", "concepts", "out_of_scope", "behaviours", "glossary"} & set(data)
    ):
        lib.problems.append(
            located.locate(
                (),
                "expected a mapping with `rules:` (a playbook), `behaviours:`, `concepts:` (a vocabulary), "
                "`out_of_scope:` or `glossary:`",
            )
        )
        return
    if "glossary" in data and "rules" not in data:
        _load_glossary(lib, located, shown)
        return
    if "behaviours" in data and "rules" not in data:
        _load_behaviours(lib, located, shown, layer_no, layer_ids)
        return
    if "out_of_scope" in data and "rules" not in data:
        try:
            oos = OutOfScopeFile.model_validate(data)
        except ValidationError as exc:
            lib.problems.extend(pydantic_problems(exc, located, OutOfScopeFile))
            return
        lib.out_of_scope.extend(
            p for p in [*oos.out_of_scope.en, *oos.out_of_scope.zh] if p not in lib.out_of_scope
        )
        lib.out_of_scope_patterns.extend(
            p for p in oos.out_of_scope.patterns if p not in lib.out_of_scope_patterns
        )
        lib.documents[shown] = located  # so `coach validate` can place warnings about its patterns
        return
    if "concepts" in data and "rules" not in data:
        try:
            vocab = VocabularyFile.model_validate(data)
        except ValidationError as exc:
            lib.problems.extend(pydantic_problems(exc, located, VocabularyFile))
            return
        for concept in vocab.concepts:
            terms = lib.concepts.setdefault(concept.id, [])
            terms.extend(t for t in concept.terms if t not in terms)
        return
    try:
        book = PlaybookFile.model_validate(data)
    except ValidationError as exc:
        lib.problems.extend(pydantic_problems(exc, located, PlaybookFile))
        return
    for i, rule in enumerate(book.rules):
        line, col = located.where(("rules", i))
        here = f"{shown}:{line}:{col}"
        if rule.id in layer_ids:
            lib.problems.append(
                f"{here}: rules[{i}].id: duplicate id {rule.id!r} (first defined at {layer_ids[rule.id]})"
            )
            continue
        layer_ids[rule.id] = here
        if rule.id in lib.rules:
            lib.notices.append(f"{here}: rule {rule.id!r} replaces the one from {lib.sources[rule.id]}")
        lib.rules[rule.id] = rule
        lib.sources[rule.id] = RuleSource(shown, line, col, layer_no, i)
    lib.documents[shown] = located


def _load_behaviours(
    lib: Library, located: Located, shown: str, layer_no: int, layer_ids: dict[str, str]
) -> None:
    try:
        book = BehaviourFile.model_validate(located.data)
    except ValidationError as exc:
        lib.problems.extend(pydantic_problems(exc, located, BehaviourFile))
        return
    for i, behaviour in enumerate(book.behaviours):
        line, col = located.where(("behaviours", i))
        here = f"{shown}:{line}:{col}"
        if behaviour.id in layer_ids:
            lib.problems.append(
                f"{here}: behaviours[{i}].id: duplicate id {behaviour.id!r} (first defined at {layer_ids[behaviour.id]})"
            )
            continue
        layer_ids[behaviour.id] = here
        if behaviour.id in lib.behaviours:
            lib.notices.append(
                f"{here}: behaviour {behaviour.id!r} replaces the one from {lib.sources[behaviour.id]}"
            )
        lib.behaviours[behaviour.id] = behaviour
        lib.sources[behaviour.id] = RuleSource(shown, line, col, layer_no, i)
    lib.documents[shown] = located


def _load_glossary(lib: Library, located: Located, shown: str) -> None:
    try:
        book = GlossaryFile.model_validate(located.data)
    except ValidationError as exc:
        lib.problems.extend(pydantic_problems(exc, located, GlossaryFile))
        return
    seen: set[str] = set()
    for i, term in enumerate(book.glossary):
        if term.id in seen:
            lib.problems.append(located.locate(("glossary", i, "id"), f"duplicate glossary term {term.id!r}"))
            continue
        seen.add(term.id)
        if term.id in lib.glossary:
            line, col = located.where(("glossary", i))
            lib.notices.append(f"{shown}:{line}:{col}: glossary term {term.id!r} replaces an earlier one")
        lib.glossary[term.id] = term
    lib.internal_say.extend(r for r in book.internal_say if r not in lib.internal_say)
    lib.documents[shown] = located


def _check_links(lib: Library) -> None:
    for rule_id, rule in lib.rules.items():
        src = lib.sources[rule_id]
        doc = lib.documents[src.file]
        for what, ids in (("principles", rule.response.principles), ("see_also", rule.response.see_also)):
            for j, target in enumerate(ids):
                path = ("rules", src.index, "response", what, j)
                if target not in lib.rules:
                    lib.problems.append(doc.locate(path, f"links to unknown id {target!r}"))
                elif what == "principles" and not target.startswith("principle."):
                    lib.problems.append(doc.locate(path, f"{target!r} is not a principle id"))
    for bid, behaviour in lib.behaviours.items():
        src = lib.sources[bid]
        doc = lib.documents[src.file]
        for what, ids, known in (
            ("principles", behaviour.principles, lib.rules),
            ("suppresses", behaviour.suppresses, lib.behaviours),
        ):
            for j, target in enumerate(ids):
                if target not in known:
                    lib.problems.append(
                        doc.locate(("behaviours", src.index, what, j), f"links to unknown id {target!r}")
                    )


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Any]:
    """The canonical ids (a copy of the project's spec/taxonomy.yaml ships inside the package)."""

    with open(Path(__file__).with_name("taxonomy.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def situation_ids() -> list[str]:
    """Every required situation id, in taxonomy order."""
    return [s["id"] for group in taxonomy()["situations"].values() for s in group]


def reply_ids() -> list[str]:
    """Every required reply-behaviour id."""
    return [r["id"] for r in taxonomy()["replies"]]


def check_required(lib: Library, *, situations: bool = True, replies: bool = True) -> None:
    """Report taxonomy situation and/or reply ids that no loaded rule or behaviour defines."""
    problem = missing_required(lib.rules, lib.behaviours, taxonomy(), situations=situations, replies=replies)
    if problem:
        lib.problems.append(problem)


def default_layers(extra_dirs: list[Path] | None = None) -> list[Path | list[Path]]:
    """The shipped playbooks, then the user's folders (``COACH_PLAYBOOKS``, ``--playbooks``)."""

    return [locations.shipped_playbooks_dir(), *(extra_dirs or [])]


def load_default(
    extra_dirs: list[Path] | None = None,
    *,
    check: bool = True,
    situations: bool = True,
    replies: bool = False,
) -> Library:
    """Load shipped + user playbooks; with ``check`` also require the taxonomy's situation ids (and,
    with ``replies``, its reply-behaviour ids)."""
    lib = load_library(default_layers(extra_dirs))
    if check:
        check_required(lib, situations=situations, replies=replies)
    return lib


__all__ = [
    "Library",
    "RuleSource",
    "load_library",
    "load_default",
    "format_path",
    "situation_ids",
    "reply_ids",
]
