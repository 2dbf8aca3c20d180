"""The analysis hub (Miles & Huberman) and what its screens share.

- `AnalysisScreen`: the hub — retrieval, summary grid, displays, conclusions, export.
- `AnalysisBase`: the base of the analysis screens: choosing a codebook or coder, a busy
  indicator, and exports written in a worker that only posts `ExportDone` / `ExportFailed`.
- `MultiPickDialog`: choose several items (codes, informants, kinds, coders) for a filter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Header, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from qualcode.errors import error_text
from qualcode.i18n import N_, _
from qualcode.tui import keymap
from qualcode.tui.screens.pick_dialog import PickDialog
from qualcode.tui.screens.screen_base import QualcodeScreen, app_lang, localise_bindings
from qualcode.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from qualcode.core.analysis.base import Display

MENU = keymap.ANALYSIS_MENU
ABOUT = {  # what each analysis screen shows (the menu's second line)
    "retrieval": N_("coded excerpts by code × informant × kind × coder × valence"),
    "summaries": N_("code × informant summaries (reduction), drafts, memos"),
    "displays": N_("matrices, triangulation, co-occurrence, frequencies, chart"),
    "conclusions": N_("verdicts, evidence, verification checklist"),
    "review": N_("places where coders differ: decide into the consensus coder"),
    "export": N_("tables and the conclusions report for a paper"),
}
ALL = "*"  # the "all / no filter" choice in pick lists


class ExportDone(Message):
    """An export worker wrote these files."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__()
        self.paths = paths


