"""``coach prep``: plan a meeting on the eight principles; versions, YAML in and out, a one-page brief."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from coach.clock import local_time
from coach.commands.account import default_lang
from coach.commands.common import existing_id, playbook_options, print_json, safe
from coach.content.plans import (
    PART_NAMES,
    PARTS,
    MissingParts,
    PlanError,
    copy_for_meeting,
    gaps,
    item_line,
    load_yaml_file,
    load_yaml_text,
    missing_parts,
    parse_items,
    require_complete,
    to_yaml,
    validate,
)
from coach.errors import CoachError
from coach.files import FileProblem, read_bytes, write_output
from coach.i18n import tr
from coach.review.account_summary import offer_head, offer_lines, room_section
from coach.review.brief import guidance_ids, render
from coach.services.accounts import meeting_room, offer, with_offer
from coach.services.prep import apply_suggestions, named_suggestions, playbook_guidance
from coach.services.prep import suggestions_for as service_suggestions
from coach.store import plans as store
from coach.store.db import session

# (option, part, help); each list option is repeatable, one item per use, in the order given.
PART_OPTIONS: list[tuple[str, str, str]] = [
    ("--must", "objectives", "1. a must-have objective (repeatable; priority order = order given)"),
    (
        "--nice",
        "objectives",
        "1. a nice-to-have objective (repeatable, mixed with --must in the order given)",
    ),
    ("--value", "value_delivered", "2. something we already did for them, to restate (repeatable)"),
    ("--fact", "facts", "3. a fact to speak with: 'FIGURE | SOURCE' (repeatable)"),
    ("--agenda", "agenda", "4. an agenda point (repeatable)"),
    ("--ours", "ours", "4. who attends for us: 'NAME | ROLE' (repeatable)"),
    ("--theirs", "theirs", "4. who attends for them: 'NAME | ROLE' (repeatable)"),
    ("--material", "materials", "4. material to bring (repeatable)"),
    ("--check", "checklist", "4. checklist item: '[x] done item' or '[ ] item' (repeatable)"),
    (
        "--alternative",
        "stages",
        "5. best alternative at a stage: 'STAGE: TEXT' (opening, bargaining, closing, "
        "after-deal; repeatable)",
    ),
    (
        "--limit",
        "limits",
        "5. walk-away total per concession type: 'TYPE: AMOUNT', e.g. 'price: 3%%' (repeatable)",
    ),
    ("--issue", "issues", "6. an issue on the table: 'ISSUE | OUR POSITION | THEIR POSITION' (repeatable)"),
    (
        "--give",
        "tradeables",
        "7. a tradeable: 'ITEM | TYPE | COST | VALUE | ASK IN RETURN | LIMIT', cost and value "
        "low/medium/high, limit optional (repeatable; offer order = order given)",
    ),
    ("--record", "record", "8. something to record after the meeting (repeatable)"),
    ("--tactic", "expected_tactics", "a buyer tactic to expect: 'TACTIC | NOTE', e.g. 'nibble' (repeatable)"),
]
OFFER_ACTIONS = 5
"""As ``coach.review.account_summary.OFFER_ACTIONS`` (named in --help without importing it at start-up)."""
PLAN_HELP = "the meeting plan's number, as `coach prep list` shows it"
"""What PLAN is: the handle every plan verb takes."""
PROFESSIONALISM = ("agenda", "ours", "theirs", "materials", "checklist")
ALTERNATIVES = ("stages", "limits")


class _Ordered(argparse.Action):
    """Append ``(option, value)`` to one shared list so --must/--nice keep their relative order."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        items = list(getattr(namespace, self.dest, None) or [])
        items.append((option_string, values))
        setattr(namespace, self.dest, items)


def _plan_ref(value: str) -> int:
    try:
        number = int(value.strip().lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a meeting plan's number (a whole number, see `coach prep list`), not {value!r}"
        ) from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a meeting plan's number (1 or more), not {value!r}")
    return existing_id(number, "meeting plan")


