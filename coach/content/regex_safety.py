"""Refuse author regexes that can backtrack catastrophically, by a static look at the parsed pattern.

Python's ``re`` backtracks: a pattern such as ``(a+)+$`` or ``(\\w+\\s?)+$`` tries exponentially many ways
to split a long text before it gives up, and ``\\d+\\d+x`` tries polynomially many. Playbooks, reply
behaviours and the out-of-scope file are trusted content, but a trainer's own folder is not reviewed, and
one bad pattern would hang every ``coach match``. So every pattern is checked when it is loaded: the check
works on the tree of ``re._parser`` (no text is run), and it refuses

* a repeat whose body can pass characters from one round to the next (a repeated group inside a repeat
  that can match the same characters: ``(a+)+``, ``(a*)*``, ``(.*)*``, ``(\\w+\\s?)+``, ``(x.*y)+``),
* a repeat over alternatives that can match the same text in two ways (``(a|a)+``, ``(a|ab|b)+``, or
  alternatives that can start with the same character when they are not plain words),
* two unbounded repeats next to each other that can match the same characters (``\\d+\\.?\\d+``).

It is deliberately approximate: it may refuse a pattern that is in fact safe (rewrite it with clearly
separated parts), but the shapes above are never let through. The check is pure; :func:`problem` returns
the one-line reason or ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

LONG = 200
"""A repeat that may run more than this many rounds counts as unbounded for the adjacent-repeats check
(two bounded ones, such as ``[ ,]*`` before ``.{0,150}``, cost at most their product per start)."""

_PROBES = "az AZ09_ \t\n.,-%?!:;'\"§/()一采点龥éÅａ\u3000，。"
"""Characters standing in for each kind the classes distinguish (letters, digits, space, CJK, full-width)."""

_CATEGORY_RX = {
    C.CATEGORY_DIGIT: re.compile(r"\d"),
    C.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    C.CATEGORY_SPACE: re.compile(r"\s"),
    C.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    C.CATEGORY_WORD: re.compile(r"\w"),
    C.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
_ENUM_LIMIT = 400
"""At most this many strings are listed when an alternation under a repeat is tested exactly."""

NESTED = "a repeated group inside a repeat"
OVERLAP = "alternatives under a repeat that can match the same text"
ADJACENT = "two repeats next to each other that can match the same characters"
DEEP = "a pattern nested too deeply to check"
QUADRATIC = "an unbounded repeat that a search can start anywhere inside such a run"

_ADVICE = {
    NESTED: "rewrite it without nested repetition",
    OVERLAP: "make the alternatives start differently",
    ADJACENT: "merge them into one repeat or separate them with a required character",
    QUADRATIC: "put \\b or a look-behind such as (?<!\\d) before it, or bound it (e.g. {1,20})",
}


class UnsafePattern(ValueError):
    """A regex refused by the safety check (a ``ValueError``, so pydantic reports it at the pattern)."""


@dataclass(frozen=True)
class _Shape:
    """What a piece of pattern can consume: width range, first and last characters, every character."""

    lo: int
    hi: float
    first: frozenset[str]
    last: frozenset[str]
    chars: frozenset[str]

    @property
    def nullable(self) -> bool:
        return self.lo == 0


_EMPTY = _Shape(0, 0, frozenset(), frozenset(), frozenset())


class _Analyser:
    """One pattern's alphabet and the shape of each node over it."""

    def __init__(self, parsed: P.SubPattern) -> None:
        self.flags = parsed.state.flags
        found: set[str] = set(_PROBES)
        self._group_nodes: dict[int, list[tuple[object, object]]] = {}
        self.repeats = _collect_chars(parsed.data, found, self._group_nodes)
        if self.flags & C.SRE_FLAG_IGNORECASE:
            found |= {ch.upper() for ch in found} | {ch.lower() for ch in found}
        self.alphabet = frozenset(found)
        self.problem: str | None = None
        self._seqs: dict[int, _Shape] = {}
        self._literals: dict[int, _Shape] = {}
        self._categories: dict[object, frozenset[str]] = {}

    # --- character sets ---------------------------------------------------------------------

    def _in(self, items: list[tuple[object, object]]) -> frozenset[str]:
        negate = False
        out: set[str] = set()
        for op, av in items:
            if op is C.NEGATE:
                negate = True
            elif op is C.LITERAL:
                out.add(chr(av))  # type: ignore[arg-type]
            elif op is C.RANGE:
                lo, hi = av  # type: ignore[misc]
                out |= {ch for ch in self.alphabet if lo <= ord(ch) <= hi}
            elif op is C.CATEGORY:
                if av not in self._categories:
                    rx = _CATEGORY_RX.get(av)
                    self._categories[av] = frozenset(ch for ch in self.alphabet if rx is None or rx.match(ch))
                out |= self._categories[av]
            else:  # anything unexpected: assume it may match anything
                out |= self.alphabet
        return self._case(self.alphabet - out if negate else frozenset(out))

    def _case(self, chars: frozenset[str]) -> frozenset[str]:
        if self.flags & C.SRE_FLAG_IGNORECASE:
            return frozenset(chars | {c.lower() for c in chars} | {c.upper() for c in chars}) & self.alphabet
        return chars

    # --- shapes -----------------------------------------------------------------------------

    def seq(self, items: list[tuple[object, object]]) -> _Shape:
        """Shape of a sequence (remembered: bodies are asked about more than once)."""
        known = self._seqs.get(id(items))
        if known is None:
            known = self._seqs[id(items)] = _concat([self.item(op, av) for op, av in items])
        return known

    def walk(self, items: list[tuple[object, object]]) -> None:
        """Check every repeat body and every run of repeats in the tree; the first problem is kept."""
        if sum(_has_long_repeat(op, av) for op, av in items) >= 2:
            self._check_adjacent(items, [self.item(op, av) for op, av in items])
        for op, av in items:
            if self.problem is not None:
                return
            if op is C.LITERAL or op is C.IN or op is C.AT:
                continue
            if op in _REPEATS and av[1] > 1 and op is not C.POSSESSIVE_REPEAT:  # type: ignore[index]
                body = av[2].data  # type: ignore[index]
                shape = self.seq(body)
                if shape.hi > 0 and _passes_between_rounds(self, body, shape):
                    self.problem = NESTED
                elif shape.hi > 0 and _ambiguous_alternatives(self, body):
                    self.problem = OVERLAP
            for sub in _children(op, av):
                self.walk(sub)
            if op in (C.ASSERT, C.ASSERT_NOT):
                self.walk(av[1].data)  # type: ignore[index]

    def item(self, op: object, av: object) -> _Shape:
        """Shape of one node of the parse tree."""
        if op is C.LITERAL:
            shape = self._literals.get(av)  # type: ignore[arg-type]
            if shape is None:
                s = self._case(frozenset(chr(av)))  # type: ignore[arg-type]
                shape = self._literals[av] = _Shape(1, 1, s, s, s)  # type: ignore[index]
            return shape
        if op is C.NOT_LITERAL:
            s = self._case(self.alphabet - {chr(av)})  # type: ignore[arg-type]
            return _Shape(1, 1, s, s, s)
        if op is C.ANY:
            s = self.alphabet if self.flags & C.SRE_FLAG_DOTALL else self.alphabet - {"\n"}
            return _Shape(1, 1, s, s, s)
        if op is C.IN:
            s = self._in(av)  # type: ignore[arg-type]
            return _Shape(1, 1, s, s, s)
        if op in _ZERO_WIDTH:
            return _EMPTY
        if op is C.SUBPATTERN:
            return self.seq(av[3].data)  # type: ignore[index]
        if op is C.GROUPREF and av in self._group_nodes:
            return self.seq(self._group_nodes[av])  # type: ignore[index]
        if op is C.ATOMIC_GROUP:
            return self.seq(av.data)  # type: ignore[attr-defined]
        if op is C.BRANCH:
            return _union([self.seq(branch.data) for branch in av[1]])  # type: ignore[index]
        if op is C.GROUPREF_EXISTS:
            _group, yes, no = av  # type: ignore[misc]
            return _union([self.seq(yes.data), self.seq(no.data) if no is not None else _EMPTY])
        if op in _REPEATS:
            return self._repeat(op, av)  # type: ignore[arg-type]
        # a back-reference (or anything new): it may match any text
        return _Shape(0, float("inf"), self.alphabet, self.alphabet, self.alphabet)

    def _repeat(self, op: object, av: tuple[int, int, P.SubPattern]) -> _Shape:
        lo, hi, body = av
        shape = self.seq(body.data)
        top = float("inf") if hi == C.MAXREPEAT else hi
        if top == 0:
            return _EMPTY
        return _Shape(lo * shape.lo, top * shape.hi if shape.hi else 0, shape.first, shape.last, shape.chars)

    def _check_adjacent(self, items: list[tuple[object, object]], shapes: list[_Shape]) -> None:
        """Two long repeats with only optional parts between them, sharing characters (also when each
        ends or starts a group: ``(\\d+)(\\d+)``)."""
        words = self._in([(C.CATEGORY, C.CATEGORY_WORD)])
        for i in range(len(items)):
            tail = _edge_runs(self, [items[i]], last=True)
            if not tail or (tail <= words and i + 1 < len(items) and items[i + 1] == (C.AT, C.AT_BOUNDARY)):
                continue  # nothing long ends here, or a \b right after pins where it ends
            for j in range(i + 1, len(items)):
                head = _edge_runs(self, [items[j]], last=False)
                pinned = head <= words and items[j - 1] == (C.AT, C.AT_BOUNDARY)
                if tail & head and not pinned:
                    self.problem = ADJACENT
                    return
                if not shapes[j].nullable:
                    break


