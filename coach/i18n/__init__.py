"""Every interface string of coach in one catalogue: ``en.py`` and ``zh.py`` (key -> text), one ``tr()``.

Both faces and the analyses below them read their labels, messages and headings here, so this package
imports nothing else of coach (it sits beside the layers). Keys start with the screen or verb that shows
them (``plan.``, ``log.``, ``bind.``...); a missing key is a bug that raises ``KeyError``
(tests/test_i18n.py checks every literal key the code uses, and that both languages agree).

Plurals: an English text says ``{n} matching {n:entry|entries}``; the field after ``:`` is the form for
1, then the form for every other number. Chinese has one form and writes ``{n} 条``.
"""

from __future__ import annotations

import locale
import os
import string
from collections.abc import Iterable, Mapping
from typing import Any

from coach.i18n.en import TEXT as EN
from coach.i18n.zh import TEXT as ZH

LANGS = ("en", "zh")
"""The languages of the interface and the content."""

CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}
"""Each language's texts, by key."""


class _Formatter(string.Formatter):
    """``str.format`` plus the plural field ``{n:one|other}``."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return one if value == 1 else other
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def tr(lang: str, key: str, **values: object) -> str:
    """The text for ``key`` in ``lang`` (English when ``lang`` is unknown), with ``values`` filled in."""
    text = CATALOGUES.get(lang, EN)[key]
    if not values:
        return text
    return _FORMATTER.format(text, **values) if "|" in text else text.format(**values)


def menu(key: str) -> dict[str, tuple[str, str]]:
    """A screen's home-page title and one-line description per language: ``key`` and ``key.about``."""
    return {lang: (CATALOGUES[lang][key], CATALOGUES[lang][key + ".about"]) for lang in LANGS}


def labels(prefix: str, ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """Per language, the text of ``prefix + id`` for each id, in order: a lookup table for vocabulary
    that many modules name (``labels("concession.type.", TYPES)["zh"]["price"]``)."""
    ids = tuple(ids)
    return {lang: {i: CATALOGUES[lang][prefix + i] for i in ids} for lang in LANGS}


def system_lang(env: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale (``COACH_LANG``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``...) is Chinese."""
    env = os.environ if env is None else env
    for var in ("COACH_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        name = locale.getlocale()[0] or ""
    except ValueError:  # pragma: no cover - malformed locale
        name = ""
    return "zh" if name.lower().startswith("zh") else "en"
