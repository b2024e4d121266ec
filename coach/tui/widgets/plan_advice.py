"""The advice column beside the meeting-plan wizard's form, and what it shows: the playbook's advice for the
page, what the key account offers, the tactics seen with the account. The screen decides what to show
(``show``); the functions here draw it from the data they are given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from coach.content.loader import taxonomy
from coach.content.plans import PART_NAMES, gaps, missing_parts
from coach.i18n import tr
from coach.review.account_summary import offer_head, offer_lines, room, room_section
from coach.review.brief import build
from coach.review.plans import suggestion_lines
from coach.services.accounts import offer
from coach.services.prep import account_suggestions
from coach.store.db import FAILED
from coach.tui.widgets.plan_form import Failed, in_db
from coach.tui.widgets.wrapped import Wrapped


class PlanAdvice(VerticalScroll):
    """A scrolling box with one text in it, and what the account brings to the advice: the tactics seen
    with it (``need_history``) and what it offers when it is a key account (``need_offer``), read from the
    database ``db_path`` in workers. Each read posts a message up once its result is kept here."""

    class HistoryRead(Message):
        """The account's history was read: ``suggestions`` (``review.plans.TacticSuggestion``) leave out
        ``exclude``, the tactics the form listed when it was read."""

        def __init__(self, account: str, suggestions: list, exclude: frozenset[str] = frozenset()) -> None:
            super().__init__()
            self.account = account
            self.suggestions = suggestions
            self.exclude = exclude

    class OfferRead(Message):
        """What the key account named in the form offers the plan (``services.accounts.AccountOffer``), or
        None when it is not a key account; ``key`` is the (account key, meeting date) it was read for."""

        def __init__(self, key: tuple[str, str], offered: Any) -> None:
            super().__init__()
            self.key = key
            self.offered = offered

    Failed = Failed

    def __init__(self, db_path: Path | str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.db_path = db_path
        """The database the account's history and offer are read from."""
        self.suggestions: list = []
        """Tactics seen with the account (its log and role-play), strongest first."""
        self.history_for: str | None = None
        """The account (folded) the suggestions were read for; None: read them when they are needed."""
        self.history_excluded: frozenset[str] = frozenset()
        """The tactics the suggestions leave out (listed in the form when they were read)."""
        self.offered: Any = None
        """What the key account offers (an ``AccountOffer``), None when it is not one."""
        self.offer_for: tuple[str, str] | None = None
        """The (account key, meeting date) ``offered`` was read for."""
        self._text = Static(id="plan-advice")

    def compose(self) -> ComposeResult:
        """The text."""
        yield self._text

    def show(self, advice: Any) -> None:
        """Show ``advice`` (a renderable)."""
        self._text.update(advice)

    def show_page(
        self,
        name: str,
        rule: str | None,
        *,
        lib: Any,
        lang: str,
        content_error: str | None,
        account: str,
        ref: tuple[str, str] | None,
    ) -> None:
        """The advice for the page ``name``: the tactics (``show_tactics``), the summary's help, or the
        playbook ``rule``'s advice (under what the key account offers for ``ref``, on the pages it fills)."""
        if name == "expected_tactics":
            self.show_tactics(lib, lang, account)
        elif name == "summary":
            self.show(Wrapped(tr(lang, "plan.summary.help")))  # "Ctrl+S" and "`coach locate`" stay whole
        else:
            offer = offer_advice(
                self.offer_shown(ref) if name in ("objectives", "professionalism") else None, lang
            )
            playbook = playbook_advice(lib, rule, lang, content_error)
            self.show(Group(*offer, Text(""), playbook) if offer else playbook)

    def show_tactics(self, lib: Any, lang: str, account: str) -> None:
        """The tactics seen with ``account`` (as read last), then every tactic a plan can expect."""
        self.show(
            tactics_advice(
                lib, lang, account.strip(), self.history_for, self.suggestions, self.history_excluded
            )
        )

    def offer_shown(self, ref: tuple[str, str] | None) -> Any:
        """What the key account offers, when it was read for ``ref`` (the form's account and date) and is not
        empty; else None."""
        if self.offered is None or self.offered.empty or self.offer_for != ref:
            return None
        return self.offered

    def people(self, plan: Any, ref: tuple[str, str] | None, lang: str) -> Any:
        """The brief's "their people at the meeting" section, when the plan's account is a key account (from
        the account's map, read with the offer for ``ref``); None otherwise."""

        if self.offered is None or self.offer_for != ref:
            return None
        return room_section(room(self.offered.map, plan.professionalism.theirs), lang)

    def need_history(self, account: str, listed: frozenset[str]) -> None:
        """Read the tactics seen with ``account`` (leaving out ``listed``) unless they were read for it."""
        if account and (self.history_for != account.casefold() or self.history_excluded != listed):
            self._read_history(self.db_path, account, listed)

    @work(thread=True, exclusive=True, group="plan-history", exit_on_error=False)
    def _read_history(self, db_path: Path | str, account: str, exclude: frozenset[str]) -> None:
        found = in_db(
            self, db_path, "error.plan", lambda conn: account_suggestions(conn, account, exclude=exclude)
        )
        if found is not FAILED:
            self.post_message(self.HistoryRead(account, found, exclude))

    @on(HistoryRead)
    def _history_read(self, message: HistoryRead) -> None:
        self.suggestions = message.suggestions
        self.history_for = message.account.casefold()
        self.history_excluded = message.exclude

    def need_offer(self, account: str, ref: tuple[str, str]) -> None:
        """Read what ``account`` offers for the meeting date in ``ref`` unless it was read for ``ref``."""
        if ref != self.offer_for:
            self._read_offer(self.db_path, account, ref)

    @work(thread=True, exclusive=True, group="plan-account", exit_on_error=False)
    def _read_offer(self, db_path: Path | str, account: str, ref: tuple[str, str]) -> None:
        offered = in_db(
            self, db_path, "error.plan", lambda conn: offer(conn, account, meeting_date=ref[1] or None)
        )
        # A failure is said once: the form goes on without the account's offer.
        self.post_message(self.OfferRead(ref, None if offered is FAILED else offered))

    @on(OfferRead)
    def _offer_read(self, message: OfferRead) -> None:
        self.offered, self.offer_for = message.offered, message.key


