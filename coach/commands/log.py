"""``coach log``: record concessions, list them, review what they bought, export and import the log."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from coach import locations
from coach.commands.common import existing_id, playbook_options, print_json, read_stdin, safe
from coach.domain.concessions import parse_when
from coach.domain.suggest import did_you_mean
from coach.errors import CoachError
from coach.files import check_target, read_bytes, write_output
from coach.i18n import tr
from coach.review.concessions import (
    STAGE_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    advice_from_rules,
    amount,
    entry_line,
    render_text,
    to_json,
)
from coach.services.log_review import log_review
from coach.store.concession_rows import FIELDS, Filter, paused_gc, select
from coach.store.db import session

ENTRY_OPTIONS = {
    "when": "when it was made: YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (default: now)",
    "account": "the customer, e.g. Carrefour (required)",
    "meeting": "the negotiation or meeting it belongs to, e.g. 'annual 2025'",
    "type": "what kind: price, payment-terms, listing-fee, promotion, free-goods, display, service, other "
    "(required)",
    "give": "what was given, in words (required)",
    "value": "how much was given (a number, zero or more)",
    "unit": "unit of --value: percent (or %%), days, units, or a currency code such as CNY",
    "get": "what was received in return (leave out if nothing)",
    "get_value": "how much was received (a number)",
    "get_unit": "unit of --get-value",
    "asked_by": "who asked for it",
    "tactic": "buyer tactic in play: a taxonomy id such as tactic.nibble or tactic.deadline-pressure "
    "(or just nibble)",
    "stage": "opening, bargaining (default), closing or after-deal",
    "status": "offered, agreed (default) or withdrawn",
    "note": "free notes (at most 10,000 characters); `-` reads them from standard input",
}
FORMATS = ("csv", "json", "md")


def _option(field: str) -> str:
    return "--" + field.replace("_", "-")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb and its sub-verbs."""
    p = sub.add_parser(
        "log",
        help="the concession log: add, list, review, export, import",
        description="Log every concession you make to a customer and review what each one bought you "
        "(principle 7: use concessions well; principle 8: keep records). Entries are never edited or "
        "deleted: corrections and withdrawals are new entries that refer to the old one.",
    )
    verbs = p.add_subparsers(dest="log_verb", metavar="ACTION", required=True)

    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        metavar="DB",
        help="database: a file, or a team's postgresql:// address (default: COACH_DB, else the data folder)",
    )
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--account", help="only this customer (case does not matter)")
    filters.add_argument("--meeting", help="only this negotiation or meeting")
    filters.add_argument("--since", metavar="DATE", help="only entries on or after DATE (YYYY-MM-DD)")
    filters.add_argument("--until", metavar="DATE", help="only entries on or before DATE (YYYY-MM-DD)")
    filters.add_argument("--practice", action="store_true", help="only role-play (practice) entries")
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the text (default en)")

    add = verbs.add_parser(
        "add",
        parents=[db],
        help="record a concession; prints its id",
        description="Record one concession and print its id. Give what you received in return with --get "
        "(and --get-value/--get-unit); leaving it out records that nothing came back.",
    )
    for field, text in ENTRY_OPTIONS.items():
        add.add_argument(_option(field), dest=field, metavar=field.split("_")[-1].upper(), help=text)
    add.add_argument(
        "--practice", action="store_true", default=None, help="made in role-play: kept out of real figures"
    )
    fix = add.add_mutually_exclusive_group()
    fix.add_argument(
        "--corrects",
        type=_entry_id,
        metavar="ID",
        help="this entry corrects entry ID: its fields are copied, the options given replace them",
    )
    fix.add_argument("--withdraws", type=_entry_id, metavar="ID", help="record that entry ID was withdrawn")
    add.set_defaults(run=run_add)

    ls = verbs.add_parser(
        "list",
        parents=[db, filters, lang],
        help="list entries, oldest first",
        description="List logged concessions, oldest first (current versions only unless --history).",
    )
    ls.add_argument(
        "--history", action="store_true", help="also show entries that were corrected or withdrawn"
    )
    ls.add_argument("--json", action="store_true", help='print one JSON object: {"entries": [...]}')
    ls.set_defaults(run=run_list)

    rv = verbs.add_parser(
        "review",
        parents=[db, filters, lang],
        help="what the concessions bought",
        description="Totals given and received, the share that got something back, concessions "
        "that got nothing (with principle 7's advice), concessions under buyer tactics (with the "
        "counter), size sequences per negotiation, and concessions after the deal.",
    )
    rv.add_argument("--json", action="store_true", help="print the same figures as one JSON object")
    playbook_options(rv)
    rv.set_defaults(run=run_review)

    ex = verbs.add_parser(
        "export",
        parents=[db, filters, lang],
        help="write the log as csv, json or markdown",
        description="Write every entry, corrections and withdrawals included, to standard output "
        "or --output. `coach log import` reads the csv back.",
    )
    ex.add_argument("--format", choices=FORMATS, required=True, help="csv, json or md")
    ex.add_argument(
        "--output", "-o", metavar="FILE", help="write to FILE (csv gets a byte-order mark for Excel)"
    )
    ex.add_argument("--force", action="store_true", help="overwrite --output if it exists")
    ex.add_argument(
        "--current", action="store_true", help="only current versions (leave out replaced entries)"
    )
    ex.set_defaults(run=run_export)

    im = verbs.add_parser(
        "import",
        parents=[db],
        help="add the entries of a csv file",
        description="Add the entries of a csv file (as written by `coach log export --format "
        "csv`, or made by hand with at least account, type and give columns). The whole file "
        "is checked first; if any row is bad nothing is written. Entries already in the "
        "database (same uid) are skipped.",
    )
    im.add_argument("file", metavar="FILE.csv", help="the csv file")
    im.set_defaults(run=run_import)