def _scans_from_everywhere(
    an: _Analyser,
    items: list[tuple[object, object]],
    before: frozenset[str] | None,
    fence: object = None,
    free_after: bool = True,
) -> bool:
    """True when a long repeat can be where a match starts (or right after a part that may match inside
    the run it repeats), with nothing that fails inside such a run before it and something that can fail
    after it: then a search tries it at every position of a long run and each try scans to the run's
    end, which is quadratic. ``before`` is what the part before may have matched (None at the start),
    ``fence`` an assertion just before, ``free_after`` whether what follows the sequence always matches."""
    for k, (op, av) in enumerate(items):
        if op is C.AT:
            if av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                return False
            if av is C.AT_BOUNDARY:
                fence = av
            continue
        if op is C.ASSERT_NOT and av[0] == -1:  # type: ignore[index]
            fence = an.seq(av[1].data)  # type: ignore[index]
            continue
        if op in _ZERO_WIDTH:
            continue
        rest_free = free_after and all(_always_matches(an, *item) for item in items[k + 1 :])
        if _is_long_repeat(op, av) or (op is C.POSSESSIVE_REPEAT and av[1] > LONG):  # type: ignore[index]
            run = an.item(op, av).chars
            if not rest_free and not _fenced(an, fence, run) and (before is None or before & run):
                return True
        if op in (C.SUBPATTERN, C.BRANCH, C.ATOMIC_GROUP) or op in _REPEATS:  # a repeat: its first round
            if any(_scans_from_everywhere(an, sub, before, fence, rest_free) for sub in _children(op, av)):
                return True
        shape = an.item(op, av)
        if not shape.nullable:
            return False
        before = shape.chars if before is None else before | shape.chars
        fence = None
    return False


