"""``coach account``: key accounts and their relationship map (客情关系图) — add, list, show, merge, contacts
on both sides, who knows whom, the map as a tree, the coverage matrix and the coach's warnings."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from coach.commands.common import print_json, read_stdin, safe
from coach.errors import CoachError
from coach.files import check_target, write_output
from coach.i18n import tr
from coach.review.accounts import (
    ATTITUDE_LABELS,
    DECISION_LABELS,
    TIER_NEEDS,
    check,
    coverage,
    render_coverage,
    render_map,
)
from coach.review.brief import to_html, to_markdown
from coach.services.accounts import summary
from coach.store import accounts as store
from coach.store.accounts import CONTACT_FIELDS, InvalidField
from coach.store.db import session

OPTION_NAMES = {
    "name": "NAME",
    "from": "FROM",
    "into": "INTO",
    "account": "ACCOUNT",
    "ours": "OURS",
    "theirs": "THEIRS",
    "decision_role": "--decision",
    "last_contact": "--last-contact",
    "reports_to": "--reports-to",
}
"""A store field -> how the command line spells it (others: ``--field``)."""

CONTACT_OPTIONS = {
    "role": "job title, e.g. 'purchasing director' (\"\" clears it)",
    "reports_to": "the person they report to (same side; must be in the map already)",
    "decision_role": "decision-maker, influencer, user or gatekeeper",
    "influence": "influence on the decision, 1 (little) to 5 (decisive)",
    "attitude": "toward us: opponent, skeptic, neutral, supporter or champion",
    "last_contact": "date of the last meeting or call: YYYY-MM-DD or today",
    "plan": "what we do about this person (how to win a skeptic over, who meets them); `-` reads stdin",
    "note": "free notes; `-` reads standard input",
}


def default_lang() -> str:
    """``zh`` when COACH_LANG or the locale says Chinese, else ``en``."""
    for var in ("COACH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb and its actions."""
    p = sub.add_parser(
        "account",
        help="key accounts: tiers, contacts on both sides, the relationship map and its warnings",
        description="Key accounts and their relationship map (客情关系图): their people and ours, who knows "
        "whom, the map as a tree by reporting line, the coverage matrix and the coach's warnings. Nothing "
        "is ever overwritten: every change is a new version and the old ones are kept. Names that differ "
        "only in case or spacing are the same account.",
    )
    actions = p.add_subparsers(dest="account_action", metavar="ACTION", required=True)
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        metavar="DB",
        help="database: a file, or a team's postgresql:// address (default: COACH_DB, else the data folder)",
    )
    db.add_argument(
        "--lang", choices=["en", "zh"], help="language of the text (default: COACH_LANG, else the locale)"
    )
    js = argparse.ArgumentParser(add_help=False)
    js.add_argument("--json", action="store_true", help="print one JSON object")
    details = argparse.ArgumentParser(add_help=False)
    details.add_argument(
        "--tier", help="global, international, national, local or strategic (全球性 … 战略性)"
    )
    details.add_argument("--channel", help="trade channel, e.g. hypermarket, convenience, cinema")
    details.add_argument("--stores", metavar="N", help="how many stores")
    details.add_argument("--notes", help="free notes; `-` reads standard input")

    add = actions.add_parser(
        "add", parents=[db, details], help="add an account", description="Add a key account."
    )
    add.add_argument("name", metavar="NAME", help="the account's name, e.g. Lianhua")
    add.add_argument(
        "--ours", action="append", default=[], metavar="PERSON", help="one of our people on it (repeatable)"
    )
    add.set_defaults(run=run_add)

    edit = actions.add_parser(
        "edit",
        parents=[db, details],
        help="change an account's tier, channel, stores or notes (a new version)",
        description='Change an account\'s details; the options given replace the current values ("" clears '
        "one) and the previous version is kept.",
    )
    edit.add_argument("name", metavar="NAME", help="the account")
    edit.set_defaults(run=run_edit)

    ls = actions.add_parser("list", parents=[db], help="the accounts, by name")
    ls.add_argument("--json", action="store_true", help="print one JSON list of objects (name, tier, ...)")
    ls.add_argument("--merged", action="store_true", help="also list accounts merged into another")
    ls.set_defaults(run=run_list)

    show = actions.add_parser(
        "show",
        parents=[db, js],
        help="one account: tier and what it needs, people, linked records, warnings",
    )
    show.add_argument("name", metavar="NAME", help="the account (case and spacing do not matter)")
    show.set_defaults(run=run_show)

    ex = actions.add_parser(
        "export",
        parents=[db],
        help="the one-page account summary as Markdown or HTML",
        description="The one-page account summary a manager or a colleague taking over reads: the tier "
        "and what it needs from us, their key people, the map's warnings, the business plan's objectives "
        "and scorecard status, open actions (overdue first) and the year's concession totals.",
    )
    ex.add_argument("name", metavar="NAME", help="the account")
    ex.add_argument("--format", choices=("md", "html"), default="md", help="md (default) or html")
    ex.add_argument(
        "--year",
        type=_year,
        metavar="YYYY",
        help="the plan's year (default: this year's plan, else the latest)",
    )
    ex.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    ex.add_argument("--force", action="store_true", help="overwrite --output if it exists")
    ex.set_defaults(run=run_export)

    mg = actions.add_parser(
        "merge",
        parents=[db],
        help="record that two accounts are one",
        description="Record that account FROM is the same as INTO (real duplicates, e.g. 'Lianhua' and "
        "'Lianhua Supermarket'). Nothing is deleted: FROM's people and records show under INTO from now on.",
    )
    mg.add_argument("from_name", metavar="FROM", help="the duplicate")
    mg.add_argument("into_name", metavar="INTO", help="the account that stays")
    mg.add_argument("--note", help="why (kept with the merge)")
    mg.set_defaults(run=run_merge)

    ct = actions.add_parser(
        "contact", help="add or change a person on the account (theirs or ours), or show their history"
    )
    cts = ct.add_subparsers(dest="contact_action", metavar="ACTION", required=True)
    side = argparse.ArgumentParser(add_help=False)
    group = side.add_mutually_exclusive_group()
    group.add_argument(
        "--theirs",
        dest="side",
        action="store_const",
        const="theirs",
        help="one of the customer's people (default)",
    )
    group.add_argument("--ours", dest="side", action="store_const", const="ours", help="one of our people")
    fields = argparse.ArgumentParser(add_help=False)
    for field, text in CONTACT_OPTIONS.items():
        option = OPTION_NAMES.get(field, "--" + field.replace("_", "-"))
        fields.add_argument(option, dest=field, metavar=field.split("_")[-1].upper(), help=text)
    cadd = cts.add_parser("add", parents=[db, side, fields], help="add a person")
    cadd.add_argument("account", metavar="ACCOUNT", help="the account")
    cadd.add_argument("person", metavar="NAME", help="the person's name")
    cadd.set_defaults(run=run_contact_add)
    cup = cts.add_parser(
        "update",
        parents=[db, side, fields],
        help="change a person (a new version; the old one is kept)",
        description='Change a person\'s details: the options given replace the current values ("" clears '
        "one); their history is kept (`coach account contact history`).",
    )
    cup.add_argument("account", metavar="ACCOUNT", help="the account")
    cup.add_argument("person", metavar="NAME", help="the person's name")
    cup.add_argument("--name", dest="new_name", metavar="NEW", help="correct the spelling of their name")
    cup.add_argument("--status", help="active, or left (no longer in the account; kept in history)")
    cup.set_defaults(run=run_contact_update)
    chi = cts.add_parser("history", parents=[db, side, js], help="every version of one person, oldest first")
    chi.add_argument("account", metavar="ACCOUNT", help="the account")
    chi.add_argument("person", metavar="NAME", help="the person's name")
    chi.set_defaults(run=run_contact_history)

    ln = actions.add_parser(
        "link",
        parents=[db],
        help="who knows whom: one of ours, one of theirs, the level now and the target",
        description="Record how well one of our people knows one of theirs: --level 0 (no longer in touch) "
        "to 5 (trusted), --target 1 to 5. A change is a new version.",
    )
    ln.add_argument("account", metavar="ACCOUNT", help="the account")
    ln.add_argument("ours", metavar="OURS", help="our person")
    ln.add_argument("theirs", metavar="THEIRS", help="their person")
    ln.add_argument("--level", required=True, help="now: 0 none, 1 acquaintance … 5 trusted")
    ln.add_argument("--target", help='where it should be, 1 to 5 ("" clears it)')
    ln.add_argument("--note", help="free notes")
    ln.set_defaults(run=run_link)

    mp = actions.add_parser(
        "map", parents=[db, js], help="the relationship map: their people as a tree by reporting line"
    )
    mp.add_argument("name", metavar="NAME", help="the account")
    mp.set_defaults(run=run_map)

    cv = actions.add_parser("coverage", parents=[db, js], help="matrix of our people × their people")
    cv.add_argument("name", metavar="NAME", help="the account")
    cv.add_argument("--width", type=int, default=80, help="columns to fit (default 80)")
    cv.set_defaults(run=run_coverage)

    ck = actions.add_parser(
        "check",
        parents=[db, js],
        help="the coach's warnings on the map (exit 1 when there are any)",
        description="Warnings a coach would give: nobody on their side yet, a single-threaded account, one "
        "person holding every relationship, a decision maker nobody on our side knows, a high-influence "
        "opponent or skeptic with no plan, contacts not seen for --days days. Exit code 1 when any.",
    )
    ck.add_argument("name", metavar="NAME", help="the account")
    ck.add_argument("--days", type=_days, default=90, help="flag contacts not seen for this many days (90)")
    ck.set_defaults(run=run_check)


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of days, not {value!r}") from None
    if not 1 <= days <= 3650:
        raise argparse.ArgumentTypeError(f"expected 1 to 3650 days, not {days}")
    return days


