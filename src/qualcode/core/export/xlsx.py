"""XLSX export (openpyxl): one sheet per display, ready to read and to paste into a paper.

Each sheet holds the title in A1, the header rows from row 3 (bold, shaded, upper levels of a
MultiIndex merged across their sub-columns), the body with numbers kept as numbers, and the
notes below. Panes are frozen under the header and right of the row labels; columns are as wide
as their content (capped) and text wraps.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.export.flat_table import FlatTable, flatten
from qualcode.core.inert import is_formula_like
from qualcode.i18n import NP_, pgettext

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from qualcode.core.analysis.display import Display

TITLE_ROW = 1
HEADER_ROW = 3          # first header row; the body follows the header rows
MAX_WIDTH = 60
MIN_WIDTH = 6
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
GROUP_WIDTH = 30        # group columns (codebook names) wrap rather than widen the sheet
# Short sheet names per display key (the full title stays in cell A1), translated at use.
SHORT_NAMES: dict[str, str] = {
    "clustered": NP_("sheet", "Clustered matrix"),
    "role_ordered": NP_("sheet", "Role-ordered matrix"),
    "triangulation_kind": NP_("sheet", "Triangulation by kind"),
    "triangulation_informant": NP_("sheet", "Triangulation by informant"),
    "cooccurrence": NP_("sheet", "Co-occurrence"),
    "cooccurrence_c": NP_("sheet", "C-coefficient"),
    "frequency_code": NP_("sheet", "Frequency by code"),
    "frequency_kind": NP_("sheet", "Frequency by source kind"),
    "frequency_valence": NP_("sheet", "Frequency by valence"),
    "summary_grid": NP_("sheet", "Summary grid"),
    "operationalisation": NP_("sheet", "Operationalisation"),
    "checklist": NP_("sheet", "Checklist"),
    "retrieval": NP_("sheet", "Coded excerpts"),
}
CELL_WORDS: dict[str, str] = {
    "count": NP_("sheet", "counts"),
    "valence": NP_("sheet", "+ −"),
    "presence": NP_("sheet", "presence"),
    "text": NP_("sheet", "text"),
    "mixed": NP_("sheet", "mixed"),
}


def _fit_title(title: str, limit: int = MAX_SHEET_NAME) -> str:
    """A long title shortened before its qualifier: "Long name: what" -> "Long - what",
    "Long name (what)" -> "Long (what)"; otherwise cut at the limit."""
    if len(title) <= limit:
        return title
    head, sep, tail = title.partition(": ")
    if sep:
        tail = f" - {tail}"
    elif title.endswith(")") and " (" in title:
        head, _, tail = title.rpartition(" (")
        tail = f" ({tail}"
    else:
        return title
    room = limit - len(tail)
    if room < 6:
        return title
    short = head[:room]
    if len(head) > room and head[room] != " " and " " in short.strip():
        short = short.rsplit(" ", 1)[0]
    return short.rstrip() + tail


def display_sheet_title(display: Display) -> str:
    """A short, telling sheet title: the display's short name (plus the cell content for
    matrices whose cells vary), or its title when the key is not known."""
    short = SHORT_NAMES.get(display.key)
    if short is None:
        return display.title
    name = pgettext("sheet", short, lang=display.lang)
    if display.key in ("clustered", "role_ordered") and display.cell_kind in CELL_WORDS:
        name += " - " + pgettext("sheet", CELL_WORDS[display.cell_kind], lang=display.lang)
    return name


def sheet_name(title: str, used: set[str], fallback: str = "Sheet") -> str:
    """A valid, unique (case-insensitive) Excel sheet name of at most 31 characters."""
    base = _BAD_SHEET_CHARS.sub(" ", _fit_title(title.strip()))
    base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or fallback
    name = base[:MAX_SHEET_NAME].rstrip()
    n = 1
    while name.lower() in used:
        n += 1
        suffix = f" ({n})"
        name = base[:MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
    used.add(name.lower())
    return name


def body_start(flat: FlatTable) -> int:
    """The worksheet row (1-based) of the first body row."""
    return HEADER_ROW + len(flat.header)


def put(ws: Worksheet, row: int, column: int, value: Any = None) -> Any:
    """Write one cell; text is stored as text, never as a formula or an error code: a cell
    beginning with = + - @ tab or CR (OWASP) is a string cell marked with Excel's leading
    apostrophe (`quotePrefix`), so spreadsheets show it as written and never evaluate it."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def _text_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_header(ws: Worksheet, flat: FlatTable) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE4EE")
    line = Side(style="thin", color="7F7F7F")
    levels = len(flat.header)
    for level in range(levels):
        row = HEADER_ROW + level
        for span in flat.spans(level):
            for col in range(span.first, span.last + 1):
                cell = ws.cell(row=row, column=col + 1)
                cell.font, cell.fill = bold, fill
                cell.alignment = Alignment(wrap_text=True, vertical="center",
                                           horizontal="center" if span.last > span.first
                                           else "left")
                if level == levels - 1:
                    cell.border = Border(bottom=line)
            put(ws, row, span.first + 1, span.label or None)
            if span.last > span.first:
                ws.merge_cells(start_row=row, end_row=row,
                               start_column=span.first + 1, end_column=span.last + 1)
    if levels > 1:  # row-label headers sit on the last header row; merge them upwards
        for col in range(flat.n_index):
            label = flat.header[-1][col]
            ws.cell(row=HEADER_ROW + levels - 1, column=col + 1, value=None)
            put(ws, HEADER_ROW, col + 1, label or None)
            ws.merge_cells(start_row=HEADER_ROW, end_row=HEADER_ROW + levels - 1,
                           start_column=col + 1, end_column=col + 1)


