"""The engine's reasons and notes in Chinese: the engine writes English lines ("keyword \"x\" +0.4"), and
the situation screen shows them in the user's language. Unknown shapes are kept as they are."""

from __future__ import annotations

import re

_WHY_ZH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r'^keyword "(?P<a>.*)" \+(?P<b>[\d.]+)$', re.S), "关键词「{a}」+{b}"),
    (re.compile(r"^pattern /(?P<a>.*)/ \+(?P<b>[\d.]+)$", re.S), "模式 /{a}/ +{b}"),
    (re.compile(r'^close to phrase "(?P<a>.*)" \((?P<b>[\d.]+)\)$', re.S), "接近描述「{a}」（{b}）"),
    (re.compile(r"^similarity to the whole entry (?P<a>[\d.]+)$"), "与整条内容的相似度 {a}"),
    (re.compile(r"^shared words: (?P<a>.*)$", re.S), "共同的词：{a}"),
    (re.compile(r"^ahead of (?P<a>\S+) by (?P<b>[\d.]+)$"), "领先 {a} {b}"),
    (re.compile(r'^read "(?P<a>.*)" as "(?P<b>.*)"$', re.S), "把「{a}」理解为「{b}」"),
    (re.compile(r'^"(?P<a>.*)" = (?P<b>[\w-]+)$', re.S), "「{a}」= {b}"),
    (
        re.compile(r"^no rule reached (?P<a>[\d.]+)(?: \(best: (?P<b>\S+) (?P<c>[\d.]+)\))?$"),
        "没有条目达到 {a}",
    ),
]


def reason(line: str, lang: str) -> str:
    """An engine reason or note in ``lang`` (the engine writes English; unknown shapes are kept)."""
    if lang != "zh":
        return line
    for pattern, template in _WHY_ZH:
        m = pattern.match(line)
        if m:
            return template.format(**{k: (v or "") for k, v in m.groupdict().items()})
    return line