def _year(value: str) -> int:
    text = value.strip()
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"expected a year such as 2027 (2000 to 2100), not {value[:20]!r}")
    return int(text)


def _lang(args: argparse.Namespace) -> str:
    return args.lang or default_lang()


def _cli_error(exc: CoachError, **spelled_as: str) -> CoachError:
    """A store error with the field spelled the way the command line spells it (``spelled_as`` overrides
    ``OPTION_NAMES`` for one action, e.g. ``account="NAME"``)."""

    names = {**OPTION_NAMES, **spelled_as}
    if isinstance(exc, InvalidField):
        name = names.get(exc.field, "--" + exc.field.replace("_", "-"))
        return CoachError(f"{name}: {exc.reason}; nothing was changed", exc.hint)
    message = exc.message
    for field, spelled in names.items():
        if message.startswith(f"{field}: "):
            message = spelled + message[len(field) :]
            break
    return CoachError(message, exc.hint)


def _text(value: str | None, option: str) -> str | None:
    return read_stdin(option) if value == "-" else value


def _out(text: str) -> None:
    sys.stdout.write(safe(text) + "\n")


def _detail_fields(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "tier": args.tier,
        "channel": args.channel,
        "stores": args.stores,
        "notes": _text(args.notes, "--notes -"),
    }


