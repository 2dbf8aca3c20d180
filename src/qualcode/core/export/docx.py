"""DOCX export (python-docx): displays as real Word tables, the conclusions as a results section.

Pages are A4 (or US Letter) with 2.5 cm margins. Tables carry a numbered caption above in
Word's Caption style with a SEQ field ("Tabel 1. ..." / "Table 1. ...", so Word can list and
renumber them), a bold header row that repeats on every page, merged cells for the upper
levels of a MultiIndex and for runs of a group column (as in the Sobandi study's
operationalisation table, whose research focus spans all characteristics), and the display's
notes below in small type. Quotes are set once in quotation marks, followed by who said them
and where (informant, role, source kind, line / paragraph / page).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.export.flat_table import FlatTable, flatten, format_cell
from qualcode.core.export.labels import (
    balance_text,
    localise_drafts,
    one_line,
    quote_where,
    quoted,
    verdict_text,
    word,
)

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table, _Cell

    from qualcode.core.analysis.conclusions import CodeConclusion, Quote, ResultsReport
    from qualcode.core.analysis.display import Display

WIDE_TABLE = 7      # more columns than this: landscape pages, smaller type


PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
MARGIN_MM = 25.0


def _new_document(landscape: bool = False, paper: str = "a4") -> DocumentObject:
    """A document whose pages are `paper` (a4 or letter), portrait or landscape."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    doc = Document()
    width, height = PAGE_MM[paper]
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    return doc


def add_caption(doc: DocumentObject, kind: str, number: int, title: str, lang: str) -> Any:
    """A numbered caption ("Tabel 1. Title") in Word's Caption style, the number a SEQ field
    (`kind`: table or figure)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = doc.add_paragraph(style="Caption")
    paragraph.add_run(f"{word(kind, lang)} ").bold = True
    sequence = {"table": "Table", "figure": "Figure"}[kind]
    instruction = f" SEQ {sequence} \\* ARABIC "
    for part in ("begin", "instr", "separate", "number", "end"):
        run = paragraph.add_run()
        run.bold = True
        if part == "number":
            run.add_text(str(number))   # what Word shows until it updates the field
        elif part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), part)
            run._r.append(char)
    paragraph.add_run(f". {title}").bold = True
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _set_text(cell: _Cell, text: str, *, bold: bool = False, style: Any = None,
              align: str | None = None) -> None:
    """Put (multi-line) text in a cell's first paragraph, lines separated by line breaks."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = cell.paragraphs[0]
    if style is not None:  # by id: python-docx's `paragraph.style = ` scans every style
        paragraph._p.get_or_add_pPr().style = style.style_id
    if align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if i:
            run.add_break()
        run.add_text(line)
        if bold:
            run.bold = True


def _cell_style(doc: DocumentObject, size: float) -> Any:
    """A paragraph style for table cells: compact, in `size` points (created once)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    name = f"Table text {size:g}pt"
    if name in [s.name for s in doc.styles]:
        return doc.styles[name]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.size = Pt(size)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    return style


def _repeat_header(table: Table, rows: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for row in table.rows[:rows]:
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(flag)


def _merge(cells: list[_Cell], flat: FlatTable,
           key: str) -> set[tuple[int, int]]:
    """Merge header spans, row-label headers and runs of group cells; returns the table
    positions (row, col) covered by a merged cell other than its first.

    `cells` is the grid read once before merging (python-docx's table.cell() rebuilds the
    whole grid on every call); every merge joins cells no other merge touches, so the
    grid's cell objects stay valid."""
    width = max(flat.width, 1)

    def at(row: int, col: int) -> _Cell:
        return cells[row * width + col]

    covered: set[tuple[int, int]] = set()
    levels = len(flat.header)
    for level in range(levels):
        for span in flat.spans(level):
            if span.last > span.first and span.first >= flat.n_index:
                at(level, span.first).merge(at(level, span.last))
                covered.update((level, c) for c in range(span.first + 1, span.last + 1))
    if levels > 1:  # row-label headers sit on the last header row; merge them upwards
        for col in range(flat.n_index):
            at(0, col).merge(at(levels - 1, col))
            covered.update((r, col) for r in range(1, levels))
    for col in range(flat.group_cols):
        for first, last in flat.group_runs(col, absorb_blank=key == "operationalisation"):
            if last > first:
                at(levels + first, col).merge(at(levels + last, col))
                covered.update((levels + r, col) for r in range(first + 1, last + 1))
    return covered


def _fill(table: Table, cells: list[_Cell], flat: FlatTable, cell_kind: str, style: Any,
          covered: set[tuple[int, int]]) -> None:
    """Write header and body text into the first cell of every (merged) position."""
    width = max(flat.width, 1)
    levels = len(flat.header)
    for level, row in enumerate(flat.header):
        spanning = {s.first for s in flat.spans(level) if s.last > s.first}
        for col, label in enumerate(row):
            if (level, col) in covered:
                continue
            if levels > 1 and col < flat.n_index:
                label = flat.header[-1][col]
            _set_text(cells[level * width + col], label, bold=True, style=style,
                      align="center" if col in spanning and col >= flat.n_index else None)
    for r, row in enumerate(flat.body):
        for c, value in enumerate(row):
            if (levels + r, c) in covered:
                continue
            _set_text(cells[(levels + r) * width + c], format_cell(value, cell_kind),
                      bold=c < flat.n_index, style=style,
                      align="right" if flat.numeric[c] else None)
    _repeat_header(table, levels)


