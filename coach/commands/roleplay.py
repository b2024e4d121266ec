"""``coach roleplay``: practise against a simulated buyer; feedback on every reply, a debrief at the end."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from coach import locations
from coach.commands.common import OpenUI, existing_paths, playbook_options, print_json, safe, utf8_problem
from coach.content import compiled
from coach.errors import CoachError
from coach.i18n import tr
from coach.roleplay import engine
from coach.roleplay.engine import Kit
from coach.roleplay.record import debrief_dict, exchange_dict, live_record, scenario_dict, scorecard, text
from coach.roleplay.render import customer_line, debrief_text, feedback_lines, intro, scorecard_line
from coach.services.roleplay import load_scenarios
from coach.store import sessions
from coach.store.db import session


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the verb."""
    p = sub.add_parser(
        "roleplay",
        help="practise a negotiation or complaint against a simulated customer",
        description="The customer speaks; you type what you would say. Each reply gets feedback at once "
        "(what it did well and badly, and the principle behind it), and the customer's next move depends "
        "on it. The session is saved (`coach sessions`); concessions you make go to the concession log as "
        "practice, never into real figures. In the terminal UI by default; --plain reads replies from "
        "standard input, one per line (/retry takes back the last reply, /quit leaves).",
    )
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="scenario id (see --list) or a scenario file"
    )
    p.add_argument("--list", action="store_true", help="list the scenarios and stop")
    p.add_argument("--json", action="store_true", help="with --list: print one JSON object")
    p.add_argument(
        "--plain", action="store_true", help="plain terminal: replies from standard input, one per line"
    )
    p.add_argument(
        "--lang",
        choices=["en", "zh"],
        help="language of the customer and the feedback (default: COACH_LANG, else the locale)",
    )
    p.add_argument(
        "--trainee", metavar="NAME", help="who is practising (shown to the trainer in `coach sessions`)"
    )
    p.add_argument(
        "--scenarios",
        action="append",
        metavar="PATH",
        default=[],
        help="extra scenario file or folder (repeatable); same id replaces a shipped scenario",
    )
    p.add_argument(
        "--db",
        metavar="DB",
        help="database: a file, or a team's postgresql:// address (default: COACH_DB, else the data folder)",
    )
    playbook_options(p)
    p.set_defaults(run=run)


