"""Figures for papers (matplotlib, Agg, imported lazily): every display with numbers is a figure.

- `valence_bar_chart`: horizontal bars per code, stacked + / 0 / − (green, grey, red; 0 and −
  hatched so that the bars read in greyscale), each segment annotated with its count.
- `network_figure`: codes on a circle, edges as thick as their co-occurrence (count or
  c-coefficient), nodes sized by the code's own frequency when the diagonal holds it.
- heat maps of the matrices (heatmap.py) and bar charts of the frequency tables (bars.py).
`export_figure` picks the figure a display names. Figures are drawn on a bare `Figure` (no
pyplot state), so they are safe in threads; PNG, SVG and PDF carry no date, so the same data
gives the same file.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from qualcode.core.export.flat_table import scalar
from qualcode.core.export.labels import word

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from qualcode.core.analysis.display import Display

VALENCES = ("+", "0", "−")
COLOURS = {"+": "#3a923a", "0": "#a6a6a6", "−": "#c8423b"}
HATCHES = {"+": "", "0": "....", "−": "////"}
LABEL_BOX = {"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.85}
_ALIASES = {
    "+": "+", "plus": "+", "positive": "+", "positif": "+", "pos": "+",
    "0": "0", "neutral": "0", "netral": "0",
    "-": "−", "−": "−", "minus": "−", "negative": "−", "negatif": "−", "neg": "−",
}
_IN_TEXT = {"+": re.compile(r"(\d+)\s*\+"), "−": re.compile(r"(\d+)\s*[−-]"),
            "0": re.compile(r"(\d+)\s*(?:netral|neutral)\b")}


def _valence_of(label: Any) -> str | None:
    """The valence a column / row label stands for ('+ (baik)' -> '+'); for a tuple label,
    the first level that names one."""
    for part in label if isinstance(label, tuple) else (label,):
        words = str(part).strip().lower().split()
        found = _ALIASES.get(" ".join(words)) or (_ALIASES.get(words[0]) if words else None)
        if found:
            return found
    return None


def _valence_columns(labels: Any) -> dict[Any, str]:
    """Label -> valence for the first label naming each valence (so that of a (valence,
    measure) MultiIndex only the codings column is used, not the informants column)."""
    out: dict[Any, str] = {}
    for label in labels:
        valence = _valence_of(label)
        if valence is not None and valence not in out.values():
            out[label] = valence
    return out


def _row_label(label: Any) -> str:
    return str(label[-1] if isinstance(label, tuple) else label)


def valence_counts(display: Display) -> pd.DataFrame:
    """Codes x (+, 0, −) counts from a display.

    Accepts a frame whose columns (or rows) are valences, e.g. the frequency table by valence,
    or a code x informant matrix of "3+ / 1−" cells, which is summed over informants.
    """
    frame = display.frame
    columns = _valence_columns(frame.columns)
    if len(columns) < 2:
        rows = _valence_columns(frame.index)
        if len(rows) >= 2:
            frame, columns = frame.T, rows
    labels = [_row_label(r) for r in frame.index]
    totals = [dict.fromkeys(VALENCES, 0) for _ in labels]
    if len(columns) >= 2:
        for column, valence in columns.items():
            for i, value in enumerate(frame[column].tolist()):
                number = scalar(value)
                if isinstance(number, int | float) and not isinstance(number, bool):
                    totals[i][valence] += int(number)
    else:
        for i, values in enumerate(frame.itertuples(index=False, name=None)):
            for value in values:
                if isinstance(value, str):
                    for valence, pattern in _IN_TEXT.items():
                        totals[i][valence] += sum(int(n) for n in pattern.findall(value))
    return pd.DataFrame(totals, index=labels, columns=list(VALENCES))


def figure(width: float, height: float) -> Figure:
    """A bare matplotlib figure (Agg) of `width` x `height` inches at 150 dpi."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=150, layout="constrained")


_NO_DATE: dict[str, dict[str, Any]] = {"svg": {"Date": None},
                                        "pdf": {"CreationDate": None, "ModDate": None}}


def save(fig: Figure, path: Path) -> Path:
    """Save `fig` in the format of `path`'s suffix, trimmed to what is drawn."""
    import warnings

    fmt = path.suffix.lower().lstrip(".")
    with warnings.catch_warnings():   # long labels on a small figure: the tight box still
        warnings.filterwarnings("ignore", message="constrained_layout not applied")  # holds
        fig.savefig(path, format=fmt, metadata=_NO_DATE.get(fmt, {}), bbox_inches="tight",
                    pad_inches=0.08, facecolor="white")
    return path