def add_display(doc: DocumentObject, display: Display, number: int) -> Table:
    """Append one display to `doc`: caption, Word table, notes."""
    from docx.shared import Pt

    flat = flatten(display)
    add_caption(doc, "table", number, display.title, display.lang)
    size = 8.0 if flat.width > WIDE_TABLE else 9.5
    table = doc.add_table(rows=len(flat.header) + len(flat.body), cols=max(flat.width, 1))
    table.style = "Table Grid"
    cells = list(table._cells)
    covered = _merge(cells, flat, display.key)
    _fill(table, cells, flat, display.cell_kind, _cell_style(doc, size), covered)
    for note in display.notes:
        paragraph = doc.add_paragraph()
        paragraph.add_run(note).font.size = Pt(8.5)
        paragraph.paragraph_format.space_after = Pt(2)
    doc.add_paragraph()
    return table


def save_document(doc: Any, path: Path) -> None:
    """Zip the document in memory, then write it in one go (a full disk fails cleanly)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    Path(path).write_bytes(buffer.getvalue())


def add_figure(doc: DocumentObject, display: Display, number: int) -> bool:
    """Append the display's figure (heat map, bars, network) as a picture with its numbered
    caption below ("Gambar 1. ..."); False when the display has no figure."""
    import tempfile

    from docx.shared import Mm

    from qualcode.core.export.figures import export_figure, has_figure

    if not has_figure(display):
        return False
    section = doc.sections[-1]
    width = Mm(160)
    if section.page_width and section.left_margin and section.right_margin:
        width = Mm((section.page_width - section.left_margin - section.right_margin) / Mm(1))
    with tempfile.TemporaryDirectory() as folder:
        picture = export_figure(display, Path(folder) / "figure.png")
        doc.add_picture(str(picture), width=min(width, Mm(240)))
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    add_caption(doc, "figure", number, display.title, display.lang)
    doc.add_paragraph()
    return True


def write_docx(displays: Sequence[Display], path: Path, paper: str = "a4",
               figures: bool = False) -> Path:
    """Write every display as a captioned Word table into a new document at `path`; with
    `figures`, each display that has a figure is followed by it (numbered separately)."""
    wide = any(flatten(d).width > WIDE_TABLE for d in displays)
    doc = _new_document(landscape=wide, paper=paper)
    drawn = 0
    for number, display in enumerate(displays, start=1):
        add_display(doc, display, number)
        if figures and add_figure(doc, display, drawn + 1):
            drawn += 1
    save_document(doc, path)
    return path


def _quote(doc: DocumentObject, quote: Quote, lang: str) -> None:
    paragraph = doc.add_paragraph(style="Quote")
    paragraph.add_run(quoted(quote.excerpt, lang)).italic = True
    where = quote_where(quote, lang)
    if where:
        paragraph.add_run(f" — {where}").italic = False
    if quote.explanation:
        paragraph.add_run(f" ({word('explanation', lang)}: {one_line(quote.explanation)})"
                          ).italic = False


def _labelled(doc: DocumentObject, label: str, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text)


def add_section(doc: DocumentObject, number: str, section: CodeConclusion, lang: str) -> None:
    """One characteristic of the results section."""
    doc.add_heading(f"{number}. {section.code_label} ({section.code_key})", level=2)
    doc.add_paragraph(localise_drafts(section.statement, lang) or word("no_statement", lang))
    _labelled(doc, word("verdict", lang), verdict_text(section, lang))
    proposed = section.proposed_verdict_label or "–"
    _labelled(doc, word("proposed", lang), f"{proposed} ({balance_text(section, lang)})")
    if section.proposal_counts:
        _labelled(doc, word("basis", lang), section.proposal_counts)
    for key, quotes in (("supporting", section.supporting),
                        ("contradicting", section.contradicting)):
        doc.add_heading(word(key, lang), level=3)
        if not quotes:
            doc.add_paragraph(word("none", lang))
        for quote in quotes:
            _quote(doc, quote, lang)
    doc.add_heading(word("checklist", lang), level=3)
    for item in section.checklist:
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(("✓ " if item.ok else "✗ ") + item.label).bold = True
        if item.detail:
            paragraph.add_run(f" — {item.detail}")


def write_report_docx(report: ResultsReport, path: Path, paper: str = "a4") -> Path:
    """Write the conclusions report as a results section (Word) at `path`."""
    doc = _new_document(paper=paper)
    doc.add_heading(report.title, level=1)
    if report.covers:
        doc.add_paragraph(report.covers)
    if report.methods:
        doc.add_heading(word("methods", report.lang), level=2)
        doc.add_paragraph(report.methods)
    elif report.coder_note:
        doc.add_paragraph(report.coder_note)
    for position, section in enumerate(report.sections, start=1):
        number = section.number or str(position)
        add_section(doc, number, section, report.lang)
    doc.add_heading(word("summary", report.lang), level=2)
    for block in _paragraphs(localise_drafts(report.closing_summary, report.lang)):
        doc.add_paragraph(block)
    save_document(doc, path)
    return path


def _paragraphs(text: str) -> list[str]:
    blocks = [" ".join(b.split()) for b in text.split("\n\n")]
    return [b for b in blocks if b] or [""]


def table_texts(table: Any) -> list[list[str]]:
    """The text of every cell of a python-docx table (merged cells repeat), for checks."""
    return [[cell.text for cell in row.cells] for row in table.rows]
