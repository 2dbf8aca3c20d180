"""The Textual app: one factory shared by the CLI (`run_app`) and the tests (`QualcodeApp`).

The app owns navigation between screens (`go_to`, `open_source`, `open_home`, `open_codebook`,
`open_memos`, `show_help`), the global keys (help, undo/redo, quit, the go-to menu; declared in
`keymap.py`) and the command palette, which lists the actions of the current screen.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.command import CommandPalette
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core.store import read as store_read
from qualcode.core.store.handle import ProjectHandle
from qualcode.errors import QualcodeError, database_damage
from qualcode.i18n import _, set_language
from qualcode.tui import keymap
from qualcode.tui.messages import StoreChanged

if TYPE_CHECKING:
    from qualcode.core.store import Project
    from qualcode.core.store.read import Reader

POSITIONS_META = "ui_positions"
RECENT_META = "ui_recent_source"
ANALYSIS_SCREENS = ("retrieval", "summaries", "displays", "conclusions", "review")


class QualcodeApp(App[None]):
    """The coding workspace over one open project."""

    TITLE = "qualcode"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("global")

    def __init__(self, project: Project | ProjectHandle, *, lang: str = "id",
                 coder: str | None = None, source_id: int | None = None,
                 tune_gc: bool = False) -> None:
        from qualcode.core.store.read import project_coder

        self._lang = lang
        set_language(lang)
        super().__init__()
        self.handle = project if isinstance(project, ProjectHandle) else ProjectHandle.of(project)
        self.coder = coder or project_coder(self.handle.reader)
        self.start_source = source_id
        self.tune_gc = tune_gc
        self.opened = False  # a coding screen has been shown
        self._positions: dict[int, int] | None = None  # source id -> offset of the cursor
        self.last_source: int | None = None  # the source whose coding screen was left last
        self.recent_source: int | None = None  # the same, kept (home consumes last_source)
        self._home: Screen[Any] | None = None
        self._localise()

    @property
    def project(self) -> Project:
        """The project's store (waits for it if it is still loading in the background); its
        `session_coder` is this session's coder, whose codings analysis counts by default
        when the project has no consensus coder; undo / redo are this coder's own."""
        project = self.handle.project
        project.session_coder = self.coder
        project.acting_coder = self.coder
        return project

    @property
    def reader(self) -> Reader:
        """Plain-SQL reads (`store_read`), available before the store has loaded."""
        return self.handle.reader

    # ---- language --------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        """The UI language ("id" or "en"); setting it re-translates the app's keys."""
        return self._lang

    @lang.setter
    def lang(self, value: str) -> None:
        self._lang = value
        set_language(value)
        self._localise()

    def _localise(self) -> None:
        from qualcode.tui.screens.screen_base import localise_bindings

        localise_bindings(self, self._lang)

    # ---- start -----------------------------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        if self.start_source is not None:
            return HomeLater()  # opening straight on a source: build home only when shown
        return self.home_screen()

    def home_screen(self) -> Screen[Any]:
        """A new home screen (or a plain source list when it is not installed)."""
        try:
            from qualcode.tui.screens.home import HomeScreen
        except ImportError:
            self._home = SourcesScreen()
        else:
            self._home = HomeScreen()
        return self._home

    def on_mount(self) -> None:
        theme = store_read.get_meta(self.reader, "ui_theme")
        if theme and theme in self.available_themes:
            self.theme = theme
        if self.start_source is not None:
            self.open_source(self.start_source)
        self.call_after_refresh(self._load_store)

    def _load_store(self) -> None:
        """After the first frame: open the full store in the background (see ProjectHandle)."""
        if self.handle.ready:
            self._store_loaded()
            return
        self.handle.start_loading()
        self._store_timer = self.set_interval(0.05, self._check_store)

    def _check_store(self) -> None:
        error = self.handle.error
        if self.handle.ready or error is not None:
            self._store_timer.stop()
        if error is not None:  # the file changed under us between the check and the load
            message = error.text() if isinstance(error, QualcodeError) else str(error)
            self.exit(return_code=2, message=_("error: {message}").format(message=message))
        elif self.handle.ready:
            self._store_loaded()

    def _store_loaded(self) -> None:
        for notice in self.handle.project.notices:  # an upgrade's backup, a read-only file
            self.notify(notice.text(), severity="warning", timeout=12, markup=False)
        if self.tune_gc:
            tune_garbage_collector()
        else:
            gc.enable()
        project = self.project
        if project.read_only:  # a reviewer's login on a server: say so once, up front
            from qualcode.i18n import _

            self.notify(_("Read-only: your login may read this project but not change it."),
                        severity="warning", timeout=8)

    # ---- reading positions -----------------------------------------------------------------
    @property
    def positions(self) -> dict[int, int]:
        """Where the cursor was in each source (saved in the project when the app quits)."""
        if self._positions is None:
            try:
                saved = json.loads(store_read.get_meta(self.reader, POSITIONS_META) or "{}")
                self._positions = {int(k): int(v) for k, v in saved.items()}
            except (ValueError, TypeError, AttributeError):  # a damaged setting: start afresh
                self._positions = {}
        return self._positions

    def remember_position(self, source_id: int, offset: int) -> None:
        """Note where the cursor is in a source (the coding screen calls it when it closes)."""
        self.positions[source_id] = offset
        self.last_source = self.recent_source = source_id

    async def action_quit(self) -> None:
        """Save where each open transcript was read and the theme, then quit."""
        from qualcode.tui.screens.coding import CodingScreen

        for screen in self.screen_stack:
            if isinstance(screen, CodingScreen):
                screen.remember_position()
        saved_theme = store_read.get_meta(self.reader, "ui_theme")
        # never keep a researcher from quitting over a reading position or a theme
        with contextlib.suppress(Exception):
            if self._positions is not None:
                self.project.set_meta(POSITIONS_META, json.dumps(self._positions))
            if self.recent_source is not None:
                self.project.set_meta(RECENT_META, str(self.recent_source))
            if self.theme != (saved_theme or "textual-dark"):  # e.g. chosen in the palette
                self.project.set_meta("ui_theme", self.theme)
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        """A damaged or busy project found by any screen is a message, not a crash (a file
        failing SQLite's quick check is open read-only, and some of its pages cannot be read)."""
        problem = database_damage(error)
        if problem is None:
            super()._handle_exception(error)
            return
        self.notify(problem.text(self.lang), severity="error", markup=False)

    # ---- navigation (the contract with the other screens) ----------------------------------
    def open_source(self, source_id: int, offset: int | None = None) -> None:
        """Show the coding screen of a source, cursor on the segment containing `offset`.

        Without `offset`, the screen opens where the researcher left that source.
        """
        from qualcode.tui.screens.coding import CodingScreen

        stack = self.screen_stack
        for depth, screen in enumerate(reversed(stack)):
            if isinstance(screen, CodingScreen) and screen.source_id == source_id:
                for _level in range(depth):
                    self.pop_screen()
                if offset is not None:
                    screen.transcript.go_to_offset(offset)
                return
        if offset is None:
            offset = self.positions.get(source_id)
        try:
            screen = CodingScreen(source_id, offset)
        except Exception as exc:
            problem = exc if isinstance(exc, QualcodeError) else database_damage(exc)
            if problem is None:
                raise
            self.notify(problem.text(), severity="error", markup=False)
            if isinstance(self.screen, HomeLater):  # started on this source: show home instead
                self.push_screen(self.home_screen())
            return
        self.push_screen(screen)
        self.opened = True

    def open_home(self) -> None:
        """Back to the home screen (HomeLater builds it if the app started on a source)."""
        while len(self.screen_stack) > 1 and self.screen is not self._home:
            self.pop_screen()

    def _place(self, kind: type[Screen[Any]]) -> bool:
        """Close the screens above home for a workspace screen; False if `kind` is on top."""
        if isinstance(self.screen, kind):
            return False
        self.open_home()
        return True

    def open_transcript(self) -> None:
        """The coding screen of the source open last, in this session or the one before
        (else the first source)."""
        from qualcode.tui.screens.coding import CodingScreen

        current = next((s for s in reversed(self.screen_stack) if isinstance(s, CodingScreen)),
                       None)
        source = current.source_id if current is not None else self.recent_source
        if source is None:  # the transcript open last in an earlier session, if it still exists
            saved = store_read.get_meta(self.reader, RECENT_META) or ""
            known = {s.id for s in self.project.sources()}
            source = int(saved) if saved.isdigit() and int(saved) in known else None
        if source is None:
            sources = [s.id for s in self.project.sources() if s.id is not None]
            if not sources:
                self.notify(_("The project has no sources yet."), severity="warning")
                return
            source = sources[0]
        if current is None or current.source_id != source:
            self.open_home()
        self.open_source(source)

    def open_codebook(self) -> None:
        """The codebook screen."""
        from qualcode.tui.screens.codebook import CodebookScreen

        if self._place(CodebookScreen):
            self.push_screen(CodebookScreen())

    def open_analysis(self) -> None:
        """The Miles & Huberman analysis hub."""
        from qualcode.tui.screens.analysis import AnalysisScreen

        if self._place(AnalysisScreen):
            self.push_screen(AnalysisScreen())

    def open_memos(self, scope: str | None = None, target: int | None = None) -> None:
        """The memos screen; filtered to one scope / target it opens over the current screen
        (memos of the transcript being coded), else above home."""
        from qualcode.tui.screens.memos import MemosScreen

        if scope is not None or self._place(MemosScreen):
            self.push_screen(MemosScreen(scope=scope, target=target))

    def open_search(self, query: str = "") -> None:
        """The project-wide search screen (above home)."""
        from qualcode.tui.screens.search import SearchScreen

        if self._place(SearchScreen):
            self.push_screen(SearchScreen(query))

    def show_help(self) -> None:
        """Every key of the current screen."""
        try:
            from qualcode.tui.screens.help import HelpScreen
        except ImportError:
            self.action_show_help_panel()
            return
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # ---- global actions --------------------------------------------------------------------
    def action_help(self) -> None:
        """Show the help screen."""
        self.show_help()

    def action_go(self, where: str) -> None:
        """Go to one of the go-to menu's screens (`keymap.GOTO`)."""
        self.go_to(where)

    def go_to(self, where: str) -> None:
        """Open a screen by name from anywhere, as a child of the screen it belongs under.

        The workspace screens (transcript, codebook, memos, search, analysis) sit right above
        home and the analysis screens above the analysis hub, so escape always goes back one
        level: from a display to the hub, from the hub to home, never into an older screen.
        """
        if where == "transcript":
            self.open_transcript()
            return
        if where in ANALYSIS_SCREENS:
            self.open_analysis()
            hub = self.screen
            if hasattr(hub, "action_open"):
                hub.action_open(where)
            return
        opener = {"home": self.open_home, "codebook": self.open_codebook,
                  "memos": self.open_memos, "search": self.open_search,
                  "analysis": self.open_analysis}.get(where)
        if opener is not None:
            opener()

    def action_goto(self) -> None:
        """A small menu: the next letter chooses where to go (g h home, g c codebook …)."""
        def chosen(where: str | None) -> None:
            if where:
                self.go_to(where)
        self.push_screen(GotoMenu(self._lang), chosen)

    def action_undo(self) -> None:
        """Undo the latest action in the project (persisted across sessions)."""
        self._history("undo")

    def action_redo(self) -> None:
        """Redo the action undone last."""
        self._history("redo")

    def _history(self, which: str) -> None:
        try:
            action = self.project.undo() if which == "undo" else self.project.redo()
        except Exception as exc:
            problem = exc if isinstance(exc, QualcodeError) else database_damage(exc)
            if problem is None:
                raise
            self.notify(problem.text(), severity="error", markup=False)
            return
        if action is None:
            self.notify(_("Nothing to undo.") if which == "undo" else _("Nothing to redo."),
                        timeout=2)
            return
        done = _("Undone: {what}") if which == "undo" else _("Redone: {what}")
        from qualcode.core.store.history import describe

        what = describe(action, self.lang)
        self.notify(done.format(what=what), timeout=2, markup=False)
        self.broadcast_change(action.kind, what, undone=which == "undo")
        show = getattr(self.screen, "show_change", None)
        if callable(show):  # the coding screen goes to the text the action touched
            show(action.changes)

    def broadcast_change(self, kind: str = "", description: str = "", *,
                         undone: bool | None = None) -> None:
        """Tell every screen on the stack that the project changed."""
        for screen in self.screen_stack:
            screen.post_message(StoreChanged(kind, description, undone=undone))

    # ---- command palette -------------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The current screen's actions (with their keys), then Textual's own commands."""
        seen: set[tuple[str, int]] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or not active.enabled or binding.system:
                continue
            ident = (binding.action, id(active.node))
            if ident in seen:
                continue
            seen.add(ident)
            title = keymap.describe(binding.description, self._lang)
            help_text = _("key {keys}").format(keys=self.get_key_display(binding) or key)
            yield SystemCommand(title, help_text,
                                partial(self.run_action, binding.action, active.node))
        for command in super().get_system_commands(screen):  # Textual's, in the UI language
            yield command._replace(title=_(command.title), help=_(command.help))

    def action_command_palette(self) -> None:
        """The command palette, its search field in the UI language."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=_("Search for commands…")))


class GotoMenu(ModalScreen[str | None]):
    """Where `g` leads: every screen, one letter each (`keymap.GOTO`); escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("goto")

    def __init__(self, lang: str) -> None:
        super().__init__(classes="qc-dialog")
        self.lang = lang

    def compose(self) -> Any:
        with Vertical(classes="qc-dialog-box qc-goto"):
            yield Label(_("Go to (press a letter)"), classes="qc-dialog-title")
            for key, _where, text in keymap.GOTO:
                yield Static(f"[b]{key}[/b]  {keymap.describe(text, self.lang)}")

    def action_go(self, where: str) -> None:
        """Close with the chosen screen (or nothing)."""
        self.dismiss(where or None)


