"""Role-play text composed from what happened: the trainee's amounts in the customer's lines, the blocker for
going past a limit, and the debrief's account of the session's moves. Pure: values in, ``Text`` out.

Every sentence is written in both languages here (one catalogue, ``PHRASES``), so a saved session reads the
same in either language and a trainer's export can switch language after the fact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coach.content.models import Text
from coach.content.scenarios import PLACEHOLDER
from coach.engine.assess import item_name, passed_text
from coach.engine.moves import FAMILY, Given, Limit, Passed, limit_unit, totals

LANGS = ("en", "zh")

PHRASES: dict[str, tuple[str, str]] = {
    "over-limit.why": (
        "You went past your limit: {what}.",
        "你超出了底线：{what}。",
    ),
    "lesson.blocked": (
        "The conversation ended with “{ending}”, but the attempt fails: {why}.",
        "对话以“{ending}”收场，但本次练习判为失败：{why}。",
    ),
    "lesson.left": (
        "You left before the end: there is no outcome to judge yet.",
        "你中途退出了，还谈不上结果。",
    ),
    "gave.none": ("You gave nothing away.", "你没有做任何让步。"),
    "gave.head": ("What you gave:", "你让出的东西："),
    "gave.reply": ("reply {n}: {what}", "第{n}句：{what}"),
    "gave.nofigure": ("a concession with no figure", "没报数字的让步"),
    "gave.asked": (" — in return you asked: “{cond}”", "——换来的条件：“{cond}”"),
    "gave.traded": (" — traded for something in return", "——要了回报"),
    "gave.nothing": (" — nothing asked in return", "——没有要任何回报"),
    "gave.over": (" — past your limit", "——超出了底线"),
    "total": ("In total you gave {what}.", "合计让出：{what}。"),
    "passed": ("Limits passed: {what}.", "超出的底线：{what}。"),
    "within": ("Every amount stayed within your limits ({what}).", "所有数字都守在底线以内（{what}）。"),
    "shown": ("Principles you showed: {what}.", "做到了的原则：{what}。"),
    "missed": ("Principles to work on: {what}.", "需要加强的原则：{what}。"),
    "turn": ("The turning point: reply {n}, “{reply}” — {what}.", "转折点：第{n}句“{reply}”——{what}。"),
    "limit": ("{item} at most {amount}", "{item}最多{amount}"),
    "sep": ("; ", "；"),
    "list": (", ", "、"),
}


def phrase(key: str, lang: str, **values: object) -> str:
    """One phrase of the catalogue in ``lang`` (English for an unknown language)."""
    en, zh = PHRASES[key]
    return (zh if lang == "zh" else en).format(**values)


def both(build: Callable[[str], str]) -> Text:
    """A ``Text`` whose languages are built by ``build(lang)``."""
    return Text(en=build("en"), zh=build("zh"))


# ---------------------------------------------------------------------------------------------- amounts


def number(value: float, lang: str) -> str:
    """A plain figure: 15,000 / 2.5 in English; 1.5万 / 8000 / 2.5 in Chinese."""
    if lang == "zh" and value >= 10000 and round(value / 100) * 100 == value:
        return f"{value / 10000:g}万"
    if lang == "zh":
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def amount_text(value: float, unit: str, lang: str) -> str:
    """An amount as a line says it: 5% / 5个点, 60 days / 60天; money and units as a figure alone."""
    kind = limit_unit(unit)
    n = number(value, lang)
    if kind == "percent":
        return f"{n}个点" if lang == "zh" else f"{n}%"
    if kind == "days":
        return f"{n}天" if lang == "zh" else f"{n} days"
    return n


def item_amount(item: str, value: float, unit: str, lang: str) -> str:
    """An item with its amount: "listing fee 15,000" / "进场费1.5万元"."""

    kind = limit_unit(unit)
    figure = amount_text(value, unit, lang)
    if kind == "units":
        figure += "件" if lang == "zh" else " units"
    elif kind == "money" and lang == "zh":
        figure += "元"
    return f"{item_name(item, lang)}{figure}" if lang == "zh" else f"{item_name(item, lang)} {figure}"


def money_item(limits: Sequence[Limit]) -> str | None:
    """The item of the only money limit in force (money given with no item named counts against it)."""
    money = [lim.item for lim in limits if limit_unit(lim.unit) == "money"]
    return money[0] if len(money) == 1 else None


def on_item(given: Sequence[Given], item: str, limits: Sequence[Limit]) -> list[Given]:
    """The amounts among ``given`` about ``item`` (its family, or unnamed money against its limit)."""
    unnamed = money_item(limits) == item
    return [
        g
        for g in given
        if g.item == item
        or FAMILY.get(g.item) == item
        or (unnamed and g.item == "other" and limit_unit(g.unit) == "money")
    ]


def fill(text: str, offers: Sequence[Sequence[Given]], limits: Sequence[Limit], lang: str) -> str:
    """A customer's line with its placeholders filled from the amounts given so far (one sequence per reply,
    oldest first): ``{offered.ITEM|x}`` the last reply's amount on ITEM, ``{given.ITEM|x}`` the total."""
    if "{" not in text:
        return text

    def one(m):  # noqa: ANN001, ANN202
        item = m.group("item")
        if m.group("kind") == "given":
            got = on_item([g for reply in offers for g in reply], item, limits)
        else:
            got = next((x for x in (on_item(r, item, limits) for r in reversed(offers)) if x), [])
        if not got:
            return m.group("fallback")
        value, unit = next(iter(totals([Given(item, g.value, g.unit, g.text) for g in got]).values()))
        return amount_text(value, unit, lang)

    return PLACEHOLDER.sub(one, text)