# ---------------------------------------------------------------------------------------------- accounts


def run_add(args: argparse.Namespace) -> int:
    """Add an account."""

    lang = _lang(args)
    fields = _detail_fields(args)
    try:
        if not store.clean_line("name", args.name):
            raise store.InvalidField("name", "required")
        store.check_account_fields(fields)  # bad input: one line, before the database is opened
        with session(args.db) as conn:
            acc = store.add(conn, args.name, ours=args.ours, **fields)
    except CoachError as exc:
        raise _cli_error(exc) from None
    tier = f" ({TIER_NEEDS[acc.tier].label[lang]})" if acc.tier else ""
    _out(f"Added account {acc.name}{tier}." if lang == "en" else f"已添加客户：{acc.name}{tier}。")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    """Change an account's details."""

    lang = _lang(args)
    fields = _detail_fields(args)
    try:
        if all(v is None for v in fields.values()):
            raise CoachError("nothing to change", "give at least one of --tier, --channel, --stores, --notes")
        store.check_account_fields(fields)
        with session(args.db) as conn:
            acc, changed = store.update(conn, args.name, **fields)
    except CoachError as exc:
        raise _cli_error(exc, account="NAME") from None
    key = "account.said.saved" if changed else "account.said.unchanged"
    _out(tr(lang, key, name=acc.name, version=acc.version))
    return 0