def _write_body(ws: Worksheet, flat: FlatTable, cell_kind: str) -> None:
    from openpyxl.styles import Alignment, Font

    first = body_start(flat)
    label_font = Font(bold=True)
    for r, row in enumerate(flat.body):
        for c, value in enumerate(row):
            cell = put(ws, first + r, c + 1, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       horizontal="right" if flat.numeric[c] else None)
            if c < flat.n_index:
                cell.font = label_font
            if isinstance(value, float) and (cell_kind == "coefficient"
                                             or not value.is_integer()):
                cell.number_format = "0.00"


def _set_widths(ws: Worksheet, flat: FlatTable) -> None:
    from openpyxl.utils import get_column_letter

    for col in range(flat.width):
        values = [row[col] for row in flat.header] + [row[col] for row in flat.body]
        widest = max((_text_width(v) for v in values), default=0)
        cap = GROUP_WIDTH if col < flat.n_index - 1 else MAX_WIDTH
        ws.column_dimensions[get_column_letter(col + 1)].width = min(
            max(widest + 2, MIN_WIDTH), cap)


def write_sheet(ws: Worksheet, display: Display) -> None:
    """Fill one worksheet with one display."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    flat = flatten(display)
    put(ws, TITLE_ROW, 1, display.title).font = Font(bold=True, size=13)
    _write_header(ws, flat)
    _write_body(ws, flat, display.cell_kind)
    _set_widths(ws, flat)
    ws.freeze_panes = f"{get_column_letter(max(flat.n_index, 0) + 1)}{body_start(flat)}"
    note_row = body_start(flat) + len(flat.body) + 1
    for i, note in enumerate(display.notes):
        cell = put(ws, note_row + i, 1, note)
        cell.font = Font(italic=True, size=9)
        cell.alignment = Alignment(wrap_text=False, vertical="top")


def write_xlsx(displays: Sequence[Display], path: Path) -> Path:
    """Write each display on its own sheet of a new workbook at `path`."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for display in displays:
        ws = workbook.create_sheet(sheet_name(display_sheet_title(display), used,
                                              fallback=display.key))
        write_sheet(ws, display)
    buffer = io.BytesIO()  # zipped in memory: a full disk fails on one plain write
    workbook.save(buffer)
    Path(path).write_bytes(buffer.getvalue())
    return path