def _entry_id(value: str) -> int:
    try:
        number = int(value.lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an entry id (a whole number), not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected an entry id (1 or more), not {value!r}")
    return existing_id(number, "entry")


def _cli_error(exc: Exception, corrects: str = "--corrects") -> CoachError:
    from coach.store.concessions import InvalidEntry  # deferred: the entry model's pydantic, for writes only

    if not isinstance(exc, InvalidEntry):
        return exc if isinstance(exc, CoachError) else CoachError(str(exc))
    name = {"supersedes": corrects, "entry": "entry"}.get(exc.field, _option(exc.field))
    return CoachError(f"{name}: {exc.reason}")


# ------------------------------------------------------------------------------------------------- add


def run_add(args: argparse.Namespace) -> int:
    """Validate the options, save the entry, print its id."""
    from coach.store import concessions as store  # deferred: pydantic stays out of log list and review

    given: dict[str, Any] = {f: getattr(args, f) for f in ENTRY_OPTIONS if getattr(args, f) is not None}
    if given.get("note") == "-":
        given["note"] = read_stdin("--note -")
    if args.practice:
        given["practice"] = True
    old_id = args.corrects or args.withdraws
    flag = "--corrects" if args.corrects else "--withdraws"
    if old_id is None:
        for required in ("account", "type", "give"):
            if required not in given:
                raise CoachError(f"{_option(required)}: required", "see `coach log add --help`")
    try:
        if old_id is None:  # validated before the database is opened: bad input creates no file
            entry = store.validate_entry(given)
            if entry.status == "withdrawn":
                raise CoachError("--status: withdrawn needs the entry it withdraws", "use --withdraws ID")
        with session(args.db) as conn:
            if old_id is not None:
                old = store.get(conn, old_id)
                if old is None:
                    raise CoachError(f"{flag}: there is no entry #{old_id}", "see `coach log list --history`")
                if args.withdraws:
                    if old.status == "withdrawn":
                        raise CoachError(f"--withdraws: entry #{old_id} is already withdrawn")
                    given["status"] = "withdrawn"
                entry = store.correction(old, given)
            new_id = store.add(conn, entry)
    except CoachError as exc:
        raise _cli_error(exc, flag) from None
    print(new_id)
    return 0


# ------------------------------------------------------------------------------------------------ list


def _filter(args: argparse.Namespace, *, history: bool = False) -> Filter:
    dates = {}
    for name in ("since", "until"):
        raw = getattr(args, name)
        if raw:
            try:
                dates[name] = parse_when(raw)[:10]
            except ValueError as exc:
                raise CoachError(f"--{name}: {exc}") from None
    return Filter(
        account=(args.account or "").strip() or None,
        meeting=(args.meeting or "").strip() or None,
        since=dates.get("since"),
        until=dates.get("until"),
        practice=True if args.practice else False,
        history=history,
    )


def _rows(args: argparse.Namespace, *, history: bool = False) -> list:
    flt = _filter(args, history=history)
    with session(args.db) as conn:
        return select(conn, flt)


def list_line(row, lang: str) -> str:  # noqa: ANN001
    """One entry for ``coach log list``: the review's entry line plus stage, status, tactic and links."""
    parts = [entry_line(row, lang), STAGE_LABELS[lang][row.stage], STATUS_LABELS[lang][row.status]]
    if row.tactic:
        parts.append(row.tactic)
    if row.asked_by:
        parts.append(tr(lang, "log.list.asked-by", who=row.asked_by))
    if row.practice:
        parts.append(tr(lang, "log.list.practice"))
    if row.supersedes:
        parts.append(tr(lang, "log.list.replaces", id=row.supersedes))
    if row.superseded_by:
        parts.append(tr(lang, "log.list.replaced-by", id=row.superseded_by))
    line = "  ·  ".join(parts)
    if row.note:
        note = " / ".join(row.note.splitlines())
        line += "\n      " + (note if len(note) <= 300 else note[:300] + "…")
    return line


def run_list(args: argparse.Namespace) -> int:
    """Print the entries (text or one JSON object)."""
    rows = _rows(args, history=args.history)
    if args.json:
        print_json({"entries": [r.as_dict() for r in rows]})
        return 0
    if not rows:
        print("No entries." if args.lang == "en" else "没有记录。")
        return 0
    out = sys.stdout
    for row in rows:
        out.write(safe(list_line(row, args.lang)) + "\n")
    return 0


# ---------------------------------------------------------------------------------------------- review


def playbook_advice(args: argparse.Namespace):  # noqa: ANN202
    """Principle 7's advice and every taxonomy id's counter from the playbooks (or built-in text)."""
    from coach.content import compiled  # deferred: the playbook cache and the engine, only for advice

    try:
        # Rules that loaded are used even if another file has a problem: the review must not depend on it.
        found = compiled.load(locations.user_playbook_dirs(getattr(args, "playbooks", None)))
        rules, tax = found.rule_views(), found.taxonomy  # text only: views of the cache, not models
    except CoachError:
        from coach.content.loader import taxonomy  # deferred: yaml, only when the playbooks cannot be read

        rules, tax = {}, taxonomy()
    situations = [s for group in tax["situations"].values() for s in group]
    return advice_from_rules(rules, situations)


def _scope(args: argparse.Namespace) -> tuple[str | None, dict[str, Any]]:
    parts = [p for p in (args.account, args.meeting) if p]
    label = " / ".join(parts) or None
    if args.practice:
        label = (label or ("all accounts" if args.lang == "en" else "全部客户")) + (
            " (practice)" if args.lang == "en" else "（练习）"
        )
    scope = {k: getattr(args, k) for k in ("account", "meeting", "since", "until") if getattr(args, k)}
    scope["practice"] = bool(args.practice)
    return label, scope


def run_review(args: argparse.Namespace) -> int:
    """Print the review (text or one JSON object); with ``--meeting``, each plan saved for the meeting
    checked against its concessions too."""
    label, scope = _scope(args)
    flt = _filter(args)
    meeting = (args.meeting or "").strip()
    with session(args.db) as conn, paused_gc():
        rv = log_review(conn, flt, lambda: playbook_advice(args), every_id=args.json)
        plan = None
        if meeting:  # the concessions checked against the meeting's plans
            from coach.services.plan_check import (  # deferred: yaml and pydantic, only for --meeting
                meeting_plan_review,
            )

            plan = meeting_plan_review(
                conn, select(conn, flt), meeting=meeting, account=args.account, lang=args.lang or "en"
            )
        if args.json:
            print_json({**to_json(rv, args.lang, scope), **(plan[1] if plan else {})})
        else:
            print(safe(render_text(rv, args.lang, label) + (f"\n\n{plan[0]}" if plan else "")))
    return 0


# ---------------------------------------------------------------------------------------------- export

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
"""Cells a spreadsheet would run as a formula; written with a leading ' (removed again on import)."""
TEXT_FIELDS = ("account", "meeting", "give", "get", "asked_by", "note")


def _cell(field: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    if field in TEXT_FIELDS and _FORMULA.match(text):
        return "'" + text
    return text


def export_csv(rows: list) -> str:
    """The entries as CSV text (header = ``store.concession_rows.FIELDS``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([_cell(f, getattr(row, f)) for f in FIELDS])
    return buf.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")


def _md(text: str) -> str:
    """Table-cell text that a Markdown viewer shows literally (no emphasis, links, HTML or new cells)."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "<br>")


MD_COLUMNS = (
    "n",
    "when",
    "account",
    "meeting",
    "type",
    "give",
    "amount",
    "get",
    "get_amount",
    "tactic",
    "stage",
    "status",
    "asked_by",
    "note",
    "replaces",
)
"""The columns of the Markdown export, in order (their headings are log.md.col.* in coach/i18n)."""


def export_md(rows: list, lang: str) -> str:
    """The entries as a Markdown table."""
    head = [tr(lang, f"log.md.col.{c}") for c in MD_COLUMNS]
    title = tr(lang, "log.md.title")
    lines = [f"# {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [
            str(r.id),
            r.when,
            _md(r.account),
            _md(r.meeting or ""),
            TYPE_LABELS[lang][r.type],
            _md(r.give),
            amount(r.value, r.unit, lang),
            _md(r.get or ("—")),
            amount(r.get_value, r.get_unit, lang),
            r.tactic or "",
            STAGE_LABELS[lang][r.stage],
            STATUS_LABELS[lang][r.status],
            _md(r.asked_by or ""),
            _md(r.note or ""),
            f"#{r.supersedes}" if r.supersedes else "",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def run_export(args: argparse.Namespace) -> int:
    """Write the entries in the chosen format."""
    if args.output:
        check_target(Path(args.output).expanduser(), force=args.force)  # before the database is opened
    rows = _rows(args, history=not args.current)
    if args.format == "csv":
        text = export_csv(rows)
    elif args.format == "json":
        text = json.dumps({"entries": [r.as_dict() for r in rows]}, ensure_ascii=False, indent=1) + "\n"
    else:
        text = export_md(rows, args.lang)
    if args.output:
        write_output(args.output, text, bom=args.format == "csv", force=args.force)
        print(tr("en", "log.export.wrote", n=len(rows), path=args.output), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# ---------------------------------------------------------------------------------------------- import

_IMPORT_ONLY = ("id", "uid", "recorded_at", "supersedes")
MAX_IMPORT_BYTES = 50_000_000
"""Largest csv file imported (far more than years of a team's log)."""
_UID = re.compile(r"^[0-9A-Za-z-]{1,64}$")
_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"", "0", "false", "no", "n", "否"}


def _import_int(value: str, column: str, where: str) -> int | None:
    from coach.store.concessions import InvalidEntry  # deferred: the entry model's pydantic, for writes only

    text = value.strip().lstrip("#")
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise InvalidEntry(column, f"expected an entry id (a whole number), not {value[:40]!r}", where)
    return int(text)


def read_csv(text: str, name: str) -> list:
    """Parse and validate every row of an import file; the first problem stops it, naming line and column."""
    from coach.store.concessions import (  # deferred: pydantic, for writes only
        Imported,
        InvalidEntry,
        validate_entry,
    )

    csv.field_size_limit(64 * 1024 * 1024)  # oversized notes are reported by validation, naming the field
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CoachError(f"{name}:1: not a readable csv file ({exc})") from None
    if not header or not any(h.strip() for h in header):
        raise CoachError(f"{name}: empty file; expected a header line with account, type, give, ...")
    columns = [h.strip().casefold().replace("-", "_").replace(" ", "_") for h in header]
    for col in columns:
        if col not in FIELDS:
            hint = did_you_mean(col, FIELDS)
            shown = col if len(col) <= 40 else col[:40] + "…"
            raise CoachError(f"{name}:1: unknown column {shown!r} ({hint}columns: {', '.join(FIELDS)})")
    if len(set(columns)) != len(columns):
        raise CoachError(f"{name}:1: a column appears twice")
    missing = [c for c in ("account", "type", "give") if c not in columns]
    if missing:
        raise CoachError(f"{name}:1: missing column {missing[0]!r} (account, type and give are required)")
    out = []
    by_uid: dict[str, Any] = {}
    line = 1
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CoachError(f"{name}:{reader.line_num}: not readable as csv ({exc})") from None
        line = start
        where = f"{name}:{line}: "
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(columns):
            raise CoachError(f"{where}expected {len(columns)} cells, found {len(record)}")
        cells = dict(zip(columns, record, strict=True))
        data: dict[str, Any] = {}
        for col, value in cells.items():
            if col in _IMPORT_ONLY:
                continue
            if col == "practice":
                flag = value.strip().casefold()
                if flag not in _TRUE | _FALSE:
                    raise InvalidEntry("practice", f"expected 1 or 0, not {value[:20]!r}", where)
                data["practice"] = flag in _TRUE
                continue
            if col in TEXT_FIELDS and value.startswith("'") and _FORMULA.match(value):
                value = value[1:]
            if value.strip() or col in ("account", "type", "give"):
                data[col] = value
        entry = validate_entry(data, where)
        uid = cells.get("uid", "").strip() or None
        if uid and not _UID.match(uid):
            raise InvalidEntry("uid", "expected letters, digits and dashes (at most 64)", where)
        recorded = cells.get("recorded_at", "").strip() or None
        if recorded:
            try:
                datetime.fromisoformat(recorded)
            except ValueError:
                raise InvalidEntry(
                    "recorded_at", f"{recorded[:40]!r} is not an ISO date-time", where
                ) from None
        row = Imported(
            entry,
            where,
            _import_int(cells.get("id", ""), "id", where),
            uid,
            recorded,
            _import_int(cells.get("supersedes", ""), "supersedes", where),
        )
        if uid and uid in by_uid:  # the same entry twice is harmless; two different ones are a conflict
            first = by_uid[uid]
            if (first.entry, first.file_id, first.recorded_at, first.file_supersedes) != (
                row.entry,
                row.file_id,
                row.recorded_at,
                row.file_supersedes,
            ):
                raise CoachError(
                    f"{where}uid {uid} is also on {first.where.rstrip(': ')} with different values; "
                    "nothing was imported",
                    "keep one of the two rows, or give one a new uid, then import the file again",
                )
        elif uid:
            by_uid[uid] = row
        out.append(row)
    return out


def run_import(args: argparse.Namespace) -> int:
    """Validate the whole file, then add its entries in one transaction."""
    from coach.store.concessions import import_entries  # deferred: pydantic, for writes only

    raw = read_bytes(Path(args.file).expanduser(), MAX_IMPORT_BYTES, args.file)  # kind and size first
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CoachError(
            f"{args.file}: not UTF-8 text (byte {exc.start})", "save it as 'CSV UTF-8'"
        ) from None
    rows = read_csv(text, args.file)
    with session(args.db) as conn:
        added, skipped = import_entries(conn, rows)
    msg = f"imported {added} entr{'y' if added == 1 else 'ies'}"
    if skipped:
        msg += f"; {skipped} already in the database, skipped"
    print(msg)
    return 0
