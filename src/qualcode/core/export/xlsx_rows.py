"""The rows of a streamed XLSX sheet written as text: the XML openpyxl's cell writer makes,
without an element or a cell object per cell (ten times faster on a 100,000-row sheet).

`SheetRows(styles, ws)` takes over a write-only worksheet's rows; `styles` (xlsx._Styles)
gives each (style key, formula-like) its `s` attribute and, for rows openpyxl must write itself,
prototype cells.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

from qualcode.core.inert import is_formula_like

PLAIN_TYPES = (str, int, float, bool, type(None))
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_BATCH = 500  # rows per write to the rows file


class SheetRows:
    """The rows of one write-only worksheet, as the XML openpyxl's cell writer would make
    (`<c r="B7" s="3" t="inlineStr"><is><t>...</t></is></c>`), written as text to a file of
    their own and put into the sheet's `<sheetData>` when openpyxl closes the sheet: ten times
    faster than an XML element per cell. A row holding a value of another type than text,
    number, truth value or None is written by openpyxl itself.
    """

    def __init__(self, styles: Any, ws: Any) -> None:
        import tempfile

        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.utils import get_column_letter

        self.styles, self.ws = styles, ws
        self.illegal = ILLEGAL_CHARACTERS_RE
        self.letter = get_column_letter
        self.letters = [get_column_letter(n) for n in range(1, 41)]
        self.file = tempfile.TemporaryFile()  # noqa: SIM115  (open until the sheet closes)
        self.pending: list[str] = []
        ws._values_to_row = _as_given  # the pairs reach write_row as appended
        ws._get_writer()  # writes the sheet's start: properties, views, column widths
        self.fallback = ws._writer.write_row
        ws._writer.write_row = self.write
        close = ws.close

        def closed() -> None:
            close()
            self.splice(ws._writer.out)
        ws.close = closed

    def write(self, xf: Any, cells: Sequence[tuple[Any, Any]], row_idx: int) -> None:
        """Add one row (called by the worksheet for each appended row)."""
        if any(type(value) not in PLAIN_TYPES for value, _key in cells):
            self.pending.append(self._by_openpyxl(cells, row_idx))
        else:
            self.pending.append(self._row(cells, row_idx))
        if len(self.pending) >= _BATCH:
            self.flush()

    def _row(self, cells: Sequence[tuple[Any, Any]], row_idx: int) -> str:
        style_id, letters = self.styles.style_id, self.letters
        number = str(row_idx)
        parts = [f'<row r="{number}">']
        add = parts.append  # XML, not text for the reader
        for col, (value, key) in enumerate(cells):
            if value is None and key is None:
                continue
            kind = type(value)
            if kind is str:
                value = self._checked(value)
                sid = style_id(key, is_formula_like(value))
            else:
                sid = style_id(key, False)
                if value is None and sid is None:
                    continue
            ref = (letters[col] if col < len(letters) else self.letter(col + 1)) + number
            style = "" if sid is None else f' s="{sid}"'
            if kind is str:
                if not value:
                    add(f'<c r="{ref}"{style} t="inlineStr"/>')
                    continue
                space = ' xml:space="preserve"' if value != value.strip() else ""
                add(f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>'
                             f'{_escaped(value)}</t></is></c>')
            elif value is None:
                add(f'<c r="{ref}"{style} t="n"/>')
            else:
                add(f'<c r="{ref}"{style} t="{"b" if kind is bool else "n"}">'
                             f'<v>{_number(value)}</v></c>')
        add("</row>")
        return "".join(parts)

    def _checked(self, value: str) -> str:
        """Text as openpyxl and lxml take it, or their errors: at most 32,767 characters,
        no control characters."""
        value = value[:32767]
        if _NOT_XML.search(value):
            if self.illegal.search(value):
                from openpyxl.utils.exceptions import IllegalCharacterError

                raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
            raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL "
                             "bytes or control characters")
        return value

    def _by_openpyxl(self, cells: Sequence[tuple[Any, Any]], row_idx: int) -> str:
        from openpyxl.xml.functions import xmlfile

        buffer = io.BytesIO()
        with xmlfile(buffer) as xf:
            self.fallback(xf, _placed(self.styles.row(cells), row_idx), row_idx)
        return buffer.getvalue().decode("utf-8")

    def flush(self) -> None:
        """Write the pending rows to the rows file."""
        self.file.write("".join(self.pending).encode("utf-8"))
        self.pending.clear()

    def splice(self, sheet: str) -> None:
        """Put the rows into the closed sheet file's empty `<sheetData>`."""
        import shutil

        self.flush()
        with open(sheet, "rb") as written:
            xml = written.read()
        for empty in (b"<sheetData/>", b"<sheetData></sheetData>"):
            head, found, tail = xml.partition(empty)
            if found:
                break
        else:
            raise RuntimeError(f"no empty sheetData in {sheet}")
        with open(sheet, "wb") as out:
            out.write(head + b"<sheetData>")
            self.file.seek(0)
            shutil.copyfileobj(self.file, out)
            out.write(b"</sheetData>" + tail)
        self.file.close()


def _as_given(cells: Any, row_idx: int) -> Any:
    return cells


def _escaped(text: str) -> str:
    """Text content escaped as lxml writes it."""
    for char, entity in _ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


def _number(value: float) -> str:
    """A number as openpyxl writes it (its safe_string)."""
    if math.isnan(value) or math.isinf(value):
        return ""
    return f"{value:.16g}"


def _placed(cells: Iterator[Any], row_idx: int) -> Iterator[Any]:
    """Number the cells of one row (None: an empty cell) for the worksheet writer."""
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.row, cell.column = row_idx, col_idx
            yield cell
