"""Safe YAML loading that remembers where every value came from, so errors can say file:line:col.

Only ``yaml.SafeLoader`` is used: tags that would build Python objects are rejected, nothing is executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coach.files import FileProblem, read_bytes

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """A loaded YAML document plus the line/column (1-based) of each value, keyed by its path."""

    source: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int, int]:
        """Line and column of the deepest known value on ``path`` (the file start if none)."""
        for cut in range(len(path), -1, -1):
            pos = self.positions.get(tuple(path[:cut]))
            if pos:
                return pos
        return (1, 1)

    def locate(self, path: Path_, message: str) -> str:
        """One readable line: ``file:line:col: dotted.path[3]: message``."""
        line, col = self.where(path)
        dotted = format_path(path)
        return f"{self.source}:{line}:{col}: {dotted + ': ' if dotted else ''}{message}"


def format_path(path: Path_) -> str:
    """``('rules', 3, 'match')`` -> ``rules[3].match``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class YamlProblem(Exception):
    """A syntax or structure problem, already formatted as one located line."""


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when present (several times faster), else the pure-Python one; both keep marks."""


MAX_FILE_BYTES = 5_000_000
"""Largest YAML file read (split bigger playbooks)."""
MAX_DEPTH = 50
"""Deepest nesting of mappings and lists a file may have (the formats need fewer than 10 levels)."""
MAX_VALUES = 200_000
"""Most values a file may hold once its aliases are expanded (the largest shipped playbook has ~7,000)."""
MAX_CHARS = 10_000_000
"""Most characters of scalar text a file may hold once its aliases are expanded (files are at most 5 MB)."""

_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]")
"""An anchor (``&name``) as YAML writes it; "P&G" or "R & D" in prose is not one."""
_INDENT = re.compile(r"^[ \t?:-]*", re.MULTILINE)
_SAFE_NESTING = 4000
"""Bracket and indentation counts below which the (recursive) composer is known to be safe: libyaml's
handles thousands of levels, the pure-Python one a few hundred."""

_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _check_shape(text: str, source: str) -> None:
    """Refuse, before anything is built, a document nested too deeply or too big once its aliases are
    expanded (an "alias bomb": a few hundred bytes that expand to billions of values).

    One pass over the parser's events (an iterative state machine, no recursion): each collection's
    expanded size is summed as it closes and remembered for its anchor, so an alias costs what it expands
    to. Sizes are checked as they grow, so no number gets large and the work is linear in the file.
    """
    loader = _Loader(text)
    try:
        sizes: dict[str, tuple[int, int]] = {}
        stack: list[list[Any]] = [[0, 0, None]]  # [values, characters, anchor] of each open collection
        aliases = False

        def add(values: int, chars: int, mark: Any) -> None:
            top = stack[-1]
            top[0] += values
            top[1] += chars
            if top[0] > MAX_VALUES or top[1] > MAX_CHARS:
                what = f"{MAX_VALUES:,} values" if top[0] > MAX_VALUES else f"{MAX_CHARS:,} characters"
                how = (
                    " once its YAML aliases are expanded; write the values out"
                    if aliases
                    else "; split it up"
                )
                raise YamlProblem(
                    f"{source}:{mark.line + 1}:{mark.column + 1}: the file holds more than {what}{how}"
                )

        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _OPEN):
                if len(stack) > MAX_DEPTH:
                    mark = event.start_mark
                    where = f"{source}:{mark.line + 1}:{mark.column + 1}"
                    raise YamlProblem(f"{where}: nested more than {MAX_DEPTH} levels deep")
                stack.append([1, 0, event.anchor])
            elif isinstance(event, _CLOSE):
                values, chars, anchor = stack.pop()
                if anchor:
                    sizes[anchor] = (values, chars)
                add(values, chars, event.start_mark)
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = (1, len(event.value))
                add(1, len(event.value), event.start_mark)
            elif isinstance(event, yaml.AliasEvent):
                aliases = True
                add(*sizes.get(event.anchor, (1, 0)), event.start_mark)
    finally:
        loader.dispose()


def _needs_shape_check(text: str) -> bool:
    """Whether ``text`` may hold aliases or nest deeper than is safe to compose; without either, its size
    is bounded by the file's and ``_walk`` bounds its depth (which saves a second pass over most files)."""
    if _ANCHOR.search(text):
        return True
    limit = _SAFE_NESTING if _Loader is not yaml.SafeLoader else 200
    if len(text) < limit:
        return False
    brackets = text.count("[") + text.count("{")
    return brackets + max((len(m) for m in _INDENT.findall(text)), default=0) >= limit


def _walk(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, out: Located) -> None:
    out.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if len(path) > MAX_DEPTH:
        raise YamlProblem(out.locate(path[:MAX_DEPTH], f"nested more than {MAX_DEPTH} levels deep"))
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key == "<<":
                raise YamlProblem(
                    out.locate(path, "YAML merge keys (<<) are not supported; write the values out")
                )
            if key in seen:
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                raise YamlProblem(
                    f"{out.source}:{line}:{col}: {format_path(path + (str(key),))}: duplicate key"
                )
            seen[key] = key_node
            _walk(loader, value_node, path + (key if isinstance(key, (str, int)) else str(key),), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(loader, item, path + (i,), out)


def load_text(text: str, source: str) -> Located:
    """Parse YAML text safely; raise ``YamlProblem`` with a located one-line message on any error."""
    located = Located(source=source, data=None)
    node = None
    loader = _Loader(text)
    try:
        if _needs_shape_check(text):
            _check_shape(text, source)
        node = loader.get_single_node()
        if node is None:
            located.data = None
            return located
        _walk(loader, node, (), located)
        located.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        what = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise YamlProblem(f"{source}:{where}: invalid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"{source}:1:1: invalid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:  # a last resort: _needs_shape_check sends deep files to the iterative check
        raise YamlProblem(f"{source}:1:1: nested more than {MAX_DEPTH} levels deep") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2025-13-45
        where, path = _bad_scalar(node, ()) if node is not None else ((1, 1), ())
        dotted = format_path(path)
        raise YamlProblem(
            f"{source}:{where[0]}:{where[1]}: {dotted + ': ' if dotted else ''}invalid value: {' '.join(str(exc).split())}"
        ) from None
    finally:
        loader.dispose()
    return located


def _bad_scalar(node: yaml.Node, path: Path_) -> tuple[tuple[int, int], Path_]:
    """Where the first value that cannot be built (an impossible date...) is, and its path."""
    here = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        try:
            yaml.constructor.SafeConstructor().construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            return here, path
        return (0, 0), path
    children: list[tuple[yaml.Node, str | int]] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            found, sub = _bad_scalar(key_node, path)
            if found != (0, 0):
                return found, sub
            children.append((value_node, str(key_node.value)))
    elif isinstance(node, yaml.SequenceNode):
        children = [(child, i) for i, child in enumerate(node.value)]
    for child, key in children:
        found, sub = _bad_scalar(child, path + (key,))
        if found != (0, 0):
            return found, sub
    return ((0, 0), path) if path else (here, path)


def load_file(path: Path, display: str | None = None) -> Located:
    """Read and parse a YAML file (UTF-8); unreadable files raise ``YamlProblem`` too."""

    source = display or str(path)
    try:  # kind and size checked before reading: a FIFO or /dev/zero is refused, never read
        raw = read_bytes(path, MAX_FILE_BYTES, source)
    except FileProblem as exc:
        raise YamlProblem(f"{source}:1:1: {exc.reason}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlProblem(
            f"{source}:1:1: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None
    return load_text(text, source)
