"""A Display's DataFrame flattened into header rows and body rows that every writer shares.

Row index levels become leading columns (a default RangeIndex is dropped); a MultiIndex on the
columns becomes several header rows whose upper levels span their sub-columns. Cell values are
converted to plain Python scalars (numbers stay numbers; NaN becomes None).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from qualcode.core.analysis.display import Display

LONG_TEXT = 30  # characters from which a column is treated as running text (wrapped / p{})


@dataclass
class Span:
    """A header label covering columns first..last (inclusive) of one header row."""

    first: int
    last: int
    label: str


@dataclass
class FlatTable:
    """The table of one display, ready to write cell by cell."""

    header: list[list[str]]     # header rows, each as wide as the table
    body: list[list[Any]]       # python scalars: int, float, bool, str or None
    n_index: int                # leading columns that come from the row index
    group_cols: int             # leading columns whose runs of equal values are merged/blanked
    numeric: list[bool]         # per column: every non-empty body value is a number
    text: list[bool]            # per column: holds running text (long or multi-line)

    @property
    def width(self) -> int:
        """Number of columns."""
        return len(self.header[0]) if self.header else 0

    def spans(self, level: int) -> list[Span]:
        """Runs of one header row that share a label and the labels of all rows above."""
        row = self.header[level]
        out: list[Span] = []
        for col, label in enumerate(row):
            above = tuple(self.header[r][col] for r in range(level))
            if (out and col >= self.n_index and out[-1].last >= self.n_index
                    and out[-1].label == label and label
                    and tuple(self.header[r][out[-1].first] for r in range(level)) == above):
                out[-1].last = col
            else:
                out.append(Span(col, col, label))
        return out

    def group_runs(self, col: int, *, absorb_blank: bool = False) -> list[tuple[int, int]]:
        """(first_row, last_row) runs of equal values in a group column (for merging cells).

        A run only continues while every group column to the left continues too; with
        `absorb_blank`, empty cells below a value join its run.
        """
        runs: list[tuple[int, int]] = []
        for r, row in enumerate(self.body):
            if runs:
                first = runs[-1][0]
                same_left = all(self.body[first][c] == row[c] for c in range(col))
                value, start_value = row[col], self.body[first][col]
                if same_left and (value == start_value or (absorb_blank and value in (None, ""))):
                    runs[-1] = (first, r)
                    continue
            runs.append((r, r))
        return runs

    def blanked_body(self) -> list[list[Any]]:
        """The body with repeated values of the group columns left empty (for printed tables)."""
        out = [list(row) for row in self.body]
        for col in range(self.group_cols):
            for first, last in self.group_runs(col):
                for r in range(first + 1, last + 1):
                    out[r][col] = None
        return out


def scalar(value: Any) -> Any:
    """A cell value as a plain Python scalar; missing values become None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalar
    if isinstance(value, bool):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        return None if math.isnan(number) else number
    if isinstance(value, str):
        return value
    return str(value)


def _scalars(values: list[Any]) -> list[Any]:
    """scalar() of each value of a column (text and whole numbers as they are)."""
    return [v if type(v) is str or type(v) is int else scalar(v) for v in values]


def _localised(values: list[Any], lang: str) -> list[Any]:
    """A column's cells with any draft mark in `lang` (only text holding "[" is looked at)."""
    return [localise_cell(v, lang) if type(v) is str and "[" in v else v for v in values]


def format_cell(value: Any, cell_kind: str = "count") -> str:
    """How a cell reads on screen and in text formats (DOCX, LaTeX, Markdown)."""
    value = scalar(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        if cell_kind != "coefficient" and value.is_integer():
            return str(int(value))
        return f"{value:.2f}"
    return str(value)


def own_row_label(group: str, label: str, lang: str) -> str:
    """The code label of a row, or "(in general)" for a parent code's row inside the group
    of its sub-codes, which already names it."""
    if group and group == label:
        from qualcode.core.export.labels import word

        return word("in_general", lang)
    return label


def localise_cell(value: Any, lang: str) -> Any:
    """A cell as a plain scalar, with a draft mark of any language in `lang`."""
    value = scalar(value)
    if isinstance(value, str) and "[" in value:
        from qualcode.core.export.labels import localise_drafts

        return localise_drafts(value, lang)
    return value


def _label(value: Any) -> str:
    value = scalar(value)
    return "" if value is None else str(value)


def _has_default_index(frame: pd.DataFrame) -> bool:
    index = frame.index
    return isinstance(index, pd.RangeIndex) and index.name is None


def flatten(display: Display) -> FlatTable:
    """Flatten a display's frame (see the module docstring)."""
    frame = display.frame
    columns = frame.columns
    levels = columns.nlevels
    col_labels = [tuple(_label(v) for v in (c if levels > 1 else (c,))) for c in columns]

    if _has_default_index(frame):
        index_names: list[str] = []
        index_rows: list[list[Any]] = [[] for _ in range(len(frame))]
    else:
        names = list(frame.index.names)
        index_names = [_label(n) for n in names]
        index_rows = [[_label(v) for v in (t if isinstance(t, tuple) else (t,))]
                      for t in frame.index]
    n_index = len(index_names)

    header = []
    for level in range(levels):
        row = [name if level == levels - 1 else "" for name in index_names]
        row += [labels[level] for labels in col_labels]
        header.append(row)
    if not header or not header[0]:   # no columns at all: one empty column keeps every
        header = [list(index_names) or [""]]   # format valid (LaTeX needs a column spec)

    if n_index >= 2:   # a parent code's own row in the group it heads: not its name again
        for row in index_rows:
            row[n_index - 1] = own_row_label(row[n_index - 2], row[n_index - 1], display.lang)
    width = len(header[0])
    cells = [_localised(_scalars(frame.iloc[:, col].tolist()), display.lang)
             for col in range(len(columns))]
    body = [index + list(values) for index, values in zip(
        index_rows, zip(*cells, strict=True) if cells else ([()] * len(frame)), strict=True)]
    if any(len(row) < width for row in body):
        body = [row + [None] * (width - len(row)) for row in body]
    numeric = []
    text = []
    by_column = list(zip(*body, strict=True)) if body else [()] * width
    for col in range(width):
        values = [v for v in by_column[col] if v is not None and v != ""]
        numeric.append(col >= n_index and bool(values)
                       and all(isinstance(v, int | float) and not isinstance(v, bool)
                               for v in values))
        text.append(any(isinstance(v, str) and ("\n" in v or len(v) > LONG_TEXT)
                        for v in values))
    # the research focus of the operationalisation table spans all its characteristics
    group_cols = n_index + 1 if display.key == "operationalisation" else max(n_index - 1, 0)
    return FlatTable(header, body, n_index, group_cols, numeric, text)


def flat_headers(flat: FlatTable, sep: str = " / ") -> list[str]:
    """One header line per column: the non-empty labels of all header rows joined by `sep`."""
    out = []
    for col in range(flat.width):
        parts = [row[col] for row in flat.header if row[col]]
        out.append(sep.join(dict.fromkeys(parts)))
    return out