def _always_matches(an: _Analyser, op: object, av: object) -> bool:
    """A part that matches (possibly nothing) wherever it is tried: optional parts without assertions."""
    if op in _ZERO_WIDTH or op is C.GROUPREF:
        return False
    if op in _REPEATS and av[0] == 0:  # type: ignore[index]
        return True  # zero rounds always match
    if op is C.BRANCH or op is C.GROUPREF_EXISTS:
        return any(all(_always_matches(an, *i) for i in sub) for sub in _children(op, av))
    if op in _REPEATS or op in (C.SUBPATTERN, C.ATOMIC_GROUP):
        return all(_always_matches(an, *i) for sub in _children(op, av) for i in sub)
    return False  # a character


def _fenced(an: _Analyser, fence: object, run: frozenset[str]) -> bool:
    """Whether an assertion just before a repeat fails inside a run of its characters."""
    if fence is C.AT_BOUNDARY:
        words = an._in([(C.CATEGORY, C.CATEGORY_WORD)])
        return run <= words or not (run & words)
    if isinstance(fence, _Shape):  # (?<!X): fails inside the run when X covers it
        return fence.lo == fence.hi == 1 and run <= fence.chars
    return False


def _edge_runs(an: _Analyser, items: list[tuple[object, object]], last: bool) -> frozenset[str]:
    """Characters a long repeat that can end the sequence (``last``) can take, or those a long repeat that
    can start it can start with; through groups and alternatives (atomic groups and possessive repeats
    give nothing back, so they count for nothing)."""
    out: set[str] = set()
    for op, av in reversed(items) if last else items:
        if _is_long_repeat(op, av):
            out |= an.item(op, av).chars if last else an.item(op, av).first
        elif op in (C.SUBPATTERN, C.BRANCH):
            for sub in _children(op, av):
                out |= _edge_runs(an, sub, last)
        if not an.item(op, av).nullable:
            break
    return frozenset(out)


