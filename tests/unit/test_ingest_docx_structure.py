"""Word's own structure as segmentation units: heading styles, list numbering, tables.

The .docx files are built here with python-docx: headings in the built-in styles, a style
named in Indonesian, a style based on a heading style and an outline level set by hand;
decimal and lettered numbering (numPr) including an ALL-CAPS item; a table.
"""

from __future__ import annotations

import io

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from qualcode.core.ingest import segment_source
from qualcode.core.ingest.docx import parse_docx


def _segments(document: object, kind: str = "document") -> list[tuple[str, str | None]]:
    data = io.BytesIO()
    document.save(data)  # type: ignore[attr-defined]
    parsed = parse_docx(data.getvalue(), kind=kind)
    return [(parsed.text[s.start:s.end], s.block) for s in segment_source(parsed, "id")]


def _lettered_list(document: object) -> str:
    """A new numbering definition 'a)', 'b)' ... in the document; its numId."""
    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/>'
        '</w:lvl></w:abstractNum>')
    numbering.insert(0, abstract)  # abstract definitions come before the w:num entries
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90">'
                               '<w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _number(paragraph: object, num_id: str, level: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                         f'<w:numId w:val="{num_id}"/></w:numPr>'))


def test_heading_styles_are_heading_units_whatever_their_shape() -> None:
    document = docx.Document()
    document.add_heading("Laporan Kinerja Instansi Pemerintah", 0)  # Title
    document.add_heading("Bab I. Pendahuluan. Latar belakang dan tujuan", 1)
    document.add_paragraph("Laporan ini disusun setiap tahun. Isinya capaian kinerja.")
    judul = document.styles.add_style("Judul 2", WD_STYLE_TYPE.PARAGRAPH)
    judul.base_style = document.styles["Normal"]
    document.add_paragraph("Maksud dan tujuan penyusunan laporan ini.", style="Judul 2")
    sub = document.styles.add_style("Subbab Laporan", WD_STYLE_TYPE.PARAGRAPH)
    sub.base_style = document.styles["Heading 3"]
    document.add_paragraph("Ruang lingkup. Seluruh bidang pada badan ini.", style="Subbab Laporan")
    outline = document.add_paragraph("Sistematika penulisan laporan tahunan ini disusun "
                                     "sebagai berikut. Ada lima bab.")
    outline._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    document.add_paragraph("Bab berikutnya memuat perencanaan kinerja. Bab terakhir penutup.")
    assert _segments(document) == [
        ("Laporan Kinerja Instansi Pemerintah", "heading"),
        ("Bab I. Pendahuluan. Latar belakang dan tujuan", "heading"),
        ("Laporan ini disusun setiap tahun.", "paragraph"),
        ("Isinya capaian kinerja.", "paragraph"),
        ("Maksud dan tujuan penyusunan laporan ini.", "heading"),
        ("Ruang lingkup. Seluruh bidang pada badan ini.", "heading"),
        ("Sistematika penulisan laporan tahunan ini disusun sebagai berikut. Ada lima bab.",
         "heading"),
        ("Bab berikutnya memuat perencanaan kinerja.", "paragraph"),
        ("Bab terakhir penutup.", "paragraph"),
    ]


def test_word_numbering_gives_list_items_with_their_markers() -> None:
    document = docx.Document()
    document.add_paragraph("Tugas bidang mutasi meliputi:")
    letters = _lettered_list(document)
    for text in ("penyusunan rencana mutasi pegawai. Rencana itu disusun tiap triwulan.",
                 "PEMBINAAN DISIPLIN PEGAWAI",
                 "pelayanan administrasi kenaikan pangkat Penata Tk. I."):
        _number(document.add_paragraph(text), letters)
    document.add_paragraph("Dasar hukum:")
    for text in ("Undang-Undang Nomor 20 Tahun 2023;", "Peraturan Pemerintah No. 11 Tahun 2017."):
        document.add_paragraph(text, style="List Number")
    table = document.add_table(rows=2, cols=3)
    for i, row in enumerate([("No", "Pangkat", "Jumlah"), ("1", "Penata Tk. I", "9")]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    assert _segments(document) == [
        ("Tugas bidang mutasi meliputi:", "heading"),
        ("a) penyusunan rencana mutasi pegawai.", "list_item"),
        ("Rencana itu disusun tiap triwulan.", "list_item"),
        ("b) PEMBINAAN DISIPLIN PEGAWAI", "list_item"),  # numbered: an item, not a heading
        ("c) pelayanan administrasi kenaikan pangkat Penata Tk. I.", "list_item"),
        ("Dasar hukum:", "heading"),
        ("1. Undang-Undang Nomor 20 Tahun 2023;", "list_item"),
        ("2. Peraturan Pemerintah No. 11 Tahun 2017.", "list_item"),
        ("No\tPangkat\tJumlah", "table_row"),
        ("1\tPenata Tk. I\t9", "table_row"),
    ]


def test_without_word_structure_lines_are_judged_by_their_shape() -> None:
    """A Normal paragraph typed to look like a heading or an item keeps the shape rules."""
    document = docx.Document()
    document.add_paragraph("A. PENDAHULUAN")
    document.add_paragraph("1. Kalimat pertama butir ini. Kalimat kedua.")
    document.add_paragraph("Latar Belakang")
    document.add_paragraph("Badan ini melayani pegawai. Pelayanan dinilai tiap tahun.")
    assert _segments(document) == [
        ("A. PENDAHULUAN", "heading"),
        ("1. Kalimat pertama butir ini.", "list_item"),
        ("Kalimat kedua.", "list_item"),
        ("Latar Belakang", "heading"),
        ("Badan ini melayani pegawai.", "paragraph"),
        ("Pelayanan dinilai tiap tahun.", "paragraph"),
    ]


def test_heading_with_a_line_break_and_line_kinds_point_at_line_starts() -> None:
    document = docx.Document()
    heading = document.add_heading("BAB II", 1)
    heading.runs[0].add_break()
    heading.add_run("Perencanaan kinerja tahunan badan.")
    document.add_paragraph("Rencana strategis menjadi acuan. Target ditetapkan tiap tahun.")
    data = io.BytesIO()
    document.save(data)
    parsed = parse_docx(data.getvalue(), kind="document")
    assert parsed.text.startswith("BAB II\nPerencanaan kinerja tahunan badan.\n")
    assert parsed.line_kinds == {0: "heading", 7: "heading"}
    assert [(parsed.text[s.start:s.end], s.block) for s in segment_source(parsed, "id")][:2] == [
        ("BAB II", "heading"), ("Perencanaan kinerja tahunan badan.", "heading")]
