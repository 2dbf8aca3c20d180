"""XLSX export (openpyxl): one sheet per display, ready to read and to paste into a paper.

Each sheet holds the title in A1, the header rows from row 3 (bold, shaded, upper levels of a
MultiIndex merged across their sub-columns), the body with numbers kept as numbers, and the
notes below. Panes are frozen under the header and right of the row labels; columns are as wide
as their content (capped) and text wraps.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.export.flat_table import FlatTable, flatten
from qualcode.core.export.xlsx_rows import SheetRows
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
    if isinstance(value, str) and "\n" not in value:
        return len(value)
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


class _Styles:
    """The workbook's cell styles as named styles, registered once per workbook.

    Rows stream out as they are appended (write-only worksheets). Each row's cells are built
    as one XML element, the same `<c>` elements openpyxl's own cell writer writes, with the
    style id of the cell's named style looked up once per style: a 100,000-row sheet creates
    no style object and no cell object per cell. A value of another type than text, number,
    truth value or None goes through openpyxl's writer with a prototype cell of its style.
    """

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self._cells: dict[tuple[Any, ...], Any] = {}
        self._quoted: dict[tuple[Any, ...], Any] = {}
        self._ids: dict[tuple[tuple[Any, ...], bool], str | None] = {}
        self._ws: Any = None

    def cell(self, key: tuple[Any, ...]) -> Any:
        """The prototype cell of a style (made, and its named style registered, on first use)."""
        proto = self._cells.get(key)
        if proto is None:
            from openpyxl.cell import WriteOnlyCell

            name = _style_name(key)
            self.workbook.add_named_style(_named_style(name, key))
            proto = WriteOnlyCell(self._ws)
            proto.style = name
            self._cells[key] = proto
        return proto

    def quoted(self, key: tuple[Any, ...]) -> Any:
        """The prototype of a style for text that looks like a formula: a string cell with
        Excel's leading-apostrophe flag (`quotePrefix`), never evaluated (OWASP)."""
        proto = self._quoted.get(key)
        if proto is None:
            from openpyxl.cell import WriteOnlyCell

            plain = self.cell(key)
            proto = WriteOnlyCell(self._ws)
            proto.style = plain.style
            proto.quotePrefix = True
            self._quoted[key] = proto
        return proto

    def style_id(self, key: tuple[Any, ...] | None, quoted: bool) -> str | None:
        """The `s` attribute of a cell of this style (None: the cell has no style)."""
        key = key or ("plain",)
        found = self._ids.get((key, quoted), "")
        if found == "":
            proto = (self.quoted if quoted else self.cell)(key)
            found = self._ids[(key, quoted)] = (str(proto.style_id) if proto.has_style
                                                else None)
        return found

    def on(self, ws: Any) -> None:
        """Write rows of the write-only worksheet `ws` from now on; call after its column
        widths and panes are set (they are written before the first row).

        `ws.append` then takes rows of (value, style key) pairs (see SheetRows).
        """
        self._ws = ws
        for proto in (*self._cells.values(), *self._quoted.values()):
            proto.parent = ws
        SheetRows(self, ws)

    def row(self, cells: Sequence[tuple[Any, tuple[Any, ...] | None]]) -> Iterator[Any]:
        """A row as openpyxl's writer takes it: (value, style key) pairs, each cell produced
        when the worksheet writes it (a key of None: the default style)."""
        for value, key in cells:
            if value is None and key is None:
                yield None
                continue
            risky = isinstance(value, str) and is_formula_like(value)
            proto = (self.quoted if risky else self.cell)(key or ("plain",))
            proto.value = value
            if isinstance(value, str):
                proto.data_type = "s"  # text stays text: never a formula or an error code
            yield proto


def _style_name(key: tuple[Any, ...]) -> str:
    """A readable, unique name: "qualcode header centred last", "qualcode body label" ..."""
    words = {"header": ("centred", "last"), "body": ("label", "number", "decimal")}
    flags = [w for w, on in zip(words.get(key[0], ()), key[1:], strict=False) if on]
    return " ".join(["qualcode", key[0], *flags])