def fill_text(value: Text, offers: Sequence[Sequence[Given]], limits: Sequence[Limit]) -> Text:
    """``fill`` in both languages (the same ``Text`` when it has no placeholder)."""
    if "{" not in value.en and "{" not in value.zh:
        return value
    return Text(en=fill(value.en, offers, limits, "en"), zh=fill(value.zh, offers, limits, "zh"))


def over_limit_why(passed: Sequence[Passed]) -> Text:
    """Why going past the limit fails the attempt, with the figures."""

    return both(
        lambda lang: phrase(
            "over-limit.why", lang, what=phrase("sep", lang).join(passed_text(p, lang) for p in passed)
        )
    )


# ---------------------------------------------------------------------------------------------- debrief


@dataclass(frozen=True)
class Concession:
    """A reply that gave something: its number in the transcript, amounts, what it asked back."""

    n: int
    given: tuple[Given, ...]
    asked: str | None
    """The trainee's own words asking for something in return (None when nothing concrete was asked)."""
    traded: bool
    over: bool


@dataclass(frozen=True)
class Account:
    """What the debrief tells from the session's moves (``compose`` turns it into sentences)."""

    concessions: tuple[Concession, ...]
    totals: tuple[tuple[str, float, str], ...]
    """(item, total, unit) over the session."""
    passed: tuple[Passed, ...]
    limits: tuple[Limit, ...]
    shown: tuple[Text, ...]
    """Principles with a positive score, by title."""
    missed: tuple[Text, ...]
    """Principles with a negative score, by title."""
    turn: tuple[int, str, tuple[Text, ...]] | None
    """The turning point: reply number, the reply, what it did (behaviour titles)."""


def _short(reply: str, width: int = 90) -> str:
    return reply if len(reply) <= width else reply[: width - 1].rstrip() + "…"


def account_lines(acc: Account) -> tuple[Text, ...]:
    """The debrief's account of the session, a sentence per line, in both languages."""

    out: list[Text] = []

    def gave_line(c: Concession, lang: str) -> str:
        sep = phrase("list", lang)
        what = sep.join(item_amount(g.item, g.value, g.unit, lang) for g in c.given) or phrase(
            "gave.nofigure", lang
        )
        if c.asked:
            tail = phrase("gave.asked", lang, cond=_short(c.asked, 80))
        elif c.traded:
            tail = phrase("gave.traded", lang)
        else:
            tail = phrase("gave.nothing", lang)
        return (
            phrase("gave.reply", lang, n=c.n, what=what)
            + tail
            + (phrase("gave.over", lang) if c.over else "")
        )

    if not acc.concessions:
        out.append(both(lambda lang: phrase("gave.none", lang)))
    else:
        out.append(both(lambda lang: phrase("gave.head", lang)))
        for c in acc.concessions:
            out.append(both(lambda lang, c=c: "  - " + gave_line(c, lang)))
        if acc.totals and sum(len(c.given) for c in acc.concessions) > 1:
            out.append(
                both(
                    lambda lang: phrase(
                        "total",
                        lang,
                        what=phrase("list", lang).join(item_amount(i, v, u, lang) for i, v, u in acc.totals),
                    )
                )
            )
    if acc.passed:
        out.append(
            both(
                lambda lang: phrase(
                    "passed", lang, what=phrase("sep", lang).join(passed_text(p, lang) for p in acc.passed)
                )
            )
        )
    elif acc.limits and any(c.given for c in acc.concessions):
        out.append(
            both(
                lambda lang: phrase(
                    "within",
                    lang,
                    what=phrase("sep", lang).join(
                        phrase(
                            "limit",
                            lang,
                            item=item_name(lim.item, lang),
                            amount=_limit_amount(lim, lang),
                        )
                        for lim in acc.limits
                    ),
                )
            )
        )
    if acc.shown:
        out.append(
            both(
                lambda lang: phrase(
                    "shown", lang, what=phrase("list", lang).join(getattr(t, lang) for t in acc.shown)
                )
            )
        )
    if acc.missed:
        out.append(
            both(
                lambda lang: phrase(
                    "missed", lang, what=phrase("list", lang).join(getattr(t, lang) for t in acc.missed)
                )
            )
        )
    if acc.turn is not None:
        n, reply, what = acc.turn
        out.append(
            both(
                lambda lang: phrase(
                    "turn",
                    lang,
                    n=n,
                    reply=_short(reply),
                    what=phrase("list", lang).join(getattr(t, lang) for t in what),
                )
            )
        )
    return tuple(out)


def _limit_amount(lim: Limit, lang: str) -> str:
    figure = amount_text(lim.value, lim.unit, lang)
    kind = limit_unit(lim.unit)
    if kind == "units":
        return figure + ("件" if lang == "zh" else " units")
    if kind == "money":
        return figure + ("元" if lang == "zh" else "")
    return figure


def blocked_lesson(ending: Text, why: Sequence[Text]) -> Text:
    """The lesson when a blocker turned the ending's outcome into a fail: never the ending's own praise."""
    return both(
        lambda lang: phrase(
            "lesson.blocked",
            lang,
            ending=getattr(ending, lang),
            why=phrase("list", lang).join(getattr(w, lang) for w in why),
        )
    )