def run_list(args: argparse.Namespace) -> int:
    """The accounts, by name."""

    lang = _lang(args)
    with session(args.db) as conn:
        rows = store.list_accounts(conn, merged=args.merged)
    if args.json:
        print_json([a.as_dict() for a in rows])  # a list of objects, as issue 13 names it
        return 0
    if not rows:
        _out(
            "No accounts yet. Add one with `coach account add NAME --tier national`."
            if lang == "en"
            else "还没有客户。用 `coach account add 名称 --tier national` 添加。"
        )
        return 0
    for a in rows:
        parts = [
            a.name,
            TIER_NEEDS[a.tier].label[lang] if a.tier else ("no tier" if lang == "en" else "未分级"),
        ]
        if a.channel:
            parts.append(a.channel)
        if a.stores is not None:
            parts.append(f"{a.stores} stores" if lang == "en" else f"{a.stores}家门店")
        if a.merged_into:
            parts.append(f"merged into {a.merged_into}" if lang == "en" else f"已并入 {a.merged_into}")
        _out("  ·  ".join(parts))
    return 0


def _load_map(args: argparse.Namespace, name: str):  # noqa: ANN202
    with session(args.db) as conn:
        try:
            return store.account_map(conn, name), store.linked_records(conn, name)
        except CoachError as exc:
            raise _cli_error(exc, account="NAME") from None


def run_show(args: argparse.Namespace) -> int:
    """One account: details, what its tier needs, people, linked records, warnings."""

    lang = _lang(args)
    m, linked = _load_map(args, args.name)
    warnings = check(m)
    acc = m.account
    if args.json:
        print_json(
            {
                **m.as_dict(),
                "tier": _tier_dict(acc.tier, lang),
                "linked": linked.as_dict(),
                "warnings": [w.as_dict(lang) for w in warnings],
            }
        )
        return 0
    lines = [acc.name]
    if acc.tier:
        t = TIER_NEEDS[acc.tier]
        lines.append(tr(lang, "account.show.tier") + f"{t.label[lang]} — {t.what[lang]}")
        lines.append(tr(lang, "account.show.needs") + t.needs[lang])
    else:
        lines.append(tr(lang, "account.show.no-tier"))
    if acc.channel:
        lines.append(tr(lang, "account.show.channel") + acc.channel)
    if acc.stores is not None:
        lines.append(tr(lang, "account.show.stores") + str(acc.stores))
    theirs, ours = m.people("theirs"), m.people("ours")
    names = (
        tr(lang, "account.show.people.names", names=tr(lang, "list.sep").join(p.name for p in ours))
        if ours
        else tr(lang, "account.show.people.nobody")
    )
    lines.append(tr(lang, "account.show.people", theirs=len(theirs), ours=len(ours), names=names))
    lines.append(_linked_line(linked, lang))
    if acc.notes:
        lines.append(tr(lang, "account.show.notes") + acc.notes)
    if warnings:
        lines.append(tr(lang, "account.show.warnings"))
        lines += [f"  - {w.text(lang)}" for w in warnings]
    _out("\n".join(lines))
    return 0


def _tier_dict(tier: str | None, lang: str) -> dict[str, str] | None:
    if not tier:
        return None
    t = TIER_NEEDS[tier]
    return {"id": t.id, "label": t.label[lang], "what": t.what[lang], "needs": t.needs[lang]}


def _linked_line(linked: Any, lang: str) -> str:
    return tr(
        lang,
        "account.linked",
        concessions=linked.concessions,
        practice=linked.practice,
        plans=linked.plans,
        sessions=linked.sessions,
        walkthroughs=linked.walkthroughs,
    )


