"""Everything derived from the playbooks, built once: the one place every verb and the UI get them from.

The validated library (rules, behaviours, glossary, vocabulary, where each was defined, the load problems
and notices), the taxonomy, and the engine's index are kept in the user's cache folder
(``playbooks.marshal``). It holds plain data only (``marshal`` of dicts, lists, strings and numbers; never
pickle, never code) under a key made of the contents of the playbook files and of the engine and content
source files, the file names as messages show them, and the tool, index and Python versions. While the
key matches, nothing is parsed or validated again:

- the library's models are validated one by one when first used, from their plain dump (``LazyModels``);
- the index is read back only when asked for (it is three quarters of the file), and built and added to
  the cache the first time a verb needs it.

Any other file (missing, stale, truncated, another format, a folder in its place) means "rebuild", silently.
The cache is written whole or not at all (``coach.files.write_file``), owner-only; one that cannot be
written is skipped. Within a process the last few results are kept, so the UI and repeated calls share them.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib.util
import marshal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import __version__, locations
from coach.content.library import LazyModels, Library, RuleSource, missing_required, shown_path
from coach.engine import index as engine_index
from coach.engine.index import FORMAT, Index, build_index
from coach.engine.normalize import Synonyms
from coach.errors import CoachError, ContentError
from coach.files import FileProblem, read_bytes, write_file

if TYPE_CHECKING:  # the fast path never imports the loader (YAML) or the models unless a model is used
    from coach.engine.assess import BehaviourIndex

CACHE_FORMAT = 1
"""Bump when the layout of the cache file changes."""

CACHE_NAME = "playbooks.marshal"

MAX_CACHE_BYTES = 500_000_000
"""A cache larger than this is not read (the shipped playbooks make about 5 MB)."""

_KEEP = 4
"""Results kept in memory per process (one per set of playbook folders in use)."""

_memo: dict[str, Compiled] = {}


class Compiled:
    """The playbooks' derived data for one cache key; ``library`` and ``index`` are made on first use."""

    def __init__(
        self,
        key: str,
        *,
        problems: list[str],
        notices: list[str],
        ids: tuple[list[str], list[str]],
        taxonomy: dict[str, Any],
        library_raw: bytes,
        index_raw: bytes | None,
        behaviour_raw: bytes | None = None,
        library: Library | None = None,
        extra_dirs: list[Path] | None = None,
    ) -> None:
        self.key = key
        self.extra_dirs = list(extra_dirs or [])
        self.problems = problems
        """Problems found loading the files (the taxonomy check comes on top, see ``library``)."""
        self.notices = notices
        self.rule_ids, self.behaviour_ids = ids
        self.taxonomy = taxonomy
        self._library_raw = library_raw
        self._index_raw = index_raw
        self._library = library
        self._index: Index | None = None
        self._behaviour_raw = behaviour_raw
        self._behaviour_index: BehaviourIndex | None = None
        self._views: dict[str, PlainView] | None = None

    def required_problem(self, *, situations: bool = True, replies: bool = False) -> str | None:
        """The taxonomy check's problem line, or None (see ``loader.check_required``)."""
        rules, behaviours = frozenset(self.rule_ids), frozenset(self.behaviour_ids)
        return missing_required(rules, behaviours, self.taxonomy, situations=situations, replies=replies)

    def library(self, *, check: bool = True, situations: bool = True, replies: bool = False) -> Library:
        """The library as ``loader.load_default`` returns it (its own ``problems`` list, models shared)."""
        if self._library is None:
            try:
                with _no_gc():
                    self._library = _library_from_plain(marshal.loads(self._library_raw))
            except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the error
                self._rebuild()
        assert self._library is not None
        problems = list(self._library.problems)
        if check:
            problem = self.required_problem(situations=situations, replies=replies)
            if problem:
                problems.append(problem)
        return dataclasses.replace(self._library, problems=problems)

    @property
    def index(self) -> Index:
        """The matching index (the taxonomy's situations required, as the matcher has always required)."""
        if self._index is None:
            if self._index_raw is not None:
                try:
                    with _no_gc():
                        self._index = Index.from_plain(marshal.loads(self._index_raw))
                except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the error
                    self._rebuild()
            if self._index is None:
                lib = self.library()
                lib.raise_if_problems()
                self._index = build_index(lib)
                self._index_raw = marshal.dumps(self._index.to_plain())
                self._save()
        return self._index

    @property
    def behaviour_index(self) -> BehaviourIndex:
        """The reply behaviours compiled for ``engine.assess`` (whatever the load problems: check first)."""
        if self._behaviour_index is None:
            from coach.engine.assess import (  # deferred: assess's engine stays out of coach match
                BehaviourIndex,
                build_behaviour_index,
            )

            if self._behaviour_raw is not None:
                try:
                    data = _loads(self._behaviour_raw)
                    data["synonyms"] = Synonyms(**data["synonyms"])
                    self._behaviour_index = BehaviourIndex(**data)
                except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the error
                    self._rebuild()
            if self._behaviour_index is None:
                made = self._behaviour_index = build_behaviour_index(self.library(check=False))
                data = {f.name: getattr(made, f.name) for f in dataclasses.fields(BehaviourIndex)}
                data["synonyms"] = dataclasses.asdict(made.synonyms)
                self._behaviour_raw = marshal.dumps(data)
                self._save()
        return self._behaviour_index

    def rule_views(self) -> dict[str, PlainView]:
        """The rules as read-only views of their plain data (``rule.response.steps[0].en``): enough to print
        them without importing pydantic or building the models (``coach match`` text output)."""
        if self._views is None:
            try:
                rules = _loads(self._library_raw)["rules"]
                self._views = {rule_id: PlainView(plain) for rule_id, plain in rules.items()}
            except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the error
                self._rebuild()
                return self.rule_views()
        return self._views

    def check(self, *, situations: bool = True, replies: bool = False) -> None:
        """Stop with a ``ContentError`` as ``Library.raise_if_problems`` would, without making the library."""
        problems = list(self.problems)
        problem = self.required_problem(situations=situations, replies=replies)
        if problem:
            problems.append(problem)
        if problems:
            raise ContentError(problems)

    def to_plain(self) -> dict[str, Any]:
        """What the cache file holds."""
        return {
            "format": CACHE_FORMAT,
            "key": self.key,
            "problems": self.problems,
            "notices": self.notices,
            "ids": [self.rule_ids, self.behaviour_ids],
            "taxonomy": self.taxonomy,
            "library": self._library_raw,
            "index": self._index_raw,
            "behaviour_index": self._behaviour_raw,
        }

    def _rebuild(self) -> None:
        """Read the playbooks again (the cached data turned out damaged) and replace the cache."""
        fresh = _build(self.key, self.extra_dirs)
        self.__dict__.update(fresh.__dict__)
        self._save()

    def _save(self) -> None:
        _write(locations.cache_dir() / CACHE_NAME, marshal.dumps(self.to_plain()))