def _version(value: str) -> int:
    try:
        number = int(value.strip().lstrip("v"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a version number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a version number (1 or more), not {value!r}")
    return existing_id(number, "version")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``coach prep`` and its actions."""
    p = sub.add_parser(
        "prep",
        help="prepare a meeting on the eight principles: plan, versions, YAML, one-page brief",
        description="Prepare a negotiation with a key account on the course's eight principles: what we "
        "want, what we did for them, facts, professionalism, alternatives and walk-away point, the "
        "issues, the give-get concession plan, what to record — plus the buyer tactics to expect. Plans "
        "are saved with every version kept; `coach log review --meeting M` checks the concessions against "
        "the plan.",
    )
    verbs = p.add_subparsers(dest="prep_verb", metavar="ACTION", required=True)
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        metavar="DB",
        help="database: a file, or a team's postgresql:// address (default: COACH_DB, else the data folder)",
    )
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=["en", "zh"], default=None, help="language of the text (default en)")
    parts = argparse.ArgumentParser(add_help=False)
    group = parts.add_argument_group("parts of the plan (each part given replaces that part)")
    group.add_argument("--date", metavar="YYYY-MM-DD", help="meeting date")
    for option, _part, text in PART_OPTIONS:
        group.add_argument(option, dest="items", action=_Ordered, metavar="TEXT", help=text)
    group.add_argument(
        "--walk-away", dest="walk_away", metavar="TEXT", help="5. the walk-away point in words"
    )
    parts.add_argument(
        "--suggest",
        action="store_true",
        help="add the buyer tactics seen with this account (log and role-play) and put the "
        "cheap-to-give, valuable-to-them tradeables first",
    )
    parts.add_argument("--note", metavar="TEXT", help="why this version was saved (kept with the version)")

    new = verbs.add_parser(
        "new",
        parents=[db, parts],
        help="make a plan from options and/or a YAML file",
        description="Make a plan for an account and a meeting. Start from --file (a YAML plan), from "
        "--copy-last (the account's most recent plan), or from nothing, then add parts with the options. "
        "Objectives, the walk-away point and at least one tradeable are required.",
    )
    new.add_argument("--account", help="the customer, e.g. Carrefour (required unless in --file)")
    new.add_argument("--meeting", help="the meeting, e.g. 'annual 2025' (required unless in --file)")
    new.add_argument("--file", metavar="PLAN.yaml", help="start from this YAML plan")
    new.add_argument(
        "--copy-last",
        action="store_true",
        help="start from the latest plan of the same account (checklist ticks cleared)",
    )
    new.add_argument(
        "--from-account",
        action="store_true",
        help="add what the key account's business plan holds: its objectives (ours, as nice-to-have; the "
        f"meeting's must-have still comes from --must) and its open actions (overdue first, at most "
        f"{OFFER_ACTIONS}) as agenda points",
    )
    new.add_argument(
        "--lang",
        choices=["en", "zh"],
        help="language of what the key account offers (default: COACH_LANG, else the locale)",
    )
    new.set_defaults(run=run_new)

    ls = verbs.add_parser("list", parents=[db], help="list plans, most recent meeting first")
    ls.add_argument("--account", help="only this customer")
    ls.add_argument("--json", action="store_true", help='print one JSON object: {"plans": [...]}')
    ls.set_defaults(run=run_list)

    show = verbs.add_parser(
        "show", parents=[db, lang], help="show a plan (the latest version unless --version)"
    )
    show.add_argument("plan", type=_plan_ref, metavar="PLAN", help=PLAN_HELP)
    show.add_argument("--version", type=_version, metavar="N", help="show version N")
    show.add_argument("--history", action="store_true", help="list the plan's versions")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(run=run_show)

    edit = verbs.add_parser(
        "edit",
        parents=[db, parts],
        help="change a plan: options, a YAML file, or $EDITOR; saves a new version",
        description="Save a new version of a plan. Give parts as options (each replaces that part), a whole "
        "plan with --file, or nothing in a terminal to edit the YAML in $VISUAL/$EDITOR. The result is "
        "checked before saving; on any problem nothing is saved.",
    )
    edit.add_argument("plan", type=_plan_ref, metavar="PLAN", help=PLAN_HELP)
    edit.add_argument("--account", help="rename the account")
    edit.add_argument("--meeting", help="rename the meeting")
    edit.add_argument("--file", metavar="PLAN.yaml", help="replace the plan with this YAML plan")
    edit.add_argument(
        "--editor", action="store_true", help="edit the YAML in $VISUAL/$EDITOR (default in a terminal)"
    )
    edit.set_defaults(run=run_edit)

    ex = verbs.add_parser("export", parents=[db], help="write a plan as YAML (edit it, import it back)")
    ex.add_argument("plan", type=_plan_ref, metavar="PLAN", help=PLAN_HELP)
    ex.add_argument("--version", type=_version, metavar="N", help="export version N")
    ex.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    ex.add_argument("--force", action="store_true", help="overwrite --output if it exists")
    ex.set_defaults(run=run_export)

    im = verbs.add_parser(
        "import",
        parents=[db],
        help="save a YAML plan (new plan, or a new version of the plan for its meeting)",
        description="Check a YAML plan and save it: a new plan, or a new version of the plan with the same "
        "account and meeting. Any problem is reported as FILE:LINE:COL: field: message and nothing is saved.",
    )
    im.add_argument("file", metavar="PLAN.yaml", help="the YAML plan")
    im.add_argument("--note", metavar="TEXT", help="why this version was saved")
    im.set_defaults(run=run_import)

    br = verbs.add_parser(
        "brief",
        parents=[db, lang],
        help="write the one-page brief (md or html)",
        description="Write a one-page brief to take into the meeting: objectives, walk-away point, the "
        "concession plan, expected tactics with their counters, facts to cite, and lines to say.",
    )
    br.add_argument("plan", type=_plan_ref, metavar="PLAN", help=PLAN_HELP)
    br.add_argument("--format", choices=("md", "html"), default="md", help="md (default) or html")
    br.add_argument("--version", type=_version, metavar="N", help="brief of version N")
    br.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    br.add_argument("--force", action="store_true", help="overwrite --output if it exists")
    playbook_options(br)
    br.set_defaults(run=run_brief)


# --------------------------------------------------------------------------------------------- helpers


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or "en"


def _part_items(args: argparse.Namespace) -> dict[str, list[Any]]:
    """Items given as options, parsed and checked one by one; keys are part names."""

    by_part: dict[str, list[tuple[str, str]]] = {}
    option_part = {option: part for option, part, _ in PART_OPTIONS}
    for option, value in getattr(args, "items", None) or []:
        part = option_part[option]
        if part == "objectives":
            value = f"{option.lstrip('-')}: {value}"
        by_part.setdefault(part, []).append((option, value))
    out: dict[str, list[Any]] = {}
    for part, given in by_part.items():
        options = sorted({o for o, _ in given})
        label = "/".join(options)
        lines = [" ".join(v.split()) or "?" for _, v in given]  # an empty option is an error, not skipped
        out[part] = parse_items(part, lines, label=label)
    return out


def _apply(data: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """``data`` (a plan's body) with the parts given as options replacing their parts."""
    data = {
        **data,
        "professionalism": dict(data.get("professionalism") or {}),
        "alternatives": dict(data.get("alternatives") or {}),
    }
    for name in ("account", "meeting"):
        value = getattr(args, name, None)
        if value is not None:
            data[name] = value
    if getattr(args, "date", None) is not None:
        data["date"] = args.date or None
    if getattr(args, "walk_away", None) is not None:
        data["alternatives"]["walk_away"] = args.walk_away or None
    for part, items in _part_items(args).items():
        if part in PROFESSIONALISM:
            data["professionalism"][part] = items
        elif part in ALTERNATIVES:
            data["alternatives"][part] = items
        else:
            data[part] = items
    return data


def _changes_given(args: argparse.Namespace) -> bool:
    return (
        bool(getattr(args, "items", None))
        or any(
            getattr(args, name, None) is not None
            for name in ("account", "meeting", "date", "walk_away", "file")
        )
        or bool(getattr(args, "suggest", False))
    )


def _fills_parts(args: argparse.Namespace) -> bool:
    """True when options give parts of the plan (a file may then leave those parts empty)."""
    return bool(getattr(args, "items", None)) or getattr(args, "walk_away", None) is not None


def _read_yaml(path_text: str, *, complete: bool):  # noqa: ANN202
    """A plan from a YAML file, every problem located; ``complete`` also requires the required parts (without
    it, the file is checked on its own so positions point into it, and options are applied on top later)."""

    return load_yaml_file(Path(path_text).expanduser(), path_text, complete=complete)


def suggestions_for(conn, plan) -> list:  # noqa: ANN001
    """Moved to ``coach.services.prep.suggestions_for``; this name stays only until the tests written
    against the verb module use the service (then it goes)."""

    return service_suggestions(conn, plan)


def _say(text: str, *, err: bool = False) -> None:
    print(safe(text), file=sys.stderr if err else sys.stdout)


# ------------------------------------------------------------------------------------------------- new


def run_new(args: argparse.Namespace) -> int:
    """Build, check and save a new plan; prints its id."""

    if args.file and args.copy_last:
        raise CoachError("--file and --copy-last: give one of them")
    base: dict[str, Any] = {}
    if args.file:
        base = _read_yaml(args.file, complete=not _fills_parts(args)).body()
    data = _apply(base, args)
    for name in ("account", "meeting"):
        if not str(data.get(name) or "").strip():
            raise CoachError(f"--{name}: required", "say which customer and which meeting the plan is for")
    lang = args.lang or _locale_lang()
    with session(getattr(args, "db", None)) as conn:
        copied_from = None
        if args.copy_last:
            last = store.last_for_account(conn, data["account"])
            if last is None:
                raise CoachError(
                    f"--copy-last: there is no earlier plan for {data['account']}",
                    "make the first one without --copy-last",
                )
            copied = copy_for_meeting(last.plan, data["meeting"], data.get("date")).body()
            data = _apply(copied, args)
            copied_from = last.id
            _say(
                tr(lang, "prep.said.copied", plan=plan_name(last.id, last.plan, lang), version=last.version),
                err=True,
            )
        offered = account_offer(conn, data["account"], data.get("date"))
        if args.from_account:
            if offered is None:
                raise CoachError(
                    f"--from-account: {' '.join(str(data['account']).split())!r} is not a key account; "
                    "nothing was saved",
                    "add it with `coach account add NAME --tier TIER`, or leave out --from-account",
                )

            data = with_offer(data, offered, lang)
        plan = validate(data, "plan")
        changes: list[str] = []
        if args.suggest:
            plan, changes = apply_suggestions(conn, plan)
        try:
            require_complete(plan)
        except MissingParts as exc:
            if offered is None or offered.empty or args.from_account:
                raise
            raise CoachError(
                exc.message,
                f"{exc.hint}; --from-account adds the objectives and open actions of "
                f"{offered.map.account.name}'s business plan",
            ) from None
        plan_id = store.create(conn, plan, note=args.note, copied_from=copied_from)
        for line in changes:
            _say(line, err=True)
        if not args.suggest:
            _hint_suggestions(conn, plan, plan_id, lang)
        if offered is not None and not offered.empty:
            _say(offer_text(offered, lang, added=args.from_account), err=True)
    print(plan_id)
    return 0


def _locale_lang() -> str:
    return default_lang()


def account_offer(conn, account: str, meeting_date: str | None):  # noqa: ANN001, ANN201
    """What the key account offers the plan (``coach.services.accounts.offer``), or None."""

    return offer(conn, account, meeting_date=meeting_date)


def offer_text(offered, lang: str, *, added: bool = False) -> str:  # noqa: ANN001
    """What the key account offers, a few lines for standard error."""

    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    lines = [offer_head(offered, lang)]
    lines += [f"  {label}{colon}" + sep.join(items) for label, items in offer_lines(offered, lang)]
    lines.append("  " + tr(lang, "prep.offer.added" if added else "prep.offer.hint"))
    return "\n".join(lines)


def _hint_suggestions(conn, plan, plan_id: int, lang: str = "en") -> None:  # noqa: ANN001
    found = service_suggestions(conn, plan)
    if found:
        sep = "；" if lang == "zh" else "; "
        tactics = sep.join(named_suggestions(found, lang))
        _say(
            tr(lang, "prep.hint.tactics", tactics=tactics, command=f"coach prep edit {plan_id} --suggest"),
            err=True,
        )


# ------------------------------------------------------------------------------------------------ list


def run_list(args: argparse.Namespace) -> int:
    """Print the plans (text or JSON)."""

    with session(getattr(args, "db", None)) as conn:
        found = store.list_plans(conn, (args.account or "").strip() or None)
    if args.json:
        print_json({"plans": [s.as_dict() for s in found]})
        return 0
    if not found:
        print("No plans yet. Make one with `coach prep new --account A --meeting M ...`.")
        return 0
    for s in found:
        _say(
            f"#{s.id}  {s.date or '----------'}  {s.account} / {s.meeting}  v{s.versions}  "
            f"saved {local_time(s.updated_at)}"
        )
    return 0


# ------------------------------------------------------------------------------------------------ show


def plan_name(plan_id: int, plan, lang: str = "en") -> str:  # noqa: ANN001
    """A saved meeting plan as messages name it: its number (the handle the verbs take, as `coach prep list`
    shows it) with the account, the meeting and its date — ``meeting plan 1 (Huamei, Q3 meeting,
    2027-07-14)``."""
    what = tr(lang, "prep.said.sep").join(x for x in (plan.account, plan.meeting, plan.date) if x)
    return tr(lang, "prep.said.name", id=plan_id, what=what)


def plan_text(stored, lang: str = "en", suggestions: list[str] | None = None) -> str:  # noqa: ANN001
    """A saved plan as readable text: each part with its items in the one-per-line format."""

    plan = stored.plan
    names = PART_NAMES[lang]
    saved = local_time(stored.saved_at)
    lines = [
        tr(
            lang,
            "prep.show.head",
            id=stored.id,
            account=plan.account,
            meeting=plan.meeting,
            date=f" · {plan.date}" if plan.date else "",
            version=stored.version,
            latest=stored.latest,
            saved=saved,
        )
    ]
    if not stored.is_latest:
        lines.append(tr(lang, "prep.show.old", latest=stored.latest))
    if stored.note:
        lines.append(tr(lang, "prep.show.note", note=stored.note))
    p, a = plan.professionalism, plan.alternatives
    content: dict[str, list[str]] = {
        "objectives": [item_line("objectives", o) for o in plan.objectives],
        "value_delivered": list(plan.value_delivered),
        "facts": [item_line("facts", f) for f in plan.facts],
        "professionalism": [
            f"{key}: {item_line(key, i)}"
            for key in ("agenda", "ours", "theirs", "materials", "checklist")
            for i in getattr(p, key)
        ],
        "alternatives": ([tr(lang, "prep.show.walk", text=a.walk_away)] if a.walk_away else [])
        + [f"limit {item_line('limits', x)}" for x in a.limits]
        + [item_line("stages", s) for s in a.stages],
        "issues": [item_line("issues", i) for i in plan.issues],
        "tradeables": [f"{n}. {item_line('tradeables', x)}" for n, x in enumerate(plan.tradeables, 1)],
        "record": list(plan.record),
    }
    for n, (part, _rule) in enumerate(PARTS, 1):
        lines += ["", f"{n}. {names[part]}"]
        lines += [f"   {x}" for x in content[part]] or [f"   {tr(lang, 'prep.show.empty')}"]
    lines += ["", names["expected_tactics"]]
    lines += [f"   {item_line('expected_tactics', e)}" for e in plan.expected_tactics] or [
        f"   {tr(lang, 'prep.show.empty')}"
    ]
    missing = missing_parts(plan)
    if missing:
        lines += ["", tr(lang, "prep.show.missing", parts="; ".join(f"{k}: {m}" for k, m in missing))]
    left = gaps(plan)
    if left:
        lines += [
            "",
            tr(lang, "prep.show.gaps", parts=tr(lang, "list.sep").join(names[g] for g in left)),
        ]
    if suggestions:
        lines += ["", tr(lang, "prep.show.suggest", id=stored.id)] + [f"   {s}" for s in suggestions]
    return "\n".join(lines)


def run_show(args: argparse.Namespace) -> int:
    """Print one version of a plan, or its history."""
    lang = _lang(args)
    with session(getattr(args, "db", None)) as conn:
        if args.history:
            versions = store.history(conn, args.plan)
            named = plan_name(args.plan, store.get(conn, args.plan).plan, lang)
            if args.json:
                print_json(
                    {
                        "plan": args.plan,
                        "versions": [{"version": v, "saved_at": s, "note": n} for v, s, n in versions],
                    }
                )
            else:
                _say(tr(lang, "prep.show.history", plan=named))
                for v, s, n in versions:
                    _say(f"  v{v}  {local_time(s)}" + (f"  {n}" if n else ""))
            return 0
        stored = store.get(conn, args.plan, args.version)
        found = service_suggestions(conn, stored.plan) if stored.is_latest else []
    if args.json:
        print_json(
            {
                "plan": stored.id,
                "version": stored.version,
                "latest": stored.latest,
                "saved_at": stored.saved_at,
                "note": stored.note,
                "copied_from": stored.copied_from,
                "body": stored.plan.body(),
                "missing": [{"part": k, "message": m} for k, m in missing_parts(stored.plan)],
                "gaps": gaps(stored.plan),
                "suggested_tactics": [
                    {"tactic": s.tactic, "in_log": s.in_log, "in_roleplay": s.in_roleplay} for s in found
                ],
            }
        )
        return 0
    _say(plan_text(stored, lang, named_suggestions(found, lang)))
    return 0


# ------------------------------------------------------------------------------------------------ edit


def run_edit(args: argparse.Namespace) -> int:
    """Save a new version from options, a file, or the editor; nothing is saved unless it all checks out."""

    edited: Path | None = None  # the editor's file: removed only once its plan is saved
    with session(getattr(args, "db", None)) as conn:
        try:
            current = store.get(conn, args.plan)
            if args.editor or not _changes_given(args):
                if not args.editor and not (sys.stdin.isatty() and sys.stdout.isatty()):
                    raise CoachError(
                        "nothing to change",
                        "give parts as options, a plan with --file, or run it in a terminal to use $EDITOR",
                    )
                plan, edited = _edit_in_editor(current)
                if plan is None:
                    return 0
                if _changes_given(args):
                    plan = validate(_apply(plan.body(), args), "plan")
            else:
                base = (
                    _read_yaml(args.file, complete=not _fills_parts(args)).body()
                    if args.file
                    else current.plan.body()
                )
                plan = validate(_apply(base, args), "plan")
            changes: list[str] = []
            if args.suggest:
                plan, changes = apply_suggestions(conn, plan)
            require_complete(plan)
            version, changed = store.save_version(
                conn, current.id, plan, base_version=current.version, note=args.note
            )
        except CoachError as exc:
            if edited is None:
                raise
            raise CoachError(exc.one_line(), f"nothing was saved; your edits are in {edited}") from None
    if edited is not None:
        edited.unlink(missing_ok=True)
    for line in changes:
        _say(line, err=True)
    named = plan_name(current.id, plan, _lang(args))
    print(
        tr(_lang(args), "prep.said.saved" if changed else "prep.said.unchanged", plan=named, version=version)
    )
    return 0


def _editor_command() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ("notepad" if os.name == "nt" else "vi")
    try:
        return shlex.split(editor, posix=os.name != "nt")
    except ValueError:
        raise CoachError(f"$EDITOR: cannot read {editor!r} as a command") from None


def _read_edits(path: Path, plan_id: int) -> str:
    """The text the editor left in ``path``; anything that is not readable UTF-8 text is one line that says
    where the user's edits are (kept, in whatever form the editor left them)."""

    try:
        raw = read_bytes(path, 1_000_000, str(path))
    except FileProblem as exc:
        if not os.path.lexists(path):
            raise CoachError(f"{path}: the editor removed the file; nothing was saved") from None
        raise CoachError(f"{exc.one_line()}; nothing was saved (your edits are in {path})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CoachError(
            f"{path}: the editor saved it in an encoding other than UTF-8 (byte {exc.start}); "
            "nothing was saved",
            f"your edits are in {path}; save it as UTF-8 and run `coach prep edit {plan_id} --file {path}`",
        ) from None


def _differs(path: Path, original: str) -> bool:
    """Whether ``path`` may hold anything but ``original`` (unreadable counts as yes: keep it)."""
    try:
        return path.read_text(encoding="utf-8-sig") != original
    except (OSError, UnicodeDecodeError):
        return True


def _edit_in_editor(current):  # noqa: ANN001, ANN202
    """Open the plan's YAML in the editor until it checks out or the user gives up; returns (plan, file) or
    (None, None). The file is the caller's to remove once the plan is saved.

    The file is never removed while it may hold the user's typing: when they give up with edits in it,
    when it cannot be read back (another encoding, a folder put in its place), or when saving fails.
    """

    original = to_yaml(current.plan)
    fd, tmp = tempfile.mkstemp(prefix=f"coach-plan-{current.id}-", suffix=".yaml")
    path = Path(tmp)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(original)
    keep = True  # until the file is known to hold nothing but the original text
    try:
        while True:
            try:
                command = [*_editor_command(), str(path)]
                code = subprocess.call(command)
            except (OSError, CoachError) as exc:
                keep = _differs(path, original)  # a later round: the file holds the edits made so far
                if isinstance(exc, CoachError):
                    raise
                raise CoachError(
                    f"$EDITOR: cannot run {command[0]!r} ({exc.strerror or exc})",
                    "set EDITOR, or use `coach prep export` and `coach prep import`",
                ) from None
            text = _read_edits(path, current.id)
            if code != 0:
                keep = text != original
                raise CoachError(
                    f"the editor exited with code {code}; nothing was saved"
                    + (f" (your edits are in {path})" if keep else "")
                )
            if text == original:
                keep = False
                print("no changes; nothing saved")
                return None, None
            try:
                return load_yaml_text(text, str(path)), path
            except PlanError as exc:
                for problem in exc.problems:
                    _say(f"coach: {problem}", err=True)
                sys.stderr.write("Edit again? [Y/n] ")  # stderr: standard output stays for results
                sys.stderr.flush()
                line = sys.stdin.readline()
                answer = line.strip().casefold() if line else "n"  # end of input: give up, keep the file
                if answer in ("n", "no", "否"):
                    _say(f"nothing saved; your edits are in {path}", err=True)
                    return None, None
    finally:
        if not keep:
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------- export/import


def run_export(args: argparse.Namespace) -> int:
    """Write a plan version as YAML."""

    with session(getattr(args, "db", None)) as conn:
        stored = store.get(conn, args.plan, args.version)
    text = to_yaml(stored.plan)
    if args.output:
        write_output(args.output, text, force=args.force)
        named = plan_name(stored.id, stored.plan, _lang(args))
        _say(
            tr(_lang(args), "prep.said.exported", plan=named, version=stored.version, file=args.output),
            err=True,
        )
    else:
        sys.stdout.write(text)
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Check a YAML plan, then save it as a new plan or a new version."""

    plan = _read_yaml(args.file, complete=True)
    with session(getattr(args, "db", None)) as conn:
        plan_id, version, changed = store.save(conn, plan, note=args.note)
    lang = _lang(args)
    named = plan_name(plan_id, plan, lang)
    if version == 1 and changed:
        print(tr(lang, "prep.said.created", plan=named))
    else:
        print(tr(lang, "prep.said.saved" if changed else "prep.said.unchanged", plan=named, version=version))
    return 0


# ----------------------------------------------------------------------------------------------- brief


def run_brief(args: argparse.Namespace) -> int:
    """Write the one-page brief (with who is in the room when the plan's account is a key account)."""

    lang = _lang(args)
    with session(getattr(args, "db", None)) as conn:
        stored = store.get(conn, args.plan, args.version)
        room = meeting_room(conn, stored.plan.account, stored.plan.professionalism.theirs)
    notes = playbook_guidance(guidance_ids(stored.plan), args.playbooks)
    people = room_section(room, lang) if room is not None else None
    text = render(
        stored.plan, notes, args.format, lang, plan_id=stored.id, version=stored.version, people=people
    )
    if args.output:
        write_output(args.output, text, force=args.force)
        named = plan_name(stored.id, stored.plan, lang)
        _say(tr(lang, "prep.said.brief", plan=named, file=args.output), err=True)
    else:
        sys.stdout.write(text)
    return 0