class HomeLater(Screen[None]):
    """The bottom screen when the app starts on a source: home is pushed when it shows."""

    def on_screen_resume(self) -> None:
        app = self.app
        if isinstance(app, QualcodeApp) and app.opened and app.screen is self:
            app.push_screen(app.home_screen())


class SourcesScreen(Screen[None]):
    """A minimal first screen used only when the home screen is not installed."""

    def compose(self) -> Any:
        app = self.app
        assert isinstance(app, QualcodeApp)
        yield Label(_("Sources (Enter opens)"), classes="qc-dialog-title")
        yield OptionList(*[Option(s.name, id=str(s.id)) for s in app.project.sources()])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        app = self.app
        if isinstance(app, QualcodeApp) and event.option.id is not None:
            app.open_source(int(event.option.id))


def tune_garbage_collector() -> None:
    """Fewer, cheaper garbage collections once the app is up.

    Frames above 100 ms came from full collections walking the start-up heap (SQLAlchemy,
    Textual, the transcript); freezing it and collecting the young generation less often keeps
    every frame short. Also turns collection back on (`qualcode open` starts with it off).
    """
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    gc.enable()


def run_app(project: Project | ProjectHandle, *, lang: str = "id", coder: str = "researcher",
            source_id: int | None = None) -> None:
    """Run the UI on an open project until the user quits (optionally opened on a source)."""
    QualcodeApp(project, lang=lang, coder=coder, source_id=source_id, tune_gc=True).run()