def _has_long_repeat(op: object, av: object) -> bool:
    inside = (_has_long_repeat(*i) for sub in _children(op, av, False) for i in sub)
    return _is_long_repeat(op, av) or any(inside)


def _is_long_repeat(op: object, av: object) -> bool:
    return op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[1] > LONG and av[0] < av[1]  # type: ignore[index]


def _concat(shapes: list[_Shape]) -> _Shape:
    lo, hi = 0, 0.0
    first: set[str] = set()
    last: set[str] = set()
    chars: set[str] = set()
    for s in shapes:
        if lo == 0:
            first |= s.first
        lo += s.lo
        hi += s.hi
        chars |= s.chars
    for s in reversed(shapes):
        last |= s.last
        if not s.nullable:
            break
    return _Shape(lo, hi, frozenset(first), frozenset(last), frozenset(chars))


def _union(shapes: list[_Shape]) -> _Shape:
    return _Shape(
        min(s.lo for s in shapes),
        max(s.hi for s in shapes),
        frozenset().union(*(s.first for s in shapes)),
        frozenset().union(*(s.last for s in shapes)),
        frozenset().union(*(s.chars for s in shapes)),
    )


def _inner_repeats(an: _Analyser, items: list[tuple[object, object]]) -> list[tuple[_Shape, bool, bool]]:
    """Variable repeats inside a sequence (any depth): (shape, can come first, can come last)."""
    out: list[tuple[_Shape, bool, bool]] = []
    shapes = [_quiet_shape(an, op, av) for op, av in items]
    for k, (op, av) in enumerate(items):
        at_start = all(s.nullable for s in shapes[:k])
        at_end = all(s.nullable for s in shapes[k + 1 :])
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] < av[1]:  # type: ignore[index]
            out.append((shapes[k], at_start, at_end))
        for sub in _children(op, av, atomic=False):
            out += [(s, f and at_start, e and at_end) for s, f, e in _inner_repeats(an, sub)]
    return out


def _children(op: object, av: object, atomic: bool = True) -> list[list[tuple[object, object]]]:
    """The sequences directly inside a node (without ``atomic``, none inside an atomic group or a
    possessive repeat, which never give characters back, so nothing in them can be split two ways)."""
    if not atomic and (op is C.ATOMIC_GROUP or op is C.POSSESSIVE_REPEAT):
        return []
    if op is C.SUBPATTERN:
        return [av[3].data]  # type: ignore[index]
    if op is C.ATOMIC_GROUP:
        return [av.data]  # type: ignore[attr-defined]
    if op is C.BRANCH:
        return [b.data for b in av[1]]  # type: ignore[index]
    if op is C.GROUPREF_EXISTS:
        return [b.data for b in av[1:] if b is not None]  # type: ignore[index]
    if op in _REPEATS:
        return [av[2].data]  # type: ignore[index]
    return []


def _quiet_shape(an: _Analyser, op: object, av: object) -> _Shape:
    """Shape of a node (sequences are remembered, so this is cheap)."""
    return an.item(op, av)