class ExportFailed(Message):
    """An export worker failed (the message is for the researcher)."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class AnalysisBase(QualcodeScreen):
    """Shared by the analysis screens: codebook / coder choice, busy state, exports."""

    def __init__(self, codebook: str | None = None, coder: str | None = None) -> None:
        super().__init__()
        self.codebook = codebook
        self.coder = coder
        self._loaded: tuple[Any, ...] | None = None

    def needs_reload(self, *params: Any) -> bool:
        """Whether the project's data, the language or `params` changed since the last load
        (then the new state is recorded): returning to a screen whose data did not change
        does not recompute it."""
        from qualcode.core.analysis.catalogue import store_version

        state = (store_version(self.project), self.lang, *params)
        if state == self._loaded:
            return False
        self._loaded = state
        return True

    def invalidate(self) -> None:
        """Make the next refresh_data reload (e.g. after a failed load)."""
        self._loaded = None

    @property
    def app_coder(self) -> str:
        """Who is working (recorded as `decided_by` / author)."""
        return str(getattr(self.app, "coder", "researcher"))

    def set_busy(self, busy: bool) -> None:
        """Show or hide the screen's LoadingIndicator (id `busy`)."""
        for indicator in self.query("#busy"):
            indicator.display = busy

    def codebook_text(self) -> str:
        return self.codebook or _("All active codebooks")

    def coder_text(self) -> str:
        """Whose codings the screen counts: the choice, or the default it resolves to."""
        if self.coder:
            return self.coder
        from qualcode.core.analysis.query import resolve_coders

        return _("{coders} (default)", lang=self.lang).format(
            coders=", ".join(resolve_coders(self.project)))

    # ---- choosing ------------------------------------------------------------------------
    def pick_codebook(self, done: Callable[[str | None], Any], *, allow_all: bool = True) -> None:
        """Ask for a codebook; `done(key or None)` runs only when one is chosen."""
        options: list[tuple[str, str | Text]] = []
        if allow_all:
            options.append((ALL, _("All active codebooks")))
        for book in self.project.codebooks():
            title = (book.title_en or book.title_id) if self.lang == "en" else (
                book.title_id or book.title_en)
            label = Text(book.key, style="bold")
            label.append(f"  {title}", style="" if book.active else "dim")
            options.append((book.key, label))

        def chosen(value: str | None) -> None:
            if value is not None:
                done(None if value == ALL else value)

        self.app.push_screen(PickDialog(_("Choose a codebook"), options,
                                        value=self.codebook or ALL), chosen)

    def pick_coder(self, done: Callable[[str | None], Any]) -> None:
        """Ask whose codings count: the default (the consensus coder where one exists, else
        the session's coder), one coder, or every human coder (a passage coded alike by
        several counts once)."""
        from qualcode.core.analysis.catalogue import coders
        from qualcode.core.coders import SPECIAL_CODERS, coder_label
        from qualcode.i18n import _

        names = coders(self.project)
        humans = [n for n in names if n not in SPECIAL_CODERS]
        options: list[tuple[str, str | Text]] = [(ALL, _(
            "Default: the consensus coder, else you ({coder})", lang=self.lang).format(
            coder=self.app_coder))]
        options += [(name, coder_label(name, self.lang)) for name in names]
        if len(humans) > 1:
            options.append((",".join(humans), _(
                "Coders {coders} (a passage coded by several counts once)",
                lang=self.lang).format(coders=", ".join(humans))))

        def chosen(value: str | None) -> None:
            if value is not None:
                done(None if value == ALL else value)

        self.app.push_screen(PickDialog(_("Choose a coder"), options,
                                        value=self.coder or ALL), chosen)

    # ---- exports -------------------------------------------------------------------------
    def open_export(self, whats: Sequence[str], *, default: str,
                    display: Display | Callable[[], Display] | None = None,
                    display_key: str = "display") -> None:
        """The export dialog; the chosen export runs in a worker."""
        from qualcode.core.analysis.catalogue import export_folder, export_stem
        from qualcode.core.export import paper_setting
        from qualcode.tui.screens.export_dialog import ExportDialog, ExportRequest, make_job

        def chosen(request: ExportRequest | None) -> None:
            if request is None:
                return
            if request.path.suffix.lower() in (".docx", ".tex"):   # saved as the CLI's --paper
                paper_setting(self.project, request.paper)
            job = make_job(self.project, request.what, display=display,
                           codebook=self.codebook, coder=self.coder, lang=self.lang,
                           force=request.force, paper=request.paper, figures=request.figures)
            self.start_export(job, request.path)

        dialog = ExportDialog(list(whats), default=default, folder=export_folder(self.project),
                              stem=export_stem(self.project), display_key=display_key,
                              paper=paper_setting(self.project))
        self.app.push_screen(dialog, chosen)

    def start_export(self, job: Callable[[Path], list[Path]], path: Path) -> None:
        """Run `job(path)` in a worker; the result is notified."""
        self.notify(_("Exporting to {path}…").format(path=str(path)), timeout=3, markup=False)
        self._export_worker(job, path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export_worker(self, job: Callable[[Path], list[Path]], path: Path) -> None:
        try:
            paths = job(path)
        except Exception as exc:  # a file-system or library failure must not end the app
            self.post_message(ExportFailed(error_text(exc, self.lang)))
            return
        self.post_message(ExportDone(paths))

    def on_export_done(self, message: ExportDone) -> None:
        message.stop()
        paths = message.paths
        if len(paths) == 1:
            self.notify(_("Written: {path}").format(path=str(paths[0])), markup=False, timeout=8)
        elif paths:  # e.g. one CSV per display: one message, not a stack of them
            names = ", ".join(p.name for p in paths[:3]) + (", …" if len(paths) > 3 else "")
            self.notify(
                _("{n} files written in {folder}: {names}").format(
                    n=len(paths), folder=str(paths[0].parent), names=names
                ),
                markup=False,
                timeout=10,
            )

    def on_export_failed(self, message: ExportFailed) -> None:
        message.stop()
        self.notify(_("Failed: {error}").format(error=message.error), title=_("Error"),
                    severity="error", markup=False, timeout=10)

    def action_back(self) -> None:
        """Close the screen."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


class MultiPickDialog(ModalScreen[list[str] | None]):
    """Choose any number of (value, label) items; dismisses with the values (none = all)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["dialogs.tcss", "analysis.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("multi_pick")

    def __init__(self, title: str, options: Sequence[tuple[str, str | Text]],
                 selected: Sequence[str] = ()) -> None:
        super().__init__(classes="dialog")
        self.dialog_title = title
        self.options = list(options)
        self.selected = set(selected)
        localise_bindings(self, app_lang(self))

    def compose(self) -> ComposeResult:
        lang = app_lang(self)
        with Vertical(classes="dialog-box multi-box"):
            yield Label(self.dialog_title, classes="dialog-title")
            yield SelectionList[str](*[Selection(label, value, value in self.selected)
                                       for value, label in self.options], id="multi-options")
            yield Static(_("Space toggles · Enter applies · none = all · Esc cancels", lang=lang),
                         classes="multi-hint")

    def on_mount(self) -> None:
        if self.children:
            self.query_one(SelectionList).focus()

    def action_apply(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))

    def action_close(self) -> None:
        self.dismiss(None)


class AnalysisScreen(AnalysisBase):
    """The hub: where the researcher goes from codings to the results section."""

    CSS_PATH = "analysis.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("analysis")

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="an-body"):
            yield Static(id="an-progress")
            yield OptionList(id="an-menu")
        yield KeyBar()

    def relabel(self) -> None:
        self.title = "qualcode"
        self.sub_title = _("Analysis (Miles & Huberman)")
        box = self.query_one("#an-menu", OptionList)
        keep = box.highlighted
        box.clear_options()
        for key, what in MENU:
            line = Text(f"{key}  ", style="bold")
            line.append(keymap.describe(keymap.ANALYSIS_TEXT[what], self.lang), style="bold")
            line.append(f"\n   {_(ABOUT[what])}", style="dim")
            box.add_option(Option(line, id=what))
        box.highlighted = keep if keep is not None else 0
        box.focus()

    def refresh_data(self) -> None:
        from qualcode.core.analysis.catalogue import analysis_progress

        p = analysis_progress(self.project)
        self.query_one("#an-progress", Static).update(
            _(
                "{codings} codings · summaries: {sa} accepted, {sd} "
                "drafts · conclusions: {cv} verified, {ct} tentative"
            ).format(
                codings=p.codings,
                sa=p.summaries_accepted,
                sd=p.summaries_draft,
                cv=p.conclusions_verified,
                ct=p.conclusions_tentative,
            )
        )

    @on(OptionList.OptionSelected, "#an-menu")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_open(event.option.id)

    def action_open(self, what: str) -> None:
        """Open one of the analysis screens (or the export dialog)."""
        screen: QualcodeScreen
        if what == "retrieval":
            from qualcode.tui.screens.retrieval import RetrievalScreen

            screen = RetrievalScreen()
        elif what == "summaries":
            from qualcode.tui.screens.summary_grid import SummaryGridScreen

            screen = SummaryGridScreen()
        elif what == "displays":
            from qualcode.tui.screens.matrix_view import MatrixScreen

            screen = MatrixScreen()
        elif what == "conclusions":
            from qualcode.tui.screens.conclusions import ConclusionsScreen

            screen = ConclusionsScreen()
        elif what == "review":
            from qualcode.tui.screens.review import ReviewScreen

            screen = ReviewScreen()
        else:
            self.open_export(["all", "report", "chart", "network", "project", "codebook"],
                             default="all")
            return
        self.app.push_screen(screen)
