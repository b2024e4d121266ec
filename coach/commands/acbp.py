"""``coach acbp ACTION ACCOUNT ...``: the annual customer business plan (年度客户业务计划), its scorecard
(打分卡) and the quarterly and annual business reviews; YAML out and in
so a plan can be edited in an editor."""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Any

from coach.commands.account import default_lang
from coach.commands.common import print_json, safe
from coach.content.business_plans import (
    STARTERS,
    BusinessPlanError,
    empty_plan,
    kpi_from_starter,
    load_yaml_file,
    replace_kpi,
    to_yaml,
    validate_kpi,
    validate_review,
)
from coach.errors import CoachError
from coach.files import check_target, write_output
from coach.i18n import tr
from coach.review.brief import to_html, to_markdown
from coach.review.business_plan import (
    carry_over,
    chart,
    chart_points,
    check,
    log_totals,
    problems,
    render_checks,
    render_plan,
    render_reviews,
    review_pack,
    starters_text,
    status_phrase,
    statuses,
    to_json,
)
from coach.store import business_plans as store
from coach.store.db import session

HELP = "the annual customer business plan: scorecard, quarterly reviews, chart, YAML"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb and its actions."""
    p = sub.add_parser(
        "acbp",
        help=HELP,
        description="The annual customer business plan (ACBP, 年度客户业务计划) of one account: where are "
        "we, what do we want, how do we get there, what must we do, who does what and when, what each side "
        "puts in, and a scorecard of KPIs reviewed every quarter. `coach prep` plans one meeting; this "
        "holds the account across the year.",
        epilog="Example: coach acbp new Hualian --year 2027 --starter-kpis; coach acbp export Hualian "
        "--year 2027 -o plan.yaml; (edit) coach acbp import plan.yaml; coach acbp review add Hualian "
        "2027-Q1 --actual 'out-of-stock rate=4.1'; coach acbp chart Hualian --year 2027",
    )
    verbs = p.add_subparsers(dest="acbp_verb", metavar="ACTION", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="DB",
        help="database: a file, or a team's postgresql:// address (default: COACH_DB, else the data folder)",
    )
    common.add_argument(
        "--lang", choices=["en", "zh"], help="language of the text (default: COACH_LANG, else the locale)"
    )
    account = argparse.ArgumentParser(add_help=False)
    account.add_argument("account", metavar="ACCOUNT", help="the account, as added with `coach account add`")
    year = argparse.ArgumentParser(add_help=False)
    year.add_argument(
        "--year",
        type=_year,
        metavar="YYYY",
        help="the plan's year (default: the newest plan, else this year)",
    )
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print one JSON object")

    new = verbs.add_parser(
        "new",
        parents=[account, common, year],
        help="start the plan for a year",
        description="Start an empty plan for the year (fill it in with export/import or the actions "
        "below). --starter-kpis puts the FMCG scorecard on it to fill in.",
    )
    new.add_argument(
        "--starter-kpis", action="store_true", help="put the FMCG starting set of KPIs on the scorecard"
    )
    new.add_argument(
        "--copy-last",
        action="store_true",
        help="start from the account's latest plan: its objectives and KPIs, each KPI's baseline where it "
        "ended, targets and dates to set again",
    )
    new.set_defaults(run=_in_lang(run_new))

    show = verbs.add_parser(
        "show",
        parents=[account, common, year, as_json],
        help="the plan step by step, latest KPI status, checks, concession log totals",
    )
    show.add_argument("--history", action="store_true", help="list the plan's versions")
    show.set_defaults(run=_in_lang(run_show))

    chk = verbs.add_parser(
        "check",
        parents=[account, common, year, as_json],
        help="check the plan; exit 1 when a problem is found",
        description="An objective without a measure, an action without owner or date, an objective with "
        "fewer than two actions, investment all on one side, a KPI with no baseline, source or target. "
        "Steps not filled in yet are listed too (they do not fail the check).",
    )
    chk.set_defaults(run=_in_lang(run_check))

    kpi = verbs.add_parser("kpi", help="the scorecard: add or change a KPI, list the FMCG starting set")
    kpis = kpi.add_subparsers(dest="kpi_verb", metavar="ACTION", required=True)
    kadd = kpis.add_parser(
        "add",
        parents=[account, common, year],
        help="add a KPI (or change one: only the options given change)",
        description="Add a KPI to the scorecard, or change the one with that name. A name from the FMCG "
        "starting set (`coach acbp kpi starters`) brings its unit and direction.",
    )
    kadd.add_argument("name", metavar="NAME", help="e.g. out-of-stock, 'share of category', or your own")
    kadd.add_argument("--unit", help="percent, days, units, ratio or a currency code such as CNY")
    kadd.add_argument("--direction", help="higher or lower: which is better")
    kadd.add_argument("--kind", help="level (default) or total (adds up over the year, e.g. sales)")
    kadd.add_argument("--baseline", metavar="NUMBER", help="where it stands at the start")
    kadd.add_argument("--target", metavar="NUMBER", help="the year's target")
    kadd.add_argument("--source", help="where the figure comes from, e.g. 'their scan data'")
    kadd.add_argument("--owner", help="who reports it")
    kadd.set_defaults(run=_in_lang(run_kpi_add))
    kst = kpis.add_parser("starters", parents=[common, as_json], help="the FMCG starting set of KPIs")
    kst.set_defaults(run=_in_lang(run_starters))

    rv = verbs.add_parser("review", help="quarterly and annual reviews: add one, show them")
    rvs = rv.add_subparsers(dest="review_verb", metavar="ACTION", required=True)
    radd = rvs.add_parser(
        "add",
        parents=[account, common],
        help="record a review: actuals, what was learned, next actions",
        description="Record the review of a quarter (2027-Q2) or a year (2027): the actual per KPI "
        "(a total's quarter is that quarter's own figure), what was learned, the actions that follow. "
        "Recording a KPI again for the same period corrects it; the earlier figure is kept.",
    )
    radd.add_argument("period", metavar="PERIOD", help="2027-Q2 (a quarter) or 2027 (the year)")
    radd.add_argument(
        "--actual", action="append", default=[], metavar="'KPI=VALUE'", help="a KPI's actual (repeatable)"
    )
    radd.add_argument("--learned", action="append", default=[], metavar="TEXT", help="what was learned")
    radd.add_argument(
        "--action",
        action="append",
        default=[],
        metavar="'WHAT | OWNER | YYYY-MM-DD'",
        help="an action that follows (repeatable)",
    )
    radd.set_defaults(run=_in_lang(run_review_add))
    rshow = rvs.add_parser(
        "show", parents=[account, common, year, as_json], help="the year's reviews with status"
    )
    rshow.set_defaults(run=_in_lang(run_review_show))

    act = verbs.add_parser("action", help="the plan's and the reviews' actions: mark one done")
    acts = act.add_subparsers(dest="action_verb", metavar="ACTION", required=True)
    adone = acts.add_parser(
        "done",
        parents=[account, common, year],
        help="mark an action done (one of the plan's or one that follows a review)",
        description="Mark an action done: one of the plan's own actions (a new version of the plan, as "
        "`done: true` in the YAML does) or one added with `review add --action` (the review is recorded "
        "again with it done; the earlier record is kept). WHAT is the action's words, or part of them "
        "when only one action has them. A done action leaves the open actions and the meeting agenda.",
    )
    adone.add_argument("what", metavar="WHAT", help="the action's words, e.g. 'daily stock report'")
    adone.set_defaults(run=_in_lang(run_action_done))

    ch = verbs.add_parser(
        "chart",
        parents=[account, common, year, as_json],
        help="target vs actual per quarter (fits 80 columns)",
    )
    ch.add_argument("--kpi", metavar="NAME", help="only this KPI")
    ch.set_defaults(run=_in_lang(run_chart))

    ex = verbs.add_parser(
        "export",
        parents=[account, common, year],
        help="write the plan as YAML to edit, or the review pack as Markdown or HTML",
        description="yaml (default): the plan to edit and import back. md or html: the review pack a "
        "manager reads — scorecard with the latest status, target vs actual per period with the rule, "
        "what was learned and what follows, objectives and actions, investment beside the concession log, "
        "and the checks (one printable page, no scripts).",
    )
    ex.add_argument("--format", choices=("yaml", "md", "html"), default="yaml", help="yaml, md or html")
    ex.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    ex.add_argument("--force", action="store_true", help="overwrite --output if it exists")
    ex.set_defaults(run=_in_lang(run_export))

    im = verbs.add_parser(
        "import",
        parents=[common],
        help="save a YAML plan (checked whole first; nothing is written if it is bad)",
    )
    im.add_argument("file", metavar="FILE.yaml", help="a plan as written by `export`")
    im.add_argument("--note", help="why it changed (kept with the version)")
    im.set_defaults(run=_in_lang(run_import))


def _in_lang(run: Any) -> Any:
    """``run`` with ``--lang`` defaulting the way ``coach account`` and the other verbs do it."""

    def with_lang(args: argparse.Namespace) -> int:
        args.lang = args.lang or default_lang()
        return int(run(args))

    with_lang.__doc__ = run.__doc__
    return with_lang


def _year(value: str) -> int:
    text = value.strip()
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"expected a year such as 2027 (2000 to 2100), not {value[:20]!r}")
    return int(text)


def _account_name(args: argparse.Namespace) -> str:
    name = " ".join(args.account.split())
    if not name:
        raise CoachError("ACCOUNT: must not be empty", "give the account's name")
    return name


def _resolve_year(conn: Any, args: argparse.Namespace) -> int:
    if args.year:
        return int(args.year)
    have = store.years(conn, _account_name(args))
    return have[0] if have else date.today().year


def _q(name: str) -> str:
    """An account name as typed in a shell (quoted when it has spaces)."""

    return shlex.quote(" ".join(name.split()))


def _say(text: str, *, err: bool = False) -> None:
    print(safe(text), file=sys.stderr if err else sys.stdout)


# ------------------------------------------------------------------------------------------------- new


def run_new(args: argparse.Namespace) -> int:
    """Start the plan for a year."""

    account = _account_name(args)
    with session(args.db) as conn:
        year = args.year or date.today().year
        plan = empty_plan(account, year)
        if args.copy_last:
            have = [y for y in store.years(conn, account) if y != year]
            if not have:
                raise CoachError(f"--copy-last: {account} has no earlier plan to start from")

            last = store.get(conn, account, have[0])
            plan = carry_over(last.plan, last.reviews, year)
        if args.starter_kpis:
            for starter in STARTERS:
                if plan.kpi(starter.en) is None and plan.kpi(starter.zh) is None:
                    plan = plan.model_copy(
                        update={"scorecard": [*plan.scorecard, kpi_from_starter(starter.key, args.lang)]}
                    )
        version, _ = store.save(conn, plan, create=True)
        stored = store.get(conn, account, year)
    name = stored.plan.account
    _say(tr(args.lang, "acbp.said.started", name=name, year=year, version=version))
    _say(tr(args.lang, "acbp.said.next", shell=_q(name), year=year))
    return 0


# ------------------------------------------------------------------------------------------ show/check


def _load_all(args: argparse.Namespace) -> tuple[Any, Any]:
    """(stored plan, concession log totals) for the account and year."""

    account = _account_name(args)
    with session(args.db) as conn:
        year = _resolve_year(conn, args)
        stored = store.get(conn, account, year)
        totals = log_totals(store.concession_rows(conn, account, year))
        history = store.history(conn, account, year) if getattr(args, "history", False) else None
    return (stored, history), totals


def run_show(args: argparse.Namespace) -> int:
    """Print the plan (text or JSON)."""

    (stored, history), totals = _load_all(args)
    if args.json:
        out = to_json(stored.plan, stored.reviews, totals, args.lang, stored.version)
        if history is not None:
            out["history"] = [{"version": v, "saved_at": s, "note": n} for v, s, n in history]
        print_json(out)
        return 0
    _say(render_plan(stored.plan, stored.reviews, totals, args.lang, stored.version))
    if history:
        _say("")
        for version, saved, note in history:
            _say(f"v{version}  {saved}" + (f"  {note}" if note else ""))
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Print the checks; exit 1 when a problem is found."""

    (stored, _), _ = _load_all(args)
    findings = check(stored.plan)
    if args.json:
        print_json(
            {
                "account": stored.plan.account,
                "year": stored.plan.year,
                "ok": not problems(findings),
                "checks": [f.as_dict(args.lang) for f in findings],
            }
        )
    else:
        _say(render_checks(findings, args.lang))
    return 1 if problems(findings) else 0