def _named_style(name: str, key: tuple[Any, ...]) -> Any:
    """A named style from a key: (kind, *options) -- see the keys used below."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    kind = key[0]
    style = NamedStyle(name=name)
    if kind == "plain":
        pass
    elif kind == "title":
        style.font = Font(bold=True, size=13)
    elif kind == "note":
        style.font = Font(italic=True, size=9)
        style.alignment = Alignment(wrap_text=False, vertical="top")
    elif kind == "header":
        _, centred, last = key
        style.font = Font(bold=True)
        style.fill = PatternFill("solid", fgColor="DDE4EE")
        style.alignment = Alignment(wrap_text=True, vertical="center",
                                    horizontal="center" if centred else "left")
        if last:
            style.border = Border(bottom=Side(style="thin", color="7F7F7F"))
    else:  # body
        _, label, numeric, decimal = key
        style.font = Font(bold=label)
        style.alignment = Alignment(wrap_text=True, vertical="top",
                                    horizontal="right" if numeric else None)
        if decimal:
            style.number_format = "0.00"
    return style


def _header_rows(flat: FlatTable) -> tuple[list[list[tuple[Any, Any]]], list[str]]:
    """The header rows as (value, style key) cells, and the ranges to merge."""
    from openpyxl.utils import get_column_letter

    levels = len(flat.header)
    rows: list[list[tuple[Any, Any]]] = []
    merges: list[str] = []
    for level in range(levels):
        row_no = HEADER_ROW + level
        cells: list[tuple[Any, Any]] = [(None, None)] * flat.width
        for span in flat.spans(level):
            key = ("header", span.last > span.first, level == levels - 1)
            for col in range(span.first, span.last + 1):
                cells[col] = (None, key)
            cells[span.first] = (span.label or None, key)
            if span.last > span.first:
                merges.append(f"{get_column_letter(span.first + 1)}{row_no}:"
                              f"{get_column_letter(span.last + 1)}{row_no}")
        rows.append(cells)
    if levels > 1:  # row-label headers sit on the last header row; merge them upwards
        for col in range(flat.n_index):
            label = flat.header[-1][col]
            rows[-1][col] = (None, rows[-1][col][1])
            rows[0][col] = (label or None, rows[0][col][1])
            letter = get_column_letter(col + 1)
            merges.append(f"{letter}{HEADER_ROW}:{letter}{HEADER_ROW + levels - 1}")
    return rows, merges


def _body_keys(flat: FlatTable, cell_kind: str) -> Iterator[list[tuple[Any, Any]]]:
    """The body rows as (value, style key) cells."""
    keys = [[("body", c < flat.n_index, bool(flat.numeric[c]), decimal)
             for decimal in (False, True)] for c in range(flat.width)]
    coefficient = cell_kind == "coefficient"
    for row in flat.body:
        yield [(value, key[isinstance(value, float)
                           and (coefficient or not value.is_integer())])
               for value, key in zip(row, keys, strict=False)]


def _set_widths(ws: Worksheet, flat: FlatTable) -> None:
    from openpyxl.utils import get_column_letter

    columns = list(zip(*flat.body, strict=True)) if flat.body else [()] * flat.width
    for col in range(flat.width):
        values = [row[col] for row in flat.header] + list(columns[col])
        widest = max((len(v) if type(v) is str and "\n" not in v else _text_width(v)
                      for v in values), default=0)
        cap = GROUP_WIDTH if col < flat.n_index - 1 else MAX_WIDTH
        ws.column_dimensions[get_column_letter(col + 1)].width = min(
            max(widest + 2, MIN_WIDTH), cap)


def write_sheet(ws: Worksheet, display: Display, styles: _Styles) -> None:
    """Write one display on a write-only worksheet, row by row."""
    from openpyxl.utils import get_column_letter

    flat = flatten(display)
    _set_widths(ws, flat)  # column widths and panes must be set before the first row
    ws.freeze_panes = f"{get_column_letter(max(flat.n_index, 0) + 1)}{body_start(flat)}"
    styles.on(ws)
    header, merges = _header_rows(flat)
    for cell_range in merges:
        ws.merged_cells.add(cell_range)
    ws.append([(display.title, ("title",))])
    for _ in range(TITLE_ROW + 1, HEADER_ROW):
        ws.append([])
    for row in header:
        ws.append(row)
    for cells in _body_keys(flat, display.cell_kind):
        ws.append(cells)
    ws.append([])
    for note in display.notes:
        ws.append([(note, ("note",))])


def write_xlsx(displays: Sequence[Display], path: Path) -> Path:
    """Write each display on its own sheet of a new workbook at `path` (streamed: a write-only
    workbook with shared named styles)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    styles = _Styles(workbook)
    used: set[str] = set()
    for display in displays:
        ws = workbook.create_sheet(sheet_name(display_sheet_title(display), used,
                                              fallback=display.key))
        write_sheet(ws, display, styles)
    buffer = io.BytesIO()  # zipped in memory: a full disk fails on one plain write
    workbook.save(buffer)
    Path(path).write_bytes(buffer.getvalue())
    return path