def valence_bar_chart(counts: pd.DataFrame, path: Path, *, title: str = "",
                      lang: str = "id", notes: list[str] | None = None) -> Path:
    """Stacked horizontal bars per code (+ / 0 / −) saved to `path` (.png or .svg)."""
    from matplotlib.ticker import MaxNLocator

    labels = [str(i) for i in counts.index]
    fig = figure(9.0, max(2.2, 0.38 * len(labels) + 1.3))
    ax = fig.add_subplot()
    left = [0.0] * len(labels)
    names = {"+": word("positive", lang), "0": word("neutral", lang), "−": word("negative", lang)}
    for valence in VALENCES:
        values = [float(v) for v in counts[valence]] if valence in counts else [0.0] * len(labels)
        bars = ax.barh(labels, values, left=left, color=COLOURS[valence],
                       label=names[valence], height=0.65, hatch=HATCHES[valence],
                       edgecolor="white", linewidth=0.6)
        ax.bar_label(bars, labels=[f"{v:g}" if v else "" for v in values], label_type="center",
                     fontsize=7, color="white" if valence == "+" else "black",
                     bbox=None if valence == "+" else LABEL_BOX)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel(word("codings", lang))
    ax.set_title(title or word("valence_chart", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    if not labels:
        ax.text(0.5, 0.5, word("no_data", lang), ha="center", transform=ax.transAxes)
    if notes:
        from qualcode.core.export.bars import notes as add_notes

        add_notes(ax, notes, below=34)
    return save(fig, path)


def circle_layout(n: int, radius: float = 1.0) -> list[tuple[float, float]]:
    """n points evenly on a circle, the first at the top, going clockwise."""
    return [(radius * math.sin(2 * math.pi * i / n), radius * math.cos(2 * math.pi * i / n))
            for i in range(n)]


def network_figure(display: Display, path: Path, *, title: str = "",
                   lang: str = "id") -> Path:
    """A code co-occurrence network from a square code x code display, saved to `path`."""
    frame = display.frame
    labels = [_row_label(c) for c in frame.columns]
    matrix = [[scalar(v) or 0 for v in row] for row in frame.to_numpy().tolist()]
    n = len(labels)
    points = circle_layout(n)
    edges = [(i, j, float(matrix[i][j])) for i in range(n) for j in range(i + 1, n)
             if i < len(matrix) and j < len(matrix[i]) and matrix[i][j]]
    strongest = max((w for *_, w in edges), default=1.0) or 1.0
    sizes = [float(matrix[i][i]) if i < len(matrix) and i < len(matrix[i]) else 0.0
             for i in range(n)]
    biggest = max(sizes, default=0.0) or 1.0

    fig = figure(7.5, 7.5)
    ax = fig.add_subplot()
    for i, j, weight in edges:
        (x1, y1), (x2, y2) = points[i], points[j]
        share = weight / strongest
        ax.plot([x1, x2], [y1, y2], color="#4a6fa5", alpha=0.25 + 0.6 * share,
                linewidth=0.8 + 5.5 * share, zorder=1)
        label = f"{weight:.2f}" if display.cell_kind == "coefficient" else f"{weight:g}"
        # 40 % along the edge, not the middle: crossing diagonals keep their labels apart
        ax.text(x1 + 0.4 * (x2 - x1), y1 + 0.4 * (y2 - y1), label, fontsize=6.5, ha="center",
                va="center", color="#333333", zorder=3,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    for i, (x, y) in enumerate(points):
        ax.scatter([x], [y], s=180 + 900 * sizes[i] / biggest, color="#f2c14e",
                   edgecolors="#6b5a1e", zorder=2)
        ax.text(x * 1.18, y * 1.18, labels[i], fontsize=8, zorder=4,
                ha="left" if x > 0.05 else "right" if x < -0.05 else "center",
                va="bottom" if y > 0.05 else "top" if y < -0.05 else "center")
    ax.set_xlim(-1.7, 1.7)
    ax.set_ylim(-1.5, 1.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or display.title or word("network", lang))
    if display.notes:
        from qualcode.core.export.bars import notes

        notes(ax, display.notes, below=0)
    if not n:
        ax.text(0.5, 0.5, word("no_data", lang), ha="center", transform=ax.transAxes)
    return save(fig, path)


MATRICES = ("clustered", "role_ordered", "triangulation")


def figure_kind(display: Display) -> str:
    """The figure a display is drawn as: network (co-occurrence), heatmap (the matrices),
    bars (frequency tables); a display of text has none (ExportError)."""
    if display.key.startswith("cooccurrence"):
        return "network"
    if display.key.startswith(MATRICES):
        return "heatmap"
    if display.key.startswith("frequency"):
        return "bars"
    from qualcode.core.export import ExportError
    from qualcode.i18n import N_

    raise ExportError(N_("{title}: this display has no figure"),
                      hint=N_("figures are drawn for the matrices, co-occurrence and "
                              "frequencies; write this one as .docx, .xlsx, .tex or .md"),
                      title=display.title)


def has_figure(display: Display) -> bool:
    """Whether the display is drawn as a figure (see figure_kind)."""
    from qualcode.core.export import ExportError

    try:
        figure_kind(display)
    except ExportError:
        return False
    return True


def export_figure(display: Display, path: Path, *, kind: str | None = None) -> Path:
    """The figure of the display (`kind`: valence bars or network to force one)."""
    kind = kind or figure_kind(display)
    if kind == "network":
        return network_figure(display, path, lang=display.lang)
    if kind == "heatmap":
        from qualcode.core.export.heatmap import heatmap_figure

        return heatmap_figure(display, path)
    if kind == "bars":
        from qualcode.core.export.bars import frequency_figure

        return frequency_figure(display, path)
    return valence_bar_chart(valence_counts(display), path, lang=display.lang,
                             notes=display.notes)
