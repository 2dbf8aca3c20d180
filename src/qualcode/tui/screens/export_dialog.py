"""The export dialog: what to write (the display on screen, all displays, the conclusions
report, a chart), the format, the file (by default in the project's folder), and for Word and
LaTeX the paper (A4 / Letter, saved as the project's setting, as the CLI's --paper) and whether
each table is followed by its figure (the CLI's --figures).

The dialog only checks the target and dismisses with an `ExportRequest`; the calling screen
runs `make_job(...)` in a worker (see analysis.AnalysisBase.start_export). A file that exists
already is replaced only after the researcher confirms it (ReplaceDialog); the export itself
is written whole or not at all (core.atomic).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from qualcode.core.export import FIGURE_FORMATS, REPORT_FORMATS, TABLE_FORMATS, check_target
from qualcode.errors import QualcodeError, error_text
from qualcode.i18n import N_, _
from qualcode.tui import keymap
from qualcode.tui.screens.screen_base import app_lang, localise_bindings

if TYPE_CHECKING:
    from qualcode.core.analysis.base import Display

WHAT_NAMES = {  # what can be exported
    "display": N_("The display on screen"),
    "retrieval": N_("The retrieved excerpts"),
    "all": N_("All displays (one file; CSV: one per display)"),
    "report": N_("Conclusions report (results section)"),
    "chart": N_("Chart: codings by valence"),
    "network": N_("Chart: co-occurrence network"),
}

# Exchange with other QDA programs (REFI-QDA): the labels go through gettext.
EXCHANGE_LABELS = {"project": N_("The whole project for other QDA programs (REFI-QDA)"),
                   "codebook": N_("The codebooks (REFI-QDA .qdc or CSV)")}
FORMATS: dict[str, tuple[str, ...]] = {
    "display": TABLE_FORMATS, "retrieval": ("xlsx", "csv", "docx", "md"), "all": TABLE_FORMATS,
    "report": REPORT_FORMATS, "chart": FIGURE_FORMATS, "network": FIGURE_FORMATS,
    "project": ("qdpx",), "codebook": ("qdc", "csv")}
DEFAULT_FORMAT = {"display": "xlsx", "retrieval": "xlsx", "all": "xlsx", "report": "docx",
                  "chart": "png", "network": "png", "project": "qdpx", "codebook": "qdc"}
PAGED = ("docx", "tex")              # formats with a page size
WITH_FIGURES = ("display", "all")    # tables that can be followed by their figures
PAPER_NAMES = {"a4": "A4", "letter": "Letter"}
FILE_NAMES = {"all": "displays", "report": "conclusions", "chart": "valence-chart",
              "network": "cooccurrence-network", "retrieval": "excerpts", "project": "project",
              "codebook": "codebook"}


@dataclass(frozen=True)
class ExportRequest:
    """What the researcher chose: `what` (a FORMATS key) written to `path`."""

    what: str
    path: Path
    force: bool = False
    paper: str = "a4"
    figures: bool = False


def existing_targets(what: str, path: Path, figures: bool = False) -> list[Path]:
    """Files an export of `what` to `path` would replace (CSV of all displays: one per
    display, named `STEM-NAME.csv`; LaTeX with figures: also `STEM-figures/figure-N.pdf`)."""
    from qualcode.core.atomic import existing

    if what == "all" and path.suffix.lower() == ".csv":
        return sorted(path.parent.glob(f"{path.stem}-*.csv"))
    found = existing([path])
    if figures and path.suffix.lower() == ".tex":
        from qualcode.core.export.latex_figures import figures_folder

        folder = figures_folder(path)
        found += sorted(folder.glob("figure-*.pdf")) if folder.is_dir() else []
    return found


class ReplaceDialog(ModalScreen[bool]):
    """Ask before an export replaces existing files: y replaces, n / Escape goes back."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["dialogs.tcss", "export_dialog.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("replace_file")

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__(classes="dialog")
        self.paths = list(paths)
        localise_bindings(self, app_lang(self))

    def compose(self) -> ComposeResult:
        names = ", ".join(p.name for p in self.paths[:3]) + (", …" if len(self.paths) > 3
                                                            else "")
        with Vertical(classes="dialog-box replace-box"):
            yield Label(_("Replace existing file?"), classes="dialog-title")
            yield Static(Text(_("{names} exists already in {folder}. Replace it? The old file "
                                "stays as it is if you cancel.").format(
                names=names, folder=str(self.paths[0].parent))), id="rp-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Replace"), id="rp-yes", variant="warning", compact=True)
                yield Button(_("Cancel"), id="rp-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#rp-no", Button).focus()

    def action_replace(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#rp-yes")
    def _yes(self) -> None:
        self.action_replace()

    @on(Button.Pressed, "#rp-no")
    def _no(self) -> None:
        self.action_cancel()


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Choose what, format and file; ctrl+s or Enter in the file field exports."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["dialogs.tcss", "export_dialog.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("export")

    def __init__(self, whats: Sequence[str], *, default: str, folder: Path, stem: str,
                 display_key: str = "display", paper: str = "a4") -> None:
        super().__init__(classes="dialog")
        self.paper = paper if paper in PAPER_NAMES else "a4"
        self.whats = [w for w in whats if w in FORMATS]
        self.what = default if default in self.whats else self.whats[0]
        self.folder = folder
        self.stem = stem
        self.display_key = display_key
        self.lang = app_lang(self)
        localise_bindings(self, self.lang)

    def label(self, what: str) -> str:
        """The choice's label in the interface language."""
        if what in EXCHANGE_LABELS:
            return _(EXCHANGE_LABELS[what], lang=self.lang)
        return _(WHAT_NAMES[what], lang=self.lang)

    def compose(self) -> ComposeResult:
        fmt = DEFAULT_FORMAT[self.what]
        with Vertical(classes="dialog-box export-box"):
            yield Label(_("Export for a paper"), classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label(_("What"), classes="form-label")
                yield Select([(self.label(w), w) for w in self.whats], value=self.what,
                             allow_blank=False, id="ex-what", compact=True, classes="form-input")
            with Horizontal(classes="form-row"):
                yield Label(_("Format"), classes="form-label")
                yield Select(self._format_options(self.what), value=fmt, allow_blank=False,
                             id="ex-format", compact=True, classes="form-input")
            with Horizontal(classes="form-row"):
                yield Label(_("File"), classes="form-label")
                yield Input(self.default_name(self.what, fmt), id="ex-path", compact=True,
                            classes="form-input")
            with Horizontal(classes="form-row"):
                yield Label(_("Paper"), classes="form-label")
                yield Select([(name, key) for key, name in PAPER_NAMES.items()],
                             value=self.paper, allow_blank=False, id="ex-paper", compact=True,
                             classes="form-input")
            with Horizontal(classes="form-row"):
                yield Label("", classes="form-label")
                yield Checkbox(_("Follow each table with its figure (Word, LaTeX)"),
                               id="ex-figures", compact=True, classes="form-input")
            yield Static(Text(_("Default folder: {folder}").format(folder=str(self.folder)),
                              style="dim"),
                         id="ex-folder")
            yield Label("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Export"), id="ex-go", variant="primary", compact=True)
                yield Button(_("Cancel"), id="ex-cancel", compact=True)

    def on_mount(self) -> None:
        if self.children:
            self._enable_options()
            self.query_one("#ex-path", Input).focus()

    def chosen_format(self) -> str:
        """The format chosen (the default for `what` while none is)."""
        chooser = self.query_one("#ex-format", Select)
        return DEFAULT_FORMAT[self.what] if chooser.is_blank() else str(chooser.value)

    def _enable_options(self) -> None:
        """Paper only for Word and LaTeX; figures only for tables written to them."""
        fmt = self.chosen_format()
        self.query_one("#ex-paper", Select).disabled = fmt not in PAGED
        self.query_one("#ex-figures", Checkbox).disabled = (fmt not in PAGED
                                                            or self.what not in WITH_FIGURES)

    def options(self) -> tuple[str, bool]:
        """(paper, figures) as chosen, figures only where they apply."""
        paper = self.query_one("#ex-paper", Select)
        figures = self.query_one("#ex-figures", Checkbox)
        return (self.paper if paper.is_blank() else str(paper.value),
                figures.value and not figures.disabled)

    @staticmethod
    def _format_options(what: str) -> list[tuple[str, str]]:
        return [(f".{f}", f) for f in FORMATS[what]]

    def default_name(self, what: str, fmt: str) -> str:
        """The file name proposed for `what` in `fmt` (inside the default folder)."""
        name = self.display_key if what == "display" else FILE_NAMES.get(what, what)
        return f"{self.stem}-{name}.{fmt}"

    @on(Select.Changed, "#ex-what")
    def _what_changed(self, event: Select.Changed) -> None:
        what = str(event.value)
        if what == self.what:
            return
        self.what = what
        fmt = DEFAULT_FORMAT[what]
        chooser = self.query_one("#ex-format", Select)
        chooser.set_options(self._format_options(what))
        chooser.value = fmt
        self.query_one("#ex-path", Input).value = self.default_name(what, fmt)
        self._enable_options()

    @on(Select.Changed, "#ex-format")
    def _format_changed(self, event: Select.Changed) -> None:
        if event.value is Select.BLANK:
            return
        box = self.query_one("#ex-path", Input)
        path = Path(box.value.strip() or self.default_name(self.what, str(event.value)))
        box.value = str(path.with_suffix(f".{event.value}"))
        self._enable_options()

    def target(self) -> Path:
        """The file to write: the typed path (relative to the default folder), with the
        chosen format's suffix unless it already has an allowed one."""
        fmt = self.chosen_format()
        typed = self.query_one("#ex-path", Input).value.strip() or self.default_name(
            self.what, fmt)
        path = Path(typed).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        if path.suffix.lower().lstrip(".") not in FORMATS[self.what]:
            path = path.with_name(path.name + f".{fmt}")
        return path

    def action_export(self) -> None:
        try:
            path = self.target()
            check_target(path, FORMATS[self.what])
        except QualcodeError as exc:
            error = self.query_one("#form-error", Label)
            error.update(Text(error_text(exc, str(getattr(self.app, "lang", "id")))))
            error.add_class("visible")
            return
        paper, figures = self.options()
        found = existing_targets(self.what, path, figures)
        if not found:
            self.dismiss(ExportRequest(self.what, path, paper=paper, figures=figures))
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self.dismiss(ExportRequest(self.what, path, force=True, paper=paper,
                                           figures=figures))

        self.app.push_screen(ReplaceDialog(found), answered)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#ex-path")
    def _enter(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#ex-go")
    def _go(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#ex-cancel")
    def _cancel(self) -> None:
        self.action_cancel()


def make_job(project: Any, what: str, *, display: Display | Callable[[], Display] | None,
             codebook: str | None, coder: str | None, lang: str,
             force: bool = False, paper: str = "a4",
             figures: bool = False) -> Callable[[Path], list[Path]]:
    """The export work for a request (run in a worker thread): returns the files written
    (an existing file is replaced only with `force`, i.e. after the researcher confirmed);
    `paper` and `figures` for Word and LaTeX."""
    from qualcode.core import export
    from qualcode.core.analysis import catalogue as ts

    def current() -> Display:
        if display is None:
            raise QualcodeError(N_("There is no display to export yet."))
        return display() if callable(display) else display

    def job(path: Path) -> list[Path]:
        if what == "project":
            from qualcode.core.exchange.qdpx_write import export_qdpx

            return [export_qdpx(project, path, force=force).path]
        if what == "codebook":
            from qualcode.core.exchange.csv_codebook import write_codebook_file
            from qualcode.core.exchange.qdc import specs_from_project

            specs = [s for s in specs_from_project(project)
                     if s.codes and codebook in (None, s.key)]
            return [write_codebook_file(specs, path, force=force)]
        if what in ("display", "retrieval"):
            return export.export_displays([current()], path, force=force, paper=paper,
                                          figures=figures and what == "display")
        if what == "all":
            return export.export_displays(
                ts.all_displays(project, codebook=codebook, coder=coder, lang=lang), path,
                force=force, paper=paper, figures=figures)
        if what == "report":
            from qualcode.core.analysis.conclusions import build_report

            report = build_report(project, codebook=codebook, lang=lang, coder=coder)
            return [export.export_report(report, path, force=force, paper=paper)]
        shown = current() if display is not None else None
        if what == "network":
            if shown is None or not shown.key.startswith("cooccurrence"):
                shown = ts.build_choice(project, "cooccurrence:count", codebook=codebook,
                                        coder=coder, lang=lang)
            return [export.export_chart(shown, path, kind="network", force=force)]
        chart = ts.chart_display(project, shown, codebook=codebook, coder=coder, lang=lang)
        return [export.export_chart(chart, path, kind="valence", force=force)]

    return job

