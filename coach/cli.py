"""Command line: parse arguments, call the core, print text or JSON. Imports the UI only for bare ``coach``."""

from __future__ import annotations

import argparse
import importlib
import sys

from coach import __version__
from coach.commands.common import OpenUI, existing_paths, utf8_problem
from coach.domain.suggest import closest
from coach.errors import CoachError

COMMANDS = [
    "match",
    "assess",
    "validate",
    "schema",
    "locate",
    "log",
    "walkthroughs",
    "roleplay",
    "sessions",
    "prep",
    "train",
    "report",
    "account",
    "acbp",
    "db",
]
"""Verb modules under ``coach.commands``; each has ``add_parser(subparsers)`` and ``run(args) -> int``."""

SUMMARY = {
    "match": "find the playbook entries for a situation",
    "assess": "feedback on a reply to the buyer",
    "validate": "check playbooks and run their examples",
    "schema": "print the JSON Schema of playbook files",
    "locate": "print the paths the tool uses",
    "log": "the concession log: add, list, review, export, import",
    "walkthroughs": "list, show or export saved walk-throughs",
    "roleplay": "practise a negotiation or complaint against a simulated customer",
    "sessions": "list, show or export saved role-play sessions",
    "prep": "prepare a meeting on the eight principles: plan, versions, YAML, one-page brief",
    "train": "training mode: drills, principle quiz, progress, class export/import",
    "report": "a trainer's report on a class: scores per principle, mistakes, scenarios",
    "acbp": "the annual customer business plan: scorecard, quarterly reviews, chart, YAML",
    "account": "key accounts: tiers, contacts on both sides, the relationship map and its warnings",
    "db": "set up or check the database: a file for one person, PostgreSQL for a team",
}
"""One line per verb for the overview, so a run of one verb imports only that verb's module."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line with exit code 2, with a "did you mean" for a
    mistyped verb, choice or option (`coach matc`, `coach match --jsn`)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"coach: {message} (see `{self.prog} --help`)\n")

    def _check_value(self, action: argparse.Action, value: object) -> None:
        if action.choices is not None and value not in action.choices:
            guess = _closest(str(value), [str(c) for c in action.choices])
            if guess:
                name = argparse._get_action_name(action)
                message = f"argument {name}: invalid choice: {value!r}; did you mean {guess!r}?"
                raise argparse.ArgumentError(None, message)
        super()._check_value(action, value)

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
        """As argparse, then a "did you mean" for the first unknown option, among the chosen verb's."""
        parsed, extras = super().parse_known_args(args, namespace)
        unknown = [word.split("=", 1)[0] for word in extras if word.startswith("--")]
        if unknown and self.prog == "coach":
            options = _options_of(self, getattr(parsed, "verb", None))
            guess = _closest(unknown[0], options)
            if guess:
                self.error(f"unrecognized arguments: {' '.join(extras)}; did you mean {guess}?")
        return parsed, extras


def _closest(word: str, choices: list[str]) -> str | None:
    """The choice nearest to a mistyped ``word``, or None when none is close."""

    return closest(word, choices)


