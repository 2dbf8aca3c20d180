"""Table exports: every format written to disk and read back with its own library."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from export_samples import ESCAPED, all_displays, clustered, operationalisation, summaries, valence

from qualcode.core.export import ExportError, export_display, export_displays
from qualcode.core.export.flat_table import flatten, format_cell, scalar
from qualcode.core.export.xlsx import body_start, sheet_name
from qualcode.core.location import Location
from qualcode.core.store import Project


def frame_rows(display) -> list[list[object]]:
    """Index labels + cell values of a display's frame as plain scalars."""
    frame = display.frame
    out = []
    for label, values in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        labels = list(label) if isinstance(label, tuple) else [label]
        if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None:
            labels = []
        out.append([str(x) for x in labels] + [scalar(v) for v in values])
    return out


# --- XLSX -------------------------------------------------------------------------------------

def test_xlsx_one_sheet_per_display_with_the_frame_values(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    displays = all_displays()
    path = export_displays(displays, tmp_path / "tables.xlsx")[0]
    book = load_workbook(path)
    assert len(book.sheetnames) == len(displays)
    for ws, display in zip(book.worksheets, displays, strict=True):
        assert ws["A1"].value == display.title
        first = body_start(flatten(display))
        expected = [[None if v == "" else v for v in row] for row in frame_rows(display)]
        for r, row in enumerate(expected):
            got = [ws.cell(row=first + r, column=c + 1).value for c in range(len(row))]
            assert got == row, (display.key, r)


def test_xlsx_numbers_stay_numbers_and_missing_cells_stay_empty(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(export_display(clustered(), tmp_path / "m.xlsx")).active
    first = body_start(flatten(clustered()))
    assert ws.cell(row=first, column=3).value == 3
    assert isinstance(ws.cell(row=first, column=3).value, int)
    assert ws.cell(row=first + 2, column=4).value is None       # the missing cell


def test_xlsx_multiindex_header_is_merged_bold_and_frozen(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(export_display(clustered(), tmp_path / "m.xlsx")).active
    merged = {str(rng) for rng in ws.merged_cells.ranges}
    assert "C3:D3" in merged          # role "kepala" spans its two informants
    assert "A3:A4" in merged and "B3:B4" in merged   # row-label headers span both levels
    assert ws["C3"].value == "kepala" and ws["E3"].value == "staf"
    assert [ws.cell(row=4, column=c).value for c in (3, 4, 5)] == ["Pak Ahmad", "Bu Sari", "Dedi"]
    assert ws["C3"].font.bold and ws["C4"].font.bold
    assert ws.freeze_panes == "C5"


def test_xlsx_widths_are_readable_and_text_wraps(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(export_display(summaries(), tmp_path / "s.xlsx")).active
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert all(6 <= w <= 60 for w in widths.values())
    assert widths["B"] > widths["A"] >= len("Mampu mandiri")
    first = body_start(flatten(summaries()))
    assert ws.cell(row=first, column=2).alignment.wrap_text


@pytest.mark.parametrize(("titles", "expected"), [
    (["A/B: c?"], ["A B c"]),
    (["x" * 40, "x" * 40, "X" * 40], ["x" * 31, "x" * 27 + " (2)", "X" * 27 + " (3)"]),
    (["", "'quoted'"], ["key", "quoted"]),
    (["Matriks tertata secara konseptual: jumlah koding",
      "Matriks tertata secara konseptual: +/−"],
     ["Matriks tertata - jumlah koding", "Matriks tertata secara - + −"]),
    (["Ko-okurensi kode (jumlah pasangan)"], ["Ko-okurensi (jumlah pasangan)"]),
])
def test_sheet_names_are_valid_and_unique(titles: list[str], expected: list[str]) -> None:
    used: set[str] = set()
    assert [sheet_name(t, used, fallback="key") for t in titles] == expected


def test_xlsx_sheets_get_short_telling_names(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    displays = [clustered(), valence(), operationalisation()]
    names = load_workbook(export_displays(displays, tmp_path / "t.xlsx")[0]).sheetnames
    assert names == ["Matriks konseptual - jumlah", "Valence matrix", "Operasionalisasi"]


# --- DOCX -------------------------------------------------------------------------------------

def test_docx_tables_hold_the_frame_text(tmp_path: Path) -> None:
    from docx import Document

    displays = [clustered(), valence(), summaries()]
    doc = Document(str(export_displays(displays, tmp_path / "t.docx")[0]))
    assert len(doc.tables) == len(displays)
    for table, display in zip(doc.tables, displays, strict=True):
        assert table.style.name == "Table Grid"
        offset = display.frame.columns.nlevels
        for r, row in enumerate(frame_rows(display)):
            got = [table.cell(offset + r, c).text for c in range(len(row))]
            assert got == [format_cell(v, display.cell_kind) for v in row], display.key
    texts = [p.text for p in doc.paragraphs]
    assert "Tabel 1. Matriks berkelompok konseptual" in texts
    assert "Angka = jumlah coding." in texts
    assert "Table 2. Valence matrix" in texts


def test_docx_header_rows_merge_and_repeat(tmp_path: Path) -> None:
    from docx import Document

    table = Document(str(export_display(clustered(), tmp_path / "t.docx"))).tables[0]
    assert table.cell(0, 2)._tc is table.cell(0, 3)._tc        # "kepala" over two informants
    assert table.cell(0, 2).text == "kepala"
    assert table.cell(0, 0)._tc is table.cell(1, 0)._tc        # "Kelompok" down both levels
    assert [table.cell(1, c).text for c in range(2, 5)] == ["Pak Ahmad", "Bu Sari", "Dedi"]
    assert table.rows[0]._tr.xml.count("w:tblHeader") == 1
    assert all(run.bold for run in table.cell(1, 2).paragraphs[0].runs)


def test_docx_operationalisation_has_the_study_form(tmp_path: Path) -> None:
    from docx import Document

    display = operationalisation()
    table = Document(str(export_display(display, tmp_path / "op.docx"))).tables[0]
    assert [c.text for c in table.rows[0].cells] == list(display.frame.columns)
    assert table.cell(1, 0)._tc is table.cell(3, 0)._tc          # focus spans all rows
    assert table.cell(1, 0).text == "Profesionalisme aparatur"
    assert table.cell(1, 2).text == "a. Menguasai pekerjaan\nb. Mengetahui seluk beluk tugas"
    assert len(table.rows) == 1 + len(display.frame)


# --- LaTeX ------------------------------------------------------------------------------------

def test_latex_uses_booktabs_and_escapes_specials(tmp_path: Path) -> None:
    path = export_display(valence(), tmp_path / "t.tex")
    tex = path.read_text(encoding="utf-8")
    for rule in (r"\toprule", r"\midrule", r"\bottomrule"):
        assert tex.count(rule) == 1
    assert ESCAPED in tex
    assert r"3+ / 1\ensuremath{-}" in tex
    assert r"\caption{Valence matrix}" in tex and r"\label{tab:clustered_valence}" not in tex
    assert r"\label{tab:clustered-valence}" in tex
    body = tex[tex.index(r"\midrule"):tex.index(r"\bottomrule")]
    assert len(re.findall(r"(?<!\\)&", body)) == 2 * len(valence().frame)


def test_latex_text_columns_are_paragraphs_and_multiindex_spans(tmp_path: Path) -> None:
    tex = export_displays([summaries(), clustered()], tmp_path / "t.tex")[0].read_text("utf-8")
    assert re.search(r"\\begin\{tabular\}\{@\{\}lp\{0\.\d\d\\linewidth\}p\{", tex)
    assert r"\newline" in tex
    assert r"\multicolumn{2}{c}{kepala}" in tex and r"\cmidrule(lr){3-4}" in tex
    assert tex.count(r"\begin{table}") == 2


def test_latex_wide_matrix_is_scaled_and_long_headers_wrap() -> None:
    from export_samples import Display

    from qualcode.core.export.latex import display_to_latex

    names = [f"Informan dengan nama panjang {i}" for i in range(10)]
    frame = pd.DataFrame([[i for i in range(10)]], columns=names,
                         index=pd.Index(["Harus ahli"], name="Kode"))
    tex = display_to_latex(Display("wide", "Wide", frame, "count", [], "id"))
    assert "\\resizebox{\\linewidth}{!}{%" in tex and "\\end{tabular}}" in tex
    assert "\\shortstack[r]{Informan \\\\ dengan nama \\\\ panjang 0}" in tex
    assert "\\resizebox" not in display_to_latex(valence())


# --- Markdown and CSV -------------------------------------------------------------------------

def test_markdown_pipe_tables_escape_pipes_and_breaks(tmp_path: Path) -> None:
    md = export_displays([valence(), summaries()], tmp_path / "t.md")[0].read_text("utf-8")
    lines = [line for line in md.splitlines() if line.startswith("|")]
    assert len(lines) == (2 + 2) + (2 + 2)
    assert r"| a \| b |" in md
    assert "<br>Draf" in md
    for line in lines[:4]:
        assert len(re.findall(r"(?<!\\)\|", line)) == 4      # three columns
    assert "**Tabel 2. Grid ringkasan**" in md


def test_markdown_blanks_repeated_groups_and_joins_header_levels(tmp_path: Path) -> None:
    md = export_display(clustered(), tmp_path / "c.md").read_text("utf-8")
    assert "| Kelompok | Kode | kepala / Pak Ahmad | kepala / Bu Sari | staf / Dedi |" in md
    assert "|  | Mampu mandiri | 0 | 2 | 5 |" in md
    assert "| ---: |" in md


def test_csv_round_trip(tmp_path: Path) -> None:
    path = export_display(clustered(), tmp_path / "c.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Kelompok", "Kode", "kepala / Pak Ahmad", "kepala / Bu Sari", "staf / Dedi"]
    assert rows[3] == ["Siagian", "Inovasi", "1", "", "4"]


def test_csv_of_several_displays_writes_one_file_each(tmp_path: Path) -> None:
    written = export_displays([clustered(), summaries()], tmp_path / "all.csv")
    assert [p.name for p in written] == ["all-clustered_counts.csv", "all-summary_grid.csv"]
    assert all(p.exists() for p in written)


def test_csv_of_displays_sharing_a_key_keeps_every_table(tmp_path: Path) -> None:
    """The clustered matrix of counts and of +/− share the key "clustered": both files stay."""
    counts = clustered()
    signs = valence()
    signs.key = counts.key  # as the analysis builds them
    written = export_displays([counts, signs], tmp_path / "p.csv")
    assert [p.name for p in written] == ["p-clustered_counts.csv", "p-clustered_valence.csv"]
    tables = []
    for path in written:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            tables.append(list(csv.reader(handle)))
    assert tables[0][3][-1] == "4"  # Inovasi x Dedi, a count
    assert tables[1][1][1:] == ["3+ / 1−", "1+ / 0−"]


def test_csv_name_of_a_display_does_not_depend_on_the_set(tmp_path: Path) -> None:
    """A table keeps its file name whatever is exported with it (scripts can rely on it)."""
    signs = valence()
    signs.key = "clustered"
    alone = export_displays([clustered(), summaries()], tmp_path / "a.csv")
    paired = export_displays([signs, clustered()], tmp_path / "b.csv")
    assert alone[0].name.removeprefix("a-") == paired[1].name.removeprefix("b-")
    assert paired[0].name == "b-clustered_valence.csv"


def test_csv_refuses_two_tables_in_one_file(tmp_path: Path) -> None:
    """Two displays that would share a file: an error before anything is written."""
    with pytest.raises(ExportError, match="two displays would share"):
        export_displays([clustered(), summaries(), clustered()], tmp_path / "p.csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("frame", [
    pd.DataFrame(),
    pd.DataFrame(columns=["a", "b"]),
    pd.DataFrame(index=pd.Index(["Harus ahli"], name="Kode")),
    pd.DataFrame(index=pd.RangeIndex(3)),
])
@pytest.mark.parametrize("suffix", ["xlsx", "docx", "md", "tex", "csv"])
def test_empty_displays_still_export(tmp_path: Path, frame: pd.DataFrame, suffix: str) -> None:
    from export_samples import Display

    display = Display("empty", "Kosong", frame, "count", ["catatan"], "id")
    path = export_display(display, tmp_path / f"e.{suffix}")
    assert path.stat().st_size > 0
    if suffix == "tex":
        tex = path.read_text("utf-8")
        assert r"\begin{tabular}{@{}@{}}" not in tex and tex.count(r"\bottomrule") == 1


# --- bad input --------------------------------------------------------------------------------

def test_unknown_suffix_lists_the_formats(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as err:
        export_display(clustered(), tmp_path / "m.pdf")
    assert "unknown export format ('.pdf')" in err.value.message
    assert err.value.hint and ".xlsx" in err.value.hint and ".tex" in err.value.hint


@pytest.mark.parametrize("suffix", ["xlsx", "docx", "md"])
def test_missing_folder_is_a_one_line_error(tmp_path: Path, suffix: str) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export_display(clustered(), tmp_path / "nope" / f"m.{suffix}")


def test_unwritable_path_is_an_export_error(tmp_path: Path) -> None:
    (tmp_path / "dir.md").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export_display(clustered(), tmp_path / "dir.md")
    with pytest.raises(ExportError, match="cannot write"):   # name too long for the disk
        export_display(clustered(), tmp_path / ("x" * 300 + ".xlsx"))


def test_retrieval_export_names_key_coder_and_note(sample_project: Project,
                                                   tmp_path: Path) -> None:
    """Both coders chosen: each row says who coded it, with the note; a passage both coded
    with the same code is one row (the earlier coding)."""
    from qualcode.core.analysis.conclusions import retrieval_display

    display = retrieval_display(sample_project, lang="en", coder="asisten,peneliti")
    path = export_display(display, tmp_path / "r.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first: dict[tuple[str, int, int, str], Any] = {}
    for c in sorted(sample_project.codings(), key=lambda c: c.id):
        first.setdefault((c.source, c.start, c.end, c.code), c)
    # a list, not a set: two codings can start on the same line (the position a paper cites)
    expected = sorted((c.code, c.coder, " ".join(c.note.split()),
                       f"{c.source}, {Location(c.line, c.paragraph, c.page).text('en')}")
                      for c in first.values())
    assert len(first) < len(sample_project.codings())   # some passages were coded by both
    got = sorted((r["Key"], r["Coder"], r["Note"], r["Position"]) for r in rows)
    assert got == expected
    assert len({r["Coder"] for r in rows}) >= 2 and any(r["Note"] for r in rows)