# ----------------------------------------------------------------------------------------------- kpis


def run_kpi_add(args: argparse.Namespace) -> int:
    """Add or change one KPI; a new version of the plan."""

    given = {
        k: getattr(args, k)
        for k in ("unit", "direction", "kind", "baseline", "target", "source", "owner")
        if getattr(args, k) is not None
    }
    name = " ".join(args.name.split())
    try:
        fresh = kpi_from_starter(name, args.lang, **given)  # checked before the database is opened
    except BusinessPlanError as exc:
        raise _option_error(exc) from None
    account = _account_name(args)
    with session(args.db) as conn:
        year = _resolve_year(conn, args)
        plan = store.get(conn, account, year).plan
        existing = plan.kpi(fresh.name) or plan.kpi(name)
        if existing is not None:
            data = existing.model_dump()
            data.update({k: v for k, v in given.items()})
            try:
                fresh = validate_kpi(data)
            except BusinessPlanError as exc:
                raise _option_error(exc) from None
        version, changed = store.save(conn, replace_kpi(plan, fresh), create=False)
    if not changed:
        _say(tr(args.lang, "acbp.said.kpi-unchanged", name=fresh.name))
    else:
        key = "acbp.said.kpi-changed" if existing else "acbp.said.kpi-added"
        _say(tr(args.lang, key, name=fresh.name, version=version))
    return 0