def run_export(args: argparse.Namespace) -> int:
    """Write the one-page account summary."""

    target = Path(args.output).expanduser() if args.output else None
    if target is not None:
        check_target(target, force=args.force)  # before the database is opened
    lang = _lang(args)
    with session(args.db) as conn:
        try:
            page = summary(conn, args.name, lang, year=args.year)
        except CoachError as exc:
            raise _cli_error(exc, account="NAME") from None
    text = to_html(page) if args.format == "html" else to_markdown(page)
    if target is None:
        sys.stdout.write(safe(text) if args.format == "md" else text)
        return 0
    write_output(target, text, force=args.force)
    print(
        safe(
            f"wrote the account summary to {args.output}" if lang == "en" else f"客户概览已写入 {args.output}"
        ),
        file=sys.stderr,
    )
    return 0


def run_merge(args: argparse.Namespace) -> int:
    """Record that two accounts are one."""

    lang = _lang(args)
    try:
        if args.note:
            store.clean_text("note", args.note)
        with session(args.db) as conn:
            source, target = store.merge(conn, args.from_name, args.into_name, note=args.note)
    except CoachError as exc:
        raise _cli_error(exc) from None
    _out(
        f"{source.name} is now part of {target.name}; its people and records show there."
        if lang == "en"
        else f"{source.name} 已并入 {target.name}，其联系人和记录都显示在 {target.name} 下。"
    )
    return 0


# ---------------------------------------------------------------------------------------------- contacts


def _contact_fields(args: argparse.Namespace) -> dict[str, Any]:
    fields = {f: getattr(args, f) for f in CONTACT_OPTIONS}
    for f in ("plan", "note"):
        fields[f] = _text(fields[f], f"--{f} -")
    return {k: v for k, v in fields.items() if v is not None}


def _person_summary(c: Any, lang: str) -> str:
    parts = [c.name]
    if c.role:
        parts.append(c.role)
    if c.decision_role:
        parts.append(DECISION_LABELS[lang][c.decision_role])
    if c.influence:
        parts.append(f"influence {c.influence}" if lang == "en" else f"影响力{c.influence}")
    if c.attitude:
        parts.append(ATTITUDE_LABELS[lang][c.attitude])
    if c.status == "left":
        parts.append("left" if lang == "en" else "已离开")
    return " · ".join(parts)


def run_contact_add(args: argparse.Namespace) -> int:
    """Add a person to an account."""

    lang = _lang(args)
    side = args.side or "theirs"
    fields = _contact_fields(args)
    try:
        store.check_contact_fields({"name": args.person, **fields})
        with session(args.db) as conn:
            c = store.add_contact(conn, args.account, side, args.person, **fields)
            acc = store.get(conn, args.account)
    except CoachError as exc:
        raise _cli_error(exc) from None
    _out(
        tr(
            lang,
            "account.contact.added",
            side=tr(lang, f"account.side.{side}"),
            account=acc.name,
            who=_person_summary(c, lang),
        )
    )
    return 0


def run_contact_update(args: argparse.Namespace) -> int:
    """Save a new version of a person."""

    lang = _lang(args)
    fields = _contact_fields(args)
    if args.new_name is not None:
        fields["name"] = args.new_name
    if args.status is not None:
        fields["status"] = args.status
    try:
        if not fields:
            raise CoachError("nothing to change", "give at least one option, e.g. --role or --attitude")
        store.check_contact_fields(fields)
        with session(args.db) as conn:
            c, changed = store.update_contact(conn, args.account, args.person, side=args.side, **fields)
    except CoachError as exc:
        raise _cli_error(exc) from None
    if changed:
        _out(tr(lang, "account.contact.saved", version=c.version, who=_person_summary(c, lang)))
    else:
        _out(tr(lang, "account.contact.unchanged", name=c.name))
    return 0