def _passes_between_rounds(an: _Analyser, body: list[tuple[object, object]], shape: _Shape) -> bool:
    """True when an inner repeat can hand characters to the next (or previous) round of the outer one:
    it can end the body and take what a body starts with, start it and take what a body ends with, or
    take both (then it can swallow the boundary between two rounds)."""
    if shape.lo == shape.hi:
        return False
    for inner, can_start, can_end in _inner_repeats(an, body):
        takes_first = bool(inner.chars & shape.first)
        takes_last = bool(inner.chars & shape.last)
        if (can_end and takes_first) or (can_start and takes_last) or (takes_first and takes_last):
            return True
    return False


def _ambiguous_alternatives(an: _Analyser, body: list[tuple[object, object]]) -> bool:
    """True when the repeated body contains alternatives that let one text be split two ways."""
    if not _has_branch(body):
        return False
    words = _strings(an, body)
    if words is not None:
        return len(set(words)) < len(words) or not _is_code(set(words))
    return _branches_overlap(an, body)


def _has_branch(items: list[tuple[object, object]]) -> bool:
    return any(
        op is C.BRANCH or op is C.GROUPREF_EXISTS or any(_has_branch(sub) for sub in _children(op, av, False))
        for op, av in items
    )


def _strings(an: _Analyser, items: list[tuple[object, object]]) -> list[str] | None:
    """Every string the sequence matches (with repeats), or None if there are too many or it is infinite."""
    out = [""]
    for op, av in items:
        options: list[str] | None
        if op is C.LITERAL:
            options = sorted(an._case(frozenset(chr(av))))  # type: ignore[arg-type]
        elif op is C.IN:
            small = all(o is C.LITERAL or o is C.RANGE for o, _ in av)  # type: ignore[union-attr]
            chars = an._in(av)  # type: ignore[arg-type]
            options = sorted(chars) if small and len(chars) <= 8 else None
        elif op in _ZERO_WIDTH:
            options = [""]
        elif op is C.SUBPATTERN:
            options = _strings(an, av[3].data)  # type: ignore[index]
        elif op is C.BRANCH:
            options = []
            for branch in av[1]:  # type: ignore[index]
                got = _strings(an, branch.data)
                if got is None:
                    return None
                options += got
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[1] <= 3:  # type: ignore[index]
            once = _strings(an, av[2].data)  # type: ignore[index]
            if once is None:
                return None
            options, level = [], [""]
            for n in range(av[1] + 1):  # type: ignore[index]
                if n >= av[0]:  # type: ignore[index]
                    options += level
                level = [a + b for a in level for b in once]
                if len(options) + len(level) > _ENUM_LIMIT:
                    return None
        else:
            return None
        if options is None or len(out) * len(options) > _ENUM_LIMIT:
            return None
        out = [a + b for a in out for b in options]
    return out


def _is_code(words: set[str]) -> bool:
    """Sardinas-Patterson: True when no text splits into these words in two ways."""
    words = {w for w in words if w}
    if not words:
        return True

    def quotients(a: set[str], b: set[str]) -> set[str]:
        return {y[len(x) :] for x in a for y in b if y.startswith(x) and len(y) > len(x)}

    dangling = quotients(words, words)
    seen: set[frozenset[str]] = set()
    while dangling:
        if dangling & words:
            return False
        key = frozenset(dangling)
        if key in seen:
            return True
        seen.add(key)
        dangling = quotients(words, dangling) | quotients(dangling, words)
    return True


def _branches_overlap(an: _Analyser, items: list[tuple[object, object]]) -> bool:
    """Alternatives (at any depth) that could both match at one place: two branches whose leading
    characters never differ at some position (``already\\s+`` and ``also\\s+`` differ at the third)."""
    for op, av in items:
        if op is C.BRANCH:
            branches = [b.data for b in av[1]]  # type: ignore[index]
            for i, a in enumerate(branches):
                for b in branches[i + 1 :]:
                    if not _diverge(an, a, b):
                        return True
        if any(_branches_overlap(an, sub) for sub in _children(op, av, atomic=False)):
            return True
    return False