def _option_error(exc: Any) -> CoachError:
    """``kpi: baseline: 'x' is not a number`` -> ``--baseline: 'x' is not a number``."""
    first = exc.problems[0] if getattr(exc, "problems", None) else str(exc)
    parts = first.split(": ", 2)
    if len(parts) == 3 and parts[0] in ("kpi", "review"):
        field = parts[1].split(".")[0].split("[")[0]
        option = {
            "name": "NAME",
            "kpi": "--actual",
            "actual": "--actual",
            "actuals": "--actual",
            "period": "PERIOD",
            "learned": "--learned",
            "next_actions": "--action",
        }.get(field, "--" + field.replace("_", "-"))
        return CoachError(f"{option}: {parts[2]}; nothing was saved")
    return CoachError(first)


def run_starters(args: argparse.Namespace) -> int:
    """Print the FMCG starting set."""

    if args.json:
        print_json({"starters": [s.model_dump() for s in STARTERS]})
        return 0
    _say(starters_text(args.lang))
    return 0


# -------------------------------------------------------------------------------------------- reviews


def _split_actual(text: str) -> tuple[str, str]:
    for sep in ("=", "：", ":"):
        if sep in text:
            name, _, value = text.rpartition(sep)
            if name.strip() and value.strip():
                return name.strip(), value.strip()
    raise CoachError(
        f"--actual: expected 'KPI=VALUE', e.g. 'out-of-stock rate=4.1', not {text[:60]!r}; nothing was saved"
    )


