"""The Textual app: one factory shared by the CLI (`run_app`) and the tests (`QualcodeApp`).

The app owns navigation between screens (`open_source`, `open_home`, `open_codebook`,
`open_memos`, `show_help`), the global keys (help, undo/redo, quit, "go to" menu) and the
command palette, which lists the actions of the current screen.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core.store import read as store_read
from qualcode.core.store.handle import ProjectHandle
from qualcode.errors import QualcodeError, database_damage
from qualcode.tui.error_text import localise
from qualcode.tui.i18n import STRINGS, t
from qualcode.tui.messages import StoreChanged

if TYPE_CHECKING:
    from qualcode.core.store import Project
    from qualcode.core.store.read import Reader

STRINGS.update({
    "app.goto": {"id": "Pergi ke…", "en": "Go to…"},
    "app.home": {"id": "Beranda", "en": "Home"},
    "app.codebook": {"id": "Buku kode", "en": "Codebook"},
    "app.memos": {"id": "Memo", "en": "Memos"},
    "app.analysis": {"id": "Analisis", "en": "Analysis"},
    "app.search": {"id": "Cari di semua sumber", "en": "Search all sources"},
    "app.palette": {"id": "Palet perintah", "en": "Command palette"},
    "app.undone": {"id": "Diurungkan: {what}", "en": "Undone: {what}"},
    "app.redone": {"id": "Diulang: {what}", "en": "Redone: {what}"},
    "app.nothing_undo": {"id": "Tidak ada yang bisa diurungkan.", "en": "Nothing to undo."},
    "app.nothing_redo": {"id": "Tidak ada yang bisa diulang.", "en": "Nothing to redo."},
    "app.unavailable": {"id": "Layar ini belum tersedia.", "en": "This screen is not available."},
    "app.goto_title": {"id": "Pergi ke (tekan huruf)", "en": "Go to (press a letter)"},
    "app.key": {"id": "tombol {keys}", "en": "key {keys}"},
    "app.sources": {"id": "Sumber data (Enter membuka)", "en": "Sources (Enter opens)"},
    "coding.title": {"id": "Koding", "en": "Coding"},
})

POSITIONS_META = "ui_positions"
GOTO_TARGETS = (("h", "app.home", "open_home"), ("c", "app.codebook", "open_codebook"),
                ("m", "app.memos", "open_memos"), ("s", "app.search", "open_search"),
                ("a", "app.analysis", "open_analysis"))


class QualcodeApp(App[None]):
    """The coding workspace over one open project."""

    TITLE = "qualcode"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "help", key_display="?"),
        Binding("ctrl+z", "undo", "undo", key_display="^z"),
        Binding("ctrl+y", "redo", "redo", key_display="^y", show=False),
        Binding("q", "quit", "quit"),
        Binding("g", "goto", "app.goto"),
        # Declared here (Textual adds it in App.__init__) so that re-translating the bindings
        # (`localise_bindings`) keeps it.
        Binding("ctrl+p", "command_palette", "app.palette", show=False, priority=True,
                key_display="^p"),
        Binding("f2", "codebook", "app.codebook", show=False),
        Binding("f3", "memos", "app.memos", show=False),
        Binding("f4", "search", "app.search", show=False),
    ]

    def __init__(self, project: Project | ProjectHandle, *, lang: str = "id",
                 coder: str | None = None, source_id: int | None = None,
                 tune_gc: bool = False) -> None:
        from qualcode.core.store.read import project_coder

        self._lang = lang
        super().__init__()
        self.handle = project if isinstance(project, ProjectHandle) else ProjectHandle.of(project)
        self.coder = coder or project_coder(self.handle.reader)
        self.start_source = source_id
        self.tune_gc = tune_gc
        self.opened = False  # a coding screen has been shown
        self._positions: dict[int, int] | None = None  # source id -> offset of the cursor
        self.last_source: int | None = None  # the source whose coding screen was left last
        self._home: Screen[Any] | None = None
        self._localise()

    @property
    def project(self) -> Project:
        """The project's store (waits for it if it is still loading in the background); its
        `session_coder` is this session's coder, whose codings analysis counts by default
        when the project has no consensus coder."""
        project = self.handle.project
        project.session_coder = self.coder
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
        self._localise()

    def _localise(self) -> None:
        from qualcode.tui.screens.screen_base import localise_bindings

        localise_bindings(self, self._lang)

    def tr(self, key: str, **fmt: object) -> str:
        """UI text in the current language."""
        return t(key, self._lang, **fmt)

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
            message = error.message if isinstance(error, QualcodeError) else str(error)
            self.exit(return_code=2, message=f"error: {message}")
        elif self.handle.ready:
            self._store_loaded()

    def _store_loaded(self) -> None:
        if self.tune_gc:
            tune_garbage_collector()
        else:
            gc.enable()

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
        self.last_source = source_id

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
            if self.theme != (saved_theme or "textual-dark"):  # e.g. chosen in the palette
                self.project.set_meta("ui_theme", self.theme)
        self.exit()

    # ---- navigation (the contract with the other screens) ----------------------------------
    def open_source(self, source_id: int, offset: int | None = None) -> None:
        """Show the coding screen of a source, cursor on the segment containing `offset`.

        Without `offset`, the screen opens where the researcher left that source.
        """
        from qualcode.tui.screens.coding import CodingScreen

        stack = self.screen_stack
        for depth, screen in enumerate(reversed(stack)):
            if isinstance(screen, CodingScreen) and screen.source_id == source_id:
                for _ in range(depth):
                    self.pop_screen()
                if offset is not None:
                    screen.transcript.go_to_offset(offset)
                return
        if offset is None:
            offset = self.positions.get(source_id)
        try:
            screen = CodingScreen(source_id, offset)
        except QualcodeError as exc:
            self.notify(localise(exc.message, self.lang), severity="error", markup=False)
            return
        self.push_screen(screen)
        self.opened = True

    def open_home(self) -> None:
        """Back to the home screen (HomeLater builds it if the app started on a source)."""
        while len(self.screen_stack) > 1 and self.screen is not self._home:
            self.pop_screen()

    def open_codebook(self) -> None:
        """The codebook screen."""
        try:
            from qualcode.tui.screens.codebook import CodebookScreen
        except ImportError:
            self.notify(self.tr("app.unavailable"), severity="warning")
            return
        if not isinstance(self.screen, CodebookScreen):
            self.push_screen(CodebookScreen())

    def open_analysis(self) -> None:
        """The Miles & Huberman analysis hub."""
        from qualcode.tui.screens.analysis import AnalysisScreen

        if not isinstance(self.screen, AnalysisScreen):
            self.push_screen(AnalysisScreen())

    def open_memos(self, scope: str | None = None, target: int | None = None) -> None:
        """The memos screen (optionally filtered to one scope / target)."""
        try:
            from qualcode.tui.screens.memos import MemosScreen
        except ImportError:
            self.notify(self.tr("app.unavailable"), severity="warning")
            return
        self.push_screen(MemosScreen(scope=scope, target=target))

    def open_search(self, query: str = "") -> None:
        """The project-wide search screen."""
        from qualcode.tui.screens.search import SearchScreen

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

    def action_codebook(self) -> None:
        """Open the codebook screen."""
        self.open_codebook()

    def action_memos(self) -> None:
        """Open the memos screen."""
        self.open_memos()

    def action_search(self) -> None:
        """Open the project-wide search."""
        self.open_search()

    def action_goto(self) -> None:
        """A small menu: the next letter chooses where to go (g h home, g c codebook …)."""
        def chosen(method: str | None) -> None:
            if method:
                getattr(self, method)()
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
            self.notify(localise(problem.message, self.lang), severity="error", markup=False)
            return
        if action is None:
            self.notify(self.tr(f"app.nothing_{which}"), timeout=2)
            return
        key = "app.undone" if which == "undo" else "app.redone"
        self.notify(self.tr(key, what=action.description), timeout=2, markup=False)
        self.broadcast_change(action.kind, action.description, undone=which == "undo")
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
            title = t(binding.description, self._lang)
            help_text = self.tr("app.key", keys=self.get_key_display(binding) or key)
            yield SystemCommand(title, help_text,
                                partial(self.run_action, binding.action, active.node))
        yield from super().get_system_commands(screen)


class GotoMenu(ModalScreen[str | None]):
    """Where `g` leads: h home, c codebook, m memos, s search; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(key, f"go('{method}')", label) for key, label, method in GOTO_TARGETS],
        Binding("escape,g", "go('')", "common.cancel"),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__(classes="qc-dialog")
        self.lang = lang

    def compose(self) -> Any:
        with Vertical(classes="qc-dialog-box qc-goto"):
            yield Label(t("app.goto_title", self.lang), classes="qc-dialog-title")
            for key, label, _method in GOTO_TARGETS:
                yield Static(f"[b]{key}[/b]  {t(label, self.lang)}")

    def action_go(self, method: str) -> None:
        """Close with the chosen app method (or nothing)."""
        self.dismiss(method or None)


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
        yield Label(app.tr("app.sources"), classes="qc-dialog-title")
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
