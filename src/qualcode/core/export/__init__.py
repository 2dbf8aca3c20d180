"""Exports for papers: displays, the conclusions report and figures, chosen by file suffix.

    export_display(display, Path("clustered.xlsx"))
    export_displays([d1, d2], Path("tables.docx"))      # one sheet / table per display
    export_report(report, Path("results.md"))
    export_chart(display, Path("valence.svg"))

Formats: tables .csv .xlsx .docx .tex .md; report .md .docx .tex; figures .png .svg .pdf. An unknown
suffix or a path that cannot be written raises a QualcodeError naming the file. Every file is
written whole or not at all (core.atomic), and an existing file is replaced only with
`force=True` (the CLI's --force, the TUI's confirmation).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.atomic import refuse_existing, write_whole
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, Message

if TYPE_CHECKING:
    from qualcode.core.analysis.conclusions import ResultsReport
    from qualcode.core.analysis.display import Display

TABLE_FORMATS = ("csv", "xlsx", "docx", "tex", "md")
REPORT_FORMATS = ("md", "docx", "tex")
FIGURE_FORMATS = ("png", "svg", "pdf")
_ALIASES = {"markdown": "md", "latex": "tex", "word": "docx", "excel": "xlsx"}

__all__ = ["FIGURE_FORMATS", "REPORT_FORMATS", "TABLE_FORMATS", "ExportError", "check_target",
           "export_chart", "export_display", "export_displays", "export_report", "format_of",
           "paper_setting", "paper_size"]


class ExportError(QualcodeError):
    """An export cannot be written: unknown format, missing folder, no permission."""


def format_of(path: Path, fmt: str | None, allowed: Sequence[str]) -> str:
    """The format to write: `fmt` if given, else the file suffix; must be one of `allowed`."""
    name = (fmt or path.suffix).lower().lstrip(".")
    name = _ALIASES.get(name, name)
    if name not in allowed:
        listed = ", ".join(f".{a}" for a in allowed)
        shown = f"'.{name}'" if name else Message(N_("no suffix"))
        raise ExportError(N_("{path}: unknown export format ({shown})"),
                          hint=N_("use one of {listed}"), path=path, shown=shown, listed=listed)
    return name


def check_target(path: Path, allowed: Sequence[str], fmt: str | None = None, *,
                 force: bool = True) -> str:
    """Fail early (before any work) if `path` has no allowed format or cannot be a file, or
    (without `force`) exists already; returns the format."""
    kind = format_of(path, fmt, allowed)
    _check_folder(Path(path))
    refuse_existing(Path(path), force)
    return kind


def _check_folder(path: Path) -> None:
    try:
        folder_missing, is_folder = not path.parent.exists(), path.is_dir()
    except OSError as exc:   # e.g. a file name too long for the file system
        raise ExportError(N_("{path}: cannot write ({reason})"),
                          hint=N_("choose a shorter or simpler file name"), path=path,
                          reason=exc.strerror or exc) from None
    if folder_missing:
        raise ExportError(N_("{path}: folder {parent} does not exist"),
                          hint=N_("create the folder first or choose another path"), path=path,
                          parent=path.parent)
    if is_folder:
        raise ExportError(N_("{path}: is a folder, not a file"), hint=N_("give a file name"),
                          path=path)
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):  # a FIFO would block the export, a device would take it
            raise ExportError(N_("{path}: is not a regular file (a pipe or a device)"),
                              hint=N_("give the name of a file to write"), path=path)
    if not path.parent.is_dir():
        raise ExportError(N_("{path}: {parent} is a file, not a folder"),
                          hint=N_("choose a path inside a folder"), path=path, parent=path.parent)
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ExportError(N_("{path}: no permission to write here"),
                          hint=N_("choose a folder of your own, e.g. next to the project"),
                          path=path)


def _writing(path: Path, write: Callable[[Path], Any], force: bool) -> Path:
    """Run a writer on a temporary file beside `path`, then put it in place in one step
    (core.atomic.write_whole; an existing file only with `force`).

    File-system failures (no permission, a full disk) become one-line errors and leave
    neither a half-written file nor a changed old one behind.
    """
    _check_folder(path)
    try:
        write_whole(path, write, force=force)
    except PermissionError:
        raise ExportError(N_("{path}: permission denied"),
                          hint=N_("choose a folder you can write to, or close the file if "
                                  "another program has it open"), path=path) from None
    except OSError as exc:
        raise ExportError(N_("{path}: cannot write ({reason})"),
                          hint=N_("check the path and the free disk space"), path=path,
                          reason=exc.strerror or exc) from None
    return path


def export_display(display: Display, path: Path, fmt: str | None = None, *,
                   force: bool = False, paper: str | None = None) -> Path:
    """Write one display to `path` (.csv .xlsx .docx .tex .md)."""
    return export_displays([display], path, fmt, force=force, paper=paper)[0]


def export_targets(displays: Sequence[Display], path: Path, fmt: str | None = None) -> list[Path]:
    """The files an export of `displays` to `path` writes (several for CSV)."""
    path = Path(path)
    if format_of(path, fmt, TABLE_FORMATS) == "csv" and len(displays) > 1:
        return csv_targets(displays, path)
    return [path]


def export_displays(displays: Sequence[Display], path: Path,
                    fmt: str | None = None, *, force: bool = False,
                    paper: str | None = None, figures: bool = False) -> list[Path]:
    """Write several displays: one sheet (XLSX) or one table (DOCX, LaTeX, Markdown) each.

    CSV holds one table per file, so several displays go to `STEM-NAME.csv` beside `path`
    (see csv_name); without `force` none is written if any of them exists. `paper`: a4 or
    letter for .docx and .tex (default: a4); `figures`: each display's figure follows its
    table (.docx: a picture; .tex: a PDF in `STEM-figures/`, see latex_figures).
    Returns the files written.
    """
    path = Path(path)
    kind = format_of(path, fmt, TABLE_FORMATS)
    targets = export_targets(displays, path, fmt)
    for target in targets:
        _check_folder(target)
    refuse_existing(targets, force)
    if kind == "csv":
        from qualcode.core.export.csv_export import write_csv

        return [_writing(target, partial(write_csv, display), force)
                for display, target in zip(displays, targets, strict=False)]
    writer: Callable[..., Path]
    if kind == "xlsx":
        from qualcode.core.export.xlsx import write_xlsx as writer
    elif kind == "docx":
        from qualcode.core.export.docx import write_docx

        writer = partial(write_docx, paper=paper_size(paper), figures=figures)
    elif kind == "tex" and figures:
        from qualcode.core.export.latex_figures import write_tex_figures

        return write_tex_figures(displays, path, paper=paper_size(paper), force=force)
    elif kind == "tex":
        from qualcode.core.export.latex import write_tex

        writer = partial(write_tex, paper=paper_size(paper))
    else:
        from qualcode.core.export.markdown import write_markdown as writer
    return [_writing(path, partial(writer, displays), force)]


# Matrices whose key is the same whatever their cells hold: the file name adds the cell content.
_KEY_PER_CELL = ("clustered", "role_ordered")
_CELL_NAMES = {"count": "counts"}


def csv_name(display: Display) -> str:
    """A display's own file-name part, the same in any set: its key, plus the cell content
    for the clustered and role-ordered matrices (`clustered_counts`, `clustered_valence`)."""
    if display.key in _KEY_PER_CELL:
        return f"{display.key}_{_CELL_NAMES.get(display.cell_kind, display.cell_kind)}"
    return display.key


def csv_targets(displays: Sequence[Display], path: Path) -> list[Path]:
    """The CSV file of each display, `STEM-NAME.csv` beside `path`; refuses (ExportError)
    to send two tables to one file, where the second would overwrite the first."""
    targets = [path.with_name(f"{path.stem}-{csv_name(d)}{path.suffix or '.csv'}")
               for d in displays]
    for number, target in enumerate(targets):
        if target in targets[:number]:
            first = displays[targets.index(target)]
            raise ExportError(N_("{target}: two displays would share this file ({title!r} and "
                                 "{other!r})"),
                              hint=N_("export them to .xlsx (a sheet each) or one at a time"),
                              target=target, title=first.title, other=displays[number].title)
    return targets


def export_report(report: ResultsReport, path: Path, fmt: str | None = None, *,
                  force: bool = False, paper: str | None = None) -> Path:
    """Write the conclusions report as a results section (.md .docx .tex)."""
    path = Path(path)
    kind = format_of(path, fmt, REPORT_FORMATS)
    if kind == "tex":
        from qualcode.core.export.latex_report import write_report_tex

        return _writing(path, partial(write_report_tex, report, paper=paper_size(paper)),
                        force)
    if kind == "docx":
        from qualcode.core.export.docx import write_report_docx

        return _writing(path, partial(write_report_docx, report, paper=paper_size(paper)),
                        force)
    from qualcode.core.export.markdown import write_report_markdown

    return _writing(path, partial(write_report_markdown, report), force)


def export_chart(display: Display, path: Path, *, kind: str | None = None,
                 force: bool = False) -> Path:
    """Write a figure (.png .svg .pdf by suffix): the display's own figure (heat map,
    bars, network), or with `kind` the valence bars or the network."""
    path = Path(path)
    format_of(path, None, FIGURE_FORMATS)
    _check_folder(path)
    refuse_existing(path, force)
    if kind not in (None, "valence", "network"):
        raise ExportError(N_("unknown chart kind {kind!r}"), hint=N_("use valence or network"),
                          kind=kind)
    from qualcode.core.export.figures import export_figure

    return _writing(path, partial(export_figure, display, kind=kind), force)


PAPERS = ("a4", "letter")


def paper_size(paper: str | None) -> str:
    """`paper` checked (a4 or letter; None = a4, the default outside North America)."""
    name = (paper or "a4").strip().lower()
    if name not in PAPERS:
        raise ExportError(N_("unknown paper size {paper!r}"), hint=N_("use a4 or letter"),
                          paper=paper)
    return name


def paper_setting(project: Any, paper: str | None = None) -> str:
    """The page size for Word and LaTeX files: `paper` (checked, and saved as the project's
    setting unless the project is read-only), else the project's saved choice, else a4.
    The CLI's --paper and the TUI's export dialog both go through here."""
    if paper is not None:
        chosen = paper_size(paper)
        if (project is not None and not project.read_only
                and project.get_meta("paper") != chosen):
            project.set_meta("paper", chosen)
        return chosen
    saved = project.get_meta("paper") if project is not None else None
    return paper_size(saved) if saved in PAPERS else "a4"