class PlainView:
    """A model's plain dump read like the model: ``view.title.en``; lists are tuples of views; enum
    fields are their values (plain strings, so ``getattr(d, "value", d)`` reads either)."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._data[name]
        except KeyError:
            raise AttributeError(name) from None
        return _view(value)

    def __repr__(self) -> str:
        return f"PlainView({self._data!r})"


def _view(value: Any) -> Any:
    if isinstance(value, dict):
        return PlainView(value)
    if isinstance(value, list):
        return tuple(_view(v) for v in value)
    return value


def load(extra_dirs: list[Path] | None = None) -> Compiled:
    """The compiled playbooks for the shipped folder and ``extra_dirs``: from memory, else from the cache
    when its key matches, else read from the files (and cached)."""
    key = cache_key(extra_dirs)
    found = _memo.get(key)
    if found is None:
        found = _read(locations.cache_dir() / CACHE_NAME, key, extra_dirs)
        if found is None:
            found = _build(key, extra_dirs)
            found._save()
        while len(_memo) >= _KEEP:
            _memo.pop(next(iter(_memo)))
        _memo[key] = found
    return found


def forget() -> None:
    """Drop what this process keeps in memory (the next ``load`` reads the cache file or the playbooks)."""
    _memo.clear()
    _words.clear()


def library(
    extra_dirs: list[Path] | None = None,
    *,
    check: bool = True,
    situations: bool = True,
    replies: bool = False,
) -> Library:
    """Shipped + user playbooks, as ``loader.load_default`` returns them, from the cache."""
    return load(extra_dirs).library(check=check, situations=situations, replies=replies)


def cached_index(extra_dirs: list[Path] | None = None) -> tuple[Library, Index]:
    """Shipped + user playbooks, validated (a ``ContentError`` on any problem), and their index."""
    compiled = load(extra_dirs)
    lib = compiled.library()
    lib.raise_if_problems()
    return lib, compiled.index


def fast_index(extra_dirs: list[Path] | None = None) -> tuple[Index, list[str]]:
    """The index and the load notices, without making the library when the cache is fresh."""
    compiled = load(extra_dirs)
    compiled.check()
    return compiled.index, compiled.notices


def index_for(lib: Library) -> Index:
    """The index of ``lib``: the cached one when ``lib`` came from ``library``, else built from it."""
    for compiled in list(_memo.values()):
        if compiled._library is not None and compiled._library.rules is lib.rules:
            try:
                return compiled.index
            except ContentError:  # a taxonomy id missing: the index is still made from what loaded
                break
    return build_index(lib)


# ------------------------------------------------------------------------------------------ dictionary

DICTIONARY_NAME = "dictionary.marshal"

_words: dict[str, frozenset[str]] = {}


def _dictionary_key() -> str:
    """The word list's data file (name, size, time), found without importing its package."""
    spec = importlib.util.find_spec("english_words")
    if spec is None or spec.origin is None:
        return ""
    data = Path(spec.origin).parent / "data" / "gcide_alpha_lower.pickle"
    try:
        st = data.stat()
    except OSError:
        return ""
    return f"{CACHE_FORMAT}:{data}:{st.st_size}:{st.st_mtime_ns}"


