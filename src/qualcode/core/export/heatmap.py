"""Heat maps of the matrices (clustered, role-ordered, triangulation): the table as a figure.

Rows and columns carry the table's own labels (row groups as heading rows, column groups such
as roles above their columns); every cell is annotated with the table's value, so the figure
reads in greyscale too:
- counts: one ordered ramp from white (0) to dark blue, lightness falling with the count;
- +/− cells ('3+ / 1−'): the balance (+ minus −) in blue (more +) or red hatched (more −),
  balanced cells dotted; the cell text is printed inside.
Summary columns of the triangulation matrix (source kinds (n), informants (n), roles (n)) are
printed beside the map, not coloured (another unit). Text cells cannot be a heat map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.export.flat_table import format_cell, scalar
from qualcode.core.export.labels import word

if TYPE_CHECKING:
    from qualcode.core.analysis.display import Display

_PLUS_MINUS = re.compile(r"(\d+)\s*\+\s*/\s*(\d+)\s*[−-]")
_NEUTRAL = re.compile(r"(\d+)\s+\w+$")
PLUS, MINUS, BALANCED = "#2f6ea8", "#c0392b", "#bdbdbd"
HATCH_MINUS, HATCH_BALANCED = "////", "...."


@dataclass
class HeatCell:
    """One cell: its value on the scale (None = empty) and the text printed in it."""

    value: float | None
    text: str


@dataclass
class HeatMatrix:
    """What the heat map draws, read from a display."""

    rows: list[tuple[str, str]]          # (group, label) per row, in table order
    columns: list[tuple[str, str]]       # (group, label) per coloured column
    cells: list[list[HeatCell]]
    extra_columns: list[str]             # summary columns printed beside the map
    extra: list[list[str]]
    balance: bool                        # +/− cells (else counts)


def _label(value: Any) -> str:
    value = scalar(value)
    return "" if value is None else str(value)


def _pairs(index: Any) -> list[tuple[str, str]]:
    if getattr(index, "nlevels", 1) > 1:
        return [(_label(t[0]), _label(t[-1])) for t in index]
    return [("", _label(t)) for t in index]


def balance_cell(text: str) -> HeatCell:
    """A '+/−' cell: value = + minus − codings (None when empty); the text compacted."""
    found = _PLUS_MINUS.search(text)
    neutral = _NEUTRAL.search(text) if "/" in text or text.strip() else None
    if not found and not neutral:
        return HeatCell(None, "")
    plus, minus = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    return HeatCell(float(plus - minus), " ".join(text.split()).replace(" / ", "/"))


def heat_matrix(display: Display) -> HeatMatrix:
    """The cells of a matrix display; summary columns (not 'i:' / 'k:' keys) set apart."""
    frame = display.frame
    keys = display.col_keys if len(display.col_keys) == frame.shape[1] else []
    coloured = [n for n in range(frame.shape[1])
                if not keys or keys[n].startswith(("i:", "k:"))]
    extra_cols = [n for n in range(frame.shape[1]) if n not in coloured]
    values = frame.to_numpy(dtype=object).tolist()
    balance = display.cell_kind in ("valence", "mixed") and any(
        isinstance(v, str) and v for line in values for n, v in enumerate(line)
        if n in coloured)
    if display.cell_kind == "text":
        from qualcode.core.export import ExportError
        from qualcode.i18n import N_

        raise ExportError(N_("{title}: text cells cannot be drawn as a figure"),
                          hint=N_("write it as .docx, .xlsx, .tex or .md, or choose counts or "
                                  "+/− cells"), title=display.title)
    cells = []
    for line in values:
        row = []
        for n in coloured:
            value = scalar(line[n])
            if balance:
                row.append(balance_cell(value if isinstance(value, str) else ""))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                row.append(HeatCell(float(value), format_cell(value, display.cell_kind)))
            else:
                row.append(HeatCell(None, ""))
        cells.append(row)
    all_columns = _pairs(frame.columns)
    from qualcode.core.export.flat_table import own_row_label

    rows = [(group, own_row_label(group, label, display.lang))
            for group, label in _pairs(frame.index)]
    return HeatMatrix(rows, [all_columns[n] for n in coloured], cells,
                      [all_columns[n][1] for n in extra_cols],
                      [[format_cell(line[n], "count") for n in extra_cols] for line in values],
                      balance)


def _layout(matrix: HeatMatrix) -> list[tuple[str, int | None]]:
    """Drawing rows top to bottom: ('heading', None) for a new row group, ('row', i)."""
    out: list[tuple[str, int | None]] = []
    previous: str | None = None
    grouped = len({g for g, _ in matrix.rows}) > 1 or any(g for g, _ in matrix.rows)
    for i, (group, _code) in enumerate(matrix.rows):
        if grouped and group != previous:
            out.append((group, None))
            previous = group
        out.append(("", i))
    return out


def _colour(cell: HeatCell, matrix: HeatMatrix, top: float) -> tuple[Any, str, bool]:
    """(face colour, hatch, dark) of a cell."""
    from matplotlib import colormaps
    from matplotlib.colors import to_rgba

    if cell.value is None:
        return (1, 1, 1, 1), "", False
    if not matrix.balance:
        share = cell.value / top if top else 0.0
        if share <= 0:
            return (1, 1, 1, 1), "", False
        return colormaps["Blues"](0.12 + 0.83 * share), "", share > 0.55
    share = min(abs(cell.value) / top, 1.0) if top else 0.0
    if cell.value == 0:
        return to_rgba(BALANCED, 0.45), HATCH_BALANCED, False
    base = PLUS if cell.value > 0 else MINUS
    return (to_rgba(base, 0.25 + 0.65 * share), "" if cell.value > 0 else HATCH_MINUS,
            share > 0.6)


def heatmap_figure(display: Display, path: Path) -> Path:
    """Draw a matrix display as an annotated heat map and save it to `path`."""
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.transforms import ScaledTranslation

    from qualcode.core.export.bars import notes
    from qualcode.core.export.figures import figure, save

    lang = display.lang
    matrix = heat_matrix(display)
    layout = _layout(matrix)
    n_cols, n_extra = len(matrix.columns), len(matrix.extra_columns)
    numbers = [abs(c.value) for row in matrix.cells for c in row if c.value is not None]
    top = max(numbers, default=0.0)
    longest = max((len(label) for _, label in matrix.rows), default=4)
    cell_w = 0.95 if matrix.balance else 0.62
    width = min(2.0 + 0.075 * min(longest, 45) + cell_w * (n_cols + 1.2 * n_extra), 16.0)
    height = min(1.9 + 0.32 * len(layout) + 0.07 * max(
        (len(lbl) for _, lbl in matrix.columns), default=4), 22.0)
    fig = figure(width, height)
    ax = fig.add_subplot()
    gap = 0.4 if n_extra else 0.0
    size = 7.5 if matrix.balance else 8
    for y, (heading, index) in enumerate(layout):
        if index is None:
            ax.text(-0.5, y, heading, ha="left", va="center", fontsize=8.5, style="italic",
                    weight="bold")
            continue
        for x, cell in enumerate(matrix.cells[index]):
            face, hatch, dark = _colour(cell, matrix, top)
            ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=face, hatch=hatch,
                                   edgecolor="#ffffff", linewidth=0.8))
            if hatch:  # the hatching in a mid grey, the border white
                ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, hatch=hatch,
                                       edgecolor="#555555", linewidth=0))
            if cell.text:
                zero = cell.value == 0 and not matrix.balance
                ax.text(x, y, cell.text, ha="center", va="center", fontsize=size,
                        color="white" if dark and not hatch else "#9a9a9a" if zero else "black",
                        bbox=None if not hatch else {"boxstyle": "round,pad=0.1",
                                                     "fc": "white", "ec": "none",
                                                     "alpha": 0.85})
        for k, text in enumerate(matrix.extra[index]):
            ax.text(n_cols + gap + 1.2 * k, y, text, ha="center", va="center", fontsize=size,
                    weight="bold")
    rows = [y for y, (_, index) in enumerate(layout) if index is not None]
    ax.set_yticks(rows, [matrix.rows[layout[y][1] or 0][1] for y in rows], fontsize=8)
    ticks = list(range(n_cols)) + [n_cols + gap + 1.2 * k for k in range(n_extra)]
    ax.set_xticks(ticks, [label for _, label in matrix.columns] + matrix.extra_columns,
                  rotation=40, ha="left", rotation_mode="anchor", fontsize=8)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    _column_groups(ax, matrix, len(layout))
    ax.set_xlim(-0.5, (n_cols - 0.5) + (gap + 1.2 * n_extra if n_extra else 0))
    ax.set_ylim(max(len(layout), 1) - 0.5, -0.5)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(display.title, fontsize=10, pad=12, loc="left")
    groups_pt = 20 if any(g for g, _ in matrix.columns) else 6   # under the role labels
    if matrix.balance:
        handles = [Patch(facecolor=PLUS, alpha=0.7, label=word("more_plus", lang)),
                   Patch(facecolor=MINUS, alpha=0.7, hatch=HATCH_MINUS,
                         label=word("more_minus", lang)),
                   Patch(facecolor=BALANCED, alpha=0.45, hatch=HATCH_BALANCED,
                         label=word("balanced", lang))]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 0), ncols=3,
                  bbox_transform=ax.transAxes + ScaledTranslation(0, -groups_pt / 72,
                                                                  fig.dpi_scale_trans),
                  frameon=False, fontsize=7.5, borderaxespad=0)
    notes(ax, display.notes, below=groups_pt + (22 if matrix.balance else 0))
    if not matrix.rows:
        ax.text(0.5, 0.5, word("no_data", lang), ha="center", transform=ax.transAxes)
    return save(fig, path)


def _column_groups(ax: Any, matrix: HeatMatrix, n_rows: int) -> None:
    """Column group labels (roles) under the map, with a thin rule between groups."""
    groups = [g for g, _ in matrix.columns]
    if not any(groups):
        return
    start = 0
    for x in range(1, len(groups) + 1):
        if x == len(groups) or groups[x] != groups[start]:
            ax.annotate(groups[start], xy=((start + x - 1) / 2, n_rows - 0.5),
                        xytext=(0, -4), textcoords="offset points", ha="center", va="top",
                        fontsize=7.5, style="italic", annotation_clip=False)
            if x < len(groups):
                ax.axvline(x - 0.5, color="#444444", linewidth=0.9)
            start = x
