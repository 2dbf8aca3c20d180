"""Figures for papers (matplotlib, Agg, imported lazily): valence bars and co-occurrence network.

- `valence_bar_chart`: horizontal bars per code, stacked + / 0 / − (green, grey, red).
- `network_figure`: codes on a circle, edges as thick as their co-occurrence (count or
  c-coefficient), nodes sized by the code's own frequency when the diagonal holds it.
The figures are drawn on a bare `Figure` (no pyplot state), so they are safe in threads.
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


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=150, layout="constrained")


def _save(fig: Figure, path: Path) -> Path:
    fmt = path.suffix.lower().lstrip(".")
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
    fig.savefig(path, format=fmt, metadata=metadata)
    return path


def valence_bar_chart(counts: pd.DataFrame, path: Path, *, title: str = "",
                      lang: str = "id") -> Path:
    """Stacked horizontal bars per code (+ / 0 / −) saved to `path` (.png or .svg)."""
    from matplotlib.ticker import MaxNLocator

    labels = [str(i) for i in counts.index]
    fig = _figure(7.5, max(2.2, 0.38 * len(labels) + 1.3))
    ax = fig.add_subplot()
    left = [0.0] * len(labels)
    names = {"+": word("positive", lang), "0": word("neutral", lang), "−": word("negative", lang)}
    for valence in VALENCES:
        values = [float(v) for v in counts[valence]] if valence in counts else [0.0] * len(labels)
        ax.barh(labels, values, left=left, color=COLOURS[valence], label=names[valence],
                height=0.65)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel(word("codings", lang))
    ax.set_title(title or word("valence_chart", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    if not labels:
        ax.text(0.5, 0.5, word("no_data", lang), ha="center", transform=ax.transAxes)
    return _save(fig, path)


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

    fig = _figure(7.5, 7.5)
    ax = fig.add_subplot()
    for i, j, weight in edges:
        (x1, y1), (x2, y2) = points[i], points[j]
        share = weight / strongest
        ax.plot([x1, x2], [y1, y2], color="#4a6fa5", alpha=0.25 + 0.6 * share,
                linewidth=0.8 + 5.5 * share, zorder=1)
        label = f"{weight:.2f}" if display.cell_kind == "coefficient" else f"{weight:g}"
        ax.text((x1 + x2) / 2, (y1 + y2) / 2, label, fontsize=6.5, ha="center",
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
    if not n:
        ax.text(0.5, 0.5, word("no_data", lang), ha="center", transform=ax.transAxes)
    return _save(fig, path)


def export_figure(display: Display, path: Path, *, kind: str | None = None) -> Path:
    """The figure that suits the display: a network for co-occurrence, else valence bars."""
    kind = kind or ("network" if display.key.startswith("cooccurrence") else "valence")
    if kind == "network":
        return network_figure(display, path, lang=display.lang)
    return valence_bar_chart(valence_counts(display), path, lang=display.lang)