def _diverge(an: _Analyser, a: list[tuple[object, object]], b: list[tuple[object, object]]) -> bool:
    """True when no text can start both branches: at some position each needs one character and the
    two sets are disjoint; when one branch's fixed start runs out first, compare what may follow."""
    k = 0
    while k < len(a) and k < len(b):
        sa, sb = _single(an, *a[k]), _single(an, *b[k])
        if sa is None or sb is None:
            break
        if not sa & sb:
            return True
        k += 1
    rest_a = _concat([_quiet_shape(an, op, av) for op, av in a[k:]])
    rest_b = _concat([_quiet_shape(an, op, av) for op, av in b[k:]])
    return not (rest_a.nullable or rest_b.nullable or rest_a.first & rest_b.first)


def _single(an: _Analyser, op: object, av: object) -> frozenset[str] | None:
    """The characters a one-character node matches, or None for anything else."""
    if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
        return an.item(op, av).chars
    return None


def _collect_chars(
    items: list[tuple[object, object]], out: set[str], groups: dict[int, list[tuple[object, object]]]
) -> bool:
    """Literal characters and range ends of the pattern join the alphabet, so overlaps are exact; groups
    are noted for back-references. True when the pattern has a repeat of more than one round."""
    repeats = False
    for op, av in items:
        if op is C.LITERAL:
            out.add(chr(av))  # type: ignore[arg-type]
            continue
        if op in _REPEATS and av[1] > 1:  # type: ignore[index]
            repeats = True
        if op is C.SUBPATTERN and av[0] is not None:  # type: ignore[index]
            groups[av[0]] = av[3].data  # type: ignore[index]
        if op in (C.LITERAL, C.NOT_LITERAL):
            out.add(chr(av))  # type: ignore[arg-type]
        elif op is C.IN:
            for sub_op, sub_av in av:  # type: ignore[union-attr]
                if sub_op is C.LITERAL:
                    out.add(chr(sub_av))
                elif sub_op is C.RANGE:
                    lo, hi = sub_av
                    out.update({chr(lo), chr(hi), chr(min(hi, lo + 1)), chr(max(lo, hi - 1))})
        elif op in _ZERO_WIDTH and op is not C.AT:
            repeats |= _collect_chars(av[1].data, out, groups)  # type: ignore[index]
        for sub in _children(op, av):
            repeats |= _collect_chars(sub, out, groups)
    return repeats


@lru_cache(maxsize=4096)
def problem(pattern: str) -> str | None:
    """Why ``pattern`` can take exponential or polynomial time (a short phrase), or None when it is safe
    from that (it may still be quadratic on long runs of one character: see :func:`slow`).
    A pattern that does not compile is reported by ``re.compile``, not here (None)."""
    try:
        parsed = P.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    analyser = _Analyser(parsed)
    if not analyser.repeats:
        return None
    try:
        analyser.walk(parsed.data)
    except RecursionError:
        return DEEP
    return analyser.problem


@lru_cache(maxsize=4096)
def slow(pattern: str) -> str | None:
    """A warning's reason when ``pattern`` is safe from :func:`problem` but quadratic on long runs of one
    kind of character (``\\d+%`` on 20,000 digits): slow on such texts, not a hang. None otherwise."""
    if problem(pattern) is not None:
        return None
    try:
        parsed = P.parse(pattern)
        analyser = _Analyser(parsed)
        return QUADRATIC if analyser.repeats and _scans_from_everywhere(analyser, parsed.data, None) else None
    except (re.error, RecursionError, OverflowError):
        return None


def message(reason: str) -> str:
    """The one-line message for a reason returned by :func:`problem`."""
    if reason == DEEP:
        return "this pattern is nested too deeply to check; simplify it"
    time = {
        ADJACENT: "polynomial time on long texts",
        QUADRATIC: "quadratic time on a long run of one kind of character",
    }.get(reason, "exponential time on some texts")
    advice = _ADVICE.get(reason, "simplify it")
    return f"this pattern can take {time} ({reason}); {advice}"


def check(pattern: str) -> str:
    """Compile ``pattern`` and refuse it when it can backtrack catastrophically (``UnsafePattern``);
    return it unchanged otherwise. Used by the content models' validators."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"regular expression does not compile: {exc}") from None
    except (RecursionError, OverflowError):
        raise ValueError("regular expression is too large or nested too deeply") from None
    reason = problem(pattern)
    if reason is not None:
        raise UnsafePattern(message(reason))
    return pattern
