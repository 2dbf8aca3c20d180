"""Paper-ready exports from the sample project: every numeric display drawn as a figure that
is not empty, Word pages on A4 (or Letter) with numbered captions, LaTeX documents, quotes set
once. Each file is opened with its own library."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image

from qualcode.core.analysis.display import DISPLAYS
from qualcode.core.export import ExportError, export_chart, export_displays, export_report
from qualcode.core.export.heatmap import balance_cell, heat_matrix
from qualcode.core.export.labels import localise_drafts, quoted
from qualcode.core.store import Project

FIGURES = [("clustered", {}), ("clustered", {"cell": "valence"}), ("role", {}),
           ("role", {"cell": "valence"}), ("triangulation", {}),
           ("triangulation", {"by": "informant", "cell": "valence"}), ("cooccurrence", {}),
           ("frequency", {}), ("frequency", {"by": "kind"}), ("frequency", {"by": "valence"})]


def ink(path: Path) -> float:
    """Share of pixels that are not (near) white in a PNG."""
    pixels = np.asarray(Image.open(path).convert("L"), dtype=float)
    return float((pixels < 200).mean())


def colour(path: Path) -> float:
    """Share of clearly coloured (not grey) pixels: the cells of a heat map."""
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=int)
    return float(((rgb.max(axis=2) - rgb.min(axis=2)) > 40).mean())


@pytest.mark.parametrize("cell", ["counts", "valence"])
@pytest.mark.parametrize("name", ["clustered", "role", "triangulation"])
def test_matrix_figure_is_not_an_empty_chart(sample_project: Project, tmp_path: Path,
                                             name: str, cell: str) -> None:
    """`matrix clustered --out x.png` once drew empty valence bars: the cells must show."""
    display = DISPLAYS[name](sample_project, lang="en", cell=cell)
    assert colour(export_chart(display, tmp_path / "m.png")) > 0.05


@pytest.mark.parametrize(("name", "options"), FIGURES)
def test_every_numeric_display_draws_a_figure_with_its_data(sample_project: Project,
                                                             tmp_path: Path, name: str,
                                                             options: dict[str, str]) -> None:
    display = DISPLAYS[name](sample_project, lang="en", **options)
    png = export_chart(display, tmp_path / "f.png")
    image = Image.open(png)
    assert image.size[0] > 600 and image.size[1] > 400
    assert np.asarray(image.convert("L"), dtype=float).std() > 20
    empty = DISPLAYS[name](sample_project, lang="en", **options)
    empty.frame = empty.frame.iloc[0:0]
    blank = export_chart(empty, tmp_path / "empty.png")
    # the data themselves put ink on the page: far more than titles and labels of no rows
    assert ink(png) > 2 * ink(blank)


def test_heat_matrix_holds_the_table_cells_and_labels(sample_project: Project) -> None:
    display = DISPLAYS["role"](sample_project, lang="en", codebook="sobandi-2008")
    matrix = heat_matrix(display)
    assert [label for _, label in matrix.rows] == [
        str(t[-1]) for t in display.frame.index]
    assert [label for _, label in matrix.columns] == [
        str(c[-1]) for c in display.frame.columns]
    row = display.row_keys.index("SOB-1")
    assert [c.value for c in matrix.cells[row]] == [
        float(v) for v in display.frame.iloc[row].tolist()]
    assert {g for g, _ in matrix.columns} >= {"Head", "Secretary"}


def test_triangulation_counts_columns_are_printed_not_coloured(sample_project: Project) -> None:
    display = DISPLAYS["triangulation"](sample_project, lang="en")
    matrix = heat_matrix(display)
    assert matrix.extra_columns == ["Source kinds (n)"]
    assert [label for _, label in matrix.columns] == ["Interview", "Observation", "Document"]


def test_balance_cells() -> None:
    assert balance_cell("3+ / 1−").value == 2.0
    assert balance_cell("0+ / 2−").value == -2.0
    assert balance_cell("1+ / 1− / 1 neutral").text == "1+/1−/1 neutral"
    assert balance_cell("").value is None


def test_text_display_has_no_figure(sample_project: Project, tmp_path: Path) -> None:
    display = DISPLAYS["summaries"](sample_project, lang="en")
    with pytest.raises(ExportError, match="no figure"):
        export_chart(display, tmp_path / "s.png")
    assert not (tmp_path / "s.png").exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".png"] == []  # no temp file


def test_pdf_and_svg_figures(sample_project: Project, tmp_path: Path) -> None:
    display = DISPLAYS["clustered"](sample_project, lang="id")
    assert export_chart(display, tmp_path / "c.pdf").read_bytes()[:5] == b"%PDF-"
    svg = export_chart(display, tmp_path / "c.svg").read_text("utf-8")
    assert "Harus ahli" in svg or "<path" in svg


def test_word_tables_are_a4_with_numbered_captions(sample_project: Project,
                                                   tmp_path: Path) -> None:
    displays = [DISPLAYS["triangulation"](sample_project, lang="id"),
                DISPLAYS["frequency"](sample_project, lang="id")]
    path = export_displays(displays, tmp_path / "t.docx")[0]
    doc = Document(str(path))
    section = doc.sections[0]
    assert {round(section.page_width / Mm(1)), round(section.page_height / Mm(1))} == {210, 297}
    captions = [p.text for p in doc.paragraphs if p.style is not None
                and p.style.name == "Caption"]
    assert captions == [f"Tabel 1. {displays[0].title}", f"Tabel 2. {displays[1].title}"]
    assert "SEQ Table" in doc.paragraphs[0]._p.xml


def test_word_letter_and_english_captions(sample_project: Project, tmp_path: Path) -> None:
    display = DISPLAYS["frequency"](sample_project, lang="en")
    doc = Document(str(export_displays([display], tmp_path / "t.docx", paper="letter")[0]))
    section = doc.sections[0]
    assert round(section.page_width / Mm(1)) == 216 and round(section.page_height / Mm(1)) == 279
    assert doc.paragraphs[0].text.startswith("Table 1. ")
    with pytest.raises(ExportError, match="paper size"):
        export_displays([display], tmp_path / "x.docx", paper="a5")


def test_latex_is_a_complete_a4_document_with_captions(sample_project: Project,
                                                       tmp_path: Path) -> None:
    displays = [DISPLAYS["clustered"](sample_project, lang="id"),
                DISPLAYS["frequency"](sample_project, lang="id")]
    text = export_displays(displays, tmp_path / "t.tex")[0].read_text("utf-8")
    assert "\\documentclass[a4paper" in text and "\\usepackage[a4paper" in text
    assert text.count("\\caption{") == 2 and "\\renewcommand{\\tablename}{Tabel}" in text
    assert text.rstrip().endswith("\\end{document}")
    letter = export_displays(displays[:1], tmp_path / "l.tex", paper="letter")[0]
    assert "letterpaper" in letter.read_text("utf-8")


def test_quotes_are_set_once() -> None:
    assert quoted("“Kami sudah paham.”") == "“Kami sudah paham.”"
    assert quoted('"Kami\n sudah paham."') == "“Kami sudah paham.”"
    assert quoted("Kami sudah paham.") == "“Kami sudah paham.”"


def test_draft_marks_follow_the_report_language() -> None:
    assert localise_drafts("[DRAFT] Harus ahli: ...", "id") == "[DRAF] Harus ahli: ..."
    assert localise_drafts("[DRAF] Expertise", "en") == "[DRAFT] Expertise"


def test_report_docx_quotes_once_with_informant_and_a4(sample_project: Project,
                                                       tmp_path: Path) -> None:
    from qualcode.core.analysis.conclusions import build_report

    report = build_report(sample_project, codebook="sobandi-2008", lang="id")
    doc = Document(str(export_report(report, tmp_path / "r.docx")))
    section = doc.sections[0]
    assert round(section.page_width / Mm(1)) == 210
    quotes = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Quote"]
    assert quotes and all(q.startswith("“") and not q.startswith("““") for q in quotes)
    assert all("”“" not in q and "””" not in q for q in quotes)
    assert any("(Kepala)" in q and "wawancara" in q and "baris" in q for q in quotes)
    assert "[DRAFT]" not in "\n".join(p.text for p in doc.paragraphs)


def test_word_with_figures_numbers_tables_and_figures_apart(sample_project: Project,
                                                             tmp_path: Path) -> None:
    displays = [DISPLAYS["summaries"](sample_project, lang="en"),
                DISPLAYS["clustered"](sample_project, lang="en", codebook="sobandi-2008")]
    doc = Document(str(export_displays(displays, tmp_path / "f.docx", figures=True)[0]))
    captions = [p.text for p in doc.paragraphs if p.style is not None
                and p.style.name == "Caption"]
    assert captions == [f"Table 1. {displays[0].title}", f"Table 2. {displays[1].title}",
                        f"Figure 1. {displays[1].title}"]
    assert len(doc.inline_shapes) == 1
    assert "SEQ Figure" in doc.element.body.xml


def test_a_parent_code_is_not_both_a_row_and_its_own_group(sample_project: Project) -> None:
    from qualcode.core.export.flat_table import flatten

    display = DISPLAYS["clustered"](sample_project, lang="en", codebook="siagian-2014")
    flat = flatten(display)
    groups = {row[0] for row in flat.body}
    labels = [row[1] for row in flat.body]
    assert "Factors influencing professionalism" in groups
    assert "Factors influencing professionalism" not in labels
    first = next(row for row in flat.body if row[0] == "Factors influencing professionalism")
    assert first[1] == "(in general)"
    assert labels.count("(in general)") == 1
    assert display.row_keys[labels.index("(in general)")] == "SIA-F"


def test_report_latex_document(sample_project: Project, tmp_path: Path) -> None:
    from qualcode.core.analysis.conclusions import build_report

    report = build_report(sample_project, codebook="sobandi-2008", lang="en")
    text = export_report(report, tmp_path / "r.tex", paper="letter").read_text("utf-8")
    assert "\\documentclass[letterpaper" in text and text.rstrip().endswith("\\end{document}")
    assert text.count("\\subsection*{") == len(report.sections) + 1 + bool(report.methods)
    quotes = [line for line in text.splitlines() if line.startswith("\\textit{“")]
    assert quotes and not any("““" in q or "””" in q for q in quotes)
    assert any("(Head)" in q and "interview" in q and "line" in q for q in quotes)