def words_starting(letter: str) -> frozenset[str]:
    """The English dictionary's words (``engine.index._dictionary``) that start with ``letter``.

    The typo check asks whether a word (or its base form, which starts alike) is English; the 114,000
    words are kept in the cache split by first letter, so a query with a typo reads one letter's words,
    not the whole list."""
    words = _words.get(letter)
    if words is not None:
        return words
    path = locations.cache_dir() / DICTIONARY_NAME
    key = _dictionary_key()
    letters: dict[str, bytes] | None = None
    try:
        data = marshal.loads(read_bytes(path, MAX_CACHE_BYTES))
        fresh = key and isinstance(data, dict) and data.get("key") == key
        if fresh and isinstance(data.get("letters"), dict):
            letters = data["letters"]
    except (FileProblem, ValueError, EOFError, TypeError):
        letters = None
    if letters is None:
        split: dict[str, set[str]] = {}
        for word in engine_index._dictionary():
            split.setdefault(word[:1], set()).add(word)
        letters = {k: marshal.dumps(frozenset(v)) for k, v in split.items()}
        if key:
            _write(path, marshal.dumps({"key": key, "letters": letters}))
    raw = letters.get(letter)
    try:
        found = _loads(raw) if isinstance(raw, bytes) else frozenset()
    except (ValueError, EOFError, TypeError):
        found = None
    if not isinstance(found, frozenset):  # a damaged part: the whole list, as if there were no cache
        found = frozenset(w for w in engine_index._dictionary() if w.startswith(letter))
    _words[letter] = found
    return found


def _use_cached_dictionary() -> None:
    engine_index.DICTIONARY = words_starting


# ------------------------------------------------------------------------------------------------- key