def _split_action(text: str) -> dict[str, Any]:
    cells = [c.strip() for c in text.split("|")]
    if len(cells) > 3 or not cells[0]:
        raise CoachError(
            f"--action: expected 'WHAT | OWNER | YYYY-MM-DD', not {text[:60]!r}; nothing was saved"
        )
    out: dict[str, Any] = {"what": cells[0]}
    if len(cells) > 1 and cells[1]:
        out["owner"] = cells[1]
    if len(cells) > 2 and cells[2]:
        out["due"] = cells[2]
    return out


def run_review_add(args: argparse.Namespace) -> int:
    """Check the review whole, then record it."""

    data = {
        "period": args.period,
        "actuals": [dict(zip(("kpi", "actual"), _split_actual(a), strict=True)) for a in args.actual],
        "learned": args.learned,
        "next_actions": [_split_action(a) for a in args.action],
    }
    if not (data["actuals"] or data["learned"] or data["next_actions"]):
        raise CoachError("nothing to record", "give --actual 'KPI=VALUE', --learned or --action")
    try:
        review = validate_review(data)
    except BusinessPlanError as exc:
        raise _option_error(exc) from None
    account = _account_name(args)
    with session(args.db) as conn:
        store.add_review(conn, account, review)
        stored = store.get(conn, account, int(review.period[:4]))

    _say(tr(args.lang, "acbp.said.review", period=review.period))
    for st in statuses(stored.plan, stored.reviews):
        kpi = stored.plan.kpi(st.kpi)
        if st.period == review.period and kpi is not None:
            _say(f"  {kpi.name}: {status_phrase(st, kpi, args.lang)}")
    if any(st.period == review.period for st in statuses(stored.plan, stored.reviews)):
        _say(f"  ({tr(args.lang, 'acbp.rule.short')})")
    return 0


