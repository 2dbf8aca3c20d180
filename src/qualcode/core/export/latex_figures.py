r"""LaTeX tables with their figures: each display's figure as a PDF beside the .tex.

`export tables.tex --figures` writes `tables-figures/figure-1.pdf`, `figure-2.pdf`, ... (one per
display that has a figure: the matrices, co-occurrence and frequencies) and the document, in
which each such table is followed by

    \begin{figure}[htbp]
    \centering
    \includegraphics[width=\linewidth,...]{tables-figures/figure-1.pdf}
    \caption{...}          % "Gambar 1. ..." / "Figure 1. ..." (\figurename in the preamble)
    \label{fig:...}
    \end{figure}

Figures and tables are numbered apart, as in the Word export. Every file is written whole
(core.atomic); without `force` nothing is written if the .tex or any figure file exists; if a
later file fails, the figures this export added are removed again, so the document never
points at files that are not there.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.core.atomic import refuse_existing
from qualcode.core.export.latex import escape, tex_document

if TYPE_CHECKING:
    from qualcode.core.analysis.display import Display

FIGURE_NAME = "figure-{number}.pdf"


def figures_folder(path: Path) -> Path:
    """The folder of a .tex file's figures: `STEM-figures` beside it, the stem reduced to
    letters, digits, - and _ (characters LaTeX reads safely in a file name)."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(path).stem).strip("-") or "tables"
    return Path(path).with_name(f"{stem}-figures")


def figure_targets(displays: Sequence[Display], path: Path) -> list[tuple[Display, Path]]:
    """(display, PDF file) for each display that has a figure, numbered in order."""
    from qualcode.core.export.figures import has_figure

    folder = figures_folder(path)
    drawn = [d for d in displays if has_figure(d)]
    return [(d, folder / FIGURE_NAME.format(number=n)) for n, d in enumerate(drawn, start=1)]


def figure_block(display: Display, relative: str) -> str:
    r"""A `figure` environment including `relative` (a path from the .tex's folder)."""
    label = re.sub(r"[^A-Za-z0-9:-]+", "-", display.key).strip("-") or "display"
    return "\n".join([
        r"\begin{figure}[htbp]",
        r"\centering",
        r"\includegraphics[width=\linewidth,height=0.8\textheight,keepaspectratio]"
        f"{{{relative}}}",
        f"\\caption{{{escape(display.title)}}}",
        f"\\label{{fig:{label}}}",
        r"\end{figure}",
    ]) + "\n"


def tex_with_figures(displays: Sequence[Display], figures: dict[int, str],
                     paper: str = "a4") -> str:
    """The document: each display's table, followed by its figure when `figures` (display
    position -> relative PDF path) names one."""
    after = {position: figure_block(displays[position], relative)
             for position, relative in figures.items()}
    return tex_document(displays, paper, after)


def _write_text(text: str, path: Path) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _check_figures_folder(folder: Path) -> None:
    from qualcode.core.export import ExportError
    from qualcode.i18n import N_

    if os.path.lexists(folder) and not folder.is_dir():
        raise ExportError(N_("{path}: is a file, but the figures go into a folder of this name"),
                          hint=N_("move the file away or choose another name for the .tex"),
                          path=folder)


def write_tex_figures(displays: Sequence[Display], path: Path, *, paper: str = "a4",
                      force: bool = False) -> list[Path]:
    """Write the figures (PDF) and then the .tex that includes them; returns the files
    written, the .tex first."""
    from qualcode.core.export import _writing
    from qualcode.core.export.figures import export_figure

    path = Path(path)
    targets = figure_targets(displays, path)
    folder = figures_folder(path)
    if targets:
        _check_figures_folder(folder)
    refuse_existing([path, *(target for _, target in targets)], force)
    made_folder = bool(targets) and not folder.exists()
    if made_folder:
        folder.mkdir()
    added: list[Path] = []
    try:
        for display, target in targets:
            existed = os.path.lexists(target)
            _writing(target, partial(export_figure, display), force)
            if not existed:
                added.append(target)
        position = {id(d): n for n, d in enumerate(displays)}
        relative = {position[id(d)]: f"{folder.name}/{t.name}" for d, t in targets}
        _writing(path, partial(_write_text, tex_with_figures(displays, relative, paper)),
                 force)
    except BaseException:
        for target in added:
            with contextlib.suppress(OSError):
                target.unlink()
        if made_folder:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return [path, *(target for _, target in targets)]
