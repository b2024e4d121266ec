"""Text normalisation shared by rules and queries: clean, map trade synonyms, tokenise.

Chinese has no spaces between words, so CJK runs are kept whole here and compared later as
character bigrams (measured against unigrams and mixed n-grams in ``benchmarks/zh_strategy.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

MAX_CHARS = 20_000
"""Only the first 20,000 characters of a text are analysed (a situation is never longer; 1 MB stays fast)."""

CONCEPT = "§"
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
_APOS = re.compile(r"(?<=\w)['’](?=\w)")
_NOT_WORD = re.compile(r"[^\w%§]+|_+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_SPLIT_SCRIPTS = re.compile(f"(?<=[{_CJK}])(?=[^{_CJK}\\s])|(?<=[^{_CJK}\\s])(?=[{_CJK}])")
_IS_CJK = re.compile(f"^[{_CJK}]+$")

STOPWORDS = frozenset(
    """a an the and or but if then so of to in on at by for with from as is are was were be been being am
    i me my we our us you your he him his she her they them their it its this that these those there here
    do does did done have has had having will would shall should can could may might must
    what which who whom how when where why all any both each other some such own same than very just also
    about into s t d ll m re ve y o im ive get got gets getting go going gone like really even
    whats thats theres hows wheres whos lets youre theyre ill hes shes
    ok okay hi hello please thanks thank pls guy guys""".split()
)
"""Function words only: words like out, not, more, again, today or minutes carry meaning here."""


_HAS_CJK = re.compile(f"[{_CJK}]")
_VARIANTS = str.maketrans({"帐": "账"})
"""Characters a Traditional -> Simplified conversion leaves in a form the trade does not write
(帳期 becomes 帐期, but a Chinese KAM writes 账期)."""


@lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    import opencc  # deferred: most texts are English, and the library's data loads in a few ms

    return opencc.OpenCC("tw2sp").convert


def to_simplified(text: str) -> str:
    """Traditional Chinese (Taiwan and Hong Kong wording too: 資料庫 -> 数据库) as Simplified, through
    OpenCC; text without Chinese characters is returned as it is, and Simplified text is unchanged."""
    if not _HAS_CJK.search(text):
        return text
    return _converter()(text).translate(_VARIANTS)


_LONG_RUN = re.compile(
    r"(.)\1{15,}|[0-9]{16}(?=[0-9])|[零〇一二两三四五六七八九十百千万亿]{16}(?=[零〇一二两三四五六七八九十百千万亿])"
)
MAX_REPLY = 2_000
"""Only the first 2,000 characters of a reply are read (a reply to a buyer is never longer)."""


def break_runs(text: str) -> str:
    """Long runs that no situation has, cut short so that no pattern works on them for long: one character
    repeated (kept at 16) and runs of digits or Chinese numerals (a space every 16)."""
    if len(text) < 17:
        return text
    return _LONG_RUN.sub(lambda m: m.group(0)[:16] + (" " if not m.group(1) else ""), text)


def clean(text: str) -> str:
    """Lower-case, half-width, Simplified, no escapes or control characters, punctuation to spaces,
    scripts separated."""
    text = break_runs(text[:MAX_CHARS])
    text = ESCAPES.sub(" ", text)
    text = to_simplified(unicodedata.normalize("NFKC", text)).casefold()
    if not text.isprintable():  # the character-by-character pass only where control characters may be
        text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = _APOS.sub("", text)
    text = _NOT_WORD.sub(" ", text.replace(CONCEPT, " "))
    text = _SPLIT_SCRIPTS.sub(" ", text)
    return " ".join(text.split())


def is_cjk(token: str) -> bool:
    """True for a run of Chinese characters."""
    return bool(_IS_CJK.match(token))


_LATIN_WORD = re.compile(r"[a-zA-Z]{2,}")


def cjk_share(text: str) -> float:
    """Share of Chinese among the text's letters, counting each English word as one letter's worth."""
    cjk = len(text) - len(_CJK_RUN.sub("", text))  # the Chinese characters
    latin = len(_LATIN_WORD.findall(text))
    return cjk / max(cjk + latin, 1)


def language_of(text: str) -> str:
    """``zh`` when Chinese carries the text (mixed text with Chinese grammar counts as zh), else ``en``."""
    return "zh" if cjk_share(text) >= 0.5 else "en"


def stem(word: str) -> str:
    """A light, consistent English stemmer: plural, -ed, -ing, long -ly and final -e are dropped
    ("delivered", "delivers", "deliver" meet; "give", "gives", "giving" meet; "reply" stays "reply")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ingly", "edly", "ing", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= (5 if suffix == "ly" else 3):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]
    return word


