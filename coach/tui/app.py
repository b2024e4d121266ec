"""The Textual app: screen registry, app-wide bindings, command palette, language, theme, error reporting.

Adding a screen: write ``screens/<name>.py`` (+ ``.tcss``) with a ``CoachScreen`` subclass that sets
``SCREEN_ID`` and ``MENU``, and add its entry to ``SCREENS`` in ``registry.py``. The home page and the
command palette list exactly the registered screens. A screen's module is imported when it is first opened
(a ``LoadingScreen`` says so meanwhile), so start-up imports only the home page.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.message import Message
from textual.screen import Screen

from coach import locations
from coach.errors import CoachError
from coach.i18n import LANGS, system_lang, tr
from coach.tui import settings as settings_mod
from coach.tui.bindings import localize
from coach.tui.commands import CoachCommands, EntryCommands
from coach.tui.registry import SCREENS, ScreenEntry
from coach.tui.screens.base import CoachScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.loading import LoadingScreen

# The playbook loader (YAML, pydantic) is imported by the loading worker, after the first paint.
if TYPE_CHECKING:
    from coach.content.loader import Library
    from coach.engine.index import Index

log = logging.getLogger("coach.tui")

__all__ = ["SCREENS", "CoachApp", "ContentFailed", "ContentLoaded", "run_app"]

Loader = Callable[[], "tuple[Library, Index]"]


class ContentLoaded(Message):
    """The playbooks were loaded and indexed."""

    def __init__(self, library: Library, index: Index) -> None:
        super().__init__()
        self.library = library
        self.index = index


class ContentFailed(Message):
    """The playbooks could not be loaded; ``error`` is one line."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ScreenImported(Message):
    """A screen's module was imported (``screen`` is its class, or None with ``error`` when it failed)."""

    def __init__(
        self, entry: ScreenEntry, screen: type[CoachScreen] | None, error: BaseException | None
    ) -> None:
        super().__init__()
        self.entry = entry
        self.screen = screen
        self.error = error