def run_review_show(args: argparse.Namespace) -> int:
    """Print the year's reviews with their status."""

    (stored, _), _ = _load_all(args)
    if args.json:
        mine = [r for r in stored.reviews if r.period.startswith(str(stored.plan.year))]
        print_json(
            {
                "account": stored.plan.account,
                "year": stored.plan.year,
                "rule": tr(args.lang, "acbp.rule.text"),
                "reviews": [r.body() for r in mine],
                "statuses": [s.as_dict() for s in statuses(stored.plan, mine)],
            }
        )
        return 0
    _say(render_reviews(stored.plan, stored.reviews, args.lang))
    return 0


def run_action_done(args: argparse.Namespace) -> int:
    """Mark one action done, wherever it is open."""

    words = " ".join(args.what.split())
    if not words:
        raise CoachError("WHAT: must not be empty", "give the action's words, e.g. 'daily stock report'")
    account = _account_name(args)
    with session(args.db) as conn:
        year = _resolve_year(conn, args)
        closing = store.close_action(conn, account, year, words, note=tr(args.lang, "acbp.done.note"))
    if not closing.closed:
        _say(tr(args.lang, "acbp.done.already", what=closing.what))
        return 0
    sep, op, cp, stop = ("；", "（", "）", "。") if args.lang == "zh" else ("; ", " (", ")", ".")
    where = [
        tr(args.lang, "acbp.done.plan", version=closing.version)
        if c.period is None
        else tr(args.lang, "acbp.done.review", period=c.period)
        for c in closing.closed
    ]
    _say(tr(args.lang, "acbp.done.done", what=closing.what) + op + sep.join(dict.fromkeys(where)) + cp + stop)
    return 0


def run_chart(args: argparse.Namespace) -> int:
    """Print target vs actual per quarter."""

    (stored, _), _ = _load_all(args)
    if args.kpi and stored.plan.kpi(args.kpi) is None:
        names = ", ".join(k.name for k in stored.plan.scorecard) or "none yet"
        raise CoachError(f"--kpi: {args.kpi.strip()[:60]!r} is not on the scorecard (KPIs: {names})")
    if args.json:
        print_json(
            {
                "account": stored.plan.account,
                "year": stored.plan.year,
                "rule": tr(args.lang, "acbp.rule.text"),
                "points": chart_points(stored.plan, stored.reviews, args.kpi),
            }
        )
        return 0
    _say(chart(stored.plan, stored.reviews, args.lang, args.kpi))
    return 0


# ----------------------------------------------------------------------------------------- YAML in/out


def run_export(args: argparse.Namespace) -> int:
    """Write the plan as YAML."""

    if args.output:
        check_target(Path(args.output).expanduser(), force=args.force)  # before the database is opened
    (stored, _), totals = _load_all(args)
    if args.format == "yaml":
        text = to_yaml(stored.plan)
    else:
        pack = review_pack(stored.plan, stored.reviews, totals, args.lang, stored.version)
        text = to_markdown(pack) if args.format == "md" else to_html(pack)
    if args.output:
        write_output(args.output, text, force=args.force)
        what = "plan" if args.format == "yaml" else "review pack"
        _say(f"wrote the {stored.plan.year} {what} (v{stored.version}) to {args.output}", err=True)
    else:
        sys.stdout.write(text)
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Check the file whole, then save it as the plan's new version (or a new plan)."""

    plan = load_yaml_file(Path(args.file).expanduser(), args.file)  # every problem located, no database yet
    account = plan.account
    try:
        store.check_saveable(plan)
    except BusinessPlanError as exc:
        raise CoachError(f"{args.file}: {exc.problems[0]}; nothing was saved") from None
    with session(args.db) as conn:
        version, changed = store.save(conn, plan, note=args.note)
        stored = store.get(conn, account, plan.year)
    key = "acbp.said.saved" if changed else "acbp.said.unchanged"
    _say(tr(args.lang, key, year=stored.plan.year, version=version))

    found = problems(check(stored.plan))
    if found:
        more = f" (+{len(found) - 1})" if len(found) > 1 else ""
        lang = "zh" if args.lang == "zh" else "en"
        _say(
            tr(lang, "acbp.said.check", problem=found[0].text(lang), more=more, shell=_q(stored.plan.account))
        )
    return 0