@dataclass
class Synonyms:
    """Compiled trade vocabulary (plain data, no regex): English terms as token sequences keyed by their
    first token, Chinese terms looked up inside Chinese runs, longest first."""

    latin: dict[str, list[tuple[tuple[str, ...], str]]]
    cjk: dict[str, str]
    cjk_max: int = 0

    @classmethod
    def build(cls, concepts: dict[str, list[str]]) -> Synonyms:
        """Compile the concepts; longer terms win over shorter ones they contain."""
        latin: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        cjk: dict[str, str] = {}
        for concept_id, terms in concepts.items():
            for term in terms:
                toks = tuple(clean(term).split())
                if not toks:
                    continue
                if len(toks) == 1 and is_cjk(toks[0]):
                    cjk.setdefault(toks[0], concept_id)
                elif (toks, concept_id) not in latin.get(toks[0], []):
                    latin.setdefault(toks[0], []).append((toks, concept_id))
        for seqs in latin.values():
            seqs.sort(key=lambda item: -len(item[0]))
        return cls(latin, cjk, max((len(t) for t in cjk), default=0))

    def apply(self, cleaned: str) -> tuple[list[str], list[tuple[str, str]]]:
        """Tokens of cleaned text with every term replaced by a ``§concept`` token, and the (term, concept)
        pairs found."""
        toks = cleaned.split()
        out: list[str] = []
        found: list[tuple[str, str]] = []
        chinese = bool(self.cjk and _HAS_CJK.search(cleaned))
        if not chinese and self.latin.keys().isdisjoint(toks):
            return toks, found  # no term starts here and there is no Chinese to look into
        i = 0
        while i < len(toks):
            tok = toks[i]
            for seq, concept in self.latin.get(tok, ()):
                if tuple(toks[i : i + len(seq)]) == seq:
                    out.append(CONCEPT + concept)
                    found.append((" ".join(seq), concept))
                    i += len(seq)
                    break
            else:
                if chinese and is_cjk(tok):
                    out.extend(self._split_run(tok, found))
                else:
                    out.append(tok)
                i += 1
        return out, found

    def _split_run(self, run: str, found: list[tuple[str, str]]) -> list[str]:
        sizes = self._sizes()
        out: list[str] = []
        buf_start = j = 0
        while j < len(run):
            for size in sizes.get(run[j], ()):  # the longest term that starts here, as trying every length
                concept = self.cjk.get(run[j : j + size]) if j + size <= len(run) else None
                if concept:
                    if buf_start < j:
                        out.append(run[buf_start:j])
                    out.append(CONCEPT + concept)
                    found.append((run[j : j + size], concept))
                    j += size
                    buf_start = j
                    break
            else:
                j += 1
        if buf_start < len(run):
            out.append(run[buf_start:])
        return out

    def _sizes(self) -> dict[str, list[int]]:
        """First character -> the lengths of the Chinese terms that start with it, longest first (worked
        out on first use; not a field, so not in the cached index)."""
        sizes: dict[str, list[int]] | None = self.__dict__.get("_by_first")
        if sizes is None:
            found: dict[str, set[int]] = {}
            for term in self.cjk:
                found.setdefault(term[0], set()).add(len(term))
            sizes = self.__dict__["_by_first"] = {ch: sorted(n, reverse=True) for ch, n in found.items()}
        return sizes


def tokens(mapped: str) -> list[str]:
    """Split mapped text into tokens: English words (raw, not stemmed), ``§concept`` tokens, CJK runs."""
    return mapped.split()


_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN_CJK = re.compile(f"(?<=[a-z])(?=[{_CJK}])|(?<=[{_CJK}])(?=[a-z])")


def surface(text: str) -> str:
    r"""The reply as patterns see it: half-width, lower case, no control characters, one space between
    words, punctuation kept (full-width punctuation becomes its ASCII form: ， -> , ？ -> ?), and a space
    where an English word meets Chinese ("sorry啊" -> "sorry 啊"), so ``\b`` works in mixed replies."""
    text = ESCAPES.sub(" ", break_runs(text[:MAX_REPLY]))
    text = to_simplified(unicodedata.normalize("NFKC", text)).casefold().replace("’", "'").replace("‘", "'")
    text = text.replace("。", ". ").replace("、", ", ").replace("“", '"').replace("”", '"')
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = _LATIN_CJK.sub(" ", text)
    return " ".join(text.split())
