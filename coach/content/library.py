"""The loaded playbooks as one value (``Library``) and the taxonomy check over it.

Kept apart from the loader (YAML with positions) so that a library read back from the cache
(``coach.content.compiled``) needs neither YAML nor the loader.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from coach.errors import ContentError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from coach.content.glossary import GlossaryTerm
    from coach.content.models import Behaviour, Rule
    from coach.content.yamlpos import Located


@dataclass(frozen=True)
class RuleSource:
    """Where a rule was defined."""

    file: str
    line: int
    col: int
    layer: int
    index: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass
class Library:
    """Everything the engine needs: the rules (in load order), trade vocabulary, and what happened loading.

    ``documents`` (the YAML with positions) is filled only when the files were read, not when the library
    comes from the cache: only ``coach validate`` and its checks need it, and they read the files."""

    rules: dict[str, Rule] = field(default_factory=dict)
    sources: dict[str, RuleSource] = field(default_factory=dict)
    concepts: dict[str, list[str]] = field(default_factory=dict)
    out_of_scope: list[str] = field(default_factory=list)
    out_of_scope_patterns: list[str] = field(default_factory=list)
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    glossary: dict[str, GlossaryTerm] = field(default_factory=dict)
    internal_say: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    documents: dict[str, Located] = field(default_factory=dict, repr=False)

    def raise_if_problems(self) -> None:
        """Stop with a ``ContentError`` if anything failed to load."""
        if self.problems:
            raise ContentError(self.problems)


M = TypeVar("M", bound="BaseModel")


class LazyModels(Mapping[str, M], Generic[M]):
    """Models kept as the plain data they were dumped to, each validated on first use.

    A command that shows three rules validates three, not every rule of every playbook. The data was
    checked in full when the cache was built, so it is validated with ``context={"trusted": True}``
    (which skips the regex safety analysis, see ``models.Regex``)."""

    def __init__(self, model: type[M], plain: dict[str, Any]) -> None:
        self._model = model
        self._plain = plain
        self._made: dict[str, M] = {}

    def __getitem__(self, key: str) -> M:
        made = self._made.get(key)
        if made is None:
            made = self._model.model_validate(self._plain[key], context={"trusted": True})
            self._made[key] = made
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._plain)

    def __len__(self) -> int:
        return len(self._plain)

    def __contains__(self, key: object) -> bool:
        return key in self._plain

    def __repr__(self) -> str:
        return f"LazyModels({self._model.__name__}, {len(self._plain)} items)"


def missing_required(
    rules: Container[str],
    behaviours: Container[str],
    taxonomy: Mapping[str, Any],
    *,
    situations: bool = True,
    replies: bool = True,
) -> str | None:
    """The problem line naming the taxonomy situation and/or reply ids that no loaded rule or behaviour
    defines (``rules``, ``behaviours``: the loaded ids), or None when none is missing."""
    missing = (
        [s["id"] for group in taxonomy["situations"].values() for s in group if s["id"] not in rules]
        if situations
        else []
    )
    missing += [r["id"] for r in taxonomy["replies"] if r["id"] not in behaviours] if replies else []
    return f"playbooks: missing required taxonomy ids: {', '.join(missing)}" if missing else None


def shown_path(path: Path) -> str:
    """A file's name as messages show it: relative to the current folder when inside it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