class CoachApp(App[int]):
    """coach's terminal UI: situation coach, playbook browser, walk-throughs."""

    CSS_PATH = "app.tcss"
    TITLE = "coach"
    COMMANDS = {CoachCommands, EntryCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help"),
        Binding("f2", "toggle_language", "中文", id="language"),
        Binding("f3", "toggle_theme", "Light/dark", id="theme", show=False),
        Binding("ctrl+p", "command_palette", "Commands", id="palette", show=False, priority=True),
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False, priority=True),
    ]

    def __init__(
        self,
        loader: Loader,
        *,
        db_path: Path | str | None = None,
        lang: str | None = None,
        settings_path: Path | None = None,
        screens: list[ScreenEntry | type[CoachScreen]] | None = None,
    ) -> None:
        super().__init__()
        self._loader = loader
        self._screens = [s if isinstance(s, ScreenEntry) else ScreenEntry.of(s) for s in (screens or SCREENS)]
        self.db_path = db_path or locations.db_path()
        """The SQLite database walk-throughs are saved in."""
        self.settings_path = settings_path or locations.settings_path()
        saved, problem = settings_mod.load(self.settings_path)
        self.settings = saved
        self.library: Library | None = None
        """The loaded playbooks (None until loaded)."""
        self.index: Index | None = None
        """The engine's index of the loaded playbooks."""
        self.content_error: str | None = None
        """Why the playbooks could not be loaded, if they could not."""
        self.notices: list[tuple[str, str]] = []
        """Every notification shown, as (severity, text): the UI's own record, also used by tests."""
        self._lang = lang if lang in LANGS else (saved.lang if saved.lang in LANGS else system_lang())
        self._startup_problem = problem
        if saved.theme and saved.theme in self.available_themes:
            self.theme = saved.theme

    # --- language -------------------------------------------------------------------------------

    @property
    def lang(self) -> str:
        """The interface and content language, ``en`` or ``zh``."""
        return self._lang

    def set_language(self, lang: str, *, remember: bool = True) -> None:
        """Switch every open screen to ``lang`` and remember the choice."""
        if lang not in LANGS:
            raise CoachError(f"lang: must be en or zh, not {lang!r}")
        self._lang = lang
        localize(self, lang)
        for screen in self.screen_stack:
            if isinstance(screen, CoachScreen):
                if screen.ready:
                    screen.language_changed()
            elif hasattr(screen, "language_changed") and screen.is_mounted:
                screen.language_changed()
        self.refresh_bindings()
        if remember:
            self.settings.lang = lang
            self._save_settings()

    def action_toggle_language(self) -> None:
        """Switch between English and Chinese."""
        self.set_language("zh" if self._lang == "en" else "en")
        self.say(tr(self._lang, "lang.now"), timeout=2)

    # --- theme ----------------------------------------------------------------------------------

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = "textual-dark" if self.current_theme.dark is False else "textual-light"

    def _theme_changed(self, theme: object) -> None:
        self.settings.theme = self.theme
        self._save_settings()

    def _save_settings(self) -> None:
        try:
            settings_mod.save(self.settings_path, self.settings)
        except OSError as exc:
            self.report_error(exc, quiet=True)

    # --- start-up -------------------------------------------------------------------------------

    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {"_default": HomeScreen}
    """The home page is the default mode's screen, so its own ``home.tcss`` is loaded
    (Textual reads no ``CSS_PATH`` of a screen returned by ``get_default_screen``)."""

    def on_mount(self) -> None:
        """Label the bindings, start loading the playbooks, and remember theme changes."""
        localize(self, self._lang)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._startup_problem:
            self.say(tr(self._lang, "error.settings", error=self._startup_problem), severity="warning")
        # Load after the first paint: parsing YAML holds the GIL and would delay the home screen.
        self.call_after_refresh(self._load_content)
        if self.startup is not None:
            self.push_screen(self.startup())

    startup: Callable[[], Screen] | None = None
    """A screen to open over the home page at start (``coach roleplay SCENARIO`` sets it)."""

    @work(thread=True, exclusive=True, group="content", exit_on_error=False)
    def _load_content(self) -> None:
        try:
            library, index = self._loader()
        except CoachError as exc:
            self.post_message(ContentFailed(exc.one_line()))
            return
        except Exception as exc:  # a bug, not a user mistake: logged with its traceback
            log.exception("loading the playbooks failed")
            self.post_message(ContentFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(ContentLoaded(library, index))

    def on_content_loaded(self, message: ContentLoaded) -> None:
        """Keep the playbooks and tell the open screens."""
        self.library, self.index = message.library, message.index
        self.content_error = None
        for notice in message.library.notices:
            self.say(tr(self._lang, "content.notice", notice=notice), severity="information", timeout=6)
        self._content_changed()

    def on_content_failed(self, message: ContentFailed) -> None:
        """Show why the playbooks could not be loaded."""
        self.content_error = message.error
        log.error("playbooks: %s", message.error)
        self.say(tr(self._lang, "content.failed", error=message.error), severity="error", timeout=15)
        self._content_changed()

    def _content_changed(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, CoachScreen) and screen.ready:
                screen.content_ready()

    @property
    def content_loaded(self) -> bool:
        """True once the playbooks are loaded and indexed."""
        return self.library is not None and self.index is not None

    # --- navigation -----------------------------------------------------------------------------

    def registered(self) -> list[ScreenEntry]:
        """The registered screens (home-page order); ``SCREENS`` unless the app was given its own list."""
        return list(self._screens)

    def open_screen(self, screen_id: str) -> None:
        """Open a registered screen by id; the first time, its module is imported in a worker while a
        ``LoadingScreen`` says so (and swallows the keys typed meanwhile)."""
        for entry in self._screens:
            if entry.SCREEN_ID == screen_id:
                if entry.NEEDS_CONTENT and not self.content_loaded:
                    self.say(self.content_error or tr(self._lang, "need.content"), severity="warning")
                    return
                cls = entry.imported
                if cls is not None:
                    self.push_screen(cls())
                    return
                title = (entry.MENU.get(self._lang) or entry.MENU["en"])[0]
                self.push_screen(LoadingScreen(screen_id, title, self._lang))
                self._import_screen(entry)
                return
        raise KeyError(screen_id)

    @work(thread=True, group="screens", exit_on_error=False)
    def _import_screen(self, entry: ScreenEntry) -> None:
        try:
            screen = entry.load()
        except Exception as exc:  # a bug (or a broken install), not a user mistake: reported in one line
            self.post_message(ScreenImported(entry, None, exc))
            return
        self.post_message(ScreenImported(entry, screen, None))

    def on_screen_imported(self, message: ScreenImported) -> None:
        """Replace the loading screen by the screen it stands for (unless the user went back meanwhile)."""
        waiting = self.screen if isinstance(self.screen, LoadingScreen) else None
        if waiting is None or waiting.screen_id != message.entry.SCREEN_ID:
            return
        if message.screen is None:
            self.pop_screen()
            self.report_error(message.error or "import failed")
            return
        self.switch_screen(message.screen())

    def _check_rule(self, rule_id: str) -> bool:
        if not self.content_loaded:
            self.say(self.content_error or tr(self._lang, "need.content"), severity="warning")
            return False
        assert self.library is not None
        if rule_id not in self.library.rules:
            self.say(tr(self._lang, "error.unknown-entry", id=rule_id), severity="error")
            return False
        return True

    def open_entry(self, rule_id: str, situation: str = "") -> None:
        """Show one playbook entry (``situation``: what the user typed, if they came from the coach)."""
        if self._check_rule(rule_id):
            from coach.tui.screens.entry import EntryScreen  # deferred: screens load when opened

            self.push_screen(EntryScreen(rule_id, situation))

    def start_walkthrough(self, rule_id: str, situation: str = "") -> None:
        """Walk through one playbook entry step by step (``situation`` goes into the record and export)."""
        if self._check_rule(rule_id):
            from coach.tui.screens.walkthrough import WalkthroughScreen  # deferred: screens load when opened

            self.push_screen(WalkthroughScreen(rule_id, situation))

    def go_back(self, screen: Screen) -> None:
        """Close ``screen`` if it is on top and is not the home page."""
        if self.screen is screen and len(self.screen_stack) > 1:
            self.pop_screen()

    def action_command_palette(self) -> None:
        """The command palette, with its prompt in the current language."""

        if self.use_command_palette and not CommandPalette.is_open(self):
            placeholder = tr(self._lang, "cmd.placeholder")
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def action_help(self) -> None:
        """Open the help screen (unless it is already on top)."""
        from coach.tui.screens.help import HelpScreen  # deferred: screens load when opened

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_home(self) -> None:
        """Back to the home page; a screen with unsaved work stops there and asks."""
        while len(self.screen_stack) > 1:
            top = self.screen
            if isinstance(top, CoachScreen) and top.has_unsaved_work():
                top.action_back()
                return
            self.pop_screen()

    async def action_quit(self) -> None:
        """Quit; asks first when a walk-through has unsaved ticks or notes."""
        unsaved = any(isinstance(s, CoachScreen) and s.has_unsaved_work() for s in self.screen_stack)
        if not unsaved:
            self.exit(0)
            return

        from coach.tui.screens.confirm import ConfirmScreen  # deferred: screens load when opened

        def chosen(choice: str | None) -> None:
            if choice == "discard":
                self.exit(0)

        self.push_screen(
            ConfirmScreen(
                "quit.question", [("discard", "quit.discard", "error"), ("stay", "leave.stay", "primary")]
            ),
            chosen,
        )

    # --- errors and notifications ---------------------------------------------------------------

    def say(self, text: str, *, severity: str = "information", timeout: float | None = None) -> None:
        """Show a notification; its text is shown literally."""
        self.notices.append((severity, text))
        self.notify(text, severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    def report_error(
        self, error: BaseException | str, *, key: str = "error.generic", quiet: bool = False
    ) -> None:
        """Log an error and show it as a one-line notification (never a traceback)."""

        if isinstance(error, CoachError):
            text = error.one_line()
            log.error(text)
        elif isinstance(error, BaseException):
            text = f"{type(error).__name__}: {error}"
            log.error("%s", text, exc_info=error)
        else:
            text = error
            log.error(text)
        if key == "error.generic":
            message = tr(self._lang, key, error=text, log=locations.log_path())
        else:
            message = tr(self._lang, key, error=text)
        if not quiet:
            self.say(message, severity="error", timeout=10)

    def _handle_exception(self, error: Exception) -> None:
        # A bug escaped a handler: write the traceback to the log; the terminal gets one line (see run_app).
        log.critical("unexpected error", exc_info=error)
        self.crash = f"{type(error).__name__}: {error}"
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        if "debug" in self.features:
            super()._print_error_renderables()
        else:
            self._exit_renderables.clear()

    crash: str | None = None
    """One line describing an unexpected error that closed the app."""


def _setup_logging() -> logging.Handler | None:
    """Log the UI's errors to ``locations.log_path()``; the file is created on the first message,
    owner-only (it can quote the user's notes and plans), as is the file after each rotation."""

    class PrivateLog(RotatingFileHandler):
        def _open(self):  # noqa: ANN202
            fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.chmod(self.baseFilename, 0o600)  # a log an older coach left readable by others
            except OSError:
                pass
            return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)

    path = locations.log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = PrivateLog(
            path, maxBytes=1_000_000, backupCount=1, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return handler


def run_app(
    *,
    db: str | None = None,
    playbooks: Sequence[Path] = (),
    lang: str | None = None,
    screen: str | None = None,
    screen_options: Mapping[str, Any] | None = None,
) -> int:
    """Open the terminal UI on the database ``db`` (default: COACH_DB, else the data folder) with the extra
    playbook folders ``playbooks`` (the caller checked they exist) in ``lang``; with ``screen``, that
    registered screen, made with ``screen_options``, opens over the home page."""

    from coach.content.compiled import cached_index  # deferred: importing coach.tui.app loads no engine

    dirs = locations.user_playbook_dirs([str(p) for p in playbooks])
    from coach.store.db import check_path  # deferred: importing coach.tui.app loads no store

    db_path = locations.db_path(db)
    check_path(db_path)  # a path that can never work is refused before the UI opens
    handler = _setup_logging()
    try:
        app = CoachApp(lambda: cached_index(dirs), db_path=db_path, lang=lang)
        if screen is not None:
            entry = next(e for e in SCREENS if e.SCREEN_ID == screen)
            options = dict(screen_options or {})
            app.startup = lambda: entry.load()(**options)
        code = app.run()
    finally:
        if handler is not None:
            log.removeHandler(handler)
            handler.close()
    if app.crash:
        print(f"coach: unexpected error: {app.crash} (details in {locations.log_path()})", file=sys.stderr)
        return 1
    return int(code or 0)