def playbook_advice(lib: Any, rule_id: str | None, lang: str, content_error: str | None) -> Group | Text:
    """The playbook rule ``rule_id``'s steps and what to say, from ``lib`` (None while the playbooks load,
    when ``content_error`` says why they did not)."""
    if lib is None:
        return Text(content_error or tr(lang, "plan.advice.loading"), style="dim")
    rule = lib.rules.get(rule_id or "")
    if rule is None:
        return Text(tr(lang, "plan.advice.none"), style="dim")
    parts: list[Text] = [
        Text(tr(lang, "plan.advice"), style="dim"),
        Text(getattr(rule.title, lang), style="bold"),
    ]
    for n, s in enumerate(rule.response.steps, 1):
        # No space after the number in Chinese: a space would let the wrap put the number alone on a line.
        parts.append(Text(f"{n}.{'' if lang == 'zh' else ' '}{getattr(s, lang)}"))
    if rule.response.say:
        parts.append(Text(""))
        parts.append(Text(tr(lang, "plan.advice.say"), style="bold"))
        parts += [Text(f"“{getattr(s, lang)}”", style="italic") for s in rule.response.say]
    return Group(*parts)


def tactics_advice(
    lib: Any, lang: str, account: str, history_for: str | None, suggestions: list, excluded: frozenset[str]
) -> Group:
    """The tactics seen with ``account`` (``suggestions``, read for ``history_for``, leaving out
    ``excluded``), then every tactic a plan can expect, titled from the playbooks."""

    titles: dict[str, dict[str, str]] = {}  # the playbook's title, else the taxonomy's name
    for s in taxonomy()["situations"]["tactic"]:
        rule = lib.rules.get(s["id"]) if lib else None
        titles[s["id"]] = {k: getattr(rule.title, k) if rule else s[k] for k in ("en", "zh")}
    parts: list[Text] = []
    if not account:
        parts.append(Text(tr(lang, "plan.suggested.account"), style="dim"))
    elif history_for != " ".join(account.split()).casefold():
        parts.append(Text(tr(lang, "loading"), style="dim"))
    elif suggestions:
        parts.append(Text(tr(lang, "plan.suggested"), style="bold"))
        parts += [Text(f"• {line}") for line in suggestion_lines(suggestions, lang, titles)]
    else:
        none = "plan.suggested.none.new" if excluded else "plan.suggested.none"
        parts.append(Text(tr(lang, none), style="dim"))
    parts += [Text(""), Text(tr(lang, "plan.tactics.known"), style="bold")]
    for s in taxonomy()["situations"]["tactic"]:
        parts.append(Text.assemble(f"{s['id'].split('.', 1)[1]}  ", (titles[s["id"]][lang], "dim")))
    return Group(*parts)


def offer_advice(offered: Any, lang: str) -> list[Wrapped]:
    """What the key account offers (``offered``, None: nothing), as ``coach prep new`` prints it, broken by
    the Chinese line-breaking rule (the advice column is narrow at 80 columns)."""

    if offered is None:
        return []
    parts = [Wrapped(Text(offer_head(offered, lang), style="bold"))]
    for label, items in offer_lines(offered, lang):
        parts.append(Wrapped(Text(label, style="underline")))
        parts += [
            Wrapped(Text(f"• {item}", style="yellow" if item.startswith("⚠") else "")) for item in items
        ]
    parts.append(Wrapped(Text(tr(lang, "plan.from-account.hint"), style="dim")))
    return parts


def plan_summary(
    plan: Any, notes: dict, lang: str, *, plan_id: int | None, version: int | None, people: Any
) -> Group:
    """The summary page: the required parts missing, the optional ones left empty, then the brief (with
    the playbooks' ``notes`` and the key account's ``people``), broken by the Chinese line-breaking rule, as
    the brief is read here at 80 columns too."""

    lines: list[Text] = []
    missing = missing_parts(plan)
    if missing:
        names = tr(lang, "list.sep").join(PART_NAMES[lang][p.split(".")[0]] for p, _ in missing)
        lines.append(Text(tr(lang, "plan.missing", parts=names), style="bold red"))
    left = gaps(plan)
    lines.append(
        Text(
            tr(lang, "plan.gaps", parts=tr(lang, "list.sep").join(PART_NAMES[lang][g] for g in left))
            if left
            else tr(lang, "plan.complete"),
            style="yellow" if left else "green",
        )
    )
    brief = build(plan, notes, lang, plan_id=plan_id, version=version, people=people)
    lines += [Text(""), Text(brief.title, style="bold")]
    for section in brief.sections:
        lines.append(Text(section.title, style="bold underline"))
        if section.header:
            for row in section.rows:
                lines.append(Text(" · ".join(c for c in row if c)))
        for label, text in section.items:
            lines.append(
                Text.assemble(
                    (label.strip(), "bold") if label.strip() else "",
                    tr(lang, "brief.colon") if label.strip() and text else "",
                    text,
                    style="" if not label.startswith("  ") else "dim",
                )
            )
    return Group(*(Wrapped(line) for line in lines))