def _options_of(parser: argparse.ArgumentParser, verb: str | None) -> list[str]:
    """The long options of ``verb`` (and the top-level ones)."""
    options = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and verb in action.choices:
            sub = action.choices[verb]
            options += [o for a in sub._actions for o in a.option_strings if o.startswith("--")]
    return options


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every verb registered; with ``only``, that verb in full and the others as
    one-line stubs (start-up time: `coach match --json` need not import the other verbs); with ``only=""``,
    every verb a stub (bare `coach` opens the UI without importing any verb's module)."""
    parser = _Parser(
        prog="coach",
        description="Coaching for key account managers: describe a situation, get the playbook for it.",
        epilog="Run `coach` with no verb to open the terminal UI. `coach VERB --help` explains each verb.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    ui = parser.add_argument_group("terminal UI (bare `coach`)")
    ui.add_argument(
        "--db",
        dest="ui_db",
        metavar="DB",
        help="database: a file, or a team's postgresql:// address (default: COACH_DB, else the data folder)",
    )
    ui.add_argument(
        "--playbooks",
        dest="ui_playbooks",
        action="append",
        metavar="DIR",
        default=[],
        help="extra playbook folder (repeatable; also COACH_PLAYBOOKS)",
    )
    ui.add_argument("--lang", dest="ui_lang", choices=["en", "zh"], help="interface language for this run")
    sub = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    for name in COMMANDS:
        if only is None or name == only:
            importlib.import_module(f"coach.commands.{name}").add_parser(sub)
        else:
            sub.add_parser(name, help=SUMMARY.get(name))
    return parser


def _utf8_streams() -> None:
    """UTF-8 everywhere; bytes on standard input that are not UTF-8 arrive as surrogate escapes (whatever the
    locale) so each reader can refuse them in one line (``common.utf8_problem``) instead of crashing."""
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "replace"), (sys.stdin, "surrogateescape")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors=errors)
            except (ValueError, OSError):  # pragma: no cover - detached streams
                pass


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``coach`` console script; returns the exit code."""
    _utf8_streams()
    parser = build_parser(only=_verb_of(sys.argv[1:] if argv is None else argv) or "")
    args = parser.parse_args(argv)
    if args.verb is not None and not hasattr(args, "run"):  # the first verb-like word was an option's value
        parser = build_parser()
        args = parser.parse_args(argv)
    try:
        if args.verb is None:
            return _open_ui(args)
        _global_options_to_verb(parser, args)
        _check_text_arguments(parser, args)
        result = args.run(args)
        if result is None or isinstance(result, int):
            return int(result or 0)
        return _run_ui(result)  # a verb asked for the terminal UI (`coach roleplay ID`)
    except CoachError as exc:
        print(f"coach: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _verb_of(words: list[str]) -> str | None:
    """The verb a command line names, skipping the top-level options and their values."""
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in ("--db", "--playbooks", "--lang"):
            skip = True
        elif word in COMMANDS:
            return word
        elif not word.startswith("-"):
            return None
    return None


PATH_DESTS = frozenset(
    {"db", "ui_db", "playbooks", "ui_playbooks", "output", "file", "files", "paths", "scenarios"}
)
"""Arguments that name files: the file system takes any bytes there, so they are not checked as text."""


def _check_text_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Every text argument must be UTF-8 (it is stored, compared and printed); the first that is not is one
    line naming its option, before anything is opened or changed. Checked here once for every verb."""

    names: dict[str, str] = {}
    _option_names(parser, names)
    for dest, value in vars(args).items():
        if dest in PATH_DESTS:
            continue
        for option, text in _texts(value):
            problem = utf8_problem(text)
            if problem:
                raise CoachError(
                    f"{option or names.get(dest, dest)}: {problem}; nothing was done",
                    "type it again with the terminal set to UTF-8",
                )


def _texts(value: object, option: str | None = None) -> list[tuple[str | None, str]]:
    """The strings in an argument's value; a ``(option, value)`` pair (repeatable ordered options) names its
    option."""
    if isinstance(value, str):
        return [(option, value)]
    if isinstance(value, tuple) and len(value) == 2 and str(value[0]).startswith("-"):
        return _texts(value[1], str(value[0]))
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in _texts(item, option)]
    return []


def _option_names(parser: argparse.ArgumentParser, names: dict[str, str]) -> None:
    """``dest`` -> how the user spells it (the long option, or the positional's name), every verb included."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _option_names(sub, names)
            continue
        longs = [o for o in action.option_strings if o.startswith("--")] or action.option_strings
        spelled = longs[0] if longs else str(action.metavar or action.dest)
        names.setdefault(action.dest, spelled)


def _global_options_to_verb(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``coach --db X VERB`` means ``coach VERB --db X`` where VERB has the option, else a usage error."""
    for ui_name, name in (("ui_db", "db"), ("ui_playbooks", "playbooks"), ("ui_lang", "lang")):
        value = getattr(args, ui_name)
        if not value:
            continue
        if not hasattr(args, name):
            parser.error(f"--{name} does not apply to `coach {args.verb}`")
        current = getattr(args, name)
        if name == "playbooks":
            setattr(args, name, [*value, *(current or [])])
        elif current is None:
            setattr(args, name, value)


def _open_ui(args: argparse.Namespace) -> int:
    return _run_ui(OpenUI(db=args.ui_db, playbooks=list(args.ui_playbooks or []), lang=args.ui_lang))


def _run_ui(request: OpenUI) -> int:
    """Open the terminal UI as ``request`` says (bare ``coach``, or a verb's answer)."""

    try:
        from coach.tui.app import run_app  # deferred: Textual and the UI only when the UI opens
    except ImportError as exc:  # pragma: no cover - textual is a dependency
        if request.screen is None:
            build_parser().print_help()
            return 0
        raise CoachError(f"the terminal UI cannot start ({exc})", request.fallback) from None
    return run_app(
        db=request.db,
        playbooks=existing_paths(request.playbooks),
        lang=request.lang,
        screen=request.screen,
        screen_options=request.options,
    )


if __name__ == "__main__":
    raise SystemExit(main())
