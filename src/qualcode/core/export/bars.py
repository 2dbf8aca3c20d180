"""Bar charts of the frequency tables, legible in greyscale (grey ramp plus hatching, values
printed on the bars).

- per code: codings and informants side by side (solid and hatched);
- per code and source kind: codings stacked by kind (interview, observation, document);
- per code and valence: the valence chart (+ / 0 / −, figures.valence_bar_chart).
Row labels are the table's code labels, in the table's order.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.export.flat_table import scalar
from qualcode.core.export.labels import word

if TYPE_CHECKING:
    from qualcode.core.analysis.display import Display

GREYS = ("#2b2b2b", "#8c8c8c", "#d0d0d0", "#5e5e5e", "#b0b0b0")
HATCHES = ("", "////", "....", "xxxx", "\\\\\\\\")


def _number(value: Any) -> float:
    value = scalar(value)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _row_labels(display: Display) -> list[str]:
    return [str(t[-1] if isinstance(t, tuple) else t) for t in display.frame.index]


def bar_series(display: Display) -> tuple[list[str], list[tuple[str, list[float]]], bool]:
    """(row labels, [(series label, values)], stacked) of a frequency display: one series per
    column group (its codings), stacked; or, for flat columns, one per column, side by side."""
    frame = display.frame
    labels = _row_labels(display)
    keys = display.col_keys if len(display.col_keys) == frame.shape[1] else []
    if frame.columns.nlevels > 1:
        series: list[tuple[str, list[float]]] = []
        seen: set[str] = set()
        for n, column in enumerate(frame.columns):
            group = str(column[0])
            if group in seen or (keys and not keys[n].endswith(":codings")):
                continue
            seen.add(group)
            series.append((group, [_number(v) for v in frame.iloc[:, n].tolist()]))
        return labels, series, True
    return labels, [(str(c), [_number(v) for v in frame.iloc[:, n].tolist()])
                    for n, c in enumerate(frame.columns)], False


def frequency_figure(display: Display, path: Path) -> Path:
    """The bar chart of a frequency display, saved to `path`."""
    from matplotlib.ticker import MaxNLocator

    from qualcode.core.export.figures import (
        LABEL_BOX,
        _valence_columns,
        figure,
        save,
        valence_bar_chart,
        valence_counts,
    )

    columns = display.frame.columns
    if display.key == "frequency_valence" or len(_valence_columns(
            columns.get_level_values(0) if columns.nlevels > 1 else columns)) >= 2:
        return valence_bar_chart(valence_counts(display), path, title=display.title,
                                 lang=display.lang, notes=display.notes)
    labels, series, stacked = bar_series(display)
    fig = figure(7.5, max(2.4, (0.34 if stacked else 0.5) * len(labels) + 1.6))
    ax = fig.add_subplot()
    positions = list(range(len(labels)))
    height = 0.7 if stacked else 0.8 / max(len(series), 1)
    left = [0.0] * len(labels)
    for n, (name, values) in enumerate(series):
        ys = positions if stacked else [p - 0.4 + height * (n + 0.5) for p in positions]
        bars = ax.barh(ys, values, left=left if stacked else None, height=height,
                       color=GREYS[n % len(GREYS)], hatch=HATCHES[n % len(HATCHES)],
                       edgecolor="white", linewidth=0.6, label=name)
        dark = GREYS[n % len(GREYS)] in ("#2b2b2b", "#5e5e5e")
        ax.bar_label(bars, labels=[f"{v:g}" if v else "" for v in values],
                     label_type="center" if stacked else "edge", padding=0 if stacked else 2,
                     fontsize=7, color="white" if stacked and dark else "black",
                     bbox=LABEL_BOX if stacked and HATCHES[n % len(HATCHES)] else None)
        if stacked:
            left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(word("codings", display.lang) if stacked else "")
    ax.set_title(display.title, fontsize=10, loc="left")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    notes(ax, display.notes, below=34)
    if not labels:
        ax.text(0.5, 0.5, word("no_data", display.lang), ha="center", transform=ax.transAxes)
    return save(fig, path)


def notes(ax: Any, lines: list[str], below: float) -> None:
    """The display's notes (what is counted, whose codings) in small type, `below` points
    under the plot's lower left corner (clear of tick labels, axis label and legend)."""
    shown = [line for line in lines if line]
    if shown:
        ax.annotate("\n".join(shown), xy=(0, 0), xycoords="axes fraction",
                    xytext=(0, -below), textcoords="offset points", fontsize=6.5, ha="left",
                    va="top", annotation_clip=False)