def default_lang() -> str:
    """``zh`` when COACH_LANG or the locale says Chinese, else ``en``."""
    for var in ("COACH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def load_kit(playbooks: list[str] | None):  # noqa: ANN201
    """The playbooks (situations and reply behaviours required) compiled for role-play."""

    lib = compiled.library(locations.user_playbook_dirs(playbooks), situations=True, replies=True)
    lib.raise_if_problems()
    for notice in lib.notices:
        print(f"coach: note: {safe(notice)}", file=sys.stderr)
    return Kit.build(lib)


def load_scenario_set(kit, extra: list[str], scenario_arg: str | None = None):  # noqa: ANN001, ANN201
    """Shipped scenarios, ``--scenarios`` and SCENARIO when it is a file; problems stop with one line."""

    paths = existing_paths(extra)
    if scenario_arg and scenario_arg.endswith((".yaml", ".yml")):
        paths += existing_paths([scenario_arg])
    found = load_scenarios(kit.library, paths)
    found.raise_if_problems()
    for notice in found.notices:
        print(f"coach: note: {safe(notice)}", file=sys.stderr)
    return found


def pick(found, scenario_arg: str):  # noqa: ANN001, ANN201
    """The scenario named on the command line (an id, a unique prefix, or the file just loaded)."""
    if scenario_arg.endswith((".yaml", ".yml")):
        shown = Path(scenario_arg).expanduser().resolve()
        for sid, doc in found.documents.items():
            if Path(doc.source).resolve() == shown:
                return found.scenarios[sid]
    return found.get(scenario_arg)


def run(args: argparse.Namespace) -> int | OpenUI:
    """Run the verb (the role-play screen is opened by the command line, from the ``OpenUI`` returned)."""
    kit = load_kit(args.playbooks)
    found = load_scenario_set(kit, args.scenarios, args.scenario)
    lang = args.lang or default_lang()
    if args.list:
        return _list(found, lang, args.json, kit)
    if args.json:
        raise CoachError("--json only goes with --list")
    if not args.scenario:
        if args.plain:
            raise CoachError("no scenario given", "name one: `coach roleplay --list` shows them")
        return _open_ui(args, None)
    scenario = pick(found, args.scenario)
    if not args.plain:
        return _open_ui(args, scenario.id)
    return play_plain(scenario, kit, lang, db=args.db, trainee=args.trainee)


def _list(found, lang: str, as_json: bool, kit) -> int:  # noqa: ANN001
    items = []
    for sid, sc in sorted(found.scenarios.items()):
        items.append(
            {
                "id": sid,
                "title": getattr(sc.title, lang),
                "persona": getattr(sc.persona.name, lang),
                "role": getattr(sc.persona.role, lang),
                "retailer": getattr(sc.persona.retailer, lang),
                "situations": sc.situations(),
                "situation_titles": [getattr(kit.title(s), lang) for s in sc.situations()],
                "source": found.sources[sid],
            }
        )
    if as_json:
        print_json({"scenarios": items})
        return 0
    if not items:
        print("no scenarios found", file=sys.stderr)
    width = max((len(i["id"]) for i in items), default=0)
    for i in items:
        print(safe(f"{i['id']:<{width}}  {i['title']} — {i['persona']}, {i['retailer']}"))
        # Situations by their titles: ids are for --json (and for the trainer's scenario files).
        print(safe(f"{'':<{width}}  {' · '.join(i['situation_titles'])}"))
    return 0


def _open_ui(args: argparse.Namespace, scenario_id: str | None) -> OpenUI:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CoachError(
            "the role-play screen needs a terminal", "use --plain to read replies from standard input"
        )
    files = [args.scenario] if args.scenario and args.scenario.endswith((".yaml", ".yml")) else []
    extra = existing_paths([*(args.scenarios or []), *files])
    return OpenUI(
        screen="roleplay",
        options={"scenario_id": scenario_id, "trainee": args.trainee, "extra": extra},
        db=args.db,
        playbooks=list(args.playbooks or []),
        lang=args.lang,
        fallback="use --plain",
    )


# ------------------------------------------------------------------------------------------ plain mode

RETRY = ("/retry", "/r", "/重来")
QUIT = ("/quit", "/q", "/exit", "/退出")


def play_plain(
    scenario,
    kit,
    lang: str,
    *,
    db: str | None = None,
    trainee: str | None = None,  # noqa: ANN001
    stdin: Any = None,
    out: Any = None,
) -> int:
    """Play ``scenario`` reading one reply per line; print lines, feedback, the debrief; save the session.

    At an ending the debrief is shown and the session saved; a following ``/retry`` takes back the last
    reply and plays that turn again, any other line (or the end of input) leaves.
    """

    stdin = stdin or sys.stdin
    out = out or sys.stdout
    echo = not (hasattr(stdin, "isatty") and stdin.isatty())

    def say(text: str = "") -> None:
        out.write(safe(text) + "\n")
        out.flush()

    def prompt() -> None:
        say(customer_line(_text(state.speaker().name), _text(state.line()), lang))

    def close(left: bool) -> None:
        if recorder.finished(debrief_dict(engine.debrief(state), kit), left=left):
            say(debrief_text(sessions.get(conn, recorder.id), lang))
            say()
            say(tr(lang, "roleplay.saved", id=recorder.id))
        else:
            record = live_record(state, kit, [], lang=lang, trainee=trainee)
            record["status"] = "left"
            say(debrief_text(record, lang))
            say()
            say(tr(lang, "roleplay.not-saved"))

    with session(db) as conn:
        recorder = sessions.Recorder(conn, scenario_dict(scenario), lang, trainee)
        state = engine.start(scenario, kit, lang)
        closed = False
        say(intro(scenario_dict(scenario), lang))
        say(tr(lang, "roleplay.how"))
        say()
        prompt()
        try:
            while True:
                if not echo:  # at a terminal: a prompt; piped input is echoed instead
                    out.write("> ")
                    out.flush()
                raw = stdin.readline()
                if not raw:
                    break
                if utf8_problem(raw):  # refused before it is scored or saved: the record stays whole
                    say(tr(lang, "roleplay.not-utf8"))
                    continue
                command = raw.strip().lower()
                if not command:
                    continue
                if command in RETRY:
                    try:
                        state = engine.retry(state)
                    except engine.RoleplayError:
                        say(tr(lang, "roleplay.retry.none"))
                        continue
                    recorder.retried()
                    closed = False
                    say(tr(lang, "roleplay.retry.done"))
                    prompt()
                    continue
                if closed or command in QUIT:
                    break
                turn = state.turn
                assert turn is not None
                step = engine.reply(state, raw)
                state = step.state
                exchange = exchange_dict(step.exchange, kit)
                recorder.replied(exchange, stake=turn.stake or scenario.stake, stage=turn.stage)
                if echo:
                    say(f"{tr(lang, 'roleplay.you')}{tr(lang, 'roleplay.colon')}{step.exchange.reply}")
                for line in feedback_lines(exchange, lang):
                    say(line)
                say("  " + scorecard_line(scorecard(state.scores, kit), lang))
                say()
                if state.finished:
                    close(left=False)
                    closed = True
                    say(tr(lang, "roleplay.after-end"))
                    continue
                prompt()
        finally:
            if not closed:
                close(left=not state.finished)
    return 0


def _text(value) -> dict[str, str] | None:  # noqa: ANN001
    return text(value)
