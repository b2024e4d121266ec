"""The glossary of trade terms (``playbooks/glossary.yaml``) and its check over playbooks and scenarios.

One term, one meaning, in both languages: 堆头 is a floor stack and 端架 an end-cap (two different paid
displays), 动销 is sell-out, DM/邮报/海报 is the flyer, 红脸 is the friendly one and 白脸 the tough one (the
course's "一个唱红脸，一个唱白脸"). ``coach validate`` runs :func:`check` over every text that has an English
and a Chinese side (rule titles, summaries, steps, lines to say, things to avoid; reply behaviours; every
scenario text) and reports, one located line each:

* an entry whose Chinese uses a term and whose English renders it as a term it must not be confused with
  (``not_en``: 堆头 written "end-cap", 白脸 written "the friendly one"), unless the English also names the term
  itself ("end-caps and floor stacks" for 端架堆头 is fine);
* a Chinese word the glossary replaces (``avoid_zh``: 黑脸 for 白脸);
* a line to say to a buyer (a rule's ``response.say``, a reply behaviour's ``better``) that calls the buyer
  你 instead of 您 (你们 is fine), except in the rules the glossary lists under ``internal_say`` (lines to our
  own colleagues).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from coach.content.models import NonEmpty, Strict, Text
from coach.content.yamlpos import YamlProblem, load_file

if TYPE_CHECKING:
    from coach.content.loader import Library
    from coach.content.yamlpos import Located


class GlossaryTerm(Strict):
    """A trade term in both languages: how to write it, and what it must not be confused with."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="Stable name, e.g. floor-stack.")
    en: list[NonEmpty] = Field(min_length=1, description="English forms; the first is the one to write.")
    zh: list[NonEmpty] = Field(min_length=1, description="Chinese forms; the first is the one to write.")
    note: Text | None = Field(None, description="What it is, for a reader, in both languages.")
    not_en: list[NonEmpty] = Field(
        default_factory=list,
        description="English words that must not render this term (those of a term it is confused with): "
        "an entry whose Chinese has the term and whose English has one of these, and none of its own "
        "English forms, is reported.",
    )
    avoid_zh: list[NonEmpty] = Field(
        default_factory=list,
        description="Chinese words not to use for it in shipped text (write the first `zh` form).",
    )


class GlossaryFile(Strict):
    """A glossary file: trade terms in both languages, checked by ``coach validate``."""

    glossary: list[GlossaryTerm] = Field(min_length=1, description="The terms in this file.")
    internal_say: list[NonEmpty] = Field(
        default_factory=list,
        description="Ids of rules whose lines to say speak to our own colleagues, not to a buyer "
        "(their Chinese may say 你).",
    )


_YOU = re.compile(r"(?<!迷)你(?!们)")  # 你们 (plural) is fine, 迷你 (mini) is not "you"
_SKIP = {"match", "examples", "counter_examples", "detect", "rehearsals"}
"""Keys whose values are matching data or test replies, not advice text."""


def _en_word(form: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(form.lower()) + r"(?:s|es)?(?![a-z0-9])")


class Checker:
    """The glossary's checks, compiled once."""

    def __init__(self, terms: list[GlossaryTerm], internal_say: set[str] | None = None) -> None:
        self.terms = terms
        self.internal_say = internal_say or set()
        self._own = {t.id: [_en_word(f) for f in t.en] for t in terms}
        self._not = {t.id: [(f, _en_word(f)) for f in t.not_en] for t in terms}

    def entry(self, en: str, zh: str) -> Iterator[tuple[str, str]]:
        """(side, message) for each glossary problem of one two-language text."""
        low = en.lower()
        for term in self.terms:
            for bad in term.avoid_zh:
                if bad in zh:
                    yield (
                        "zh",
                        f"write {term.zh[0]} ({term.en[0]}), not {bad}: the glossary uses one word for it",
                    )
            said = next((f for f in term.zh if f in zh), None)
            if said is None or any(p.search(low) for p in self._own[term.id]):
                continue
            wrong = next((f for f, p in self._not[term.id] if p.search(low)), None)
            if wrong:
                yield (
                    "en",
                    (
                        f"the Chinese says {said} ({term.en[0]}) but the English says {wrong!r}: "
                        f"they are different things; use the same term in both languages"
                    ),
                )

    def say(self, zh: str) -> str | None:
        """The problem of a Chinese line said to a buyer, if any."""
        if _YOU.search(zh):
            return "a line to say to a buyer calls the buyer 您, not 你 (你们 is fine)"
        return None


def _texts(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """Every mapping with an English and a Chinese string under ``node`` (advice text only)."""
    if isinstance(node, dict):
        en, zh = node.get("en"), node.get("zh")
        if isinstance(en, str) and isinstance(zh, str):
            yield path, en, zh
        for key, value in node.items():
            if key not in _SKIP and isinstance(value, (dict, list)):
                yield from _texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, (*path, i))


def _check_document(
    checker: Checker, doc: Located, root: tuple[str | int, ...], node: Any, say: bool
) -> list[str]:
    out = []
    for path, en, zh in _texts(node, root):
        for side, message in checker.entry(en, zh):
            out.append(doc.locate((*path, side), message))
        if say and len(path) >= 2 and path[-2] in ("say", "better"):
            problem = checker.say(zh)
            if problem:
                out.append(doc.locate((*path, "zh"), problem))
    return out


def check(lib: Library, scenario_paths: list[Path] | None = None) -> list[str]:
    """Located problems of the loaded rules and reply behaviours, and of the scenario files or folders
    given, against the library's glossary (nothing when no glossary is loaded)."""
    if not lib.glossary:
        return []
    checker = Checker(list(lib.glossary.values()), set(lib.internal_say))
    out: list[str] = []
    for rid in lib.rules:
        src = lib.sources[rid]
        doc = lib.documents[src.file]
        node = doc.data["rules"][src.index]
        say = rid not in checker.internal_say
        out += _check_document(checker, doc, ("rules", src.index), node, say)
    for bid in lib.behaviours:
        src = lib.sources[bid]
        doc = lib.documents[src.file]
        out += _check_document(
            checker, doc, ("behaviours", src.index), doc.data["behaviours"][src.index], True
        )
    for file in _scenario_files(scenario_paths or []):
        out += check_scenario_file(checker, file)
    return out


def _scenario_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for base in paths:
        if base.is_dir():
            files += sorted(p for p in base.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        elif base.is_file():
            files.append(base)
    return files


def check_scenario_file(checker: Checker, file: Path) -> list[str]:
    """Located problems of one scenario file (a file that does not load is left to the scenario check)."""

    try:
        doc = load_file(file, _display(file))
    except YamlProblem:
        return []
    if not isinstance(doc.data, dict) or "turns" not in doc.data:
        return []
    return _check_document(checker, doc, (), doc.data, False)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