def _yaml_files(base: Path) -> list[Path]:
    """The files the loader reads from a layer (the same listing as ``loader._yaml_files``)."""
    if base.is_dir():
        return sorted(p for p in base.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [base]


def cache_key(extra_dirs: list[Path] | None = None) -> str:
    """A key that changes whenever a playbook file, the taxonomy or an engine or content source file
    changes, or a file would be named differently in messages (another current folder).

    Each file counts by its size, modification and change times and inode: an edit changes the change
    time even when the modification time is put back, and a replaced file has another inode. Reading
    and hashing the files instead costs more than the rest of a warm `coach match --json`."""
    parts = [f"{CACHE_FORMAT}:{FORMAT}:{__version__}:{sys.implementation.cache_tag}"]

    def add(label: str, path: Path) -> None:
        try:
            st = path.stat()
            parts.append(f"{label}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}")
        except OSError as exc:
            parts.append(f"{label}: unreadable {exc.errno}")

    code = Path(__file__).resolve().parent.parent
    for folder in ("engine", "content"):
        for src in sorted((code / folder).glob("*.py")):
            add(f"{folder}/{src.name}", src)
    add("taxonomy", code / "content" / "taxonomy.yaml")
    for layer, base in enumerate([locations.shipped_playbooks_dir(), *(extra_dirs or [])]):
        if not base.exists():
            parts.append(f"missing layer {layer}: {base}")
            continue
        for file in _yaml_files(base):
            add(f"{layer}:{shown_path(file)}:{file.resolve()}", file)
    return "\n".join(parts)


fingerprint = cache_key
"""Former name, kept for callers outside this module."""


# ------------------------------------------------------------------------------------- examples check

CHECK_NAME = "examples-check.marshal"


def remembered_check(
    extra_dirs: list[Path] | None, compute: Callable[[], tuple[list[str], ...]]
) -> tuple[list[str], ...]:
    """``compute()``'s lines (``coach validate``'s examples check, the slow part of it), kept in the cache
    folder under the playbooks' key: while no playbook, taxonomy, engine or content source file changes,
    the next run reads them back instead of running thousands of examples through the engine again."""
    key = cache_key(extra_dirs)  # taken before computing: a file changed meanwhile means a new key
    path = locations.cache_dir() / CHECK_NAME
    try:
        data = marshal.loads(read_bytes(path, MAX_CACHE_BYTES))
        if isinstance(data, dict) and data.get("format") == CACHE_FORMAT and data.get("key") == key:
            lines = data["lines"]
            if isinstance(lines, list) and all(
                isinstance(part, list) and all(isinstance(x, str) for x in part) for part in lines
            ):
                return tuple(lines)
    except (FileProblem, ValueError, EOFError, TypeError, KeyError):
        pass  # missing, damaged or another format: computed again
    found = compute()
    _write(path, marshal.dumps({"format": CACHE_FORMAT, "key": key, "lines": [list(x) for x in found]}))
    return found


# ----------------------------------------------------------------------------------------------- build


def _build(key: str, extra_dirs: list[Path] | None) -> Compiled:
    """Read and validate the playbooks (every problem collected, as ``loader.load_library`` does)."""
    from coach.content.loader import (  # deferred: yaml and pydantic, only when the cache is stale
        default_layers,
        load_library,
        taxonomy,
    )

    lib = load_library(default_layers(extra_dirs))
    return Compiled(
        key,
        problems=list(lib.problems),
        notices=list(lib.notices),
        ids=(list(lib.rules), list(lib.behaviours)),
        taxonomy=taxonomy(),
        library_raw=marshal.dumps(_library_to_plain(lib)),
        index_raw=None,
        library=lib,
        extra_dirs=extra_dirs,
    )


def _library_to_plain(lib: Library) -> dict[str, Any]:
    """The library as plain data (the YAML documents are left out: only ``coach validate`` needs them)."""
    return {
        "rules": {k: m.model_dump(mode="json") for k, m in lib.rules.items()},
        "behaviours": {k: m.model_dump(mode="json") for k, m in lib.behaviours.items()},
        "glossary": {k: m.model_dump(mode="json") for k, m in lib.glossary.items()},
        "sources": {k: [s.file, s.line, s.col, s.layer, s.index] for k, s in lib.sources.items()},
        "concepts": lib.concepts,
        "out_of_scope": lib.out_of_scope,
        "out_of_scope_patterns": lib.out_of_scope_patterns,
        "internal_say": lib.internal_say,
        "problems": lib.problems,
        "notices": lib.notices,
    }


def _library_from_plain(data: dict[str, Any]) -> Library:
    """The library back from ``_library_to_plain`` data; ``ValueError`` when the data has another shape."""
    from coach.content.glossary import GlossaryTerm  # deferred: pydantic, only when a model is used
    from coach.content.models import Behaviour, Rule

    for name in ("rules", "behaviours", "glossary", "sources", "concepts"):
        part = data[name]
        if not isinstance(part, dict) or not all(isinstance(v, (dict, list)) for v in part.values()):
            raise ValueError(f"cached {name} have another shape")

    return Library(
        rules=LazyModels(Rule, data["rules"]),  # type: ignore[arg-type]
        behaviours=LazyModels(Behaviour, data["behaviours"]),  # type: ignore[arg-type]
        glossary=LazyModels(GlossaryTerm, data["glossary"]),  # type: ignore[arg-type]
        sources={k: RuleSource(*v) for k, v in data["sources"].items()},
        concepts=data["concepts"],
        out_of_scope=data["out_of_scope"],
        out_of_scope_patterns=data["out_of_scope_patterns"],
        internal_say=data["internal_say"],
        problems=data["problems"],
        notices=data["notices"],
    )


# ------------------------------------------------------------------------------------------ read, write


@contextmanager
def _no_gc() -> Iterator[None]:
    """No garbage collection while the cache's millions of small containers are made (it would only
    cost time: none of them is garbage), and none over them afterwards: they are moved to the collector's
    permanent generation (``gc.freeze``), or the first collection after loading would walk them all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _loads(raw: bytes) -> Any:
    with _no_gc():
        return marshal.loads(raw)


def _read(path: Path, key: str, extra_dirs: list[Path] | None = None) -> Compiled | None:
    """The cached data if ``path`` holds data built under ``key``; None for anything else.

    The cache is rebuildable, so whatever is wrong with it (missing, truncated, another format, a FIFO
    or a folder in its place, plain data of the wrong shape) means "rebuild", never an error. The two
    large parts (library and index) are checked when first used: a bad one is rebuilt then."""
    try:
        raw = read_bytes(path, MAX_CACHE_BYTES)
    except FileProblem:
        return None
    try:
        data = marshal.loads(raw)
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("key") != key:
            return None
        problems, notices, ids, taxonomy = data["problems"], data["notices"], data["ids"], data["taxonomy"]
        lib_raw, index_raw, behaviour_raw = data["library"], data["index"], data["behaviour_index"]
        rule_ids, behaviour_ids = ids
        texts = [*problems, *notices, *rule_ids, *behaviour_ids]
        if not all(isinstance(t, str) for t in texts) or not isinstance(taxonomy, dict):
            return None
        if not isinstance(lib_raw, bytes):
            return None
        if not all(raw is None or isinstance(raw, bytes) for raw in (index_raw, behaviour_raw)):
            return None
        compiled = Compiled(
            key,
            problems=list(problems),
            notices=list(notices),
            ids=(list(rule_ids), list(behaviour_ids)),
            taxonomy=taxonomy,
            library_raw=lib_raw,
            index_raw=index_raw,
            behaviour_raw=behaviour_raw,
            extra_dirs=extra_dirs,
        )
        missing_required(compiled.rule_ids, compiled.behaviour_ids, taxonomy)  # the taxonomy has its shape
    except Exception:  # noqa: BLE001 - any malformed cache is rebuilt, whatever the error
        return None
    return compiled


def _write(path: Path, data: bytes) -> None:
    """Write the cache whole or not at all, owner-only; a cache that cannot be written is simply skipped."""

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_file(path, data, force=True, option="cache")
    except (OSError, CoachError):
        pass


_use_cached_dictionary()