def run_contact_history(args: argparse.Namespace) -> int:
    """Every version of one person."""

    lang = _lang(args)
    with session(args.db) as conn:
        try:
            versions = store.contact_history(conn, args.account, args.person, args.side)
            names = {c.id: c.name for c in store.account_map(conn, args.account).contacts}
        except CoachError as exc:
            raise _cli_error(exc) from None
    if args.json:
        print_json({"versions": [v.as_dict(names) for v in versions]})
        return 0
    previous = None
    for v in versions:
        what = _person_summary(v, lang) if previous is None else _changes(previous, v, names, lang)
        _out(f"v{v.version}  {v.saved_at[:10]}  {what}")
        previous = v
    return 0


def _changes(old: Any, new: Any, names: dict[int, str], lang: str) -> str:
    """What one version changed: ``role: Buyer → Category manager; plan: set``."""

    def shown(field: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if field == "reports_to":
            return names.get(value, "?")
        if field == "decision_role":
            return DECISION_LABELS[lang].get(value, value)
        if field == "attitude":
            return ATTITUDE_LABELS[lang].get(value, value)
        return str(value)

    parts = []
    for field in CONTACT_FIELDS:
        before, after = getattr(old, field), getattr(new, field)
        if before == after:
            continue
        label = tr(lang, f"account.field.{field}")
        if field in ("plan", "note"):  # long text: say what happened, `--json` has the words
            done = ("cleared" if lang == "en" else "已清空") if not after else None
            done = done or (
                ("set" if lang == "en" else "已填写")
                if not before
                else ("changed" if lang == "en" else "已修改")
            )
            parts.append(f"{label}: {done}")
        else:
            parts.append(f"{label}: {shown(field, before)} → {shown(field, after)}")
    sep = "；" if lang == "zh" else "; "
    return f"{new.name}: " + (sep.join(parts) or ("no change" if lang == "en" else "无变化"))


def run_link(args: argparse.Namespace) -> int:
    """Record who knows whom."""

    lang = _lang(args)
    try:
        store.clean_level("level", args.level, 0)
        if args.target:
            store.clean_level("target", args.target, 1)
        if args.note:
            store.clean_text("note", args.note)
        with session(args.db) as conn:
            names = {c.id: c.name for c in store.account_map(conn, args.account).contacts}
            rel, changed = store.link(
                conn,
                args.account,
                args.ours,
                args.theirs,
                level=args.level,
                target=args.target,
                note=args.note,
            )
    except CoachError as exc:
        raise _cli_error(exc) from None
    ours, theirs = names.get(rel.ours_id, args.ours), names.get(rel.theirs_id, args.theirs)
    target = f"→{rel.target}" if rel.target and rel.target != rel.level else ""
    if not changed:
        _out(
            f"{ours} — {theirs}: no change; nothing saved."
            if lang == "en"
            else f"{ours} — {theirs}：没有变化，未保存。"
        )
    else:
        _out(
            f"{ours} — {theirs}: level {rel.level}{target}"
            if lang == "en"
            else f"{ours} — {theirs}：关系 {rel.level}{target}"
        )
    return 0


# ------------------------------------------------------------------------------------------------- views


def run_map(args: argparse.Namespace) -> int:
    """The relationship map as an indented tree."""

    m, _ = _load_map(args, args.name)
    if args.json:
        print_json(m.as_dict())
        return 0
    _out(render_map(m, _lang(args)))
    return 0


def run_coverage(args: argparse.Namespace) -> int:
    """Our people × their people."""

    m, _ = _load_map(args, args.name)
    if args.json:
        print_json({"account": m.account.name, **coverage(m)})
        return 0
    _out(render_coverage(m, _lang(args), max(40, args.width)))
    return 0


def run_check(args: argparse.Namespace) -> int:
    """The coach's warnings; exit 1 when there are any."""

    lang = _lang(args)
    m, _ = _load_map(args, args.name)
    warnings = check(m, stale_days=args.days)
    if args.json:
        print_json({"account": m.account.name, "warnings": [w.as_dict(lang) for w in warnings]})
    elif not warnings:
        _out(f"{m.account.name}: no warnings." if lang == "en" else f"{m.account.name}：没有需要提醒的问题。")
    else:
        _out("\n".join(f"- {w.text(lang)}" for w in warnings))
    return 1 if warnings else 0
